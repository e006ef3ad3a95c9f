//! The lexical fast path: a hand-written recognizer for the common shape of
//! an item (a schema item, a fund, a pool, the policy, a campaign without
//! `from`, with the usual fields), building the same syntax tree the pest
//! grammar and the lowering build, in one pass over the bytes.
//!
//! It gives up (`None`) on anything it does not recognize with certainty:
//! another kind of item (templates, tests, `from`), a reward form other
//! than `… off`/`… back`, an escape in a string, a control character, a
//! number that does not fit, a reserved word declared as a name, a token
//! followed by something unusual, and any syntax error. The caller then
//! parses the item with pest, which remains the one grammar: every error,
//! and every message, comes from there. So the fast path only ever answers
//! for items that pest parses and lowers without a word of complaint, and
//! its answer must be the same tree, spans included; the differential test
//! below checks that on every example, fixture and fuzz corpus file, and
//! on every prefix of those items.
//!
//! Whitespace and comments are skipped as the grammar's `WHITESPACE` and
//! `COMMENT` do; each rule below names the grammar rule it follows.

use std::str::FromStr;

use camp_lang::keyword::{Value, is_reserved};
use rust_decimal::Decimal;

use super::ast::*;
use super::lower::doc_text;
use crate::reward::RewardVerb;
use crate::source::{FileId, Span};

/// The item in `chunk` (the text of one split item, at byte `base` of
/// file `file`), when the fast path recognizes it; `None` to let pest
/// parse it.
pub(super) fn item(file: FileId, base: usize, chunk: &str) -> Option<Item> {
    // Only tab, line ends and space among the control characters: the
    // grammar's white space also takes the others (which the look-alike
    // scan reports), and they are not worth a fast path.
    // Looked at 32 bytes at a time, without an early exit inside a block,
    // so that the compiler can compare a whole block at once.
    let control = |byte: u8| byte < b' ' && !matches!(byte, b'\t' | b'\n' | b'\r') || byte == 0x7f;
    if chunk.as_bytes().chunks(32).any(|block| {
        block
            .iter()
            .fold(false, |found, &byte| found | control(byte))
    }) {
        return None;
    }
    let mut fast = Fast {
        text: chunk,
        bytes: chunk.as_bytes(),
        pos: 0,
        last_end: 0,
        file,
        base,
    };
    let item = fast.item()?;
    // `item_only = { SOI ~ item ~ EOI }`
    fast.skip();
    (fast.pos == fast.bytes.len()).then_some(item)
}

struct Fast<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Where the last token ended: a span ends there, as the lowering's
    /// `span` (without trailing white space and comments) does.
    last_end: usize,
    file: FileId,
    base: usize,
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte == b'_'
}

/// `ident_char`
fn is_ident_char(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_'
}

/// What may follow an atom for the fast path to be sure where it ends.
fn is_boundary(byte: Option<u8>) -> bool {
    matches!(
        byte,
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}')
    )
}

impl<'a> Fast<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + end)
    }

    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        self.text.get(start..end)
    }

    /// The implicit `WHITESPACE` and `COMMENT` between tokens (never a
    /// `///` doc comment).
    fn skip(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.at(1) == Some(b'/') => {
                    // `COMMENT = _{ "//" ~ !("/" ~ !"/") ~ … }`
                    if self.at(2) == Some(b'/') && self.at(3) != Some(b'/') {
                        return;
                    }
                    while let Some(byte) = self.peek() {
                        if byte == b'\n' || byte == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// Whether a `///` doc comment starts here.
    fn at_doc(&self) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(b"///"))
    }

    /// `doc*`, each followed by the implicit white space.
    fn docs(&mut self) -> Docs {
        let mut docs = Docs::default();
        while self.at_doc() {
            let start = self.pos;
            while let Some(byte) = self.peek() {
                if byte == b'\n' || byte == b'\r' {
                    break;
                }
                self.pos += 1;
            }
            let text = self.text.get(start..self.pos).unwrap_or("");
            docs.lines.push(doc_text(text));
            self.skip();
        }
        docs
    }

    /// A lowercase word (`ident`, or a keyword: `kw_x = @{ "x" ~
    /// !ident_char }` matches exactly the words equal to `x`), without
    /// moving; its end.
    fn word_end(&self) -> Option<usize> {
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        let mut end = self.pos + 1;
        while self.bytes.get(end).copied().is_some_and(is_ident_char) {
            end += 1;
        }
        Some(end)
    }

    /// The lowercase word here, without moving.
    fn peek_word(&self) -> Option<&'a str> {
        self.slice(self.pos, self.word_end()?)
    }

    /// `ident`, consumed.
    fn ident(&mut self) -> Option<Ident> {
        let end = self.word_end()?;
        let ident = Ident {
            text: self.slice(self.pos, end)?.to_string(),
            span: self.span(self.pos, end),
        };
        self.pos = end;
        self.last_end = end;
        Some(ident)
    }

    /// A name being declared: a reserved word is left to the lowering's
    /// error.
    fn declared(&mut self) -> Option<Ident> {
        let ident = self.ident()?;
        (!is_reserved(&ident.text)).then_some(ident)
    }

    /// The keyword `word`, consumed: its span.
    fn keyword(&mut self, word: &str) -> Option<Span> {
        let end = self.word_end()?;
        if self.slice(self.pos, end)? != word {
            return None;
        }
        let span = self.span(self.pos, end);
        self.pos = end;
        self.last_end = end;
        Some(span)
    }

    /// Skips, then the keyword `word`.
    fn skip_keyword(&mut self, word: &str) -> Option<Span> {
        self.skip();
        self.keyword(word)
    }

    /// Skips, then the punctuation `byte`.
    fn punct(&mut self, byte: u8) -> Option<()> {
        self.skip();
        if self.peek() != Some(byte) {
            return None;
        }
        self.pos += 1;
        self.last_end = self.pos;
        Some(())
    }

    // ------------------------------------------------------------ items

    /// `item = { doc* ~ (… decl) }`
    fn item(&mut self) -> Option<Item> {
        self.skip();
        let docs = self.docs();
        let start = self.pos;
        let kind = match self.peek_word()? {
            "scene" => self.schema("scene", SchemaKind::Scene)?,
            "category" => self.schema("category", SchemaKind::Category)?,
            "region" => self.schema("region", SchemaKind::Region)?,
            "segment" => self.schema("segment", SchemaKind::Segment)?,
            "merchant_group" => self.schema("merchant_group", SchemaKind::MerchantGroup)?,
            "instrument" => self.schema("instrument", SchemaKind::Instrument)?,
            "fund" => {
                self.keyword("fund")?;
                self.skip();
                let name = self.declared()?;
                ItemKind::Fund(FundDecl {
                    name,
                    body: self.body()?,
                })
            }
            "pool" => {
                self.keyword("pool")?;
                self.skip();
                let name = self.declared()?;
                ItemKind::Pool(PoolDecl {
                    name,
                    body: self.body()?,
                })
            }
            "policy" => ItemKind::Policy(PolicyDecl {
                keyword: self.keyword("policy")?,
                body: self.body()?,
            }),
            "campaign" => {
                self.keyword("campaign")?;
                self.skip();
                let name = self.declared()?;
                self.skip();
                // `from_clause?`: templates are left to pest.
                if self.peek_word() == Some("from") {
                    return None;
                }
                ItemKind::Campaign(CampaignDecl {
                    name,
                    from: None,
                    body: self.body()?,
                })
            }
            // Templates, tests and anything else: pest.
            _ => return None,
        };
        Some(Item {
            docs,
            kind,
            span: self.span(start, self.last_end),
        })
    }

    /// `scene_decl = { kw_scene ~ ident ~ body? }` and the like.
    fn schema(&mut self, keyword: &str, kind: SchemaKind) -> Option<ItemKind> {
        self.keyword(keyword)?;
        self.skip();
        let name = self.declared()?;
        let saved = self.pos;
        self.skip();
        let body = if self.peek() == Some(b'{') {
            Some(self.body()?)
        } else {
            self.pos = saved;
            None
        };
        Some(ItemKind::Schema(SchemaDecl { kind, name, body }))
    }

    /// `body = { "{" ~ (entry ~ ","?)* ~ "}" }`
    fn body(&mut self) -> Option<Body> {
        self.skip();
        let start = self.pos;
        self.punct(b'{')?;
        let mut entries = Vec::new();
        loop {
            self.skip();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                self.last_end = self.pos;
                break;
            }
            entries.push(self.entry()?);
            self.skip();
            if self.peek() == Some(b',') {
                self.pos += 1;
                self.last_end = self.pos;
            }
        }
        Some(Body {
            entries,
            span: self.span(start, self.pos),
        })
    }

    // ------------------------------------------------------------ entries

    /// `entry = { doc* ~ (generic_field | limit_field | …) }`
    fn entry(&mut self) -> Option<Entry> {
        let docs = self.docs();
        let start = self.pos;
        let word_end = self.word_end()?;
        let word = self.slice(start, word_end)?;
        // `special_key`: one of these words, spaces or tabs, then `:`.
        let special = matches!(
            word,
            "reward"
                | "limit"
                | "window"
                | "guard"
                | "stacking"
                | "expected_peak"
                | "capacity"
                | "approvals"
                | "hours"
        );
        if special {
            let mut after = word_end;
            while matches!(self.bytes.get(after), Some(b' ' | b'\t')) {
                after += 1;
            }
            if self.bytes.get(after) != Some(&b':') {
                // Read as a generic field by pest, or an error: rare.
                return None;
            }
        }
        let key = self.ident()?;
        let value = if special {
            self.punct(b':')?;
            match word {
                "reward" => EntryValue::Reward(Box::new(self.reward()?)),
                "limit" => EntryValue::Limit(Box::new(self.limit()?)),
                "window" => EntryValue::Window(Box::new(self.window()?)),
                "guard" => EntryValue::Guard(Box::new(self.guard()?)),
                "stacking" => EntryValue::Stacking(self.stacking()?),
                "expected_peak" | "capacity" => {
                    self.skip();
                    let count = self.atom()?;
                    self.skip_keyword("per")?;
                    self.skip();
                    let per = self.atom()?;
                    EntryValue::Throughput(Box::new(ThroughputSyntax { count, per }))
                }
                "approvals" => EntryValue::Approvals(Box::new(self.approvals()?)),
                "hours" => EntryValue::Hours(Box::new(self.hours()?)),
                _ => return None,
            }
        } else {
            self.skip();
            match self.peek() {
                Some(b':') => {
                    self.pos += 1;
                    self.last_end = self.pos;
                    EntryValue::Generic(self.value()?)
                }
                Some(b'{') if word == "rollout" => EntryValue::Rollout(self.rollout()?),
                _ => return None,
            }
        };
        Some(Entry {
            docs,
            key,
            value,
            span: self.span(start, self.last_end),
        })
    }

    /// `value = _{ clause ~ ("," ~ clause)* }`
    fn value(&mut self) -> Option<Vec<Clause>> {
        let mut clauses = vec![self.clause()?];
        // A comma not followed by a term is the body's.
        while self.comma_before(Self::term_starts) {
            clauses.push(self.clause()?);
        }
        Some(clauses)
    }

    /// `"," ~ element` of a comma-separated list: steps over a comma (and
    /// the white space around it) when an element starts after it, as
    /// `starts` tells; otherwise stays where it was and answers `false`.
    fn comma_before(&mut self, starts: fn(&Self) -> bool) -> bool {
        let saved = self.pos;
        self.skip();
        if self.peek() == Some(b',') {
            self.pos += 1;
            self.skip();
            if starts(self) {
                return true;
            }
        }
        self.pos = saved;
        false
    }

    /// `clause = { term+ }`
    fn clause(&mut self) -> Option<Clause> {
        self.skip();
        if !self.term_starts() {
            return None;
        }
        let start = self.pos;
        let mut terms = vec![self.term()?];
        loop {
            let saved = self.pos;
            self.skip();
            if !self.term_starts() {
                self.pos = saved;
                break;
            }
            terms.push(self.term()?);
        }
        Some(Clause {
            terms,
            span: self.span(start, self.last_end),
        })
    }

    /// `term = _{ !(ident ~ ":" | kw_rollout ~ "{") ~ (list | atom) }`:
    /// whether a term starts here (the next field's key does not).
    fn term_starts(&self) -> bool {
        match self.peek() {
            Some(b'"' | b'[' | b'0'..=b'9' | b'A'..=b'Z') => true,
            Some(byte) if is_ident_start(byte) => {
                let Some(end) = self.word_end() else {
                    return false;
                };
                let mut after = Fast {
                    text: self.text,
                    bytes: self.bytes,
                    pos: end,
                    last_end: end,
                    file: self.file,
                    base: self.base,
                };
                after.skip();
                let next = after.peek();
                let rollout = self.slice(self.pos, end) == Some("rollout");
                !(next == Some(b':') || rollout && next == Some(b'{'))
            }
            _ => false,
        }
    }

    fn term(&mut self) -> Option<Term> {
        if self.peek() == Some(b'[') {
            Some(Term::List(self.list()?))
        } else {
            Some(Term::Atom(self.atom()?))
        }
    }

    /// `list = { "[" ~ (atom ~ ("," ~ atom)* ~ ","?)? ~ "]" }`
    fn list(&mut self) -> Option<List> {
        let start = self.pos;
        self.punct(b'[')?;
        let mut items = Vec::new();
        self.skip();
        if self.peek() != Some(b']') {
            // Room for as many items as there are commas before the first
            // `]`, plus one: most lists hold one or two names.
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let commas = rest
                .iter()
                .take_while(|byte| **byte != b']')
                .filter(|byte| **byte == b',')
                .count();
            items.reserve_exact(commas + 1);
            items.push(self.atom()?);
            loop {
                self.skip();
                if self.peek() != Some(b',') {
                    break;
                }
                self.pos += 1;
                self.skip();
                if self.peek() == Some(b']') {
                    break;
                }
                items.push(self.atom()?);
            }
        }
        self.punct(b']')?;
        Some(List {
            items,
            span: self.span(start, self.pos),
        })
    }

    /// `reward_field`, after `reward:`: `… off` or `… back` with options;
    /// the other reward forms are left to pest.
    fn reward(&mut self) -> Option<RewardSyntax> {
        self.skip();
        if matches!(
            self.peek_word(),
            Some("tiers" | "random" | "every" | "price")
        ) {
            return None;
        }
        // `amount_off = { atom ~ reward_verb }`
        let amount = self.atom()?;
        self.skip();
        let verb = match self.peek_word()? {
            "off" => (RewardVerb::Off, self.keyword("off")?),
            "back" => (RewardVerb::Back, self.keyword("back")?),
            _ => return None,
        };
        // `("," ~ reward_option)*`
        let mut options = Vec::new();
        loop {
            let saved = self.pos;
            self.skip();
            if self.peek() != Some(b',') {
                self.pos = saved;
                break;
            }
            self.pos += 1;
            self.skip();
            let kind = match self.peek_word() {
                Some("cap") => RewardOptionKind::Cap,
                Some("min_spend") => RewardOptionKind::MinSpend,
                Some("max_spend") => RewardOptionKind::MaxSpend,
                _ => {
                    self.pos = saved;
                    break;
                }
            };
            let keyword = self.ident()?.span;
            self.skip();
            let value = self.atom()?;
            options.push(RewardOption {
                kind,
                keyword,
                value,
            });
        }
        Some(RewardSyntax {
            form: RewardFormSyntax::Off(amount),
            options,
            verbs: vec![verb],
        })
    }

    /// `limit_field`, after `limit:`:
    /// `atom ~ (kw_total | kw_per ~ ident ~ (kw_per ~ ident)*)`
    fn limit(&mut self) -> Option<LimitSyntax> {
        self.skip();
        let amount = self.atom()?;
        self.skip();
        let mut per = Vec::new();
        let mut total = None;
        match self.peek_word()? {
            "total" => total = Some(self.keyword("total")?),
            "per" => {
                self.keyword("per")?;
                self.skip();
                per.push(self.ident()?);
                loop {
                    let saved = self.pos;
                    self.skip();
                    if self.peek_word() != Some("per") {
                        self.pos = saved;
                        break;
                    }
                    self.keyword("per")?;
                    self.skip();
                    per.push(self.ident()?);
                }
            }
            _ => return None,
        }
        Some(LimitSyntax { amount, per, total })
    }

    /// `window_field`, after `window:`: `instant ~ kw_to ~ instant ~ zone`
    fn window(&mut self) -> Option<WindowSyntax> {
        self.skip();
        let start = self.instant()?;
        self.skip_keyword("to")?;
        self.skip();
        let end = self.instant()?;
        self.skip();
        let zone = self.zone()?;
        Some(WindowSyntax { start, end, zone })
    }

    /// `zone = @{ offset | zone_name }`
    fn zone(&mut self) -> Option<Ident> {
        let start = self.pos;
        let end = match self.peek()? {
            b'+' | b'-' => {
                // `offset = @{ ("+" | "-") ~ DIGIT{2} ~ ":" ~ DIGIT{2} }`
                let shape = self.bytes.get(start + 1..start + 6)?;
                let [h1, h2, b':', m1, m2] = shape else {
                    return None;
                };
                if ![h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit()) {
                    return None;
                }
                start + 6
            }
            byte if byte.is_ascii_alphabetic() => {
                let mut end = start + 1;
                while self.bytes.get(end).is_some_and(|byte| {
                    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'/' | b'-' | b'+')
                }) {
                    end += 1;
                }
                // `!((" " | "\t")* ~ (":" | "{"))`
                let mut after = end;
                while matches!(self.bytes.get(after), Some(b' ' | b'\t')) {
                    after += 1;
                }
                if matches!(self.bytes.get(after), Some(b':' | b'{')) {
                    return None;
                }
                // A `//` in a zone would end the entry's span there (the
                // lowering trims what looks like a trailing comment).
                if self.slice(start, end)?.contains("//") {
                    return None;
                }
                end
            }
            _ => return None,
        };
        let ident = Ident {
            text: self.slice(start, end)?.to_string(),
            span: self.span(start, end),
        };
        self.pos = end;
        self.last_end = end;
        Some(ident)
    }

    /// `guard_field`, after `guard:`:
    /// `kw_halt ~ kw_when ~ ident ~ ">" ~ atom ~ kw_per ~ atom`
    fn guard(&mut self) -> Option<GuardSyntax> {
        self.skip_keyword("halt")?;
        self.skip_keyword("when")?;
        self.skip();
        let metric = self.ident()?;
        self.punct(b'>')?;
        self.skip();
        let threshold = self.atom()?;
        self.skip_keyword("per")?;
        self.skip();
        let per = self.atom()?;
        Some(GuardSyntax {
            metric,
            threshold,
            per,
        })
    }

    /// `stacking_field`, after `stacking:`:
    /// `kw_exclusive | kw_stacks_with ~ list`
    fn stacking(&mut self) -> Option<StackingSyntax> {
        self.skip();
        match self.peek_word()? {
            "exclusive" => Some(StackingSyntax::Exclusive(self.keyword("exclusive")?)),
            "stacks_with" => {
                self.keyword("stacks_with")?;
                self.skip();
                Some(StackingSyntax::StacksWith(self.list()?))
            }
            _ => None,
        }
    }

    /// `approvals_field`, after `approvals:`:
    /// `atom ~ (kw_up_to ~ atom ~ ("," ~ atom)*)?`
    fn approvals(&mut self) -> Option<ApprovalsSyntax> {
        self.skip();
        let count = self.atom()?;
        let mut up_to = Vec::new();
        let saved = self.pos;
        self.skip();
        if self.peek_word() == Some("up_to") {
            self.keyword("up_to")?;
            self.skip();
            up_to.push(self.atom()?);
            while self.comma_before(Self::atom_starts) {
                up_to.push(self.atom()?);
            }
        } else {
            self.pos = saved;
        }
        Some(ApprovalsSyntax { count, up_to })
    }

    /// `hours_field`, after `hours:`: `clock ~ kw_to ~ clock`
    fn hours(&mut self) -> Option<HoursSyntax> {
        self.skip();
        let start = self.clock()?;
        self.skip_keyword("to")?;
        self.skip();
        let end = self.clock()?;
        Some(HoursSyntax { start, end })
    }

    /// `clock = @{ DIGIT{1,2} ~ ":" ~ DIGIT{2} ~ !(DIGIT | ":") }`
    fn clock(&mut self) -> Option<ClockSyntax> {
        let start = self.pos;
        let hour_len = self
            .bytes
            .get(start..)?
            .iter()
            .take(2)
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if hour_len == 0 {
            return None;
        }
        let colon = start + hour_len;
        let minutes = self.bytes.get(colon..colon + 3)?;
        let [b':', m1, m2] = minutes else {
            return None;
        };
        if !(m1.is_ascii_digit() && m2.is_ascii_digit()) {
            return None;
        }
        let end = colon + 3;
        if matches!(self.bytes.get(end), Some(b'0'..=b'9' | b':')) {
            return None;
        }
        let clock = ClockSyntax {
            hour: self.slice(start, colon)?.parse().ok()?,
            minute: self.slice(colon + 1, end)?.parse().ok()?,
            span: self.span(start, end),
        };
        self.pos = end;
        self.last_end = end;
        Some(clock)
    }

    /// `rollout_block`, at its `{`: `"{" ~ stage* ~ "}"`, each
    /// `stage = { kw_stage ~ (stage_segment | atom) ~ (kw_for ~ atom)? }`
    fn rollout(&mut self) -> Option<Vec<StageSyntax>> {
        self.punct(b'{')?;
        let mut stages = Vec::new();
        loop {
            self.skip();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                self.last_end = self.pos;
                return Some(stages);
            }
            let start = self.pos;
            self.keyword("stage")?;
            self.skip();
            let target = if self.peek_word() == Some("segment") {
                self.keyword("segment")?;
                self.skip();
                StageTarget::Segment(self.ident()?)
            } else {
                StageTarget::Share(self.atom()?)
            };
            let saved = self.pos;
            self.skip();
            let duration = if self.peek_word() == Some("for") {
                self.keyword("for")?;
                self.skip();
                Some(self.atom()?)
            } else {
                self.pos = saved;
                None
            };
            stages.push(StageSyntax {
                target,
                duration,
                span: self.span(start, self.last_end),
            });
        }
    }

    // ------------------------------------------------------------ atoms

    fn atom_starts(&self) -> bool {
        matches!(self.peek(), Some(b'"' | b'0'..=b'9' | b'A'..=b'Z'))
            || self.peek().is_some_and(is_ident_start)
    }

    /// `atom = { ident | string | money | instant | rate | duration |
    /// number | upper_word }`, followed by a boundary.
    fn atom(&mut self) -> Option<Atom> {
        let start = self.pos;
        let first = self.peek()?;
        let kind = if is_ident_start(first) {
            let ident = self.ident()?;
            match Value::parse(&ident.text) {
                Some(Value::Any) => AtomKind::Any,
                Some(Value::True) => AtomKind::Bool(true),
                Some(Value::False) => AtomKind::Bool(false),
                None => AtomKind::Name(ident.text),
            }
        } else if first == b'"' {
            self.string()?
        } else if first.is_ascii_uppercase() {
            self.money_or_upper()?
        } else if first.is_ascii_digit() {
            self.numeric()?
        } else {
            return None;
        };
        self.last_end = self.pos;
        if !is_boundary(self.peek()) {
            return None;
        }
        Some(Atom {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// `string`, without escapes (those are the lowering's).
    fn string(&mut self) -> Option<AtomKind> {
        let open = self.pos;
        let mut end = open + 1;
        loop {
            match self.bytes.get(end)? {
                b'"' => break,
                b'\\' | b'\n' | b'\r' => return None,
                _ => end += 1,
            }
        }
        let text = self.slice(open + 1, end)?.to_string();
        self.pos = end + 1;
        Some(AtomKind::Text(text))
    }

    /// `money = ${ currency ~ (" " | "\t")+ ~ number }` or
    /// `upper_word = @{ UPPER ~ (ALNUM | "_")* }`.
    fn money_or_upper(&mut self) -> Option<AtomKind> {
        let start = self.pos;
        let mut end = start;
        while self.bytes.get(end).is_some_and(u8::is_ascii_uppercase) {
            end += 1;
        }
        let word = self.slice(start, end)?;
        match self.bytes.get(end) {
            Some(b' ' | b'\t') => {
                let mut number_start = end;
                while matches!(self.bytes.get(number_start), Some(b' ' | b'\t')) {
                    number_start += 1;
                }
                if self.bytes.get(number_start).is_some_and(u8::is_ascii_digit) {
                    // Money, if the number is one (else pest reads an
                    // upper word and then something else: left to it).
                    let number_end = self.number_end(number_start)?;
                    let written = self.slice(number_start, number_end)?;
                    let (amount, scale) = exact(written)?;
                    self.pos = number_end;
                    return Some(AtomKind::Money {
                        currency: word.to_string(),
                        currency_span: self.span(start, end),
                        amount,
                        scale,
                    });
                }
                self.pos = end;
                Some(AtomKind::Upper(word.to_string()))
            }
            next if is_boundary(next.copied()) => {
                self.pos = end;
                Some(AtomKind::Upper(word.to_string()))
            }
            _ => None,
        }
    }

    /// `digits = @{ DIGIT ~ ("_"? ~ DIGIT)* }` from `start`: its end.
    fn digits_end(&self, start: usize) -> Option<usize> {
        if !self.bytes.get(start)?.is_ascii_digit() {
            return None;
        }
        let mut end = start + 1;
        loop {
            match (self.bytes.get(end), self.bytes.get(end + 1)) {
                (Some(b'0'..=b'9'), _) => end += 1,
                (Some(b'_'), Some(b'0'..=b'9')) => end += 2,
                _ => return Some(end),
            }
        }
    }

    /// `number = @{ digits ~ ("." ~ DIGIT ~ ("_"? ~ DIGIT)*)? ~
    /// !(ALPHA | "_") }` from `start`: its end, if it is one.
    fn number_end(&self, start: usize) -> Option<usize> {
        let mut end = self.digits_end(start)?;
        if self.bytes.get(end) == Some(&b'.')
            && self.bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            end = self.digits_end(end + 1)?;
        }
        match self.bytes.get(end) {
            Some(byte) if byte.is_ascii_alphabetic() || *byte == b'_' => None,
            _ => Some(end),
        }
    }

    /// `instant | rate | duration | number`, in the grammar's order.
    fn numeric(&mut self) -> Option<AtomKind> {
        let start = self.pos;
        // `instant`: four digits and `-` can only be a date (a number
        // stops at `-` and leaves it to be a syntax error).
        if self.bytes.get(start + 4) == Some(&b'-')
            && self
                .bytes
                .get(start..start + 4)
                .is_some_and(|digits| digits.iter().all(u8::is_ascii_digit))
        {
            return Some(AtomKind::Instant(self.instant()?));
        }
        let number_end = self.number_end(start);
        // `rate = ${ number ~ "%" }`
        if let Some(end) = number_end
            && self.bytes.get(end) == Some(&b'%')
        {
            let (value, _) = exact(self.slice(start, end)?)?;
            self.pos = end + 1;
            return Some(AtomKind::Rate(value));
        }
        // `duration = ${ digits ~ duration_unit ~ !ident_char }`
        let digits_end = self.digits_end(start)?;
        let rest = self.bytes.get(digits_end..)?;
        let unit_len = if rest.starts_with(b"min") {
            3
        } else if matches!(rest.first(), Some(b's' | b'h' | b'd')) {
            1
        } else {
            0
        };
        if unit_len > 0 {
            let unit_end = digits_end + unit_len;
            if self.bytes.get(unit_end).copied().is_some_and(is_ident_char) {
                return None;
            }
            let unit = DurationUnit::parse(self.slice(digits_end, unit_end)?)?;
            let digits: String = self
                .slice(start, digits_end)?
                .chars()
                .filter(|ch| *ch != '_')
                .collect();
            let value = digits.parse::<u64>().ok()?;
            self.pos = unit_end;
            return Some(AtomKind::Duration { value, unit });
        }
        let end = number_end?;
        let written = self.slice(start, end)?;
        let (value, scale) = exact(written)?;
        self.pos = end;
        Some(AtomKind::Number {
            value,
            integer: scale == 0 && !written.contains('.'),
        })
    }

    /// `instant = ${ date ~ (" " | "\t")+ ~ time }`, `date = @{ DIGIT{4}
    /// ~ "-" ~ DIGIT{2} ~ "-" ~ DIGIT{2} }`, `time = @{ DIGIT{2} ~ ":" ~
    /// DIGIT{2} ~ (":" ~ DIGIT{2})? }`
    fn instant(&mut self) -> Option<InstantSyntax> {
        let start = self.pos;
        // At most four digits: the value fits.
        let digits = |from: usize, len: usize| -> Option<i16> {
            let text = self.bytes.get(from..from + len)?;
            text.iter().try_fold(0i16, |value, byte| {
                byte.is_ascii_digit()
                    .then(|| value * 10 + i16::from(byte - b'0'))
            })
        };
        let year = digits(start, 4)?;
        if self.bytes.get(start + 4) != Some(&b'-') || self.bytes.get(start + 7) != Some(&b'-') {
            return None;
        }
        let month = i8::try_from(digits(start + 5, 2)?).ok()?;
        let day = i8::try_from(digits(start + 8, 2)?).ok()?;
        let mut time = start + 10;
        if !matches!(self.bytes.get(time), Some(b' ' | b'\t')) {
            return None;
        }
        while matches!(self.bytes.get(time), Some(b' ' | b'\t')) {
            time += 1;
        }
        let hour = i8::try_from(digits(time, 2)?).ok()?;
        if self.bytes.get(time + 2) != Some(&b':') {
            return None;
        }
        let minute = i8::try_from(digits(time + 3, 2)?).ok()?;
        let mut end = time + 5;
        let mut second = 0;
        let mut has_seconds = false;
        if self.bytes.get(end) == Some(&b':')
            && let Some(seconds) = digits(end + 1, 2)
        {
            second = i8::try_from(seconds).ok()?;
            has_seconds = true;
            end += 3;
        }
        self.pos = end;
        self.last_end = end;
        Some(InstantSyntax {
            year,
            month,
            day,
            hour,
            minute,
            second,
            has_seconds,
            span: self.span(start, end),
        })
    }
}

/// The exact decimal a number's text (underscores included) writes, and
/// its number of decimals, as the lowering reads it; `None` where the
/// lowering reports the number as too large.
fn exact(written: &str) -> Option<(Decimal, u32)> {
    // The common case, digit by digit: at most 18 digits (far within what
    // `Decimal` holds exactly), underscores and one point. Anything else
    // is read as the lowering reads it.
    let mut mantissa: i64 = 0;
    let mut digits = 0u32;
    let mut scale = 0u32;
    let mut point = false;
    for byte in written.bytes() {
        match byte {
            b'0'..=b'9' if digits < 18 => {
                mantissa = mantissa * 10 + i64::from(byte - b'0');
                digits += 1;
                scale += u32::from(point);
            }
            b'_' => {}
            b'.' if !point => point = true,
            _ => return exact_as_written(written),
        }
    }
    if digits == 0 {
        return exact_as_written(written);
    }
    Some((Decimal::try_new(mantissa, scale).ok()?, scale))
}

/// [`exact`] through `Decimal`'s own reading of the text.
fn exact_as_written(written: &str) -> Option<(Decimal, u32)> {
    let text: std::borrow::Cow<'_, str> = if written.contains('_') {
        written
            .chars()
            .filter(|ch| *ch != '_')
            .collect::<String>()
            .into()
    } else {
        written.into()
    };
    let scale = text
        .split_once('.')
        .map(|(_, decimals)| u32::try_from(decimals.len()).unwrap_or(u32::MAX))
        .unwrap_or(0);
    match Decimal::from_str(&text) {
        Ok(value) if value.scale() == scale => Some((value, scale)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::syntax::parser::pest_item;
    use crate::syntax::split::split_items;

    /// Whether the fast path agrees with pest on `chunk`: where it answers,
    /// pest parses and lowers the chunk without an error, to the same
    /// tree. Returns whether the fast path answered.
    fn agrees(chunk: &str, base: usize, what: &str) -> bool {
        let Some(fast) = item(FileId(0), base, chunk) else {
            return false;
        };
        let pest = pest_item(FileId(0), base, chunk);
        assert!(
            matches!(&pest, Some((Some(tree), errors)) if *tree == fast && errors.is_empty()),
            "{what}: the fast path read {chunk:?} as\n{fast:#?}\nbut pest as\n{pest:#?}"
        );
        true
    }

    /// The items of a file, as `parse_items` cuts them.
    fn chunks(text: &str) -> Vec<(usize, &str)> {
        split_items(text)
            .into_iter()
            .filter_map(|mut range| {
                if range.start == 0 && text.starts_with('\u{FEFF}') {
                    range.start = '\u{FEFF}'.len_utf8();
                }
                Some((range.start, text.get(range)?))
            })
            .collect()
    }

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// Every example, test fixture and fuzz corpus file of the repository
    /// (the corpora hold any bytes: those that are text are read).
    fn corpus() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut paths = Vec::new();
        for dir in [
            "examples",
            "compiler/tests",
            "fuzz/corpus",
            "lsp/tests",
            "docs",
        ] {
            files(&root.join(dir), &mut paths);
        }
        paths
            .into_iter()
            .filter(|path| {
                let fuzz = path.components().any(|part| part.as_os_str() == "corpus");
                fuzz || path.extension().is_some_and(|ext| ext == "camp")
            })
            .filter_map(|path| {
                let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
                Some((path.display().to_string(), text))
            })
            .collect()
    }

    #[test]
    fn the_fast_path_reads_every_corpus_item_as_pest_does() {
        let corpus = corpus();
        assert!(corpus.len() > 300, "corpus not found: {}", corpus.len());
        let (mut items, mut fast) = (0, 0);
        for (path, text) in &corpus {
            for (base, chunk) in chunks(text) {
                items += 1;
                fast += usize::from(agrees(chunk, base, path));
            }
        }
        // Most items of the examples and fixtures take the fast path;
        // the rest (tests, templates, errors) are pest's.
        assert!(fast * 3 > items, "{fast} of {items} items on the fast path");
    }

    #[test]
    fn the_fast_path_reads_every_synthetic_item() {
        for file in crate::synthetic::package(30).files {
            let text = String::from_utf8(file.bytes.into_vec()).unwrap_or_default();
            for (base, chunk) in chunks(&text) {
                if chunk.trim().is_empty() {
                    continue;
                }
                assert!(agrees(chunk, base, "synthetic"), "{chunk:?}");
            }
        }
    }

    /// Small edits of items the fast path reads (each character deleted,
    /// or a character inserted before it): wherever the fast path still
    /// answers, pest agrees, and where pest complains, the fast path
    /// leaves it to pest.
    #[test]
    fn the_fast_path_agrees_with_pest_on_edited_items() {
        const INSERTS: [&str; 24] = [
            " ", "\n", ",", "//", "///", "_", "x", "1", "A", "%", ":", "{", "}", "[", "]", "\"",
            ".", "-", "\t", "per ", "from ", "\\", "0", "é",
        ];
        let mut seen = std::collections::HashSet::new();
        let (mut edited, mut answered) = (0, 0);
        for (path, text) in corpus() {
            for (base, chunk) in chunks(&text) {
                if seen.len() >= 80
                    || !seen.insert(chunk.to_string())
                    || item(FileId(0), base, chunk).is_none()
                {
                    continue;
                }
                for (index, (at, ch)) in chunk.char_indices().enumerate() {
                    let (before, after) = chunk.split_at(at);
                    let deleted = format!("{before}{}", after.get(ch.len_utf8()..).unwrap_or(""));
                    let insert = INSERTS.get(index % INSERTS.len()).copied().unwrap_or(" ");
                    let inserted = format!("{before}{insert}{after}");
                    answered += usize::from(agrees(&deleted, base, &path));
                    answered += usize::from(agrees(&inserted, base, &path));
                    edited += 2;
                }
            }
        }
        // Enough edits, and many still on the fast path (an inserted
        // space, a deleted comma in a list, …): both sides are tested.
        assert!(
            edited > 10_000 && answered * 10 > edited,
            "{answered} of {edited} edits on the fast path"
        );
    }
}

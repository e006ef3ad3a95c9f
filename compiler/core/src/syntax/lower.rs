//! The pest pairs of one item, lowered into the AST.
//!
//! The lowering walks pairs by rule name; a pair that is not where the
//! grammar puts it is a bug in this file, which it reports as a syntax error
//! at that pair rather than panicking.
//!
//! Every choice between the alternatives of a grammar rule (an item, a
//! field, a reward form, a reward option, a value) names each alternative
//! it lowers; the remaining arm reports the pair (`unexpected`), never a
//! silent default: a form added to the grammar and not lowered here is an
//! error on the first file that uses it, not a different form. A rule added
//! to the grammar also fails to compile in `describe_rule`
//! (`syntax_error.rs`), which lists every rule. A reward is lowered with
//! the rest of what the compiler does by reward form, in `crate::reward`.

use std::str::FromStr;

use camp_lang::keyword::{Value, is_reserved};
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::parser::Rule;
use super::regions::{Region, regions};
use super::syntax_error::hint_for;
use crate::error::{CampError, EscapeProblem, TooLarge};
use crate::source::{FileId, Span};

/// The text of a `///` line: without the slashes, one leading space and `\r`.
fn doc_line(doc: &Pair<'_, Rule>) -> String {
    doc_text(doc.as_str())
}

/// [`doc_line`] of a `///` line's text.
pub(super) fn doc_text(text: &str) -> String {
    let text = text.trim_start_matches("///");
    let text = text.strip_prefix(' ').unwrap_or(text);
    text.trim_end_matches('\r').to_string()
}

/// The length of `text` without trailing white space and `//` comments.
pub(super) fn content_len(text: &str) -> usize {
    let mut end = text.len();
    loop {
        let trimmed = text
            .get(..end)
            .unwrap_or("")
            .trim_end_matches([' ', '\t', '\r', '\n']);
        end = trimmed.len();
        let line_start = trimmed.rfind(['\n', '\r']).map_or(0, |index| index + 1);
        let line = trimmed.get(line_start..).unwrap_or("");
        // Most last lines hold no comment; only those that might are scanned.
        if !line.contains("//") {
            return end;
        }
        match comment_start(line) {
            Some(offset) => end = line_start + offset,
            None => return end,
        }
    }
}

/// Where a `//` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    regions(line)
        .find(|(_, _, region)| *region == Region::Comment)
        .map(|(offset, _, _)| offset)
}

/// A `\u{…}` escape, from just after `\u`: how many bytes of `rest` it
/// covers (ASCII only, so as many characters), and its character or what
/// is wrong with it. A malformed escape covers `{` and the hex digits
/// after it, and the `}` if there is one, never the text after it.
fn unicode_escape(rest: &str) -> (usize, Result<char, EscapeProblem>) {
    let Some(after_brace) = rest.strip_prefix('{') else {
        return (0, Err(EscapeProblem::Malformed));
    };
    let hex_len = after_brace
        .bytes()
        .take_while(u8::is_ascii_hexdigit)
        .count();
    let closed = after_brace.as_bytes().get(hex_len) == Some(&b'}');
    let len = 1 + hex_len + usize::from(closed);
    if !closed || hex_len == 0 || hex_len > 6 {
        return (len, Err(EscapeProblem::Malformed));
    }
    let code = after_brace
        .get(..hex_len)
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .unwrap_or(u32::MAX);
    let decoded = match code {
        0xD800..=0xDFFF => Err(EscapeProblem::Surrogate),
        _ => char::from_u32(code).ok_or(EscapeProblem::AboveUnicode),
    };
    (len, decoded)
}

pub(crate) struct Lowerer {
    pub(super) file: FileId,
    pub(super) base: usize,
    pub(super) errors: Vec<CampError>,
}

impl Lowerer {
    /// The pair's span without trailing white space and comments: pest
    /// counts the white space skipped before an optional part that did not
    /// match (`value = { clause ~ ("," ~ clause)* }`) as part of the pair,
    /// and a label must end where the written text ends.
    pub(crate) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        let end = span.start() + content_len(pair.as_str());
        Span::new(self.file, self.base + span.start(), self.base + end)
    }

    pub(crate) fn unexpected(&mut self, pair: &Pair<'_, Rule>) {
        self.errors.push(CampError::Syntax {
            span: self.span(pair),
            expected: vec![String::from("something else")],
            found: pair.as_str().chars().take(40).collect(),
            hint: None,
        });
    }

    /// The span of a token (an atomic rule): it never holds trailing
    /// white space, so no trimming is needed.
    pub(crate) fn token_span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.file, self.base + span.start(), self.base + span.end())
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            text: pair.as_str().to_string(),
            span: self.token_span(pair),
        }
    }

    /// A name being declared: refuses reserved words.
    fn declared(&mut self, pair: &Pair<'_, Rule>) -> Ident {
        let ident = self.ident(pair);
        if is_reserved(&ident.text) {
            self.errors.push(CampError::Syntax {
                span: ident.span,
                expected: vec![String::from("a name")],
                found: ident.text.clone(),
                hint: hint_for(&ident.text, &[String::from("a name")]),
            });
        }
        ident
    }

    /// The first inner pair of the given rule.
    pub(crate) fn child<'i>(&self, pair: &Pair<'i, Rule>, rule: Rule) -> Option<Pair<'i, Rule>> {
        pair.clone()
            .into_inner()
            .find(|inner| inner.as_rule() == rule)
    }

    /// The inner pairs of the given rule, for slice patterns.
    pub(crate) fn children<'i>(&self, pair: &Pair<'i, Rule>, rule: Rule) -> Vec<Pair<'i, Rule>> {
        self.each(pair, rule).collect()
    }

    /// The inner pairs of the given rule, without collecting them.
    pub(crate) fn each<'i>(
        &self,
        pair: &Pair<'i, Rule>,
        rule: Rule,
    ) -> impl Iterator<Item = Pair<'i, Rule>> + use<'i> {
        pair.clone()
            .into_inner()
            .filter(move |inner| inner.as_rule() == rule)
    }

    fn docs(&self, pair: &Pair<'_, Rule>) -> Docs {
        let lines = pair
            .clone()
            .into_inner()
            .filter(|inner| inner.as_rule() == Rule::doc)
            .map(|doc| doc_line(&doc))
            .collect();
        Docs { lines }
    }

    pub(super) fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let docs = self.docs(&pair);
        let decl = pair
            .clone()
            .into_inner()
            .find(|inner| inner.as_rule() != Rule::doc)?;
        let span = self.span(&decl);
        // Each declaration by name; a new one must be lowered here.
        let kind = match decl.as_rule() {
            Rule::scene_decl => self.schema(&decl, SchemaKind::Scene)?,
            Rule::category_decl => self.schema(&decl, SchemaKind::Category)?,
            Rule::region_decl => self.schema(&decl, SchemaKind::Region)?,
            Rule::segment_decl => self.schema(&decl, SchemaKind::Segment)?,
            Rule::merchant_group_decl => self.schema(&decl, SchemaKind::MerchantGroup)?,
            Rule::instrument_decl => self.schema(&decl, SchemaKind::Instrument)?,
            Rule::fund_decl => ItemKind::Fund(FundDecl {
                name: self.declared(&self.child(&decl, Rule::ident)?),
                body: self.body(&self.child(&decl, Rule::body)?),
            }),
            Rule::policy_decl => ItemKind::Policy(PolicyDecl {
                keyword: self.span(&self.child(&decl, Rule::kw_policy)?),
                body: self.body(&self.child(&decl, Rule::body)?),
            }),
            Rule::template_decl => self.template(&decl)?,
            Rule::campaign_decl => self.campaign(&decl)?,
            Rule::test_decl => self.test(&decl)?,
            Rule::pool_decl => ItemKind::Pool(PoolDecl {
                name: self.declared(&self.child(&decl, Rule::ident)?),
                body: self.body(&self.child(&decl, Rule::body)?),
            }),
            _ => {
                self.unexpected(&decl);
                return None;
            }
        };
        Some(Item { docs, kind, span })
    }

    fn schema(&mut self, decl: &Pair<'_, Rule>, kind: SchemaKind) -> Option<ItemKind> {
        let name = self.declared(&self.child(decl, Rule::ident)?);
        let body = self.child(decl, Rule::body).map(|body| self.body(&body));
        Some(ItemKind::Schema(SchemaDecl { kind, name, body }))
    }

    fn template(&mut self, decl: &Pair<'_, Rule>) -> Option<ItemKind> {
        let name = self.declared(&self.child(decl, Rule::ident)?);
        let mut parameters = Vec::new();
        for parameter in self.each(&self.child(decl, Rule::parameters)?, Rule::parameter) {
            let param_name = self.declared(&self.child(&parameter, Rule::ident)?);
            let ty_pair = self.child(&parameter, Rule::param_type)?;
            let ty_inner = ty_pair.clone().into_inner().next()?;
            let (type_name_pair, list) = match ty_inner.as_rule() {
                Rule::list_type => (self.child(&ty_inner, Rule::type_name)?, true),
                Rule::type_name => (ty_inner, false),
                // Not an alternative of `param_type`: a bug here, reported.
                _ => {
                    self.unexpected(&ty_inner);
                    return None;
                }
            };
            let ty = ParamTypeSyntax {
                name: self.ident(&type_name_pair),
                list,
                span: self.span(&ty_pair),
            };
            let atoms = self.children(&parameter, Rule::atom);
            let range = match atoms.as_slice() {
                [low, high] => Some((self.atom(low), self.atom(high))),
                _ => None,
            };
            parameters.push(Parameter {
                name: param_name,
                ty,
                range,
                span: self.span(&parameter),
            });
        }
        let body = self.body(&self.child(decl, Rule::body)?);
        Some(ItemKind::Template(TemplateDecl {
            name,
            parameters,
            body,
        }))
    }

    fn campaign(&mut self, decl: &Pair<'_, Rule>) -> Option<ItemKind> {
        let name = self.declared(&self.child(decl, Rule::ident)?);
        let from = match self.child(decl, Rule::from_clause) {
            Some(clause) => {
                let template = self.ident(&self.child(&clause, Rule::ident)?);
                let mut arguments = Vec::new();
                for argument in
                    self.children(&self.child(&clause, Rule::arguments)?, Rule::argument)
                {
                    let arg_name = self.ident(&self.child(&argument, Rule::ident)?);
                    let value_pair = argument
                        .clone()
                        .into_inner()
                        .find(|inner| matches!(inner.as_rule(), Rule::list | Rule::atom))?;
                    arguments.push(Argument {
                        name: arg_name,
                        value: self.term_of(&value_pair),
                        span: self.span(&argument),
                    });
                }
                Some(FromClause {
                    template,
                    arguments,
                    span: self.span(&clause),
                })
            }
            None => None,
        };
        let body = self.body(&self.child(decl, Rule::body)?);
        Some(ItemKind::Campaign(CampaignDecl { name, from, body }))
    }

    fn test(&mut self, decl: &Pair<'_, Rule>) -> Option<ItemKind> {
        let mut name = None;
        let mut lines = Vec::new();
        for inner in decl.clone().into_inner() {
            match inner.as_rule() {
                Rule::kw_test => {}
                Rule::ident => name = Some(TestName::Campaign(self.ident(&inner))),
                Rule::string => {
                    let text = self.text(&inner);
                    name = Some(TestName::Package {
                        text: text.text,
                        span: text.span,
                    });
                }
                Rule::pay => lines.push(TestLine::Pay(self.pay(&inner)?)),
                Rule::claim_line => lines.push(TestLine::Claim(self.claim(&inner)?)),
                _ => {
                    self.unexpected(&inner);
                    return None;
                }
            }
        }
        Some(ItemKind::Test(TestDecl { name: name?, lines }))
    }

    /// A string as written, unescaped, with its span (quotes included).
    fn text(&mut self, pair: &Pair<'_, Rule>) -> TextSyntax {
        let span = self.token_span(pair);
        let text = match self.string(pair) {
            AtomKind::Text(text) => text,
            // `string` makes text only; anything else is a bug reported
            // as an empty string rather than a panic.
            _ => String::new(),
        };
        TextSyntax { text, span }
    }

    fn pay(&mut self, pay: &Pair<'_, Rule>) -> Option<PaySyntax> {
        let amount = self.atom(&self.child(pay, Rule::atom)?);
        let scene = self.ident(&self.child(pay, Rule::ident)?);
        let mut attributes = Vec::new();
        for attribute in self.each(pay, Rule::pay_attribute) {
            attributes.push(self.pay_attribute(&attribute)?);
        }
        let outcome = self.child(pay, Rule::outcome)?;
        let expected = self.expected(&outcome)?;
        Some(PaySyntax {
            amount,
            scene,
            attributes,
            expected,
            span: self.span(pay),
        })
    }

    /// `payment_only`: the payment `campc explain --pay` gives.
    pub(super) fn payment(&mut self, payment: &Pair<'_, Rule>) -> Option<PaymentSyntax> {
        let amount = self.atom(&self.child(payment, Rule::atom)?);
        let scene = self.ident(&self.child(payment, Rule::ident)?);
        let mut attributes = Vec::new();
        for attribute in self.each(payment, Rule::pay_attribute) {
            attributes.push(self.pay_attribute(&attribute)?);
        }
        Some(PaymentSyntax {
            amount,
            scene,
            attributes,
            span: self.span(payment),
        })
    }

    /// `claim_only`: a claim `campc explain --claim` gives.
    pub(super) fn claim_request(&mut self, claim: &Pair<'_, Rule>) -> Option<ClaimRequestSyntax> {
        let campaign = self.ident(&self.child(claim, Rule::ident)?);
        let mut attributes = Vec::new();
        for attribute in self.each(claim, Rule::pay_attribute) {
            attributes.push(self.pay_attribute(&attribute)?);
        }
        Some(ClaimRequestSyntax {
            campaign,
            attributes,
            span: self.span(claim),
        })
    }

    fn pay_attribute(&mut self, attribute: &Pair<'_, Rule>) -> Option<PayAttribute> {
        let mut inner = attribute.clone().into_inner();
        let keyword = inner.next()?;
        let span = self.token_span(&keyword);
        let name = |lower: &mut Self| -> Option<Ident> {
            let pair = lower.child(attribute, Rule::ident)?;
            Some(lower.ident(&pair))
        };
        // Every alternative of `pay_attribute` by its keyword.
        let value = match keyword.as_rule() {
            Rule::kw_category => PayAttributeValue::Schema(SchemaKind::Category, name(self)?),
            Rule::kw_region => PayAttributeValue::Schema(SchemaKind::Region, name(self)?),
            Rule::kw_segment => PayAttributeValue::Schema(SchemaKind::Segment, name(self)?),
            Rule::kw_group => PayAttributeValue::Group(name(self)?),
            Rule::kw_merchant => PayAttributeValue::Merchant(name(self)?),
            Rule::kw_user => PayAttributeValue::User(name(self)?),
            Rule::kw_device => PayAttributeValue::Device(name(self)?),
            Rule::kw_id => PayAttributeValue::Id(name(self)?),
            Rule::kw_card => {
                let instrument = name(self)?;
                let identity = self
                    .child(attribute, Rule::string)
                    .map(|string| self.text(&string));
                PayAttributeValue::Card {
                    instrument,
                    identity,
                }
            }
            Rule::kw_ip => {
                let string = self.child(attribute, Rule::string)?;
                PayAttributeValue::Ip(self.text(&string))
            }
            Rule::kw_time => {
                let instant = self.instant(&self.child(attribute, Rule::instant)?)?;
                let zone = self
                    .child(attribute, Rule::zone)
                    .map(|zone| self.ident(&zone));
                PayAttributeValue::Time { instant, zone }
            }
            // Not an alternative of `pay_attribute`: a bug here, reported
            // rather than read as another attribute.
            _ => {
                self.unexpected(&keyword);
                return None;
            }
        };
        Some(PayAttribute {
            keyword: span,
            value,
        })
    }

    fn paid_by(&mut self, pair: &Pair<'_, Rule>) -> Option<List> {
        let paid_by = self.child(pair, Rule::paid_by)?;
        let list = self.child(&paid_by, Rule::list)?;
        Some(self.list(&list))
    }

    fn expected(&mut self, outcome: &Pair<'_, Rule>) -> Option<ExpectedSyntax> {
        let form = outcome.clone().into_inner().next()?;
        let span = self.span(&form);
        // Every alternative of `outcome` by name.
        match form.as_rule() {
            Rule::discount => {
                let amount = self.atom(&self.child(&form, Rule::atom)?);
                let (kind, keyword) = match self.child(&form, Rule::kw_back) {
                    Some(back) => (DiscountKind::Back, self.token_span(&back)),
                    None => (
                        DiscountKind::Off,
                        self.token_span(&self.child(&form, Rule::kw_off)?),
                    ),
                };
                let from = self.paid_by(&form);
                Some(ExpectedSyntax::Discount {
                    amount,
                    kind,
                    keyword,
                    from,
                    span,
                })
            }
            Rule::no_discount => {
                let reason = self
                    .child(&form, Rule::ident)
                    .map(|reason| self.ident(&reason));
                let from = self.paid_by(&form);
                Some(ExpectedSyntax::NoDiscount { reason, from, span })
            }
            Rule::refused_replay => Some(ExpectedSyntax::ConflictingReplay { span }),
            _ => {
                self.unexpected(&form);
                None
            }
        }
    }

    fn claim(&mut self, claim: &Pair<'_, Rule>) -> Option<ClaimSyntax> {
        let keyword = self.token_span(&self.child(claim, Rule::kw_claim)?);
        let campaign = self.ident(&self.child(claim, Rule::ident)?);
        let mut attributes = Vec::new();
        for attribute in self.each(claim, Rule::pay_attribute) {
            attributes.push(self.pay_attribute(&attribute)?);
        }
        let outcome = self.child(claim, Rule::claim_outcome)?;
        let expected = match self.child(&outcome, Rule::ident) {
            Some(reason) => ClaimOutcomeSyntax::Refused(self.ident(&reason)),
            None => ClaimOutcomeSyntax::Claimed(self.span(&outcome)),
        };
        Some(ClaimSyntax {
            keyword,
            campaign,
            attributes,
            expected,
            span: self.span(claim),
        })
    }

    fn body(&mut self, pair: &Pair<'_, Rule>) -> Body {
        let mut entries = Vec::new();
        for entry in self.each(pair, Rule::entry) {
            if let Some(entry) = self.entry(&entry) {
                entries.push(entry);
            }
        }
        Body {
            entries,
            span: self.span(pair),
        }
    }

    fn entry(&mut self, pair: &Pair<'_, Rule>) -> Option<Entry> {
        // One pass over the children: doc comments, then the field.
        let mut docs = Docs::default();
        let mut field = None;
        for inner in pair.clone().into_inner() {
            if inner.as_rule() == Rule::doc {
                docs.lines.push(doc_line(&inner));
            } else {
                field = Some(inner);
            }
        }
        let field = field?;
        let span = self.span(&field);
        let key_pair = field.clone().into_inner().next()?;
        let key = self.ident(&key_pair);
        let value = match field.as_rule() {
            Rule::reward_field => EntryValue::Reward(Box::new(self.reward(&field)?)),
            Rule::limit_field => {
                let amount = self.atom(&self.child(&field, Rule::atom)?);
                let per = self
                    .children(&field, Rule::ident)
                    .iter()
                    .map(|word| self.ident(word))
                    .collect();
                let total = self
                    .child(&field, Rule::kw_total)
                    .map(|word| self.span(&word));
                EntryValue::Limit(Box::new(LimitSyntax { amount, per, total }))
            }
            Rule::hours_field => {
                let clocks = self.children(&field, Rule::clock);
                let [start, end] = clocks.as_slice() else {
                    self.unexpected(&field);
                    return None;
                };
                EntryValue::Hours(Box::new(HoursSyntax {
                    start: self.clock(start)?,
                    end: self.clock(end)?,
                }))
            }
            Rule::window_field => {
                let instants = self.children(&field, Rule::instant);
                let [start, end] = instants.as_slice() else {
                    self.unexpected(&field);
                    return None;
                };
                EntryValue::Window(Box::new(WindowSyntax {
                    start: self.instant(start)?,
                    end: self.instant(end)?,
                    zone: self.ident(&self.child(&field, Rule::zone)?),
                }))
            }
            Rule::guard_field => {
                let atoms = self.children(&field, Rule::atom);
                let [threshold, per] = atoms.as_slice() else {
                    self.unexpected(&field);
                    return None;
                };
                EntryValue::Guard(Box::new(GuardSyntax {
                    metric: self.ident(&self.child(&field, Rule::ident)?),
                    threshold: self.atom(threshold),
                    per: self.atom(per),
                }))
            }
            Rule::stacking_field => match self.child(&field, Rule::list) {
                Some(list) => EntryValue::Stacking(StackingSyntax::StacksWith(self.list(&list))),
                None => {
                    let exclusive = self.child(&field, Rule::kw_exclusive)?;
                    EntryValue::Stacking(StackingSyntax::Exclusive(self.span(&exclusive)))
                }
            },
            Rule::throughput_field => {
                let atoms = self.children(&field, Rule::atom);
                let [count, per] = atoms.as_slice() else {
                    self.unexpected(&field);
                    return None;
                };
                EntryValue::Throughput(Box::new(ThroughputSyntax {
                    count: self.atom(count),
                    per: self.atom(per),
                }))
            }
            Rule::approvals_field => {
                let mut atoms = self
                    .children(&field, Rule::atom)
                    .iter()
                    .map(|atom| self.atom(atom))
                    .collect::<Vec<_>>()
                    .into_iter();
                let count = atoms.next()?;
                EntryValue::Approvals(Box::new(ApprovalsSyntax {
                    count,
                    up_to: atoms.collect(),
                }))
            }
            Rule::rollout_block => {
                let mut stages = Vec::new();
                for stage in self.each(&field, Rule::stage) {
                    let target = match self.child(&stage, Rule::stage_segment) {
                        Some(segment) => {
                            StageTarget::Segment(self.ident(&self.child(&segment, Rule::ident)?))
                        }
                        None => StageTarget::Share(self.atom(&self.child(&stage, Rule::atom)?)),
                    };
                    let atoms = self.children(&stage, Rule::atom);
                    let duration = match (&target, atoms.as_slice()) {
                        (StageTarget::Segment(_), [duration]) => Some(self.atom(duration)),
                        (StageTarget::Share(_), [_, duration]) => Some(self.atom(duration)),
                        _ => None,
                    };
                    stages.push(StageSyntax {
                        target,
                        duration,
                        span: self.span(&stage),
                    });
                }
                EntryValue::Rollout(stages)
            }
            Rule::claim_block => {
                EntryValue::Claim(Box::new(self.body(&self.child(&field, Rule::body)?)))
            }
            Rule::generic_field => {
                let mut clauses = Vec::new();
                for clause in self.each(&field, Rule::clause) {
                    // `value` and `term` are silent rules: a clause holds its
                    // lists and atoms directly.
                    let terms = clause
                        .clone()
                        .into_inner()
                        .map(|term| self.term_of(&term))
                        .collect();
                    clauses.push(Clause {
                        terms,
                        span: self.span(&clause),
                    });
                }
                EntryValue::Generic(clauses)
            }
            _ => {
                self.unexpected(&field);
                return None;
            }
        };
        Some(Entry {
            docs,
            key,
            value,
            span,
        })
    }

    fn term_of(&mut self, pair: &Pair<'_, Rule>) -> Term {
        if pair.as_rule() == Rule::list {
            Term::List(self.list(pair))
        } else {
            Term::Atom(self.atom(pair))
        }
    }

    fn list(&mut self, pair: &Pair<'_, Rule>) -> List {
        let items = self
            .children(pair, Rule::atom)
            .iter()
            .map(|atom| self.atom(atom))
            .collect();
        List {
            items,
            span: self.span(pair),
        }
    }

    pub(crate) fn atom(&mut self, pair: &Pair<'_, Rule>) -> Atom {
        // An atom is one token: its span needs no trimming.
        let span = self.token_span(pair);
        let inner = if pair.as_rule() == Rule::atom {
            pair.clone().into_inner().next()
        } else {
            Some(pair.clone())
        };
        let Some(inner) = inner else {
            return Atom {
                kind: AtomKind::Invalid,
                span,
            };
        };
        // Every alternative of `atom` by name: a new kind of value must be
        // lowered here; until it is, it is reported.
        let kind = match inner.as_rule() {
            Rule::money => self.money(&inner),
            Rule::rate => match self
                .child(&inner, Rule::number)
                .map(|number| self.number(&number, TooLarge::Rate))
            {
                Some(Some((value, _))) => AtomKind::Rate(value),
                // Too large: already reported.
                Some(None) => AtomKind::Invalid,
                None => {
                    self.unexpected(&inner);
                    AtomKind::Invalid
                }
            },
            Rule::duration => {
                let digits = self.child(&inner, Rule::digits);
                let unit = self.child(&inner, Rule::duration_unit);
                match (digits, unit) {
                    (Some(digits), Some(unit)) => {
                        let text: String =
                            digits.as_str().chars().filter(|ch| *ch != '_').collect();
                        let unit = match DurationUnit::parse(unit.as_str()) {
                            Some(unit) => unit,
                            // Not a unit of `duration_unit`: reported, not
                            // read as another unit.
                            None => {
                                self.unexpected(&unit);
                                return Atom {
                                    kind: AtomKind::Invalid,
                                    span,
                                };
                            }
                        };
                        match text.parse::<u64>() {
                            Ok(value) => AtomKind::Duration { value, unit },
                            Err(_) => {
                                self.errors.push(CampError::DurationTooLong {
                                    span,
                                    written: inner.as_str().to_string(),
                                });
                                AtomKind::Invalid
                            }
                        }
                    }
                    _ => {
                        self.unexpected(&inner);
                        AtomKind::Invalid
                    }
                }
            }
            Rule::number => match self.number(&inner, TooLarge::Decimal) {
                Some((value, scale)) => AtomKind::Number {
                    value,
                    integer: scale == 0 && !inner.as_str().contains('.'),
                },
                None => AtomKind::Invalid,
            },
            Rule::string => self.string(&inner),
            Rule::ident => match Value::parse(inner.as_str()) {
                Some(Value::Any) => AtomKind::Any,
                Some(Value::True) => AtomKind::Bool(true),
                Some(Value::False) => AtomKind::Bool(false),
                None => AtomKind::Name(inner.as_str().to_string()),
            },
            Rule::upper_word => AtomKind::Upper(inner.as_str().to_string()),
            Rule::instant => match self.instant(&inner) {
                Some(instant) => AtomKind::Instant(instant),
                None => AtomKind::Invalid,
            },
            _ => {
                self.unexpected(&inner);
                AtomKind::Invalid
            }
        };
        Atom { kind, span }
    }

    fn money(&mut self, pair: &Pair<'_, Rule>) -> AtomKind {
        let mut parts = pair.clone().into_inner();
        let (Some(currency), Some(number)) = (parts.next(), parts.next()) else {
            return AtomKind::Invalid;
        };
        match self.number(&number, TooLarge::Amount) {
            Some((amount, scale)) => AtomKind::Money {
                currency: currency.as_str().to_string(),
                currency_span: self.token_span(&currency),
                amount,
                scale,
            },
            None => AtomKind::Invalid,
        }
    }

    /// An exact decimal and the number of decimals written. `what` says
    /// what the number is for, should it not fit (a bare whole number is
    /// a count).
    fn number(&mut self, pair: &Pair<'_, Rule>, what: TooLarge) -> Option<(Decimal, u32)> {
        let text: String = pair.as_str().chars().filter(|ch| *ch != '_').collect();
        let scale = text
            .split_once('.')
            .map(|(_, decimals)| u32::try_from(decimals.len()).unwrap_or(u32::MAX))
            .unwrap_or(0);
        match Decimal::from_str(&text) {
            Ok(value) if value.scale() == scale => Some((value, scale)),
            _ => {
                let what = match what {
                    TooLarge::Decimal if scale == 0 => TooLarge::Count,
                    other => other,
                };
                self.errors.push(CampError::NumberTooLarge {
                    span: self.span(pair),
                    text: pair.as_str().to_string(),
                    what,
                });
                None
            }
        }
    }

    fn string(&mut self, pair: &Pair<'_, Rule>) -> AtomKind {
        let Some(text) = self.child(pair, Rule::string_text) else {
            return AtomKind::Text(String::new());
        };
        let raw = text.as_str();
        let start = self.base + text.as_span().start();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices().peekable();
        while let Some((offset, ch)) = chars.next() {
            if ch != '\\' {
                out.push(ch);
                continue;
            }
            let Some((_, escape)) = chars.next() else {
                break;
            };
            match escape {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                'u' => {
                    let rest = raw.get(offset + 2..).unwrap_or("");
                    let (len, decoded) = unicode_escape(rest);
                    // skip what the escape covers after `\u`
                    for _ in 0..len {
                        chars.next();
                    }
                    match decoded {
                        Ok(ch) => out.push(ch),
                        Err(problem) => {
                            let end = offset + 2 + len;
                            self.errors.push(CampError::InvalidEscape {
                                span: Span::new(self.file, start + offset, start + end),
                                escape: raw.get(offset..end).unwrap_or("\\u").to_string(),
                                problem,
                            });
                        }
                    }
                }
                other => {
                    let end = offset + 1 + other.len_utf8();
                    self.errors.push(CampError::InvalidEscape {
                        span: Span::new(self.file, start + offset, start + end),
                        escape: format!("\\{other}"),
                        problem: EscapeProblem::Unknown,
                    });
                }
            }
        }
        AtomKind::Text(out)
    }

    /// `10:00`: the grammar allows one or two digits, `:` and two digits.
    fn clock(&mut self, pair: &Pair<'_, Rule>) -> Option<ClockSyntax> {
        let (hour, minute) = pair.as_str().split_once(':')?;
        Some(ClockSyntax {
            hour: hour.parse().ok()?,
            minute: minute.parse().ok()?,
            span: self.span(pair),
        })
    }

    fn instant(&mut self, pair: &Pair<'_, Rule>) -> Option<InstantSyntax> {
        let date = self.child(pair, Rule::date)?;
        let time = self.child(pair, Rule::time)?;
        let date_parts: Vec<&str> = date.as_str().split('-').collect();
        let time_parts: Vec<&str> = time.as_str().split(':').collect();
        let part = |parts: &[&str], index: usize| {
            parts.get(index).and_then(|text| text.parse::<i16>().ok())
        };
        Some(InstantSyntax {
            year: part(&date_parts, 0)?,
            month: i8::try_from(part(&date_parts, 1)?).ok()?,
            day: i8::try_from(part(&date_parts, 2)?).ok()?,
            hour: i8::try_from(part(&time_parts, 0)?).ok()?,
            minute: i8::try_from(part(&time_parts, 1)?).ok()?,
            second: i8::try_from(part(&time_parts, 2).unwrap_or(0)).ok()?,
            has_seconds: time_parts.len() > 2,
            span: self.span(pair),
        })
    }
}

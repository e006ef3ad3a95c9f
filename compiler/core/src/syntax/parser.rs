//! From text to syntax tree: split into items, parse each with the pest
//! grammar, lower the pest pairs into the AST.
//!
//! The lowering code walks pairs by rule name; a pair that is not where the
//! grammar puts it is a bug in this file, which it reports as a syntax error
//! at that pair rather than panicking.

use super::regions::{Region, regions};
use std::str::FromStr;

use pest::Parser;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use std::collections::HashMap;

use super::ast::*;
use super::shift::Shift;
use super::{lookalike, split};
use crate::check::model::group_digits;
use crate::error::{CampError, EscapeProblem, Notation, TooLarge};
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/camp.pest"]
struct CampParser;

/// The result of parsing one file: every item that parsed, and the errors.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    pub file: ParsedFile,
    pub errors: Vec<CampError>,
}

/// Parses a whole file. Never fails: broken items become errors and the
/// other items are still returned.
pub fn parse_file(file: FileId, text: &str) -> ParseOutput {
    parse_items(file, text, None).0
}

/// Items that parsed cleanly, by their exact text (doc comments included),
/// with the byte offset they were parsed at.
pub type ItemCache = HashMap<String, (usize, Item)>;

/// [`parse_file`], re-using from `previous` every item whose text is
/// unchanged (moved to where it now starts), and returning the cache for
/// the next call. An edit to one item re-parses that item only.
/// Also returns how many items were parsed (not re-used).
pub fn parse_file_reusing(
    file: FileId,
    text: &str,
    previous: ItemCache,
) -> (ParseOutput, ItemCache, usize) {
    let (output, cache, parsed) = parse_items(file, text, Some(previous));
    (output, cache.unwrap_or_default(), parsed)
}

/// Without `previous`, nothing is looked up or kept (no copies: `campc`).
fn parse_items(
    file: FileId,
    text: &str,
    mut previous: Option<ItemCache>,
) -> (ParseOutput, Option<ItemCache>, usize) {
    let mut output = ParseOutput::default();
    let mut parsed = 0;
    let mut cache = previous.as_ref().map(|_| ItemCache::new());
    let lexical = lookalike::scan(file, text);
    for mut range in split::split_items(text) {
        // A byte-order mark is allowed at the start of a file only; the
        // grammar never sees it.
        if range.start == 0 && text.starts_with('\u{FEFF}') {
            range.start = '\u{FEFF}'.len_utf8();
        }
        let Some(chunk) = text.get(range.clone()) else {
            continue;
        };
        if is_blank(chunk) {
            continue;
        }
        // The entry moves to the new cache as it is, still at the offset
        // it was parsed at; the copy in the output is moved to `range`.
        if let Some((key, (base, cached))) = previous
            .as_mut()
            .and_then(|previous| previous.remove_entry(chunk))
        {
            let mut item = cached.clone();
            let by = i64::try_from(range.start).unwrap_or(i64::MAX)
                - i64::try_from(base).unwrap_or(i64::MAX);
            item.shift(by);
            if let Some(cache) = &mut cache {
                cache.insert(key, (base, cached));
            }
            output.file.items.push(item);
            continue;
        }
        parsed += 1;
        let chunk_has_lexical_error = lexical
            .iter()
            .any(|error| range.contains(&(error.span().start as usize)));
        let mut lowerer = Lowerer {
            file,
            base: range.start,
            errors: Vec::new(),
        };
        match CampParser::parse(Rule::item_only, chunk) {
            Ok(mut pairs) => {
                let item = pairs
                    .next()
                    .and_then(|item_only| item_only.into_inner().next())
                    .and_then(|item| lowerer.item(item));
                if let Some(item) = item {
                    // Only an item that parsed without a word of complaint
                    // is re-used: errors are never cached.
                    if let Some(cache) = &mut cache
                        && lowerer.errors.is_empty()
                        && !chunk_has_lexical_error
                    {
                        cache.insert(chunk.to_string(), (range.start, item.clone()));
                    }
                    output.file.items.push(item);
                }
                output.errors.append(&mut lowerer.errors);
            }
            Err(error) => {
                if !chunk_has_lexical_error {
                    output
                        .errors
                        .push(syntax_error(file, range.start, chunk, &error));
                }
            }
        }
    }
    output.errors.extend(lexical);
    (output, cache, parsed)
}

/// Whether a chunk holds only white space and `//` comments.
fn is_blank(chunk: &str) -> bool {
    crate::source::lines(chunk).all(|line| {
        let line = line.trim_matches([' ', '\t', '\r', '\u{FEFF}']);
        let doc_comment = line.starts_with("///") && !line.starts_with("////");
        line.is_empty() || (line.starts_with("//") && !doc_comment)
    })
}

// ------------------------------------------------------------------ syntax errors

fn syntax_error(
    file: FileId,
    base: usize,
    chunk: &str,
    error: &pest::error::Error<Rule>,
) -> CampError {
    let position = match error.location {
        pest::error::InputLocation::Pos(position) => position,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    if let Some(error) = special_syntax_error(file, base, chunk, position) {
        return error;
    }
    let mut position = position;
    let mut found = found_token(chunk.get(position..).unwrap_or(""));
    // `10k`: pest stops after the digits; the word is what was written.
    if found.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
        let before = chunk.get(..position).unwrap_or("");
        let word = before
            .trim_end_matches(|ch: char| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.');
        let start = word.len();
        if start < position
            && chunk
                .get(start..)
                .is_some_and(|text| text.starts_with(|ch: char| ch.is_ascii_digit()))
        {
            position = start;
            found = found_token(chunk.get(position..).unwrap_or(""));
        }
    }
    let rest = chunk.get(position..).unwrap_or("");
    let mut expected: Vec<String> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let text = describe_rule(*rule);
            if !expected.iter().any(|existing| existing == text) {
                expected.push(text.to_string());
            }
        }
    }
    if expected.iter().any(|text| text == "a field") {
        expected.retain(|text| text != "a name");
    }
    let mut hint = None;
    if expected.iter().any(|text| text == "a field")
        && found.starts_with(|ch: char| ch.is_ascii_lowercase() || ch == '_')
    {
        // `budget = CNY 1.00` or `budget CNY 1.00`: pest stops at the
        // field name, but what is missing is the `:` after it.
        let after = rest.get(found.len()..).unwrap_or("");
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        let next = found_token(after.get(gap..).unwrap_or(""));
        if !next.is_empty() && next != ":" {
            position += found.len() + gap;
            found = next;
            expected = vec![String::from("`:`")];
        }
    } else if found.is_empty() {
        // The end of the item: point just after the last thing written,
        // not at the next item (or the blank lines before it).
        position = content_len(chunk.get(..position).unwrap_or(""));
        if let Some(opener) = unclosed_brace(chunk) {
            if expected.iter().any(|text| text == "a field") {
                // Between fields: the other alternatives only continue the
                // last field, which is complete.
                expected = vec![String::from("a field")];
            }
            if !expected.iter().any(|text| text == "`}`") {
                expected.push(String::from("`}`"));
            }
            hint = Some(format!("`{opener}` is not closed; add the matching `}}`"));
        }
    }
    let hint = hint.or_else(|| hint_for(&found, &expected));
    let start = base + position;
    let end = start + found.len();
    CampError::Syntax {
        span: Span::new(file, start, end.max(start)),
        expected,
        found,
        hint,
    }
}

/// Syntax errors with a cause more precise than "expected …, found …":
/// a doc comment with nothing after it to document, a number in a notation
/// Camp does not have (`0x10`, `3e6`), a currency code not in capitals
/// (`cny 5.00`).
fn special_syntax_error(
    file: FileId,
    base: usize,
    chunk: &str,
    position: usize,
) -> Option<CampError> {
    let span =
        |range: std::ops::Range<usize>| Span::new(file, base + range.start, base + range.end);
    if let Some(range) = dangling_doc(chunk, position) {
        return Some(CampError::DanglingDoc { span: span(range) });
    }
    if let Some((range, notation, decimal)) = number_notation(chunk, position) {
        return Some(CampError::NumberNotation {
            span: span(range.clone()),
            text: chunk.get(range).unwrap_or("").to_string(),
            notation,
            decimal,
        });
    }
    // `cny 5.00` on the line of the error (pest stops before the code, at
    // it, or after it, depending on the form).
    let line_start = chunk
        .get(..position)
        .and_then(|before| before.rfind(['\n', '\r']))
        .map_or(0, |index| index + 1);
    let line_end = chunk
        .get(position..)
        .and_then(|after| after.find(['\n', '\r']))
        .map_or(chunk.len(), |index| position + index);
    let line = chunk.get(line_start..line_end).unwrap_or("");
    let mut previous = None;
    for (index, ch, region) in regions(line) {
        let starts_word = region == Region::Code
            && ch.is_ascii_alphabetic()
            && !previous
                .is_some_and(|previous: char| previous.is_ascii_alphanumeric() || previous == '_');
        previous = Some(ch);
        if !starts_word {
            continue;
        }
        let rest = line.get(index..).unwrap_or("");
        let word = found_token(rest);
        let after = rest.get(word.len()..).unwrap_or("");
        let amount = after.trim_start_matches([' ', '\t']);
        if miscased_currency(&word).is_some()
            && amount.len() < after.len()
            && amount.starts_with(|ch: char| ch.is_ascii_digit())
        {
            let start = line_start + index;
            return Some(CampError::LowercaseCurrency {
                span: span(start..start + word.len()),
                written: word,
                amount: found_token(amount),
            });
        }
    }
    None
}

/// `cny` or `Cny`: a three-letter ISO 4217 code not written in capitals,
/// as the code it stands for.
pub fn miscased_currency(word: &str) -> Option<String> {
    if word.len() != 3
        || !word.bytes().all(|byte| byte.is_ascii_alphabetic())
        || word.bytes().all(|byte| byte.is_ascii_uppercase())
    {
        return None;
    }
    let code = word.to_ascii_uppercase();
    iso_currency::Currency::from_code(&code).map(|_| code)
}

/// Whether a line is a `///` doc comment line (`////` is a plain comment).
fn is_doc_line(line: &str) -> bool {
    line.starts_with("///") && !line.starts_with("////")
}

/// The `///` lines that a parse error at `position` shows to document
/// nothing: the error is at a doc comment where none can stand (after a
/// whole item), or at the end of the item or at a `}` with only blank
/// lines and plain comments between it and the doc comment.
fn dangling_doc(chunk: &str, position: usize) -> Option<std::ops::Range<usize>> {
    // Each line's start, and where its text starts and what it is
    // (without indentation and line ending).
    let mut starts: Vec<usize> = Vec::new();
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in crate::source::split_lines_inclusive(chunk) {
        let text = line.trim_start_matches([' ', '\t', '\u{FEFF}']);
        starts.push(offset);
        lines.push((offset + line.len() - text.len(), text.trim_end()));
        offset += line.len();
    }
    let rest = chunk.get(position..).unwrap_or("");
    let before = chunk.get(..position).unwrap_or("");
    let line_start = before.rfind(['\n', '\r']).map_or(0, |index| index + 1);
    let head = before
        .get(line_start..)
        .unwrap_or("")
        .trim_start_matches([' ', '\t', '\u{FEFF}']);
    // The line the error is on (past the last one when the chunk ends
    // with a line break).
    let at = starts
        .iter()
        .position(|start| *start == line_start)
        .unwrap_or(starts.len());
    let (first, last) = if is_doc_line(rest) {
        let first = lines.iter().position(|(start, _)| *start == position)?;
        let run = lines
            .iter()
            .skip(first)
            .take_while(|(_, text)| is_doc_line(text))
            .count();
        (first, first + run.saturating_sub(1))
    } else if found_token(rest).is_empty() || rest.starts_with('}') {
        let mut index = at;
        let last = if is_doc_line(head) {
            index
        } else if !head.is_empty() {
            return None;
        } else {
            loop {
                index = index.checked_sub(1)?;
                let (_, text) = *lines.get(index)?;
                if is_doc_line(text) {
                    break index;
                }
                if !text.is_empty() && !text.starts_with("//") {
                    return None;
                }
            }
        };
        let mut first = last;
        while first > 0
            && lines
                .get(first - 1)
                .is_some_and(|(_, text)| is_doc_line(text))
        {
            first -= 1;
        }
        (first, last)
    } else {
        return None;
    };
    let (start, _) = *lines.get(first)?;
    let (end_start, end_text) = *lines.get(last)?;
    Some(start..end_start + end_text.len())
}

/// A number written in a notation Camp does not have, around `position`
/// (`0x10`, `0o17`, `0b101`, `3e6`, `1.5e-3`): its range, the notation,
/// and the same number in decimal digits when it has an exact one.
fn number_notation(
    chunk: &str,
    position: usize,
) -> Option<(std::ops::Range<usize>, Notation, Option<String>)> {
    let bytes = chunk.as_bytes();
    let is_word = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.';
    let mut start = position.min(bytes.len());
    while start > 0 && bytes.get(start - 1).copied().is_some_and(is_word) {
        start -= 1;
    }
    while bytes.get(start) == Some(&b'.') {
        start += 1;
    }
    if start >= position || !bytes.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut end = start;
    while let Some(&byte) = bytes.get(end) {
        let exponent_sign = matches!(byte, b'+' | b'-')
            && matches!(bytes.get(end.wrapping_sub(1)), Some(b'e' | b'E'))
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if !is_word(byte) && !exponent_sign {
            break;
        }
        end += 1;
    }
    let text = chunk.get(start..end)?;
    let clean: String = text.chars().filter(|ch| *ch != '_').collect();
    // `0x…`, `0o…`, `0b…`: with the value in decimal when the digits
    // are all of that base.
    let radix = |prefix: [&str; 2], radix: u32| {
        prefix
            .iter()
            .find_map(|prefix| clean.strip_prefix(prefix))
            .map(|digits| {
                u128::from_str_radix(digits, radix)
                    .ok()
                    .filter(|_| digits.chars().all(|ch| ch.is_digit(radix)))
                    .map(|value| group_digits(&value.to_string()))
            })
    };
    if let Some(decimal) = radix(["0x", "0X"], 16) {
        return Some((start..end, Notation::Hexadecimal, decimal));
    }
    if let Some(decimal) = radix(["0o", "0O"], 8) {
        return Some((start..end, Notation::Octal, decimal));
    }
    if let Some(decimal) = radix(["0b", "0B"], 2) {
        return Some((start..end, Notation::Binary, decimal));
    }
    let (mantissa, exponent) = clean.split_once(['e', 'E'])?;
    let mantissa_ok = mantissa.split_once('.').map_or(
        !mantissa.is_empty() && mantissa.chars().all(|ch| ch.is_ascii_digit()),
        |(whole, decimals)| {
            !whole.is_empty()
                && !decimals.is_empty()
                && whole
                    .chars()
                    .chain(decimals.chars())
                    .all(|ch| ch.is_ascii_digit())
        },
    );
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if !mantissa_ok || digits.is_empty() || !digits.chars().all(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let decimal = Decimal::from_scientific(&clean)
        .ok()
        .map(|value| group_digits(&value.to_string()));
    Some((start..end, Notation::Exponent, decimal))
}

/// The text from the start of the line to the first `{` of `chunk` that
/// is never closed (`campaign spring_coupon {`), ignoring strings and
/// comments.
fn unclosed_brace(chunk: &str) -> Option<String> {
    let mut open: Vec<usize> = Vec::new();
    for (offset, ch, region) in regions(chunk) {
        match (ch, region) {
            ('{', Region::Code) => open.push(offset),
            ('}', Region::Code) => {
                open.pop();
            }
            _ => {}
        }
    }
    let brace = *open.first()?;
    let line_start = chunk
        .get(..brace)?
        .rfind(['\n', '\r'])
        .map_or(0, |index| index + 1);
    let line = chunk.get(line_start..=brace)?.trim_start();
    Some(line.to_string())
}

/// The token at the error position, for the message and the span.
fn found_token(rest: &str) -> String {
    let rest = rest.trim_end_matches(['\r']);
    let Some(first) = rest.chars().next() else {
        return String::new();
    };
    if first == '\n' || first == '\r' {
        return String::new();
    }
    if first.is_ascii_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '.')
            .collect()
    } else if first == '"' {
        rest.chars()
            .skip(1)
            .position(|ch| matches!(ch, '"' | '\n' | '\r'))
            .map(|end| rest.chars().take(end + 2).collect::<String>())
            .unwrap_or_else(|| {
                rest.chars()
                    .take_while(|ch| !matches!(ch, '\n' | '\r'))
                    .collect()
            })
            .trim_end_matches(['\n', '\r'])
            .to_string()
    } else {
        first.to_string()
    }
}

/// Words that start items or stand for built-in values; never a declared name.
const RESERVED: [&str; 13] = [
    "scene", "category", "region", "segment", "fund", "policy", "campaign", "template", "test",
    "from", "any", "true", "false",
];

fn hint_for(found: &str, expected: &[String]) -> Option<String> {
    const RESERVED: [&str; 13] = [
        "scene", "category", "region", "segment", "fund", "policy", "campaign", "template", "test",
        "from", "any", "true", "false",
    ];
    let wants_name = expected.iter().any(|text| text == "a name");
    if wants_name && RESERVED.contains(&found) {
        return Some(format!(
            "`{found}` is a reserved word; choose another name, e.g. `{found}_id`"
        ));
    }
    if wants_name
        && found
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_uppercase())
    {
        return Some(format!(
            "names are lowercase snake_case, e.g. `{}`",
            to_snake_case(found)
        ));
    }
    if expected.iter().any(|text| text == "`:`") {
        return Some(String::from("fields are written `name: value`"));
    }
    if found.is_empty() && expected.iter().any(|text| text == "`}`") {
        return Some(String::from("a `{` is not closed; add the matching `}`"));
    }
    if expected.iter().any(|text| text.starts_with("a time zone")) {
        return Some(String::from(
            "a window names its zone after its end: `START to END ZONE`",
        ));
    }
    if expected.iter().any(|text| text == "`off`") {
        return Some(String::from(
            "a reward reads like `CNY 5.00 off` or `15% off, cap CNY 20.00`",
        ));
    }
    None
}

fn to_snake_case(text: &str) -> String {
    let mut out = String::new();
    for (index, ch) in text.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if index > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn describe_rule(rule: Rule) -> &'static str {
    match rule {
        Rule::item | Rule::item_only | Rule::file => {
            "a declaration (`scene`, `category`, `region`, `segment`, `fund`, `policy`, `template`, `campaign` or `test`)"
        }
        Rule::scene_decl
        | Rule::category_decl
        | Rule::region_decl
        | Rule::segment_decl
        | Rule::fund_decl
        | Rule::policy_decl
        | Rule::template_decl
        | Rule::campaign_decl
        | Rule::test_decl
        | Rule::kw_scene
        | Rule::kw_category
        | Rule::kw_region
        | Rule::kw_segment
        | Rule::kw_fund
        | Rule::kw_policy
        | Rule::kw_campaign
        | Rule::kw_template
        | Rule::kw_test => {
            "a declaration (`scene`, `category`, `region`, `segment`, `fund`, `policy`, `template`, `campaign` or `test`)"
        }
        Rule::EOI => "the end of the item",
        Rule::doc => "a doc comment",
        Rule::ident => "a name",
        Rule::entry
        | Rule::reward_field
        | Rule::limit_field
        | Rule::window_field
        | Rule::guard_field
        | Rule::stacking_field
        | Rule::throughput_field
        | Rule::throughput_key
        | Rule::approvals_field
        | Rule::rollout_block
        | Rule::generic_field
        | Rule::kw_reward
        | Rule::kw_limit
        | Rule::kw_window
        | Rule::kw_guard
        | Rule::kw_stacking
        | Rule::kw_approvals
        | Rule::kw_rollout => "a field",
        Rule::body => "`{`",
        Rule::from_clause | Rule::kw_from => "`from`",
        Rule::arguments | Rule::parameters => "`(`",
        Rule::argument | Rule::parameter => "a parameter",
        Rule::param_type | Rule::list_type | Rule::type_name => {
            "a parameter type like `Money` or `[Region]`"
        }
        Rule::kw_in => "`in`",
        Rule::reward_form | Rule::amount_off => "a reward like `CNY 5.00 off` or `15% off`",
        Rule::random_reward | Rule::kw_random => "`random`",
        Rule::tiers_reward | Rule::kw_tiers => "`tiers`",
        Rule::tier | Rule::kw_spend => "a tier like `spend CNY 100.00 => CNY 10.00 off`",
        Rule::reward_option
        | Rule::cap_option
        | Rule::min_spend_option
        | Rule::kw_cap
        | Rule::kw_min_spend => "`cap` or `min_spend`",
        Rule::kw_off => "`off`",
        Rule::kw_to => "`to`",
        Rule::kw_per => "`per`",
        Rule::kw_halt => "`halt`",
        Rule::kw_when => "`when`",
        Rule::kw_exclusive | Rule::kw_stacks_with => "`exclusive` or `stacks_with [...]`",
        Rule::kw_up_to => "`up_to`",
        Rule::stage | Rule::kw_stage => "a stage like `stage 1% for 2h`",
        Rule::stage_segment => "`segment`",
        Rule::kw_for => "`for`",
        Rule::special_key => "a field",
        Rule::clause => "a value",
        Rule::pay | Rule::kw_pay => {
            "a payment like `pay CNY 100.00 at merchant_purchase => CNY 10.00 off`"
        }
        Rule::pay_attribute => "`category`, `region` or `segment`",
        Rule::outcome | Rule::no_discount => "an outcome like `CNY 10.00 off` or `no discount`",
        Rule::kw_at => "`at`",
        Rule::kw_no => "`no`",
        Rule::kw_discount => "`discount`",
        Rule::list => "a list `[…]`",
        Rule::atom => "a value",
        Rule::money | Rule::currency => "an amount like `CNY 10.00`",
        Rule::rate => "a rate like `15%`",
        Rule::duration | Rule::duration_unit => "a duration like `30min`",
        Rule::number | Rule::digits => "a number",
        Rule::instant | Rule::date | Rule::time => "a date and time like `2025-01-20 00:00`",
        Rule::zone | Rule::offset | Rule::zone_name => {
            "a time zone like `Asia/Shanghai` or `+08:00`"
        }
        Rule::string | Rule::string_text => "a string",
        Rule::upper_word => "a code like `CNY`",
        _ => "a value",
    }
}

// ------------------------------------------------------------------ lowering

/// The text of a `///` line: without the slashes, one leading space and `\r`.
fn doc_line(doc: &Pair<'_, Rule>) -> String {
    let text = doc.as_str().trim_start_matches("///");
    let text = text.strip_prefix(' ').unwrap_or(text);
    text.trim_end_matches('\r').to_string()
}

/// The length of `text` without trailing white space and `//` comments.
fn content_len(text: &str) -> usize {
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

struct Lowerer {
    file: FileId,
    base: usize,
    errors: Vec<CampError>,
}

impl Lowerer {
    /// The pair's span without trailing white space and comments: pest
    /// counts the white space skipped before an optional part that did not
    /// match (`value = { clause ~ ("," ~ clause)* }`) as part of the pair,
    /// and a label must end where the written text ends.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        let end = span.start() + content_len(pair.as_str());
        Span::new(self.file, self.base + span.start(), self.base + end)
    }

    fn unexpected(&mut self, pair: &Pair<'_, Rule>) {
        self.errors.push(CampError::Syntax {
            span: self.span(pair),
            expected: vec![String::from("something else")],
            found: pair.as_str().chars().take(40).collect(),
            hint: None,
        });
    }

    /// The span of a token (an atomic rule): it never holds trailing
    /// white space, so no trimming is needed.
    fn token_span(&self, pair: &Pair<'_, Rule>) -> Span {
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
        if RESERVED.contains(&ident.text.as_str()) {
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
    fn child<'i>(&self, pair: &Pair<'i, Rule>, rule: Rule) -> Option<Pair<'i, Rule>> {
        pair.clone()
            .into_inner()
            .find(|inner| inner.as_rule() == rule)
    }

    /// The inner pairs of the given rule, for slice patterns.
    fn children<'i>(&self, pair: &Pair<'i, Rule>, rule: Rule) -> Vec<Pair<'i, Rule>> {
        self.each(pair, rule).collect()
    }

    /// The inner pairs of the given rule, without collecting them.
    fn each<'i>(
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

    fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let docs = self.docs(&pair);
        let decl = pair
            .clone()
            .into_inner()
            .find(|inner| inner.as_rule() != Rule::doc)?;
        let span = self.span(&decl);
        let kind = match decl.as_rule() {
            Rule::scene_decl => self.schema(&decl, SchemaKind::Scene)?,
            Rule::category_decl => self.schema(&decl, SchemaKind::Category)?,
            Rule::region_decl => self.schema(&decl, SchemaKind::Region)?,
            Rule::segment_decl => self.schema(&decl, SchemaKind::Segment)?,
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
                _ => (ty_inner, false),
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
        let campaign = self.ident(&self.child(decl, Rule::ident)?);
        let mut payments = Vec::new();
        for pay in self.each(decl, Rule::pay) {
            let amount = self.atom(&self.child(&pay, Rule::atom)?);
            let scene = self.ident(&self.child(&pay, Rule::ident)?);
            let mut attributes = Vec::new();
            for attribute in self.each(&pay, Rule::pay_attribute) {
                let mut inner = attribute.clone().into_inner();
                let keyword = inner.next()?;
                let value = inner.next()?;
                let kind = match keyword.as_rule() {
                    Rule::kw_category => SchemaKind::Category,
                    Rule::kw_region => SchemaKind::Region,
                    _ => SchemaKind::Segment,
                };
                attributes.push((kind, self.ident(&value)));
            }
            let outcome = self.child(&pay, Rule::outcome)?;
            let expected = self
                .child(&outcome, Rule::atom)
                .map(|atom| self.atom(&atom));
            payments.push(PaySyntax {
                amount,
                scene,
                attributes,
                expected,
                span: self.span(&pay),
            });
        }
        Some(ItemKind::Test(TestDecl { campaign, payments }))
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
                EntryValue::Limit(Box::new(LimitSyntax { amount, per }))
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

    fn reward(&mut self, field: &Pair<'_, Rule>) -> Option<RewardSyntax> {
        let form_pair = self.child(field, Rule::reward_form)?.into_inner().next()?;
        let form = match form_pair.as_rule() {
            Rule::amount_off => {
                RewardFormSyntax::Off(self.atom(&self.child(&form_pair, Rule::atom)?))
            }
            Rule::random_reward => {
                let atoms = self.children(&form_pair, Rule::atom);
                let [low, high] = atoms.as_slice() else {
                    self.unexpected(&form_pair);
                    return None;
                };
                RewardFormSyntax::Random {
                    low: self.atom(low),
                    high: self.atom(high),
                    span: self.span(&form_pair),
                }
            }
            _ => {
                let mut tiers = Vec::new();
                for tier in self.each(&form_pair, Rule::tier) {
                    let atoms = self.children(&tier, Rule::atom);
                    let [spend, reward] = atoms.as_slice() else {
                        self.unexpected(&tier);
                        continue;
                    };
                    tiers.push(TierSyntax {
                        spend: self.atom(spend),
                        reward: self.atom(reward),
                        span: self.span(&tier),
                    });
                }
                RewardFormSyntax::Tiers {
                    tiers,
                    span: self.span(&form_pair),
                }
            }
        };
        let mut options = Vec::new();
        for option in self.each(field, Rule::reward_option) {
            let Some(inner) = option.into_inner().next() else {
                continue;
            };
            let kind = if inner.as_rule() == Rule::cap_option {
                RewardOptionKind::Cap
            } else {
                RewardOptionKind::MinSpend
            };
            let mut parts = inner.into_inner();
            let (Some(keyword), Some(value)) = (parts.next(), parts.next()) else {
                continue;
            };
            options.push(RewardOption {
                kind,
                keyword: self.span(&keyword),
                value: self.atom(&value),
            });
        }
        Some(RewardSyntax { form, options })
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

    fn atom(&mut self, pair: &Pair<'_, Rule>) -> Atom {
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
        let kind = match inner.as_rule() {
            Rule::money => self.money(&inner),
            Rule::rate => match self
                .child(&inner, Rule::number)
                .map(|number| self.number(&number, TooLarge::Rate))
            {
                Some(Some((value, _))) => AtomKind::Rate(value),
                _ => AtomKind::Invalid,
            },
            Rule::duration => {
                let digits = self.child(&inner, Rule::digits);
                let unit = self.child(&inner, Rule::duration_unit);
                match (digits, unit) {
                    (Some(digits), Some(unit)) => {
                        let text: String =
                            digits.as_str().chars().filter(|ch| *ch != '_').collect();
                        let unit = match unit.as_str() {
                            "s" => DurationUnit::Seconds,
                            "min" => DurationUnit::Minutes,
                            "h" => DurationUnit::Hours,
                            _ => DurationUnit::Days,
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
                    _ => AtomKind::Invalid,
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
            Rule::ident => match inner.as_str() {
                "any" => AtomKind::Any,
                "true" => AtomKind::Bool(true),
                "false" => AtomKind::Bool(false),
                name => AtomKind::Name(name.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParseOutput {
        parse_file(FileId(0), text)
    }

    #[test]
    fn a_broken_item_does_not_hide_the_others() {
        let output = parse("scene a\ncampaign b {\n  title: \n}\nscene c\n");
        assert_eq!(output.file.items.len(), 2);
        assert_eq!(output.errors.len(), 1);
    }

    #[test]
    fn money_keeps_its_written_scale() {
        let output = parse("fund f { max_per_use: CNY 2_000.00 }");
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        let Some(Item {
            kind: ItemKind::Fund(fund),
            ..
        }) = output.file.items.first()
        else {
            unreachable!("not a fund");
        };
        let Some(EntryValue::Generic(clauses)) =
            fund.body.entries.first().map(|entry| &entry.value)
        else {
            unreachable!("not generic");
        };
        let Some(Term::Atom(Atom {
            kind: AtomKind::Money { amount, scale, .. },
            ..
        })) = clauses.first().and_then(|clause| clause.terms.first())
        else {
            unreachable!("not money");
        };
        assert_eq!(amount.to_string(), "2000.00");
        assert_eq!(*scale, 2);
    }

    #[test]
    fn spans_end_where_the_written_text_ends() {
        let text = "fund f {\n  payer: platform   // who pays\n  scenes: [a]\n}\nscene s\n\n";
        let output = parse(text);
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        let spans: Vec<&str> = output
            .file
            .items
            .iter()
            .flat_map(|item| match &item.kind {
                ItemKind::Fund(fund) => fund.body.entries.iter().map(|entry| entry.span).collect(),
                _ => vec![item.span],
            })
            .map(|span| text.get(span.range()).unwrap_or(""))
            .collect();
        assert_eq!(spans, vec!["payer: platform", "scenes: [a]", "scene s"]);
    }

    #[test]
    fn a_missing_colon_is_reported_after_the_field_name() {
        let output = parse("campaign c {\n  budget = CNY 1.00\n}\n");
        match output.errors.as_slice() {
            [
                CampError::Syntax {
                    expected, found, ..
                },
            ] => {
                assert_eq!(found, "=");
                assert_eq!(expected, &vec![String::from("`:`")]);
            }
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn an_unclosed_brace_names_its_item() {
        let output = parse("campaign c {\n  title: \"t\"\n\ncampaign d {\n}\n");
        match output.errors.as_slice() {
            [CampError::Syntax { span, hint, .. }] => {
                assert_eq!(span.start as usize, "campaign c {\n  title: \"t\"".len());
                assert_eq!(
                    hint.as_deref(),
                    Some("`campaign c {` is not closed; add the matching `}`")
                );
            }
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn numbers_in_other_notations_say_what_to_write() {
        let cases = [
            ("0x10", Notation::Hexadecimal, Some("16")),
            ("0xZZ", Notation::Hexadecimal, None),
            ("0o17", Notation::Octal, Some("15")),
            ("0b101", Notation::Binary, Some("5")),
            ("3e6", Notation::Exponent, Some("3_000_000")),
            ("1.5E+3", Notation::Exponent, Some("1_500")),
            ("1e-2", Notation::Exponent, Some("0.01")),
            ("1e999", Notation::Exponent, None),
        ];
        for (number, expected, value) in cases {
            let output = parse(&format!("campaign c {{\n  limit: {number} per user\n}}\n"));
            match output.errors.as_slice() {
                [
                    CampError::NumberNotation {
                        text,
                        notation,
                        decimal,
                        ..
                    },
                ] => {
                    assert_eq!(text, number);
                    assert_eq!(*notation, expected, "{number}");
                    assert_eq!(decimal.as_deref(), value, "{number}");
                }
                other => unreachable!("{number}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_doc_comment_with_nothing_to_document_is_reported_at_itself() {
        let cases = [
            ("/// dangling\n", "/// dangling"),
            ("// header\n\n/// a\n/// b\n\n// x\n", "/// a\n/// b"),
            ("scene a\n/// dangling\n\n", "/// dangling"),
            ("scene a\r/// dangling\r", "/// dangling"),
            ("scene a {\n  /// doc\n  // plain\n}\n", "/// doc"),
        ];
        for (text, doc) in cases {
            let output = parse(text);
            match output.errors.as_slice() {
                [CampError::DanglingDoc { span }] => {
                    assert_eq!(text.get(span.range()), Some(doc), "{text:?}");
                }
                other => unreachable!("{text:?}: {other:?}"),
            }
        }
        // A doc comment before a declaration that does not parse is not
        // the problem.
        let output = parse("/// doc\ncampaing c {}\n");
        assert!(matches!(
            output.errors.as_slice(),
            [CampError::Syntax { .. }]
        ));
    }

    #[test]
    fn a_currency_code_not_in_capitals_is_named() {
        for text in [
            "campaign c {\n  reward: cny 5.00 off\n}\n",
            "campaign c {\n  limit: Cny 5.00 per user\n}\n",
            "campaign c {\n  reward: tiers { spend cny 100.00 => CNY 1.00 off }\n}\n",
        ] {
            assert!(
                matches!(
                    output_errors(text).as_slice(),
                    [CampError::LowercaseCurrency { written, .. }] if written.eq_ignore_ascii_case("cny")
                ),
                "{text:?}: {:?}",
                output_errors(text)
            );
        }
        // A name that is not a currency stays a plain syntax error, and so
        // does a currency-like word in a string or a comment.
        for text in [
            "campaign c {\n  limit: abc 5 per user\n}\n",
            "campaign c {\n  limit: x 5 \"cny 5\" // cny 5\n}\n",
        ] {
            assert!(
                matches!(output_errors(text).as_slice(), [CampError::Syntax { .. }]),
                "{text:?}"
            );
        }
    }

    fn output_errors(text: &str) -> Vec<CampError> {
        parse(text).errors
    }

    #[test]
    fn escapes_quote_only_themselves() {
        let cases = [
            ("\\u{D800}abc def", "\\u{D800}", EscapeProblem::Surrogate),
            ("\\u{110000}", "\\u{110000}", EscapeProblem::AboveUnicode),
            ("\\u{12 x", "\\u{12", EscapeProblem::Malformed),
            ("\\u12", "\\u", EscapeProblem::Malformed),
            ("\\u{}", "\\u{}", EscapeProblem::Malformed),
            ("\\q", "\\q", EscapeProblem::Unknown),
        ];
        for (written, quoted, expected) in cases {
            let text = format!("scene s {{ code: \"{written}\" }}");
            match output_errors(&text).as_slice() {
                [
                    CampError::InvalidEscape {
                        escape, problem, ..
                    },
                ] => {
                    assert_eq!(escape, quoted);
                    assert_eq!(*problem, expected, "{written}");
                }
                other => unreachable!("{written}: {other:?}"),
            }
        }
    }

    #[test]
    fn overflowing_numbers_are_errors_not_panics() {
        let output = parse("campaign c { budget: CNY 99999999999999999999999999999.00 }");
        assert!(
            output
                .errors
                .iter()
                .any(|error| matches!(error, CampError::NumberTooLarge { .. }))
        );
    }
}

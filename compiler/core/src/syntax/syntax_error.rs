//! A pest parsing error, translated into the syntax error an author reads:
//! where it is, what was found, what was expected in words, and a hint
//! when the cause is known.

use std::sync::LazyLock;

use camp_lang::keyword::Item;
use rust_decimal::Decimal;

use super::lower::content_len;
use super::parser::Rule;
use super::regions::{Region, regions};
use crate::check::model::group_digits;
use crate::error::{CampError, Notation};
use crate::reward::match_reward_rules;
use crate::source::{FileId, Span};

pub(super) fn syntax_error(
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

pub(super) fn hint_for(found: &str, expected: &[String]) -> Option<String> {
    let wants_name = expected.iter().any(|text| text == "a name");
    if wants_name && camp_lang::keyword::is_reserved(found) {
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
    if expected
        .iter()
        .any(|text| text == "`off`" || text == "`off` or `back`")
    {
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

/// "a declaration (`scene`, … or `test`)": every item keyword.
static DECLARATION: LazyLock<String> =
    LazyLock::new(|| format!("a declaration ({})", one_of(&Item::ALL)));

/// "`a`, `b` or `c`".
fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|word| format!("`{word}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What a rule of the grammar is, in the words of a syntax error's
/// "expected …". Exhaustive on purpose, with no catch-all arm: a rule added
/// to `grammar/camp.pest` fails to compile here, which is the reminder to
/// describe it and to lower it (`lower.rs`).
///
/// The rules only a reward uses are described with the rest of a reward's
/// syntax: `match_reward_rules!` (`crate::reward`) adds their arms.
fn describe_rule(rule: Rule) -> &'static str {
    match_reward_rules!(rule, {
        Rule::item | Rule::item_only | Rule::file => &DECLARATION,
        Rule::scene_decl
        | Rule::category_decl
        | Rule::region_decl
        | Rule::segment_decl
        | Rule::merchant_group_decl
        | Rule::instrument_decl
        | Rule::fund_decl
        | Rule::policy_decl
        | Rule::template_decl
        | Rule::campaign_decl
        | Rule::test_decl
        | Rule::pool_decl
        | Rule::kw_pool
        | Rule::kw_scene
        | Rule::kw_category
        | Rule::kw_region
        | Rule::kw_segment
        | Rule::kw_merchant_group
        | Rule::kw_instrument
        | Rule::kw_fund
        | Rule::kw_policy
        | Rule::kw_campaign
        | Rule::kw_template
        | Rule::kw_test => &DECLARATION,
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
        | Rule::claim_block
        | Rule::generic_field
        | Rule::kw_reward
        | Rule::kw_limit
        | Rule::kw_window
        | Rule::kw_guard
        | Rule::kw_stacking
        | Rule::kw_approvals
        | Rule::kw_rollout
        | Rule::hours_field
        | Rule::kw_hours => "a field",
        Rule::clock => "a time of day like `10:00`",
        Rule::kw_total => "`total`",
        Rule::body => "`{`",
        Rule::from_clause | Rule::kw_from => "`from`",
        Rule::arguments | Rule::parameters => "`(`",
        Rule::argument | Rule::parameter => "a parameter",
        Rule::param_type | Rule::list_type | Rule::type_name => {
            "a parameter type like `Money` or `[Region]`"
        }
        Rule::kw_in => "`in`",
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
        Rule::payment_only => "a payment like `CNY 100.00 at merchant_purchase, user alice`",
        Rule::claim_only => "a claim like `spring_coupon, user alice`",
        Rule::pay | Rule::kw_pay => {
            "a payment like `pay CNY 100.00 at merchant_purchase => CNY 10.00 off`"
        }
        Rule::pay_attribute
        | Rule::kw_group
        | Rule::kw_merchant
        | Rule::kw_user
        | Rule::kw_device
        | Rule::kw_id
        | Rule::kw_card
        | Rule::kw_ip
        | Rule::kw_time => {
            "an attribute like `category home_appliance`, `user alice` or `time 2025-02-03 10:30`"
        }
        Rule::outcome | Rule::discount | Rule::no_discount | Rule::refused_replay => {
            "an outcome like `CNY 10.00 off`, `no discount: limit` or `refused: conflicting replay`"
        }
        Rule::paid_by => "`from [campaign, …]`",
        Rule::kw_back => "`back`",
        Rule::kw_refused => "`refused`",
        Rule::kw_conflicting => "`conflicting`",
        Rule::kw_replay => "`replay`",
        Rule::claim_line | Rule::kw_claim => {
            "a claim like `claim coupon_2028, user bob => claimed`"
        }
        Rule::claim_outcome | Rule::kw_claimed => {
            "`claimed` or `refused: inventory`, `refused: per_user` or `refused: window`"
        }
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
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::ident_char
        | Rule::line_end
        | Rule::term
        | Rule::value => "a value",
    })
}

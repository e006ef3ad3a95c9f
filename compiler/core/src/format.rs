//! `campc fmt`: one layout for every repository.
//!
//! The formatter keeps the author's line breaks and every comment, and
//! makes everything else canonical:
//!
//! - indentation is two spaces per open `{`, `[` or `(`;
//! - inside a line, one space between tokens, none before `,` `:` `)` `]`
//!   or after `(` `[`, one after a field's `:` and after `,`, one around
//!   `=>`, one before `{`, two before a trailing `//` comment;
//! - a line that continues the one before (after a trailing `,` outside
//!   brackets) is indented one more step;
//! - no trailing white space, at most one blank line in a row, none just
//!   inside braces, one after a multi-line item, one final newline;
//! - every line ends as the file's first line does: `\r\n` (CRLF) or
//!   `\n` (LF). A file keeps its line-ending style; a file that mixes them
//!   gets its first line's.
//!
//! It only ever changes white space outside strings and comments, so it
//! cannot change what a program means; a test formats every example and
//! fixture and checks that their diagnostics and IR are unchanged, and that
//! formatting twice changes nothing. A file that does not parse is left
//! alone.

use std::sync::Arc;

use camp_lang::keyword::Item;

use crate::diagnostic::{Diagnostic, sort_and_dedup};
use crate::error::CampError;
use crate::package::{decode_source, lossy_text};
use crate::source::{FileId, SourceMap};
use crate::syntax::parse_file;
use crate::syntax::regions::{Region, regions};

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The file has syntax or lexical errors; fix them first.
    DoesNotParse,
}

/// Text that was not formatted: its errors (not UTF-8, or syntax and
/// lexical errors), in a map of its one file.
#[derive(Debug)]
pub struct Unparsed {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

/// Formats one file given as bytes (`campc fmt -`), named `path` in
/// messages and `relative_path` in its package. Bytes that are not UTF-8
/// or do not parse are not formatted: the errors say why, as `campc
/// check` would.
pub fn format_bytes(path: &str, relative_path: &str, bytes: &[u8]) -> Result<String, Unparsed> {
    let file = FileId(0);
    let (text, errors) = match decode_source(file, bytes) {
        Ok(text) => {
            let errors = parse_file(file, &text).errors;
            (text, errors)
        }
        Err(error @ CampError::FileTooLarge { .. }) => (String::new(), vec![error]),
        Err(error) => (lossy_text(bytes), vec![error]),
    };
    if errors.is_empty() {
        return Ok(layout(&text));
    }
    let mut sources = SourceMap::new();
    sources.add(path.to_string(), relative_path.to_string(), Arc::from(text));
    let mut diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(CampError::into_diagnostic).collect();
    sort_and_dedup(&mut diagnostics, &sources);
    Err(Unparsed {
        diagnostics,
        sources,
    })
}

/// Formats a whole file.
pub fn format(text: &str) -> Result<String, FormatError> {
    if !parse_file(FileId(0), text).errors.is_empty() {
        return Err(FormatError::DoesNotParse);
    }
    Ok(layout(text))
}

/// The layout of a file that parses.
fn layout(text: &str) -> String {
    let newline = line_ending(text);
    let bom = text.starts_with('\u{FEFF}');
    let text = text.trim_start_matches('\u{FEFF}');
    let mut out: Vec<String> = Vec::new();
    // The open brackets, innermost last.
    let mut open: Vec<char> = Vec::new();
    // Whether the previous line of code continues on this one (it ended
    // with `,` and opened no bracket), and whether it closed a top-level
    // block.
    let mut continues = false;
    let mut closed_item = false;
    // Lines end where the compiler's do: a lone `\r` ends one too.
    for raw in crate::source::lines(text) {
        let line = raw.trim();
        if line.is_empty() {
            // At most one blank line, and none right after an opening brace.
            let after_open = out.last().is_some_and(|previous| {
                previous.ends_with('{') || previous.ends_with('[') || previous.ends_with('(')
            });
            if !out.is_empty()
                && !after_open
                && out.last().is_some_and(|previous| !previous.is_empty())
            {
                out.push(String::new());
            }
            continue;
        }
        let (code, comment) = split_comment(line);
        let code = space_tokens(code);
        let closes_first = code.starts_with(['}', ']', ')']);
        if closes_first {
            // No blank line right before a closing brace.
            while out.last().is_some_and(String::is_empty) {
                out.pop();
            }
        }
        let depth = open.len();
        let indent = depth.saturating_sub(usize::from(closes_first))
            + usize::from(continues && !closes_first);
        // A blank line after a multi-line item, before the next one.
        if indent == 0
            && closed_item
            && starts_item(&code, comment)
            && out.last().is_some_and(|previous| !previous.is_empty())
        {
            out.push(String::new());
        }
        closed_item = false;
        let mut formatted = "  ".repeat(indent);
        formatted.push_str(&code);
        if let Some(comment) = comment {
            if !code.is_empty() {
                formatted.push_str("  ");
            }
            formatted.push_str(comment.trim_end());
        }
        out.push(formatted);
        if !code.is_empty() {
            track_brackets(&mut open, &code);
            // A trailing `,` continues a statement in a block, but only
            // separates items inside `(…)` and `[…]`.
            continues = code.ends_with(',')
                && open.len() <= depth
                && matches!(open.last(), None | Some('{'));
            closed_item = open.is_empty() && depth > 0;
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    let mut result = if bom {
        String::from("\u{FEFF}")
    } else {
        String::new()
    };
    for line in &out {
        result.push_str(line);
        result.push_str(newline);
    }
    result
}

/// The file's line ending: its first line's, `\n` for a one-line file.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(end) if text.get(..end).is_some_and(|line| line.ends_with('\r')) => "\r\n",
        _ => "\n",
    }
}

fn starts_item(code: &str, comment: Option<&str>) -> bool {
    if code.is_empty() {
        // A doc or plain comment at the top level starts the next item's block.
        return comment.is_some();
    }
    Item::ALL.iter().any(|keyword| {
        code.strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with('{'))
    })
}

/// Updates the open brackets with one line of code (strings skipped).
fn track_brackets(open: &mut Vec<char>, code: &str) {
    for (_, ch, region) in regions(code) {
        if region == Region::Code {
            match ch {
                '{' | '[' | '(' => open.push(ch),
                '}' | ']' | ')' => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
}

/// Splits a trimmed line into code and its `//` comment, if any.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    match regions(line).find(|(_, _, region)| *region == Region::Comment) {
        Some((offset, _, _)) => (
            line.get(..offset).unwrap_or("").trim_end(),
            line.get(offset..),
        ),
        None => (line, None),
    }
}

/// Canonical spacing of one line of code (no comment, already trimmed).
fn space_tokens(code: &str) -> String {
    // Code pieces and strings, in order; strings are kept as they are.
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for (_, ch, region) in regions(code) {
        let is_string = region == Region::String;
        match pieces.last_mut() {
            Some((string, text)) if *string == is_string => text.push(ch),
            _ => pieces.push((is_string, ch.to_string())),
        }
    }
    let mut out = String::with_capacity(code.len());
    for (is_string, text) in pieces {
        if is_string {
            // A string right after `title:` or `,` gets its space, and so
            // does one after a word (`test "festival"`, `ip "10.0.0.1"`).
            if out.ends_with([':', ',', '>', '{'])
                || out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            {
                out.push(' ');
            }
            out.push_str(&text);
        } else {
            space_code(&text, &mut out);
        }
    }
    out.trim_end().to_string()
}

fn space_code(code: &str, out: &mut String) {
    let chars: Vec<char> = code.chars().collect();
    let mut index = 0;
    while let Some(&ch) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        let previous = out.chars().last();
        match ch {
            ' ' | '\t' => {
                // One space, unless what follows refuses one.
                let following = chars
                    .get(index..)
                    .unwrap_or(&[])
                    .iter()
                    .find(|c| !matches!(c, ' ' | '\t'))
                    .copied();
                let refuses = matches!(following, Some(',' | ')' | ']' | ':' | ';') | None);
                if !refuses && previous.is_some_and(|p| !matches!(p, ' ' | '(' | '[')) {
                    out.push(' ');
                }
            }
            ',' | ';' => {
                trim_space(out);
                out.push(ch);
                if next.is_some_and(|n| !matches!(n, ' ' | '\t' | ')' | ']')) {
                    out.push(' ');
                }
            }
            ':' => {
                // A field or parameter colon (after a name), not a time's.
                let after_name =
                    previous.is_some_and(|p| p.is_ascii_alphabetic() || p == '_' || p == ' ');
                if after_name {
                    trim_space(out);
                    out.push(':');
                    if next.is_some_and(|n| !matches!(n, ' ' | '\t')) {
                        out.push(' ');
                    }
                } else {
                    out.push(':');
                }
            }
            '=' if next == Some('>') => {
                if previous.is_some_and(|p| p != ' ') {
                    out.push(' ');
                }
                out.push_str("=>");
                index += 1;
                if chars
                    .get(index + 1)
                    .is_some_and(|n| !matches!(n, ' ' | '\t'))
                {
                    out.push(' ');
                }
            }
            '>' => {
                if previous.is_some_and(|p| p != ' ') {
                    out.push(' ');
                }
                out.push('>');
                if next.is_some_and(|n| !matches!(n, ' ' | '\t')) {
                    out.push(' ');
                }
            }
            '.' if next == Some('.') => {
                // A range: `5%..20%`, no spaces.
                trim_space(out);
                out.push_str("..");
                index += 1;
                while chars
                    .get(index + 1)
                    .is_some_and(|n| matches!(n, ' ' | '\t'))
                {
                    index += 1;
                }
            }
            '{' => {
                if previous.is_some_and(|p| p != ' ') {
                    out.push(' ');
                }
                out.push('{');
                if next.is_some_and(|n| !matches!(n, ' ' | '\t' | '}')) {
                    out.push(' ');
                }
            }
            '}' => {
                if previous.is_some_and(|p| !matches!(p, ' ' | '{')) {
                    out.push(' ');
                }
                out.push('}');
            }
            '(' | '[' => {
                out.push(ch);
                // No space after an opening bracket.
                while chars
                    .get(index + 1)
                    .is_some_and(|n| matches!(n, ' ' | '\t'))
                {
                    index += 1;
                }
            }
            ')' | ']' => {
                trim_space(out);
                out.push(ch);
            }
            _ => out.push(ch),
        }
        index += 1;
    }
}

fn trim_space(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messy_text_gets_one_layout_and_keeps_comments() {
        let messy = "\n\n/// A scene.\nscene   a{money_movement:true}\nscene b\ncampaign c{\n\n      title:\"春  节\"   // keep  me\n  scenes:[ a ,b ]\n  window: 2025-01-20 00:00   to 2025-03-31 23:59 +08:00\n\n\n  reward:tiers{spend CNY 100.00=>CNY 10.00 off;spend CNY 300.00 =>  CNY 40.00 off}\n\n}\n";
        let formatted = format(messy).unwrap_or_default();
        assert_eq!(
            formatted,
            "/// A scene.\nscene a { money_movement: true }\nscene b\ncampaign c {\n  title: \"春  节\"  // keep  me\n  scenes: [a, b]\n  window: 2025-01-20 00:00 to 2025-03-31 23:59 +08:00\n\n  reward: tiers { spend CNY 100.00 => CNY 10.00 off; spend CNY 300.00 => CNY 40.00 off }\n}\n"
        );
        assert_eq!(format(&formatted).as_deref(), Ok(formatted.as_str()));
    }

    #[test]
    fn a_pool_and_a_campaigns_pool_get_the_one_layout() {
        let messy =
            "pool   p {\nfund:   f\n    budget: CNY 1.00 ,HKD 2.00\n}\ncampaign c{\n pool:p\n}\n";
        let formatted = format(messy).unwrap_or_default();
        assert_eq!(
            formatted,
            "pool p {\n  fund: f\n  budget: CNY 1.00, HKD 2.00\n}\n\ncampaign c {\n  pool: p\n}\n"
        );
        assert_eq!(format(&formatted).as_deref(), Ok(formatted.as_str()));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_for_the_compiler() {
        // The code after the comment and the `\r` stays code, on its line.
        assert_eq!(
            format("scene a // note\rscene b\r").as_deref(),
            Ok("scene a  // note\nscene b\n")
        );
    }

    #[test]
    fn a_crlf_file_stays_crlf_and_an_lf_file_stays_lf() {
        let crlf = "scene   a{money_movement:true}\r\n\r\n\r\n   scene b   // the second\r\n";
        let formatted = format(crlf).unwrap_or_default();
        assert_eq!(
            formatted,
            "scene a { money_movement: true }\r\n\r\nscene b  // the second\r\n"
        );
        assert_eq!(format(&formatted).as_deref(), Ok(formatted.as_str()));
        let lf = crlf.replace("\r\n", "\n");
        assert_eq!(
            format(&lf).unwrap_or_default(),
            formatted.replace("\r\n", "\n")
        );
        // A mixed file takes its first line's ending.
        assert_eq!(
            format("scene a\nscene b\r\n").as_deref(),
            Ok("scene a\nscene b\n")
        );
        assert_eq!(
            format("scene a\r\nscene b\n").as_deref(),
            Ok("scene a\r\nscene b\r\n")
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_alone() {
        assert_eq!(
            format("campaign c {\n  title: \n"),
            Err(FormatError::DoesNotParse)
        );
    }
}

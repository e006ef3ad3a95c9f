//! Splitting a file into top-level items before parsing.
//!
//! Parsing never fails outright: the file is cut into chunks, one per
//! top-level item, and each chunk is parsed on its own. A chunk starts at a
//! line whose first word is an item keyword (`campaign x`, `fund y {`,
//! `policy {`, …, never `fund:`), when that line is at brace depth zero or
//! starts in column one; the `///` lines just above it belong to it. An
//! unclosed `{` therefore swallows at most the indented lines after it, and
//! the next item written at the start of a line is parsed again.

use camp_lang::keyword::Item;

use super::regions::{Region, regions};

/// Byte ranges of the chunks, in order, covering the whole text.
pub fn split_items(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = vec![0usize];
    let mut depth: i64 = 0;
    let mut doc_run_start: Option<usize> = None;
    let mut line_start = 0usize;
    // Where the braces are, found in one pass over the text: most lines
    // have none, and need no look for them.
    let mut braces = memchr::memchr2_iter(b'{', b'}', text.as_bytes()).peekable();

    for line in crate::source::split_lines_inclusive(text) {
        let trimmed = trim_indentation(line);
        let indented = trimmed.len() != line.len() && !line.starts_with('\u{FEFF}');
        if trimmed.starts_with("///") && !trimmed.starts_with("////") {
            if (depth <= 0 || !indented) && doc_run_start.is_none() {
                doc_run_start = Some(line_start);
            }
        } else if (depth <= 0 || !indented) && is_item_start(trimmed) {
            let start = doc_run_start.unwrap_or(line_start);
            if start > 0 {
                starts.push(start);
            }
            depth = 0;
            doc_run_start = None;
        } else if !trimmed.trim().is_empty() && !trimmed.starts_with("//") {
            // A plain comment (a suppression, a note) between the doc
            // comments and their item keeps them together.
            doc_run_start = None;
        }
        let line_end = line_start + line.len();
        if braces.next_if(|&at| at < line_end).is_some() {
            while braces.next_if(|&at| at < line_end).is_some() {}
            depth += brace_balance(line);
        }
        line_start = line_end;
    }

    starts.dedup();
    let mut ranges = Vec::with_capacity(starts.len());
    for (index, start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        ranges.push(*start..end);
    }
    ranges
}

/// A line without the spaces, tabs and byte-order marks it starts with
/// (`trim_start_matches([' ', '\t', '\u{FEFF}'])`, byte by byte).
fn trim_indentation(line: &str) -> &str {
    let mut rest = line;
    loop {
        rest = match rest.as_bytes() {
            [b' ' | b'\t', ..] => rest.get(1..).unwrap_or(""),
            // U+FEFF in UTF-8.
            [0xEF, 0xBB, 0xBF, ..] => rest.get(3..).unwrap_or(""),
            _ => return rest,
        };
    }
}

/// Whether a line (without its indentation) begins a top-level item.
fn is_item_start(line: &str) -> bool {
    // The line's first word, whole: a keyword followed by a letter, a
    // digit or `_` is a longer word, never an item keyword.
    let word_len = line
        .bytes()
        .take_while(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'_')
        .count();
    let (Some(keyword), Some(rest)) = (line.get(..word_len), line.get(word_len..)) else {
        return false;
    };
    if Item::parse(keyword).is_none() {
        return false;
    }
    let rest_trimmed = rest.trim_start_matches([' ', '\t']);
    let separated = rest.len() != rest_trimmed.len();
    match rest_trimmed.chars().next() {
        // `policy {` and `scene x {`
        Some('{') => true,
        Some(':') | None => false,
        // `test "festival stacking" {`: a test named by a string.
        Some('"') => separated && keyword == "test",
        Some(next) => separated && (next.is_ascii_alphabetic() || next == '_'),
    }
}

/// The change in `{` depth over a line, ignoring strings and comments.
fn brace_balance(line: &str) -> i64 {
    if memchr::memchr2(b'{', b'}', line.as_bytes()).is_none() {
        return 0; // most lines
    }
    regions(line)
        .map(|(_, ch, region)| match (ch, region) {
            ('{', Region::Code) => 1,
            ('}', Region::Code) => -1,
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str) -> Vec<&str> {
        split_items(text)
            .into_iter()
            .map(|range| text.get(range).unwrap_or(""))
            .collect()
    }

    #[test]
    fn docs_belong_to_the_next_item() {
        let text = "// header\n/// A scene.\nscene a\nscene b { money_movement: true }\n";
        assert_eq!(
            chunks(text),
            vec![
                "// header\n",
                "/// A scene.\nscene a\n",
                "scene b { money_movement: true }\n"
            ]
        );
    }

    #[test]
    fn an_unclosed_brace_does_not_swallow_the_next_item() {
        let text = "campaign a {\n  fund: f\n  title: \"{\"\ncampaign b {\n}\n";
        let parts = chunks(text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts.get(1).copied(), Some("campaign b {\n}\n"));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "scene a\r// c\rscene b\r\ncampaign c {\r}\r";
        assert_eq!(
            chunks(text),
            vec!["scene a\r// c\r", "scene b\r\n", "campaign c {\r}\r"]
        );
    }

    #[test]
    fn a_test_named_by_a_string_starts_an_item() {
        let text = "test a {\n}\ntest \"whole package\" {\n}\n";
        assert_eq!(split_items(text).len(), 2);
        assert!(!is_item_start("title: \"test\""));
        assert!(!is_item_start("campaign \"x\""));
    }

    #[test]
    fn fields_named_like_keywords_do_not_start_items() {
        let text = "campaign a {\nfund: f\n  scene x\n}\n";
        assert_eq!(chunks(text).len(), 1);
    }
}

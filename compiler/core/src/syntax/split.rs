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
    let bytes = text.as_bytes();
    let mut starts = vec![0usize];
    let mut depth: i64 = 0;
    let mut doc_run_start: Option<usize> = None;
    let mut line_start = 0usize;
    // Where the braces and the line breaks are, each found in one pass
    // over the text: most lines have no brace, and need no look for one.
    let mut braces = memchr::memchr2_iter(b'{', b'}', bytes).peekable();
    let mut breaks = memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&at| crate::source::is_line_break(bytes, at));

    while line_start < bytes.len() {
        let line_end = breaks.next().map_or(bytes.len(), |at| at + 1);
        // An indented line inside a body, with no doc comment waiting for
        // its item, changes nothing but the depth: no item starts there,
        // and its doc comments belong to no item (most lines of a package).
        let quiet = depth > 0
            && doc_run_start.is_none()
            && matches!(bytes.get(line_start), Some(b' ' | b'\t'));
        if !quiet {
            let line = text.get(line_start..line_end).unwrap_or("");
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
        }
        if braces.next_if(|&at| at < line_end).is_some() {
            while braces.next_if(|&at| at < line_end).is_some() {}
            depth += brace_balance(text.get(line_start..line_end).unwrap_or(""));
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

/// Where a chunk names the campaign it declares (a byte range of the
/// chunk), when its item line, after doc comments, comments and blank
/// lines, begins `campaign NAME`; `None` for any other chunk. A guess from
/// the header alone: only parsing the chunk tells whether it is that
/// campaign (`check_package_deferred` compares the two).
pub(crate) fn campaign_name(chunk: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in crate::source::split_lines_inclusive(chunk) {
        let trimmed = trim_indentation(line);
        let content = trimmed.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() || content.starts_with("//") {
            offset += line.len();
            continue;
        }
        let rest = content.strip_prefix("campaign")?;
        let name = rest.trim_start_matches([' ', '\t']);
        let gap = rest.len() - name.len();
        let length = name
            .bytes()
            .take_while(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'_')
            .count();
        if gap == 0 || length == 0 || name.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let start = offset + (line.len() - trimmed.len()) + "campaign".len() + gap;
        return Some(start..start + length);
    }
    None
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

    fn split_items_line_by_line(text: &str) -> Vec<std::ops::Range<usize>> {
        let mut starts = vec![0usize];
        let mut depth: i64 = 0;
        let mut doc_run_start: Option<usize> = None;
        let mut line_start = 0usize;
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
                doc_run_start = None;
            }
            depth += brace_balance(line);
            line_start += line.len();
        }
        starts.dedup();
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        starts
            .iter()
            .zip(ends)
            .map(|(start, end)| *start..end)
            .collect()
    }

    /// The split reads each line as the plain line-by-line reading of its
    /// rules does (the reference above, which looks at every line in
    /// full), on every example and fixture and on generated texts mixing
    /// items, indented and unindented lines, doc comments, comments,
    /// braces in strings and every kind of line break.
    #[test]
    fn the_split_equals_the_line_by_line_reading() {
        let files = crate::syntax::example_and_fixture_files();
        assert!(files.len() > 100, "found only {} files", files.len());
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            assert_eq!(
                split_items(&text),
                split_items_line_by_line(&text),
                "{}",
                path.display()
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn the_split_equals_the_line_by_line_reading_on_any_text(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "campaign a {", "  fund: f", "}", "  }", "/// doc", "  /// doc",
                    "//// four", "// note", "", "   ", "\u{FEFF}scene s", "scene b { x: 1 }",
                    "  title: \"{\"", "policy {", "\tlimit: 1 per user", "fund: f",
                    "test \"t\" {", "  rollout {", "    stage 10%", "campaign c{",
                ]),
                0..24,
            ),
            breaks in proptest::collection::vec(
                proptest::sample::select(vec!["\n", "\r\n", "\r"]),
                24,
            ),
        ) {
            let mut text = String::new();
            for (line, end) in lines.iter().zip(&breaks) {
                text.push_str(line);
                text.push_str(end);
            }
            proptest::prop_assert_eq!(split_items(&text), split_items_line_by_line(&text));
        }
    }

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

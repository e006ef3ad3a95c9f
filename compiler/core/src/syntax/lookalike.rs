//! The lexical pre-scan: characters outside strings and comments that Camp
//! does not accept, above all the full-width and look-alike characters that
//! Chinese input methods produce (`２０％`, `：`, `，`, Cyrillic `а`).
//!
//! Each run of them becomes one error naming the characters and the ASCII to
//! type instead. The parser then skips its own error for an item that already
//! has one of these, so the author sees the cause, not its echo.

use super::regions::{Region, regions};
use crate::error::CampError;
use crate::source::{FileId, Span};

/// The ASCII a look-alike character stands for, with a short description.
fn ascii_for(ch: char) -> Option<(char, &'static str)> {
    let code = ch as u32;
    // Full-width forms of printable ASCII: U+FF01..U+FF5E.
    if (0xFF01..=0xFF5E).contains(&code) {
        let ascii = char::from_u32(code - 0xFEE0)?;
        let what = match ascii {
            '0'..='9' => "full-width digit",
            '%' => "full-width percent sign",
            'a'..='z' | 'A'..='Z' => "full-width letter",
            _ => "full-width punctuation mark",
        };
        return Some((ascii, what));
    }
    let mapped = match ch {
        '\u{3000}' => (' ', "ideographic space"),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => (' ', "non-ASCII space"),
        '\u{3002}' | '\u{FF61}' | '\u{2024}' => ('.', "ideographic full stop"),
        '\u{3001}' | '\u{FF64}' => (',', "ideographic comma"),
        '\u{201C}' | '\u{201D}' | '\u{300C}' | '\u{300D}' | '\u{300E}' | '\u{300F}' => {
            ('"', "typographic quotation mark")
        }
        '\u{2018}' | '\u{2019}' => ('"', "typographic quotation mark"),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => ('-', "dash"),
        '\u{3010}' | '\u{3014}' | '\u{3016}' => ('[', "ideographic bracket"),
        '\u{3011}' | '\u{3015}' | '\u{3017}' => (']', "ideographic bracket"),
        '\u{FE6A}' | '\u{066A}' => ('%', "look-alike percent sign"),
        '\u{2236}' | '\u{FE13}' | '\u{FE55}' => (':', "look-alike colon"),
        '\u{FE50}' => (',', "small comma"),
        // Cyrillic and Greek letters that look like Latin ones.
        'а' => ('a', "Cyrillic letter"),
        'е' => ('e', "Cyrillic letter"),
        'о' => ('o', "Cyrillic letter"),
        'р' => ('p', "Cyrillic letter"),
        'с' => ('c', "Cyrillic letter"),
        'у' => ('y', "Cyrillic letter"),
        'х' => ('x', "Cyrillic letter"),
        'і' => ('i', "Cyrillic letter"),
        'ј' => ('j', "Cyrillic letter"),
        'ѕ' => ('s', "Cyrillic letter"),
        'ԁ' => ('d', "Cyrillic letter"),
        'А' => ('A', "Cyrillic letter"),
        'В' => ('B', "Cyrillic letter"),
        'С' => ('C', "Cyrillic letter"),
        'Е' => ('E', "Cyrillic letter"),
        'Н' => ('H', "Cyrillic letter"),
        'К' => ('K', "Cyrillic letter"),
        'М' => ('M', "Cyrillic letter"),
        'О' => ('O', "Cyrillic letter"),
        'Р' => ('P', "Cyrillic letter"),
        'Т' => ('T', "Cyrillic letter"),
        'Х' => ('X', "Cyrillic letter"),
        'α' => ('a', "Greek letter"),
        'ε' => ('e', "Greek letter"),
        'ο' => ('o', "Greek letter"),
        'ρ' => ('p', "Greek letter"),
        'ϲ' => ('c', "Greek letter"),
        'χ' => ('x', "Greek letter"),
        'ι' => ('i', "Greek letter"),
        'ν' => ('v', "Greek letter"),
        'κ' => ('k', "Greek letter"),
        'υ' => ('u', "Greek letter"),
        'Α' => ('A', "Greek letter"),
        'Β' => ('B', "Greek letter"),
        'Ε' => ('E', "Greek letter"),
        'Η' => ('H', "Greek letter"),
        'Κ' => ('K', "Greek letter"),
        'Μ' => ('M', "Greek letter"),
        'Ο' => ('O', "Greek letter"),
        'Ρ' => ('P', "Greek letter"),
        'Τ' => ('T', "Greek letter"),
        'Χ' => ('X', "Greek letter"),
        'Ν' => ('N', "Greek letter"),
        'Ζ' => ('Z', "Greek letter"),
        'Υ' => ('Y', "Greek letter"),
        'Ι' => ('I', "Greek letter"),
        _ => return None,
    };
    Some(mapped)
}

/// Bidirectional text controls (embeddings, overrides, isolates and the
/// invisible direction marks). They change the order in which a line is
/// displayed, so that code can read differently from how it compiles
/// ("Trojan Source"); Camp refuses them everywhere, strings and comments
/// included, as rustc does.
pub fn is_bidi_control(ch: char) -> bool {
    matches!(
        ch,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// The name of a bidirectional control, for messages.
pub fn bidi_name(ch: char) -> &'static str {
    match ch {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{061C}' => "Arabic letter mark",
        _ => "direction control",
    }
}

/// Control characters other than tab and the line endings (C0, DEL, C1):
/// refused anywhere in a file, and never written raw to a terminal.
pub fn is_forbidden_control(ch: char) -> bool {
    ch.is_control() && !matches!(ch, '\t' | '\n' | '\r')
}

/// Whether the UTF-8 sequence at `index` is a C1 control (`C2 80`..`C2 9F`)
/// or a bidirectional control (`D8 9C`, `E2 80 8E`, `E2 80 8F`,
/// `E2 80 AA`..`E2 80 AE`, `E2 81 A6`..`E2 81 A9`).
fn is_hazard_at(bytes: &[u8], index: usize) -> bool {
    let at = |offset: usize| bytes.get(index + offset).copied();
    matches!(
        (at(0), at(1), at(2)),
        (Some(0xC2), Some(0x80..=0x9F), _)
            | (Some(0xD8), Some(0x9C), _)
            | (Some(0xE2), Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE))
            | (Some(0xE2), Some(0x81), Some(0xA6..=0xA9))
    )
}

/// Whether every byte outside strings and comments is printable ASCII or
/// ASCII white space, and strings and comments hold no control or
/// bidirectional character: the common case, checked byte by byte without
/// decoding characters. (UTF-8 continuation bytes are never `"`, `\\`,
/// `\n` or `\r`, so strings can be skipped bytewise.)
fn is_plain(bytes: &[u8]) -> bool {
    // Whether the byte at `index` is of `class` (changes nothing in that
    // state): whole runs of them are skipped in a tight loop.
    let dull = |index: usize, class: u8| {
        bytes
            .get(index)
            .and_then(|&byte| BYTE_CLASS.get(usize::from(byte)))
            .is_some_and(|classes| classes & class != 0)
    };
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    let mut previous_slash = false;
    let mut index = 0;
    loop {
        if in_comment {
            while dull(index, DULL_IN_COMMENT) {
                index += 1;
            }
        } else if in_string {
            if !escaped {
                while dull(index, DULL_IN_STRING) {
                    index += 1;
                }
            }
        } else {
            let start = index;
            while dull(index, DULL_IN_CODE) {
                index += 1;
            }
            if index > start {
                previous_slash = false;
            }
        }
        let at = index;
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        index += 1;
        if in_comment || in_string {
            let control = (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f;
            if control || (matches!(byte, 0xC2 | 0xD8 | 0xE2) && is_hazard_at(bytes, at)) {
                return false;
            }
        }
        if in_comment {
            in_comment = byte != b'\n' && byte != b'\r';
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' || byte == b'\n' || byte == b'\r' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'/' if previous_slash => in_comment = true,
            b'\t' | b'\n' | b'\r' | 0x20..=0x7e => {}
            _ => return false,
        }
        previous_slash = byte == b'/' && !previous_slash;
    }
    true
}

/// Byte classes for [`is_plain`]: a byte that, in code, is printable ASCII
/// or white space other than `"` and `/`; in a string, none of `"`, `\\`,
/// a line end, a control character or the first byte of a C1 or
/// bidirectional control; in a comment, none of a line end, a control
/// character or such a first byte.
const DULL_IN_CODE: u8 = 1;
const DULL_IN_STRING: u8 = 2;
const DULL_IN_COMMENT: u8 = 4;

static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut byte: u8 = 0;
    loop {
        let control = (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f;
        let hazard_start = matches!(byte, 0xC2 | 0xD8 | 0xE2);
        let line_end = matches!(byte, b'\n' | b'\r');
        let mut class = 0;
        if matches!(byte, b'\t' | b'\n' | b'\r' | 0x20..=0x7e) && !matches!(byte, b'"' | b'/') {
            class |= DULL_IN_CODE;
        }
        if !control && !hazard_start && !line_end && !matches!(byte, b'"' | b'\\') {
            class |= DULL_IN_STRING;
        }
        if !control && !hazard_start && !line_end {
            class |= DULL_IN_COMMENT;
        }
        // `byte` is a u8: always within the table.
        #[allow(clippy::indexing_slicing)]
        {
            table[byte as usize] = class;
        }
        if byte == u8::MAX {
            return table;
        }
        byte += 1;
    }
}

/// Scans `text` and returns an error for every character outside strings
/// and comments that is not plain ASCII source text. Consecutive
/// look-alikes are one error, and so is a run of other non-ASCII text
/// (an unquoted title such as `春季 消费券`).
pub fn scan(file: FileId, text: &str) -> Vec<CampError> {
    if is_plain(text.as_bytes()) {
        return Vec::new();
    }
    scan_characters(file, text)
}

/// The full scan, character by character.
fn scan_characters(file: FileId, text: &str) -> Vec<CampError> {
    let mut errors = Vec::new();
    // A run of consecutive look-alikes: (start, end, found, ascii, description).
    let mut run: Option<(usize, usize, String, String, &'static str)> = None;
    // A run of other non-ASCII characters, maybe with spaces between: (start, end).
    let mut foreign: Option<(usize, usize)> = None;
    // The bidirectional and the control-character error of the current
    // line, by index in `errors`: the others on the line are added to it.
    let mut line_errors: (Option<usize>, Option<usize>) = (None, None);

    let flush = |run: &mut Option<(usize, usize, String, String, &'static str)>,
                 errors: &mut Vec<CampError>| {
        if let Some((start, end, found, ascii, description)) = run.take() {
            let description = if found.chars().count() > 1 {
                "look-alike characters"
            } else {
                description
            };
            errors.push(CampError::LookAlike {
                span: Span::new(file, start, end),
                found,
                ascii,
                description,
            });
        }
    };

    let flush_foreign = |foreign: &mut Option<(usize, usize)>, errors: &mut Vec<CampError>| {
        if let Some((start, end)) = foreign.take() {
            errors.push(CampError::NonAscii {
                span: Span::new(file, start, end),
                text: text.get(start..end).unwrap_or("").to_string(),
            });
        }
    };

    for (offset, ch, region) in regions(text) {
        // Anywhere, strings and comments included: bidirectional and
        // control characters, one error per kind and line.
        if ch == '\n' || ch == '\r' {
            line_errors = (None, None);
        }
        if is_bidi_control(ch) || is_forbidden_control(ch) {
            flush(&mut run, &mut errors);
            flush_foreign(&mut foreign, &mut errors);
            let span = Span::new(file, offset, offset + ch.len_utf8());
            let bidi = is_bidi_control(ch);
            let slot = if bidi {
                &mut line_errors.0
            } else {
                &mut line_errors.1
            };
            match slot.and_then(|index| errors.get_mut(index)) {
                Some(
                    CampError::BidiControl { others, .. }
                    | CampError::ControlCharacter { others, .. },
                ) => others.push((span, ch)),
                _ => {
                    *slot = Some(errors.len());
                    errors.push(if bidi {
                        CampError::BidiControl {
                            span,
                            ch,
                            region,
                            others: Vec::new(),
                        }
                    } else {
                        CampError::ControlCharacter {
                            span,
                            ch,
                            region,
                            others: Vec::new(),
                        }
                    });
                }
            }
            continue;
        }
        if region != Region::Code {
            // A string or a comment ends any run: they are never checked.
            flush(&mut run, &mut errors);
            flush_foreign(&mut foreign, &mut errors);
            continue;
        }
        if foreign.is_some()
            && !matches!(ch, ' ' | '\t')
            && (ch.is_ascii() || ascii_for(ch).is_some())
        {
            flush_foreign(&mut foreign, &mut errors);
        }
        if ch == '\u{FEFF}' && offset == 0 {
            continue; // a byte-order mark at the start of the file is harmless
        }
        if ch.is_ascii() {
            flush(&mut run, &mut errors);
            continue;
        }
        let end = offset + ch.len_utf8();
        match ascii_for(ch) {
            Some((ascii, description)) => match &mut run {
                Some((_, run_end, found, run_ascii, _)) if *run_end == offset => {
                    *run_end = end;
                    found.push(ch);
                    run_ascii.push(ascii);
                }
                _ => {
                    flush(&mut run, &mut errors);
                    run = Some((offset, end, ch.to_string(), ascii.to_string(), description));
                }
            },
            None => {
                flush(&mut run, &mut errors);
                match &mut foreign {
                    Some((_, foreign_end)) => *foreign_end = end,
                    None => foreign = Some((offset, end)),
                }
            }
        }
    }
    flush(&mut run, &mut errors);
    flush_foreign(&mut foreign, &mut errors);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_never_skips_a_finding() {
        let samples = [
            "campaign a { title: \"春节\" }",
            "fund: gоvernment",
            "reward: ２０％ off",
            "// 注释 only\nscene a",
            "title: \"a \\\" b\" // \u{1}",
            "x\u{1}y",
            "a / b // c",
            "\"unterminated 规\nscene 规",
            "\u{feff}scene a",
            "scene a\t\r\n",
            "// \u{1b}]0;title\u{7}\n",
            "title: \"\u{202e}\"",
            "// \u{2066} \u{9b}\n",
            "// \u{61c}",
            "title: \"\u{200f}\" // \u{7f}",
            "// “quoted” — ok\r// \u{202d}",
        ];
        for sample in samples {
            // The fast path may send a clean text to the full scan (a
            // byte-order mark), never let a finding through.
            let clean = scan_characters(FileId(0), sample).is_empty();
            assert!(clean || !is_plain(sample.as_bytes()), "{sample:?}");
        }
    }

    /// `is_plain` as it was written before its runs were skipped in tight
    /// loops: the same answer on every text.
    fn is_plain_byte_by_byte(bytes: &[u8]) -> bool {
        let mut in_string = false;
        let mut in_comment = false;
        let mut escaped = false;
        let mut previous_slash = false;
        for (index, &byte) in bytes.iter().enumerate() {
            if in_comment || in_string {
                let control =
                    (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f;
                if control || (matches!(byte, 0xC2 | 0xD8 | 0xE2) && is_hazard_at(bytes, index)) {
                    return false;
                }
            }
            if in_comment {
                in_comment = byte != b'\n' && byte != b'\r';
                continue;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' || byte == b'\n' || byte == b'\r' {
                    in_string = false;
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'/' if previous_slash => in_comment = true,
                b'\t' | b'\n' | b'\r' | 0x20..=0x7e => {}
                _ => return false,
            }
            previous_slash = byte == b'/' && !previous_slash;
        }
        true
    }

    #[test]
    fn the_run_skipping_scan_answers_as_the_byte_by_byte_one() {
        let pieces = [
            "campaign a {\n",
            "  title: \"春节 // x\"",
            " // 注释\r\n",
            "\"a \\\" b\"",
            "\u{1}",
            "/",
            "//",
            "///",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "\u{202e}",
            "\u{9b}",
            "\u{61c}",
            "\u{7f}",
            "é",
            "２",
            "x",
            " ",
            "}",
            "\"\\\n\"",
        ];
        let mut checked = 0;
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let text = format!("{first}{second}{third}{first}");
                    assert_eq!(
                        is_plain(text.as_bytes()),
                        is_plain_byte_by_byte(text.as_bytes()),
                        "{text:?}"
                    );
                    checked += 1;
                }
            }
        }
        for file in crate::synthetic::package(5).files {
            assert_eq!(is_plain(&file.bytes), is_plain_byte_by_byte(&file.bytes));
            checked += 1;
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn full_width_runs_are_one_error_with_the_ascii_spelling() {
        let errors = scan(
            FileId(0),
            "reward: ２０％ off // 注释 ２\ntitle: \"补贴２\"",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        match errors.first() {
            Some(CampError::LookAlike { found, ascii, .. }) => {
                assert_eq!(found, "２０％");
                assert_eq!(ascii, "20%");
            }
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unquoted_text_is_one_error() {
        let errors = scan(FileId(0), "title: 春季 消费券\nowner: \"团队\"");
        match errors.as_slice() {
            [CampError::NonAscii { text, .. }] => assert_eq!(text, "春季 消费券"),
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn control_and_bidi_characters_are_refused_everywhere() {
        let text = "// \u{1b}[31m\ntitle: \"a\u{202e}b\" // \u{2066}\nx\u{9b}\u{7}";
        let found: Vec<(char, Region, usize)> = scan(FileId(0), text)
            .into_iter()
            .filter_map(|error| match error {
                CampError::ControlCharacter {
                    ch, region, others, ..
                }
                | CampError::BidiControl {
                    ch, region, others, ..
                } => Some((ch, region, others.len())),
                _ => None,
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ('\u{1b}', Region::Comment, 0),
                // The isolate in the comment is the same line's second.
                ('\u{202e}', Region::String, 1),
                ('\u{9b}', Region::Code, 1),
            ]
        );
        // Typographic quotes and dashes in comments are fine.
        assert!(scan(FileId(0), "// “quoted” — ok\n").is_empty());
    }

    #[test]
    fn cyrillic_letters_in_identifiers_are_named() {
        let errors = scan(FileId(0), "fund: gоvernment");
        assert!(matches!(
            errors.first(),
            Some(CampError::LookAlike { ascii, .. }) if ascii == "o"
        ));
    }
}

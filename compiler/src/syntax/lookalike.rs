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

/// Whether every byte outside strings and comments is printable ASCII or
/// ASCII white space: the common case, checked byte by byte without
/// decoding characters. (UTF-8 continuation bytes are never `"`, `\\` or
/// `\n`, so strings can be skipped bytewise.)
fn is_plain(bytes: &[u8]) -> bool {
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    let mut previous_slash = false;
    for &byte in bytes {
        if in_comment {
            in_comment = byte != b'\n';
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' || byte == b'\n' {
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
            if ch.is_ascii_control() && !matches!(ch, '\n' | '\r' | '\t') {
                errors.push(CampError::ControlCharacter {
                    span: Span::new(file, offset, offset + 1),
                    ch,
                });
            }
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
        ];
        for sample in samples {
            // The fast path may send a clean text to the full scan (a
            // byte-order mark), never let a finding through.
            let clean = scan_characters(FileId(0), sample).is_empty();
            assert!(clean || !is_plain(sample.as_bytes()), "{sample:?}");
        }
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
    fn cyrillic_letters_in_identifiers_are_named() {
        let errors = scan(FileId(0), "fund: gоvernment");
        assert!(matches!(
            errors.first(),
            Some(CampError::LookAlike { ascii, .. }) if ascii == "o"
        ));
    }
}

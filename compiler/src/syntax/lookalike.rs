//! The lexical pre-scan: characters outside strings and comments that Camp
//! does not accept, above all the full-width and look-alike characters that
//! Chinese input methods produce (`２０％`, `：`, `，`, Cyrillic `а`).
//!
//! Each run of them becomes one error naming the characters and the ASCII to
//! type instead. The parser then skips its own error for an item that already
//! has one of these, so the author sees the cause, not its echo.

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
            _ => "full-width punctuation",
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
        'а' | 'α' => ('a', "Cyrillic or Greek letter"),
        'е' | 'ε' => ('e', "Cyrillic or Greek letter"),
        'о' | 'ο' => ('o', "Cyrillic or Greek letter"),
        'р' | 'ρ' => ('p', "Cyrillic or Greek letter"),
        'с' | 'ϲ' => ('c', "Cyrillic or Greek letter"),
        'у' => ('y', "Cyrillic letter"),
        'х' | 'χ' => ('x', "Cyrillic or Greek letter"),
        'і' | 'ι' => ('i', "Cyrillic or Greek letter"),
        'ј' => ('j', "Cyrillic letter"),
        'ѕ' => ('s', "Cyrillic letter"),
        'ԁ' => ('d', "Cyrillic letter"),
        'ν' => ('v', "Greek letter"),
        'κ' => ('k', "Greek letter"),
        'υ' => ('u', "Greek letter"),
        'А' | 'Α' => ('A', "Cyrillic or Greek letter"),
        'В' | 'Β' => ('B', "Cyrillic or Greek letter"),
        'С' => ('C', "Cyrillic letter"),
        'Е' | 'Ε' => ('E', "Cyrillic or Greek letter"),
        'Н' | 'Η' => ('H', "Cyrillic or Greek letter"),
        'К' | 'Κ' => ('K', "Cyrillic or Greek letter"),
        'М' | 'Μ' => ('M', "Cyrillic or Greek letter"),
        'О' | 'Ο' => ('O', "Cyrillic or Greek letter"),
        'Р' | 'Ρ' => ('P', "Cyrillic or Greek letter"),
        'Т' | 'Τ' => ('T', "Cyrillic or Greek letter"),
        'Х' | 'Χ' => ('X', "Cyrillic or Greek letter"),
        'Ν' => ('N', "Greek letter"),
        'Ζ' => ('Z', "Greek letter"),
        'Υ' => ('Y', "Greek letter"),
        'Ι' => ('I', "Greek letter"),
        _ => return None,
    };
    Some(mapped)
}

/// Scans `text` and returns an error for every character outside strings
/// and comments that is not plain ASCII source text.
pub fn scan(file: FileId, text: &str) -> Vec<CampError> {
    let mut errors = Vec::new();
    // A run of consecutive look-alikes: (start, end, found, ascii, description).
    let mut run: Option<(usize, usize, String, String, &'static str)> = None;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    let mut chars = text.char_indices().peekable();

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

    while let Some((offset, ch)) = chars.next() {
        if in_comment {
            if ch == '\n' {
                in_comment = false;
            }
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' || ch == '\n' {
                in_string = false;
            }
            continue;
        }
        if ch == '/' && chars.peek().map(|(_, next)| *next) == Some('/') {
            flush(&mut run, &mut errors);
            in_comment = true;
            continue;
        }
        if ch == '"' {
            flush(&mut run, &mut errors);
            in_string = true;
            continue;
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
                errors.push(CampError::NonAscii {
                    span: Span::new(file, offset, end),
                    ch,
                });
            }
        }
    }
    flush(&mut run, &mut errors);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn cyrillic_letters_in_identifiers_are_named() {
        let errors = scan(FileId(0), "fund: gоvernment");
        assert!(matches!(
            errors.first(),
            Some(CampError::LookAlike { ascii, .. }) if ascii == "o"
        ));
    }
}

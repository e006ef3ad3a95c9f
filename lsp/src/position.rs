//! Positions: the compiler speaks byte offsets; the client speaks lines and
//! characters in the negotiated encoding (UTF-8 when the client offers it,
//! else UTF-16, where `😀` is two units and `规` one).

use camp_compiler::source::{is_line_break, split_lines_inclusive};
use gen_lsp_types::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn units(self, ch: char) -> u32 {
        let units = match self {
            Encoding::Utf8 => ch.len_utf8(),
            Encoding::Utf16 => ch.len_utf16(),
        };
        u32::try_from(units).unwrap_or(1)
    }
}

/// Where the line holding byte `offset` starts, and its 0-based number.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol counts them
/// and as the compiler's line table does.
fn line_of(text: &str, offset: usize) -> (usize, u32) {
    let bytes = text.as_bytes();
    let mut line = 0u32;
    let mut line_start = 0;
    for (index, byte) in bytes.iter().enumerate().take(offset) {
        if matches!(byte, b'\n' | b'\r') && is_line_break(bytes, index) {
            line = line.saturating_add(1);
            line_start = index + 1;
        }
    }
    (line_start, line)
}

/// The position of a byte offset in `text`. An offset inside a line
/// ending (between `\r` and `\n`) is at the end of its line.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(text.len());
    let (line_start, line) = line_of(text, offset);
    let character = text
        .get(line_start..offset)
        .unwrap_or("")
        .trim_end_matches('\r')
        .chars()
        .map(|ch| encoding.units(ch))
        .sum();
    Position { line, character }
}

/// The byte offset of a position in `text`, clamped to the line's end and
/// to character boundaries (a position inside a character means its start).
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut lines = split_lines_inclusive(text);
    let mut line_start = 0;
    for _ in 0..position.line {
        match lines.next() {
            Some(line) if is_line_break(line.as_bytes(), line.len().saturating_sub(1)) => {
                line_start += line.len();
            }
            // The last line has no line ending: there is no next line.
            _ => return text.len(),
        }
    }
    let line = lines.next().unwrap_or("").trim_end_matches(['\n', '\r']);
    let mut units = 0;
    for (index, ch) in line.char_indices() {
        if units >= position.character {
            return line_start + index;
        }
        units += encoding.units(ch);
        if units > position.character {
            return line_start + index;
        }
    }
    line_start + line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "title: \"规则😀\" x\nnext";
        let x = text.find(" x").unwrap_or(0) + 1;
        assert_eq!(
            position(text, x, Encoding::Utf16),
            Position {
                line: 0,
                character: 14
            }
        );
        assert_eq!(
            position(text, x, Encoding::Utf8),
            Position {
                line: 0,
                character: 20
            }
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(offset(text, position(text, x, encoding), encoding), x);
        }
        assert_eq!(
            offset(
                text,
                Position {
                    line: 1,
                    character: 99
                },
                Encoding::Utf16
            ),
            text.len()
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 7,
                    character: 0
                },
                Encoding::Utf16
            ),
            text.len()
        );
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        // LF, CRLF, a lone CR (an old Mac file, or a CR pasted into a
        // comment): the editor shows four lines, and so does the server.
        let text = "a\nb\r\nc\r// x\rlimit: 1";
        let limit = text.find("limit").unwrap_or(0);
        let at = position(text, limit, Encoding::Utf16);
        assert_eq!(
            at,
            Position {
                line: 4,
                character: 0
            }
        );
        assert_eq!(offset(text, at, Encoding::Utf16), limit);
        let c = text.find('c').unwrap_or(0);
        assert_eq!(
            position(text, c, Encoding::Utf8),
            Position {
                line: 2,
                character: 0
            }
        );
        // The `\n` of a `\r\n` is at the end of line 1, not on line 2.
        let lf = text.find("\r\n").unwrap_or(0) + 1;
        assert_eq!(
            position(text, lf, Encoding::Utf8),
            Position {
                line: 1,
                character: 1
            }
        );
        // Past the end of a line: its end, before the line ending.
        assert_eq!(
            offset(
                text,
                Position {
                    line: 2,
                    character: 9
                },
                Encoding::Utf8
            ),
            c + 1
        );
        let cr_only = "scene a\rscene b\r";
        let b = cr_only.find('b').unwrap_or(0);
        assert_eq!(
            position(cr_only, b, Encoding::Utf16),
            Position {
                line: 1,
                character: 6
            }
        );
        assert_eq!(
            offset(
                cr_only,
                Position {
                    line: 1,
                    character: 6
                },
                Encoding::Utf16
            ),
            b
        );
        assert_eq!(
            offset(
                cr_only,
                Position {
                    line: 2,
                    character: 0
                },
                Encoding::Utf16
            ),
            cr_only.len()
        );
        assert_eq!(
            offset(
                cr_only,
                Position {
                    line: 3,
                    character: 0
                },
                Encoding::Utf16
            ),
            cr_only.len()
        );
    }
}

//! Positions: the compiler speaks byte offsets; the client speaks lines and
//! characters in the negotiated encoding (UTF-8 when the client offers it,
//! else UTF-16, where `😀` is two units and `规` one).
//!
//! Columns are `line-index`'s (rust-analyzer's line table). It ends lines
//! at `\n` only; a Camp line also ends at `\r\n` (its `\n` does that) and
//! at a lone `\r`, as the compiler counts them
//! (`camp_core::source::line_starts`). So the table is built from a
//! copy of the text where each lone `\r` is a `\n`: both are one byte, so
//! every offset stays where it was. The `\r` of a `\r\n` stays, and is
//! kept out of columns here: it belongs to the line ending.

use std::borrow::Cow;

use camp_core::source::is_line_break;
use gen_lsp_types::Position;
use line_index::{LineCol, TextSize, WideEncoding, WideLineCol};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The lines of one text, built once: each conversion is then a binary
/// search plus the wide characters of its line.
#[derive(Debug, Clone)]
pub struct Positions<'t> {
    text: &'t str,
    index: line_index::LineIndex,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Positions<'t> {
        // `line-index` counts in `u32` and refuses a text of 4 GiB: such a
        // text is converted up to that length, and clamped there.
        let text = text
            .get(..str::floor_char_boundary(text, u32::MAX as usize - 1))
            .unwrap_or("");
        let bytes = text.as_bytes();
        let lone_cr =
            |index: usize| bytes.get(index) == Some(&b'\r') && is_line_break(bytes, index);
        let camp_lines: Cow<'_, str> = if (0..bytes.len()).any(lone_cr) {
            Cow::Owned(
                text.char_indices()
                    .map(|(index, ch)| if lone_cr(index) { '\n' } else { ch })
                    .collect(),
            )
        } else {
            Cow::Borrowed(text)
        };
        Positions {
            text,
            index: line_index::LineIndex::new(&camp_lines),
        }
    }

    /// The position of a byte offset (clamped to the text, and to the
    /// start of the character it falls in). An offset inside a line
    /// ending (between `\r` and `\n`) is at the end of its line.
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = str::floor_char_boundary(self.text, offset);
        let bytes = self.text.as_bytes();
        if offset > 0 && bytes.get(offset - 1) == Some(&b'\r') && bytes.get(offset) == Some(&b'\n')
        {
            offset -= 1;
        }
        let at = TextSize::try_from(offset).unwrap_or(TextSize::from(0));
        let Some(line_col) = self.index.try_line_col(at) else {
            return Position {
                line: 0,
                character: 0,
            };
        };
        let character = match encoding {
            Encoding::Utf8 => line_col.col,
            Encoding::Utf16 => self
                .index
                .to_wide(WideEncoding::Utf16, line_col)
                .map_or(line_col.col, |wide| wide.col),
        };
        Position {
            line: line_col.line,
            character,
        }
    }

    /// The byte offset of a position, clamped to the line's end (before
    /// its line ending), to the text's end past the last line, and to
    /// character boundaries (a position inside a character means its
    /// start).
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let Some(line) = self.index.line(position.line) else {
            return self.text.len();
        };
        let start = usize::from(line.start());
        let line_text = self.text.get(start..usize::from(line.end())).unwrap_or("");
        let end = start + line_text.trim_end_matches(['\n', '\r']).len();
        let column = match encoding {
            Encoding::Utf8 => Some(position.character),
            Encoding::Utf16 => self
                .index
                .to_utf8(
                    WideEncoding::Utf16,
                    WideLineCol {
                        line: position.line,
                        col: position.character,
                    },
                )
                .map(|LineCol { col, .. }| col),
        };
        let offset = column.map_or(end, |column| start.saturating_add(column as usize).min(end));
        str::floor_char_boundary(self.text, offset)
    }
}

/// The position of a byte offset in `text` (see [`Positions::position`]);
/// for many offsets into one text, build a [`Positions`] once.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    Positions::new(text).position(offset, encoding)
}

/// The byte offset of a position in `text` (see [`Positions::offset`]).
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    Positions::new(text).offset(position, encoding)
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

    /// One table for a text with every line ending and a surrogate pair,
    /// converted both ways at every character boundary.
    #[test]
    fn one_table_for_crlf_lone_cr_and_surrogate_pairs() {
        let text = "😀a\r\n规\rb😀\r\n\r\r\nz";
        let positions = Positions::new(text);
        let at = |line, character| Position { line, character };
        // (offset, UTF-16 position, UTF-8 position)
        let expected = [
            (0, at(0, 0), at(0, 0)),
            (4, at(0, 2), at(0, 4)),
            (5, at(0, 3), at(0, 5)),
            // Inside the `\r\n`: the end of line 0.
            (6, at(0, 3), at(0, 5)),
            (7, at(1, 0), at(1, 0)),
            (10, at(1, 1), at(1, 3)),
            (11, at(2, 0), at(2, 0)),
            (12, at(2, 1), at(2, 1)),
            (16, at(2, 3), at(2, 5)),
            (17, at(2, 3), at(2, 5)),
            (18, at(3, 0), at(3, 0)),
            (19, at(4, 0), at(4, 0)),
            (20, at(4, 0), at(4, 0)),
            (21, at(5, 0), at(5, 0)),
            (22, at(5, 1), at(5, 1)),
        ];
        for (offset, utf16, utf8) in expected {
            assert_eq!(
                positions.position(offset, Encoding::Utf16),
                utf16,
                "{offset}"
            );
            assert_eq!(positions.position(offset, Encoding::Utf8), utf8, "{offset}");
            assert_eq!(position(text, offset, Encoding::Utf16), utf16, "{offset}");
            let back = if text.get(offset - offset.min(1)..=offset) == Some("\r\n") {
                offset - 1
            } else {
                offset
            };
            assert_eq!(positions.offset(utf16, Encoding::Utf16), back, "{offset}");
            assert_eq!(positions.offset(utf8, Encoding::Utf8), back, "{offset}");
        }
        // Half a surrogate pair, or a byte inside a character: its start.
        assert_eq!(positions.offset(at(0, 1), Encoding::Utf16), 0);
        assert_eq!(positions.offset(at(2, 2), Encoding::Utf16), 12);
        assert_eq!(positions.offset(at(1, 2), Encoding::Utf8), 7);
        assert_eq!(positions.position(2, Encoding::Utf16), at(0, 0));
        // Past a line's end: before its `\r\n` or lone `\r`.
        assert_eq!(positions.offset(at(0, 99), Encoding::Utf16), 5);
        assert_eq!(positions.offset(at(1, 99), Encoding::Utf16), 10);
        assert_eq!(positions.offset(at(3, 99), Encoding::Utf8), 18);
        assert_eq!(positions.offset(at(4, 99), Encoding::Utf8), 19);
        // Past the last line: the text's end.
        assert_eq!(positions.offset(at(6, 0), Encoding::Utf8), text.len());
        assert_eq!(positions.position(99, Encoding::Utf16), at(5, 1));
    }
}

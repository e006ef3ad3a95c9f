//! Positions: the compiler speaks byte offsets; the client speaks lines and
//! characters in the negotiated encoding (UTF-8 when the client offers it,
//! else UTF-16, where `😀` is two units and `规` one).

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

/// The position of a byte offset in `text`.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let line = u32::try_from(before.matches('\n').count()).unwrap_or(u32::MAX);
    let character = text
        .get(line_start..offset)
        .unwrap_or("")
        .chars()
        .map(|ch| encoding.units(ch))
        .sum();
    Position { line, character }
}

/// The byte offset of a position in `text`, clamped to the line's end and
/// to character boundaries (a position inside a character means its start).
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
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
}

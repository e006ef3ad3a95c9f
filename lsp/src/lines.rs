//! Many positions at once. `position::position` finds the line of an
//! offset by scanning the text from its start, which is right for one
//! position and quadratic for a whole document's worth (semantic tokens,
//! symbols, diagnostics). Here a table of line starts is built once, and
//! each offset costs a binary search plus its own line.
//!
//! A line is what `position::position` and the compiler count: it ends at
//! `\n`, `\r\n` or a lone `\r` (`camp_core::source::line_starts`). The
//! test below holds the two to the same answers.

use std::cell::Cell;
use std::collections::BTreeMap;

use camp_core::source::{FileId, SourceFile, SourceMap, Span};
use gen_lsp_types::{Position, Range};

use crate::position::Encoding;

/// The line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// The byte offset at which each line starts; the first is 0.
    starts: Vec<usize>,
    /// The last offset converted and its position: the next offset on the
    /// same line counts from there (forwards or back). Offsets converted
    /// nearly in order (tokens, symbols, diagnostics) then read each byte
    /// about once, even on one very long line.
    last: Cell<Option<(usize, Encoding, Position)>>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = camp_core::source::line_starts(text)
            .into_iter()
            .map(|start| start as usize)
            .collect();
        #[cfg(test)]
        work::count(0, text.len());
        LineIndex {
            text,
            starts,
            last: Cell::new(None),
        }
    }

    /// The position of a byte offset (clamped to the text, and to the
    /// start of the character it falls in).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = str::floor_char_boundary(self.text, offset);
        // An offset inside a `\r\n` is at the end of its line, before the
        // `\r`, as `position::position` and the compiler count it.
        let bytes = self.text.as_bytes();
        let offset = if offset > 0
            && bytes.get(offset - 1) == Some(&b'\r')
            && bytes.get(offset) == Some(&b'\n')
        {
            offset - 1
        } else {
            offset
        };
        let line = match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        };
        let line_number = u32::try_from(line).unwrap_or(u32::MAX);
        let line_start = self.starts.get(line).copied().unwrap_or(0);
        let piece = |from: usize, to: usize| units(self.text.get(from..to).unwrap_or(""), encoding);
        let character = match self.last.get() {
            Some((at, last_encoding, last))
                if last_encoding == encoding && last.line == line_number =>
            {
                if at <= offset {
                    last.character.saturating_add(piece(at, offset))
                } else if at - offset < offset - line_start {
                    last.character.saturating_sub(piece(offset, at))
                } else {
                    piece(line_start, offset)
                }
            }
            _ => piece(line_start, offset),
        };
        let position = Position {
            line: line_number,
            character,
        };
        self.last.set(Some((offset, encoding, position)));
        position
    }

    pub fn range(&self, span: Span, encoding: Encoding) -> Range {
        Range {
            start: self.position(span.start as usize, encoding),
            end: self.position(span.end as usize, encoding),
        }
    }
}

/// Line tables for the files of a package, each built when first needed:
/// for answers that convert many spans across files (diagnostics).
pub struct SourceLines<'a> {
    sources: &'a SourceMap,
    tables: BTreeMap<FileId, LineIndex<'a>>,
}

impl<'a> SourceLines<'a> {
    pub fn new(sources: &'a SourceMap) -> SourceLines<'a> {
        SourceLines {
            sources,
            tables: BTreeMap::new(),
        }
    }

    /// The range of a span, `None` if its file is not in the package.
    pub fn range(&mut self, span: Span, encoding: Encoding) -> Option<Range> {
        let file = self.sources.get(span.file)?;
        Some(
            self.tables
                .entry(span.file)
                .or_insert_with(|| LineIndex::new(&file.text))
                .range(span, encoding),
        )
    }
}

/// The position of a byte offset in a source file, from the line table
/// the file already has.
pub fn position_in(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let text: &str = &file.text;
    let offset = str::floor_char_boundary(text, offset);
    let line = file
        .line_column(u32::try_from(offset).unwrap_or(u32::MAX))
        .line
        .saturating_sub(1);
    let start = file
        .line_start(line as usize)
        .map_or(0, |start| start as usize);
    Position {
        line,
        // An offset inside a `\r\n` is at the end of its line.
        character: units(
            text.get(start..offset).unwrap_or("").trim_end_matches('\r'),
            encoding,
        ),
    }
}

/// The range of a span in a source file.
pub fn range_in(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range {
        start: position_in(file, span.start as usize, encoding),
        end: position_in(file, span.end as usize, encoding),
    }
}

/// The length of a piece of one line in the encoding's units.
fn units(piece: &str, encoding: Encoding) -> u32 {
    #[cfg(test)]
    work::count(1, piece.len());
    let units = match encoding {
        Encoding::Utf8 => piece.len(),
        Encoding::Utf16 => piece.chars().map(char::len_utf16).sum(),
    };
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// What the conversions of this thread cost, for the tests that hold a
/// whole-document request to linear work.
#[cfg(test)]
pub(crate) mod work {
    use std::cell::Cell;

    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub(crate) struct Work {
        /// Offsets converted to positions through a line table.
        pub(crate) conversions: usize,
        /// Bytes read: each table's text once, and each conversion's piece
        /// of its line.
        pub(crate) bytes: usize,
    }

    thread_local! {
        static WORK: Cell<Work> = const { Cell::new(Work { conversions: 0, bytes: 0 }) };
    }

    pub(super) fn count(conversions: usize, bytes: usize) {
        WORK.with(|work| {
            let mut now = work.get();
            now.conversions += conversions;
            now.bytes += bytes;
            work.set(now);
        });
    }

    /// The work `run` does on this thread.
    pub(crate) fn measure<T>(run: impl FnOnce() -> T) -> (T, Work) {
        WORK.with(|work| work.set(Work::default()));
        let result = run();
        (result, WORK.with(Cell::get))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position;
    use proptest::prelude::*;

    proptest! {
        /// The table gives `position::position`'s answer at every
        /// character boundary, in both encodings, and so does a source
        /// file's own table.
        #[test]
        fn agrees_with_position(text in "(a|规|😀|\n|\r\n|\r| |\"|//){0,40}") {
            let index = LineIndex::new(&text);
            let file = SourceFile::new(FileId(0), String::new(), String::new(), text.as_str().into());
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|offset| text.is_char_boundary(*offset))
                .collect();
            // In order, backwards (the last position cannot be counted
            // from), and alternating encodings.
            for offset in boundaries.iter().chain(boundaries.iter().rev()).copied() {
                for encoding in [Encoding::Utf8, Encoding::Utf16] {
                    let expected = position::position(&text, offset, encoding);
                    prop_assert_eq!(index.position(offset, encoding), expected);
                    prop_assert_eq!(position_in(&file, offset, encoding), expected);
                }
            }
        }
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let text = "规则\n😀x";
        let index = LineIndex::new(text);
        let end = Position {
            line: 1,
            character: 3,
        };
        assert_eq!(index.position(99, Encoding::Utf16), end);
        // Inside `😀` (bytes 7..11): its start.
        assert_eq!(
            index.position(9, Encoding::Utf16),
            Position {
                line: 1,
                character: 0
            }
        );
    }
}

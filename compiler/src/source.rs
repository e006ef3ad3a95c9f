//! Source files, file ids and byte spans.
//!
//! Every position in the compiler is a byte span into one file's text.
//! Lines and columns are computed only at the edges (rendering, JSON, IR),
//! from the line table each file keeps.

use std::sync::Arc;

use serde::Serialize;

/// The largest `.camp` file the compiler reads (8 MiB). Campaign files are
/// a few kilobytes; anything this large is a generated or wrong file.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Index of a file in its package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range `[start, end)` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column. Columns count Unicode scalar values
/// (characters), so `规则` is two columns wide, as a person counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

/// One source file of a package. The text is valid UTF-8; bytes that were
/// not are reported by [`crate::package::decode_source`] before a
/// `SourceFile` exists.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as the user gave or walked it, for messages.
    pub path: String,
    /// The path relative to the package root, with `/` separators, for the IR.
    pub relative_path: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(id: FileId, path: String, relative_path: String, text: Arc<str>) -> SourceFile {
        let mut line_starts = vec![0u32];
        for (offset, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(u32::try_from(offset + 1).unwrap_or(u32::MAX));
            }
        }
        SourceFile {
            id,
            path,
            relative_path,
            text,
            line_starts,
        }
    }

    /// The text a span covers, or `""` if the span is not in this file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The 1-based line and character column of a byte offset.
    pub fn line_column(&self, offset: u32) -> LineColumn {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let prefix = self
            .text
            .get(line_start as usize..offset as usize)
            .unwrap_or("");
        LineColumn {
            line: u32::try_from(line_index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset where a 0-based line starts, if the line exists.
    pub fn line_start(&self, line_index: usize) -> Option<u32> {
        self.line_starts.get(line_index).copied()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// All files of a package, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: String, relative_path: String, text: Arc<str>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files
            .push(SourceFile::new(id, path, relative_path, text));
        id
    }

    /// A map of files built elsewhere; each file's id must be its index.
    pub fn from_files(files: Vec<SourceFile>) -> SourceMap {
        debug_assert!(
            files
                .iter()
                .enumerate()
                .all(|(index, file)| file.id.0 as usize == index)
        );
        SourceMap { files }
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file)
            .map(|file| file.slice(span))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new(
            FileId(0),
            "a.camp".into(),
            "a.camp".into(),
            "title: \"规则\" x\nnext".into(),
        );
        let x = file.text.find('x').unwrap_or(0) as u32;
        assert_eq!(
            file.line_column(x),
            LineColumn {
                line: 1,
                column: 13
            }
        );
        let next = file.text.find("next").unwrap_or(0) as u32;
        assert_eq!(file.line_column(next), LineColumn { line: 2, column: 1 });
    }
}

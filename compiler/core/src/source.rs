//! Source files, file ids and byte spans.
//!
//! Every position in the compiler is a byte span into one file's text.
//! Lines and columns are computed only at the edges (rendering, JSON, IR),
//! from the line table each file keeps.
//!
//! A line ends at `\n`, at `\r\n`, or at a `\r` not followed by `\n`, as
//! in editors and the Language Server Protocol. Every part of the compiler
//! that cares where a line ends (comments, strings, the item splitter,
//! suppressions, the formatter, this line table) goes through
//! [`split_lines_inclusive`] or [`is_line_break`], so that a lone carriage
//! return can never end a line for the editor and not for the compiler.

use std::sync::Arc;

use serde::Serialize;

/// The largest `.camp` file the compiler reads (8 MiB). Campaign files are
/// a few kilobytes; anything this large is a generated or wrong file.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Whether the byte at `index` ends a line: a `\n`, or a `\r` that is not
/// the first half of `\r\n`.
pub fn is_line_break(bytes: &[u8], index: usize) -> bool {
    match bytes.get(index) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(index + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The lines of `text`, each with its line ending (`\n`, `\r\n` or a lone
/// `\r`); the last one may have none. Like `str::split_inclusive('\n')`,
/// but a lone `\r` ends a line too.
pub fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = memchr::memchr2(b'\n', b'\r', bytes).map_or(bytes.len(), |index| {
            if bytes.get(index) == Some(&b'\r') && bytes.get(index + 1) == Some(&b'\n') {
                index + 2
            } else {
                index + 1
            }
        });
        let (line, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        rest = after;
        Some(line)
    })
}

/// The lines of `text` without their line endings. Like `str::lines`, but
/// a lone `\r` ends a line too.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    split_lines_inclusive(text).map(|line| line.trim_end_matches(['\n', '\r']))
}

/// The byte offset of each line's start (the first is 0).
pub fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = vec![0u32];
    for offset in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if is_line_break(bytes, offset) {
            starts.push(u32::try_from(offset + 1).unwrap_or(u32::MAX));
        }
    }
    starts
}

/// Index of a file in its package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// The id of the package's `camp.toml` in its [`SourceMap`]: not one
    /// of the `.camp` files (which are numbered from 0), so that adding it
    /// moves no other file's spans.
    pub const MANIFEST: FileId = FileId(u32::MAX);
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct LineColumn {
    #[schemars(range(min = 1))]
    pub line: u32,
    #[schemars(range(min = 1))]
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
    /// Shared: a copy of an unchanged file (the language server's parse
    /// cache and each analysis) does not copy its line table.
    line_starts: Arc<[u32]>,
}

impl SourceFile {
    pub fn new(id: FileId, path: String, relative_path: String, text: Arc<str>) -> SourceFile {
        let line_starts = Arc::from(line_starts(&text));
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
        // An offset inside a `\r\n` is at the end of its line.
        let prefix = self
            .text
            .get(line_start as usize..offset as usize)
            .unwrap_or("")
            .trim_end_matches('\r');
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
    /// The package's `camp.toml`, under [`FileId::MANIFEST`], so that a
    /// diagnostic about it renders like any other. Not in [`files`](SourceMap::files).
    manifest: Option<Box<SourceFile>>,
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
        SourceMap {
            files,
            manifest: None,
        }
    }

    /// Sets the package's `camp.toml` (its path for messages and its
    /// text), the file [`FileId::MANIFEST`] names.
    pub fn set_manifest(&mut self, path: String, text: Arc<str>) {
        let relative_path = String::from(crate::manifest::MANIFEST);
        self.manifest = Some(Box::new(SourceFile::new(
            FileId::MANIFEST,
            path,
            relative_path,
            text,
        )));
    }

    /// The package's `camp.toml`, if it has one.
    pub fn manifest(&self) -> Option<&SourceFile> {
        self.manifest.as_deref()
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        if id == FileId::MANIFEST {
            return self.manifest.as_deref();
        }
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

    #[test]
    fn every_line_ending_ends_a_line() {
        let text = "a\nb\r\nc\rd\r\re";
        let split: Vec<&str> = split_lines_inclusive(text).collect();
        assert_eq!(split, vec!["a\n", "b\r\n", "c\r", "d\r", "\r", "e"]);
        assert_eq!(
            lines(text).collect::<Vec<_>>(),
            vec!["a", "b", "c", "d", "", "e"]
        );
        let file = SourceFile::new(FileId(0), "a.camp".into(), "a.camp".into(), text.into());
        assert_eq!(file.line_count(), 6);
        let e = text.find('e').unwrap_or(0) as u32;
        assert_eq!(file.line_column(e), LineColumn { line: 6, column: 1 });
        // The `\n` of a `\r\n` is at the end of its line, like the `\r`.
        let lf = text.find("\r\n").unwrap_or(0) as u32 + 1;
        assert_eq!(file.line_column(lf), LineColumn { line: 2, column: 2 });
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("x\n").collect::<Vec<_>>(), vec!["x"]);
    }
}

//! A package's analysis as the server keeps it: with an index from each
//! file's path and URI to its id, so that a request or a publication finds
//! a file by hash instead of comparing every path of a package of
//! thousands of files. An edit that keeps the package's file list keeps
//! the index (shared, not rebuilt).

use std::collections::HashMap;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use camp_core::package::Analysis;
use camp_core::source::{FileId, SourceFile};

/// An analysis and the index of its files.
#[derive(Debug)]
pub(crate) struct Checked {
    analysis: Analysis,
    files: Arc<FileIndex>,
}

/// Each file of an analysis by absolute path and by URI, and each file's
/// URI by id.
#[derive(Debug, Default)]
pub(crate) struct FileIndex {
    /// The files' paths as the check listed them, in id order: the index
    /// is re-used while they are the same.
    paths: Vec<String>,
    by_path: HashMap<PathBuf, FileId, foldhash::fast::RandomState>,
    by_uri: HashMap<String, FileId, foldhash::fast::RandomState>,
    uris: Vec<String>,
}

impl FileIndex {
    fn new(analysis: &Analysis) -> FileIndex {
        let mut index = FileIndex::default();
        for file in analysis.sources.files() {
            let absolute =
                std::path::absolute(&file.path).unwrap_or_else(|_| PathBuf::from(&file.path));
            let uri = crate::file_uri(&file.path);
            index.paths.push(file.path.clone());
            index.by_path.entry(absolute).or_insert(file.id);
            index.by_uri.entry(uri.clone()).or_insert(file.id);
            index.uris.push(uri);
        }
        index
    }

    /// Whether this index is that of `analysis`'s files.
    fn fits(&self, analysis: &Analysis) -> bool {
        let files = analysis.sources.files();
        files.len() == self.paths.len()
            && files
                .iter()
                .zip(&self.paths)
                .enumerate()
                .all(|(at, (file, path))| file.id.0 as usize == at && file.path == *path)
    }
}

impl Checked {
    /// An analysis with its index: `previous`'s when the files are the
    /// same, else a new one.
    pub(crate) fn new(analysis: Analysis, previous: Option<&Checked>) -> Checked {
        let files = match previous {
            Some(previous) if previous.files.fits(&analysis) => Arc::clone(&previous.files),
            _ => Arc::new(FileIndex::new(&analysis)),
        };
        Checked { analysis, files }
    }

    pub(crate) fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The file at an absolute path.
    pub(crate) fn source(&self, path: &Path) -> Option<&SourceFile> {
        let id = *self.files.by_path.get(path)?;
        self.analysis.sources.get(id)
    }

    /// The id of the file with this URI.
    pub(crate) fn file_with_uri(&self, uri: &str) -> Option<FileId> {
        self.files.by_uri.get(uri).copied()
    }

    /// A file's URI, by id.
    pub(crate) fn uri(&self, file: FileId) -> Option<&str> {
        self.files.uris.get(file.0 as usize).map(String::as_str)
    }
}

impl Deref for Checked {
    type Target = Analysis;

    fn deref(&self) -> &Analysis {
        &self.analysis
    }
}

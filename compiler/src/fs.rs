//! The disk side of the IO boundary: finding packages, walking their
//! `.camp` files (honouring `.gitignore`), reading them in parallel,
//! reading `camp.toml`, and writing IR atomically ([`ir_folder`]). Only
//! this module and `main.rs` touch the file system.

pub mod ir_folder;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::lint::LintConfig;
use crate::package::{FileSource, InputFile, PackageInput};

/// The manifest file that marks a package root.
pub const MANIFEST: &str = "camp.toml";

/// An IO failure, with the path it concerns, for exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("`{path}` does not exist")]
    Missing { path: String },
    #[error("`{path}` is not valid: {message}")]
    Manifest { path: String, message: String },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What `camp.toml` holds (this part of it).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub package: PackageSection,
    /// Lint levels and options; read by the linter.
    #[serde(default)]
    pub lints: toml::Table,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSection {
    pub name: Option<String>,
}

pub fn read_manifest(root: &Path) -> Result<Option<Manifest>, FsError> {
    let path = root.join(MANIFEST);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| FsError::Read {
        path: display(&path),
        source,
    })?;
    toml::from_str::<Manifest>(&text)
        .map(Some)
        .map_err(|error| FsError::Manifest {
            path: display(&path),
            message: error.message().to_string(),
        })
}

/// A path for messages, with `/` on every platform.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(String::from).unwrap_or(text)
}

/// One package to check: its root and, when the user named single files,
/// just those files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackageRoot {
    pub root: PathBuf,
    pub only: Option<Vec<PathBuf>>,
}

/// Finds the packages the command-line paths name.
///
/// - A folder inside a package (a `camp.toml` in it or above it) is that package.
/// - A folder holding packages below it is each of them; `.camp` files in
///   it outside any package form one more package rooted at the folder.
/// - A folder with no `camp.toml` anywhere is one package.
/// - A file is checked with the package it belongs to, or alone.
pub fn find_packages(paths: &[PathBuf]) -> Result<Vec<PackageRoot>, FsError> {
    let mut roots: Vec<PackageRoot> = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(FsError::Missing {
                path: display(path),
            });
        }
        if path.is_file() {
            match enclosing_package(path.parent().unwrap_or(Path::new("."))) {
                Some(root) => roots.push(PackageRoot { root, only: None }),
                None => roots.push(PackageRoot {
                    root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                    only: Some(vec![path.clone()]),
                }),
            }
            continue;
        }
        if let Some(root) = enclosing_package(path) {
            roots.push(PackageRoot { root, only: None });
            continue;
        }
        let (all_files, nested) = walk(path)?;
        if nested.is_empty() {
            roots.push(PackageRoot {
                root: path.clone(),
                only: None,
            });
            continue;
        }
        let stray: Vec<PathBuf> = all_files
            .into_iter()
            .filter(|file| !nested.iter().any(|root| file.starts_with(root)))
            .collect();
        roots.extend(
            nested
                .into_iter()
                .map(|root| PackageRoot { root, only: None }),
        );
        if !stray.is_empty() {
            roots.push(PackageRoot {
                root: path.clone(),
                only: Some(stray),
            });
        }
    }
    roots.sort();
    roots.dedup();
    Ok(roots)
}

/// The nearest folder at or above `dir` holding `camp.toml`.
fn enclosing_package(dir: &Path) -> Option<PathBuf> {
    let start = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let absolute = start.canonicalize().ok()?;
    // The same folder as the user wrote it: `examples/platform`, not
    // `examples/platform/campaigns/..`, so paths in messages and editors
    // stay clean.
    let mut written = start.to_path_buf();
    for ancestor in absolute.ancestors() {
        if ancestor.join(MANIFEST).is_file() {
            return Some(if written.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                written
            });
        }
        let last_is_name = matches!(
            written.components().next_back(),
            Some(std::path::Component::Normal(_))
        );
        if last_is_name {
            written.pop();
        } else {
            written.push("..");
        }
    }
    None
}

/// One walk of a folder: its `.camp` files and the folders holding a
/// `camp.toml`, both sorted, honouring `.gitignore` and hidden files. The
/// walk runs on several threads; sorting afterwards keeps it deterministic.
fn walk(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), FsError> {
    enum Found {
        Camp(PathBuf),
        Manifest(PathBuf),
        Error(String),
    }
    let found = std::sync::Mutex::new(Vec::new());
    ignore::WalkBuilder::new(root)
        .require_git(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let item = match entry {
                    Err(error) => Some(Found::Error(error.to_string())),
                    Ok(entry) if entry.file_type().is_some_and(|kind| kind.is_file()) => {
                        let path = entry.path();
                        if path
                            .extension()
                            .is_some_and(|extension| extension == "camp")
                        {
                            Some(Found::Camp(path.to_path_buf()))
                        } else if entry.file_name() == MANIFEST {
                            path.parent()
                                .map(|parent| Found::Manifest(parent.to_path_buf()))
                        } else {
                            None
                        }
                    }
                    Ok(_) => None,
                };
                if let (Some(item), Ok(mut found)) = (item, found.lock()) {
                    found.push(item);
                }
                ignore::WalkState::Continue
            })
        });
    let found = found.into_inner().unwrap_or_default();
    let mut files = Vec::new();
    let mut manifests = Vec::new();
    for item in found {
        match item {
            Found::Camp(path) => files.push(path),
            Found::Manifest(path) => manifests.push(path),
            Found::Error(message) => {
                return Err(FsError::Read {
                    path: display(root),
                    source: std::io::Error::other(message),
                });
            }
        }
    }
    files.sort();
    manifests.sort();
    Ok((files, manifests))
}

/// Every `.camp` file below `root`, honouring `.gitignore` and hidden files.
pub fn camp_files(root: &Path) -> Result<Vec<PathBuf>, FsError> {
    walk(root).map(|(files, _)| files)
}

/// The files of a package, read in parallel.
pub fn load_package(package: &PackageRoot) -> Result<PackageInput, FsError> {
    let files = match &package.only {
        Some(only) => only.clone(),
        None => {
            let (mut files, manifests) = walk(&package.root)?;
            // A nested package's files are its own, not this one's.
            let nested: Vec<&PathBuf> = manifests
                .iter()
                .filter(|root| **root != package.root)
                .collect();
            files.retain(|file| !nested.iter().any(|root| file.starts_with(root)));
            files
        }
    };
    let inputs: Result<Vec<InputFile>, FsError> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).map_err(|source| FsError::Read {
                path: display(file),
                source,
            })?;
            let relative = file.strip_prefix(&package.root).unwrap_or(file);
            Ok(InputFile {
                path: display(file),
                relative_path: display(relative),
                bytes,
            })
        })
        .collect();
    let manifest = read_manifest(&package.root)?.unwrap_or_default();
    let lints = LintConfig::from_table(&manifest.lints).map_err(|problems| FsError::Manifest {
        path: display(&package.root.join(MANIFEST)),
        message: problems.join("; "),
    })?;
    Ok(PackageInput {
        name: manifest.package.name,
        files: inputs?,
        lints,
    })
}

/// [`FileSource`] on the disk, for callers that want the trait.
#[derive(Debug, Default, Clone, Copy)]
pub struct DiskFiles;

impl FileSource for DiskFiles {
    fn list(&self, root: &Path) -> std::io::Result<Vec<(String, String)>> {
        let files = camp_files(root).map_err(|error| std::io::Error::other(error.to_string()))?;
        Ok(files
            .iter()
            .map(|file| {
                (
                    display(file),
                    display(file.strip_prefix(root).unwrap_or(file)),
                )
            })
            .collect())
    }

    fn read(&self, display_path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(display_path)
    }
}

/// Replaces one file's content atomically: a temporary file beside it,
/// then a rename over it.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let write_error = |source: std::io::Error| FsError::Write {
        path: display(path),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut staged = tempfile::NamedTempFile::new_in(&folder).map_err(write_error)?;
    std::io::Write::write_all(&mut staged, bytes).map_err(write_error)?;
    staged
        .persist(path)
        .map_err(|error| write_error(error.error))?;
    Ok(())
}

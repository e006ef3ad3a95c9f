//! A package as a git revision holds it, read through the `git` command
//! (`rev-parse`, `ls-tree`, one `cat-file --batch` for every file), never
//! touching the working tree or the index: the other side of `campc diff
//! REV [PATH]`.
//!
//! The package is the folder the working tree's package root is at, in
//! the revision's tree: its `.camp` files and its `camp.toml`, nothing
//! outside it, nothing in a folder below it that holds its own
//! `camp.toml` (another package), no hidden file or folder, no symbolic
//! link or submodule, as the disk walk has it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use camp_core::manifest::MANIFEST;
use camp_core::package::{FileBytes, FileSource, ListedFile};

use crate::FsError;

/// The files of one package at one revision, read into memory.
#[derive(Debug, Clone)]
pub struct GitFiles {
    /// `REV:path/to/package/`: how messages name a file (with its path).
    label: String,
    files: Vec<(ListedFile, Vec<u8>)>,
    manifest: Option<(String, Vec<u8>)>,
}

fn git_error(message: String) -> FsError {
    FsError::Git { message }
}

/// Runs `git` in `folder` and returns its standard output, or its
/// standard error as the failure.
fn git(folder: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, FsError> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(folder)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|error| git_error(format!("cannot run `git`: {error}")))?;
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => {
            let bytes = bytes.to_vec();
            Some(std::thread::spawn(move || stdin.write_all(&bytes)))
        }
        _ => None,
    };
    let output = child
        .wait_with_output()
        .map_err(|error| git_error(format!("cannot run `git`: {error}")))?;
    if let Some(writer) = writer {
        match writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Err(git_error(format!("cannot talk to `git`: {error}"))),
            Err(_) => return Err(git_error(String::from("cannot talk to `git`"))),
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(git_error(format!(
            "`git {}` failed: {}",
            args.first().copied().unwrap_or_default(),
            stderr.trim()
        )));
    }
    Ok(output.stdout)
}

fn text(bytes: Vec<u8>) -> Result<String, FsError> {
    String::from_utf8(bytes)
        .map(|text| text.trim_end_matches(['\n', '\r']).to_string())
        .map_err(|_| git_error(String::from("`git` answered with bytes that are not UTF-8")))
}

impl GitFiles {
    /// The package whose root is `root` (a folder in a git working tree)
    /// as `revision` holds it. A revision git does not know, or a folder
    /// outside a repository, is an error; a revision in which the folder
    /// holds no `.camp` file gives a package of no files.
    pub fn open(root: &Path, revision: &str) -> Result<GitFiles, FsError> {
        let root = root.canonicalize().map_err(|source| FsError::Read {
            path: crate::display(root),
            source,
        })?;
        let top = PathBuf::from(text(git(&root, &["rev-parse", "--show-toplevel"], None)?)?);
        let top = top.canonicalize().map_err(|source| FsError::Read {
            path: crate::display(&top),
            source,
        })?;
        let prefix = match root.strip_prefix(&top) {
            Ok(relative) if relative.as_os_str().is_empty() => String::new(),
            Ok(relative) => format!("{}/", crate::display(relative)),
            Err(_) => {
                return Err(git_error(format!(
                    "`{}` is not inside the repository at `{}`",
                    crate::display(&root),
                    crate::display(&top)
                )));
            }
        };
        let commit = format!("{revision}^{{commit}}");
        let commit = text(
            git(
                &top,
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    "--end-of-options",
                    &commit,
                ],
                None,
            )
            .map_err(|_| {
                git_error(format!(
                    "`{revision}` is not a revision of the repository at `{}`",
                    crate::display(&top)
                ))
            })?,
        )?;
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit.as_str()];
        if !prefix.is_empty() {
            args.push("--");
            args.push(prefix.as_str());
        }
        let listing = git(&top, &args, None)?;
        let entries = package_entries(&listing, &prefix);
        let wanted: Vec<&str> = entries.iter().map(|(_, oid)| oid.as_str()).collect();
        let mut blobs = read_blobs(&top, &wanted)?.into_iter();
        let label = format!("{revision}:{prefix}");
        let mut files = Vec::new();
        let mut manifest = None;
        for (relative, _) in &entries {
            let bytes = blobs
                .next()
                .ok_or_else(|| git_error(String::from("`git cat-file` answered too few files")))?;
            if relative == MANIFEST {
                manifest = Some((format!("{label}{relative}"), bytes));
            } else {
                files.push((
                    ListedFile {
                        path: format!("{label}{relative}"),
                        relative_path: relative.clone(),
                    },
                    bytes,
                ));
            }
        }
        Ok(GitFiles {
            label,
            files,
            manifest,
        })
    }

    /// `REV:path/`.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The package's files in an `ls-tree -r -z` listing: `(path relative to
/// the package root, object id)`, sorted by path.
fn package_entries(listing: &[u8], prefix: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for record in listing.split(|byte| *byte == 0) {
        let Ok(record) = std::str::from_utf8(record) else {
            continue;
        };
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split(' ');
        let (Some(mode), Some(kind), Some(oid)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // Regular files only: no link, no submodule.
        if kind != "blob" || !(mode == "100644" || mode == "100755") {
            continue;
        }
        let Some(relative) = path.strip_prefix(prefix) else {
            continue;
        };
        if relative.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        entries.push((relative.to_string(), oid.to_string()));
    }
    // Folders below the root with their own `camp.toml` are other packages.
    let nested: Vec<String> = entries
        .iter()
        .filter_map(|(path, _)| path.strip_suffix(MANIFEST))
        .filter(|folder| !folder.is_empty() && folder.ends_with('/'))
        .map(String::from)
        .collect();
    entries.retain(|(path, _)| {
        (path == MANIFEST || path.ends_with(".camp"))
            && !nested
                .iter()
                .any(|folder| path.starts_with(folder.as_str()))
    });
    entries.sort();
    entries
}

/// The contents of each object, in order, from one `git cat-file --batch`.
fn read_blobs(top: &Path, oids: &[&str]) -> Result<Vec<Vec<u8>>, FsError> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    let mut input = oids.join("\n");
    input.push('\n');
    let output = git(top, &["cat-file", "--batch"], Some(input.as_bytes()))?;
    let mut blobs = Vec::with_capacity(oids.len());
    let mut rest = output.as_slice();
    for _ in oids {
        let short = || git_error(String::from("`git cat-file` answered less than asked"));
        let end = rest
            .iter()
            .position(|byte| *byte == b'\n')
            .ok_or_else(short)?;
        let header =
            std::str::from_utf8(rest.get(..end).ok_or_else(short)?).map_err(|_| short())?;
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|size| size.parse().ok())
            .ok_or_else(|| git_error(format!("`git cat-file` answered `{header}`")))?;
        let start = end + 1;
        let stop = start.checked_add(size).ok_or_else(short)?;
        let blob = rest.get(start..stop).ok_or_else(short)?;
        blobs.push(blob.to_vec());
        // The contents end with a line feed of their own.
        rest = rest.get(stop + 1..).unwrap_or_default();
    }
    Ok(blobs)
}

impl FileSource for GitFiles {
    type Error = FsError;

    fn list(&self) -> Result<Vec<ListedFile>, FsError> {
        Ok(self.files.iter().map(|(file, _)| file.clone()).collect())
    }

    fn read(&self, index: usize, _: &ListedFile) -> Result<FileBytes, FsError> {
        self.files
            .get(index)
            .map(|(_, bytes)| FileBytes::Read(bytes.clone()))
            .ok_or_else(|| git_error(String::from("a file listed is not read")))
    }

    fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, FsError> {
        Ok(self.manifest.clone())
    }
}

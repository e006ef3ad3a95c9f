//! The folder `campc build --out` writes: where it may be, and how it is
//! replaced.
//!
//! `campc build` replaces its `--out` folder as a whole, so it first makes
//! sure that the folder is its own. Every IR folder it writes holds a
//! marker, [`MARKER`], listing the files it wrote. An existing `--out` is
//! replaced only when it is an empty folder, or a folder with the marker
//! holding no file the marker does not list. `--out` is never a symbolic
//! link, a file, a package, a folder inside a package or one holding the
//! package being built.
//!
//! Replacing, under a lock on a file beside `--out` (so that builds to one
//! folder take turns): the new IR is written into a staging folder beside
//! `--out`, which is then exchanged with `--out` in one step (`renameat2`
//! with `RENAME_EXCHANGE` on Linux, `renameatx_np` with `RENAME_SWAP` on
//! macOS), so a reader sees the old IR or the new one, never none. Where
//! there is no exchange (another system, or a file system without it), the
//! old folder is renamed aside and the new one into place: for that moment
//! there is no folder. The old IR is then deleted, and only the files its
//! marker lists. Staging and old folders are named
//! `.<out>.campc-build-XXXXXX` and `.<out>.campc-old-XXXXXX`; a build
//! killed midway leaves them behind and the next build to the same `--out`
//! deletes them, again only the files their markers list.
//!
//! A build costs what changed. The files `--out` already holds byte for
//! byte are compared first (read, never written): when every file, the
//! marker and the folders are the same, nothing is written at all. Else
//! each unchanged file enters the staging folder as a hard link to the
//! one in `--out` (no new file, no bytes written; its modification time
//! stays), and only new and changed files are written; the old IR's names
//! are then deleted as before, which deletes the files no longer built.
//! Where a link cannot be made the file is written. On a loaded file
//! system creating a file costs about a hundred times what linking or
//! deleting one does, so a rebuild after a small change costs little more
//! than reading the IR back. Nothing is synced to the disk (`fsync`), as
//! before: the promise is about killed builds and concurrent readers, not
//! about power loss.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::{FsError, MANIFEST, display};

/// The marker file in every IR folder `campc build` writes.
pub const MARKER: &str = ".campc-ir";

/// The marker's first line, by which `campc build` knows its own folders.
const MARKER_HEADER: &str = "# This folder is the IR of a Camp package, written by `campc build`.";

const MARKER_EXPLANATION: &str = "\
# The next build with this folder as `--out` replaces it as a whole: it
# deletes the files listed below, and refuses to run while the folder
# holds any other file. Keep your own files elsewhere.
";

/// The length of the random part of staging and old folders' names.
const RANDOM_CHARS: usize = 6;

/// Why `--out` cannot be written, or an IO failure.
#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error("cannot write the IR to `{out}`: {reason}; {advice}")]
    Refused {
        out: String,
        reason: String,
        advice: &'static str,
    },
    #[error(transparent)]
    Fs(#[from] FsError),
}

const OUTSIDE_PACKAGES: &str = "`campc build` replaces its `--out` folder as a whole, so pick a new folder outside every package";
const NEW_OR_EMPTY: &str = "pick a new or empty folder";

/// A checked `--out`: not a package, not in one, not a link, and (when it
/// exists) an empty folder or an IR folder `campc build` wrote.
#[derive(Debug, Clone)]
pub struct IrFolder {
    /// As the user wrote it, for messages.
    shown: String,
    /// The folder holding `--out`, with every link resolved.
    parent: PathBuf,
    /// `--out`'s own name in `parent`.
    name: String,
}

/// What is at `--out` now.
enum Existing {
    Missing,
    /// An empty folder, or an IR folder holding only the files its marker
    /// lists.
    Ours(Held),
}

/// What an existing `--out` holds that `campc build` may reuse.
#[derive(Default)]
struct Held {
    /// Its marker's text (empty for an empty folder).
    marker: String,
    /// The files its marker lists.
    listed: HashSet<PathBuf>,
    /// Its folders, relative to it.
    folders: HashSet<PathBuf>,
}

/// What [`IrFolder::write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written with new bytes (new files on disk).
    pub written: usize,
    /// Files `--out` already held byte for byte: linked into the new IR,
    /// or left in place when nothing changed. Not rewritten.
    pub unchanged: usize,
    /// Files of the previous IR that the build no longer has, deleted.
    pub removed: usize,
    /// Whether `--out` was left as it was: the build is the IR it holds.
    pub up_to_date: bool,
    /// Folders of earlier builds it could not delete because they hold
    /// files it did not write.
    pub left_behind: Vec<PathBuf>,
}

impl IrFolder {
    /// Checks `out` as the IR folder of the package at `package` (the path
    /// given to `campc build`: the package folder, a folder or file inside
    /// it). Touches nothing.
    pub fn check(out: &Path, package: &Path) -> Result<Self, OutError> {
        let shown = display(out);
        let refuse = |reason: String, advice: &'static str| OutError::Refused {
            out: shown.clone(),
            reason,
            advice,
        };
        // Without a trailing `/`, which would make the check follow a link.
        let named: PathBuf = out.components().collect();
        if let Ok(metadata) = std::fs::symlink_metadata(&named)
            && metadata.file_type().is_symlink()
        {
            let target = std::fs::read_link(&named)
                .map(|target| format!(" to `{}`", display(&target)))
                .unwrap_or_default();
            return Err(refuse(
                format!("it is a symbolic link{target}, and `campc build` never replaces a link"),
                "pass the folder it points to, or a new folder",
            ));
        }
        let resolved = resolve(out)?;
        let package = package_root(package)?;
        let relation = if resolved == package {
            Some("it is")
        } else if resolved.starts_with(&package) {
            Some("it is inside")
        } else if package.starts_with(&resolved) {
            Some("it holds")
        } else {
            None
        };
        if let Some(relation) = relation {
            return Err(refuse(
                format!("{relation} the package `{}`", shown_path(&package)),
                OUTSIDE_PACKAGES,
            ));
        }
        for folder in resolved.ancestors() {
            if folder.join(MANIFEST).is_file() {
                let reason = if folder == resolved {
                    format!("it is a package (it holds `{MANIFEST}`)")
                } else {
                    format!("it is inside the package `{}`", shown_path(folder))
                };
                return Err(refuse(reason, OUTSIDE_PACKAGES));
            }
        }
        let (Some(parent), Some(name)) = (
            resolved.parent(),
            resolved.file_name().and_then(|name| name.to_str()),
        ) else {
            return Err(refuse(
                String::from("it has no parent folder or its name is not UTF-8"),
                NEW_OR_EMPTY,
            ));
        };
        let folder = IrFolder {
            shown: shown.clone(),
            parent: parent.to_path_buf(),
            name: name.to_string(),
        };
        folder.existing()?;
        Ok(folder)
    }

    /// `--out` with every link above it resolved.
    fn path(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    fn refuse(&self, reason: String, advice: &'static str) -> OutError {
        OutError::Refused {
            out: self.shown.clone(),
            reason,
            advice,
        }
    }

    /// Whether `--out` may be replaced, from what is there now.
    fn existing(&self) -> Result<Existing, OutError> {
        let path = self.path();
        let metadata = match std::fs::symlink_metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Existing::Missing);
            }
            Err(source) => return Err(read_error(&path, source).into()),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            return Err(self.refuse(
                String::from("it is a symbolic link, and `campc build` never replaces a link"),
                "pass the folder it points to, or a new folder",
            ));
        }
        if kind.is_file() {
            return Err(self.refuse(String::from("it is a file, not a folder"), NEW_OR_EMPTY));
        }
        if !kind.is_dir() {
            return Err(self.refuse(String::from("it is not a folder"), NEW_OR_EMPTY));
        }
        let mut children = std::fs::read_dir(&path).map_err(|source| read_error(&path, source))?;
        if children.next().is_none() {
            return Ok(Existing::Ours(Held::default()));
        }
        let (marker, listed) = match read_marker(&path) {
            Marker::Missing => {
                return Err(self.refuse(
                    format!(
                        "it is a folder `campc build` did not write: it is not empty and has no `{MARKER}` marker"
                    ),
                    NEW_OR_EMPTY,
                ));
            }
            Marker::Damaged => {
                return Err(self.refuse(
                    format!("its `{MARKER}` marker is not one `campc build` wrote"),
                    NEW_OR_EMPTY,
                ));
            }
            Marker::Lists { text, listed } => (text, listed),
        };
        let mut folders = HashSet::new();
        let entries = entries(&path).map_err(|source| read_error(&path, source))?;
        for (relative, kind) in entries {
            let ours = match kind {
                Kind::Folder => {
                    folders.insert(relative);
                    continue;
                }
                Kind::File => relative == Path::new(MARKER) || listed.contains(&relative),
                Kind::Other => false,
            };
            if !ours {
                return Err(self.refuse(
                    format!(
                        "it holds `{}`, which `campc build` did not write",
                        display(&relative)
                    ),
                    "move it out of the folder (a build replaces the folder as a whole), or pick a new folder",
                ));
            }
        }
        Ok(Existing::Ours(Held {
            marker,
            listed,
            folders,
        }))
    }

    /// Writes `files` (relative path → bytes) as the whole content of the
    /// folder, replacing what is there: files `--out` already holds byte
    /// for byte are kept (linked, not rewritten), and when all are, and no
    /// other file or folder is there, nothing is written.
    pub fn write(&self, files: &[(String, Vec<u8>)]) -> Result<Written, OutError> {
        for (relative, _) in files {
            if relative.is_empty()
                || relative.contains('\n')
                || !is_plain_relative(Path::new(relative))
                || relative == MARKER
            {
                return Err(FsError::Write {
                    path: relative.clone(),
                    source: std::io::Error::other("not a plain relative path"),
                }
                .into());
            }
        }
        std::fs::create_dir_all(&self.parent)
            .map_err(|source| write_error(&self.parent, source))?;
        let _lock = Lock::acquire(&self.parent.join(format!(".{}.campc-lock", self.name)))?;
        let left_behind = self.remove_leftovers();
        let existing = self.existing()?;
        let out = self.path();
        let marker = marker_text(files);
        let (held, removed) = match &existing {
            Existing::Missing => (vec![false; files.len()], 0),
            Existing::Ours(held) => {
                let same = same_bytes(&out, &held.listed, files);
                let built: HashSet<&Path> = files
                    .iter()
                    .map(|(relative, _)| Path::new(relative))
                    .collect();
                let removed = held
                    .listed
                    .iter()
                    .filter(|listed| !built.contains(listed.as_path()))
                    .count();
                if removed == 0
                    && held.marker == marker
                    && same.iter().all(|same| *same)
                    && held.folders == folders_of(files)
                {
                    return Ok(Written {
                        written: 0,
                        unchanged: files.len(),
                        removed: 0,
                        up_to_date: true,
                        left_behind,
                    });
                }
                (same, removed)
            }
        };
        let staging = tempfile::Builder::new()
            .prefix(&self.staging_prefix())
            .rand_bytes(RANDOM_CHARS)
            .tempdir_in(&self.parent)
            .map_err(|source| write_error(&self.parent, source))?
            .keep();
        let result = write_staged(&staging, files, &marker, Some((&out, held.as_slice())))
            .and_then(|linked| self.swap(&staging, &existing).map(|()| linked));
        if result.is_err() {
            remove_tree(&staging);
        }
        let unchanged = result?;
        Ok(Written {
            written: files.len().saturating_sub(unchanged),
            unchanged,
            removed,
            up_to_date: false,
            left_behind,
        })
    }

    fn staging_prefix(&self) -> String {
        format!(".{}.campc-build-", self.name)
    }

    fn old_prefix(&self) -> String {
        format!(".{}.campc-old-", self.name)
    }

    /// Puts the staged IR in place of `--out`, then deletes the old IR.
    fn swap(&self, staging: &Path, existing: &Existing) -> Result<(), FsError> {
        let out = self.path();
        match existing {
            Existing::Missing => {
                std::fs::rename(staging, &out).map_err(|source| write_error(&out, source))
            }
            Existing::Ours(_) => {
                if exchange(staging, &out).map_err(|source| write_error(&out, source))? {
                    // `staging` now holds the old IR.
                    remove_tree(staging);
                    return Ok(());
                }
                self.replace_by_renames(staging)
            }
        }
    }

    /// Where there is no exchange: moves the old IR aside, then the new IR
    /// into place, then deletes the old IR.
    fn replace_by_renames(&self, staging: &Path) -> Result<(), FsError> {
        let out = self.path();
        let suffix = staging
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_prefix(&self.staging_prefix()))
            .unwrap_or_default();
        let old = self.parent.join(format!("{}{suffix}", self.old_prefix()));
        std::fs::rename(&out, &old).map_err(|source| write_error(&out, source))?;
        if let Err(source) = std::fs::rename(staging, &out) {
            let _ = std::fs::rename(&old, &out);
            return Err(write_error(&out, source));
        }
        remove_tree(&old);
        Ok(())
    }

    /// Deletes the staging and old folders that killed builds to this
    /// `--out` left behind (only the files their markers list). Runs under
    /// the lock, so no build is using them. Returns those it could not
    /// delete entirely.
    fn remove_leftovers(&self) -> Vec<PathBuf> {
        let Ok(children) = std::fs::read_dir(&self.parent) else {
            return Vec::new();
        };
        let prefixes = [self.staging_prefix(), self.old_prefix()];
        let mut leftovers: Vec<PathBuf> = children
            .filter_map(Result::ok)
            .filter(|child| child.file_type().is_ok_and(|kind| kind.is_dir()))
            .filter(|child| {
                child.file_name().to_str().is_some_and(|name| {
                    prefixes.iter().any(|prefix| {
                        name.strip_prefix(prefix.as_str()).is_some_and(|random| {
                            random.len() == RANDOM_CHARS
                                && random.bytes().all(|byte| byte.is_ascii_alphanumeric())
                        })
                    })
                })
            })
            .map(|child| child.path())
            .collect();
        leftovers.sort();
        leftovers.retain(|leftover| !remove_tree(leftover));
        leftovers
    }
}

/// `out` made absolute with every link resolved, including in the part
/// that does not exist yet (which must then be plain names).
fn resolve(out: &Path) -> Result<PathBuf, FsError> {
    let absolute = std::path::absolute(out).map_err(|source| write_error(out, source))?;
    let mut existing = absolute.clone();
    let mut missing = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        let (Some(name), Some(parent)) = (existing.file_name(), existing.parent()) else {
            return Err(FsError::Missing { path: display(out) });
        };
        missing.push(name.to_os_string());
        existing = parent.to_path_buf();
    }
    if !is_plain_relative(&missing.iter().collect::<PathBuf>()) {
        return Err(FsError::Missing { path: display(out) });
    }
    let mut resolved = existing
        .canonicalize()
        .map_err(|source| read_error(&existing, source))?;
    resolved.extend(missing.iter().rev());
    Ok(resolved)
}

/// The root of the package at `package` (the path given to `campc build`):
/// the nearest folder holding `camp.toml`, else the folder named (or the
/// named file's folder), with every link resolved.
fn package_root(package: &Path) -> Result<PathBuf, FsError> {
    let resolved = package.canonicalize().map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            FsError::Missing {
                path: display(package),
            }
        } else {
            read_error(package, source)
        }
    })?;
    let folder = if resolved.is_file() {
        resolved.parent().map(Path::to_path_buf).unwrap_or(resolved)
    } else {
        resolved
    };
    Ok(folder
        .ancestors()
        .find(|ancestor| ancestor.join(MANIFEST).is_file())
        .map(Path::to_path_buf)
        .unwrap_or(folder))
}

/// A resolved path for messages: relative to the current folder when it
/// is below it or one of the folders holding it (`pkg`, `..`).
fn shown_path(path: &Path) -> String {
    let Ok(current) = std::env::current_dir().and_then(|current| current.canonicalize()) else {
        return display(path);
    };
    if let Ok(below) = path.strip_prefix(&current) {
        return if below.as_os_str().is_empty() {
            String::from(".")
        } else {
            display(below)
        };
    }
    match current.strip_prefix(path) {
        Ok(above) => vec![".."; above.components().count()].join("/"),
        Err(_) => display(path),
    }
}

/// Only names (or nothing): no root, no `..`, no `.`.
fn is_plain_relative(path: &Path) -> bool {
    path.components()
        .all(|component| matches!(component, Component::Normal(_)))
}

fn read_error(path: &Path, source: std::io::Error) -> FsError {
    FsError::Read {
        path: display(path),
        source,
    }
}

fn write_error(path: &Path, source: std::io::Error) -> FsError {
    FsError::Write {
        path: display(path),
        source,
    }
}

/// The marker of an IR folder holding `files`.
fn marker_text(files: &[(String, Vec<u8>)]) -> String {
    let mut marker = format!("{MARKER_HEADER}\n{MARKER_EXPLANATION}");
    for (relative, _) in files {
        marker.push_str(relative);
        marker.push('\n');
    }
    marker
}

/// Every folder holding one of `files`, relative to the IR folder.
fn folders_of(files: &[(String, Vec<u8>)]) -> HashSet<PathBuf> {
    files
        .iter()
        .filter_map(|(relative, _)| Path::new(relative).parent())
        .flat_map(Path::ancestors)
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect()
}

/// For each of `files`, whether `out` holds it byte for byte (a plain
/// file its marker lists). Read in parallel; a file that cannot be read
/// counts as changed.
fn same_bytes(out: &Path, listed: &HashSet<PathBuf>, files: &[(String, Vec<u8>)]) -> Vec<bool> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|(relative, bytes)| {
            listed.contains(Path::new(relative)) && holds(&out.join(relative), bytes)
        })
        .collect()
}

/// Whether the plain file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(metadata) = file.metadata() else {
        return false;
    };
    if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
        return false;
    }
    let mut held = Vec::with_capacity(bytes.len());
    // One byte more than expected, to see a file that grew meanwhile.
    file.take(bytes.len() as u64 + 1)
        .read_to_end(&mut held)
        .is_ok_and(|_| held == bytes)
}

/// Writes the marker first, then the files: a staging folder left by a
/// killed build lists every file it may hold. With `reuse` (the current
/// `--out` and, for each file, whether it holds it byte for byte), a file
/// held is linked from there rather than written, and so is the marker
/// when it is the same. Returns how many files were linked.
fn write_staged(
    staging: &Path,
    files: &[(String, Vec<u8>)],
    marker: &str,
    reuse: Option<(&Path, &[bool])>,
) -> Result<usize, FsError> {
    let marker_path = staging.join(MARKER);
    let marker_held = reuse.is_some_and(|(out, _)| holds(&out.join(MARKER), marker.as_bytes()));
    if !(marker_held
        && reuse.is_some_and(|(out, _)| std::fs::hard_link(out.join(MARKER), &marker_path).is_ok()))
    {
        std::fs::write(&marker_path, marker).map_err(|source| write_error(&marker_path, source))?;
    }
    // The folders first, each once (a build has a handful: `campaigns/`),
    // then the files in parallel, each linked or written with one write of
    // its whole bytes. Where several fail, the error is the first file's
    // in `files` order, as when they were written one by one.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|(relative, _)| Path::new(relative).parent())
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| staging.join(folder))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(|source| write_error(folder, source))?;
    }
    use rayon::prelude::*;
    let results: Vec<Result<bool, FsError>> = files
        .par_iter()
        .enumerate()
        .map(|(index, (relative, bytes))| {
            let path = staging.join(relative);
            let held = reuse.and_then(|(out, held)| {
                held.get(index)
                    .copied()
                    .unwrap_or(false)
                    .then(|| out.join(relative))
            });
            if let Some(held) = held
                && std::fs::hard_link(&held, &path).is_ok()
            {
                return Ok(true);
            }
            std::fs::write(&path, bytes)
                .map(|()| false)
                .map_err(|source| write_error(&path, source))
        })
        .collect();
    let mut linked = 0;
    for result in results {
        if result? {
            linked += 1;
        }
    }
    Ok(linked)
}

enum Marker {
    Missing,
    Damaged,
    /// Its text and the files it lists.
    Lists {
        text: String,
        listed: HashSet<PathBuf>,
    },
}

/// The files a folder's marker lists.
fn read_marker(folder: &Path) -> Marker {
    let path = folder.join(MARKER);
    let is_file = std::fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_file());
    let text = match is_file.then(|| std::fs::read_to_string(&path)) {
        None => return Marker::Missing,
        Some(Err(_)) => return Marker::Damaged,
        Some(Ok(text)) => text,
    };
    let mut lines = text.lines();
    if lines.next() != Some(MARKER_HEADER) {
        return Marker::Damaged;
    }
    let mut listed = HashSet::new();
    for line in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let path: PathBuf = line.split('/').collect();
        if !is_plain_relative(&path) || line.split('/').any(str::is_empty) {
            return Marker::Damaged;
        }
        listed.insert(path);
    }
    Marker::Lists { text, listed }
}

enum Kind {
    Folder,
    File,
    /// A symbolic link or anything else that is neither a plain file nor a
    /// folder.
    Other,
}

/// Everything below `root`, relative to it, without following links.
fn entries(root: &Path) -> std::io::Result<Vec<(PathBuf, Kind)>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for child in std::fs::read_dir(root.join(&relative))? {
            let child = child?;
            let path = relative.join(child.file_name());
            let kind = child.file_type()?;
            if kind.is_dir() {
                pending.push(path.clone());
                found.push((path, Kind::Folder));
            } else if kind.is_file() {
                found.push((path, Kind::File));
            } else {
                found.push((path, Kind::Other));
            }
        }
    }
    Ok(found)
}

/// Deletes an IR folder campc wrote: the plain files its marker lists, then
/// the marker, then the folders left empty. Anything else stays, and so
/// does the folder then. Links are never followed. Returns whether the
/// folder is gone.
fn remove_tree(root: &Path) -> bool {
    let (ours, listed) = match read_marker(root) {
        Marker::Lists { listed, .. } => (true, listed),
        Marker::Missing | Marker::Damaged => (false, HashSet::new()),
    };
    let Ok(entries) = entries(root) else {
        return false;
    };
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for (relative, kind) in entries {
        match kind {
            Kind::File if relative == Path::new(MARKER) => {}
            Kind::File if listed.contains(&relative) => files.push(relative),
            Kind::Folder => folders.push(relative),
            Kind::File | Kind::Other => {}
        }
    }
    // The files in parallel (a build of 10,000 campaigns deletes as many).
    {
        use rayon::prelude::*;
        files.par_iter().for_each(|relative| {
            let _ = std::fs::remove_file(root.join(relative));
        });
    }
    if ours {
        let _ = std::fs::remove_file(root.join(MARKER));
    }
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    for folder in folders {
        let _ = std::fs::remove_dir(root.join(folder));
    }
    std::fs::remove_dir(root).is_ok()
}

/// Exchanges two folders in one step; `false` when this system or file
/// system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(from: &Path, to: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(errno)
            if errno == Errno::INVAL
                || errno == Errno::NOSYS
                || errno == Errno::NOTSUP
                || errno == Errno::OPNOTSUPP =>
        {
            Ok(false)
        }
        Err(errno) => Err(errno.into()),
    }
}

/// Exchanges two folders in one step; `false` when this system or file
/// system cannot.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_from: &Path, _to: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// An exclusive lock on a file beside `--out`, held while a build writes
/// it. On Unix the file is deleted when the build is done; a later build
/// that locked the deleted file tries again with the new one.
struct Lock {
    path: PathBuf,
    /// Held for the lock; closing it unlocks.
    _file: File,
}

impl Lock {
    fn acquire(path: &Path) -> Result<Self, FsError> {
        loop {
            if let Ok(metadata) = std::fs::symlink_metadata(path)
                && !metadata.is_file()
            {
                return Err(write_error(
                    path,
                    std::io::Error::other("it is not a plain file; remove it"),
                ));
            }
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(|source| write_error(path, source))?;
            file.lock().map_err(|source| write_error(path, source))?;
            if !Self::is_current(&file, path).map_err(|source| write_error(path, source))? {
                continue;
            }
            if file.metadata().is_ok_and(|metadata| metadata.len() == 0) {
                let _ = file.write_all(
                    b"`campc build` locks this file while it writes the IR folder beside it\n",
                );
            }
            return Ok(Lock {
                path: path.to_path_buf(),
                _file: file,
            });
        }
    }

    /// Whether `file` is still the one at `path` (the build before may
    /// have deleted it while this one waited).
    #[cfg(unix)]
    fn is_current(file: &File, path: &Path) -> std::io::Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let held = file.metadata()?;
        match std::fs::symlink_metadata(path) {
            Ok(now) => Ok(held.dev() == now.dev() && held.ino() == now.ino()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        }
    }

    #[cfg(not(unix))]
    fn is_current(_file: &File, _path: &Path) -> std::io::Result<bool> {
        Ok(true)
    }
}

impl Drop for Lock {
    /// Deletes the file while still holding the lock (Unix; elsewhere a
    /// file in use may not be deletable, and it stays).
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            (String::from("manifest.json"), b"{}".to_vec()),
            (String::from("campaigns/a.json"), b"{\"a\":1}".to_vec()),
        ]
    }

    /// Writes `files` into `root` as a build stages them from nothing.
    fn stage(root: &Path, files: &[(String, Vec<u8>)]) -> Result<usize, FsError> {
        write_staged(root, files, &marker_text(files), None)
    }

    /// Each file below `root` with its inode and modification time: the
    /// same pair means the file was not written again.
    #[cfg(unix)]
    fn identities(
        root: &Path,
    ) -> Result<std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>, std::io::Error>
    {
        use std::os::unix::fs::MetadataExt;
        let mut found = std::collections::BTreeMap::new();
        for (relative, kind) in entries(root)? {
            if let Kind::File = kind {
                let metadata = std::fs::metadata(root.join(&relative))?;
                found.insert(relative, (metadata.ino(), metadata.modified()?));
            }
        }
        Ok(found)
    }

    fn built(scratch: &Path) -> Result<IrFolder, OutError> {
        std::fs::create_dir_all(scratch.join("package"))
            .map_err(|source| write_error(scratch, source))?;
        IrFolder::check(&scratch.join("ir"), &scratch.join("package"))
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_with_nothing_changed_writes_nothing() -> Outcome {
        let scratch = tempfile::tempdir()?;
        let folder = built(scratch.path())?;
        let first = folder.write(&files())?;
        assert_eq!((first.written, first.unchanged, first.removed), (2, 0, 0));
        assert!(!first.up_to_date);
        let out = scratch.path().join("ir");
        let before = identities(&out)?;
        let again = folder.write(&files())?;
        assert_eq!(
            again,
            Written {
                written: 0,
                unchanged: 2,
                removed: 0,
                up_to_date: true,
                left_behind: Vec::new()
            }
        );
        assert_eq!(identities(&out)?, before, "no file written again");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_writes_only_the_changed_files_and_deletes_the_stale_ones() -> Outcome {
        let scratch = tempfile::tempdir()?;
        let folder = built(scratch.path())?;
        let mut files = files();
        files.push((String::from("campaigns/b.json"), b"{\"b\":1}".to_vec()));
        folder.write(&files)?;
        let out = scratch.path().join("ir");
        let before = identities(&out)?;
        // `a` changes, `b` is gone, `c` is new; the manifest stays.
        let next = vec![
            (String::from("manifest.json"), b"{}".to_vec()),
            (String::from("campaigns/a.json"), b"{\"a\":2}".to_vec()),
            (String::from("campaigns/c.json"), b"{\"c\":1}".to_vec()),
        ];
        let written = folder.write(&next)?;
        assert_eq!(
            (
                written.written,
                written.unchanged,
                written.removed,
                written.up_to_date
            ),
            (2, 1, 1, false)
        );
        let after = identities(&out)?;
        assert_eq!(
            after.get(Path::new("manifest.json")),
            before.get(Path::new("manifest.json")),
            "the unchanged file is the same file"
        );
        assert_ne!(
            after.get(Path::new("campaigns/a.json")),
            before.get(Path::new("campaigns/a.json"))
        );
        assert!(!out.join("campaigns/b.json").exists());
        // The same bytes as a build into a new folder.
        let clean = tempfile::tempdir()?;
        built(clean.path())?.write(&next)?;
        for relative in [
            MARKER,
            "manifest.json",
            "campaigns/a.json",
            "campaigns/c.json",
        ] {
            assert_eq!(
                std::fs::read(out.join(relative))?,
                std::fs::read(clean.path().join("ir").join(relative))?,
                "{relative}"
            );
        }
        assert_eq!(
            identities(&out)?.keys().collect::<Vec<_>>(),
            identities(&clean.path().join("ir"))?
                .keys()
                .collect::<Vec<_>>()
        );
        Ok(())
    }

    #[test]
    fn a_file_edited_in_the_ir_or_an_extra_folder_is_not_up_to_date() -> Outcome {
        let scratch = tempfile::tempdir()?;
        let folder = built(scratch.path())?;
        folder.write(&files())?;
        let out = scratch.path().join("ir");
        // Same length, other bytes.
        std::fs::write(out.join("campaigns/a.json"), b"{\"a\":9}")?;
        let written = folder.write(&files())?;
        assert_eq!((written.written, written.unchanged), (1, 1));
        assert_eq!(std::fs::read(out.join("campaigns/a.json"))?, b"{\"a\":1}");
        std::fs::create_dir(out.join("campaigns/empty"))?;
        let written = folder.write(&files())?;
        assert!(!written.up_to_date);
        assert_eq!((written.written, written.unchanged), (0, 2));
        assert!(!out.join("campaigns/empty").exists());
        assert!(folder.write(&files())?.up_to_date);
        Ok(())
    }

    #[test]
    fn the_fallback_without_exchange_replaces_the_folder() -> Outcome {
        let scratch = tempfile::tempdir()?;
        std::fs::create_dir(scratch.path().join("package"))?;
        let out = scratch.path().join("ir");
        let folder = IrFolder::check(&out, &scratch.path().join("package"))?;
        folder.write(&files())?;
        let staging = scratch.path().join(".ir.campc-build-abc123");
        std::fs::create_dir(&staging)?;
        stage(
            &staging,
            &[(String::from("manifest.json"), b"{\"new\":1}".to_vec())],
        )?;
        folder.replace_by_renames(&staging)?;
        assert_eq!(std::fs::read(out.join("manifest.json"))?, b"{\"new\":1}");
        assert!(!out.join("campaigns").exists());
        let mut names: Vec<_> = std::fs::read_dir(scratch.path())?
            .map(|entry| entry.map(|entry| entry.file_name()))
            .collect::<Result<_, _>>()?;
        names.sort();
        assert_eq!(names, ["ir", "package"], "the old IR is deleted");
        Ok(())
    }

    #[test]
    fn removing_a_tree_keeps_what_the_marker_does_not_list() -> Outcome {
        let scratch = tempfile::tempdir()?;
        let root = scratch.path().join("ir");
        std::fs::create_dir(&root)?;
        stage(&root, &files())?;
        std::fs::write(root.join("campaigns/mine.txt"), "keep")?;
        assert!(!remove_tree(&root));
        assert_eq!(
            std::fs::read_to_string(root.join("campaigns/mine.txt"))?,
            "keep"
        );
        assert!(!root.join("manifest.json").exists());
        assert!(!root.join("campaigns/a.json").exists());
        Ok(())
    }

    #[test]
    fn a_marker_listing_a_path_outside_the_folder_is_damaged() -> Outcome {
        let scratch = tempfile::tempdir()?;
        for line in ["../x", "/etc/passwd", "a//b", "./a"] {
            std::fs::write(
                scratch.path().join(MARKER),
                format!("{MARKER_HEADER}\n{line}\n"),
            )?;
            assert!(
                matches!(read_marker(scratch.path()), Marker::Damaged),
                "{line}"
            );
        }
        Ok(())
    }
}

//! What each command-line path leads to: the packages (a folder with
//! `camp.toml` at or above it, the packages below a folder, loose files),
//! refusing paths that are not files or folders and links out of their
//! package.

use std::path::{Path, PathBuf};

use crate::walk::walk;
use crate::{FsError, IgnoreFiles, MANIFEST, PackageRoot, Target, display};

/// What a command-line path is, found without opening it (a FIFO must not
/// block the run).
enum PathKind {
    Folder,
    File,
}

fn path_kind(path: &Path) -> Result<PathKind, FsError> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(FsError::Missing {
                path: display(path),
            });
        }
        Err(source) => {
            return Err(FsError::Read {
                path: display(path),
                source,
            });
        }
    };
    let metadata = if link.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(FsError::BrokenLink {
                    path: display(path),
                    target: std::fs::read_link(path)
                        .map(|target| display(&target))
                        .unwrap_or_default(),
                });
            }
            Err(source) => {
                return Err(FsError::Read {
                    path: display(path),
                    source,
                });
            }
        }
    } else {
        link
    };
    if metadata.is_dir() {
        Ok(PathKind::Folder)
    } else if metadata.is_file() {
        Ok(PathKind::File)
    } else {
        Err(FsError::NotReadable {
            path: display(path),
            kind: special_kind(&metadata.file_type()),
        })
    }
}

/// What a path that is neither a file nor a folder is, for a message.
#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "something else"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "something else"
}

/// The folder a file is in, `.` for a bare file name.
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(crate) fn is_camp(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "camp")
}

/// A file named on the command line, as a path inside `root` (the package
/// it is in, or its folder): the path a walk of `root` gives it. A
/// symbolic link is followed when its target is in the same package, and
/// refused otherwise: nothing reads outside the package root.
fn named_file(path: &Path, root: &Path, in_package: bool) -> Result<PathBuf, FsError> {
    let read_error = |source| FsError::Read {
        path: display(path),
        source,
    };
    let real = path.canonicalize().map_err(read_error)?;
    let real_root = root.canonicalize().map_err(read_error)?;
    let Ok(inside) = real.strip_prefix(&real_root) else {
        return Err(FsError::Outside {
            path: display(path),
            target: display(&real),
            root: display(root),
            in_package,
        });
    };
    // A target in a package nested in `root` belongs to that package.
    let nested = real
        .ancestors()
        .skip(1)
        .take_while(|folder| *folder != real_root)
        .find(|folder| folder.join(MANIFEST).is_file());
    // Both as paths from `root`, as the user wrote it.
    let written = |real_path: &Path| {
        display(&root.join(real_path.strip_prefix(&real_root).unwrap_or(real_path)))
    };
    if let Some(package) = nested {
        return Err(FsError::OtherPackage {
            path: display(path),
            target: written(&real),
            package: written(package),
        });
    }
    Ok(root.join(inside))
}

/// Finds the packages the command-line paths name.
///
/// - A folder inside a package (a `camp.toml` in it or above it) is that package.
/// - A folder holding packages below it is each of them; `.camp` files in
///   it outside any package form one more package rooted at the folder.
/// - A folder with no `camp.toml` anywhere is one package.
/// - A file is checked with the package it belongs to, or alone.
pub fn find_packages(paths: &[PathBuf]) -> Result<Vec<PackageRoot>, FsError> {
    Ok(find_targets(paths, IgnoreFiles::Apply)?
        .into_iter()
        .map(|target| target.package)
        .collect())
}

/// [`find_packages`], keeping the files the command line named (read even
/// when ignored) and which path led to each package. A path that is
/// neither a folder nor a regular file (`/dev/null`, a FIFO) is refused
/// before anything opens it.
pub fn find_targets(paths: &[PathBuf], ignore: IgnoreFiles) -> Result<Vec<Target>, FsError> {
    let mut targets: Vec<Target> = Vec::new();
    let target = |package: PackageRoot, index: usize| Target {
        package,
        named: Vec::new(),
        ignored: Vec::new(),
        from: vec![index],
    };
    for (index, path) in paths.iter().enumerate() {
        match path_kind(path)? {
            PathKind::File => {
                let folder = folder_of(path);
                let package = enclosing_package(&folder);
                let root = package.clone().unwrap_or(folder);
                let file = named_file(path, &root, package.is_some())?;
                match package {
                    Some(root) => {
                        let mut found = target(PackageRoot { root, only: None }, index);
                        if is_camp(&file) {
                            found.named.push(file);
                        }
                        targets.push(found);
                    }
                    None => targets.push(target(
                        PackageRoot {
                            root,
                            only: Some(vec![file]),
                        },
                        index,
                    )),
                }
            }
            PathKind::Folder => {
                if let Some(root) = enclosing_package(path) {
                    targets.push(target(PackageRoot { root, only: None }, index));
                    continue;
                }
                let walked = walk(path, ignore)?;
                if walked.manifests.is_empty() {
                    targets.push(target(
                        PackageRoot {
                            root: path.clone(),
                            only: None,
                        },
                        index,
                    ));
                    continue;
                }
                let outside = |file: &PathBuf| {
                    !walked
                        .manifests
                        .iter()
                        .chain(&walked.ignored_manifests)
                        .any(|root| file.starts_with(root))
                };
                let stray: Vec<PathBuf> = walked
                    .files
                    .iter()
                    .filter(|f| outside(f))
                    .cloned()
                    .collect();
                let stray_ignored: Vec<PathBuf> = walked
                    .ignored
                    .iter()
                    .filter(|f| outside(f))
                    .cloned()
                    .collect();
                targets.extend(walked.manifests.iter().map(|root| {
                    target(
                        PackageRoot {
                            root: root.clone(),
                            only: None,
                        },
                        index,
                    )
                }));
                if !stray.is_empty() || !stray_ignored.is_empty() {
                    let mut found = target(
                        PackageRoot {
                            root: path.clone(),
                            only: Some(stray),
                        },
                        index,
                    );
                    found.ignored = stray_ignored;
                    targets.push(found);
                }
            }
        }
    }
    // One target per package, whichever paths named it.
    targets.sort_by(|a, b| a.package.cmp(&b.package));
    let mut merged: Vec<Target> = Vec::with_capacity(targets.len());
    for target in targets {
        match merged.last_mut() {
            Some(last) if last.package == target.package => {
                last.named.extend(target.named);
                last.ignored.extend(target.ignored);
                last.from.extend(target.from);
            }
            _ => merged.push(target),
        }
    }
    for target in &mut merged {
        for list in [&mut target.named, &mut target.ignored] {
            list.sort();
            list.dedup();
        }
    }
    Ok(merged)
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

/// The `.camp` files `campc fmt` formats: every one below a named folder
/// (nested packages included), and every named file (even when ignored;
/// a symbolic link as [`find_targets`] follows it). Also returns how many
/// ignore rules hid. A folder with nothing to format is an error.
pub fn files_to_format(
    paths: &[PathBuf],
    ignore: IgnoreFiles,
) -> Result<(Vec<PathBuf>, usize), FsError> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut ignored = 0;
    for path in paths {
        match path_kind(path)? {
            PathKind::File => {
                let folder = folder_of(path);
                let package = enclosing_package(&folder);
                let in_package = package.is_some();
                let root = package.unwrap_or(folder);
                files.push(named_file(path, &root, in_package)?);
            }
            PathKind::Folder => {
                let walked = walk(path, ignore)?;
                if walked.files.is_empty() {
                    return Err(FsError::NoCampFiles {
                        path: display(path),
                        ignored: walked.ignored.len(),
                    });
                }
                ignored += walked.ignored.len();
                files.extend(walked.files);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|file| seen.insert(file.clone()));
    Ok((files, ignored))
}

/// The package a file belongs to, found from the folder it is in (which
/// must exist; the file need not, as for an editor's unsaved buffer): the
/// nearest folder at or above it holding `camp.toml`.
pub fn package_root_of(file: &Path) -> Option<PathBuf> {
    enclosing_package(&folder_of(file))
}

/// A file's path inside the package rooted at `root`, with `/`.
pub fn path_in_package(file: &Path, root: &Path) -> Option<String> {
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    file.strip_prefix(root).ok().map(display)
}

//! The disk side of the IO boundary: finding packages ([`discover`]),
//! walking their `.camp` files under the ignore rules inside the package's
//! repository, never the user's global ones ([`walk`]), reading them and
//! `camp.toml` through [`DiskFiles`], the disk's [`FileSource`] (the core's
//! [`camp_core::package::load`] makes the package of them), and writing IR
//! atomically ([`ir_folder`]). Only this crate and the programs touch the
//! file system.

pub mod discover;
pub mod git;
pub mod ir_folder;
pub mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use camp_core::package::{FileBytes, FileSource, ListedFile, LoadedPackage, PackageInput};

pub use camp_core::manifest::{MANIFEST, Manifest, PackageSection};
pub use discover::{
    files_to_format, find_packages, find_targets, package_root_of, path_in_package,
};
pub use walk::camp_files;

use discover::folder_of;
use walk::walk;

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
    /// `camp.toml` has a problem, for [`load_package`], which has no
    /// report to put it in (everything else reports it as a diagnostic).
    #[error("`{path}` is not valid: {message}")]
    Manifest { path: String, message: String },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "`{path}` is {kind}, not a file or folder Camp can read: name a `.camp` file or a package folder"
    )]
    NotReadable { path: String, kind: &'static str },
    #[error("`{path}` is a symbolic link to `{target}`, which does not exist")]
    BrokenLink { path: String, target: String },
    #[error(
        "`{path}` is a link to `{target}`, outside {} `{root}`: Camp reads nothing outside the package a file is in; name `{target}` itself",
        if *in_package { "its package" } else { "its folder" }
    )]
    Outside {
        path: String,
        target: String,
        root: String,
        in_package: bool,
    },
    #[error(
        "`{path}` is a link to `{target}`, which belongs to the package `{package}`: name `{target}` itself"
    )]
    OtherPackage {
        path: String,
        target: String,
        package: String,
    },
    #[error("no `.camp` files {}", no_files(path, *ignored))]
    NoCampFiles { path: String, ignored: usize },
    /// Reading a revision through `git` failed (`campc diff REV`).
    #[error("{message}")]
    Git { message: String },
}

/// The rest of "no `.camp` files …": where, and what ignore rules hid.
fn no_files(path: &str, ignored: usize) -> String {
    match ignored {
        0 => format!("in `{path}`"),
        1 => format!(
            "to read in `{path}`: ignore rules (`.gitignore`, `.ignore`, `.git/info/exclude`) skip its one `.camp` file; `--no-ignore` reads it"
        ),
        _ => format!(
            "to read in `{path}`: ignore rules (`.gitignore`, `.ignore`, `.git/info/exclude`) skip all {ignored} of its `.camp` files; `--no-ignore` reads them"
        ),
    }
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

/// Whether ignore files (`.gitignore`, `.ignore`, `.git/info/exclude`)
/// hide files from a walk. Which ones apply is decided by
/// `walk::IgnoreRules`: only those inside the walked folder's repository.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IgnoreFiles {
    /// Ignore rules hide files (the default).
    #[default]
    Apply,
    /// Every `.camp` file is read (`--no-ignore`); hidden files and folders
    /// are still skipped.
    Off,
}

/// A package to read, with what the command line said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub package: PackageRoot,
    /// `.camp` files named on the command line that belong to this
    /// package: always read, even when ignore rules hide them.
    pub named: Vec<PathBuf>,
    /// For a package of `only` files: the `.camp` files ignore rules hid
    /// from it (the others count theirs when they are read).
    pub ignored: Vec<PathBuf>,
    /// Which command-line paths (by index) lead to this package.
    pub from: Vec<usize>,
}

/// The `.camp` files of a package, read, and how many ignore rules hid.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub package: LoadedPackage,
    pub ignored: usize,
    /// Where each file is on disk, by the path its diagnostics show.
    pub disk_paths: DiskPaths,
}

/// Where each file read is on disk, by its shown path (`InputFile::path`,
/// which [`display`] makes with `/` and without `./`): what `campc check
/// --fix` writes to. Two files that show as one path (`a\b.camp` and
/// `a/b.camp` on Unix) have no entry, so neither is written by mistake.
#[derive(Debug, Clone, Default)]
pub struct DiskPaths {
    /// Hashed with `foldhash`: every file of every package is in it.
    paths: HashMap<String, Option<PathBuf>, foldhash::fast::RandomState>,
}

impl DiskPaths {
    fn insert(&mut self, shown: String, path: PathBuf) {
        match self.paths.get_mut(&shown) {
            Some(known) if known.as_ref() != Some(&path) => *known = None,
            Some(_) => {}
            None => {
                self.paths.insert(shown, Some(path));
            }
        }
    }

    fn extend(&mut self, other: DiskPaths) {
        for (shown, path) in other.paths {
            match path {
                Some(path) => self.insert(shown, path),
                None => {
                    self.paths.insert(shown, None);
                }
            }
        }
    }

    /// The file on disk that shows as `shown`, if exactly one does.
    pub fn get(&self, shown: &str) -> Option<&Path> {
        self.paths.get(shown)?.as_deref()
    }
}

/// Every package the command-line paths lead to, read, in sorted order.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// Each with its `camp.toml` and that file's problems.
    pub packages: Vec<LoadedPackage>,
    /// `.camp` files that ignore rules hid from those packages.
    pub ignored: usize,
    /// Where each file read is on disk.
    pub disk_paths: DiskPaths,
}

/// The disk as a [`FileSource`]: the `.camp` files of one package (what a
/// walk of its root finds under the ignore rules, less the files of the
/// packages nested in it, plus the files the command line named), and its
/// `camp.toml`. The walk happens when it is made.
#[derive(Debug, Clone)]
pub struct DiskFiles {
    root: PathBuf,
    files: Vec<PathBuf>,
    listed: Vec<ListedFile>,
    ignored: usize,
}

impl DiskFiles {
    /// The files of a package, under the ignore rules.
    pub fn of_package(package: &PackageRoot) -> Result<DiskFiles, FsError> {
        let target = Target {
            package: package.clone(),
            named: Vec::new(),
            ignored: Vec::new(),
            from: Vec::new(),
        };
        DiskFiles::of_target(&target, IgnoreFiles::Apply)
    }

    /// The files of a package the command line leads to: what the walk
    /// finds (less nested packages' files) and the files it named.
    pub fn of_target(target: &Target, ignore: IgnoreFiles) -> Result<DiskFiles, FsError> {
        let package = &target.package;
        let (mut files, mut ignored) = match &package.only {
            Some(only) => (only.clone(), target.ignored.clone()),
            None => {
                let walked = walk(&package.root, ignore)?;
                // A nested package's files are its own, not this one's.
                let nested: Vec<&PathBuf> = walked
                    .manifests
                    .iter()
                    .chain(&walked.ignored_manifests)
                    .filter(|root| **root != package.root)
                    .collect();
                let own = |file: &PathBuf| !nested.iter().any(|root| file.starts_with(root));
                let files: Vec<PathBuf> = walked.files.iter().filter(|f| own(f)).cloned().collect();
                let ignored = walked.ignored.iter().filter(|f| own(f)).cloned().collect();
                (files, ignored)
            }
        };
        files.extend(target.named.iter().cloned());
        files.sort();
        files.dedup();
        ignored.retain(|file| !target.named.contains(file));
        let listed = files
            .par_iter()
            .map(|file| ListedFile {
                path: display(file),
                relative_path: display(file.strip_prefix(&package.root).unwrap_or(file)),
            })
            .collect();
        Ok(DiskFiles {
            root: package.root.clone(),
            files,
            listed,
            ignored: ignored.len(),
        })
    }

    /// The files, as on disk.
    pub fn paths(&self) -> &[PathBuf] {
        &self.files
    }

    /// How many `.camp` files ignore rules hid from the package.
    pub fn ignored(&self) -> usize {
        self.ignored
    }

    /// Where each file is on disk, by the path its diagnostics show.
    pub fn disk_paths(&self) -> DiskPaths {
        let mut disk_paths = DiskPaths::default();
        for file in &self.files {
            disk_paths.insert(display(file), file.clone());
        }
        disk_paths
    }
}

impl FileSource for DiskFiles {
    type Error = FsError;

    fn list(&self) -> Result<Vec<ListedFile>, FsError> {
        Ok(self.listed.clone())
    }

    fn read(&self, index: usize, file: &ListedFile) -> Result<FileBytes, FsError> {
        let read_error = |source| FsError::Read {
            path: file.path.clone(),
            source,
        };
        let path = self
            .files
            .get(index)
            .ok_or_else(|| read_error(std::io::ErrorKind::NotFound.into()))?;
        std::fs::read(path).map(FileBytes::Read).map_err(read_error)
    }

    fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, FsError> {
        let path = self.root.join(MANIFEST);
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = std::fs::read(&path).map_err(|source| FsError::Read {
            path: display(&path),
            source,
        })?;
        Ok(Some((display(&path), bytes)))
    }
}

/// A package's files and `camp.toml`, through [`DiskFiles`] and the
/// core's loader, for tools and tests: a problem in `camp.toml` is an
/// error here ([`FsError::Manifest`], its first problem), where `campc`
/// and the server report it as a diagnostic.
pub fn load_package(package: &PackageRoot) -> Result<PackageInput, FsError> {
    let loaded = camp_core::package::load(&DiskFiles::of_package(package)?)?;
    if let Some(manifest) = &loaded.manifest
        && let Some(problem) = manifest.diagnostics.first()
    {
        return Err(FsError::Manifest {
            path: manifest.path.clone(),
            message: problem.message.clone(),
        });
    }
    Ok(loaded.input)
}

/// The package a command-line target leads to, loaded, with how many
/// files ignore rules hid and where each file is on disk.
pub fn load_target(target: &Target, ignore: IgnoreFiles) -> Result<Loaded, FsError> {
    let disk = DiskFiles::of_target(target, ignore)?;
    Ok(Loaded {
        package: camp_core::package::load(&disk)?,
        ignored: disk.ignored(),
        disk_paths: disk.disk_paths(),
    })
}

/// Finds and loads every package the command-line paths lead to, in
/// parallel, in sorted order. A path that leads to no `.camp` file at all
/// (an empty or wrong folder) is an error, saying how many ignore rules
/// hid.
pub fn read_packages(paths: &[PathBuf], ignore: IgnoreFiles) -> Result<Read, FsError> {
    let targets = find_targets(paths, ignore)?;
    let loaded: Vec<Loaded> = targets
        .par_iter()
        .map(|target| load_target(target, ignore))
        .collect::<Result<_, FsError>>()?;
    for (index, path) in paths.iter().enumerate() {
        let (files, ignored) = targets
            .iter()
            .zip(&loaded)
            .filter(|(target, _)| target.from.contains(&index))
            .fold((0, 0), |(files, ignored), (_, loaded)| {
                (
                    files + loaded.package.input.files.len(),
                    ignored + loaded.ignored,
                )
            });
        if files == 0 {
            return Err(FsError::NoCampFiles {
                path: display(path),
                ignored,
            });
        }
    }
    let ignored = loaded.iter().map(|loaded| loaded.ignored).sum();
    let mut disk_paths = DiskPaths::default();
    let mut packages = Vec::with_capacity(loaded.len());
    for package in loaded {
        disk_paths.extend(package.disk_paths);
        packages.push(package.package);
    }
    Ok(Read {
        packages,
        ignored,
        disk_paths,
    })
}

/// Replaces one file's content atomically: a temporary file beside it,
/// then a rename over it. The file keeps its permissions, and a symbolic
/// link stays a link: the file it points to is the one replaced.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let write_error = |source: std::io::Error| FsError::Write {
        path: display(path),
        source,
    };
    let is_link =
        std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink());
    let path = if is_link {
        path.canonicalize().map_err(write_error)?
    } else {
        path.to_path_buf()
    };
    let folder = folder_of(&path);
    let mut staged = tempfile::NamedTempFile::new_in(&folder).map_err(write_error)?;
    std::io::Write::write_all(&mut staged, bytes).map_err(write_error)?;
    match std::fs::metadata(&path) {
        Ok(metadata) => staged
            .as_file()
            .set_permissions(metadata.permissions())
            .map_err(write_error)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(write_error(error)),
    }
    staged
        .persist(&path)
        .map_err(|error| write_error(error.error))?;
    Ok(())
}

/// The JSON Schema of `camp.toml` (draft 7, which TOML editors such as
/// Taplo and Even Better TOML read), generated from [`Manifest`] and, for
/// `[lints]`, from the lint rules themselves; `docs/camp.toml.schema.json`
/// is this text, kept current by a test.
pub fn manifest_json_schema() -> String {
    // One `$ref` less keeps it simple for editors.
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let schema = settings.into_generator().into_root_schema_for::<Manifest>();
    camp_core::ir::canonical::pretty(&schema).unwrap_or_default()
}

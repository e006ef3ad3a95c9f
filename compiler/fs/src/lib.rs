//! The disk side of the IO boundary: finding packages, walking their
//! `.camp` files (honouring the ignore files inside the package's
//! repository, never the user's global ones), reading them in parallel,
//! reading `camp.toml`, and writing IR atomically ([`ir_folder`]). Only this module and
//! `main.rs` touch the file system.

pub mod ir_folder;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;

use camp_core::lint::LintConfig;
use camp_core::package::{FileSource, InputFile, PackageInput};

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
    /// `camp.toml` cannot be read as a manifest; `at` is where, when the
    /// TOML reader says (a syntax error, an unknown key, a wrong type).
    #[error("{}", manifest_problem(path, message, at.as_ref()))]
    Manifest {
        path: String,
        message: String,
        at: Option<ManifestPosition>,
    },
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
}

/// Where in `camp.toml` a problem is: for the message, and for editors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counting characters (as every Camp position does).
    pub column: usize,
    /// The problem's byte offsets in the file.
    pub span: std::ops::Range<usize>,
    /// The text of the line, without its line ending.
    pub line_text: String,
}

impl ManifestPosition {
    /// The position of the byte offsets `span` in `text`.
    pub fn of(text: &str, span: std::ops::Range<usize>) -> ManifestPosition {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let before = text.get(..start).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let line_end = text
            .get(line_start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |index| line_start + index);
        ManifestPosition {
            line: before.matches('\n').count() + 1,
            column: before.get(line_start..).unwrap_or("").chars().count() + 1,
            span: start..span.end.max(start),
            line_text: text
                .get(line_start..line_end)
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string(),
        }
    }
}

/// `camp.toml:3:6: message`, then the line with the place marked, as a
/// compiler shows it; or "`camp.toml` is not valid: message" with no
/// position.
fn manifest_problem(path: &str, message: &str, at: Option<&ManifestPosition>) -> String {
    let Some(at) = at else {
        return format!("`{path}` is not valid: {message}");
    };
    let number = at.line.to_string();
    let gutter = " ".repeat(number.len());
    let prefix: String = at
        .line_text
        .chars()
        .take(at.column.saturating_sub(1))
        .collect();
    // The marked part: the span, within its line, at least one character.
    let length = at
        .line_text
        .get(prefix.len()..)
        .unwrap_or("")
        .char_indices()
        .take_while(|(index, _)| *index < at.span.len())
        .count()
        .max(1);
    format!(
        "{path}:{}:{}: {message}\n{gutter} |\n{number} | {}\n{gutter} | {}{}",
        at.line,
        at.column,
        at.line_text,
        " ".repeat(textwrap::core::display_width(&prefix)),
        "^".repeat(length)
    )
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

/// `camp.toml`: the file that marks a Camp package's root folder. Every
/// `.camp` file in that folder and below belongs to the package.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "camp.toml")]
pub struct Manifest {
    /// The package.
    #[serde(default)]
    pub package: PackageSection,
    /// Lint levels and options, by rule name: a level (`"deny"`) or a
    /// table (`{ level = "deny", threshold = "25%" }`). `campc rules` lists
    /// the rules.
    #[serde(default)]
    #[schemars(schema_with = "camp_core::lint::config::lints_json_schema")]
    pub lints: toml::Table,
}

/// The `[package]` table.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSection {
    /// The package's name: it names the package in baselines
    /// (`--write-baseline`) and in the IR's manifest.
    // TOML has no null: the key is there, a string, or not at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub name: Option<String>,
}

pub fn read_manifest(root: &Path) -> Result<Option<Manifest>, FsError> {
    Ok(read_manifest_text(root)?.map(|(manifest, _)| manifest))
}

/// [`read_manifest`], with the text read, for positions in it.
fn read_manifest_text(root: &Path) -> Result<Option<(Manifest, String)>, FsError> {
    let path = root.join(MANIFEST);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| FsError::Read {
        path: display(&path),
        source,
    })?;
    toml::from_str::<Manifest>(&text)
        .map(|manifest| Some((manifest, text.clone())))
        .map_err(|error| FsError::Manifest {
            path: display(&path),
            message: error.message().trim_end().to_string(),
            at: error.span().map(|span| ManifestPosition::of(&text, span)),
        })
}

/// A package's name and lint configuration, from its `camp.toml` (the
/// defaults when it has none). A `[lints]` problem is placed on the key
/// of the first rule it names.
pub fn package_settings(root: &Path) -> Result<(Option<String>, LintConfig), FsError> {
    let Some((manifest, text)) = read_manifest_text(root)? else {
        return Ok((None, LintConfig::default()));
    };
    let lints = LintConfig::from_table(&manifest.lints).map_err(|problems| FsError::Manifest {
        path: display(&root.join(MANIFEST)),
        message: problems.join("; "),
        at: problems
            .first()
            .and_then(|problem| lint_key_span(&text, problem))
            .map(|span| ManifestPosition::of(&text, span)),
    })?;
    Ok((manifest.package.name, lints))
}

/// Where the `[lints]` key a problem names first (in backticks, alone or
/// before a `.setting`; a suggested name comes later) is in the
/// manifest's text.
fn lint_key_span(text: &str, problem: &str) -> Option<std::ops::Range<usize>> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let lints = document.get_ref().get("lints")?;
    let toml::de::DeValue::Table(lints) = lints.get_ref() else {
        return None;
    };
    lints
        .keys()
        .filter_map(|key| {
            let name: &str = key.get_ref();
            let named = [format!("`{name}`"), format!("`{name}.")]
                .iter()
                .filter_map(|mention| problem.find(mention.as_str()))
                .min()?;
            Some((named, key.span()))
        })
        .min_by_key(|(named, _)| *named)
        .map(|(_, span)| span)
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
/// [`IgnoreRules`]: only those inside the walked folder's repository.
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
    pub input: PackageInput,
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
    paths: HashMap<String, Option<PathBuf>>,
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
    pub packages: Vec<PackageInput>,
    /// `.camp` files that ignore rules hid from those packages.
    pub ignored: usize,
    /// Where each file read is on disk.
    pub disk_paths: DiskPaths,
}

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
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn is_camp(path: &Path) -> bool {
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

/// The ignore files that apply to one walk, and only those: `.gitignore`
/// and `.ignore` in the walked folder and below, and in the folders above
/// it up to the root of its git repository (the nearest folder holding
/// `.git`), plus that repository's `.git/info/exclude`. Outside a
/// repository only the files at or below the walked folder apply. Never
/// the user's global excludes file or any git configuration: a developer's
/// machine and CI see the same package.
///
/// Precedence follows `ignore` (ripgrep): a rule in a nearer folder beats
/// one further up, `.ignore` beats `.gitignore`, which beats
/// `info/exclude`; `!pattern` re-includes. A folder holding `.git` below
/// the walked folder is another repository: rules above it stop there.
struct IgnoreRules {
    /// The walked folder as given, and its absolute form.
    walked: PathBuf,
    absolute: PathBuf,
    /// The highest folder whose ignore files apply.
    top: PathBuf,
    folders: Mutex<HashMap<PathBuf, Arc<FolderRules>>>,
}

/// The ignore files of one folder.
struct FolderRules {
    dot_ignore: Gitignore,
    gitignore: Gitignore,
    /// `.git/info/exclude` when this folder is a repository's root.
    exclude: Option<Gitignore>,
    repository: bool,
}

impl FolderRules {
    fn read(folder: &Path) -> FolderRules {
        // As git does, unreadable or malformed ignore files hide nothing
        // (a malformed line is skipped, the others apply).
        let dot_ignore = Gitignore::new(folder.join(".ignore")).0;
        let gitignore = Gitignore::new(folder.join(".gitignore")).0;
        let repository = std::fs::symlink_metadata(folder.join(".git")).is_ok();
        let exclude = repository
            .then(|| git_common_dir(folder))
            .flatten()
            .map(|git| {
                let mut builder = GitignoreBuilder::new(folder);
                let _ = builder.add(git.join("info").join("exclude"));
                builder.build().unwrap_or_else(|_| Gitignore::empty())
            });
        FolderRules {
            dot_ignore,
            gitignore,
            exclude,
            repository,
        }
    }
}

/// The git folder that holds `info/exclude` for the repository rooted at
/// `folder`: `.git` itself, or for a worktree (`.git` is a file saying
/// `gitdir: …`) the main repository's git folder.
fn git_common_dir(folder: &Path) -> Option<PathBuf> {
    let dot_git = folder.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let git_dir = folder.join(text.trim().strip_prefix("gitdir:")?.trim());
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => Some(git_dir.join(common.trim())),
        Err(_) => Some(git_dir),
    }
}

impl IgnoreRules {
    fn new(walked: &Path) -> Result<IgnoreRules, FsError> {
        let absolute = walked.canonicalize().map_err(|source| FsError::Read {
            path: display(walked),
            source,
        })?;
        let top = absolute
            .ancestors()
            .find(|folder| std::fs::symlink_metadata(folder.join(".git")).is_ok())
            .unwrap_or(&absolute)
            .to_path_buf();
        Ok(IgnoreRules {
            walked: walked.to_path_buf(),
            absolute,
            top,
            folders: Mutex::new(HashMap::new()),
        })
    }

    fn folder(&self, folder: &Path) -> Arc<FolderRules> {
        if let Some(rules) = self
            .folders
            .lock()
            .ok()
            .and_then(|map| map.get(folder).cloned())
        {
            return rules;
        }
        // Read outside the lock; two threads reading the same folder at
        // once both get the same rules.
        let rules = Arc::new(FolderRules::read(folder));
        if let Ok(mut map) = self.folders.lock() {
            map.insert(folder.to_path_buf(), Arc::clone(&rules));
        }
        rules
    }

    /// Whether the rules hide `path` (as the walk gives it). Its parent
    /// folders are not hidden: the walk does not enter a hidden folder.
    fn hides(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(relative) = path.strip_prefix(&self.walked) else {
            return false;
        };
        let path = self.absolute.join(relative);
        // The folders whose rules apply, nearest first.
        let mut chain = Vec::new();
        let mut folder = path.parent();
        while let Some(current) = folder {
            let rules = self.folder(current);
            let last = rules.repository || current == self.top;
            chain.push(rules);
            if last {
                break;
            }
            folder = current.parent();
        }
        let first = |matcher: &dyn Fn(&FolderRules) -> Option<&Gitignore>| {
            chain
                .iter()
                .filter_map(|rules| matcher(rules))
                .map(|rules| rules.matched(&path, is_dir))
                .find(|found| !found.is_none())
        };
        first(&|rules| Some(&rules.dot_ignore))
            .or_else(|| first(&|rules| Some(&rules.gitignore)))
            .or_else(|| first(&|rules| rules.exclude.as_ref()))
            .is_some_and(|found| found.is_ignore())
    }
}

/// One walk of a folder, sorted.
#[derive(Debug, Default)]
struct Walked {
    /// The `.camp` files.
    files: Vec<PathBuf>,
    /// The folders holding a `camp.toml`.
    manifests: Vec<PathBuf>,
    /// The `.camp` files ignore rules hid, inside ignored folders too.
    ignored: Vec<PathBuf>,
    /// The folders holding a `camp.toml` inside ignored folders.
    ignored_manifests: Vec<PathBuf>,
}

/// Walks a folder on several threads (sorting afterwards keeps it
/// deterministic). Hidden files and folders are skipped; so are symbolic
/// links, which are not followed. With [`IgnoreFiles::Apply`], files and
/// folders hidden by [`IgnoreRules`] are skipped and counted: an ignored
/// folder is walked once more, without rules, to count its `.camp` files.
fn walk(root: &Path, ignore: IgnoreFiles) -> Result<Walked, FsError> {
    let rules = match ignore {
        IgnoreFiles::Apply => Some(IgnoreRules::new(root)?),
        IgnoreFiles::Off => None,
    };
    let found = collect(root, rules.as_ref());
    if let Some(message) = found.errors.into_iter().min() {
        return Err(FsError::Read {
            path: display(root),
            source: std::io::Error::other(message),
        });
    }
    let mut walked = Walked {
        files: found.files,
        manifests: found.manifests,
        ignored: found.ignored_files,
        ignored_manifests: Vec::new(),
    };
    for folder in found.ignored_folders {
        // Only a count: a folder that cannot be read inside an ignored
        // one is no reason to fail.
        let inside = collect(&folder, None);
        walked.ignored.extend(inside.files);
        walked.ignored_manifests.extend(inside.manifests);
    }
    for list in [
        &mut walked.files,
        &mut walked.manifests,
        &mut walked.ignored,
        &mut walked.ignored_manifests,
    ] {
        list.sort();
    }
    Ok(walked)
}

/// What one parallel walk found, unsorted.
#[derive(Default)]
struct Collected {
    files: Vec<PathBuf>,
    manifests: Vec<PathBuf>,
    ignored_files: Vec<PathBuf>,
    ignored_folders: Vec<PathBuf>,
    errors: Vec<String>,
}

fn collect(root: &Path, rules: Option<&IgnoreRules>) -> Collected {
    let found = Mutex::new(Collected::default());
    ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        if let Ok(mut found) = found.lock() {
                            found.errors.push(error.to_string());
                        }
                        return ignore::WalkState::Continue;
                    }
                };
                let Some(kind) = entry.file_type() else {
                    return ignore::WalkState::Continue;
                };
                let path = entry.path();
                let camp = kind.is_file() && is_camp(path);
                let hidden = entry.depth() > 0
                    && (kind.is_dir() || camp)
                    && rules.is_some_and(|rules| rules.hides(path, kind.is_dir()));
                let Ok(mut found) = found.lock() else {
                    return ignore::WalkState::Quit;
                };
                if hidden && kind.is_dir() {
                    found.ignored_folders.push(path.to_path_buf());
                    return ignore::WalkState::Skip;
                }
                if hidden {
                    found.ignored_files.push(path.to_path_buf());
                } else if camp {
                    found.files.push(path.to_path_buf());
                } else if kind.is_file()
                    && entry.file_name() == MANIFEST
                    && let Some(parent) = path.parent()
                {
                    found.manifests.push(parent.to_path_buf());
                }
                ignore::WalkState::Continue
            })
        });
    found.into_inner().unwrap_or_default()
}

/// Every `.camp` file below `root`, honouring the ignore files that apply
/// (see [`IgnoreRules`]) and skipping hidden files.
pub fn camp_files(root: &Path) -> Result<Vec<PathBuf>, FsError> {
    walk(root, IgnoreFiles::Apply).map(|walked| walked.files)
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

/// The files of a package, read in parallel, honouring ignore files.
pub fn load_package(package: &PackageRoot) -> Result<PackageInput, FsError> {
    let target = Target {
        package: package.clone(),
        named: Vec::new(),
        ignored: Vec::new(),
        from: Vec::new(),
    };
    load_target(&target, IgnoreFiles::Apply).map(|loaded| loaded.input)
}

/// [`load_package`] for an editor: a problem in `camp.toml` does not stop
/// the files from loading. It comes back beside them, and the package gets
/// no name and the default lint levels.
pub fn load_package_despite_manifest(
    package: &PackageRoot,
) -> Result<(PackageInput, Option<FsError>), FsError> {
    let target = Target {
        package: package.clone(),
        named: Vec::new(),
        ignored: Vec::new(),
        from: Vec::new(),
    };
    let mut loaded = load_files(&target, IgnoreFiles::Apply)?;
    match package_settings(&package.root) {
        Ok((name, lints)) => {
            loaded.input.name = name;
            loaded.input.lints = lints;
            Ok((loaded.input, None))
        }
        Err(problem) => Ok((loaded.input, Some(problem))),
    }
}

/// The files of a package, read in parallel: what the walk finds (less
/// nested packages' files) and the files the command line named.
pub fn load_target(target: &Target, ignore: IgnoreFiles) -> Result<Loaded, FsError> {
    let mut loaded = load_files(target, ignore)?;
    let (name, lints) = package_settings(&target.package.root)?;
    loaded.input.name = name;
    loaded.input.lints = lints;
    Ok(loaded)
}

/// [`load_target`] without `camp.toml`: the files, no name, the default
/// lint levels.
fn load_files(target: &Target, ignore: IgnoreFiles) -> Result<Loaded, FsError> {
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
    let mut disk_paths = DiskPaths::default();
    for file in &files {
        disk_paths.insert(display(file), file.clone());
    }
    Ok(Loaded {
        input: PackageInput {
            name: None,
            files: inputs?,
            lints: LintConfig::default(),
        },
        ignored: ignored.len(),
        disk_paths,
    })
}

/// Finds and reads every package the command-line paths lead to, in
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
                (files + loaded.input.files.len(), ignored + loaded.ignored)
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
        packages.push(package.input);
    }
    Ok(Read {
        packages,
        ignored,
        disk_paths,
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

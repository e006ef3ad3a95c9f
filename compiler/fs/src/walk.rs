//! One parallel walk of a folder (sorted afterwards) under [`IgnoreRules`]:
//! the `.camp` files, the folders holding `camp.toml`, and what the rules
//! hid.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::discover::is_camp;
use crate::{FsError, IgnoreFiles, MANIFEST, display};

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

    /// The rules that apply to the entries of `folder` (as the walk gives
    /// it), nearest folder first, or `None` when none of them holds a rule
    /// (then nothing in it is hidden).
    fn chain(&self, folder: &Path) -> Option<Chain> {
        let relative = folder.strip_prefix(&self.walked).ok()?;
        let absolute = self.absolute.join(relative);
        let mut chain = Vec::new();
        let mut current = Some(absolute.as_path());
        while let Some(here) = current {
            let rules = self.folder(here);
            let last = rules.repository || here == self.top;
            chain.push(rules);
            if last {
                break;
            }
            current = here.parent();
        }
        let empty = chain.iter().all(|rules| {
            rules.dot_ignore.is_empty()
                && rules.gitignore.is_empty()
                && rules.exclude.as_ref().is_none_or(Gitignore::is_empty)
        });
        (!empty).then(|| Chain {
            absolute,
            rules: chain,
        })
    }

    /// Whether the rules hide `path` (as the walk gives it). Its parent
    /// folders are not hidden: the walk does not enter a hidden folder.
    /// `last` keeps the rules of the last folder asked about: a folder's
    /// entries come one after another, from one thread.
    fn hides(&self, path: &Path, is_dir: bool, last: &mut LastFolder) -> bool {
        let Some(folder) = path.parent() else {
            return false;
        };
        let chain = match last {
            Some((known, chain)) if known.as_path() == folder => chain,
            _ => &mut last.insert((folder.to_path_buf(), self.chain(folder))).1,
        };
        let (Some(chain), Some(name)) = (chain.as_ref(), path.file_name()) else {
            return false;
        };
        let path = chain.absolute.join(name);
        let first = |matcher: &dyn Fn(&FolderRules) -> Option<&Gitignore>| {
            chain
                .rules
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

/// The rules that apply in one folder: the folder (absolute) and the
/// rules of it and the folders above it, nearest first.
struct Chain {
    absolute: PathBuf,
    rules: Vec<Arc<FolderRules>>,
}

/// One walking thread's last folder and its rules.
type LastFolder = Option<(PathBuf, Option<Chain>)>;

/// One walk of a folder, sorted.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// The `.camp` files.
    pub(crate) files: Vec<PathBuf>,
    /// The folders holding a `camp.toml`.
    pub(crate) manifests: Vec<PathBuf>,
    /// The `.camp` files ignore rules hid, inside ignored folders too.
    pub(crate) ignored: Vec<PathBuf>,
    /// The folders holding a `camp.toml` inside ignored folders.
    pub(crate) ignored_manifests: Vec<PathBuf>,
}

/// Walks a folder on several threads (sorting afterwards keeps it
/// deterministic). Hidden files and folders are skipped; so are symbolic
/// links, which are not followed. With [`IgnoreFiles::Apply`], files and
/// folders hidden by [`IgnoreRules`] are skipped and counted: an ignored
/// folder is walked once more, without rules, to count its `.camp` files.
pub(crate) fn walk(root: &Path, ignore: IgnoreFiles) -> Result<Walked, FsError> {
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
        sort_paths(root, list);
    }
    Ok(walked)
}

/// Sorts the paths of a walk of `root` in `Path`'s order, faster than
/// comparing them as paths. Below `root` a walked path is file names
/// joined by `/` (never `.`, `..` or an empty name), and `Path` compares
/// those name by name: that is comparing the bytes with `/` below every
/// other byte (on Unix; elsewhere, and for any other path, none from a
/// walk, they are compared as paths).
fn sort_paths(root: &Path, list: &mut Vec<PathBuf>) {
    if !cfg!(unix) {
        list.sort();
        return;
    }
    let keys: Option<Vec<Vec<u8>>> = list
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(root).ok()?;
            let plain = relative
                .components()
                .all(|part| matches!(part, std::path::Component::Normal(_)));
            let bytes = relative.as_os_str().as_encoded_bytes();
            let clean = plain
                && !bytes.is_empty()
                && !bytes.ends_with(b"/")
                && !bytes.windows(2).any(|pair| pair == b"//");
            // Names hold no NUL byte: 0 stands for `/`.
            clean.then(|| {
                bytes
                    .iter()
                    .map(|&byte| if byte == b'/' { 0 } else { byte })
                    .collect()
            })
        })
        .collect();
    let Some(keys) = keys else {
        list.sort();
        return;
    };
    let mut keyed: Vec<(Vec<u8>, PathBuf)> = keys.into_iter().zip(list.drain(..)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    list.extend(keyed.into_iter().map(|(_, path)| path));
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
            let found = &found;
            let mut last: LastFolder = None;
            Box::new(move |entry| {
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
                    && rules.is_some_and(|rules| rules.hides(path, kind.is_dir(), &mut last));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Walked paths sorted by their bytes (with `/` below every other
    /// byte) come in `Path`'s order: names that are prefixes of others,
    /// punctuation below and above `/`, digits, capitals, non-ASCII; and
    /// a path that is not below the root sorts them all as paths.
    #[test]
    fn walked_paths_sort_in_path_order() {
        let names = [
            "a",
            "a-b",
            "a.b",
            "a/b",
            "a/b/c",
            "a/b-c",
            "a/b.c",
            "a0",
            "a/0",
            "ab/c",
            "A/b",
            "a b",
            "a_b",
            "é/x",
            "z",
            "a/b/c/d.camp",
            "a!/b",
            "a~/b",
            "a/b~",
        ];
        for root in ["pkg", "pkg/", "./pkg", "/abs/pkg", "."] {
            let root = Path::new(root);
            let mut expected: Vec<PathBuf> = names.iter().map(|name| root.join(name)).collect();
            let mut sorted = expected.clone();
            sorted.reverse();
            sort_paths(root, &mut sorted);
            expected.sort();
            assert_eq!(sorted, expected, "below {}", root.display());
        }
        let mut mixed = vec![PathBuf::from("pkg/b"), PathBuf::from("other/a")];
        sort_paths(Path::new("pkg"), &mut mixed);
        assert_eq!(mixed, [PathBuf::from("other/a"), PathBuf::from("pkg/b")]);
    }
}

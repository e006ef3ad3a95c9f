//! How the server finds, loads and forgets packages: the package of a
//! document, re-checked on every edit through the core's one loader
//! ([`camp_core::package::load`]) with [`Overlay`], the open buffers laid
//! over [`DiskSnapshot`] (the package's files read once from disk, then
//! kept in memory); and what a closed document or a watched-file event
//! changes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use camp_core::package::{FileBytes, FileSource, ListedFile, LoadedPackage, analyze_cached};
use camp_fs::{self as fs, DiskFiles, FsError, PackageRoot};

use crate::checked::Checked;
use crate::{Document, Server, file_uri, is_camp, now, source_of, uri};

impl Server<'_> {
    /// Re-checks the package a file belongs to and publishes the
    /// diagnostics of every file in it.
    pub(crate) fn recheck(&mut self, path: &Path) {
        // A folder is never a document: finding its packages would walk it.
        if path.is_dir() {
            return;
        }
        if !path.exists() {
            // A buffer not yet on disk: its package is found from the
            // nearest folder above it that exists.
            if self.documents.contains_key(path) {
                self.check(unsaved_package(path));
            }
            return;
        }
        let Ok(packages) = fs::find_packages(&[path.to_path_buf()]) else {
            return;
        };
        for package in packages {
            self.check(package);
        }
    }

    /// Checks a package and publishes the diagnostics of every file in it.
    pub(crate) fn check(&mut self, package: PackageRoot) {
        let mut cache = self.parse_caches.remove(&package).unwrap_or_default();
        let loaded = self.load(&package);
        let mut analysis = analyze_cached(loaded.input, &mut cache);
        // `camp.toml`'s problems are published on it, as `campc` reports them.
        analysis.add_manifest(loaded.manifest.as_ref());
        self.parse_caches.insert(package.clone(), cache);
        // A package that compiles runs its tests: a failing line is a
        // diagnostic on its expectation.
        // Run again only when the IR or the test plans changed.
        match crate::evaluation::run_tests_cached(&analysis, self.test_runs.get(&package)) {
            Some(cached) => {
                analysis
                    .diagnostics
                    .extend(crate::evaluation::failures(&cached.run));
                camp_core::diagnostic::sort_and_dedup(&mut analysis.diagnostics, &analysis.sources);
                self.test_runs.insert(package.clone(), cached);
            }
            None => {
                self.test_runs.remove(&package);
            }
        }
        let parses = !analysis
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code.starts_with("E01"));
        let analysis = Checked::new(analysis, self.analyses.get(&package).map(|last| &**last));
        self.publish(&analysis);
        let analysis = Arc::new(analysis);
        if parses {
            self.last_good
                .insert(package.clone(), Arc::clone(&analysis));
        }
        self.analyses.insert(package, analysis);
    }

    /// Drops a package the server no longer serves, and the diagnostics it
    /// published for it.
    pub(crate) fn forget(&mut self, package: &PackageRoot) {
        self.parse_caches.remove(package);
        self.snapshots.remove(package);
        self.last_good.remove(package);
        self.test_runs.remove(package);
        let manifest = file_uri(&fs::display(&package.root.join(fs::MANIFEST)));
        if self.published.remove(&manifest).is_some() {
            self.send_diagnostics(manifest, None, Vec::new());
        }
        let Some(analysis) = self.analyses.remove(package) else {
            return;
        };
        for file in analysis.sources.files() {
            let uri = file_uri(&file.path);
            if self.published.remove(&uri).is_some() {
                self.send_diagnostics(uri, None, Vec::new());
            }
        }
    }

    /// A document was closed: its packages are checked again with the file
    /// as it is on disk, or forgotten when they are outside the workspace
    /// and no other document of theirs is open.
    pub(crate) fn closed(&mut self, path: &Path) {
        // From now on the file is what the disk holds.
        self.disk_changed(path);
        let holding: Vec<PackageRoot> = self
            .analyses
            .iter()
            .filter(|(_, analysis)| source_of(analysis, path).is_some())
            .map(|(package, _)| package.clone())
            .collect();
        for package in holding {
            let other_open = self.analyses.get(&package).is_some_and(|analysis| {
                self.documents
                    .keys()
                    .any(|document| source_of(analysis, document).is_some())
            });
            if other_open || self.in_workspace_package(&package) {
                self.check(package);
            } else {
                self.forget(&package);
            }
        }
        // A buffer never written is in no package now: clear what it had.
        if let Some(uri) = uri::from_path(path)
            && !path.exists()
            && self.published.remove(&uri).is_some()
        {
            self.send_diagnostics(uri, None, Vec::new());
        }
    }

    /// Files changed on disk (`workspace/didChangeWatchedFiles`). Only
    /// packages the server knows are checked again: those holding a changed
    /// path, or held by it (a folder, even `file:///`), and the package of
    /// a changed `.camp` file or `camp.toml` inside the workspace. Nothing
    /// outside them is walked or read.
    pub(crate) fn files_changed(&mut self, paths: Vec<PathBuf>) {
        let mut stale: BTreeSet<PackageRoot> = BTreeSet::new();
        let mut places: BTreeSet<PathBuf> = BTreeSet::new();
        for path in &paths {
            self.disk_changed(path);
        }
        for path in paths {
            let manifest = path
                .file_name()
                .is_some_and(|name| name == camp_fs::MANIFEST);
            // A manifest changes the packages of its folder.
            let scope = match path.parent() {
                Some(folder) if manifest => folder.to_path_buf(),
                _ => path.clone(),
            };
            stale.extend(
                self.analyses
                    .keys()
                    .filter(|package| touches(package, &scope))
                    .cloned(),
            );
            if (manifest || is_camp(&path)) && self.in_workspace(&path) {
                places.insert(scope);
            }
        }
        // Where a known package's files are now: its own folder (still a
        // package, or one above or below it now) or, for loose files, each
        // file.
        for package in &stale {
            match &package.only {
                Some(files) => places.extend(files.iter().cloned()),
                None => {
                    places.insert(package.root.clone());
                }
            }
        }
        let mut packages: BTreeSet<PackageRoot> = BTreeSet::new();
        for place in places {
            if let Ok(found) = fs::find_packages(&[place]) {
                packages.extend(found);
            }
        }
        for package in stale.difference(&packages) {
            self.forget(package);
        }
        for package in packages {
            self.check(package);
        }
    }

    /// The package from disk, with the open documents over it: through
    /// [`Overlay`] and the core's loader, as `campc check` loads it. A
    /// problem in `camp.toml` comes back as diagnostics on it, and the
    /// files load anyway (with the default lint levels). A package the
    /// disk cannot give (a folder gone, a file unreadable) is its open
    /// buffers alone.
    ///
    /// The disk is read once per package ([`DiskSnapshot`]); later checks
    /// read the snapshot, which [`Server::disk_changed`] keeps current. A
    /// package of files named alone is small and read each time.
    fn load(&mut self, package: &PackageRoot) -> LoadedPackage {
        if package.only.is_some() {
            let snapshot = DiskSnapshot::read(package, &self.documents);
            return self.load_over(package, snapshot.as_ref());
        }
        if !self.snapshots.contains_key(package)
            && let Some(snapshot) = DiskSnapshot::read(package, &self.documents)
        {
            self.snapshots.insert(package.clone(), snapshot);
        }
        self.load_over(package, self.snapshots.get(package))
    }

    fn load_over(&self, package: &PackageRoot, disk: Option<&DiskSnapshot>) -> LoadedPackage {
        let mut loaded = disk
            .and_then(|disk| {
                camp_core::package::load(&Overlay::new(package, &self.documents, Some(disk))).ok()
            })
            .or_else(|| {
                camp_core::package::load(&Overlay::new(package, &self.documents, None)).ok()
            })
            .unwrap_or_default();
        loaded.input.lints.now = Some(now());
        loaded
    }

    /// What the disk now holds at `path` (a file saved, closed, or named
    /// by a watched-file event): a listed file is read again, alone; a
    /// file gone, a new `.camp` file, a `camp.toml` or a folder makes the
    /// packages it touches read from disk afresh at their next check.
    pub(crate) fn disk_changed(&mut self, path: &Path) {
        let mut stale = Vec::new();
        for (package, snapshot) in &mut self.snapshots {
            if let Some(&index) = snapshot.index.get(path) {
                if path.is_file() {
                    snapshot.reread(index);
                } else {
                    stale.push(package.clone());
                }
                continue;
            }
            let unlisted_gone = is_camp(path) && !path.exists();
            if !unlisted_gone && touches(package, path) {
                stale.push(package.clone());
            }
        }
        for package in stale {
            self.snapshots.remove(&package);
        }
    }
}

/// A package's files and `camp.toml` as last read from disk: read once,
/// in parallel, when the server first checks the package, then kept
/// current file by file ([`Server::disk_changed`]). An edit reads nothing
/// from disk, and nothing outside the package is ever read.
pub(crate) struct DiskSnapshot {
    disk: DiskFiles,
    listed: Vec<ListedFile>,
    /// Each listed file's bytes, `None` when it could not be read; a
    /// text shared ([`FileBytes::shared`]), so that an edit neither copies
    /// nor compares the files it does not touch.
    bytes: Vec<Option<FileBytes>>,
    /// `camp.toml`, `None` when it could not be read.
    manifest: Option<Option<(String, Vec<u8>)>>,
    /// The absolute path of each listed file, and back to its index.
    absolute: Vec<PathBuf>,
    index: HashMap<PathBuf, usize>,
}

impl DiskSnapshot {
    /// The package's files on disk (less the open files of a package of
    /// files named alone, which may not be on disk); `None` when its
    /// folder cannot be walked.
    fn read(
        package: &PackageRoot,
        documents: &BTreeMap<PathBuf, Document>,
    ) -> Option<DiskSnapshot> {
        let is_open =
            |file: &Path| std::path::absolute(file).is_ok_and(|file| documents.contains_key(&file));
        // A file named alone that is open is not read from the disk.
        let on_disk = PackageRoot {
            root: package.root.clone(),
            only: package.only.as_ref().map(|files| {
                files
                    .iter()
                    .filter(|file| !is_open(file))
                    .cloned()
                    .collect()
            }),
        };
        let disk = DiskFiles::of_package(&on_disk).ok()?;
        let listed = disk.list().unwrap_or_default();
        // The core's loader reads the files in parallel; a file it cannot
        // read is read again alone, to know which.
        let bytes: Vec<Option<FileBytes>> = match camp_core::package::load(&disk) {
            Ok(loaded) => loaded
                .input
                .files
                .into_iter()
                .map(|file| Some(file.bytes.shared()))
                .collect(),
            Err(_) => listed
                .iter()
                .enumerate()
                .map(|(index, file)| disk.read(index, file).ok().map(FileBytes::shared))
                .collect(),
        };
        let absolute: Vec<PathBuf> = listed
            .iter()
            .map(|file| {
                std::path::absolute(&file.path).unwrap_or_else(|_| PathBuf::from(&file.path))
            })
            .collect();
        let index = absolute
            .iter()
            .enumerate()
            .map(|(index, path)| (path.clone(), index))
            .collect();
        let manifest = disk.manifest().ok();
        Some(DiskSnapshot {
            disk,
            listed,
            bytes,
            manifest,
            absolute,
            index,
        })
    }

    /// Reads one listed file again.
    fn reread(&mut self, index: usize) {
        if let (Some(file), Some(slot)) = (self.listed.get(index), self.bytes.get_mut(index)) {
            *slot = self.disk.read(index, file).ok().map(FileBytes::shared);
        }
    }
}

/// Where a listed file's text comes from.
enum Origin {
    /// The `index`-th file of the disk's listing.
    Disk(usize),
    /// An open document.
    Buffer(PathBuf),
}

/// The server's [`FileSource`]: the open documents laid over
/// [`DiskFiles`]. A file on disk that is open is read from its buffer; an
/// open `.camp` document inside the package that the disk does not list
/// (not yet written, or a file named alone) is added; `camp.toml` is its
/// buffer when it is open.
pub(crate) struct Overlay<'a> {
    disk: Option<&'a DiskSnapshot>,
    documents: &'a BTreeMap<PathBuf, Document>,
    root: PathBuf,
    /// The snapshot's files borrowed, not copied (an edit loads them all).
    listed: Vec<(Cow<'a, ListedFile>, Origin)>,
}

impl<'a> Overlay<'a> {
    /// The package's files: the disk's as `disk` holds them, with the
    /// open documents over them; with no `disk`, its open documents only.
    fn new(
        package: &PackageRoot,
        documents: &'a BTreeMap<PathBuf, Document>,
        disk: Option<&'a DiskSnapshot>,
    ) -> Overlay<'a> {
        let mut listed = Vec::new();
        // The listed files that are open, found from the (few) documents.
        let open: BTreeSet<usize> = disk
            .map(|disk| {
                documents
                    .keys()
                    .filter_map(|path| disk.index.get(path).copied())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(disk) = disk {
            for (index, (file, absolute)) in disk.listed.iter().zip(&disk.absolute).enumerate() {
                let origin = if open.contains(&index) {
                    Origin::Buffer(absolute.clone())
                } else {
                    Origin::Disk(index)
                };
                listed.push((Cow::Borrowed(file), origin));
            }
        }
        let seen = |path: &PathBuf| disk.is_some_and(|disk| disk.index.contains_key(path));
        // Open documents not listed above, inside this package: a file
        // named alone, or a `.camp` file not yet on disk.
        let root = std::path::absolute(&package.root).ok();
        for path in documents.keys() {
            let inside = match &package.only {
                Some(only) => only
                    .iter()
                    .any(|file| std::path::absolute(file).ok().as_ref() == Some(path)),
                None => is_camp(path) && root.as_ref().is_some_and(|root| path.starts_with(root)),
            };
            if inside && !seen(path) {
                let relative = root
                    .as_ref()
                    .and_then(|root| path.strip_prefix(root).ok().map(Path::to_path_buf))
                    .unwrap_or_else(|| path.clone());
                listed.push((
                    Cow::Owned(ListedFile {
                        path: path.to_string_lossy().into_owned(),
                        relative_path: relative.to_string_lossy().replace('\\', "/"),
                    }),
                    Origin::Buffer(path.clone()),
                ));
            }
        }
        Overlay {
            disk,
            documents,
            root: package.root.clone(),
            listed,
        }
    }

    fn buffer(&self, path: &Path) -> Option<Vec<u8>> {
        self.documents
            .get(path)
            .map(|document| document.text.clone().into_bytes())
    }
}

impl FileSource for Overlay<'_> {
    type Error = FsError;

    fn list(&self) -> Result<Vec<ListedFile>, FsError> {
        Ok(self
            .listed
            .iter()
            .map(|(file, _)| file.as_ref().clone())
            .collect())
    }

    fn read(&self, index: usize, file: &ListedFile) -> Result<FileBytes, FsError> {
        let gone = || FsError::Missing {
            path: file.path.clone(),
        };
        match self.listed.get(index).map(|(_, origin)| origin) {
            Some(Origin::Buffer(path)) => self.buffer(path).map(FileBytes::Read).ok_or_else(gone),
            Some(Origin::Disk(on_disk)) => self
                .disk
                .and_then(|disk| disk.bytes.get(*on_disk)?.clone())
                .ok_or_else(gone),
            None => Err(gone()),
        }
    }

    fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, FsError> {
        let path = self.root.join(fs::MANIFEST);
        if let Some(bytes) = std::path::absolute(&path)
            .ok()
            .and_then(|absolute| self.buffer(&absolute))
        {
            return Ok(Some((fs::display(&path), bytes)));
        }
        match self.disk.map(|disk| &disk.manifest) {
            Some(Some(manifest)) => Ok(manifest.clone()),
            Some(None) => Err(FsError::Missing {
                path: fs::display(&path),
            }),
            None => Ok(None),
        }
    }
}

/// The package of an open document not on disk: the package of the
/// nearest existing folder above it, or the file alone.
fn unsaved_package(path: &Path) -> PackageRoot {
    let folder = path
        .ancestors()
        .skip(1)
        .find(|folder| folder.is_dir())
        .map(Path::to_path_buf);
    let root = folder.as_ref().and_then(|folder| match path.file_name() {
        Some(name) => fs::package_root_of(&folder.join(name)),
        None => None,
    });
    match root {
        Some(root) => PackageRoot { root, only: None },
        None => PackageRoot {
            root: path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            only: Some(vec![path.to_path_buf()]),
        },
    }
}

/// Whether a change at `scope` (a file or a folder) concerns a package:
/// one of its files, a folder inside it, or a folder holding it.
fn touches(package: &PackageRoot, scope: &Path) -> bool {
    match &package.only {
        Some(files) => files.iter().any(|file| file.starts_with(scope)),
        None => package.root.starts_with(scope) || scope.starts_with(&package.root),
    }
}

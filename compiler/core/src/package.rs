//! A package: its files, decoded and parsed, then checked as one.
//!
//! The core never touches the disk. Whoever drives it (the CLI, the
//! language server, a test) hands over bytes through [`PackageInput`],
//! usually loaded by [`load`] from an implementation of [`FileSource`].

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{self, model::Model};
use crate::diagnostic::{Diagnostic, Summary, sort_and_dedup};
use crate::error::CampError;
use crate::lint::{self, LintConfig};
use crate::manifest::{self, ManifestFile};
use crate::source::{FileId, MAX_FILE_BYTES, SourceFile, SourceMap, Span};
use crate::syntax::parser::{DeferringParse, parse_deferred, parse_file_deferring};
use crate::syntax::{ItemCache, ParseOutput, ast::ParsedFile, parse_file, parse_file_reusing};

/// One `.camp` file a [`FileSource`] lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// The path for messages.
    pub path: String,
    /// The path relative to the package root, with `/`, for the IR.
    pub relative_path: String,
}

/// The IO boundary: what loading a package needs from the outside world.
/// `camp-fs` implements it on the disk (`DiskFiles`: a walk under the
/// ignore rules); the language server lays its open buffers over that;
/// tests keep files in memory. [`load`] turns one into a package.
pub trait FileSource: Sync {
    /// Why a file cannot be listed or read: the implementation's own
    /// error, passed through untouched.
    type Error: Send;
    /// The package's `.camp` files, in any order.
    fn list(&self) -> Result<Vec<ListedFile>, Self::Error>;
    /// The bytes of the `index`-th file [`FileSource::list`] gave.
    fn read(&self, index: usize, file: &ListedFile) -> Result<FileBytes, Self::Error>;
    /// The package's `camp.toml`: its path for messages and its bytes, or
    /// `None` when the package has none.
    fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, Self::Error>;
}

/// A package loaded through a [`FileSource`]: the input to check, with
/// the name and lint levels `camp.toml` sets, and `camp.toml` itself with
/// its problems, for the analysis to report ([`analyze_loaded`]).
#[derive(Debug, Clone, Default)]
pub struct LoadedPackage {
    pub input: PackageInput,
    pub manifest: Option<ManifestFile>,
    /// `camp.toml`'s `[diff]`: `campc diff`'s flag levels.
    pub diff: crate::diff::DiffConfig,
}

/// The one way a package is loaded, for `campc` and the language server
/// alike: every listed file read (in parallel), and `camp.toml` read into
/// the package's name and lint configuration. A problem in `camp.toml` is
/// not a failure: it becomes a diagnostic (`E08xx`) on `camp.toml`, and
/// the package is loaded with no name and the default lint levels. Only
/// the source's own errors (a file that cannot be read) fail.
pub fn load<S: FileSource + ?Sized>(source: &S) -> Result<LoadedPackage, S::Error> {
    let listed = source.list()?;
    let files = listed
        .into_par_iter()
        .enumerate()
        .map(|(index, file)| {
            let bytes = source.read(index, &file)?;
            Ok(InputFile {
                path: file.path,
                relative_path: file.relative_path,
                bytes,
            })
        })
        .collect::<Result<Vec<InputFile>, S::Error>>()?;
    let (settings, manifest) = match source.manifest()? {
        Some((path, bytes)) => {
            let (settings, file) = manifest::read(&path, &bytes);
            (settings, Some(file))
        }
        None => (manifest::Settings::default(), None),
    };
    Ok(LoadedPackage {
        input: PackageInput {
            name: settings.name,
            files,
            lints: settings.lints,
        },
        manifest,
        diff: settings.diff,
    })
}

/// One file's path and raw bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The path for messages, as given or walked.
    pub path: String,
    /// The path relative to the package root, with `/`, for the IR.
    pub relative_path: String,
    pub bytes: FileBytes,
}

/// A file's bytes as a [`FileSource`] gives them: read (owned), or a text
/// already decoded and shared, as the language server keeps the files of
/// a package in memory between edits. An analysis keeps a shared text as
/// the file's text without copying it, and [`analyze_cached`] knows the
/// very text it decoded last time without comparing a byte, so an edit
/// neither copies nor compares the files it did not touch.
#[derive(Debug, Clone)]
pub enum FileBytes {
    Read(Vec<u8>),
    Text(Arc<str>),
}

impl FileBytes {
    /// The bytes, owned (a copy of a shared text).
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            FileBytes::Read(bytes) => bytes,
            FileBytes::Text(text) => text.as_bytes().to_vec(),
        }
    }

    /// Bytes that are UTF-8 as a shared text (one copy, now), for a
    /// holder that hands them to many analyses; others as they are.
    pub fn shared(self) -> FileBytes {
        match self {
            FileBytes::Read(bytes) => match String::from_utf8(bytes) {
                Ok(text) => FileBytes::Text(Arc::from(text)),
                Err(error) => FileBytes::Read(error.into_bytes()),
            },
            FileBytes::Text(text) => FileBytes::Text(text),
        }
    }

    /// Whether these are the bytes of `text`: at once when they are that
    /// very text, else byte by byte.
    fn are(&self, text: &Arc<str>) -> bool {
        match self {
            FileBytes::Text(own) => Arc::ptr_eq(own, text) || own.as_bytes() == text.as_bytes(),
            FileBytes::Read(bytes) => bytes.as_slice() == text.as_bytes(),
        }
    }
}

/// Equal when the bytes are.
impl PartialEq for FileBytes {
    fn eq(&self, other: &FileBytes) -> bool {
        **self == **other
    }
}

impl Eq for FileBytes {}

impl Default for FileBytes {
    fn default() -> FileBytes {
        FileBytes::Read(Vec::new())
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(bytes) => bytes,
            FileBytes::Text(text) => text.as_bytes(),
        }
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> FileBytes {
        FileBytes::Read(bytes)
    }
}

impl From<String> for FileBytes {
    fn from(text: String) -> FileBytes {
        FileBytes::Read(text.into_bytes())
    }
}

impl From<&str> for FileBytes {
    fn from(text: &str) -> FileBytes {
        FileBytes::Read(text.as_bytes().to_vec())
    }
}

impl From<Arc<str>> for FileBytes {
    fn from(text: Arc<str>) -> FileBytes {
        FileBytes::Text(text)
    }
}

#[derive(Debug, Clone, Default)]
pub struct PackageInput {
    /// `[package] name` from `camp.toml`, if any.
    pub name: Option<String>,
    pub files: Vec<InputFile>,
    /// Lint levels and options from `camp.toml`, and the time "now" is.
    pub lints: LintConfig,
}

/// Decodes a file's bytes: UTF-8 or an error at the first bad byte.
pub fn decode_source(file: FileId, bytes: &[u8]) -> Result<String, CampError> {
    decode(file, bytes).map(str::to_string)
}

/// [`decode_source`], borrowing the text.
fn decode(file: FileId, bytes: &[u8]) -> Result<&str, CampError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CampError::FileTooLarge {
            span: Span::new(file, 0, 0),
            bytes: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    if let Some(big_endian) = utf16_byte_order(bytes) {
        return Err(CampError::Utf16 {
            span: Span::new(file, 0, 0),
            big_endian,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let valid = error.valid_up_to();
            // Lines end where the line table says (a lone `\r` too).
            let line = bytes
                .get(..valid)
                .map(|prefix| {
                    (0..prefix.len())
                        .filter(|index| crate::source::is_line_break(bytes, *index))
                        .count()
                        + 1
                })
                .unwrap_or(1);
            // The file is shown decoded lossily, where the bad byte is one
            // U+FFFD (three bytes): the span covers exactly that character.
            Err(CampError::InvalidUtf8 {
                span: Span::new(file, valid, valid + '\u{FFFD}'.len_utf8()),
                line,
            })
        }
    }
}

/// Whether `bytes` look like UTF-16, and if so whether big-endian: a
/// UTF-16 byte-order mark (`FF FE` or `FE FF`, never valid UTF-8), or text
/// whose first characters are ASCII with a zero byte beside each (valid
/// UTF-8, but every other character a NUL).
fn utf16_byte_order(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(false),
        [0xFE, 0xFF, ..] => return Some(true),
        _ => {}
    }
    // Up to the first 64 characters; a zero byte beside a printable one.
    let pairs: Vec<(u8, u8)> = bytes
        .chunks_exact(2)
        .take(64)
        .map(|pair| match pair {
            [first, second] => (*first, *second),
            _ => (0, 0),
        })
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let ascii =
        |byte: u8| byte == b'\t' || byte == b'\n' || byte == b'\r' || (0x20..0x7f).contains(&byte);
    let little = pairs
        .iter()
        .filter(|(low, high)| *high == 0 && ascii(*low))
        .count();
    let big = pairs
        .iter()
        .filter(|(high, low)| *high == 0 && ascii(*low))
        .count();
    // Most pairs: a stray NUL in a UTF-8 file is E0108, not this.
    let most = |count: usize| count * 4 >= pairs.len() * 3;
    if most(little) {
        Some(false)
    } else if most(big) {
        Some(true)
    } else {
        None
    }
}

/// The text of a file that is not UTF-8, for showing it in the report:
/// UTF-16 decoded as such, anything else with each bad byte as U+FFFD.
pub(crate) fn lossy_text(bytes: &[u8]) -> String {
    match utf16_byte_order(bytes) {
        Some(big_endian) => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| match pair {
                    [first, second] if big_endian => u16::from_be_bytes([*first, *second]),
                    [first, second] => u16::from_le_bytes([*first, *second]),
                    _ => 0,
                })
                .collect();
            String::from_utf16_lossy(&units)
                .trim_start_matches('\u{FEFF}')
                .to_string()
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Everything known about a package after checking it.
#[derive(Debug, Default)]
pub struct Analysis {
    pub name: Option<String>,
    pub sources: SourceMap,
    pub parsed: Vec<ParsedFile>,
    /// Sorted by file, position and code; no exact repeats.
    pub diagnostics: Vec<Diagnostic>,
    /// Complete only when there are no errors.
    pub model: Model,
}

impl Analysis {
    /// Errors, `deny` lint findings included.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Errors of the program itself (not lint findings): with one, there
    /// is no IR.
    pub fn has_compile_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.is_error() && lint::find_rule(diagnostic.code).is_none())
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics)
    }

    /// Adds the package's `camp.toml` and its problems to the analysis,
    /// so that they are reported with the rest.
    pub fn add_manifest(&mut self, manifest: Option<&ManifestFile>) {
        let Some(manifest) = manifest else {
            return;
        };
        self.sources
            .set_manifest(manifest.path.clone(), Arc::clone(&manifest.text));
        if !manifest.diagnostics.is_empty() {
            self.diagnostics
                .extend(manifest.diagnostics.iter().cloned());
            sort_and_dedup(&mut self.diagnostics, &self.sources);
        }
    }
}

/// Checks a loaded package: [`analyze`], with its `camp.toml` and that
/// file's problems reported among the rest.
pub fn analyze_loaded(package: LoadedPackage) -> Analysis {
    let mut analysis = analyze(package.input);
    analysis.add_manifest(package.manifest.as_ref());
    analysis
}

/// Decodes, parses (in parallel) and checks a package.
pub fn analyze(input: PackageInput) -> Analysis {
    analyze_with_progress(input, &|| {})
}

/// [`analyze`], calling `parsed` once per file parsed (from any thread),
/// for a progress bar.
pub fn analyze_with_progress(input: PackageInput, parsed: &(dyn Fn() + Sync)) -> Analysis {
    analyze_package(input, parsed, None, true)
}

/// [`analyze`], re-using the parse of every file whose text has not
/// changed since the last call with the same `cache`: a language server
/// re-checks a whole package on each edit but re-parses only the edited
/// file. The result is the same as [`analyze`]'s, byte for byte.
pub fn analyze_cached(input: PackageInput, cache: &mut ParseCache) -> Analysis {
    analyze_package(input, &|| {}, Some(cache), true)
}

/// [`analyze_cached`] for the last analysis of a series (`campc diff`'s
/// new side): the cache's parses are re-used and consumed, none is kept,
/// so a re-used parse is moved into the analysis rather than copied. The
/// result is the same as [`analyze`]'s.
pub fn analyze_consuming_cache(input: PackageInput, mut cache: ParseCache) -> Analysis {
    analyze_package(input, &|| {}, Some(&mut cache), false)
}

/// The parses of one package's files, kept between analyses by
/// [`analyze_cached`]. It holds only the files of the last analysis.
///
/// Two levels. A file whose text is unchanged re-uses its whole parse. A
/// file whose text changed re-uses each item (campaign, fund, …) whose
/// text is unchanged, moved to where it now starts, and parses the rest:
/// an edit re-parses the item it touched. Items with errors are always
/// parsed again.
///
/// A file whose text changed is being edited: its next text will differ
/// again, so its whole parse is not kept (that would cost a copy of its
/// tree on every keystroke), only its items. The whole parse is kept the
/// next time the file is seen unchanged.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// By path: hashed with `foldhash`, as every edit looks up each file.
    entries: HashMap<String, CachedParse, foldhash::fast::RandomState>,
    /// Items parsed by the last analysis (the others were re-used).
    last_parsed: usize,
    /// The checks of the campaigns: an edit re-checks the campaigns it
    /// can change ([`check::CheckCache`]).
    checks: check::CheckCache,
    /// The one-campaign lint findings of those checks ([`lint::LintCache`]);
    /// boxed, so that a cache stays small to move.
    lints: Box<lint::LintCache>,
}

#[derive(Debug)]
struct CachedParse {
    /// Spans carry the file id, so a parse is re-used only under the
    /// same id (the same place in the package's sorted file list).
    id: FileId,
    /// The file decoded, its lines indexed: re-used while its bytes are
    /// the same.
    source: SourceFile,
    /// `None` while the file is being edited.
    output: Option<Arc<ParseOutput>>,
    /// Its items that parsed cleanly: an edit re-parses only the items it
    /// touched.
    items: ItemCache,
}

/// One file's parse in an analysis.
#[derive(Default)]
struct FileParse {
    output: Arc<ParseOutput>,
    /// For the cache: the items, how many were parsed now, and whether to
    /// keep the whole parse.
    items: ItemCache,
    items_parsed: usize,
    keep: bool,
    /// The cache's own path and file, when this file is that entry's as
    /// it was: kept as they are, not copied again.
    unchanged: Option<(String, SourceFile)>,
}

impl ParseCache {
    /// How many items (campaigns, funds, …) the last [`analyze_cached`]
    /// call had to parse.
    pub fn last_parsed(&self) -> usize {
        self.last_parsed
    }

    /// How many campaigns the last [`analyze_cached`] call had to check
    /// (the others' checks were re-used).
    pub fn last_checked(&self) -> usize {
        self.checks.last_checked()
    }
}

fn analyze_package(
    mut input: PackageInput,
    parsed: &(dyn Fn() + Sync),
    mut cache: Option<&mut ParseCache>,
    keep: bool,
) -> Analysis {
    input.files.sort_by(|a, b| {
        a.relative_path
            .cmp(&b.relative_path)
            .then(a.path.cmp(&b.path))
    });
    let caching = cache.is_some();
    // Each file's previous entry (same path, same id), taken out of the cache.
    let mut previous = cache
        .as_deref_mut()
        .map(|cache| std::mem::take(&mut cache.entries))
        .unwrap_or_default();
    let (files, mut errors) = decode_files(&input.files, &previous);
    let sources = SourceMap::from_files(files);
    // The bytes are decoded: their memory can hold the syntax trees.
    drop(std::mem::take(&mut input.files));
    let unreadable: Vec<FileId> = errors.iter().map(|error| error.span().file).collect();

    let inputs: Vec<(&SourceFile, Option<(String, CachedParse)>)> = sources
        .files()
        .iter()
        .map(|file| {
            let entry = previous
                .remove_entry(&file.path)
                .filter(|(_, entry)| entry.id == file.id);
            (file, entry)
        })
        .collect();
    let outputs: Vec<FileParse> = inputs
        .into_par_iter()
        .map(|(file, entry)| {
            let reparse = |items: ItemCache, keep: bool| {
                let (output, items, items_parsed) = parse_file_reusing(file.id, &file.text, items);
                FileParse {
                    output: Arc::new(output),
                    items,
                    items_parsed,
                    keep,
                    unchanged: None,
                }
            };
            let result = if unreadable.contains(&file.id) {
                FileParse::default()
            } else if !caching {
                FileParse {
                    output: Arc::new(parse_file(file.id, &file.text)),
                    ..FileParse::default()
                }
            } else {
                match entry {
                    Some((path, entry)) if entry.source.text == file.text => match entry.output {
                        Some(output) => FileParse {
                            output,
                            items: entry.items,
                            items_parsed: 0,
                            keep: true,
                            // The very file decoding re-used (same text).
                            unchanged: (Arc::ptr_eq(&entry.source.text, &file.text)
                                && entry.source.relative_path == file.relative_path)
                                .then_some((path, entry.source)),
                        },
                        // Unchanged since an edit that was not kept.
                        None => reparse(entry.items, true),
                    },
                    // Changed: it is being edited; its unchanged items are
                    // re-used, its whole parse is not kept.
                    Some((_, entry)) => reparse(entry.items, false),
                    None => reparse(ItemCache::new(), true),
                }
            };
            parsed();
            result
        })
        .collect();
    let items_parsed = outputs.iter().map(|parse| parse.items_parsed).sum();
    let mut entries = HashMap::with_capacity_and_hasher(outputs.len(), Default::default());
    let mut parsed = Vec::with_capacity(outputs.len());
    for (file, parse) in sources.files().iter().zip(outputs) {
        if caching && keep && !unreadable.contains(&file.id) {
            let (path, source) = parse
                .unchanged
                .unwrap_or_else(|| (file.path.clone(), file.clone()));
            let entry = CachedParse {
                id: file.id,
                source,
                output: parse.keep.then(|| Arc::clone(&parse.output)),
                items: parse.items,
            };
            entries.insert(path, entry);
        }
        // A parse not kept in the cache has one owner: moved, not copied.
        let output = Arc::try_unwrap(parse.output).unwrap_or_else(|shared| (*shared).clone());
        errors.extend(output.errors);
        parsed.push(output.file);
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.last_parsed = items_parsed;
        cache.entries = entries;
    }

    let mut cache = cache.filter(|_| keep);
    let checked = match cache.as_deref_mut() {
        Some(cache) => check::check_package_cached(&parsed, &mut cache.checks),
        None => check::check_package(&parsed),
    };
    let lints = cache.map(|cache| &mut *cache.lints);
    conclude(
        input.name,
        sources,
        parsed,
        errors,
        checked,
        &input.lints,
        lints,
    )
}

/// The end of an analysis, its check made: the errors of every step as
/// diagnostics, the lint findings, sorted.
fn conclude(
    name: Option<String>,
    sources: SourceMap,
    parsed: Vec<ParsedFile>,
    mut errors: Vec<CampError>,
    mut checked: check::CheckOutput,
    config: &LintConfig,
    lints: Option<&mut lint::LintCache>,
) -> Analysis {
    errors.append(&mut checked.errors);
    // The checker keeps a campaign only if it has no error; an error found
    // while parsing (a number too large, a bad escape, a control
    // character) is inside the campaign's text but not in its checks.
    drop_campaigns_with_errors(&mut checked.model, &errors);

    let mut diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(CampError::into_diagnostic).collect();
    diagnostics.extend(lint::run_cached(
        &checked.model,
        &parsed,
        &sources,
        config,
        lints,
    ));
    sort_and_dedup(&mut diagnostics, &sources);
    Analysis {
        name,
        sources,
        parsed,
        diagnostics,
        model: checked.model,
    }
}

/// [`analyze_with_progress`] for a check that only reports (`campc
/// check`): the same diagnostics and model, in a fraction of the memory.
/// Each campaign is parsed, checked and its syntax tree dropped in one
/// step, so that the trees of a whole package never live at once (they
/// are most of the memory of a check: about 5 KB a campaign against
/// 1.7 KB for its model). The analysis's `parsed` therefore holds each
/// campaign's item without its body: nothing that reads campaign bodies
/// (`campc explain`, `campc test`, `campc fmt`, the editor) may use it.
///
/// A file with a `// camp:` directive is parsed whole (a suppression
/// points into its campaigns' fields). A package with a campaign that
/// does not parse as its header says (a syntax error) is analyzed as
/// [`analyze_with_progress`] analyzes it.
pub fn analyze_lean(mut input: PackageInput, parsed: &(dyn Fn() + Sync)) -> Analysis {
    input.files.sort_by(|a, b| {
        a.relative_path
            .cmp(&b.relative_path)
            .then(a.path.cmp(&b.path))
    });
    // Each file decoded, its lines indexed and parsed (but for its
    // campaigns) in one step.
    let none = HashMap::default();
    let done: Vec<(SourceFile, Option<CampError>, DeferringParse)> = input
        .files
        .par_iter()
        .enumerate()
        .map(|(index, file)| {
            let (file, error) = decode_one(index, file, &none);
            let whole = |output| DeferringParse {
                output,
                deferred: Vec::new(),
                lexical: Vec::new(),
            };
            let parse = if error.is_some() {
                whole(ParseOutput::default())
            } else if memchr::memmem::find(file.text.as_bytes(), b"// camp:").is_some() {
                whole(parse_file(file.id, &file.text))
            } else {
                parse_file_deferring(file.id, &file.text)
            };
            parsed();
            (file, error, parse)
        })
        .collect();
    drop(std::mem::take(&mut input.files));
    let mut files = Vec::with_capacity(done.len());
    let mut decoding = Vec::new();
    let mut parses = Vec::with_capacity(done.len());
    for (file, error, parse) in done {
        files.push(file);
        decoding.extend(error);
        parses.push(parse);
    }
    let sources = SourceMap::from_files(files);
    let unreadable: Vec<FileId> = decoding.iter().map(|error| error.span().file).collect();
    let mut errors = decoding.clone();
    let mut files = Vec::with_capacity(parses.len());
    let mut deferred = Vec::new();
    let mut lexical = Vec::with_capacity(parses.len());
    for (file, parse) in parses.into_iter().enumerate() {
        errors.extend(parse.output.errors);
        files.push(parse.output.file);
        deferred.extend(
            parse
                .deferred
                .into_iter()
                .map(|(index, range)| check::Deferred {
                    file,
                    index,
                    handle: (file, range),
                }),
        );
        lexical.push(parse.lexical);
    }
    let parse_deferred = |(file, range): &(usize, std::ops::Range<usize>)| {
        let (Some(source), Some(lexical)) = (sources.files().get(*file), lexical.get(*file)) else {
            return (None, Vec::new());
        };
        parse_deferred(source.id, &source.text, range, lexical)
    };
    let Some((checked, parse_errors, items)) =
        check::check_package_deferred(&files, &deferred, &parse_deferred)
    else {
        // A campaign's chunk is not the campaign its header names: parse
        // and check every file as `analyze` does.
        drop((files, deferred, lexical));
        let mut errors = decoding;
        let parsed: Vec<ParseOutput> = sources
            .files()
            .par_iter()
            .map(|file| {
                if unreadable.contains(&file.id) {
                    ParseOutput::default()
                } else {
                    parse_file(file.id, &file.text)
                }
            })
            .collect();
        let parsed: Vec<ParsedFile> = parsed
            .into_iter()
            .map(|output| {
                errors.extend(output.errors);
                output.file
            })
            .collect();
        let checked = check::check_package(&parsed);
        return conclude(
            input.name,
            sources,
            parsed,
            errors,
            checked,
            &input.lints,
            None,
        );
    };
    errors.extend(parse_errors);
    // Each shell gives way to its campaign's item (without its body).
    for (campaign, item) in deferred.iter().zip(items) {
        if let Some(slot) = files
            .get_mut(campaign.file)
            .and_then(|file| file.items.make_mut().get_mut(campaign.index))
        {
            *slot = item;
        }
    }
    conclude(
        input.name,
        sources,
        files,
        errors,
        checked,
        &input.lints,
        None,
    )
}

/// Decodes each file and indexes its lines, in parallel; a file whose
/// bytes are those of its entry in `previous` is that entry's, as it was.
/// Also gives the files that could not be decoded, as errors.
fn decode_files(
    input: &[InputFile],
    previous: &HashMap<String, CachedParse, foldhash::fast::RandomState>,
) -> (Vec<SourceFile>, Vec<CampError>) {
    let decoded: Vec<(SourceFile, Option<CampError>)> = input
        .par_iter()
        .enumerate()
        .map(|(index, file)| decode_one(index, file, previous))
        .collect();
    let mut errors = Vec::new();
    let mut files = Vec::with_capacity(decoded.len());
    for (file, error) in decoded {
        errors.extend(error);
        files.push(file);
    }
    (files, errors)
}

/// Decodes one file (the `index`-th of its package) and indexes its
/// lines: its entry's in `previous` when the bytes are that entry's, as
/// it was. Also gives the error when it cannot be decoded.
fn decode_one(
    index: usize,
    file: &InputFile,
    previous: &HashMap<String, CachedParse, foldhash::fast::RandomState>,
) -> (SourceFile, Option<CampError>) {
    let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
    if let Some(entry) = previous.get(&file.path)
        && entry.id == id
        && entry.source.relative_path == file.relative_path
        && file.bytes.are(&entry.source.text)
    {
        return (entry.source.clone(), None);
    }
    // The text is copied once, into its `Arc` (a shared text not
    // at all).
    let (text, error): (Arc<str>, _) = match decode(id, &file.bytes) {
        Ok(text) => match &file.bytes {
            FileBytes::Text(shared) => (Arc::clone(shared), None),
            FileBytes::Read(_) => (Arc::from(text), None),
        },
        // Keep what can be shown, so the error can quote the line.
        Err(error @ CampError::FileTooLarge { .. }) => (Arc::from(""), Some(error)),
        Err(error) => (Arc::from(lossy_text(&file.bytes)), Some(error)),
    };
    let source = SourceFile::new(id, file.path.clone(), file.relative_path.clone(), text);
    (source, error)
}

/// Removes from the model every campaign whose text holds an error, so
/// that no campaign with an error is linted (or otherwise used).
fn drop_campaigns_with_errors(model: &mut Model, errors: &[CampError]) {
    if errors.is_empty() {
        return;
    }
    let mut starts: Vec<(FileId, u32)> = errors
        .iter()
        .map(|error| {
            let span = error.span();
            (span.file, span.start)
        })
        .collect();
    starts.sort_unstable();
    model.campaigns.retain(|campaign| {
        let span = campaign.span;
        let first = starts.partition_point(|at| *at < (span.file, span.start));
        !starts
            .get(first)
            .is_some_and(|(file, start)| *file == span.file && *start < span.end)
    });
}

/// Analyzes one text as a package of one file, for tests and tools.
pub fn analyze_text(path: &str, text: &str) -> Analysis {
    analyze(PackageInput {
        name: None,
        lints: LintConfig::default(),
        files: vec![InputFile {
            path: path.to_string(),
            relative_path: path.to_string(),
            bytes: text.into(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package in memory: no disk.
    struct Memory {
        files: Vec<(&'static str, &'static str)>,
        manifest: Option<&'static str>,
    }

    impl FileSource for Memory {
        type Error = String;

        fn list(&self) -> Result<Vec<ListedFile>, String> {
            Ok(self
                .files
                .iter()
                .map(|(path, _)| ListedFile {
                    path: format!("pkg/{path}"),
                    relative_path: path.to_string(),
                })
                .collect())
        }

        fn read(&self, index: usize, file: &ListedFile) -> Result<FileBytes, String> {
            match self.files.get(index) {
                Some((path, text)) if file.relative_path == *path => Ok((*text).into()),
                _ => Err(format!("cannot read `{}`", file.path)),
            }
        }

        fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, String> {
            Ok(self
                .manifest
                .map(|text| (String::from("pkg/camp.toml"), text.as_bytes().to_vec())))
        }
    }

    const CAMPAIGN: &str = "scene checkout\nsegment qa\n";

    #[test]
    fn a_package_loads_its_files_name_and_lint_levels() {
        let source = Memory {
            files: vec![
                ("b.camp", CAMPAIGN),
                ("a.camp", "region r { code: \"R\" }\n"),
            ],
            manifest: Some("[package]\nname = \"spring\"\n[lints]\nno-rollout = \"deny\"\n"),
        };
        let loaded = load(&source).unwrap_or_default();
        assert_eq!(loaded.input.name.as_deref(), Some("spring"));
        let rule = lint::find_rule("no-rollout");
        assert_eq!(
            rule.map(|rule| loaded.input.lints.level(rule)),
            Some(lint::Level::Deny)
        );
        let paths: Vec<&str> = loaded
            .input
            .files
            .iter()
            .map(|file| file.path.as_str())
            .collect();
        assert_eq!(paths, ["pkg/b.camp", "pkg/a.camp"]);
        let analysis = analyze_loaded(loaded);
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            analysis.diagnostics
        );
        assert_eq!(analysis.sources.files().len(), 2);
        assert_eq!(
            analysis.sources.manifest().map(|file| file.path.as_str()),
            Some("pkg/camp.toml")
        );
    }

    #[test]
    fn a_camp_toml_problem_is_a_diagnostic_on_camp_toml() {
        let source = Memory {
            files: vec![("a.camp", CAMPAIGN)],
            manifest: Some("[package]\nname = \"spring\"\n[lints]\nno-rolout = \"deny\"\n"),
        };
        let loaded = load(&source).unwrap_or_default();
        // Loaded all the same, with no name and the default levels.
        assert_eq!(loaded.input.name, None);
        assert_eq!(loaded.input.lints, LintConfig::default());
        assert_eq!(loaded.input.files.len(), 1);
        let analysis = analyze_loaded(loaded);
        let found: Vec<(&str, &str, &str)> = analysis
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let file = analysis.sources.get(diagnostic.primary.span.file);
                (
                    diagnostic.code,
                    file.map_or("", |file| file.path.as_str()),
                    analysis.sources.slice(diagnostic.primary.span),
                )
            })
            .collect();
        assert_eq!(found, [("E0804", "pkg/camp.toml", "no-rolout")]);
        assert!(analysis.has_compile_errors());
    }

    #[test]
    fn the_sources_errors_fail_the_load() {
        struct Broken;
        impl FileSource for Broken {
            type Error = String;
            fn list(&self) -> Result<Vec<ListedFile>, String> {
                Ok(vec![ListedFile {
                    path: String::from("gone.camp"),
                    relative_path: String::from("gone.camp"),
                }])
            }
            fn read(&self, _: usize, file: &ListedFile) -> Result<FileBytes, String> {
                Err(format!("cannot read `{}`", file.path))
            }
            fn manifest(&self) -> Result<Option<(String, Vec<u8>)>, String> {
                Ok(None)
            }
        }
        assert_eq!(
            load(&Broken).err().as_deref(),
            Some("cannot read `gone.camp`")
        );
    }
}

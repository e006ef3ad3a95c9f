//! `analyze_cached` re-parses only what changed and answers exactly what
//! `analyze` answers: the same parse, diagnostics and IR.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use camp_core::ir;
use camp_core::package::{
    Analysis, FileBytes, InputFile, PackageInput, ParseCache, analyze, analyze_cached,
};
use camp_core::source::FileId;
use camp_core::syntax::{ItemCache, parse_file, parse_file_reusing};
use camp_fs::{PackageRoot, load_package};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn platform() -> PackageInput {
    let root = PackageRoot {
        root: repo().join("examples/platform"),
        only: None,
    };
    let mut input = load_package(&root).unwrap();
    input.lints.now = "2026-11-01T00:00:00Z".parse().ok();
    input
}

/// Analyzes `input` with the cache and checks the answer against a fresh
/// analysis; returns how many items were parsed.
fn same_as_fresh(input: &PackageInput, cache: &mut ParseCache) -> (Analysis, usize) {
    let cached = analyze_cached(input.clone(), cache);
    let fresh = analyze(input.clone());
    assert_eq!(cached.parsed, fresh.parsed);
    assert_eq!(cached.diagnostics, fresh.diagnostics);
    assert_eq!(cached.model, fresh.model);
    let bytes = |analysis: &Analysis| {
        ir::build(analysis)
            .unwrap()
            .map(|files| format!("{files:?}"))
    };
    assert_eq!(bytes(&cached), bytes(&fresh));
    (cached, cache.last_parsed())
}

fn file_mut<'a>(input: &'a mut PackageInput, name: &str) -> &'a mut InputFile {
    input
        .files
        .iter_mut()
        .find(|file| file.relative_path == name)
        .unwrap()
}

/// Adds `bytes` at the end of `file`.
fn append(file: &mut InputFile, bytes: &[u8]) {
    let mut all = file.bytes.to_vec();
    all.extend_from_slice(bytes);
    file.bytes = all.into();
}

fn item_count(analysis: &Analysis) -> usize {
    analysis.parsed.iter().map(|file| file.items.len()).sum()
}

#[test]
fn an_edit_reparses_only_the_item_it_touches() {
    let mut input = platform();
    let mut cache = ParseCache::default();

    let (first, parsed) = same_as_fresh(&input, &mut cache);
    assert!(!first.has_errors());
    assert_eq!(
        parsed,
        item_count(&first),
        "the first analysis parses everything"
    );
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0, "nothing changed, nothing is parsed");

    // Edit the title of the first campaign of a file with several items:
    // that campaign is parsed again, the items after it (moved) are not.
    let name = first
        .sources
        .files()
        .iter()
        .zip(&first.parsed)
        .filter(|(file, _)| file.relative_path.starts_with("campaigns/"))
        .max_by_key(|(_, parsed)| parsed.items.len())
        .map(|(file, _)| file.relative_path.clone())
        .unwrap();
    let original = file_mut(&mut input, &name).bytes.clone();
    let text = String::from_utf8(original.to_vec()).unwrap();
    let edited = text.replacen("title: \"", "title: \"(edited) ", 1);
    assert_ne!(edited, text);
    file_mut(&mut input, &name).bytes = edited.into();
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1, "{name}");

    // A broken item: the cache must not hide its syntax error.
    append(
        file_mut(&mut input, &name),
        b"\ncampaign broken {\n  budget CNY 1.00\n}\n",
    );
    // The new item is parsed, and the last one before it, whose text (up
    // to the next item) now ends differently.
    let (broken, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 2);
    assert!(broken.has_compile_errors());
    // Items with errors are never re-used: the next analysis parses it again.
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1);

    // Undoing both edits: the cache holds the items of the last parse only,
    // so the first campaign (title back) and the last one (its end back)
    // are parsed again; then nothing.
    file_mut(&mut input, &name).bytes = original;
    let (fixed, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 2);
    assert!(!fixed.has_errors());
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0);
}

/// An analysis re-using a file's parse shares its items and its decoded
/// text with the cache (and with the analysis before it): an edit copies
/// neither the trees nor the text of the files it did not touch.
#[test]
fn an_unchanged_file_is_shared_not_copied() {
    let mut input = platform();
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&input, &mut cache);
    let edited = first
        .sources
        .files()
        .iter()
        .position(|file| file.relative_path.starts_with("campaigns/"))
        .unwrap();
    let name = first.sources.files()[edited].relative_path.clone();
    let text = String::from_utf8(file_mut(&mut input, &name).bytes.to_vec()).unwrap();
    file_mut(&mut input, &name).bytes = text.replacen("title: \"", "title: \"(edited) ", 1).into();
    let (second, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1);
    for (index, (before, after)) in first.parsed.iter().zip(&second.parsed).enumerate() {
        let source = |analysis: &Analysis| analysis.sources.files()[index].text.clone();
        let shared = std::sync::Arc::ptr_eq(&source(&first), &source(&second));
        if index == edited {
            assert!(!before.items.same(&after.items));
            assert!(!shared);
        } else {
            assert!(before.items.same(&after.items), "{index}");
            assert!(shared, "{index}");
        }
    }
}

#[test]
fn a_file_that_moves_in_the_package_is_parsed_again() {
    let mut input = platform();
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&input, &mut cache);

    // A new file sorting first shifts every other file's id: parses made
    // under the old ids must not be re-used.
    input.files.push(InputFile {
        path: "000_first.camp".to_string(),
        relative_path: "000_first.camp".to_string(),
        bytes: b"// nothing yet\n".to_vec().into(),
    });
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, item_count(&first));

    // Removing it shifts them back.
    input.files.pop();
    let (analysis, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, item_count(&first));
    assert!(!analysis.has_errors());
}

#[test]
fn unreadable_files_are_reported_every_time() {
    let mut input = platform();
    input.files.push(InputFile {
        path: "bad.camp".to_string(),
        relative_path: "bad.camp".to_string(),
        bytes: b"campaign x {\xff}\n".to_vec().into(),
    });
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&input, &mut cache);
    let (second, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0);
    assert_eq!(first.diagnostics, second.diagnostics);
    assert!(second.has_compile_errors());
}

fn camp_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            camp_files(&path, found);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "camp")
        {
            found.push(path);
        }
    }
}

/// Every span of a re-used item is moved: for every example and fixture,
/// text inserted before, between and after its items gives, from the
/// cache, exactly the parse of the new text.
#[test]
fn reused_items_are_moved_exactly() {
    let mut files = Vec::new();
    camp_files(&repo().join("examples"), &mut files);
    camp_files(&repo().join("compiler/tests/fixtures"), &mut files);
    camp_files(&repo().join("lsp/tests/fixtures"), &mut files);
    files.sort();
    assert!(files.len() > 100, "{}", files.len());
    let mut reused = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // E0101 fixtures are not UTF-8.
        };
        let file = FileId(0);
        let (_, cache, _) = parse_file_reusing(file, &text, ItemCache::new());
        // Before everything, and at the start of the line in the middle.
        let middle = text
            .get(..text.len() / 2)
            .and_then(|head| head.rfind('\n'))
            .map_or(0, |at| at + 1);
        for (at, inserted) in [
            (0, "// moved\n\n"),
            (middle, "\n\n"),
            (text.len(), "\n// end\n"),
        ] {
            let mut moved = text.clone();
            moved.insert_str(at, inserted);
            let fresh = parse_file(file, &moved);
            let (from_cache, _, parsed) = parse_file_reusing(file, &moved, cache.clone());
            assert_eq!(from_cache.file, fresh.file, "{} at {at}", path.display());
            assert_eq!(
                from_cache.errors,
                fresh.errors,
                "{} at {at}",
                path.display()
            );
            reused += fresh.file.items.len().saturating_sub(parsed);
        }
    }
    assert!(reused > 100, "only {reused} items re-used");
}

/// `campc diff`'s use: one side fills the cache, the other (an edit of it)
/// consumes it; the second answer is a fresh analysis's.
#[test]
fn a_consumed_cache_answers_as_a_fresh_analysis() {
    let input = platform();
    let mut cache = ParseCache::default();
    same_as_fresh(&input, &mut cache);
    let mut edited = input.clone();
    let file = &mut edited.files[1];
    let text = String::from_utf8(file.bytes.to_vec()).unwrap();
    file.bytes = format!("// an edit\n{text}").into();
    let consumed = camp_core::package::analyze_consuming_cache(edited.clone(), cache);
    let fresh = analyze(edited);
    assert_eq!(consumed.parsed, fresh.parsed);
    assert_eq!(consumed.diagnostics, fresh.diagnostics);
    assert_eq!(
        ir::build(&consumed).unwrap().map(|files| files.files),
        ir::build(&fresh).unwrap().map(|files| files.files)
    );
}

/// The check re-uses what the names and the items that are not campaigns
/// give (symbols, policy, schema, their errors) and each unchanged
/// campaign's check while those stay the same, and checks everything
/// again when they change: after each edit, the same answer as a fresh
/// analysis.
#[test]
fn a_check_after_an_edit_equals_a_fresh_one() {
    let mut input = platform();
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&input, &mut cache);
    let campaigns = first.model.campaigns.len();
    assert!(campaigns > 10, "{campaigns}");
    assert_eq!(cache.last_checked(), campaigns);
    same_as_fresh(&input, &mut cache);
    assert_eq!(
        cache.last_checked(),
        0,
        "nothing changed, nothing is checked"
    );

    // The title of a file's last campaign (no name after it moves): that
    // campaign alone.
    let name = "campaigns/double12.camp";
    let campaign_file = file_mut(&mut input, name).bytes.clone();
    let text = String::from_utf8(campaign_file.to_vec()).unwrap();
    let at = text.rfind("title: \"").unwrap() + "title: \"".len();
    file_mut(&mut input, name).bytes = format!("{}(edited) {}", &text[..at], &text[at..]).into();
    same_as_fresh(&input, &mut cache);
    assert_eq!(cache.last_checked(), 1);

    // A fund's contract (the schema): every campaign, some now breaking it.
    let funds = "schema/funds.camp";
    let schema_file = file_mut(&mut input, funds).bytes.clone();
    let text = String::from_utf8(schema_file.to_vec()).unwrap();
    let stricter = text.replacen("max_rate: 30%", "max_rate: 1%", 1);
    assert_ne!(stricter, text);
    file_mut(&mut input, funds).bytes = stricter.into();
    let (strict, _) = same_as_fresh(&input, &mut cache);
    assert!(strict.has_compile_errors());
    assert_eq!(cache.last_checked(), campaigns);
    file_mut(&mut input, name).bytes = campaign_file.clone();
    same_as_fresh(&input, &mut cache);
    assert_eq!(cache.last_checked(), 1);

    // A name declared twice (an error of the names pass), then removed.
    file_mut(&mut input, funds).bytes = schema_file;
    append(file_mut(&mut input, name), b"\ncategory home_appliance\n");
    let (twice, _) = same_as_fresh(&input, &mut cache);
    assert!(
        twice
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == "E0201"),
        "{:?}",
        twice.diagnostics
    );
    file_mut(&mut input, name).bytes = campaign_file;
    let (fixed, _) = same_as_fresh(&input, &mut cache);
    assert!(!fixed.has_errors(), "{:?}", fixed.diagnostics);
    same_as_fresh(&input, &mut cache);
    assert_eq!(cache.last_checked(), 0);
}

/// The server keeps a package's files in memory as shared texts
/// (`FileBytes::Text`): an analysis keeps each as the file's text without
/// a copy, the next analysis of the very same texts parses nothing, an
/// equal text in another allocation is still recognized, and every answer
/// is that of a fresh analysis of the same bytes as read from disk.
#[test]
fn shared_texts_are_kept_and_recognized() {
    let read = platform();
    let shared = PackageInput {
        files: read
            .files
            .iter()
            .map(|file| InputFile {
                bytes: file.bytes.clone().shared(),
                ..file.clone()
            })
            .collect(),
        ..read.clone()
    };
    let text_of = |input: &PackageInput, path: &str| match &input
        .files
        .iter()
        .find(|file| file.path == path)
        .unwrap()
        .bytes
    {
        FileBytes::Text(text) => Arc::clone(text),
        FileBytes::Read(_) => panic!("{path}: not shared"),
    };
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&shared, &mut cache);
    assert_eq!(first.diagnostics, analyze(read.clone()).diagnostics);
    for file in first.sources.files() {
        assert!(
            Arc::ptr_eq(&file.text, &text_of(&shared, &file.path)),
            "{}",
            file.path
        );
    }
    let (_, parsed) = same_as_fresh(&shared, &mut cache);
    assert_eq!(parsed, 0);
    // The same texts, each in a new allocation: still nothing to parse.
    let copied = PackageInput {
        files: shared
            .files
            .iter()
            .map(|file| InputFile {
                bytes: FileBytes::Text(Arc::from(std::str::from_utf8(&file.bytes).unwrap())),
                ..file.clone()
            })
            .collect(),
        ..shared.clone()
    };
    let (_, parsed) = same_as_fresh(&copied, &mut cache);
    assert_eq!(parsed, 0);
    // One shared text edited: that item alone.
    let mut edited = copied.clone();
    let name = "campaigns/double12.camp";
    let text = String::from_utf8(file_mut(&mut edited, name).bytes.to_vec()).unwrap();
    let at = text.rfind("title: \"").unwrap() + "title: \"".len();
    file_mut(&mut edited, name).bytes = FileBytes::Text(Arc::from(format!(
        "{}(edited) {}",
        &text[..at],
        &text[at..]
    )));
    let (_, parsed) = same_as_fresh(&edited, &mut cache);
    assert_eq!(parsed, 1);
}

/// A shared text is checked as read bytes are: one that looks like UTF-16
/// (valid UTF-8, a zero byte beside each character) is refused the same.
#[test]
fn a_shared_text_gets_the_errors_of_read_bytes() {
    let text = "s\0c\0e\0n\0e\0 \0a\0\n\0";
    let input = |bytes: FileBytes| PackageInput {
        files: vec![InputFile {
            path: String::from("utf16.camp"),
            relative_path: String::from("utf16.camp"),
            bytes,
        }],
        ..PackageInput::default()
    };
    let read = analyze(input(FileBytes::Read(text.as_bytes().to_vec())));
    let shared = analyze(input(FileBytes::Text(Arc::from(text))));
    assert!(read.has_compile_errors());
    assert_eq!(shared.diagnostics, read.diagnostics);
}

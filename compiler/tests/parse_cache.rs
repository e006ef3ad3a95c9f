//! `analyze_cached` re-parses only what changed and answers exactly what
//! `analyze` answers: the same parse, diagnostics and IR.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use camp_compiler::fs::{PackageRoot, load_package};
use camp_compiler::ir;
use camp_compiler::package::{
    Analysis, InputFile, PackageInput, ParseCache, analyze, analyze_cached,
};

fn platform() -> PackageInput {
    let root = PackageRoot {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform"),
        only: None,
    };
    let mut input = load_package(&root).unwrap();
    input.lints.now = "2026-11-01T00:00:00Z".parse().ok();
    input
}

/// Analyzes `input` with the cache and checks the answer against a fresh
/// analysis; returns how many files were parsed.
fn same_as_fresh(input: &PackageInput, cache: &mut ParseCache) -> (Analysis, usize) {
    let cached = analyze_cached(input.clone(), cache);
    let fresh = analyze(input.clone());
    assert_eq!(cached.parsed, fresh.parsed);
    assert_eq!(cached.diagnostics, fresh.diagnostics);
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

#[test]
fn an_edit_reparses_only_the_edited_file() {
    let mut input = platform();
    let files = input.files.len();
    let mut cache = ParseCache::default();

    let (first, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, files, "the first analysis parses everything");
    assert!(!first.has_errors());
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0, "nothing changed, nothing is parsed");

    // A broken edit: the cache must not hide the new syntax error.
    let campaign = input
        .files
        .iter()
        .find(|file| file.relative_path.starts_with("campaigns/"))
        .unwrap()
        .relative_path
        .clone();
    let original = file_mut(&mut input, &campaign).bytes.clone();
    file_mut(&mut input, &campaign)
        .bytes
        .extend_from_slice(b"\ncampaign broken {\n  budget CNY 1.00\n}\n");
    let (broken, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1);
    assert!(broken.has_compile_errors());

    // Undoing the edit parses that file again, and only it.
    file_mut(&mut input, &campaign).bytes = original;
    let (fixed, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1);
    assert!(!fixed.has_errors());

    // The parse of a file being edited is not kept; once the file is seen
    // unchanged it is parsed once more and kept from then on.
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 1);
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0);
}

#[test]
fn a_file_that_moves_in_the_package_is_parsed_again() {
    let mut input = platform();
    let files = input.files.len();
    let mut cache = ParseCache::default();
    same_as_fresh(&input, &mut cache);

    // A new file sorting first shifts every other file's id: parses made
    // under the old ids must not be re-used.
    input.files.push(InputFile {
        path: "000_first.camp".to_string(),
        relative_path: "000_first.camp".to_string(),
        bytes: b"// nothing yet\n".to_vec(),
    });
    let (_, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, files + 1);

    // Removing it shifts them back.
    input.files.pop();
    let (analysis, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, files);
    assert!(!analysis.has_errors());
}

#[test]
fn unreadable_files_are_reported_every_time() {
    let mut input = platform();
    input.files.push(InputFile {
        path: "bad.camp".to_string(),
        relative_path: "bad.camp".to_string(),
        bytes: b"campaign x {\xff}\n".to_vec(),
    });
    let mut cache = ParseCache::default();
    let (first, _) = same_as_fresh(&input, &mut cache);
    let (second, parsed) = same_as_fresh(&input, &mut cache);
    assert_eq!(parsed, 0);
    assert_eq!(first.diagnostics, second.diagnostics);
    assert!(second.has_compile_errors());
}

//! `campc fmt` keeps meaning: every example and fixture formats to the same
//! diagnostics and the same IR (less the source positions), and formatting
//! twice changes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use camp_core::format::format;
use camp_core::package::{PackageInput, analyze, analyze_text};
use camp_fs::{PackageRoot, camp_files, load_package};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn all_camp_files() -> Vec<PathBuf> {
    let mut files = camp_files(&repo().join("examples")).unwrap();
    files.extend(camp_files(&repo().join("compiler/tests/fixtures")).unwrap());
    files
}

/// What a file means, without where: codes, severities and messages.
fn meaning(text: &str) -> Vec<String> {
    let analysis = analyze_text("file.camp", text);
    let mut found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.code, d.severity, d.message))
        .collect();
    found.sort();
    found.push(format!("{} campaigns", analysis.model.campaigns.len()));
    found
}

#[test]
fn formatting_is_idempotent_and_keeps_every_file_meaning_the_same() {
    let mut formatted_count = 0;
    for path in all_camp_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // a fixture that is not UTF-8 on purpose
        };
        let Ok(formatted) = format(&text) else {
            continue; // does not parse: left alone
        };
        formatted_count += 1;
        assert_eq!(
            format(&formatted).as_ref(),
            Ok(&formatted),
            "{} is not idempotent",
            path.display()
        );
        assert_eq!(
            meaning(&text),
            meaning(&formatted),
            "{} changed meaning",
            path.display()
        );
    }
    assert!(
        formatted_count > 50,
        "only {formatted_count} files formatted"
    );
}

/// The IR with the source positions (and so the hashes) removed.
fn ir_without_positions(input: PackageInput) -> Vec<serde_json::Value> {
    let analysis = analyze(input);
    let files = camp_core::ir::build(&analysis)
        .unwrap()
        .expect("the package has errors");
    files
        .files
        .iter()
        .map(|(_, bytes)| {
            let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            if let Some(object) = value.as_object_mut() {
                object.remove("sha256");
            }
            if let Some(campaign) = value.get_mut("campaign").and_then(|c| c.as_object_mut()) {
                campaign.remove("source");
            }
            if let Some(campaigns) = value
                .pointer_mut("/package/campaigns")
                .and_then(|c| c.as_array_mut())
            {
                for campaign in campaigns {
                    campaign.as_object_mut().unwrap().remove("sha256");
                }
            }
            value
        })
        .collect()
}

#[test]
fn the_formatted_examples_build_the_same_ir() {
    let root = PackageRoot {
        root: repo().join("examples/platform"),
        only: None,
    };
    let original = load_package(&root).unwrap();
    let mut formatted = original.clone();
    let mut changed = 0;
    for file in &mut formatted.files {
        let text = String::from_utf8(file.bytes.to_vec()).unwrap();
        let new = format(&text).unwrap();
        changed += usize::from(new != text);
        file.bytes = new.into();
    }
    assert_eq!(
        ir_without_positions(original),
        ir_without_positions(formatted)
    );
    // The examples are kept formatted.
    assert_eq!(changed, 0, "run `campc fmt examples`");
}

#[test]
fn the_formatted_lint_fixtures_build_the_same_ir() {
    let fixtures = repo().join("compiler/tests/fixtures");
    let prelude = std::fs::read_to_string(fixtures.join("prelude.camp")).unwrap();
    let mut built = 0;
    for path in camp_files(&fixtures.join("lints")).unwrap() {
        let text = std::fs::read_to_string(&path).unwrap();
        let package = |prelude: &str, text: &str| PackageInput {
            name: None,
            files: vec![
                camp_core::package::InputFile {
                    path: String::from("prelude.camp"),
                    relative_path: String::from("prelude.camp"),
                    bytes: prelude.as_bytes().to_vec().into(),
                },
                camp_core::package::InputFile {
                    path: String::from("fixture.camp"),
                    relative_path: String::from("fixture.camp"),
                    bytes: text.as_bytes().to_vec().into(),
                },
            ],
            lints: camp_core::lint::LintConfig::errors_only(),
        };
        let before = package(&prelude, &text);
        if analyze(before.clone()).has_compile_errors() {
            continue;
        }
        let after = package(&format(&prelude).unwrap(), &format(&text).unwrap());
        assert_eq!(
            ir_without_positions(before),
            ir_without_positions(after),
            "{}",
            path.display()
        );
        built += 1;
    }
    assert!(built >= 20, "only {built} lint fixtures built");
}

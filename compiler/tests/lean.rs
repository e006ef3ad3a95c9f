//! `analyze_lean` (what `campc check` runs: each campaign parsed, checked
//! and its syntax tree dropped in one step) answers exactly what `analyze`
//! answers: the same diagnostics, the same model, and the same items but
//! for the campaigns' bodies, on every example, every fixture, and texts
//! made to take its fallback (a campaign that does not parse as its header
//! says) and its exceptions (a file with a `// camp:` directive).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

mod common;

use camp_core::package::{Analysis, InputFile, PackageInput, analyze, analyze_lean};
use camp_core::syntax::ast::{ItemKind, ParsedFile};
use camp_fs::{PackageRoot, load_package};
use common::repo;

fn input_file(relative_path: &str, text: &str) -> InputFile {
    InputFile {
        path: relative_path.to_string(),
        relative_path: relative_path.to_string(),
        bytes: text.as_bytes().to_vec().into(),
    }
}

/// The items of `parsed`, with every campaign's body emptied (what a lean
/// analysis keeps of them).
fn without_bodies(parsed: &[ParsedFile]) -> Vec<ParsedFile> {
    let mut parsed = parsed.to_vec();
    for file in &mut parsed {
        for item in file.items.make_mut() {
            if let ItemKind::Campaign(decl) = &mut item.kind {
                decl.body.entries.clear();
            }
        }
    }
    parsed
}

/// How many campaigns of `analysis` keep their bodies' syntax.
fn bodies_kept(analysis: &Analysis) -> usize {
    analysis
        .parsed
        .iter()
        .flat_map(|file| file.items.iter())
        .filter(
            |item| matches!(&item.kind, ItemKind::Campaign(decl) if !decl.body.entries.is_empty()),
        )
        .count()
}

/// Checks `input` both ways and compares; gives the full analysis.
fn same_both_ways(input: &PackageInput, what: &str) -> Analysis {
    same_both_ways_keeping(input, what).0
}

/// [`same_both_ways`], with how many campaigns the lean analysis kept the
/// bodies of.
fn same_both_ways_keeping(input: &PackageInput, what: &str) -> (Analysis, usize) {
    let lean = analyze_lean(input.clone(), &|| {});
    let full = analyze(input.clone());
    assert_eq!(lean.diagnostics, full.diagnostics, "{what}: diagnostics");
    assert_eq!(lean.model, full.model, "{what}: model");
    assert_eq!(
        without_bodies(&lean.parsed),
        without_bodies(&full.parsed),
        "{what}: items"
    );
    assert_eq!(lean.sources.files().len(), full.sources.files().len());
    let kept = bodies_kept(&lean);
    (full, kept)
}

/// Every package of `examples/`.
#[test]
fn examples_check_the_same_both_ways() {
    let mut roots = vec![
        repo().join("examples/platform"),
        repo().join("examples/incident-2025-01-16"),
    ];
    let mut programs: Vec<PathBuf> = std::fs::read_dir(repo().join("examples/programs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    programs.sort();
    roots.extend(programs);
    assert!(roots.len() > 5);
    for root in roots {
        let mut input = load_package(&PackageRoot {
            root: root.clone(),
            only: None,
        })
        .unwrap();
        input.lints.now = "2026-11-01T00:00:00Z".parse().ok();
        let full = same_both_ways(&input, &root.display().to_string());
        assert!(
            !full.model.campaigns.is_empty() || full.has_errors(),
            "{}",
            root.display()
        );
    }
}

/// Every `.camp` file below `tests/fixtures`, as a package of its own and
/// beside the fixtures' prelude.
#[test]
fn fixtures_check_the_same_both_ways() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let prelude = std::fs::read_to_string(fixtures.join("prelude.camp")).unwrap();
    let mut folders = vec![fixtures];
    let mut files = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "camp") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} fixtures", files.len());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            // Not UTF-8 on purpose: a decoding error, the same both ways.
            let bytes = std::fs::read(&path).unwrap();
            let input = PackageInput {
                name: None,
                files: vec![InputFile {
                    path: "fixture.camp".to_string(),
                    relative_path: "fixture.camp".to_string(),
                    bytes: bytes.into(),
                }],
                lints: Default::default(),
            };
            same_both_ways(&input, &path.display().to_string());
            continue;
        };
        for with_prelude in [false, true] {
            let mut files = vec![input_file("fixture.camp", &text)];
            if with_prelude {
                files.push(input_file("prelude.camp", &prelude));
            }
            let input = PackageInput {
                name: None,
                files,
                lints: Default::default(),
            };
            same_both_ways(&input, &path.display().to_string());
        }
    }
}

const SCHEMA: &str = "scene online_purchase
fund marketing {
  payer: platform
  scenes: [online_purchase]
}
policy {
  currencies: [CNY]
}
";

fn campaign(name: &str, extra: &str) -> String {
    format!(
        "/// The campaign {name}.
campaign {name} {{
  title: \"{name}\"
  owner: \"growth\"
  fund: marketing
  scenes: [online_purchase]
  window: 2026-12-01 00:00 to 2026-12-08 00:00 Asia/Shanghai
  reward: CNY 5.00 off, min_spend CNY 50.00
  budget: CNY 10_000.00
  limit: 1 per user per day
{extra}}}
"
    )
}

/// Texts that take the lean analysis off its common path: a campaign
/// with a syntax error (the fallback), one whose header is not on one
/// line, a suppression, duplicate names across files, stacking across
/// files, and a campaign made from a template.
#[test]
fn unusual_packages_check_the_same_both_ways() {
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "plain",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                ("a.camp", campaign("a", "")),
                ("b.camp", campaign("b", "")),
            ],
        ),
        (
            "a syntax error in a campaign's body",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                ("a.camp", campaign("a", "  limit: per per\n")),
                ("b.camp", campaign("b", "")),
            ],
        ),
        (
            "a campaign that is not what its header says",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                ("a.camp", "campaign a\n".to_string()),
                ("b.camp", campaign("b", "  stacking: stacks_with [a]\n")),
            ],
        ),
        (
            "a header over two lines",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                (
                    "a.camp",
                    campaign("a", "").replacen("campaign a {", "campaign\n  a {", 1),
                ),
            ],
        ),
        (
            "a suppression",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                (
                    "a.camp",
                    campaign(
                        "a",
                        "  // camp: allow(no-spend-guard) reason: a test\n  expected_peak: 10 per 1s\n",
                    ),
                ),
            ],
        ),
        (
            "the same name twice, and stacking across files",
            vec![
                ("schema.camp", SCHEMA.to_string()),
                ("a.camp", campaign("a", "  stacking: stacks_with [b]\n")),
                ("b.camp", campaign("b", "  stacking: stacks_with [a]\n")),
                ("c.camp", campaign("a", "")),
                ("d.camp", campaign("marketing", "")),
            ],
        ),
        (
            "every campaign in one file, with comments between",
            vec![(
                "all.camp",
                format!(
                    "{SCHEMA}// the campaigns\n{}\n// more\n\n{}",
                    campaign("a", ""),
                    campaign(
                        "b",
                        "  rollout {\n    stage 10% for 1d\n    stage 100%\n  }\n"
                    )
                ),
            )],
        ),
    ];
    // How many campaigns keep their syntax: none on the lean path; after
    // the fallback, every one that parses; the one whose header is not on
    // one line (parsed with its file); the one whose file has a directive.
    let kept = [0, 1, 1, 1, 1, 0, 0];
    assert_eq!(kept.len(), cases.len());
    for ((what, files), kept) in cases.into_iter().zip(kept) {
        let input = PackageInput {
            name: None,
            files: files
                .iter()
                .map(|(path, text)| input_file(path, text))
                .collect(),
            lints: Default::default(),
        };
        let (full, lean_kept) = same_both_ways_keeping(&input, what);
        assert_eq!(lean_kept, kept, "{what}: campaigns kept whole");
        assert!(bodies_kept(&full) > 0, "{what}");
    }
}

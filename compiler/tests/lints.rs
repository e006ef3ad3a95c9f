//! Lint rules, data-driven: `fixtures/lints/RULE.fires.camp` must report
//! RULE, `RULE.quiet.camp` must report nothing at all, and every other
//! fixture there (options, item-level suppressions) is snapshotted too.
//! More cases of a kind add a word: `RULE.fires-sunday.camp`,
//! `RULE.quiet-days.camp`.
//! Each fixture is checked with `fixtures/prelude.camp` (unless it starts
//! with `// fixture: no-prelude` and declares its own schema), "now" fixed
//! at 2026-11-22, and the `[lints]` lines it gives as `// camp.toml: …`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use camp_core::lint::{self, LintConfig};
use camp_core::package::{Analysis, InputFile, PackageInput, ParseCache, analyze, analyze_cached};
use campc::render::{human, json};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join("lints"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "camp")
        })
        .collect();
    paths.sort();
    paths
}

/// Adds `bytes` at the end of `file`.
fn append(file: &mut InputFile, bytes: &[u8]) {
    let mut all = file.bytes.to_vec();
    all.extend_from_slice(bytes);
    file.bytes = all.into();
}

fn input_file(name: &str, bytes: Vec<u8>) -> InputFile {
    InputFile {
        path: name.to_string(),
        relative_path: name.to_string(),
        bytes: bytes.into(),
    }
}

fn check(path: &Path) -> Analysis {
    analyze(fixture_input(path))
}

/// A fixture as a package: the fixture, the prelude unless it says
/// otherwise, its `camp.toml` lines, "now" fixed.
fn fixture_input(path: &Path) -> PackageInput {
    let text = std::fs::read_to_string(path).unwrap();
    let toml_lines: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("// camp.toml: "))
        .collect();
    let table: toml::Table = toml::from_str(&toml_lines.join("\n")).unwrap();
    let mut lints = LintConfig::from_table(&table).unwrap();
    lints.now = Some(jiff::Timestamp::from_second(1_795_305_600).unwrap()); // 2026-11-22 00:00 UTC
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut files = Vec::new();
    // A fixture that needs a schema of its own (say, one without a
    // policy `max_rate`) says so, as error fixtures do.
    if !text.starts_with("// fixture: no-prelude") {
        let prelude = std::fs::read(fixtures_dir().join("prelude.camp")).unwrap();
        files.push(input_file("prelude.camp", prelude));
    }
    files.push(input_file(&name, text.into_bytes()));
    PackageInput {
        name: None,
        files,
        lints,
    }
}

fn rendered(analysis: &Analysis) -> String {
    let human = human::render(
        &analysis.diagnostics,
        &analysis.sources,
        human::Style::plain(100),
    );
    let items: Vec<_> = analysis
        .diagnostics
        .iter()
        .map(|d| (d, &analysis.sources))
        .collect();
    let report = json::report(
        &items,
        analysis.sources.files().len(),
        analysis.model.campaigns.len(),
    );
    // The tool's version is written `[version]`: a release does not
    // change every snapshot.
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    format!(
        "--- human ---\n{human}\n--- json ---\n{}",
        json::to_string(&report).replace(&version, "\"version\": \"[version]\"")
    )
}

#[test]
fn every_fixture_behaves_as_named() {
    let mut problems = Vec::new();
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let analysis = check(&path);
        let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
        let (rule, kind) = name.split_once('.').unwrap();
        if codes.iter().any(|code| code.starts_with('E')) {
            problems.push(format!(
                "{name}: has errors, not only lint findings: {codes:?}"
            ));
        }
        // `fires-sunday` is a `fires` fixture, `quiet-days` a `quiet` one.
        match kind.split('-').next().unwrap_or(kind) {
            "fires" | "option" if !codes.contains(&rule) => {
                problems.push(format!("{name}: `{rule}` did not fire: {codes:?}"));
            }
            "quiet" | "item-level" if !codes.is_empty() => {
                problems.push(format!("{name}: expected no findings, got {codes:?}"));
            }
            _ => {}
        }
        insta::assert_snapshot!(name, rendered(&analysis));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// A suppression before a campaign made from a template silences that
/// campaign's findings located in the template, and only that campaign's.
#[test]
fn a_campaign_suppression_covers_its_findings_in_the_template_and_no_other() {
    let path = fixtures_dir().join("lints/suppression.campaign-from-template.camp");
    let analysis = check(&path);
    let found: Vec<(&str, &str)> = analysis
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    let codes: Vec<&str> = found.iter().map(|(code, _)| *code).collect();
    assert_eq!(codes, ["long-window", "high-rate"], "{found:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    let template_end = text.lines().position(|line| line == "}").unwrap();
    for diagnostic in &analysis.diagnostics {
        assert!(
            diagnostic.message.contains("`loyalty_newcomers`"),
            "{found:?}"
        );
        let span = diagnostic.primary.span;
        let line = analysis
            .sources
            .get(span.file)
            .unwrap()
            .line_column(span.start)
            .line as usize;
        assert!(line <= template_end, "located in the template's body");
    }
}

/// Every fix a finding offers replaces exactly the text its message
/// quotes, and applying it clears that finding without adding an error.
#[test]
fn every_lint_fix_is_exact_and_clears_its_finding() {
    let mut problems = Vec::new();
    let mut fixed_rules = Vec::new();
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let analysis = check(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        for diagnostic in &analysis.diagnostics {
            for fix in &diagnostic.fixes {
                fixed_rules.push(diagnostic.code);
                let [edit] = fix.edits.as_slice() else {
                    problems.push(format!("{name}: {} edits in one fix", fix.edits.len()));
                    continue;
                };
                let written = analysis.sources.slice(edit.span);
                if !diagnostic.message.contains(&format!("`{written}`")) {
                    problems.push(format!(
                        "{name}: the fix replaces `{written}`, not the text in \"{}\"",
                        diagnostic.message
                    ));
                }
                let file = analysis.sources.get(edit.span.file).unwrap();
                assert_eq!(file.path, name, "fixes edit the fixture itself");
                let mut fixed_text = text.clone();
                fixed_text.replace_range(edit.span.range(), &edit.new_text);
                let scratch = tempfile::tempdir().unwrap();
                let fixed_path = scratch.path().join(&name);
                std::fs::write(&fixed_path, &fixed_text).unwrap();
                let after = check(&fixed_path);
                let start = diagnostic.primary.span.start;
                if after
                    .diagnostics
                    .iter()
                    .any(|other| other.code == diagnostic.code && other.primary.span.start == start)
                {
                    problems.push(format!(
                        "{name}: {} is still there after \"{}\"",
                        diagnostic.code, fix.title
                    ));
                }
                if let Some(error) = after.diagnostics.iter().find(|d| d.code.starts_with('E')) {
                    problems.push(format!(
                        "{name}: \"{}\" adds {}: {}",
                        fix.title, error.code, error.message
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    assert!(
        fixed_rules.contains(&"window-ends-before-midnight"),
        "no fix seen for `window-ends-before-midnight`: {fixed_rules:?}"
    );
}

#[test]
fn every_rule_has_a_fixture_that_fires_and_one_that_stays_quiet() {
    let dir = fixtures_dir().join("lints");
    let missing: Vec<String> = lint::all_rules()
        .iter()
        .flat_map(|rule| ["fires", "quiet"].map(|kind| format!("{}.{kind}.camp", rule.name)))
        .filter(|file| !dir.join(file).exists())
        .collect();
    assert!(missing.is_empty(), "missing lint fixtures: {missing:?}");
}

#[test]
fn every_rule_is_documented_in_sections() {
    for rule in lint::all_rules() {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(
                rule.docs.contains(section),
                "`{}` has no `{section}`",
                rule.name
            );
        }
        assert!(
            !rule.summary.ends_with('.'),
            "`{}`: summaries have no final period",
            rule.name
        );
        let lowercase_kebab = rule
            .name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch == '-');
        assert!(lowercase_kebab, "`{}` is not kebab-case", rule.name);
    }
}

#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    common::assert_generated_file_is_current(
        &path,
        &lint::rules_markdown(),
        "UPDATE_RULE_DOCS",
        "lints",
    );
}

#[test]
fn the_example_package_has_no_findings() {
    let root = camp_fs::PackageRoot {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform"),
        only: None,
    };
    let mut input = camp_fs::load_package(&root).unwrap();
    input.lints.now = Some(jiff::Timestamp::from_second(1_795_305_600).unwrap());
    let analysis = analyze(input);
    assert!(analysis.diagnostics.is_empty(), "{}", rendered(&analysis));
}

/// The editor re-runs the one-campaign rules only on the campaigns an
/// edit changed (`lint::LintCache`): on every fixture, after an edit of
/// its last campaign, an edit that changes no campaign, a suppression
/// added and taken away, a file removed and put back, and a change of the
/// levels and options, the findings are those of a fresh analysis.
#[test]
fn cached_findings_after_edits_equal_fresh_ones() {
    for path in fixtures() {
        let mut input = fixture_input(&path);
        let mut cache = ParseCache::default();
        let mut same_as_fresh = |input: &PackageInput, step: &str| {
            let cached = analyze_cached(input.clone(), &mut cache);
            let fresh = analyze(input.clone());
            assert_eq!(
                cached.diagnostics,
                fresh.diagnostics,
                "{}, {step}",
                path.display()
            );
        };
        same_as_fresh(&input, "first");
        same_as_fresh(&input, "unchanged");
        let fixture = input.files.last_mut().unwrap();
        let text = String::from_utf8(fixture.bytes.to_vec()).unwrap();
        if let Some(at) = text.rfind("title: \"") {
            let at = at + "title: \"".len();
            fixture.bytes = format!("{}edited {}", &text[..at], &text[at..]).into();
            same_as_fresh(&input, "last title edited");
        }
        let fixture = input.files.last_mut().unwrap();
        append(fixture, b"\n// a comment\n");
        same_as_fresh(&input, "a comment added");
        // The search of each file's text for suppressions is kept between
        // checks (`lint::suppression::collect_cached`): a suppression
        // added, taken away, and files moved to other places.
        let fixture = input.files.last_mut().unwrap();
        let before = fixture.bytes.clone();
        append(fixture, b"\n// camp: allow(high-rate) reason: a test\n");
        same_as_fresh(&input, "a suppression added");
        input.files.last_mut().unwrap().bytes = before;
        same_as_fresh(&input, "the suppression taken away");
        if input.files.len() > 1 {
            let first = input.files.remove(0);
            same_as_fresh(&input, "the first file gone");
            input.files.insert(0, first);
            same_as_fresh(&input, "the first file back");
        }
        let levels = std::mem::take(&mut input.lints);
        input.lints.now = levels.now;
        same_as_fresh(&input, "default levels");
        input.lints = levels;
        same_as_fresh(&input, "levels back");
    }
}

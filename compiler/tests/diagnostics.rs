//! Data-driven diagnostic tests: one fixture per error code under
//! `tests/fixtures/errors/`, each with a reviewed snapshot of what the user
//! sees (the human report and the JSON report).
//!
//! Conventions:
//! - A fixture is a file `E0203_unknown_fund.camp`, or a folder
//!   `E0201_duplicate_declaration/` whose `.camp` files (at any depth) form
//!   one package. The first five characters of the name are the code the
//!   fixture must trigger; the rest says how. Several fixtures may share a
//!   code (`E0103_full_width_rate.camp`, `E0103_cyrillic_identifier.camp`).
//! - Every fixture package also holds `tests/fixtures/prelude.camp` as
//!   `prelude.camp`, unless the folder has its own `prelude.camp` or a file of
//!   the fixture starts with `// fixture: no-prelude`.
//! - A fixture `E0801_not_toml.toml` is a package's `camp.toml` (not named
//!   so: every `camp.toml` in the repository must be valid); its package is
//!   the prelude.
//! - Codes that cannot be written as text (E0101 invalid UTF-8, E0102 file
//!   too large) are generated below, in `GENERATED`.
//!
//! Every snapshot is `tests/snapshots/diagnostics/<fixture name>.snap`. Update them with
//! `INSTA_UPDATE=always cargo test -p campc --test diagnostics`, then
//! read every changed `.snap` as a user would before keeping it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use camp_core::package::{Analysis, InputFile, PackageInput, analyze};
use camp_core::source::MAX_FILE_BYTES;
use campc::render::human::{self, Style};
use campc::render::json;

const NO_PRELUDE: &str = "// fixture: no-prelude";

/// Codes checked by generated inputs instead of fixture files, or (E0909,
/// an error in the text of `campc explain --pay`, not in a `.camp` file)
/// by `tests/explain.rs`.
const GENERATED: [&str; 3] = ["E0101", "E0102", "E0909"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn prelude() -> InputFile {
    let bytes = std::fs::read(fixtures_dir().join("prelude.camp")).unwrap();
    input_file("prelude.camp", bytes)
}

fn input_file(relative_path: &str, bytes: Vec<u8>) -> InputFile {
    InputFile {
        path: relative_path.to_string(),
        relative_path: relative_path.to_string(),
        bytes: bytes.into(),
    }
}

/// Every fixture (file or folder) under `fixtures/errors`, sorted by name.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join("errors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.is_dir()
                || path
                    .extension()
                    .is_some_and(|ext| ext == "camp" || ext == "toml")
        })
        .collect();
    paths.sort();
    paths
}

fn fixture_name(path: &Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    name.strip_suffix(".camp")
        .or_else(|| name.strip_suffix(".toml"))
        .unwrap_or(name)
        .to_string()
}

/// The code a fixture must trigger: the first five characters of its name.
fn fixture_code(name: &str) -> &str {
    let code = name.get(..5).unwrap_or("");
    assert!(
        code.len() == 5
            && code.starts_with('E')
            && code[1..].chars().all(|ch| ch.is_ascii_digit())
            && name[5..].starts_with('_'),
        "fixture `{name}` must be named `E0000_what_it_shows`"
    );
    code
}

/// The `.camp` files below `dir`, as `(relative path with '/', path)`.
fn camp_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            camp_files(&path, &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".camp") {
            out.push((format!("{prefix}{name}"), path));
        }
    }
}

/// Whether a fixture is a package's `camp.toml` (`E0801_not_toml.toml`):
/// its package is the prelude alone.
fn is_manifest(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "toml")
}

/// A fixture checked: its package, with its `camp.toml` when it is one
/// (read as `campc` reads it, through the core's reader).
fn fixture_analysis(path: &Path) -> Analysis {
    let mut analysis = analyze(fixture_input(path));
    if is_manifest(path) {
        let (_, manifest) = camp_core::manifest::read("camp.toml", &std::fs::read(path).unwrap());
        analysis.add_manifest(Some(&manifest));
    }
    analysis
}

/// The package of one fixture: its files, plus the prelude if it wants it
/// (a `camp.toml` fixture: the prelude alone).
fn fixture_input(path: &Path) -> PackageInput {
    let mut files = Vec::new();
    if path.is_dir() {
        let mut found = Vec::new();
        camp_files(path, "", &mut found);
        assert!(
            !found.is_empty(),
            "fixture {} has no .camp files",
            path.display()
        );
        for (relative, file) in found {
            files.push(input_file(&relative, std::fs::read(file).unwrap()));
        }
    } else if !is_manifest(path) {
        let name = path.file_name().unwrap().to_str().unwrap();
        files.push(input_file(name, std::fs::read(path).unwrap()));
    }
    let has_own_prelude = files
        .iter()
        .any(|file| file.relative_path == "prelude.camp");
    let opts_out = files
        .iter()
        .any(|file| file.bytes.starts_with(NO_PRELUDE.as_bytes()));
    if !has_own_prelude && !opts_out {
        files.push(prelude());
    }
    PackageInput {
        name: None,
        files,
        // Error fixtures show errors only; `tests/lints.rs` covers lints.
        lints: camp_core::lint::LintConfig::errors_only(),
    }
}

/// What the user sees: the human report, then the JSON report.
fn render(analysis: &Analysis) -> String {
    let diagnostics = &analysis.diagnostics;
    let human = human::render(diagnostics, &analysis.sources, Style::plain(100));
    let items: Vec<_> = diagnostics
        .iter()
        .map(|diagnostic| (diagnostic, &analysis.sources))
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

/// `E0203`: an error code, not a lint's name.
fn looks_like_an_error_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].chars().all(|ch| ch.is_ascii_digit())
}

fn codes_of(analysis: &Analysis) -> Vec<&'static str> {
    analysis
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code)
        .collect()
}

/// Snapshots one case; returns a problem instead of panicking, so that one
/// run reports (and, with `INSTA_UPDATE`, writes) every case.
fn check_case(name: &str, input_path: Option<&Path>, analysis: &Analysis) -> Vec<String> {
    let mut problems = Vec::new();
    let code = fixture_code(name);
    let codes = codes_of(analysis);
    if !codes.contains(&code) {
        problems.push(format!("{name}: expected {code}, got {codes:?}"));
    }
    // Every error reported is one of the table's codes (lints are named,
    // not numbered).
    for reported in codes
        .iter()
        .filter(|reported| looks_like_an_error_code(reported))
    {
        if camp_core::error::error_code(reported).is_none() {
            problems.push(format!("{name}: {reported} is not in ERROR_CODES"));
        }
    }
    let text = render(analysis);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    if let Some(path) = input_path {
        settings.set_input_file(path);
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, text));
    }));
    if result.is_err() {
        problems.push(format!("{name}: snapshot differs (see the .snap.new file)"));
    }
    problems
}

#[test]
fn the_prelude_alone_has_no_diagnostics() {
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![prelude()],
        ..PackageInput::default()
    });
    let text = render(&analysis);
    assert!(analysis.diagnostics.is_empty(), "{text}");
}

#[test]
fn every_fixture_triggers_its_code() {
    let mut problems = Vec::new();
    for path in fixtures() {
        let name = fixture_name(&path);
        let analysis = fixture_analysis(&path);
        problems.extend(check_case(&name, Some(&path), &analysis));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn generated_cases_trigger_their_codes() {
    let mut problems = Vec::new();

    // E0101: a file saved in GBK, not UTF-8 (`优惠` is C5 C5 BB DD in GBK).
    let mut gbk = b"campaign spring_coupon {\n  title: \"".to_vec();
    gbk.extend_from_slice(&[0xC5, 0xC5, 0xBB, 0xDD]);
    gbk.extend_from_slice(b"\"\n}\n");
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![prelude(), input_file("spring_coupon.camp", gbk)],
        ..PackageInput::default()
    });
    problems.extend(check_case("E0101_invalid_utf8_generated", None, &analysis));

    // E0102: a generated file one byte over the limit.
    let mut large = b"// generated\n".to_vec();
    large.resize(MAX_FILE_BYTES + 1, b'\n');
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![prelude(), input_file("generated.camp", large)],
        ..PackageInput::default()
    });
    problems.extend(check_case(
        "E0102_file_too_large_generated",
        None,
        &analysis,
    ));

    // E0101: the same file saved as UTF-16, with a byte-order mark
    // (little-endian, as Windows writes it) and without one (big-endian).
    let text =
        std::fs::read_to_string(fixtures_dir().join("errors/E0203_unknown_fund.camp")).unwrap();
    let mut little = vec![0xFF, 0xFE];
    little.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes) in [
        ("E0101_utf16_generated", little),
        ("E0101_utf16_without_bom_generated", big),
    ] {
        let analysis = analyze(PackageInput {
            name: None,
            files: vec![prelude(), input_file("spring_coupon.camp", bytes)],
            ..PackageInput::default()
        });
        problems.extend(check_case(name, None, &analysis));
    }

    // A lone carriage return ends a line, as in every editor: the same
    // fixture with old-Mac line endings reports the same line and column.
    let cr_only = text.replace('\n', "\r");
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![
            prelude(),
            input_file("spring_coupon.camp", cr_only.into_bytes()),
        ],
        ..PackageInput::default()
    });
    problems.extend(check_case(
        "E0203_cr_line_endings_generated",
        None,
        &analysis,
    ));

    // A problem past column 65,535 of one line: the snippet shows a window
    // of the line around it.
    let long = format!("segment s {}{{ foo: 1 }}\n", " ".repeat(65_530));
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![prelude(), input_file("long_line.camp", long.into_bytes())],
        ..PackageInput::default()
    });
    problems.extend(check_case(
        "E0202_past_column_65535_generated",
        None,
        &analysis,
    ));

    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_error_code_has_a_fixture() {
    use camp_core::error::{ERROR_CODES, RETIRED_CODES};
    let codes: BTreeSet<String> = ERROR_CODES.iter().map(|row| row.code.to_string()).collect();
    let mut covered: BTreeSet<String> = fixtures()
        .iter()
        .map(|path| fixture_code(&fixture_name(path)).to_string())
        .collect();
    covered.extend(GENERATED.iter().map(|code| code.to_string()));
    let missing: Vec<_> = codes.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    let unknown: Vec<_> = covered.difference(&codes).collect();
    assert!(
        unknown.is_empty(),
        "fixtures for codes ERROR_CODES does not have: {unknown:?}"
    );
    // A retired code is never reported, so it has no row and no fixture.
    for retired in RETIRED_CODES {
        assert!(!codes.contains(retired.code), "{} is retired", retired.code);
    }
}

#[test]
fn every_code_has_a_title_and_docs_errors_md_is_current() {
    use camp_core::error::ERROR_CODES;
    for pair in ERROR_CODES.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} is out of order",
            pair[1].code
        );
    }
    for row in ERROR_CODES {
        assert!(looks_like_an_error_code(row.code), "{}", row.code);
        assert!(
            row.code.starts_with(row.family.prefix()),
            "{} is not in family {:?}",
            row.code,
            row.family
        );
        assert!(!row.title.is_empty(), "{} has no title", row.code);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md");
    common::assert_generated_file_is_current(
        &path,
        &camp_core::error::errors_markdown(),
        "UPDATE_ERROR_DOCS",
        "diagnostics",
    );
}

/// A campaign with an error is never linted, whatever found the error:
/// the checker, or the parser (a number too large, a bad escape, a
/// control character inside the campaign's text). Each fixture is checked
/// again with the default lint levels.
#[test]
fn a_campaign_with_an_error_is_never_linted() {
    let mut problems = Vec::new();
    for path in fixtures() {
        let name = fixture_name(&path);
        let mut input = fixture_input(&path);
        input.lints = camp_core::lint::LintConfig::default();
        let analysis = analyze(input);
        let campaigns: Vec<camp_core::source::Span> = analysis
            .parsed
            .iter()
            .flat_map(|file| &file.items)
            .filter(|item| matches!(item.kind, camp_core::syntax::ast::ItemKind::Campaign(_)))
            .map(|item| item.span)
            .collect();
        let inside = |span: camp_core::source::Span| {
            campaigns.iter().copied().find(|campaign| {
                campaign.file == span.file
                    && campaign.start <= span.start
                    && span.start < campaign.end
            })
        };
        for finding in analysis
            .diagnostics
            .iter()
            .filter(|diagnostic| camp_core::lint::find_rule(diagnostic.code).is_some())
        {
            let Some(campaign) = inside(finding.primary.span) else {
                continue;
            };
            if let Some(error) = analysis.diagnostics.iter().find(|diagnostic| {
                diagnostic.code.starts_with('E')
                    && inside(diagnostic.primary.span) == Some(campaign)
            }) {
                problems.push(format!(
                    "{name}: `{}` fires on a campaign with {}: {}",
                    finding.code, error.code, error.message
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// Every quick fix is exact: a replacement covers exactly the name the
/// message quotes; applying any fix clears the diagnostic it fixes and
/// breaks no syntax.
#[test]
fn every_fix_is_exact_and_clears_its_diagnostic() {
    let mut fixes_seen = Vec::new();
    let mut problems = Vec::new();
    for path in fixtures() {
        let name = fixture_name(&path);
        let input = fixture_input(&path);
        let analysis = analyze(input.clone());
        for diagnostic in &analysis.diagnostics {
            for fix in &diagnostic.fixes {
                fixes_seen.push(diagnostic.code);
                let [edit] = fix.edits.as_slice() else {
                    problems.push(format!("{name}: {} edits in one fix", fix.edits.len()));
                    continue;
                };
                let written = analysis.sources.slice(edit.span);
                if !written.is_empty() && !diagnostic.message.contains(&format!("`{written}`")) {
                    problems.push(format!(
                        "{name}: the fix replaces `{written}`, not the name in \"{}\"",
                        diagnostic.message
                    ));
                    continue;
                }
                let file = analysis.sources.get(edit.span.file).unwrap();
                let mut fixed = input.clone();
                let target = fixed
                    .files
                    .iter_mut()
                    .find(|candidate| candidate.path == file.path)
                    .unwrap();
                let mut text = file.text.to_string();
                // A missing field's fix writes its name and leaves the value
                // to the author: write a value the author might choose.
                let mut new_text = edit.new_text.clone();
                if diagnostic.code == "E0206" {
                    let field = new_text.trim().trim_end_matches(':');
                    new_text.push_str(match field {
                        "title" => "\"春季消费券\"",
                        "owner" => "\"growth-east\"",
                        "fund" => "platform_marketing",
                        "scenes" => "[merchant_purchase]",
                        "window" => "2027-03-01 00:00 to 2027-04-01 00:00 Asia/Shanghai",
                        "reward" => "CNY 5.00 off, min_spend CNY 50.00",
                        "budget" => "CNY 100_000.00",
                        "payer" => "platform",
                        "inventory" => "10_000",
                        "per_user" => "1",
                        other => panic!("{name}: no test value for a missing `{other}`"),
                    });
                }
                text.replace_range(edit.span.start as usize..edit.span.end as usize, &new_text);
                target.bytes = text.into();
                let after = analyze(fixed);
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
                if let Some(syntax) = after
                    .diagnostics
                    .iter()
                    .find(|other| other.code.starts_with("E01"))
                {
                    problems.push(format!(
                        "{name}: \"{}\" breaks the syntax: {}",
                        fix.title, syntax.message
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    fixes_seen.sort();
    fixes_seen.dedup();
    // The misspelled-name errors of the fixtures, a missing field, and the
    // uncapped percentage.
    for code in ["E0202", "E0203", "E0206", "E0207", "E0501"] {
        assert!(
            fixes_seen.contains(&code),
            "no fix for {code}: {fixes_seen:?}"
        );
    }
}

/// Codes whose example cannot be written as text: bytes that are not
/// UTF-8, a file over the size limit, and invisible characters; and an
/// error in the text of `campc explain --pay` (an `sh` example).
const EXPLAINED_IN_TEXT: [&str; 5] = ["E0101", "E0102", "E0108", "E0109", "E0909"];

/// Every error code has an explanation (`campc rule E0203`,
/// `docs/errors.md`), and each `camp` example in it reports that code and
/// no other error, checked with the fixtures' prelude as its schema
/// (unless the example declares its own policy: then it is a package of
/// its own).
#[test]
fn every_code_is_explained_and_its_example_reports_it() {
    use camp_core::error::{ERROR_CODES, ErrorCode};
    let listed: Vec<&str> = ERROR_CODES.iter().map(|row| row.code).collect();
    let mut files: Vec<String> = std::fs::read_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("core/src/error/explanations"),
    )
    .unwrap()
    .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
    .collect();
    files.sort();
    let expected: Vec<String> = listed.iter().map(|code| format!("{code}.md")).collect();
    assert_eq!(files, expected, "one explanation file per code, no other");

    let mut problems = Vec::new();
    for ErrorCode {
        code,
        explanation: text,
        ..
    } in ERROR_CODES
    {
        let mut examples = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(language) = line.strip_prefix("```") {
                let block: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
                examples.push((language.to_string(), block.join("\n") + "\n"));
            }
        }
        // A `camp.toml` code's examples are `camp.toml`s.
        let manifest_code = code.starts_with(camp_core::error::Family::Manifest.prefix());
        let checked: Vec<&String> = examples
            .iter()
            .filter(|(language, _)| language == if manifest_code { "toml" } else { "camp" })
            .map(|(_, example)| example)
            .collect();
        if checked.is_empty() != EXPLAINED_IN_TEXT.contains(&code) {
            problems.push(format!("{code}: expected a `camp` example: {examples:?}"));
        }
        if examples.is_empty() || !text.ends_with('\n') || text.contains("\n\n\n") {
            problems.push(format!("{code}: an explanation, an example and a fix"));
        }
        for example in checked.iter().filter(|_| manifest_code) {
            let (_, manifest) = camp_core::manifest::read("camp.toml", example.as_bytes());
            let codes: Vec<&str> = manifest
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.code)
                .collect();
            if codes != [code] {
                problems.push(format!("{code}: the example reports {codes:?}:\n{example}"));
            }
        }
        for example in checked.iter().filter(|_| !manifest_code) {
            let mut files = vec![input_file("example.camp", (*example).clone().into_bytes())];
            if !example.contains("policy {") {
                files.push(prelude());
            }
            let analysis = analyze(PackageInput {
                name: None,
                files,
                lints: camp_core::lint::LintConfig::errors_only(),
            });
            let codes = codes_of(&analysis);
            if !codes.contains(&code) || codes.iter().any(|found| *found != code) {
                problems.push(format!(
                    "{code}: the example reports {codes:?}:\n{example}{}",
                    human::render(&analysis.diagnostics, &analysis.sources, Style::plain(100))
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

//! `campc test` end to end: each fixture under `tests/fixtures/tests/` is
//! a package together with `tests/fixtures/prelude.camp`, run by the
//! `campc` binary; the snapshot holds the exit code and what it printed.
//! Update with `INSTA_UPDATE=always cargo test -p campc --test
//! test_command`, then read every changed `.snap` before keeping it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A package of `prelude.camp` and the fixture, in a fresh folder.
fn package(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("prelude.camp"),
        dir.path().join("prelude.camp"),
    )
    .unwrap();
    let name = format!("{fixture}.camp");
    std::fs::copy(fixtures().join("tests").join(&name), dir.path().join(&name)).unwrap();
    dir
}

/// `campc test . ARGS` in the fixture's package: the exit code and output.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn shown(fixture: &str, args: &[&str]) -> (i32, String) {
    let dir = package(fixture);
    let mut all = vec!["."];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run_in(dir.path(), &all);
    let stdout = stdout.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[version]\"",
    );
    (
        code,
        format!("exit: {code}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}"),
    )
}

#[test]
fn a_passing_package_exits_0() {
    let (code, text) = shown("passing", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn failing_lines_show_the_payment_the_expectation_the_decision_and_why() {
    let (code, text) = shown("failing_lines", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn replays_decide_once_and_conflicting_replays_are_refused() {
    let (code, text) = shown("replay", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn limits_count_per_period_in_the_window_zone_and_pay_in_full_or_not_at_all() {
    let (code, text) = shown("limits", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn stacking_needs_consent_and_exclusive_combines_with_nothing() {
    let (code, text) = shown("stacking", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn a_pool_is_shared_by_its_campaigns_and_runs_out() {
    let (code, text) = shown("pools", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn a_package_that_does_not_compile_shows_its_errors_and_runs_nothing() {
    let (code, text) = shown("does_not_compile", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn filter_runs_only_the_named_tests() {
    let (code, text) = shown("failing_lines", &["--filter", "spring package"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
    let (code, text) = shown("failing_lines", &["--filter", "nothing_named_so"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("no test is named `nothing_named_so`"),
        "{text}"
    );
}

#[test]
fn json_lists_every_line_with_its_decision() {
    let (code, text) = shown("failing_lines", &["--format", "json"]);
    assert_eq!(code, 1);
    let json_text = text
        .split_once("--- stdout ---\n")
        .unwrap()
        .1
        .split_once("--- stderr ---")
        .unwrap()
        .0;
    let report: serde_json::Value = serde_json::from_str(json_text).unwrap();
    assert_eq!(report["passed"], 1);
    assert_eq!(report["failed"], 3);
    let lines: usize = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|test| test["lines"].as_array().unwrap().len())
        .sum();
    assert_eq!(lines, 4);
    insta::assert_snapshot!(text);
}

/// The JSON report's schema is checked in (`docs/test-report.schema.json`,
/// current with the report's types) and real reports, failing and
/// passing, validate against it.
#[test]
fn json_reports_match_the_checked_in_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/test-report.schema.json");
    let generated = campc::render::test_report::json_schema();
    if std::env::var_os("UPDATE_TEST_REPORT_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run `UPDATE_TEST_REPORT_SCHEMA=1 cargo test -p campc --test test_command json_reports_match` and commit it",
        path.display()
    );
    let schema: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let failing = package("failing_lines");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform");
    // A program with `claim` lines, so the claims' part of the report is checked too.
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/programs/merchant_coupon");
    for (dir, code) in [
        (failing.path(), 1),
        (examples.as_path(), 0),
        (claims.as_path(), 0),
    ] {
        let (status, stdout, stderr) = run_in(dir, &[".", "--format", "json"]);
        assert_eq!(status, code, "{stdout}{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert!(!report["tests"].as_array().unwrap().is_empty());
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", dir.display());
    }
}

#[test]
fn junit_has_one_case_per_line() {
    let (code, text) = shown("failing_lines", &["--format", "junit"]);
    assert_eq!(code, 1);
    assert_eq!(text.matches("<testcase ").count(), 4, "{text}");
    assert_eq!(text.matches("<failure ").count(), 3, "{text}");
    insta::assert_snapshot!(text);
}

/// The example package's tests all pass; a wrong expectation in a copy of
/// it fails with exit 1.
#[test]
fn the_examples_tests_pass() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform");
    let (code, stdout, stderr) = run_in(&examples, &["."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with(" passed, 0 failed\n"), "{stdout}");
    // The README shows this run.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    assert!(
        readme.contains(&format!("$ campc test examples/platform\n{stdout}")),
        "README.md should show `campc test examples/platform` printing {stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    copy_tree(&examples, dir.path());
    let test_file = dir.path().join("tests/trade_in_subsidy.camp");
    let text = std::fs::read_to_string(&test_file).unwrap();
    let wrong = text.replacen("=> CNY 150.00 off", "=> CNY 155.00 off", 1);
    assert_ne!(text, wrong);
    std::fs::write(&test_file, wrong).unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["."]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("expected: CNY 155.00 off"), "{stdout}");
    assert!(stdout.ends_with(" passed, 1 failed\n"), "{stdout}");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

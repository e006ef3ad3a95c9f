//! `campc` end to end: exit codes, output formats, and "no IR on error".
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn campc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        // 2026-11-22 00:00 UTC: the examples' windows are in the future.
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn a_clean_package_exits_zero() {
    let output = campc(&["check", "examples/platform"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no problems"));
}

#[test]
fn the_incident_exits_one_with_errors() {
    let output = campc(&["check", "examples/incident-2025-01-16"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("E0701"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
}

#[test]
fn a_file_is_checked_with_its_package() {
    let output = campc(&["check", "examples/platform/campaigns/new_users.camp"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_missing_folder_is_a_usage_failure() {
    let output = campc(&["check", "examples/no-such-package"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_flag_is_a_usage_failure() {
    let output = campc(&["check", "--colour-me-surprised"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn json_output_is_the_documented_shape() {
    let output = campc(&["check", "--format", "json", "examples/incident-2025-01-16"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for diagnostic in diagnostics {
        assert_eq!(diagnostic["severity"], "error");
        assert!(diagnostic["code"].as_str().unwrap().starts_with('E'));
        assert!(diagnostic["file"].as_str().unwrap().ends_with(".camp"));
        for end in ["start", "end"] {
            assert!(diagnostic["range"][end]["line"].as_u64().unwrap() >= 1);
            assert!(diagnostic["range"][end]["column"].as_u64().unwrap() >= 1);
        }
        assert!(diagnostic.get("help").is_some());
    }
    assert_eq!(
        report["summary"]["errors"].as_u64().unwrap() as usize,
        diagnostics.len()
    );
}

#[test]
fn build_writes_nothing_when_there_is_an_error() {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("ir");
    let output = campc(&[
        "build",
        "examples/incident-2025-01-16",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(scratch.path()).unwrap().count(),
        0,
        "no stray files"
    );
}

#[test]
fn build_writes_the_ir_and_replaces_it_atomically() {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("ir");
    let output = campc(&["build", "examples/platform", "--out", out.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let manifest = std::fs::read(out.join("manifest.json")).unwrap();
    let campaigns = std::fs::read_dir(out.join("campaigns")).unwrap().count();
    assert!(campaigns >= 6);

    std::fs::write(out.join("stale.json"), "{}").unwrap();
    let output = campc(&["build", "examples/platform", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read(out.join("manifest.json")).unwrap(),
        manifest,
        "same bytes"
    );
    assert!(
        !out.join("stale.json").exists(),
        "the output is replaced as a whole"
    );
    let names: Vec<String> = std::fs::read_dir(scratch.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![String::from("ir")],
        "no staging folders left behind"
    );
}

#[test]
fn non_utf8_input_is_an_error_not_a_crash() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("bad.camp"),
        b"scene ok\nscene caf\xe9\n",
    )
    .unwrap();
    let output = campc(&[
        "check",
        "--format",
        "json",
        scratch.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "E0101");
    assert_eq!(report["diagnostics"][0]["range"]["start"]["line"], 2);
}

#[test]
fn an_empty_folder_is_clean() {
    let scratch = tempfile::tempdir().unwrap();
    let output = campc(&["check", scratch.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn the_ir_schema_command_prints_the_checked_in_schema() {
    let output = campc(&["ir-schema", "campaign"]);
    assert_eq!(output.status.code(), Some(0));
    let on_disk = std::fs::read_to_string(repo().join("ir/campaign.schema.json")).unwrap();
    assert_eq!(stdout(&output), on_disk);
}

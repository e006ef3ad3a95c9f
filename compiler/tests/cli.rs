//! `campc` end to end: exit codes, output formats, and "no IR on error".
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{campc, package_with, package_with_warnings, repo, stderr, stdout};

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

    let output = campc(&["build", "examples/platform", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read(out.join("manifest.json")).unwrap(),
        manifest,
        "same bytes"
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
fn the_ir_schema_command_prints_the_checked_in_schema() {
    let output = campc(&["ir-schema", "campaign"]);
    assert_eq!(output.status.code(), Some(0));
    let on_disk = std::fs::read_to_string(repo().join("ir/campaign.schema.json")).unwrap();
    assert_eq!(stdout(&output), on_disk);
}

/// A finding past column 65,535 of a line (beyond what the terminal
/// renderer can pad to) is reported with a window of the line, never a
/// crash: an error fails `check` and `build` (exit 1), a warning lets
/// `build` write the IR (exit 0).
#[test]
fn a_finding_far_along_a_long_line_is_reported_not_a_crash() {
    let spaces = " ".repeat(65_530);
    let error = package_with("long.camp", &format!("segment s {spaces}{{ foo: 1 }}\n"));
    let path = error.path().to_str().unwrap();
    let output = campc(&["check", path]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("unknown field `foo`"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("long.camp:1:65543"),
        "{}",
        stdout(&output)
    );
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("error-ir");
    let output = campc(&["build", path, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!out.exists());

    let warning = package_with(
        "coupon.camp",
        &format!(
            "campaign {spaces}quick_coupon {{\n  title: \"立减\"\n  owner: \"growth\"\n  fund: platform_marketing\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n}}\n"
        ),
    );
    let path = warning.path().to_str().unwrap();
    let output = campc(&["check", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("no-rollout"),
        "{}",
        stdout(&output)
    );
    let out = outputs.path().join("warning-ir");
    let output = campc(&["build", path, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("no-spend-guard"),
        "{}",
        stdout(&output)
    );
    assert!(out.join("campaigns/quick_coupon.json").exists());
}

/// Nothing in a file reaches the terminal raw: a comment that would
/// retitle or clear the terminal is reported with its characters escaped,
/// in every human-facing format.
#[test]
fn control_characters_never_reach_the_terminal() {
    let package = package_with(
        "coupon.camp",
        // The escape after `\\` is also quoted in the E0106 message.
        "scene s // \u{1b}]0;pwned\u{7}\u{1b}[2J \u{9b}31m \u{202e}\nregion r { code: \"\\\u{1b}\" }\n",
    );
    let path = package.path().to_str().unwrap();
    for format in ["human", "github", "junit"] {
        let output = campc(&["check", "--format", format, path]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = stdout(&output);
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(raw), "{format}: raw {raw:?} in\n{text}");
        }
        for code in ["E0106", "E0108", "E0109"] {
            assert!(text.contains(code), "{format}: no {code} in\n{text}");
        }
    }
}

#[test]
fn warnings_fail_only_with_fail_level_warn() {
    let package = package_with_warnings();
    let path = package.path().to_str().unwrap();
    let output = campc(&["check", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("2 warnings"),
        "{}",
        stdout(&output)
    );
    let output = campc(&["check", "--fail-level", "warn", path]);
    assert_eq!(output.status.code(), Some(1));
    // A build with warnings writes the IR; with `--fail-level warn` it does not.
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("ir");
    let output = campc(&["build", path, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(out.join("manifest.json").exists());
    let strict_out = outputs.path().join("strict-ir");
    let output = campc(&[
        "build",
        path,
        "--fail-level",
        "warn",
        "--out",
        strict_out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!strict_out.exists());
}

#[test]
fn a_deny_level_in_camp_toml_fails_the_check() {
    let package = package_with_warnings();
    std::fs::write(
        package.path().join("camp.toml"),
        "[lints]\nno-rollout = \"deny\"\n",
    )
    .unwrap();
    let output = campc(&["check", package.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    std::fs::write(
        package.path().join("camp.toml"),
        "[lints]\nno-rolout = \"deny\"\n",
    )
    .unwrap();
    // A misspelled rule is an error in the package (E0804): exit 1.
    let output = campc(&["check", package.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[E0804]: `[lints]` names `no-rolout`")
            && stdout(&output).contains("did you mean `no-rollout`"),
        "{}",
        stdout(&output)
    );
    // Nor is a baseline written under a name and levels it cannot know.
    let baseline = package.path().join("baseline.json");
    let output = campc(&[
        "check",
        package.path().to_str().unwrap(),
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!baseline.exists());
    assert!(
        stderr(&output).contains("no baseline written: fix `camp.toml` first"),
        "{}",
        stderr(&output)
    );
}

/// A `camp.toml` that is not valid TOML, or not a manifest, is an error
/// in the package (`E08xx`, exit 1), reported with the package's other
/// findings and placed on its key or value: line, column and the line
/// marked.
#[test]
fn camp_toml_errors_give_line_and_column() {
    let package = package_with_warnings();
    let path = package.path().to_str().unwrap();
    let mut seen = String::new();
    for manifest in [
        "[package]\nname \"spring\"\n",
        "[pakage]\nname = \"spring\"\n",
        "[package]\nname = 3\n",
        "[package]\r\nname = \"a\"\r\nname = \"b\"\r\n",
        "# 春季\n[lints]\nhigh-rate = { level = \"deny\", threshold = 25% }\n",
        "[lints]\nno-rollout = \"warn\"\nno-rolout = \"deny\"\n",
        "[package]\nname = \"spring\"\n\n[lints]\nno-rollout = \"warn\"\nhigh-rate = { level = \"deny\", treshold = \"25%\" }\n",
    ] {
        std::fs::write(package.path().join("camp.toml"), manifest).unwrap();
        let output = campc(&["check", path]);
        // A problem in the package, reported like any error: exit 1.
        assert_eq!(output.status.code(), Some(1), "{manifest}");
        assert_eq!(stderr(&output), "");
        seen.push_str(&format!(
            "--- {manifest:?}\n{}",
            stdout(&output).replace(path, "[package]")
        ));
    }
    insta::assert_snapshot!("camp_toml_errors", seen);
}

/// `campc rule E0701` explains an error code, as `rustc --explain` does;
/// `campc rules --codes` lists the codes; a code that does not exist is a
/// usage failure that offers the close ones.
#[test]
fn rule_explains_an_error_code() {
    let output = campc(&["rule", "E0701"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("rule_E0701", stdout(&output));
    let lowercase = campc(&["rule", "e0701"]);
    assert_eq!(stdout(&lowercase), stdout(&output));
    for camp_core::error::ErrorCode { code, .. } in camp_core::error::ERROR_CODES {
        let output = campc(&["rule", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
        let text = stdout(&output);
        assert!(text.starts_with(&format!("# {code}: ")), "{text}");
        assert!(text.contains("\n```"), "{code} has no example:\n{text}");
    }
    let retired = campc(&["rule", "E0505"]);
    assert_eq!(retired.status.code(), Some(0));
    assert!(stdout(&retired).starts_with("# E0505 (retired)"));

    let output = campc(&["rules", "--codes"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), camp_core::error::ERROR_CODES.len());
    assert!(
        text.contains("E0701  a template argument of the wrong type\n"),
        "{text}"
    );

    for (name, message) in [
        (
            "E0611",
            "no error code is `E0611`; did you mean `E0211`, `E0511` or `E0601`?",
        ),
        (
            "E0370",
            "no error code is `E0370`; did you mean `E0307` or `E0310`?",
        ),
        (
            "E0799",
            "no error code is `E0799`; `campc rules --codes` lists them",
        ),
        (
            "high-rat",
            "no lint rule is named `high-rat`; did you mean `high-rate`?",
        ),
    ] {
        let output = campc(&["rule", name]);
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(stderr(&output), format!("error: {message}\n"));
    }
}

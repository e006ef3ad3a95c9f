//! `campc` end to end: exit codes, output formats, and "no IR on error".
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn campc(args: &[&str]) -> Output {
    campc_with(args, &[])
}

/// `campc` with these environment variables set, and none of the ones
/// that change its output inherited from the test's environment.
fn campc_with(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_campc"));
    command
        .args(args)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        // 2026-11-22 00:00 UTC: the examples' windows are in the future.
        .env("SOURCE_DATE_EPOCH", "1795305600");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().unwrap()
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

/// A package whose only problems are lint warnings (no rollout, no guard).
fn package_with_warnings() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let prelude =
        std::fs::read_to_string(repo().join("compiler/tests/fixtures/prelude.camp")).unwrap();
    std::fs::write(
        scratch.path().join("camp.toml"),
        "[package]\nname = \"warnings\"\n",
    )
    .unwrap();
    std::fs::write(scratch.path().join("schema.camp"), prelude).unwrap();
    std::fs::write(
        scratch.path().join("coupon.camp"),
        "campaign quick_coupon {\n  title: \"立减\"\n  owner: \"growth\"\n  fund: platform_marketing\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n}\n",
    )
    .unwrap();
    scratch
}

/// A package of the fixtures' prelude and one more file.
fn package_with(file: &str, text: &str) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let prelude =
        std::fs::read_to_string(repo().join("compiler/tests/fixtures/prelude.camp")).unwrap();
    std::fs::write(
        scratch.path().join("camp.toml"),
        "[package]\nname = \"p\"\n",
    )
    .unwrap();
    std::fs::write(scratch.path().join("schema.camp"), prelude).unwrap();
    std::fs::write(scratch.path().join(file), text).unwrap();
    scratch
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

/// The prelude and two fixtures whose errors carry fixes.
fn package_with_fixes() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("prelude.camp", "schema.camp"),
        ("errors/E0203_unknown_fund.camp", "fund.camp"),
        ("errors/E0501_uncapped_percentage.camp", "uncapped.camp"),
    ] {
        let text =
            std::fs::read_to_string(repo().join("compiler/tests/fixtures").join(from)).unwrap();
        std::fs::write(scratch.path().join(to), text).unwrap();
    }
    scratch
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let package = package_with_warnings();
    let with_fixes = package_with_fixes();
    for path in [
        "examples/incident-2025-01-16",
        package.path().to_str().unwrap(),
        with_fixes.path().to_str().unwrap(),
    ] {
        let output = campc(&["check", "--format", "sarif", path]);
        let log: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("compiler/tests/data/sarif-schema-2.1.0.json"))
                .unwrap(),
        )
        .unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for result in results {
            let rule_id = result["ruleId"].as_str().unwrap();
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][index]["id"], rule_id);
            assert!(result["partialFingerprints"]["campFingerprint/v1"].is_string());
        }
        if path == with_fixes.path().to_str().unwrap() {
            let fixes: Vec<&serde_json::Value> = results
                .iter()
                .filter_map(|result| result["fixes"].get(0))
                .collect();
            assert_eq!(fixes.len(), 2, "{results:?}");
            let cap = fixes
                .iter()
                .find(|fix| fix["description"]["text"].as_str().unwrap().contains("cap"))
                .unwrap();
            let replacement = &cap["artifactChanges"][0]["replacements"][0];
            assert_eq!(replacement["insertedContent"]["text"], ", cap CNY 500.00");
            assert_eq!(
                replacement["deletedRegion"],
                serde_json::json!({"startLine": 7, "startColumn": 18, "endLine": 7, "endColumn": 18})
            );
        }
        for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
            assert!(
                rule["helpUri"].as_str().unwrap().contains("docs/"),
                "{rule}"
            );
            assert!(rule["shortDescription"]["text"].is_string());
        }
    }
}

#[test]
fn github_output_is_one_annotation_per_finding() {
    let output = campc(&[
        "check",
        "--format",
        "github",
        "examples/incident-2025-01-16",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10);
    for line in lines {
        let (head, message) = line
            .split_once("::")
            .and_then(|(_, rest)| rest.split_once("::"))
            .unwrap();
        assert!(
            head.starts_with("error file=examples/incident-2025-01-16/"),
            "{line}"
        );
        for key in [
            ",line=",
            ",col=",
            ",endLine=",
            ",endColumn=",
            ",title=campc E0",
        ] {
            assert!(head.contains(key), "{line}");
        }
        assert!(!message.contains('\n'));
    }
}

#[test]
fn junit_and_statistics() {
    let output = campc(&[
        "check",
        "--format",
        "junit",
        "--statistics",
        "examples/incident-2025-01-16",
    ]);
    let text = stdout(&output);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(text.matches("<failure ").count(), 10);
    assert_eq!(text.matches("<testsuite ").count(), 2, "one suite per file");
    assert!(text.trim_end().ends_with("</testsuites>"));
    let statistics = stderr(&output);
    assert!(statistics.contains("     5  E0403"), "{statistics}");
}

#[test]
fn a_baseline_reports_only_new_findings_and_says_what_can_go() {
    let package = package_with_warnings();
    let path = package.path().to_str().unwrap();
    let baseline = package.path().join("camp-baseline.json");
    let output = campc(&[
        "check",
        path,
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(
        recorded["entries"].as_array().unwrap().len(),
        2,
        "{recorded}"
    );

    let output = campc(&[
        "check",
        path,
        "--baseline",
        baseline.to_str().unwrap(),
        "--fail-level",
        "warn",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no problems"));

    // A new campaign with the same problems goes beyond the baseline.
    let coupon = std::fs::read_to_string(package.path().join("coupon.camp")).unwrap();
    std::fs::write(
        package.path().join("coupon.camp"),
        format!(
            "{coupon}\n{}",
            coupon.replace("quick_coupon", "second_coupon")
        ),
    )
    .unwrap();
    let output = campc(&[
        "check",
        path,
        "--baseline",
        baseline.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let names: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|message| message.contains("second_coupon")),
        "{names:?}"
    );

    // Fixing everything leaves entries that can be removed.
    std::fs::remove_file(package.path().join("coupon.camp")).unwrap();
    let output = campc(&["check", path, "--baseline", baseline.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("can be removed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fmt_check_shows_a_diff_and_fmt_rewrites_once() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("scenes.camp");
    std::fs::write(
        &file,
        "scene   a{money_movement:true}\n\n\n   scene b   // the second\n",
    )
    .unwrap();
    let broken = scratch.path().join("broken.camp");
    std::fs::write(&broken, "campaign c {\n  title:\n").unwrap();
    let path = scratch.path().to_str().unwrap();

    let output = campc(&["fmt", "--check", path]);
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(diff.contains("+scene a { money_movement: true }"), "{diff}");
    assert!(
        stderr(&output).contains("broken.camp` does not parse"),
        "{}",
        stderr(&output)
    );

    let output = campc(&["fmt", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "scene a { money_movement: true }\n\nscene b  // the second\n"
    );
    let output = campc(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a second run changes nothing"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "campaign c {\n  title:\n",
        "left alone"
    );
}

#[test]
fn the_examples_are_formatted() {
    let output = campc(&["fmt", "--check", "examples"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

/// The human report reads like rustc's: `error[E0407]: message` on the
/// header line (never wrapped), a blank line between two diagnostics and
/// before the summary, and no wrapping at all when the output is not a
/// terminal.
#[test]
fn human_output_reads_like_rustc() {
    let output = campc(&["check", "examples/incident-2025-01-16"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|index| lines[*index].starts_with("error[E0"))
        .collect();
    assert_eq!(headers.len(), 10, "{text}");
    assert!(
        text.starts_with(
            "error[E0407]: `scenes: any` includes the money-movement scenes `credit_card_repayment` and `p2p_transfer`, which fund `government_subsidy` does not list\n"
        ),
        "{text}"
    );
    for index in &headers[1..] {
        assert_eq!(lines[index - 1], "", "{text}");
    }
    // Blank lines are only those before a header and the summary.
    let blanks = lines.iter().filter(|line| line.is_empty()).count();
    assert_eq!(blanks, headers.len(), "{text}");
    assert_eq!(lines[lines.len() - 2], "");
    assert_eq!(
        lines[lines.len() - 1],
        "checked 2 files: 10 errors, 0 warnings"
    );
    assert!(
        text.contains("\n  help: add a cap, the most one reward may give, in the campaign's currency: `reward: rate off, cap …`\n"),
        "not wrapped in a pipe:\n{text}"
    );
    assert!(
        text.contains("\nnote: `government_subsidy` requires it here\n"),
        "{text}"
    );
}

/// With a width (`COLUMNS`, or the terminal's), help text is wrapped to
/// it, but a suggested code snippet is never broken across lines.
#[test]
fn help_is_wrapped_to_the_width_without_breaking_code() {
    for columns in ["40", "60", "80"] {
        let output = campc_with(
            &["check", "examples/incident-2025-01-16"],
            &[("COLUMNS", columns)],
        );
        let text = stdout(&output);
        let width: usize = columns.parse().unwrap();
        let mut wrapped = 0;
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if !line.starts_with("  help: ") {
                continue;
            }
            let mut help = vec![*line];
            help.extend(
                lines[index + 1..]
                    .iter()
                    .take_while(|next| next.starts_with("        ")),
            );
            wrapped += usize::from(help.len() > 1);
            for part in &help {
                assert_eq!(part.matches('`').count() % 2, 0, "code broken:\n{text}");
                assert!(
                    part.chars().count() <= width || part.trim().starts_with('`'),
                    "wider than {width}: {part}"
                );
            }
        }
        assert!(wrapped > 0, "nothing wrapped at {columns}:\n{text}");
        assert!(
            text.contains("`reward: rate off, cap …`"),
            "{columns}:\n{text}"
        );
    }
}

/// `--color auto|always|never`; in auto, `NO_COLOR` wins, then
/// `CLICOLOR_FORCE` and `FORCE_COLOR` colour a log, and otherwise only a
/// terminal is coloured.
#[test]
fn colour_follows_the_flag_and_the_environment() {
    let coloured = |args: &[&str], vars: &[(&str, &str)]| {
        let mut all = vec!["check", "examples/incident-2025-01-16"];
        all.extend(args);
        let output = campc_with(&all, vars);
        assert_eq!(output.status.code(), Some(1));
        stdout(&output).contains("\u{1b}[")
    };
    assert!(!coloured(&[], &[]), "a pipe is not coloured");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("FORCE_COLOR", "")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    // The flag is global: before the command too.
    let output = campc(&["--color", "always", "check", "examples/incident-2025-01-16"]);
    assert!(
        stdout(&output).starts_with("\u{1b}["),
        "{}",
        stdout(&output)
    );
    let output = campc(&["check", "--color", "sometimes", "examples/platform"]);
    assert_eq!(output.status.code(), Some(2));
}

/// `--format concise`: one line per finding, then the summary line.
#[test]
fn concise_output_is_one_line_per_finding() {
    let output = campc(&[
        "check",
        "--format",
        "concise",
        "examples/incident-2025-01-16",
    ]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("concise_incident", stdout(&output));
    let package = package_with_warnings();
    let output = campc(&[
        "check",
        "--format",
        "concise",
        "--color",
        "always",
        package.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for line in &lines[..2] {
        assert!(line.contains("coupon.camp:1:10: \u{1b}["), "{line}");
        assert!(line.contains("warning[no-"), "{line}");
    }
    assert_eq!(lines[2], "checked 2 files: 0 errors, 2 warnings");
}

/// The JSON report says which tool and version wrote it and the version of
/// its format; its JSON Schema is checked in (`docs/report.schema.json`,
/// current with the report's types) and every report matches it.
#[test]
fn json_reports_carry_versions_and_match_the_checked_in_schema() {
    let path = repo().join("docs/report.schema.json");
    common::assert_generated_file_is_current(
        &path,
        &campc::render::json::json_schema(),
        "UPDATE_REPORT_SCHEMA",
        "cli",
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let warnings = package_with_warnings();
    let fixes = package_with_fixes();
    let ignored = package_with_warnings();
    std::fs::write(ignored.path().join(".ignore"), "coupon.camp\n").unwrap();
    for (args, code) in [
        (vec!["check", "examples/incident-2025-01-16"], 1),
        (vec!["check", "examples/platform"], 0),
        (vec!["check", warnings.path().to_str().unwrap()], 0),
        (vec!["check", fixes.path().to_str().unwrap()], 1),
        (vec!["check", ignored.path().to_str().unwrap()], 0),
    ] {
        let mut args = args;
        args.extend(["--format", "json"]);
        let output = campc(&args);
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
        assert_eq!(report["format_version"], "1");
        assert_eq!(report["tool"]["name"], "campc");
        assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
        let text = stdout(&output);
        let at = |key: &str| text.find(&format!("\n  \"{key}\": ")).unwrap();
        assert!(
            at("format_version") < at("tool") && at("tool") < at("diagnostics"),
            "the versions come first:\n{text}"
        );
    }
    // The schema describes every field a report can hold.
    let properties = |pointer: &str| -> Vec<String> {
        let mut names: Vec<String> = schema
            .pointer(pointer)
            .and_then(|value| value.as_object())
            .unwrap()
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        properties("/$defs/JsonSummary/properties"),
        [
            "campaigns",
            "errors",
            "files",
            "ignored_files",
            "notes",
            "warnings"
        ]
    );
    assert_eq!(
        properties("/properties"),
        ["diagnostics", "format_version", "summary", "tool"]
    );
}

/// Every JUnit test case has its own name, even where findings share a
/// position (the incident's five E0403) or are the same finding twice (a
/// template's error in each campaign made from it); the XML is read back
/// by a JUnit parser.
#[test]
fn junit_test_case_names_are_unique() {
    let scratch = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("prelude.camp", "schema.camp"),
        (
            "errors/E0407_template_shared_by_two_campaigns.camp",
            "shared.camp",
        ),
    ] {
        let text =
            std::fs::read_to_string(repo().join("compiler/tests/fixtures").join(from)).unwrap();
        std::fs::write(scratch.path().join(to), text).unwrap();
    }
    for (path, failures) in [
        ("examples/incident-2025-01-16", 10),
        (scratch.path().to_str().unwrap(), 2),
    ] {
        let output = campc(&["check", "--format", "junit", path]);
        assert_eq!(output.status.code(), Some(1));
        let text = stdout(&output);
        if path.starts_with("examples") {
            insta::assert_snapshot!("junit_incident", text);
        }
        let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
        assert_eq!(report.failures, failures, "{text}");
        let mut names = std::collections::BTreeSet::new();
        for suite in &report.test_suites {
            for case in &suite.test_cases {
                assert!(
                    names.insert(case.name.as_str().to_string()),
                    "`{}` twice in\n{text}",
                    case.name.as_str()
                );
            }
        }
        assert_eq!(names.len(), failures + 1, "and one passing file");
    }
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

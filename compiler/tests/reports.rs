//! What `campc` reports, in each format: SARIF, GitHub annotations, JUnit,
//! the terminal (rustc-like, wrapped, coloured or not), concise lines, the
//! JSON report and its schema; baselines and `fmt --check` diffs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{campc, campc_with, package_with_warnings, repo, stderr, stdout};

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

//! `campc diff` end to end. Each folder under `tests/fixtures/diff/` is a
//! change: `old/` and `new/` are the two sides, each a package with
//! `tests/fixtures/prelude.camp` added as `prelude.camp` (unless it brings
//! its own). The snapshot holds the exit code and the review summary; the
//! incident's also every other format. `REV [PATH]` runs on a scratch git
//! repository. Update with `INSTA_UPDATE=always cargo test -p campc --test
//! diff`, then read every changed `.snap` before keeping it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo;

fn fixtures() -> PathBuf {
    repo().join("compiler/tests/fixtures/diff")
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The case's two sides in a scratch folder, as `old/` and `new/`.
fn sides(case: &str) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let prelude = repo().join("compiler/tests/fixtures/prelude.camp");
    for side in ["old", "new"] {
        let to = scratch.path().join(side);
        copy_folder(&fixtures().join(case).join(side), &to);
        if !to.join("prelude.camp").exists() {
            std::fs::copy(&prelude, to.join("prelude.camp")).unwrap();
        }
    }
    scratch
}

fn campc_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(folder)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

fn shown(output: &Output) -> String {
    format!(
        "exit {}\n{}{}",
        output.status.code().unwrap(),
        String::from_utf8(output.stdout.clone()).unwrap(),
        String::from_utf8(output.stderr.clone()).unwrap()
    )
}

fn diff_case(case: &str, format: &str) -> Output {
    let scratch = sides(case);
    campc_in(scratch.path(), &["diff", "old", "new", "--format", format])
}

/// Every case has a snapshot, and every snapshot a case.
#[test]
fn every_change_is_shown_for_review() {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    cases.sort();
    for case in &cases {
        let output = diff_case(case, "human");
        insta::assert_snapshot!(format!("human_{case}"), shown(&output));
    }
}

#[test]
fn the_same_meaning_is_no_change() {
    for case in ["formatting_only", "file_move"] {
        let output = diff_case(case, "json");
        assert_eq!(output.status.code(), Some(0), "{case}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["compared"], true, "{case}");
        assert_eq!(report["campaigns"], serde_json::json!([]), "{case}");
    }
    // And a package against itself.
    let scratch = sides("incident");
    let output = campc_in(scratch.path(), &["diff", "old", "old"]);
    assert_eq!(
        shown(&output),
        "exit 0\ncampc diff old -> old\n\nno change in meaning\n"
    );
}

/// Every flag is raised by some case, at its default level, and every
/// kind of change shows in some case's JSON.
#[test]
fn every_flag_and_every_kind_of_change_is_covered() {
    let mut flags = std::collections::BTreeSet::new();
    let mut kinds = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let case = entry.unwrap().file_name().into_string().unwrap();
        let output = diff_case(&case, "json");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        for campaign in report["campaigns"].as_array().unwrap() {
            for flag in campaign["flags"].as_array().unwrap() {
                flags.insert(flag["flag"].as_str().unwrap().to_string());
            }
            for change in campaign["changes"].as_array().unwrap() {
                kinds.insert(change["kind"].as_str().unwrap().to_string());
            }
        }
    }
    let all_flags: std::collections::BTreeSet<String> = camp_core::diff::Flag::ALL
        .iter()
        .map(|flag| flag.name().to_string())
        .collect();
    assert_eq!(flags, all_flags);
    let schema: serde_json::Value =
        serde_json::from_str(&campc::render::diff::json_schema()).unwrap();
    let text = schema.to_string();
    let mut all_kinds = std::collections::BTreeSet::new();
    for kind in [
        "whole",
        "currency",
        "fund",
        "fund_contract",
        "scope",
        "money_movement",
        "reward",
        "exposure",
        "approvals",
        "window",
        "schedule",
        "budget",
        "pool",
        "limit",
        "rollout",
        "guard",
        "stacking",
        "expected_peak",
        "owner",
        "claim",
    ] {
        assert!(
            text.contains(&format!("\"{kind}\"")),
            "{kind} not in the schema"
        );
        all_kinds.insert(kind.to_string());
    }
    assert_eq!(kinds, all_kinds);
}

/// The incident as a change, in every format; the JSON matches the
/// checked-in schema, the SARIF the SARIF 2.1.0 schema.
#[test]
fn the_incident_in_every_format() {
    for format in ["json", "markdown", "github", "sarif"] {
        let output = diff_case("incident", format);
        assert_eq!(output.status.code(), Some(1));
        insta::assert_snapshot!(format!("incident_{format}"), shown(&output));
    }
    let output = diff_case("incident_does_not_check", "markdown");
    insta::assert_snapshot!("incident_does_not_check_markdown", shown(&output));
}

/// A claim block's changes as data: one change per field, the block
/// added or removed as a whole.
#[test]
fn claim_changes_as_json() {
    let output = diff_case("claim", "json");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let claims: Vec<serde_json::Value> = report["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|campaign| {
            let changes: Vec<&serde_json::Value> = campaign["changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|change| change["kind"] == "claim")
                .collect();
            serde_json::json!({ "campaign": campaign["campaign"], "claim": changes })
        })
        .collect();
    insta::assert_snapshot!("claim_json", serde_json::to_string_pretty(&claims).unwrap());
}

#[test]
fn reports_match_their_schemas() {
    let path = repo().join("docs/diff.schema.json");
    common::assert_generated_file_is_current(
        &path,
        &campc::render::diff::json_schema(),
        "UPDATE_DIFF_SCHEMA",
        "diff",
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("compiler/tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let sarif_validator = jsonschema::validator_for(&sarif).unwrap();
    for case in [
        "incident",
        "incident_does_not_check",
        "added_and_removed",
        "scope",
        "claim",
    ] {
        let output = diff_case(case, "json");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{case}: {errors:?}");
        let output = diff_case(case, "sarif");
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = sarif_validator
            .iter_errors(&log)
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{case}: {errors:?}");
    }
}

fn git(folder: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(folder)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", folder)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `campc diff REV [PATH]`: the revision read through git, the working
/// tree as it is; the working tree and the index untouched.
#[test]
fn a_revision_against_the_working_tree() {
    let scratch = sides("incident");
    let repository = scratch.path().join("repo");
    let package = repository.join("campaigns");
    copy_folder(&scratch.path().join("old"), &package);
    // Another package below it, and a hidden file: neither is read.
    copy_folder(&scratch.path().join("new"), &package.join("nested"));
    std::fs::write(package.join(".draft.camp"), "campaign {").unwrap();
    git(&repository, &["init", "-q", "-b", "main"]);
    git(&repository, &["add", "-A"]);
    git(&repository, &["commit", "-q", "-m", "old"]);
    // The change, in the working tree only.
    copy_folder(&scratch.path().join("new"), &package);
    let status_before = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&repository)
        .output()
        .unwrap();

    let output = campc_in(&repository, &["diff", "main", "campaigns"]);
    let from_folders = campc_in(scratch.path(), &["diff", "old", "new"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        text.starts_with("campc diff main:campaigns/ -> campaigns\n"),
        "{text}"
    );
    // The same campaigns and changes as the two folders, each file shown
    // from the current folder.
    let body = |text: &str| text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(text.contains("(campaigns/promotions.camp:2, "), "{text}");
    assert_eq!(
        body(&text),
        body(&String::from_utf8(from_folders.stdout).unwrap()).replace("(new/", "(campaigns/")
    );
    // From inside the package, PATH is the current folder.
    let inside = campc_in(&package, &["diff", "main"]);
    assert_eq!(
        body(&String::from_utf8(inside.stdout).unwrap()),
        body(&text).replace("(campaigns/", "(")
    );
    // HEAD against itself after committing: nothing.
    let status_after = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&repository)
        .output()
        .unwrap();
    assert_eq!(status_before.stdout, status_after.stdout);
    git(&repository, &["commit", "-q", "-am", "new"]);
    let output = campc_in(&repository, &["diff", "HEAD", "campaigns"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let output = campc_in(&repository, &["diff", "HEAD~1", "campaigns"]);
    assert_eq!(output.status.code(), Some(1));

    // A revision git does not know, and a package not in the revision.
    let output = campc_in(&repository, &["diff", "no-such-branch", "campaigns"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(
        "unknown_revision",
        String::from_utf8(output.stderr).unwrap().replace(
            &repository.canonicalize().unwrap().display().to_string(),
            "REPO"
        )
    );
    copy_folder(&scratch.path().join("new"), &repository.join("fresh"));
    let output = campc_in(&repository, &["diff", "HEAD", "fresh"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("package_not_in_revision", shown(&output));
}

#[test]
fn diff_levels_in_camp_toml_are_checked() {
    let package = common::package_with("a.camp", "");
    std::fs::write(
        package.path().join("camp.toml"),
        "[diff]\nfund-chnaged = \"warn\"\ntenfold-growth = \"loud\"\n",
    )
    .unwrap();
    let output = campc_in(package.path(), &["check", "--format", "concise", "."]);
    insta::assert_snapshot!("diff_levels_in_camp_toml", shown(&output));
}

/// The action's pull-request step (`.ci/diff-comment.sh`, which
/// `action.yml` runs), offline: a scratch repository whose `main` holds
/// the old side and whose working tree the new one; `gh` replaced by a
/// script that records the comment it was asked to post.
#[test]
fn the_action_comments_the_markdown_summary_on_a_pull_request() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    assert!(action.contains(r#""${{ github.action_path }}/.ci/diff-comment.sh""#));
    assert!(action.contains("github.event_name == 'pull_request'"));
    let script = repo().join(".ci/diff-comment.sh");

    let scratch = sides("incident");
    let repository = scratch.path().join("repo");
    copy_folder(&scratch.path().join("old"), &repository.join("campaigns"));
    git(&repository, &["init", "-q", "-b", "main"]);
    git(&repository, &["add", "-A"]);
    git(&repository, &["commit", "-q", "-m", "old"]);
    git(&repository, &["checkout", "-q", "-b", "change"]);
    copy_folder(&scratch.path().join("new"), &repository.join("campaigns"));
    git(&repository, &["commit", "-q", "-am", "new"]);

    let log = scratch.path().join("gh.log");
    let fake_gh = scratch.path().join("gh");
    std::fs::write(
        &fake_gh,
        format!(
            "#!/usr/bin/env bash\necho \"$@\" >> {log}\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --body-file ]; then cat \"$2\" >> {log}; fi; shift; done\n",
            log = log.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake_gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let summary = scratch.path().join("summary.md");
    let output = Command::new("bash")
        .arg(&script)
        .arg("campaigns")
        .current_dir(&repository)
        .env("GITHUB_BASE_REF", "main")
        .env("PR_NUMBER", "7")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GH", &fake_gh)
        .env("CAMPC", env!("CARGO_BIN_EXE_campc"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let markdown = campc_in(
        &repository,
        &["diff", "main", "campaigns", "--format", "markdown"],
    );
    let body = format!(
        "{}\n<!-- campc-diff -->\n",
        String::from_utf8(markdown.stdout).unwrap()
    );
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), body);
    let posted = std::fs::read_to_string(&log).unwrap();
    let (command, comment) = posted.split_once('\n').unwrap();
    assert!(
        command.starts_with("pr comment 7 --body-file ") && command.ends_with(" --edit-last"),
        "{command}"
    );
    assert_eq!(comment, body);
    // And the annotations, one per flag.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.matches("::error file=").count(), 6, "{stdout}");
}

/// `docs/diff.md` documents every flag as `campc rule NAME` prints it.
#[test]
fn the_flags_are_documented() {
    let path = repo().join("docs/diff.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("<!-- flags:start").unwrap();
    let start = start + text[start..].find("-->\n").unwrap() + 4;
    let end = text.find("<!-- flags:end -->").unwrap();
    let generated = format!(
        "{}{}\n{}",
        &text[..start],
        camp_core::diff::flags::flags_markdown(),
        &text[end..]
    );
    common::assert_generated_file_is_current(&path, &generated, "UPDATE_DIFF_DOCS", "diff");
    for flag in camp_core::diff::Flag::ALL {
        let output = campc_in(&repo(), &["rule", flag.name()]);
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            camp_core::diff::flags::flag_markdown(flag)
        );
    }
}

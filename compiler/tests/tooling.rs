//! `campc`'s tools around the check, end to end: baselines that work from
//! any folder, `fmt -` for editors, `check --fix` and `--diff`, the JSON
//! Schema of `camp.toml`, shell completions and the man page.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures_dir() -> PathBuf {
    repo().join("compiler/tests/fixtures")
}

/// Runs `campc` in `folder`, with `stdin` piped in.
fn campc_in(folder: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(folder)
        .env_remove("NO_COLOR")
        // 2026-11-22 00:00 UTC, as in the lint fixtures.
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A `campc` that refuses its arguments exits without reading: the
    // pipe may be closed before everything is written.
    if let Err(error) = input.write_all(stdin) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn campc(folder: &Path, args: &[&str]) -> Output {
    campc_in(folder, args, b"")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|error| panic!("{error}: {}{}", stdout(output), stderr(output)))
}

const COUPON: &str = "campaign quick_coupon {\n  title: \"立减\"\n  owner: \"growth\"\n  fund: platform_marketing\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n}\n";

/// A package named `name` in `parent/folder`: the fixtures' prelude and a
/// coupon with two warnings (no rollout, no guard).
fn write_package(parent: &Path, folder: &str, name: &str) -> PathBuf {
    let root = parent.join(folder);
    std::fs::create_dir_all(root.join("campaigns")).unwrap();
    std::fs::write(
        root.join("camp.toml"),
        format!("[package]\nname = \"{name}\"\n"),
    )
    .unwrap();
    std::fs::copy(
        fixtures_dir().join("prelude.camp"),
        root.join("schema.camp"),
    )
    .unwrap();
    std::fs::write(root.join("campaigns/coupon.camp"), COUPON).unwrap();
    root
}

/// Adds a second coupon, with the same two warnings, to a package.
fn add_second_coupon(root: &Path) {
    std::fs::write(
        root.join("campaigns/coupon.camp"),
        format!(
            "{COUPON}\n{}",
            COUPON.replace("quick_coupon", "second_coupon")
        ),
    )
    .unwrap();
}

fn messages(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------
// Baselines (issue 9, item 9)

/// A baseline written from the folder above a package matches from inside
/// it, and the other way round: entries name files from the package root.
#[test]
fn a_baseline_written_in_one_folder_works_from_another() {
    let scratch = tempfile::tempdir().unwrap();
    let parent = scratch.path();
    let package = write_package(parent, "platform", "platform");

    let output = campc(
        parent,
        &["check", "platform", "--write-baseline", "from-parent.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(parent.join("from-parent.json")).unwrap())
            .unwrap();
    assert_eq!(written["version"], 2);
    for entry in written["entries"].as_array().unwrap() {
        assert_eq!(entry["package"], "platform", "{written}");
        assert_eq!(entry["file"], "campaigns/coupon.camp", "{written}");
    }
    let output = campc(
        &package,
        &["check", ".", "--write-baseline", "../from-inside.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(parent.join("from-parent.json")).unwrap(),
        std::fs::read_to_string(parent.join("from-inside.json")).unwrap(),
        "the same baseline from either folder"
    );

    // Each baseline, from each folder: nothing re-reported, nothing stale.
    for baseline in ["from-parent.json", "from-inside.json"] {
        for (folder, path, file) in [
            (package.as_path(), ".", format!("../{baseline}")),
            (parent, "platform", baseline.to_string()),
            (parent, ".", baseline.to_string()),
            (
                &package.join("campaigns"),
                "coupon.camp",
                format!("../../{baseline}"),
            ),
        ] {
            let output = campc(
                folder,
                &["check", path, "--baseline", &file, "--fail-level", "warn"],
            );
            assert_eq!(
                output.status.code(),
                Some(0),
                "{baseline} from {} on `{path}`: {}{}",
                folder.display(),
                stdout(&output),
                stderr(&output)
            );
            assert!(
                stdout(&output).contains("no problems"),
                "{}",
                stdout(&output)
            );
            assert!(
                !stderr(&output).contains("baseline entry"),
                "{baseline} from {} on `{path}`: {}",
                folder.display(),
                stderr(&output)
            );
        }
    }

    // A new finding is still new, whichever folder the check runs from.
    add_second_coupon(&package);
    let output = campc(
        &package,
        &[
            "check",
            ".",
            "--baseline",
            "../from-parent.json",
            "--format",
            "json",
        ],
    );
    let shown = messages(&json(&output));
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown.iter().all(|m| m.contains("second_coupon")),
        "{shown:?}"
    );
}

/// Two packages with files at the same paths: each keeps its own counts.
#[test]
fn baseline_entries_are_per_package() {
    let scratch = tempfile::tempdir().unwrap();
    let parent = scratch.path();
    write_package(parent, "east", "east");
    let west = write_package(parent, "west", "west");
    let output = campc(parent, &["check", ".", "--write-baseline", "bl.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(parent.join("bl.json")).unwrap()).unwrap();
    assert_eq!(written["entries"].as_array().unwrap().len(), 4, "{written}");

    add_second_coupon(&west);
    let output = campc(
        parent,
        &["check", ".", "--baseline", "bl.json", "--format", "json"],
    );
    let report = json(&output);
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["west/campaigns/coupon.camp"; 2], "{report}");
    // Checked on its own, `east` has nothing new and nothing stale.
    let output = campc(parent, &["check", "east", "--baseline", "bl.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        !stderr(&output).contains("baseline entry"),
        "{}",
        stderr(&output)
    );
}

/// A version 1 baseline (paths as shown from the folder that wrote it) is
/// still read there, with a note on how to rewrite it.
#[test]
fn a_version_1_baseline_is_read_with_a_note() {
    let scratch = tempfile::tempdir().unwrap();
    let parent = scratch.path();
    write_package(parent, "platform", "platform");
    std::fs::write(
        parent.join("old.json"),
        r#"{"version": 1, "entries": [
            {"file": "platform/campaigns/coupon.camp", "rule": "no-rollout", "count": 1},
            {"file": "platform/campaigns/coupon.camp", "rule": "no-spend-guard", "count": 1}
        ]}"#,
    )
    .unwrap();
    let output = campc(
        parent,
        &[
            "check",
            "platform",
            "--baseline",
            "old.json",
            "--fail-level",
            "warn",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let notes = stderr(&output);
    assert!(
        notes.contains("`old.json` is a version 1 baseline")
            && notes.contains("--write-baseline old.json"),
        "{notes}"
    );
    assert!(!notes.contains("baseline entry"), "{notes}");

    std::fs::write(
        parent.join("future.json"),
        r#"{"version": 3, "entries": []}"#,
    )
    .unwrap();
    let output = campc(parent, &["check", "platform", "--baseline", "future.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("baseline version 3 is not one this `campc` reads"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------
// `campc fmt -` (item 10)

const UNFORMATTED: &str =
    "scene   a{money_movement:true}\r\n\r\n\r\n   scene b   // the second\r\n";

#[test]
fn fmt_dash_formats_standard_input_to_standard_output() {
    let scratch = tempfile::tempdir().unwrap();
    // What `campc fmt FILE` makes of the same text.
    let file = scratch.path().join("scenes.camp");
    std::fs::write(&file, UNFORMATTED).unwrap();
    let output = campc(scratch.path(), &["fmt", "scenes.camp"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let expected = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        expected,
        "scene a { money_movement: true }\r\n\r\nscene b  // the second\r\n"
    );

    let output = campc_in(scratch.path(), &["fmt", "-"], UNFORMATTED.as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), expected);
    assert_eq!(stderr(&output), "");

    // In a package, as an editor calls it for an unsaved file.
    let package = write_package(scratch.path(), "platform", "platform");
    let output = campc_in(
        &package,
        &["fmt", "--stdin-filepath", "campaigns/new.camp", "-"],
        UNFORMATTED.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), expected);

    // `--check`: a diff and exit 1, or nothing and exit 0.
    let output = campc_in(
        scratch.path(),
        &["fmt", "--check", "-"],
        UNFORMATTED.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("+scene a { money_movement: true }"),
        "{}",
        stdout(&output)
    );
    let output = campc_in(
        scratch.path(),
        &["fmt", "--check", "-"],
        expected.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn fmt_dash_reports_text_that_does_not_parse_and_prints_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let package = write_package(scratch.path(), "platform", "platform");
    let output = campc_in(
        &package,
        &["fmt", "-", "--stdin-filepath", "campaigns/broken.camp"],
        b"campaign c {\n  title:\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "", "nothing for the editor to apply");
    let errors = stderr(&output);
    assert!(errors.contains("E0105"), "{errors}");
    assert!(errors.contains("campaigns/broken.camp:2:9"), "{errors}");
    assert!(
        errors.contains("`campaigns/broken.camp` is not formatted"),
        "{errors}"
    );

    let output = campc_in(scratch.path(), &["fmt", "-"], &[0xff, 0xfe, b'a', 0]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("E0101") && stderr(&output).contains("<stdin>"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fmt_dash_is_used_alone() {
    let scratch = tempfile::tempdir().unwrap();
    write_package(scratch.path(), "platform", "platform");
    let output = campc_in(scratch.path(), &["fmt", "-", "platform"], b"scene a\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("formatted alone"),
        "{}",
        stderr(&output)
    );
    let output = campc(
        scratch.path(),
        &["fmt", "--stdin-filepath", "a.camp", "platform"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("use it with `-`"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------
// `campc check --fix` and `--diff` (item 13)

/// The codes whose fixes leave a value for the author to write (a missing
/// field's name): offered in editors, never applied by `--fix`.
const NEEDS_VALUE: [&str; 1] = ["E0206"];

/// One fixture as a package in a scratch folder: the fixture (a file or a
/// folder), the prelude unless it brings its own or opts out, and a
/// `camp.toml` with the `[lints]` lines a lint fixture gives.
fn fixture_package(path: &Path) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let mut lints = Vec::new();
    let mut own_prelude = false;
    let mut no_prelude = false;
    if path.is_dir() {
        copy_folder(path, root);
        own_prelude = root.join("prelude.camp").exists();
    } else {
        let text = std::fs::read_to_string(path).unwrap();
        no_prelude = text.starts_with("// fixture: no-prelude");
        lints.extend(
            text.lines()
                .filter_map(|line| line.strip_prefix("// camp.toml: "))
                .map(String::from),
        );
        std::fs::write(root.join(path.file_name().unwrap()), text).unwrap();
    }
    if !own_prelude && !no_prelude {
        std::fs::copy(
            fixtures_dir().join("prelude.camp"),
            root.join("prelude.camp"),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("camp.toml"),
        format!(
            "[package]\nname = \"fixture\"\n\n[lints]\n{}\n",
            lints.join("\n")
        ),
    )
    .unwrap();
    scratch
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn fixtures(folder: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "camp"))
        .collect();
    paths.sort();
    paths
}

/// A diagnostic as the JSON report gives it: code, message and line (a
/// fix changes no line count, so the line survives other fixes).
type Key = (String, String, u64);

fn key(diagnostic: &serde_json::Value) -> Key {
    (
        diagnostic["code"].as_str().unwrap().to_string(),
        diagnostic["message"].as_str().unwrap().to_string(),
        diagnostic["range"]["start"]["line"].as_u64().unwrap(),
    )
}

fn counts<'a>(diagnostics: impl Iterator<Item = &'a serde_json::Value>) -> BTreeMap<Key, usize> {
    let mut counts = BTreeMap::new();
    for diagnostic in diagnostics {
        *counts.entry(key(diagnostic)).or_default() += 1;
    }
    counts
}

fn has_fixes(diagnostic: &serde_json::Value) -> bool {
    !diagnostic["fixes"].as_array().unwrap().is_empty()
}

/// Every fixture with a fix, error and lint, through `campc check --fix`
/// in a scratch copy: each diagnostic with a fix is gone afterwards
/// (except the fixes that leave a value to write, which stay unapplied),
/// no syntax error appears, and nothing is left for `--diff` to show.
#[test]
fn check_fix_applies_every_fix_of_the_fixtures() {
    let mut fixed_codes = Vec::new();
    let mut problems = Vec::new();
    for path in fixtures("errors").into_iter().chain(fixtures("lints")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let package = fixture_package(&path);
        let root = package.path();
        let before = json(&campc(root, &["check", ".", "--format", "json"]));
        let before = before["diagnostics"].as_array().unwrap().clone();
        if !before.iter().any(has_fixes) {
            continue;
        }
        let syntax_before = before
            .iter()
            .filter(|d| d["code"].as_str().unwrap().starts_with("E01"))
            .count();
        let output = campc(root, &["check", ".", "--fix", "--format", "json"]);
        let after = json(&output);
        let after = after["diagnostics"].as_array().unwrap();
        let notes = stderr(&output);
        if notes.contains("still apply") {
            problems.push(format!("{name}: {notes}"));
        }
        let remaining = counts(after.iter());
        for (fixed, count) in counts(before.iter().filter(|d| has_fixes(d))) {
            let left = remaining.get(&fixed).copied().unwrap_or(0);
            if NEEDS_VALUE.contains(&fixed.0.as_str()) {
                if left < count {
                    problems.push(format!("{name}: the fix of {fixed:?} was applied"));
                }
            } else if left >= count {
                problems.push(format!("{name}: {fixed:?} is still there after --fix"));
            } else {
                fixed_codes.push(fixed.0.clone());
            }
        }
        let syntax_after = after
            .iter()
            .filter(|d| d["code"].as_str().unwrap().starts_with("E01"))
            .count();
        if syntax_after > syntax_before {
            problems.push(format!("{name}: --fix breaks the syntax: {after:?}"));
        }
        let output = campc(root, &["check", ".", "--diff"]);
        if !stdout(&output).is_empty() {
            problems.push(format!(
                "{name}: fixes are left after --fix:\n{}",
                stdout(&output)
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    fixed_codes.sort();
    fixed_codes.dedup();
    for code in [
        "E0105",
        "E0202",
        "E0203",
        "E0207",
        "E0501",
        "window-ends-before-midnight",
    ] {
        assert!(
            fixed_codes.iter().any(|fixed| fixed == code),
            "no fix applied for {code}: {fixed_codes:?}"
        );
    }
}

/// The prelude and three files whose diagnostics carry fixes: two that
/// `--fix` applies, one that it leaves to the author.
fn package_with_fixes() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("prelude.camp", "schema.camp"),
        ("errors/E0203_unknown_fund.camp", "fund.camp"),
        ("errors/E0501_uncapped_percentage.camp", "uncapped.camp"),
        ("errors/E0206_missing_field.camp", "missing.camp"),
    ] {
        std::fs::copy(fixtures_dir().join(from), scratch.path().join(to)).unwrap();
    }
    std::fs::write(
        scratch.path().join("camp.toml"),
        "[package]\nname = \"fixes\"\n",
    )
    .unwrap();
    scratch
}

fn read_all(root: &Path) -> BTreeMap<String, Vec<u8>> {
    ["fund.camp", "uncapped.camp", "missing.camp", "schema.camp"]
        .into_iter()
        .map(|name| (name.to_string(), std::fs::read(root.join(name)).unwrap()))
        .collect()
}

#[test]
fn check_diff_shows_the_fixes_and_writes_nothing_then_fix_writes_them() {
    let package = package_with_fixes();
    let root = package.path();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            root.join("fund.camp"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
    }
    let before = read_all(root);

    let diff = campc(root, &["check", ".", "--diff"]);
    assert_eq!(read_all(root), before, "--diff writes nothing");
    let text = stdout(&diff);
    for line in [
        "--- fund.camp",
        "+++ fund.camp (fixed)",
        "-  fund: goverment_subsidy",
        "+  fund: government_subsidy",
        "+  reward: 15% off, cap CNY 500.00",
        // Once the fund is right the campaign is linted, and the window
        // that ends at 23:59 gets its fix in the next round.
        "+  window: 2025-01-20 00:00 to 2025-04-01 00:00 Asia/Shanghai",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
    assert!(!text.contains("missing.camp"), "{text}");
    assert!(
        stderr(&diff)
            .contains("would apply 4 fixes to 2 files; 1 error and 6 warnings would remain"),
        "{}",
        stderr(&diff)
    );

    let fix = campc(root, &["check", ".", "--fix"]);
    assert_eq!(
        fix.status.code(),
        diff.status.code(),
        "--diff exits as --fix"
    );
    assert_eq!(fix.status.code(), Some(1), "the missing field remains");
    assert!(
        stderr(&fix).contains("applied 4 fixes to 2 files"),
        "{}",
        stderr(&fix)
    );
    let report = stdout(&fix);
    assert!(report.contains("E0206"), "{report}");
    assert!(!report.contains("E0203"), "{report}");
    assert!(
        report.contains("checked 4 files: 1 error, 6 warnings"),
        "{report}"
    );
    let after = read_all(root);
    assert_eq!(after["missing.camp"], before["missing.camp"]);
    assert_eq!(after["schema.camp"], before["schema.camp"]);
    let fund = String::from_utf8(after["fund.camp"].clone()).unwrap();
    assert!(fund.contains("fund: government_subsidy"), "{fund}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join("fund.camp"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "a fixed file keeps its mode");
    }

    let again = campc(root, &["check", ".", "--fix", "--format", "json"]);
    assert_eq!(stderr(&again), "no fixes to apply\n");
    assert_eq!(read_all(root), after);
    assert_eq!(json(&again)["summary"]["errors"], 1);
}

#[test]
fn check_diff_is_not_a_report_format() {
    let package = package_with_fixes();
    let output = campc(
        package.path(),
        &["check", ".", "--diff", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot be used with"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------
// The JSON Schema of `camp.toml` (item 14)

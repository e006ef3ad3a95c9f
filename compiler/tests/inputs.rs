//! Which files `campc` reads, and how `campc fmt` writes them back: ignore
//! files (only those inside the package's repository, never the user's
//! global excludes), `--no-ignore`, files named on the command line,
//! symbolic links, paths that are not files or folders, and the metadata a
//! reformatted file keeps.
//!
//! Every test copies `fixtures/inputs/package` (a clean package of four
//! files, three campaigns) into a scratch folder and runs `campc` there, so
//! that the paths in its messages are short and the same on every machine.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inputs/package")
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

/// A scratch folder holding `home/` (an empty home folder for `campc`)
/// and the fixture package at `package` (a path inside the scratch folder).
fn scratch_with_package(package: &str) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::create_dir(scratch.path().join("home")).unwrap();
    copy_folder(&fixture(), &scratch.path().join(package));
    scratch
}

/// Marks `folder` (inside the scratch folder) as a git repository's root.
fn make_repository(scratch: &Path, folder: &str) {
    std::fs::create_dir_all(scratch.join(folder).join(".git/info")).unwrap();
}

fn write(scratch: &Path, path: &str, text: &str) {
    let path = scratch.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `campc` in the scratch folder, with `home/` as its home folder (so
/// no developer's git configuration leaks in), a fixed "now" and no colour.
fn campc(scratch: &Path, args: &[&str]) -> Output {
    let home = scratch.join("home");
    Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(scratch)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_CONFIG_GLOBAL")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        // 2026-11-22 00:00 UTC: the fixture's windows are in the future.
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap()
}

/// What the user sees: the exit code, standard output and standard error,
/// with the scratch folder's absolute path written `[scratch]`.
fn seen(scratch: &Path, output: &Output) -> String {
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let real = scratch.canonicalize().unwrap();
    text.replace(&real.display().to_string(), "[scratch]")
        .replace(&scratch.display().to_string(), "[scratch]")
}

fn summary_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

const ALL_FOUR: &str = "checked 4 files: no problems, 3 campaigns ready";

// ---------------------------------------------------------------------
// Item 3: ignore files outside the package's repository change nothing.
// ---------------------------------------------------------------------

#[test]
fn an_ignore_file_above_the_repository_hides_nothing() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), ".ignore", "*.camp\n");
    write(scratch.path(), ".gitignore", "*.camp\n");
    let output = campc(scratch.path(), &["check", "repo/package"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    assert_eq!(summary_line(&output), ALL_FOUR);
}

#[test]
fn outside_a_repository_only_ignore_files_in_the_package_apply() {
    let scratch = scratch_with_package("work/package");
    write(scratch.path(), "work/.ignore", "*.camp\n");
    let output = campc(scratch.path(), &["check", "work/package"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    assert_eq!(summary_line(&output), ALL_FOUR);

    write(scratch.path(), "work/package/.ignore", "draft.camp\n");
    let output = campc(scratch.path(), &["check", "work/package"]);
    assert_eq!(
        summary_line(&output),
        "checked 3 files (1 `.camp` file skipped by ignore rules; `--no-ignore` checks it): no problems, 2 campaigns ready"
    );
}

#[test]
fn the_users_global_git_excludes_hide_nothing() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    // Both places git looks for a global excludes file.
    write(scratch.path(), "home/.config/git/ignore", "draft.camp\n");
    write(scratch.path(), "home/excludes", "coffee.camp\n");
    let excludes = scratch.path().join("home/excludes");
    write(
        scratch.path(),
        "home/.gitconfig",
        &format!("[core]\n\texcludesFile = {}\n", excludes.display()),
    );
    let output = campc(scratch.path(), &["check", "repo/package"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    assert_eq!(summary_line(&output), ALL_FOUR);
}

#[test]
fn ignore_files_in_the_repository_apply_and_the_summary_counts_what_they_skip() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/.gitignore", "draft.camp\n");
    write(
        scratch.path(),
        "repo/.git/info/exclude",
        "/package/campaigns/lunch.camp\n",
    );
    let output = campc(scratch.path(), &["check", "repo/package"]);
    insta::assert_snapshot!("in_repository_ignores", seen(scratch.path(), &output));

    let output = campc(
        scratch.path(),
        &["check", "--format", "json", "repo/package"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!({"errors": 0, "warnings": 0, "notes": 0, "files": 2, "campaigns": 1, "ignored_files": 2})
    );

    let output = campc(scratch.path(), &["check", "--no-ignore", "repo/package"]);
    assert_eq!(summary_line(&output), ALL_FOUR);
    let output = campc(
        scratch.path(),
        &["check", "--no-ignore", "--format", "json", "repo/package"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["summary"].get("ignored_files").is_none(),
        "the field is there only when something was skipped: {report}"
    );
}

#[test]
fn a_nearer_rule_re_includes_a_file() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(
        scratch.path(),
        "repo/.gitignore",
        "/package/campaigns/*.camp\n",
    );
    write(
        scratch.path(),
        "repo/package/campaigns/.gitignore",
        "!coffee.camp\n",
    );
    let output = campc(scratch.path(), &["check", "repo/package"]);
    assert_eq!(
        summary_line(&output),
        "checked 2 files (2 `.camp` files skipped by ignore rules; `--no-ignore` checks them): no problems, 1 campaign ready"
    );
}

#[test]
fn an_ignored_folder_counts_every_camp_file_in_it() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/package/.gitignore", "campaigns/\n");
    let output = campc(scratch.path(), &["check", "repo/package"]);
    assert_eq!(
        summary_line(&output),
        "checked 1 file (3 `.camp` files skipped by ignore rules; `--no-ignore` checks them): no problems, 0 campaigns ready"
    );
}

#[test]
fn an_ignored_file_named_on_the_command_line_is_checked() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/.gitignore", "draft.camp\n");
    let output = campc(
        scratch.path(),
        &["check", "repo/package/campaigns/draft.camp"],
    );
    assert_eq!(summary_line(&output), ALL_FOUR);
}

#[test]
fn a_package_whose_files_are_all_ignored_is_an_error_not_a_pass() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/.gitignore", "*.camp\n");
    let output = campc(scratch.path(), &["check", "repo/package"]);
    insta::assert_snapshot!("all_ignored_check", seen(scratch.path(), &output));

    let output = campc(scratch.path(), &["build", "repo/package", "--out", "ir"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        seen(scratch.path(), &output)
    );
    assert!(
        !scratch.path().join("ir").exists(),
        "no IR, not an empty one"
    );

    let output = campc(
        scratch.path(),
        &["build", "repo/package", "--out", "ir", "--no-ignore"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    assert_eq!(
        std::fs::read_dir(scratch.path().join("ir/campaigns"))
            .unwrap()
            .count(),
        3
    );
}

#[test]
fn build_says_how_many_files_ignore_rules_skipped() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/.gitignore", "draft.camp\n");
    let output = campc(scratch.path(), &["build", "repo/package", "--out", "ir"]);
    insta::assert_snapshot!("build_with_ignored", seen(scratch.path(), &output));
    assert_eq!(
        std::fs::read_dir(scratch.path().join("ir/campaigns"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn fmt_leaves_ignored_files_alone_unless_named_or_told_not_to_ignore() {
    let scratch = scratch_with_package("repo/package");
    make_repository(scratch.path(), "repo");
    write(scratch.path(), "repo/.gitignore", "draft.camp\n");
    let draft = scratch.path().join("repo/package/campaigns/draft.camp");
    let messy = std::fs::read_to_string(&draft)
        .unwrap()
        .replace("fund: platform_marketing", "fund:platform_marketing");
    std::fs::write(&draft, &messy).unwrap();

    let output = campc(scratch.path(), &["fmt", "--check", "repo/package"]);
    insta::assert_snapshot!("fmt_ignored", seen(scratch.path(), &output));

    let output = campc(
        scratch.path(),
        &["fmt", "--check", "--no-ignore", "repo/package"],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        seen(scratch.path(), &output)
    );
    let output = campc(
        scratch.path(),
        &["fmt", "--check", "repo/package/campaigns/draft.camp"],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        seen(scratch.path(), &output)
    );
}

// ---------------------------------------------------------------------
// Item 8: `campc fmt` keeps the file's metadata.
// ---------------------------------------------------------------------

/// A formatted campaign file made messy, at `path` in the scratch folder.
fn write_messy(scratch: &Path, path: &str, newline: &str) -> String {
    let tidy = std::fs::read_to_string(fixture().join("campaigns/coffee.camp")).unwrap();
    let messy = tidy
        .replace("  title: ", "      title:")
        .replace("\n", newline);
    write(scratch, path, &messy);
    tidy.replace("\n", newline)
}

#[cfg(unix)]
#[test]
fn fmt_keeps_a_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = scratch_with_package("package");
    for (name, mode) in [("shared.camp", 0o664), ("private.camp", 0o640)] {
        let path = format!("package/campaigns/{name}");
        write_messy(scratch.path(), &path, "\n");
        let file = scratch.path().join(&path);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let output = campc(scratch.path(), &["fmt", &path]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            seen(scratch.path(), &output)
        );
        let kept = std::fs::metadata(&file).unwrap().permissions().mode() & 0o7777;
        assert_eq!(kept, mode, "{name}: mode {kept:o}, was {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn fmt_writes_through_a_symbolic_link() {
    let scratch = scratch_with_package("package");
    let tidy = write_messy(scratch.path(), "package/campaigns/real.camp", "\n");
    let link = scratch.path().join("package/shortcut.camp");
    std::os::unix::fs::symlink("campaigns/real.camp", &link).unwrap();
    let output = campc(scratch.path(), &["fmt", "package/shortcut.camp"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("campaigns/real.camp")
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path().join("package/campaigns/real.camp")).unwrap(),
        tidy
    );
}

#[cfg(unix)]
#[test]
fn fmt_refuses_a_link_to_a_file_outside_the_package() {
    let scratch = scratch_with_package("package");
    write_messy(scratch.path(), "elsewhere/outside.camp", "\n");
    let outside = scratch.path().join("elsewhere/outside.camp");
    let before = std::fs::read(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, scratch.path().join("package/outside.camp")).unwrap();
    let output = campc(scratch.path(), &["fmt", "package/outside.camp"]);
    insta::assert_snapshot!("fmt_link_outside", seen(scratch.path(), &output));
    assert_eq!(std::fs::read(&outside).unwrap(), before, "left alone");
}

#[test]
fn fmt_keeps_crlf_line_endings_and_a_second_run_changes_nothing() {
    let scratch = scratch_with_package("package");
    let tidy = write_messy(scratch.path(), "package/campaigns/windows.camp", "\r\n");
    let output = campc(scratch.path(), &["fmt", "package/campaigns/windows.camp"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
    let formatted =
        std::fs::read_to_string(scratch.path().join("package/campaigns/windows.camp")).unwrap();
    assert_eq!(formatted, tidy);
    assert_eq!(
        formatted.matches("\r\n").count(),
        formatted.matches('\n').count()
    );
    let output = campc(
        scratch.path(),
        &["fmt", "--check", "package/campaigns/windows.camp"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        seen(scratch.path(), &output)
    );
}

// ---------------------------------------------------------------------
// Item 9: no silent passes.
// ---------------------------------------------------------------------

#[test]
fn an_empty_folder_is_a_usage_error() {
    let scratch = scratch_with_package("package");
    std::fs::create_dir(scratch.path().join("empty")).unwrap();
    let output = campc(scratch.path(), &["check", "empty"]);
    insta::assert_snapshot!("empty_folder", seen(scratch.path(), &output));
    let output = campc(scratch.path(), &["fmt", "empty"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        seen(scratch.path(), &output)
    );
}

#[test]
fn a_folder_without_camp_files_is_a_usage_error() {
    let scratch = scratch_with_package("package");
    write(scratch.path(), "docs/README.md", "# not a package\n");
    let output = campc(scratch.path(), &["check", "package", "docs"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        seen(scratch.path(), &output)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no `.camp` files in `docs`\n"
    );
}

#[cfg(unix)]
#[test]
fn dev_null_is_a_usage_error() {
    let scratch = scratch_with_package("package");
    for command in ["check", "fmt"] {
        let output = campc(scratch.path(), &[command, "/dev/null"]);
        insta::assert_snapshot!(format!("dev_null_{command}"), seen(scratch.path(), &output));
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_being_opened() {
    let scratch = scratch_with_package("package");
    let fifo = scratch.path().join("package/pipe.camp");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Opening a FIFO with no writer would block: `campc` must not open it.
    let output = campc(scratch.path(), &["check", "package/pipe.camp"]);
    insta::assert_snapshot!("fifo", seen(scratch.path(), &output));
    let output = campc(scratch.path(), &["fmt", "package/pipe.camp"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        seen(scratch.path(), &output)
    );
    // In a folder, it is not a file to read either.
    let output = campc(scratch.path(), &["check", "package"]);
    assert_eq!(summary_line(&output), ALL_FOUR);
}

#[cfg(unix)]
#[test]
fn a_named_link_to_a_file_in_the_package_is_checked() {
    let scratch = scratch_with_package("package");
    // A hidden folder is never walked; the link names a file in it.
    std::fs::create_dir(scratch.path().join("package/.drafts")).unwrap();
    let text = std::fs::read_to_string(fixture().join("campaigns/coffee.camp"))
        .unwrap()
        .replace("coffee_first_payment_2027", "tea_first_payment_2027");
    write(scratch.path(), "package/.drafts/tea.camp", &text);
    std::os::unix::fs::symlink(".drafts/tea.camp", scratch.path().join("package/tea.camp"))
        .unwrap();
    let output = campc(scratch.path(), &["check", "package/tea.camp"]);
    assert_eq!(
        summary_line(&output),
        "checked 5 files: no problems, 4 campaigns ready"
    );
}

#[cfg(unix)]
#[test]
fn a_named_link_out_of_the_package_is_refused() {
    let scratch = scratch_with_package("package");
    write_messy(scratch.path(), "elsewhere/outside.camp", "\n");
    std::os::unix::fs::symlink(
        scratch.path().join("elsewhere/outside.camp"),
        scratch.path().join("package/outside.camp"),
    )
    .unwrap();
    let output = campc(scratch.path(), &["check", "package/outside.camp"]);
    insta::assert_snapshot!("link_outside", seen(scratch.path(), &output));

    // Into another package: that package is where it is checked.
    copy_folder(&fixture(), &scratch.path().join("package/nested"));
    std::os::unix::fs::symlink(
        "nested/schema.camp",
        scratch.path().join("package/schema2.camp"),
    )
    .unwrap();
    let output = campc(scratch.path(), &["check", "package/schema2.camp"]);
    insta::assert_snapshot!("link_into_nested_package", seen(scratch.path(), &output));

    std::os::unix::fs::symlink("gone.camp", scratch.path().join("package/broken.camp")).unwrap();
    let output = campc(scratch.path(), &["check", "package/broken.camp"]);
    insta::assert_snapshot!("broken_link", seen(scratch.path(), &output));
}

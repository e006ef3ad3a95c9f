//! The bad-input catalogue: `tests/fixtures/bad_input/`, one class of
//! hostile or accidental input per fixture (see the README there), each run
//! through the `campc` binary as a user runs it, with a reviewed snapshot
//! of the exit code and everything printed.
//!
//! - A fixture `NAME.camp` is checked in a fresh package beside
//!   `tests/fixtures/prelude.camp`, with `no-rollout` and `no-spend-guard`
//!   allowed (every fixture would otherwise show them), by
//!   `campc check .` run in that package.
//! - A fixture folder `NAME/` is copied as `NAME/` into a fresh folder, and
//!   `campc` runs there once per line of `NAME/campc.args` (not copied).
//!   A file named `_gitignore` is copied as `.gitignore` (a real one would
//!   hide its files from git) and a symbolic link stays a link.
//!
//! Snapshots show control, bidi, zero-width and non-ASCII space characters
//! as `\u{…}`, so that an escape sequence echoed to the terminal is visible
//! in review.
//! They are `tests/snapshots/bad_input/<fixture name>.snap`; update them with
//! `INSTA_UPDATE=always cargo test -p campc --test bad_input`, then
//! read every changed one as a user would before keeping it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-01-01 00:00 UTC: the fixtures' March 2025 windows lie ahead.
const NOW: &str = "1735689600";

/// The package every file fixture is checked in.
const MANIFEST: &str = "[package]\nname = \"bad-input\"\n\n[lints]\n\
                        no-rollout = \"allow\"\nno-spend-guard = \"allow\"\n";

/// The file that lists a folder fixture's command lines.
const ARGS: &str = "campc.args";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture (a `.camp` file or a folder), sorted by name.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join("bad_input"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "camp"))
        .collect();
    paths.sort();
    paths
}

/// Copies a folder fixture, keeping symbolic links as links.
fn copy_fixture(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|entry| entry.unwrap())
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().into_string().unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(if name == "_gitignore" {
            ".gitignore"
        } else {
            &name
        });
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(link, target).unwrap();
            #[cfg(not(unix))]
            std::fs::copy(entry.path().parent().unwrap().join(link), target).unwrap();
        } else if kind.is_dir() {
            copy_fixture(&entry.path(), &target);
        } else if name != ARGS {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Characters a terminal does not show as themselves.
fn is_hidden(ch: char) -> bool {
    (ch.is_control() && ch != '\n')
        || (ch.is_whitespace() && !matches!(ch, ' ' | '\n'))
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|ch| {
            if is_hidden(ch) {
                format!("\\u{{{:x}}}", u32::from(ch))
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// Runs `campc ARGS` in `dir`; returns what a user sees.
fn run(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", NOW)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let code = output.status.code().map_or_else(
        || String::from("killed by a signal"),
        |code| code.to_string(),
    );
    let shown = format!(
        "$ campc {}\nexit code: {code}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        visible(&output.stdout),
        without_panic_location(&visible(&output.stderr))
    );
    // The scratch folder's path differs on every run: shown as `[scratch]`.
    let canonical = dir.canonicalize().unwrap();
    shown
        .replace(canonical.to_str().unwrap(), "[scratch]")
        .replace(dir.to_str().unwrap(), "[scratch]")
}

/// A panic's first line names the thread's number and where the panic
/// happened, a path on this machine: both are left out.
fn without_panic_location(stderr: &str) -> String {
    stderr
        .lines()
        .map(
            |line| match (line.starts_with("thread '"), line.find(" panicked at ")) {
                (true, Some(at)) => {
                    let thread = line[..at].split(" (").next().unwrap_or_default();
                    format!("{thread} panicked at [location]:\n")
                }
                _ => format!("{line}\n"),
            },
        )
        .collect()
}

/// Runs one fixture as the module documentation says.
fn run_fixture(path: &Path) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    if path.is_dir() {
        copy_fixture(path, &scratch.path().join(name));
        let args = std::fs::read_to_string(path.join(ARGS))
            .unwrap_or_else(|_| panic!("{name} has no {ARGS}"));
        args.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| run(scratch.path(), &line.split_whitespace().collect::<Vec<_>>()))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        std::fs::write(scratch.path().join("camp.toml"), MANIFEST).unwrap();
        std::fs::copy(
            fixtures_dir().join("prelude.camp"),
            scratch.path().join("prelude.camp"),
        )
        .unwrap();
        std::fs::copy(path, scratch.path().join(name)).unwrap();
        run(scratch.path(), &["check", "."])
    }
}

#[test]
fn every_bad_input_has_a_reviewed_snapshot() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 40, "only {} classes", fixtures.len());
    let mut problems = Vec::new();
    for path in &fixtures {
        let name = path.file_name().unwrap().to_str().unwrap();
        let name = name.strip_suffix(".camp").unwrap_or(name);
        let text = run_fixture(path);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots/bad_input");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(path);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name, text));
        }));
        if result.is_err() {
            problems.push(format!("{name}: snapshot differs (see the .snap.new file)"));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The README names every class, and every class it names exists.
#[test]
fn the_readme_lists_every_class() {
    let readme = std::fs::read_to_string(fixtures_dir().join("bad_input/README.md")).unwrap();
    let listed: std::collections::BTreeSet<String> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|name| !name.starts_with("out_"))
        .map(|name| {
            name.trim_end_matches('/')
                .trim_end_matches(".camp")
                .to_string()
        })
        .collect();
    let present: std::collections::BTreeSet<String> = fixtures()
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap();
            name.strip_suffix(".camp").unwrap_or(name).to_string()
        })
        .collect();
    let missing: Vec<_> = present.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&present).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "README.md does not list {missing:?}; it lists absent {stale:?}"
    );
}

//! The `camp-lsp` binary at a terminal: `--version` and `--help` answer
//! and exit; an unknown argument is a usage error. None of them starts the
//! server (which would wait for a client on standard input).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output, Stdio};

fn camp_lsp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_camp-lsp"))
        .args(args)
        // A server started by mistake reads an empty input and fails; it
        // never waits.
        .stdin(Stdio::null())
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
fn version_prints_the_version() {
    for flag in ["--version", "-V"] {
        let output = camp_lsp(&[flag]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(
            stdout(&output),
            format!("camp-lsp {}\n", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(stderr(&output), "");
    }
}

#[test]
fn help_prints_the_usage() {
    let output = camp_lsp(&["--help"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    insta::assert_snapshot!("help", stdout(&output));
    assert_eq!(stdout(&camp_lsp(&["-h"])), stdout(&output));
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    let output = camp_lsp(&["--verison"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "camp-lsp: unknown argument `--verison`; `camp-lsp --help` lists the options\n"
    );
}

//! The real programs: every folder under `examples/programs/` is a package
//! written as a campaign team would write it (`camp.toml`, its schema, its
//! campaigns and their tests). Each must check clean and pass its tests:
//! `campc check` and `campc test` run on it, and a snapshot per program
//! holds both exit codes and what they printed. Update with
//! `INSTA_UPDATE=always cargo test -p campc --test programs`, then read
//! every changed `.snap` before keeping it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn programs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/programs")
}

/// `campc COMMAND .` in the program's folder: the exit code and output.
fn run(dir: &Path, command: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args([command, "."])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    (output.status.code().unwrap(), text)
}

/// `campc build` into a scratch folder: each campaign's worst-case
/// exposure, the bound that decided it and its approvals, one a line (the
/// figures the programs' notes work out by hand).
fn exposures(dir: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(["build", ".", "--out"])
        .arg(out.path())
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(status.status.success(), "campc build failed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.path().join("campaigns"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut lines = String::new();
    for file in files {
        let document: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let campaign = &document["campaign"];
        lines.push_str(&format!(
            "{}: {} {} by {}, {} approvals\n",
            campaign["id"].as_str().unwrap(),
            campaign["max_exposure"]["amount"]["currency"]
                .as_str()
                .unwrap(),
            campaign["max_exposure"]["amount"]["amount"]
                .as_str()
                .unwrap(),
            campaign["max_exposure"]["bound"],
            campaign["approvals_required"]
        ));
    }
    lines
}

#[test]
fn every_program_checks_clean_and_passes_its_tests() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(programs())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty(), "no program under examples/programs");
    for folder in folders {
        let name = folder.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            folder.join("camp.toml").is_file(),
            "{name}: a program is a package with its own camp.toml"
        );
        let (check_code, check) = run(&folder, "check");
        let (test_code, test) = run(&folder, "test");
        assert_eq!(check_code, 0, "{name}: campc check\n{check}");
        assert!(
            !check.contains("warning"),
            "{name}: campc check warns\n{check}"
        );
        assert_eq!(test_code, 0, "{name}: campc test\n{test}");
        assert!(
            !test.contains(" 0 passed"),
            "{name}: the program has no test lines\n{test}"
        );
        let exposures = exposures(&folder);
        insta::assert_snapshot!(
            format!("program_{name}"),
            format!(
                "$ campc check .\n{check}exit {check_code}\n\n$ campc test .\n{test}exit {test_code}\n\n$ campc build . (exposure and approvals)\n{exposures}"
            )
        );
    }
}

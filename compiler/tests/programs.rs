//! The real programs of `examples/programs/`: each folder is a package
//! (its `camp.toml`, schema, campaigns and test blocks). Every one must
//! check with no finding and pass its tests, run by the `campc` binary as
//! an author runs it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn programs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/programs");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

/// `campc COMMAND FOLDER`: the exit code and what it printed.
fn campc(command: &str, folder: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .arg(command)
        .arg(folder)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap()
        ),
    )
}

#[test]
fn every_program_checks_clean_and_passes_its_tests() {
    let folders = programs();
    assert!(!folders.is_empty(), "no program under examples/programs");
    for folder in folders {
        assert!(
            folder.join("camp.toml").is_file(),
            "{} has no camp.toml",
            folder.display()
        );
        let (code, output) = campc("check", &folder);
        assert!(
            code == 0 && output.contains("no problems"),
            "campc check {}: exit {code}\n{output}",
            folder.display()
        );
        let (code, output) = campc("test", &folder);
        assert_eq!(code, 0, "campc test {}:\n{output}", folder.display());
        assert!(
            output.contains(" passed, 0 failed")
                && !output.starts_with("0 passed")
                && !output.contains("\n0 passed"),
            "campc test {}: no test ran\n{output}",
            folder.display()
        );
    }
}

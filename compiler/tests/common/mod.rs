//! Helpers shared by the integration tests.
#![allow(clippy::unwrap_used, clippy::panic, dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A checked-in generated file (rule docs, error docs, IR schemas) must
/// equal what the code generates. With `update_var` set in the
/// environment, the file is rewritten instead.
pub fn assert_generated_file_is_current(
    path: &Path,
    generated: &str,
    update_var: &str,
    test: &str,
) {
    if std::env::var_os(update_var).is_some() {
        std::fs::write(path, generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run `{update_var}=1 cargo test -p campc --test {test}` and commit it",
        path.display()
    );
}

// ---------------------------------------------------------------- running campc

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn campc(args: &[&str]) -> Output {
    campc_with(args, &[])
}

/// `campc` with these environment variables set, and none of the ones
/// that change its output inherited from the test's environment.
pub fn campc_with(args: &[&str], vars: &[(&str, &str)]) -> Output {
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

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A package whose only problems are lint warnings (no rollout, no guard).
pub fn package_with_warnings() -> tempfile::TempDir {
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
pub fn package_with(file: &str, text: &str) -> tempfile::TempDir {
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

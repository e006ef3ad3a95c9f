//! Helpers shared by the integration tests.
#![allow(clippy::unwrap_used, clippy::panic, dead_code)]

use std::path::Path;

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

//! The corpus and crash files of one fuzz target, and running a property
//! on each while collecting every failure.
#![allow(clippy::unwrap_used, clippy::panic, dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Every file of `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/`
/// (crash files, kept as regressions), sorted.
pub fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for folder in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let hidden = path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'));
            if path.is_file() && !hidden {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// As many workers as the machine has cores.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs `property` on every input of `target`, on `workers` threads, then
/// fails naming every input on which it failed. `at_least` guards against
/// an empty or lost corpus passing silently.
pub fn replay(target: &str, at_least: usize, workers: usize, property: impl Fn(&[u8]) + Sync) {
    let inputs = inputs(target);
    assert!(
        inputs.len() >= at_least,
        "only {} inputs for `{target}`: run `fuzz/seed.sh`",
        inputs.len()
    );
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                while let Some(path) = inputs.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let bytes = std::fs::read(path).unwrap();
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        property(&bytes);
                    }));
                    if outcome.is_err() {
                        failed.lock().unwrap().push(path.display().to_string());
                    }
                }
            });
        }
    });
    let mut failed = failed.into_inner().unwrap();
    failed.sort();
    assert!(
        failed.is_empty(),
        "`{target}` fails on {} of {} inputs (replay one with `cargo fuzz run {target} FILE`):\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

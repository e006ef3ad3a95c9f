//! Replays the `lsp_edits` fuzz target's corpus and crash files on stable.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use camp_fuzz_props::LspPackage;

/// Panics anywhere in this test binary. The server catches a panic in a
/// handler and goes on (libFuzzer aborts on it instead), so the replay
/// counts them: the only test here, so every panic is one of its.
static PANICS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn every_lsp_edits_input_keeps_its_properties() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
    let scratch = tempfile::tempdir().unwrap();
    let package = LspPackage::create(scratch.path()).unwrap();
    // One at a time: a panic is then the current input's.
    common::replay("lsp_edits", 10, 1, |bytes| {
        let before = PANICS.load(Ordering::SeqCst);
        camp_fuzz_props::lsp_edits(&package, bytes);
        assert_eq!(
            PANICS.load(Ordering::SeqCst),
            before,
            "the server panicked and caught it"
        );
    });
}

//! A document and a script of edits and requests, through the language
//! server in-process: see `camp_fuzz_props::lsp_edits`.
#![no_main]

use std::sync::OnceLock;

use camp_fuzz_props::LspPackage;

/// The package the edited document belongs to, written once per fuzzing
/// process into a fresh temporary folder (left behind: it is small).
fn package() -> &'static LspPackage {
    static PACKAGE: OnceLock<LspPackage> = OnceLock::new();
    PACKAGE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("camp-fuzz-lsp-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("a temporary folder");
        LspPackage::create(&root).expect("the package written")
    })
}

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| camp_fuzz_props::lsp_edits(package(), bytes));

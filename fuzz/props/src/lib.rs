//! The properties the fuzz targets check, in one place: the cargo-fuzz
//! targets in `fuzz/fuzz_targets/` (nightly) call these functions on every
//! input libFuzzer makes, and `tests/replay.rs` (stable, part of
//! `cargo test --workspace`) calls them on every file of `fuzz/corpus/*`
//! and `fuzz/artifacts/*`, so a crash found once stays fixed.
//!
//! A property that does not hold panics: that is how both libFuzzer and
//! the test harness see a failure.
//!
//! - [`compile()`]: any bytes, as one `.camp` file alone and beside the
//!   example platform's schema and templates. Analysis and every renderer
//!   never panic; a clean package builds an IR that loads back; a file
//!   that parses formats idempotently to the same diagnostics and IR.
//! - [`ir_load()`]: any bytes, as JSON, into the IR loader. Whatever loads
//!   is valid, matches the JSON Schema and writes back to itself.
//! - [`lsp_edits()`]: any bytes, as a document and a script of edits and
//!   requests, run through the language server in-process. No request
//!   fails, and the diagnostics published for the final text are those of
//!   a fresh `campc check`.
// Failing a property is a panic, by design (see above).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

pub mod compile;
pub mod ir_load;
pub mod lsp_edits;

pub use compile::compile;
pub use ir_load::ir_load;
pub use lsp_edits::{LspPackage, lsp_edits};

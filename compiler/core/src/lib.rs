//! The Camp compiler core: syntax, checker, linter, formatter, fixes,
//! diagnostics as data, and the IR builder.
//!
//! The core does no IO: it takes file contents and returns data. Reading
//! files, walking folders and writing IR happen in `camp-fs` and the
//! `campc` and `camp-lsp` programs, behind the small
//! [`package::FileSource`] trait. Rendering diagnostics for a terminal or a
//! file format is `campc`'s; the server renders its own.

/// The language's words and numbers (`camp-lang`), re-exported so the
/// compiler's callers need one path.
pub use camp_lang as lang;

pub mod check;
// pest_derive without `std` (no per-rule stack probing: the grammar is not
// recursive) names `::alloc` in its generated code.
extern crate alloc;

pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod explain;
pub mod fix;
pub mod format;
pub mod ir;
pub mod lint;
pub mod manifest;
pub mod package;
mod reward;
pub mod source;
pub mod syntax;
pub mod synthetic;
pub mod testing;
pub mod testing_text;

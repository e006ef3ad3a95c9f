//! The Camp compiler core: parser, checker, IR and renderers.
//!
//! The core does no IO: it takes file contents and returns data. Reading
//! files, walking folders and writing IR happen in [`fs`] and in the `campc`
//! binary, behind the small [`package::FileSource`] trait.

pub mod check;
// pest_derive without `std` (no per-rule stack probing: the grammar is not
// recursive) names `::alloc` in its generated code.
extern crate alloc;

pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod format;
pub mod fs;
pub mod ir;
pub mod lint;
pub mod package;
pub mod render;
pub mod source;
pub mod syntax;
pub mod synthetic;

//! Text to syntax tree. See `parser.rs` for the entry point.

pub mod ast;
pub mod lookalike;
pub mod parser;
pub mod regions;
pub mod shift;
pub mod split;

pub use parser::{ItemCache, ParseOutput, parse_file, parse_file_reusing};

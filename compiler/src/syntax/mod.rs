//! Text to syntax tree. See `parser.rs` for the entry point.

pub mod ast;
pub mod lookalike;
pub mod parser;
pub mod regions;
pub mod split;

pub use parser::{ParseOutput, parse_file};

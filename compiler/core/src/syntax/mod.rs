//! Text to syntax tree. See `parser.rs` for the entry point.

pub mod ast;
mod fast;
pub mod lookalike;
pub(crate) mod lower;
pub mod parser;
pub mod regions;
pub mod shift;
pub mod split;
mod syntax_error;

pub use parser::{
    ItemCache, ParseOutput, parse_claim, parse_file, parse_file_reusing, parse_payment,
};

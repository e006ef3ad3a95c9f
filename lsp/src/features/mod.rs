//! The editor features, as functions of an analysis and a file, one per
//! file: symbols, folding, references, rename, formatting, code actions,
//! completion, field hover, inlay hints and semantic tokens. This module
//! holds only what several of them share.

use camp_core::source::{SourceFile, Span};
use camp_core::syntax::ast::{Item, ItemKind};
use gen_lsp_types as lsp;

use crate::lines;
use crate::position::Encoding;

mod code_actions;
mod completion;
mod folding;
mod formatting;
mod hover;
mod inlay_hints;
mod place;
mod references;
mod rename;
mod semantic_tokens;
mod symbols;
#[cfg(test)]
mod tests;

pub use code_actions::code_actions;
pub use completion::completion;
pub use folding::folding_ranges;
pub use formatting::formatting;
pub use hover::field_hover;
pub use inlay_hints::inlay_hints;
pub use references::references;
pub use rename::rename;
pub use semantic_tokens::{TOKEN_TYPES, semantic_tokens};
pub use symbols::{document_symbols, workspace_symbols};

/// The range of a span, through the file's line table: many of these make
/// a whole-document answer, so each costs a binary search and its own line,
/// not a scan from the file's start.
pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> lsp::Range {
    lines::range_in(file, span, encoding)
}

fn body_of(item: &Item) -> Option<&camp_core::syntax::ast::Body> {
    match &item.kind {
        ItemKind::Schema(decl) => decl.body.as_ref(),
        ItemKind::Fund(decl) => Some(&decl.body),
        ItemKind::Policy(decl) => Some(&decl.body),
        ItemKind::Template(decl) => Some(&decl.body),
        ItemKind::Campaign(decl) => Some(&decl.body),
        ItemKind::Test(_) => None,
        ItemKind::Pool(decl) => Some(&decl.body),
    }
}

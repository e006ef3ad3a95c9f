//! Whole-document formatting.

use gen_lsp_types as lsp;

use crate::position::{self, Encoding};

/// The whole document, formatted; `None` if it does not parse or is
/// already formatted.
pub fn formatting(text: &str, encoding: Encoding) -> Option<Vec<lsp::TextEdit>> {
    let formatted = camp_core::format::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![lsp::TextEdit {
        range: lsp::Range {
            start: lsp::Position {
                line: 0,
                character: 0,
            },
            end: position::position(text, text.len(), encoding),
        },
        new_text: formatted,
    }])
}

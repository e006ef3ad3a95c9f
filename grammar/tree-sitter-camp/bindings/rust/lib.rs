//! Camp for [tree-sitter](https://tree-sitter.github.io/): the grammar
//! (`grammar.js`, a rule-for-rule companion of `grammar/camp.pest`) and the
//! editor queries.
//!
//! ```ignore
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_camp::LANGUAGE.into())?;
//! let tree = parser.parse("scene merchant_purchase", None);
//! ```

use tree_sitter_language::LanguageFn;

#[allow(unsafe_code)]
unsafe extern "C" {
    fn tree_sitter_camp() -> *const ();
}

/// The tree-sitter language of Camp.
#[allow(unsafe_code)]
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_camp) };

/// The content of `src/node-types.json`.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Highlights, with Neovim's capture names (see `queries/highlights.scm`).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Scopes, definitions and references.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

/// Folds.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

/// Indentation, with Neovim's capture names.
pub const INDENTS_QUERY: &str = include_str!("../../queries/indents.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn the_language_loads_into_a_parser() {
        let mut parser = tree_sitter::Parser::new();
        let loaded = parser.set_language(&super::LANGUAGE.into());
        assert!(loaded.is_ok(), "{loaded:?}");
    }
}

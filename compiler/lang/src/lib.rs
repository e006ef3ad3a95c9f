//! The Camp language's own words and numbers, below everything else: the
//! checked model, the IR and the evaluator all take them from here, so each
//! is declared once.
//!
//! - [`vocab`]: the closed vocabularies (payers, fund requirements, limit
//!   dimensions and periods, parameter types).
//! - [`keyword`]: the keywords (item keywords, the words of forms, the
//!   built-in values) and the reserved words.
//! - [`fields`]: the fields of each item's body: kind of value, required
//!   or not, repeatable or not, docs and completion snippet.
//! - [`money`]: exact amounts, rates and effective rates, with checked
//!   arithmetic and explicit rounding.
//! - [`reward`]: the reward forms: how each is written, and what it means
//!   (its largest single reward and its effective rate).
//!
//! The checker, the formatter and the language server read these; the
//! editor grammars' keyword lists are generated from them
//! (`compiler/tests/vocabulary.rs`). No parser, no IO, no serialization
//! format beyond serde derives.

pub mod fields;
pub mod keyword;
pub mod money;
pub mod reward;
pub mod vocab;

//! The Camp language's own words and numbers, below everything else: the
//! checked model, the IR and the evaluator all take them from here, so each
//! is declared once.
//!
//! - [`vocab`]: the closed vocabularies (payers, fund requirements, limit
//!   dimensions and periods).
//! - [`money`]: exact amounts, rates and effective rates, with checked
//!   arithmetic and explicit rounding.
//! - [`reward`]: what each reward form means: its largest single reward
//!   and its effective rate.
//!
//! No parser, no IO, no serialization format beyond serde derives.

pub mod money;
pub mod reward;
pub mod vocab;

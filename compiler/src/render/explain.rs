//! The documented JSON output of `campc explain --format json`: the
//! package, the claims `--claim` made first (v2; left out without one),
//! the payment as the evaluator read it, and its decision (every
//! campaign, what it paid or the first reason it paid nothing, and the
//! checks and arithmetic behind it).
//!
//! ```json
//! {
//!   "package": "platform",
//!   "payment": {"id": "explain", "amount": {"amount": "120.00", "currency": "CNY"}, …},
//!   "decision": {"decision": "decided", "total": {…}, "campaigns": [{…}]}
//! }
//! ```
//!
//! When the package or the `--pay` text has errors, the output is a
//! `campc check` report instead (`docs/report.schema.json`). The types
//! below are this form's JSON Schema ([`json_schema`], checked in as
//! `docs/explain.schema.json`).

use schemars::JsonSchema;
use serde::Serialize;

use camp_core::testing::{ClaimDecision, Decision, Payment};

/// What `campc explain --format json` prints for a payment it decides.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonExplained<'a> {
    /// The package's name, `null` without one.
    pub package: Option<&'a str>,
    /// (v2) The claims `--claim` made before the payment, in order, and
    /// what each got; left out without `--claim`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<JsonClaimed<'a>>,
    /// The payment as the evaluator read it (defaults filled in).
    pub payment: &'a Payment,
    /// The evaluator's decision, with every campaign's explanation.
    pub decision: &'a Decision,
}

/// (v2) One `--claim`: who claimed which campaign's coupon when, and
/// what the claim got (the coupon and its validity, or the refusal).
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonClaimed<'a> {
    pub campaign: &'a str,
    pub user: &'a str,
    /// RFC 3339, UTC.
    pub instant: String,
    pub decision: &'a ClaimDecision,
}

/// The JSON Schema of the explained payment, `docs/explain.schema.json`:
/// keys sorted, two-space indented, with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<JsonExplained<'static>>();
    camp_core::ir::canonical::pretty(&schema).unwrap_or_default()
}

/// Pretty JSON with a final newline.
pub fn to_string(explained: &JsonExplained<'_>) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(explained)?;
    text.push('\n');
    Ok(text)
}

//! The safe IR: produced only from a package with no errors, normalized,
//! deterministic (same input, same bytes) and self-describing. This crate is
//! what a generator or runtime written in Rust depends on: the types
//! (validated when deserialized), canonical JSON and its SHA-256, and the
//! JSON Schemas. It knows nothing of Camp's syntax; `camp-core` builds the
//! IR from a checked model.
//!
//! Layout of `campc build --out DIR`:
//! - `DIR/manifest.json` — [`types::Manifest`]: the schema and an index of campaigns.
//! - `DIR/campaigns/<id>.json` — one [`types::CampaignDocument`] per campaign.
//!
//! `ir/schema/*.schema.json` in the repository is the JSON Schema of both,
//! generated from these types and checked current by a test.

pub mod canonical;
pub mod types;

/// The language's vocabularies, money and reward forms, which the IR's
/// types are made of.
pub use camp_lang as lang;

use types::{CampaignDocument, Manifest};

/// The JSON Schemas of the two documents, as checked in.
pub fn json_schemas() -> Vec<(&'static str, String)> {
    let campaign = schemars::schema_for!(CampaignDocument);
    let manifest = schemars::schema_for!(Manifest);
    vec![
        (
            "campaign.schema.json",
            canonical::pretty(&campaign).unwrap_or_default(),
        ),
        (
            "manifest.schema.json",
            canonical::pretty(&manifest).unwrap_or_default(),
        ),
    ]
}

//! The `ir_load` target: arbitrary bytes as JSON into the IR loader.

use std::sync::OnceLock;

use camp_core::ir::canonical;
use camp_core::ir::types::{Campaign, CampaignDocument, IR_VERSION, Manifest, validate_campaign};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The JSON Schemas `campc ir-schema` prints (and `ir/*.schema.json`
/// holds), compiled once.
struct Schemas {
    campaign: jsonschema::Validator,
    manifest: jsonschema::Validator,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let compiled = |name: &str| {
            let (_, text) = camp_core::ir::json_schemas()
                .into_iter()
                .find(|(file, _)| *file == name)
                .unwrap();
            let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
            jsonschema::validator_for(&schema).unwrap()
        };
        Schemas {
            campaign: compiled("campaign.schema.json"),
            manifest: compiled("manifest.schema.json"),
        }
    })
}

/// Loads `bytes` as each IR document; panics if a property fails.
///
/// - Loading never panics, whatever the bytes.
/// - A campaign document or manifest that loads is valid: it matches its
///   JSON Schema, and its canonical text loads back as the same value.
/// - A bare campaign object (no hash to forge) that serde accepts goes
///   through `validate_campaign`: if valid, sealed with its hash it loads
///   as a document; if not, the sealed document is refused too.
pub fn ir_load(bytes: &[u8]) {
    if let Ok(document) = serde_json::from_slice::<CampaignDocument>(bytes) {
        assert!(
            validate_campaign(&document.campaign).is_ok(),
            "a loaded campaign is not valid"
        );
        loads_back_as_itself(&document, &schemas().campaign);
    }
    if let Ok(manifest) = serde_json::from_slice::<Manifest>(bytes) {
        loads_back_as_itself(&manifest, &schemas().manifest);
    }
    if let Ok(campaign) = serde_json::from_slice::<Campaign>(bytes) {
        let valid = validate_campaign(&campaign).is_ok();
        let sealed = serde_json::json!({
            "ir_version": IR_VERSION,
            "sha256": canonical::sha256_of(&campaign).unwrap(),
            "campaign": serde_json::to_value(&campaign).unwrap(),
        });
        let loaded = serde_json::from_value::<CampaignDocument>(sealed);
        assert_eq!(
            loaded.is_ok(),
            valid,
            "a sealed campaign loads exactly when it is valid: {loaded:?}"
        );
        if let Ok(document) = loaded {
            assert_eq!(document.campaign, campaign, "sealing changed the campaign");
            loads_back_as_itself(&document, &schemas().campaign);
        }
    }
}

/// Written out canonically (as `campc build` writes), a loaded document
/// matches its JSON Schema and loads back as the same value.
fn loads_back_as_itself<T>(document: &T, schema: &jsonschema::Validator)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = canonical::pretty(document).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = schema
        .iter_errors(&value)
        .map(|error| error.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "a loaded document does not match its JSON Schema: {errors:?}"
    );
    let again: T = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("a loaded document, written out, does not load: {error}"));
    assert_eq!(&again, document, "a loaded document loads back as another");
}

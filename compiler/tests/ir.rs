//! The IR: built only for correct packages, byte-identical across builds,
//! valid against the checked-in JSON Schema, and validated on load.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use camp_core::ir::{self, types::CampaignDocument, types::Manifest};
use camp_core::package::analyze;
use camp_fs::{PackageRoot, load_package};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn build(package: &str) -> Option<ir::IrFiles> {
    let root = PackageRoot {
        root: repo().join("examples").join(package),
        only: None,
    };
    let analysis = analyze(load_package(&root).unwrap());
    ir::build(&analysis).unwrap()
}

#[test]
fn checked_in_json_schemas_are_current() {
    let folder = repo().join("ir");
    for (name, text) in ir::json_schemas() {
        common::assert_generated_file_is_current(
            &folder.join(name),
            &text,
            "UPDATE_IR_SCHEMA",
            "ir",
        );
    }
}

#[test]
fn the_example_package_builds_byte_identical_twice() {
    let first = build("platform").expect("the platform example has errors");
    let second = build("platform").unwrap();
    assert_eq!(first.files, second.files);
    assert!(
        first.files.len() >= 7,
        "manifest and at least six campaigns"
    );
}

/// The campaigns' documents are built in parallel: the files still come
/// in the model's order, each listed in the manifest with its own hash, and
/// a second build gives the same bytes.
#[test]
fn a_large_package_builds_in_the_models_order_byte_identical_twice() {
    let analysis = analyze(camp_core::synthetic::package(500));
    let first = ir::build(&analysis).unwrap().unwrap();
    let second = ir::build(&analysis).unwrap().unwrap();
    assert_eq!(first.files, second.files);
    let mut expected = vec![String::from("manifest.json")];
    expected.extend(
        analysis
            .model
            .campaigns
            .iter()
            .map(|campaign| format!("campaigns/{}.json", campaign.id)),
    );
    let paths: Vec<&String> = first.files.iter().map(|(path, _)| path).collect();
    assert_eq!(paths, expected.iter().collect::<Vec<_>>());
    let entries = &first.manifest.package.campaigns;
    assert_eq!(entries.len(), 500);
    for (entry, (path, bytes)) in entries.iter().zip(first.files.iter().skip(1)) {
        assert_eq!(&entry.file, path);
        let document: CampaignDocument = serde_json::from_slice(bytes).unwrap();
        assert_eq!(document.sha256, entry.sha256, "{path}");
    }
}

#[test]
fn the_incident_builds_no_ir() {
    assert!(build("incident-2025-01-16").is_none());
}

#[test]
fn every_document_matches_the_json_schema_and_loads_back() {
    let files = build("platform").unwrap();
    let schema = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(repo().join("ir").join(name)).unwrap())
            .unwrap()
    };
    let campaign_validator = jsonschema::validator_for(&schema("campaign.schema.json")).unwrap();
    let manifest_validator = jsonschema::validator_for(&schema("manifest.schema.json")).unwrap();
    for (path, bytes) in &files.files {
        let text = std::str::from_utf8(bytes).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        if path == "manifest.json" {
            let errors: Vec<String> = manifest_validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{path}: {errors:?}");
            let manifest: Manifest = serde_json::from_str(text).unwrap();
            assert_eq!(manifest, files.manifest);
        } else {
            let errors: Vec<String> = campaign_validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{path}: {errors:?}");
            let document: CampaignDocument = serde_json::from_str(text).unwrap();
            assert_eq!(
                format!("campaigns/{}.json", document.campaign.id.as_str()),
                *path
            );
        }
    }
}

fn first_campaign_json() -> String {
    let files = build("platform").unwrap();
    let (_, bytes) = files
        .files
        .iter()
        .find(|(path, _)| path.starts_with("campaigns/"))
        .unwrap();
    String::from_utf8(bytes.clone()).unwrap()
}

#[test]
fn a_tampered_document_is_refused() {
    let text = first_campaign_json();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["campaign"]["title"] = serde_json::Value::String(String::from("edited by hand"));
    let error = serde_json::from_value::<CampaignDocument>(value)
        .unwrap_err()
        .to_string();
    assert!(error.contains("sha256"), "{error}");
}

#[test]
fn money_at_the_wrong_scale_or_as_a_number_is_refused() {
    let text = first_campaign_json();
    for (bad, why) in [
        (
            serde_json::json!({"amount": "100.0", "currency": "CNY"}),
            "decimals",
        ),
        (
            serde_json::json!({"amount": "100.000", "currency": "CNY"}),
            "decimals",
        ),
        (
            serde_json::json!({"amount": 100.0, "currency": "CNY"}),
            "string",
        ),
        (
            serde_json::json!({"amount": "-1.00", "currency": "CNY"}),
            "decimals",
        ),
        (
            serde_json::json!({"amount": "100.00", "currency": "XYZ"}),
            "ISO 4217",
        ),
    ] {
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["campaign"]["budget"] = bad.clone();
        let error = serde_json::from_value::<CampaignDocument>(value)
            .unwrap_err()
            .to_string();
        assert!(error.contains(why), "{bad}: {error}");
    }
}

#[test]
fn a_mixed_currency_or_inverted_window_is_refused_even_with_a_fresh_hash() {
    let text = first_campaign_json();
    let reseal = |mut value: serde_json::Value| {
        let campaign = value["campaign"].clone();
        // Recompute the hash the way the compiler does, so only validation can refuse it.
        let parsed: camp_core::ir::types::Campaign = serde_json::from_value(campaign).unwrap();
        value["sha256"] =
            serde_json::Value::String(camp_core::ir::canonical::sha256_of(&parsed).unwrap());
        value
    };
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["campaign"]["budget"] = serde_json::json!({"amount": "100.00", "currency": "HKD"});
    let error = serde_json::from_value::<CampaignDocument>(reseal(value))
        .unwrap_err()
        .to_string();
    assert!(error.contains("currency"), "{error}");

    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let start = value["campaign"]["window"]["start"].clone();
    value["campaign"]["window"]["start"] = value["campaign"]["window"]["end"].clone();
    value["campaign"]["window"]["end"] = start;
    let error = serde_json::from_value::<CampaignDocument>(reseal(value))
        .unwrap_err()
        .to_string();
    assert!(error.contains("window"), "{error}");
}

#[test]
fn an_effective_rate_that_is_not_the_rewards_or_above_the_fund_is_refused() {
    let text = first_campaign_json();
    let reseal = |mut value: serde_json::Value| {
        let campaign = value["campaign"].clone();
        let parsed: camp_core::ir::types::Campaign = serde_json::from_value(campaign).unwrap();
        value["sha256"] =
            serde_json::Value::String(camp_core::ir::canonical::sha256_of(&parsed).unwrap());
        value
    };
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    // `CNY 5.00 off, min_spend CNY 40.00`: 12.5%.
    assert_eq!(original["campaign"]["reward"]["effective_rate"], "0.125");
    assert!(serde_json::from_value::<CampaignDocument>(reseal(original.clone())).is_ok());

    let mut value = original.clone();
    value["campaign"]["reward"]["effective_rate"] = serde_json::json!("0.1");
    let error = serde_json::from_value::<CampaignDocument>(reseal(value))
        .unwrap_err()
        .to_string();
    assert!(error.contains("not the reward's"), "{error}");

    // A consistent rate, 50%, above the fund's 30%.
    let mut value = original;
    value["campaign"]["reward"]["min_spend"] =
        serde_json::json!({"amount": "10.00", "currency": "CNY"});
    value["campaign"]["reward"]["effective_rate"] = serde_json::json!("0.5");
    let error = serde_json::from_value::<CampaignDocument>(reseal(value))
        .unwrap_err()
        .to_string();
    assert!(error.contains("max_rate"), "{error}");
}

#[test]
fn ir_of_the_examples() {
    let files = build("platform").unwrap();
    for (path, bytes) in &files.files {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, std::str::from_utf8(bytes).unwrap());
    }
}

/// A line ends at `\n`, `\r\n` or a lone `\r`, for the compiler as for
/// every editor and the language server: a file builds the same IR with
/// any of them, and code after a comment and a lone `\r` is code (here,
/// the per-device limit).
#[test]
fn every_line_ending_ends_a_line() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let prelude = std::fs::read(fixtures.join("prelude.camp")).unwrap();
    let text = std::fs::read_to_string(fixtures.join("text/line_endings.camp")).unwrap();
    let note = "after it\n  limit: 1 per device";
    assert!(text.contains(note));
    let variants = [
        ("lf", text.clone()),
        ("crlf", text.replace('\n', "\r\n")),
        ("cr", text.replace('\n', "\r")),
        (
            "lone cr after a comment",
            text.replace(note, "after it\r  limit: 1 per device"),
        ),
    ];
    let mut built = Vec::new();
    for (name, text) in variants {
        let analysis = analyze(camp_core::package::PackageInput {
            name: None,
            files: vec![
                camp_core::package::InputFile {
                    path: "prelude.camp".into(),
                    relative_path: "prelude.camp".into(),
                    bytes: prelude.clone().into(),
                },
                camp_core::package::InputFile {
                    path: "coupon.camp".into(),
                    relative_path: "coupon.camp".into(),
                    bytes: text.into(),
                },
            ],
            lints: camp_core::lint::LintConfig::errors_only(),
        });
        let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.is_empty(), "{name}: {codes:?}");
        let files = ir::build(&analysis).unwrap().unwrap();
        let (_, campaign) = files
            .files
            .iter()
            .find(|(path, _)| path.ends_with("spring_coupon.json"))
            .unwrap();
        let campaign = String::from_utf8(campaign.clone()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&campaign).unwrap();
        let dimensions: Vec<&str> = value["campaign"]["limits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|limit| limit["dimension"].as_str())
            .collect();
        assert_eq!(dimensions, ["user", "device"], "{name}");
        built.push((name, campaign));
    }
    for (name, campaign) in &built {
        assert_eq!(campaign, &built[0].1, "{name} differs from lf");
    }
}

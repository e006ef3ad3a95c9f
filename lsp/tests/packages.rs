//! How the server finds and loads the package of an open document: a
//! file the editor has not written yet, and a package whose `camp.toml`
//! has a problem (loaded anyway, the problem shown on `camp.toml` as
//! `campc check` reports it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Client, package, uri};
use std::path::Path;

use serde_json::{Value, json};

/// A campaign with one error (E0203, the fund's name misspelled); it
/// names the prelude's fund, scene and segment, so it checks only with
/// the package's other files.
const CAMPAIGN: &str = "campaign spring_coupon {\n  title: \"春节立减\"\n  owner: \"growth\"\n  fund: platform_marketng\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n  rollout {\n    stage segment qa_accounts for 30min\n    stage 100%\n  }\n  guard: halt when spend > CNY 500.00 per 1min\n}\n";

fn fixed() -> String {
    CAMPAIGN.replace("platform_marketng", "platform_marketing")
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_string())
        .collect()
}

/// A buffer not on disk inside a package is checked with the package:
/// on open and on every edit, in the package's folder and in a folder
/// that does not exist yet either.
#[test]
fn a_file_not_yet_on_disk_is_checked_with_its_package() {
    let (scratch, _) = package();
    let mut client = Client::start_in(&[scratch.path()]);
    for path in [
        scratch.path().join("new.camp"),
        scratch.path().join("drafts/spring/new.camp"),
    ] {
        assert!(!path.exists());
        let uri = client.open(&path, CAMPAIGN);
        let diagnostics = client.diagnostics(&uri);
        // The package's fund is known: the one error is the typo, with
        // the package's name as the suggestion.
        assert_eq!(codes(&diagnostics), ["E0203"], "{diagnostics:?}");
        assert!(
            diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `platform_marketing`"),
            "{diagnostics:?}"
        );
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": fixed()}]}),
        );
        let diagnostics = client.diagnostics(&uri);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3},
                   "contentChanges": [{"text": CAMPAIGN}]}),
        );
        assert_eq!(codes(&client.diagnostics(&uri)), ["E0203"]);
        // Served like any open document.
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 14}}),
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("scene merchant_purchase"),
            "{hover}"
        );
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        // Closed without being written: nothing is left on it.
        assert!(client.diagnostics(&uri).is_empty());
    }
    client.stop();
}

/// The diagnostics published on `camp.toml` and on the open campaign for
/// each manifest, as the editor shows them.
#[test]
fn a_bad_camp_toml_is_shown_on_camp_toml_and_the_package_still_loads() {
    let (scratch, campaign) = package();
    let manifest = scratch.path().join("camp.toml");
    let manifest_uri = uri(&manifest);
    let mut client = Client::start_in(&[scratch.path()]);
    let campaign_uri = client.open(&campaign, &fixed());
    assert!(client.diagnostics(&campaign_uri).is_empty());
    assert!(client.diagnostics(&manifest_uri).is_empty());
    let mut seen = String::new();
    for text in [
        "[package]\nname = \"editor\"\n\n[lints]\nhigh-rat = \"deny\"\n",
        "[package]\nname = \"editor\"\n\n[lints]\nhigh-rate = { level = \"deny\", treshold = \"25%\" }\n",
        "[package]\nname \"editor\"\n",
        "# 春季\n[lints]\nhigh-rate = { level = \"deny\", threshold = 25% }\n",
    ] {
        std::fs::write(&manifest, text).unwrap();
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": manifest_uri, "type": 2}]}),
        );
        // The package's files are all there: no unknown fund or scene.
        let on_campaign = client.diagnostics(&campaign_uri);
        assert!(on_campaign.is_empty(), "{text}: {on_campaign:?}");
        let on_manifest = client.diagnostics(&manifest_uri);
        assert_eq!(on_manifest.len(), 1, "{text}: {on_manifest:?}");
        seen.push_str(&format!(
            "--- {text:?}\n{}\n",
            serde_json::to_string_pretty(&on_manifest[0]).unwrap()
        ));
    }
    insta::assert_snapshot!("bad_camp_toml", seen);

    // Fixed: the problem goes away, and the lint levels apply again.
    std::fs::write(&manifest, "[lints]\nno-rollout = \"deny\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": manifest_uri, "type": 2}]}),
    );
    assert!(client.diagnostics(&manifest_uri).is_empty());
    assert!(client.diagnostics(&campaign_uri).is_empty());
    client.stop();
}

/// For a package whose `camp.toml` has problems, the server publishes
/// exactly what `campc check --format json` reports (the same loader, the
/// same codes and places): on `camp.toml` and on the `.camp` files alike.
#[test]
fn a_bad_camp_toml_gets_the_same_diagnostics_from_campc_and_the_server() {
    for manifest in [
        "[package]\nname = \"editor\"\n[lints]\nhigh-rat = \"deny\"\nno-rollout = { level = \"loud\" }\n[pakage]\n",
        "[package]\nname = 3\n",
        "[package]\nname \"editor\"\n",
    ] {
        let (scratch, campaign) = package();
        std::fs::write(scratch.path().join("camp.toml"), manifest).unwrap();
        std::fs::write(&campaign, CAMPAIGN).unwrap();
        // What `campc check --format json` says (in-process, same renderer).
        let read =
            camp_fs::read_packages(&[scratch.path().to_path_buf()], camp_fs::IgnoreFiles::Apply)
                .unwrap();
        let mut expected = Vec::new();
        for mut package in read.packages {
            // The server uses the real time too.
            package.input.lints.now = Some(jiff::Timestamp::now());
            let analysis = camp_core::package::analyze_loaded(package);
            let items: Vec<_> = analysis
                .diagnostics
                .iter()
                .map(|d| (d, &analysis.sources))
                .collect();
            let report: Value = serde_json::from_str(&campc::render::json::to_string(
                &campc::render::json::report(&items, 0, 0),
            ))
            .unwrap();
            for d in report["diagnostics"].as_array().unwrap() {
                let mut message = d["message"].as_str().unwrap().to_string();
                if let Some(help) = d["help"].as_str() {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                let file = Path::new(d["file"].as_str().unwrap());
                expected.push((
                    file.file_name().unwrap().to_string_lossy().into_owned(),
                    d["code"].as_str().unwrap().to_string(),
                    message,
                    d["range"]["start"]["line"].as_u64().unwrap() - 1,
                    d["range"]["start"]["column"].as_u64().unwrap() - 1,
                ));
            }
        }
        expected.sort();
        assert!(
            expected.iter().any(|(file, ..)| file == "camp.toml"),
            "{expected:?}"
        );

        let mut client = Client::start_in(&[scratch.path()]);
        client.open(&campaign, CAMPAIGN);
        let mut published = Vec::new();
        for file in ["camp.toml", "schema.camp", "coupon.camp"] {
            for d in client.diagnostics(&uri(&scratch.path().join(file))) {
                published.push((
                    file.to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                ));
            }
        }
        published.sort();
        assert_eq!(published, expected, "{manifest}");
        client.stop();
    }
}

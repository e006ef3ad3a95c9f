//! The generator end to end, on the IR of `examples/platform` built
//! in-process as `campc build` builds it: the configuration it writes
//! (snapshot), the same bytes on every run, and a refusal naming the file
//! for every kind of tampered or invalid IR (snapshot of what the user
//! sees, exit code 1, nothing written).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use camp_gen_limits::{limits, load};
use camp_ir::canonical;
use camp_ir::types::{
    CampaignDocument, CampaignEntry, Dimension, Limit, LimitAmount, Manifest, Period,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// Writes the IR of `examples/platform` into a new folder, as
/// `campc build examples/platform --out DIR` does.
fn build_platform_ir() -> tempfile::TempDir {
    let root = camp_fs::PackageRoot {
        root: repo().join("examples/platform"),
        only: None,
    };
    let analysis = camp_core::package::analyze(camp_fs::load_package(&root).unwrap());
    let ir = camp_core::ir::build(&analysis)
        .unwrap()
        .expect("examples/platform has errors");
    let dir = tempfile::tempdir().unwrap();
    for (file, bytes) in &ir.files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_camp-gen-limits"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn generate(dir: &Path) -> String {
    let package = load(dir).unwrap();
    limits::render(&limits::limits(&package)).unwrap()
}

#[test]
fn the_platform_example_configuration() {
    let dir = build_platform_ir();
    let text = generate(dir.path());
    // The command line writes the same bytes, to standard output or a file.
    let (code, stdout, stderr) = run(&[dir.path().to_str().unwrap()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, text);
    let out = dir.path().join("limits.json");
    let (code, stdout, _) = run(&[dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    insta::assert_snapshot!("platform_limits", text);
}

#[test]
fn the_same_ir_gives_the_same_bytes() {
    let first = build_platform_ir();
    let second = build_platform_ir();
    let text = generate(first.path());
    assert_eq!(text, generate(first.path()));
    assert_eq!(text, generate(second.path()));
    // No float anywhere: every bound is a string.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for campaign in value["campaigns"].as_array().unwrap() {
        for counter in campaign["counters"].as_array().unwrap() {
            assert!(counter["max"].is_string(), "{counter}");
        }
        for guard in campaign["guards"].as_array().unwrap() {
            assert!(guard["halt_above"].is_string(), "{guard}");
        }
    }
}

#[test]
fn two_bounds_on_one_counter_keep_the_smaller() {
    let dir = build_platform_ir();
    let mut package = load(dir.path()).unwrap();
    let campaign = &mut package
        .campaigns
        .iter_mut()
        .find(|document| document.campaign.id.as_str() == "double12_tiers_2028")
        .unwrap()
        .campaign;
    // The IR has `3 per user per day` as limits[0].
    campaign.limits.push(Limit {
        amount: LimitAmount::Count { count: 2 },
        dimension: Some(Dimension::User),
        period: Some(Period::Day),
        more_dimensions: Vec::new(),
    });
    campaign.limits.push(Limit {
        amount: LimitAmount::Count { count: 9 },
        dimension: Some(Dimension::User),
        period: Some(Period::Day),
        more_dimensions: Vec::new(),
    });
    let config = limits::limits(&package);
    let counters = &config
        .campaigns
        .iter()
        .find(|campaign| campaign.campaign == "double12_tiers_2028")
        .unwrap()
        .counters;
    let merged: Vec<_> = counters
        .iter()
        .filter(|counter| counter.key == "camp/double12_tiers_2028/count/user/{user}/day/{day}")
        .collect();
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].max, limits::Bound::Count(2));
    assert_eq!(merged[0].from, ["limits[0]", "limits[5]", "limits[6]"]);
}

/// One way of damaging a built IR folder.
struct Tampering {
    name: &'static str,
    /// The file changed, relative to the IR folder.
    file: &'static str,
    change: fn(&Path),
}

const CAMPAIGN: &str = "campaigns/double12_tiers_2028.json";

fn edit(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = edit(text.clone());
    assert_ne!(changed, text, "the tampering changed nothing");
    std::fs::write(path, changed).unwrap();
}

/// Changes the manifest's entry for `double12_tiers_2028` and writes the
/// manifest back with a correct `sha256`.
fn rehash_manifest(dir: &Path, change: fn(&mut CampaignEntry)) {
    let path = dir.join("manifest.json");
    let mut manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entry = manifest
        .package
        .campaigns
        .iter_mut()
        .find(|entry| entry.id.as_str() == "double12_tiers_2028")
        .unwrap();
    change(entry);
    manifest.sha256 = canonical::sha256_of(&manifest.package).unwrap();
    std::fs::write(&path, canonical::pretty(&manifest).unwrap()).unwrap();
}

fn tamperings() -> Vec<Tampering> {
    vec![
        Tampering {
            name: "an amount changed, sha256 left as it was",
            file: CAMPAIGN,
            change: |dir| {
                edit(&dir.join(CAMPAIGN), |text| {
                    text.replacen("\"amount\": \"200.00\"", "\"amount\": \"2000.00\"", 1)
                });
            },
        },
        Tampering {
            name: "the sha256 changed",
            file: CAMPAIGN,
            change: |dir| {
                edit(&dir.join(CAMPAIGN), |text| {
                    text.replacen("\"sha256\": \"249c", "\"sha256\": \"0000", 1)
                });
            },
        },
        Tampering {
            name: "not JSON",
            file: CAMPAIGN,
            change: |dir| {
                // Cut short, as by a write that did not finish.
                edit(&dir.join(CAMPAIGN), |text| {
                    text[..text.find("\"budget\"").unwrap()].to_string()
                });
            },
        },
        Tampering {
            name: "an amount changed and the document re-hashed",
            file: CAMPAIGN,
            change: |dir| {
                let path = dir.join(CAMPAIGN);
                let mut document: CampaignDocument =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let LimitAmount::Money { money } = &mut document.campaign.limits[1].amount else {
                    panic!("limits[1] of double12_tiers_2028 is an amount");
                };
                money.amount += money.amount;
                document.sha256 = canonical::sha256_of(&document.campaign).unwrap();
                std::fs::write(&path, canonical::pretty(&document).unwrap()).unwrap();
            },
        },
        Tampering {
            name: "an amount not at the currency's scale",
            file: CAMPAIGN,
            change: |dir| {
                edit(&dir.join(CAMPAIGN), |text| {
                    text.replacen("\"amount\": \"200.00\"", "\"amount\": \"200.0\"", 1)
                });
            },
        },
        Tampering {
            name: "the manifest's exposure changed",
            file: "manifest.json",
            change: |dir| {
                edit(&dir.join("manifest.json"), |text| {
                    text.replacen("\"amount\": \"400000.00\"", "\"amount\": \"400.00\"", 1)
                });
            },
        },
        Tampering {
            name: "the manifest re-hashed with an exposure changed",
            file: CAMPAIGN,
            change: |dir| {
                rehash_manifest(dir, |entry| {
                    entry.max_exposure.amount += entry.max_exposure.amount;
                });
            },
        },
        Tampering {
            name: "the manifest re-hashed with a file outside `campaigns/`",
            file: "manifest.json",
            change: |dir| {
                rehash_manifest(dir, |entry| {
                    entry.file = String::from("../double12_tiers_2028.json");
                });
            },
        },
        Tampering {
            name: "a campaign the manifest does not list",
            file: "campaigns/zz_unlisted.json",
            change: |dir| {
                std::fs::copy(dir.join(CAMPAIGN), dir.join("campaigns/zz_unlisted.json")).unwrap();
            },
        },
        Tampering {
            name: "a listed campaign missing",
            file: CAMPAIGN,
            change: |dir| std::fs::remove_file(dir.join(CAMPAIGN)).unwrap(),
        },
    ]
}

/// Hashes change with every edit of the example package; the snapshot is
/// about the messages, so each 64-digit hash is shown by its first 4 digits.
fn mask_hashes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(|ch: char| ch.is_ascii_hexdigit()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let run = rest
            .find(|ch: char| !ch.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        if run == 64 {
            out.push_str(&rest[..4]);
            out.push('…');
        } else {
            out.push_str(&rest[..run]);
        }
        rest = &rest[run..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_tampered_or_invalid_ir_is_refused_naming_the_file() {
    let mut seen = String::new();
    for tampering in tamperings() {
        let dir = build_platform_ir();
        (tampering.change)(dir.path());
        let refusal = load(dir.path()).expect_err(tampering.name);
        assert_eq!(
            refusal.path,
            dir.path().join(tampering.file),
            "{}",
            tampering.name
        );
        let out = dir.path().join("limits.json");
        let (code, stdout, stderr) =
            run(&[dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(code, 1, "{}", tampering.name);
        assert_eq!(stdout, "");
        assert!(!out.exists(), "{}: wrote a configuration", tampering.name);
        let shown = mask_hashes(&stderr.replace(dir.path().to_str().unwrap(), "IR"));
        seen.push_str(&format!("--- {}\n{shown}\n", tampering.name));
    }
    insta::assert_snapshot!("refusals", seen);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = run(&[]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: give the IR folder"), "{stderr}");
    let (code, _, stderr) = run(&["a", "b"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: unexpected argument `b`"),
        "{stderr}"
    );
}

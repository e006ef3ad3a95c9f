//! Data-driven decisions: each `cases/NAME.camp` holds campaigns (checked
//! beside `tests/schema.camp`), `cases/NAME.payments` the payments to decide
//! in order, one JSON object a line (`//` lines are comments), with what
//! each campaign must get. The decisions with their explanations are
//! snapshots (`snapshots/cases__NAME.snap`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use camp_eval::{Decision, Outcome, Reason, Refusal};
use serde::Deserialize;

const SCHEMA: &str = include_str!("schema.camp");

/// One payment line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    /// Default: `p1`, `p2`, … by line.
    id: Option<String>,
    /// `"CNY 100.00"` (absent on a claim line).
    #[serde(default)]
    pay: String,
    #[serde(default)]
    at: String,
    /// (v2) A claim line: the campaign whose coupon `user` claims at
    /// `time`, and what it gets, `claimed` or the refusal
    /// (`expect_claim`).
    claim: Option<String>,
    expect_claim: Option<String>,
    /// RFC 3339 with an offset; default: the previous line's.
    time: Option<String>,
    category: Option<String>,
    region: Option<String>,
    merchant: Option<String>,
    user: Option<String>,
    device: Option<String>,
    ip: Option<String>,
    #[serde(default)]
    segments: Vec<String>,
    /// Campaign → `"CNY 15.00"` (paid) or a reason (`"limit"`).
    #[serde(default)]
    expect: BTreeMap<String, String>,
    /// The payment's total off.
    total: Option<String>,
    /// `"conflicting replay"`.
    refused: Option<String>,
    /// The decision is a replay of the first.
    #[serde(default)]
    replay: bool,
    /// (v2) The merchant's groups.
    #[serde(default)]
    groups: Vec<String>,
    /// (v2) `["INSTRUMENT"]` (one card per user and instrument) or
    /// `["INSTRUMENT", "ID"]`.
    card: Option<Vec<String>>,
}

/// Runs one case; returns the snapshot text and the reasons it expects.
fn run(path: &Path) -> (String, BTreeSet<Reason>) {
    let source = std::fs::read_to_string(path).unwrap();
    let payments = std::fs::read_to_string(path.with_extension("payments")).unwrap();
    let mut evaluator = common::evaluator(&[("schema.camp", SCHEMA), ("case.camp", &source)]);
    let mut snapshot = String::new();
    let mut reasons = BTreeSet::new();
    let mut time: Option<String> = None;
    let lines = payments
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with("//"));
    for (number, text) in lines.enumerate() {
        let line: Line = serde_json::from_str(text)
            .unwrap_or_else(|error| panic!("{}: line {text}: {error}", path.display()));
        time = line.time.clone().or(time);
        if let Some(campaign) = &line.claim {
            let claim = camp_eval::Claim {
                campaign: common::id(campaign),
                user: line.user.clone().expect("a claim line gives a user"),
                instant: camp_ir::types::Instant(
                    time.as_deref()
                        .expect("the first line gives a time")
                        .parse()
                        .unwrap(),
                ),
            };
            let decision = evaluator
                .claim(&claim)
                .unwrap_or_else(|error| panic!("{}: line {text}: {error}", path.display()));
            snapshot.push_str(&format!(
                "claim {campaign} by {}: {decision}\n\n",
                claim.user
            ));
            let got = match &decision {
                camp_eval::ClaimDecision::Claimed { .. } => "claimed",
                camp_eval::ClaimDecision::Refused { reason } => reason.as_str(),
            };
            assert_eq!(
                Some(got),
                line.expect_claim.as_deref(),
                "{}: {text}",
                path.display()
            );
            continue;
        }
        let mut payment = common::payment(
            &line
                .id
                .clone()
                .unwrap_or_else(|| format!("p{}", number + 1)),
            &line.pay,
            time.as_deref().expect("the first line gives a time"),
            &line.at,
        );
        payment.category = line.category.as_deref().map(common::id);
        payment.region = line.region.as_deref().map(common::id);
        payment.merchant = line.merchant.clone();
        payment.user = line.user.clone();
        payment.device = line.device.clone();
        payment.ip = line.ip.clone();
        payment.segments = line.segments.iter().map(|s| common::id(s)).collect();
        payment.merchant_groups = line.groups.iter().map(|g| common::id(g)).collect();
        payment.card = line.card.as_deref().map(|card| match card {
            [instrument] => camp_eval::Card::of_user(common::id(instrument), line.user.as_deref()),
            [instrument, id] => camp_eval::Card {
                instrument: common::id(instrument),
                id: id.clone(),
            },
            _ => panic!(
                "{}: `card` is [INSTRUMENT] or [INSTRUMENT, ID]",
                path.display()
            ),
        });
        let decision = evaluator.decide(&payment);
        snapshot.push_str(&decision.to_string());
        snapshot.push('\n');
        let context = format!("{}: {text}\n{decision}", path.display());
        match (&decision, line.refused.as_deref()) {
            (Decision::Refused(Refusal::ConflictingReplay { .. }), Some("conflicting replay")) => {
                continue;
            }
            (Decision::Refused(_), _) | (Decision::Decided(_), Some(_)) => {
                panic!("unexpected refusal or decision: {context}")
            }
            (Decision::Decided(_), None) => {}
        }
        let decided = decision.decided().unwrap();
        assert_eq!(decided.replay, line.replay, "replay flag: {context}");
        if let Some(total) = &line.total {
            assert_eq!(decided.total, common::money(total), "total: {context}");
        }
        for (campaign, expected) in &line.expect {
            let outcome = decided
                .campaign(campaign)
                .unwrap_or_else(|| panic!("no campaign `{campaign}`: {context}"))
                .outcome;
            match Reason::parse(expected) {
                Some(reason) => {
                    reasons.insert(reason);
                    assert_eq!(
                        outcome,
                        Outcome::NoDiscount { reason },
                        "`{campaign}`: {context}"
                    );
                }
                None => assert_eq!(
                    outcome,
                    Outcome::Paid {
                        amount: common::money(expected)
                    },
                    "`{campaign}`: {context}"
                ),
            }
        }
    }
    (snapshot, reasons)
}

#[test]
fn cases() {
    let mut covered = BTreeSet::new();
    insta::glob!("cases/*.camp", |path| {
        let (snapshot, reasons) = run(path);
        covered.extend(reasons);
        insta::assert_snapshot!(snapshot);
    });
    let missing: Vec<&str> = Reason::ALL
        .iter()
        .filter(|reason| !covered.contains(reason))
        .map(|reason| reason.as_str())
        .collect();
    assert!(missing.is_empty(), "no case expects {missing:?}");
}

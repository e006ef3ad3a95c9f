//! The evaluator's API: what it refuses to load, payments it refuses,
//! the fund's `max_per_use` on an IR the compiler would not write, and the
//! JSON form of a decision.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use camp_core::ir::canonical;
use camp_core::ir::types::{CampaignDocument, Manifest};
use camp_eval::{Decision, EvalError, Evaluator, Outcome, Reason, Refusal};
use rust_decimal::Decimal;

const SCHEMA: &str = include_str!("schema.camp");

const CAMPAIGNS: &str = r#"
campaign pct {
  title: "15% off, cap CNY 20.00"
  owner: "ops"
  fund: marketing
  scenes: [online_purchase]
  window: 2025-03-01 00:00 to 2025-04-01 00:00 Asia/Shanghai
  reward: 15% off, cap CNY 20.00, min_spend CNY 10.00
  budget: CNY 100.00
  limit: 2 per user per day
  guard: halt when spend > CNY 50.00 per 1min
  rollout {
    stage 100%
  }
  stacking: stacks_with [flat]
}

campaign flat {
  title: "CNY 1.00 off"
  owner: "ops"
  fund: marketing
  scenes: [online_purchase]
  window: 2025-03-01 00:00 to 2025-04-01 00:00 Asia/Shanghai
  reward: CNY 1.00 off
  budget: CNY 100.00
  stacking: stacks_with [pct]
}
"#;

fn package() -> (Manifest, Vec<CampaignDocument>) {
    common::compile(&[("schema.camp", SCHEMA), ("campaigns.camp", CAMPAIGNS)]).unwrap()
}

/// Changes a campaign the way a hand-written IR could, keeping the
/// document's hash and the manifest's entry consistent.
fn edit(
    manifest: &mut Manifest,
    documents: &mut [CampaignDocument],
    id: &str,
    change: impl FnOnce(&mut camp_core::ir::types::Campaign),
) {
    let document = documents
        .iter_mut()
        .find(|document| document.campaign.id.as_str() == id)
        .unwrap();
    change(&mut document.campaign);
    document.sha256 = canonical::sha256_of(&document.campaign).unwrap();
    let entry = manifest
        .package
        .campaigns
        .iter_mut()
        .find(|entry| entry.id.as_str() == id)
        .unwrap();
    entry.sha256 = document.sha256.clone();
}

#[test]
fn a_decision_as_json() {
    let (manifest, documents) = package();
    let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
    let mut payment = common::payment(
        "order-7",
        "CNY 123.45",
        "2025-03-03T10:00:00+08:00",
        "online_purchase",
    );
    payment.user = Some(String::from("alice"));
    let decision = evaluator.decide(&payment);
    insta::assert_json_snapshot!(decision);
}

#[test]
fn a_subset_of_the_package_is_evaluated_alone() {
    let (manifest, documents) = package();
    let flat: Vec<CampaignDocument> = documents
        .into_iter()
        .filter(|document| document.campaign.id.as_str() == "flat")
        .collect();
    let mut evaluator = Evaluator::new(&manifest, flat).unwrap();
    let decision = evaluator.decide(&common::payment(
        "p1",
        "CNY 100.00",
        "2025-03-03T10:00:00+08:00",
        "online_purchase",
    ));
    let decided = decision.decided().unwrap();
    assert_eq!(decided.campaigns.len(), 1);
    assert_eq!(decided.total, common::money("CNY 1.00"));
}

#[test]
fn campaigns_that_do_not_belong_to_the_manifest_are_refused() {
    let (manifest, documents) = package();
    let twice = vec![documents[0].clone(), documents[0].clone()];
    assert_eq!(
        Evaluator::new(&manifest, twice).unwrap_err(),
        EvalError::DuplicateCampaign(documents[0].campaign.id.as_str().to_string())
    );

    let mut stale = documents.clone();
    stale[0].campaign.title = String::from("changed");
    stale[0].sha256 = canonical::sha256_of(&stale[0].campaign).unwrap();
    assert!(matches!(
        Evaluator::new(&manifest, stale).unwrap_err(),
        EvalError::StaleDocument { .. }
    ));

    let mut other = manifest.clone();
    other
        .package
        .campaigns
        .retain(|entry| entry.id.as_str() != "flat");
    assert_eq!(
        Evaluator::new(&other, documents.clone()).unwrap_err(),
        EvalError::NotInManifest(String::from("flat"))
    );

    let (mut manifest, mut documents) = (manifest, documents);
    edit(&mut manifest, &mut documents, "flat", |campaign| {
        campaign.window.zone = String::from("Mars/Olympus_Mons");
    });
    assert_eq!(
        Evaluator::new(&manifest, documents)
            .unwrap_err()
            .to_string(),
        "campaign `flat`: window zone `Mars/Olympus_Mons` is not a known time zone"
    );
}

#[test]
fn an_invalid_amount_is_refused_and_not_recorded() {
    let (manifest, documents) = package();
    let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
    let time = "2025-03-03T10:00:00+08:00";
    let mut payment = common::payment("p1", "CNY 100.00", time, "online_purchase");
    payment.user = Some(String::from("alice"));
    payment.amount.amount = Decimal::new(100_001, 3);
    assert!(matches!(
        evaluator.decide(&payment),
        Decision::Refused(Refusal::InvalidAmount { .. })
    ));
    payment.amount.amount = Decimal::new(-100, 0);
    assert!(matches!(
        evaluator.decide(&payment),
        Decision::Refused(Refusal::InvalidAmount { .. })
    ));
    // The id was not used: the valid payment is decided, not refused as a replay.
    payment.amount = common::money("CNY 100.00");
    let decision = evaluator.decide(&payment);
    assert!(!decision.decided().unwrap().replay);
    assert_eq!(
        decision.decided().unwrap().total,
        common::money("CNY 16.00")
    );
}

#[test]
fn the_funds_max_per_use_bounds_a_reward_the_form_allows() {
    let (mut manifest, mut documents) = package();
    edit(&mut manifest, &mut documents, "pct", |campaign| {
        campaign.fund.max_per_use = vec![common::money("CNY 7.50")];
    });
    let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
    let mut payment = common::payment(
        "p1",
        "CNY 100.00",
        "2025-03-03T10:00:00+08:00",
        "online_purchase",
    );
    payment.user = Some(String::from("alice"));
    let decision = evaluator.decide(&payment);
    let pct = decision.decided().unwrap().campaign("pct").unwrap();
    assert_eq!(
        pct.outcome,
        Outcome::Paid {
            amount: common::money("CNY 7.50")
        }
    );
    let reward = pct.explanation.reward.as_ref().unwrap();
    assert_eq!(reward.form_amount, Some(common::money("CNY 15.00")));
    assert_eq!(reward.cut_to_max_per_use, Some(common::money("CNY 7.50")));
    insta::assert_snapshot!(decision.to_string());
}

#[test]
fn reasons_are_the_words_tests_write() {
    for reason in Reason::ALL {
        assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        assert_eq!(
            serde_json::to_value(reason).unwrap(),
            serde_json::Value::String(reason.as_str().to_string())
        );
    }
    assert_eq!(Reason::parse("max_spend"), Some(Reason::MaxSpend));
    assert_eq!(Reason::parse("claims"), None);
    // The contract's order.
    let mut sorted = Reason::ALL;
    sorted.sort();
    assert_eq!(sorted, Reason::ALL);
}

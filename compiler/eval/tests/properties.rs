//! Properties of the evaluator over generated packages and payment
//! streams (`common/generate.rs`: small Camp sources made from templates,
//! compiled in-process, and streams of payments over a few users, devices
//! and ips around the windows, with replays).
//!
//! For every stream:
//! - no campaign pays more in total than its IR `max_exposure`, nor than
//!   its budget;
//! - no payment gets more than its amount, in all or from one campaign;
//!   no campaign pays more than the fund's `max_per_use`;
//! - a campaign pays its reward in full or nothing (never a part), at the
//!   currency's minor unit;
//! - every limit's bound holds, recounted here from the decisions;
//! - (v2) the campaigns of a pool pay together, per currency, never more
//!   than the pool's budget nor than the pool's exposure in the manifest;
//! - (v2) a claim campaign pays no more than its inventory × its largest
//!   single reward; it pays a user no more often than the user claimed
//!   coupons, and only payments with a user; claims stay within the
//!   inventory and `per_user`, and change no payment counter;
//! - a replay returns the first decision and changes no counter; the same
//!   id with other attributes is refused and changes no counter;
//! - the same package and stream give the same decisions.
//!
//! By default 512 generated streams (and 1,024 forms); with the
//! differential test's 1,000, a plain `cargo test` runs about 2,500 cases
//! in some seconds. `PROPTEST_CASES=20000 cargo test -p camp-eval --release
//! --test properties` runs a longer search.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::generate::{
    Event, Form, SCHEMA, cny, events, form, pooled_specs, source, spec, steps, stream,
};
use common::{dimension, on_schedule, period_start};

use std::collections::{BTreeMap, BTreeSet};

use camp_core::ir::types::{Campaign, LimitAmount, Manifest, Scope};
use camp_eval::{Decision, Evaluator, Outcome, Payment};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use rust_decimal::Decimal;

// ------------------------------------------------------------------ checks

fn zone(text: &str) -> TimeZone {
    match text {
        "+05:30" => TimeZone::fixed(jiff::tz::Offset::from_seconds(5 * 3_600 + 30 * 60).unwrap()),
        name => TimeZone::get(name).unwrap(),
    }
}

/// A limit's counter, recounted: campaign, limit index, dimension values,
/// period start.
type LimitKey = (String, usize, Vec<String>, Option<DateTime>);

/// Runs `payments` and checks every property but determinism; returns
/// the decisions.
/// What a decision pays, without explanations: whether it is a replay,
/// the total and each campaign considered's outcome; `None` if refused.
type Paid = Option<(bool, Decimal, Vec<(String, Outcome)>)>;

fn outcomes(decision: &Decision) -> Paid {
    decision.decided().map(|decided| {
        (
            decided.replay,
            decided.total.amount,
            decided
                .campaigns
                .iter()
                .map(|campaign| (campaign.campaign.as_str().to_string(), campaign.outcome))
                .collect(),
        )
    })
}

fn quick(evaluator: &mut Evaluator, payment: &Payment) -> Paid {
    evaluator.decide_outcome(payment).ok().map(|decided| {
        (
            decided.replay,
            decided.total.amount,
            decided
                .campaigns()
                .map(|(id, outcome)| (id.as_str().to_string(), outcome))
                .collect(),
        )
    })
}

/// (v2) Each pool's exposure in the manifest, by pool and currency code.
fn pool_exposures(manifest: &Manifest) -> BTreeMap<(String, String), Decimal> {
    manifest
        .package
        .pools
        .iter()
        .flat_map(|entry| {
            entry.max_exposure.as_slice().iter().map(|exposure| {
                (
                    (
                        entry.id.as_str().to_string(),
                        exposure.amount.currency.code().to_string(),
                    ),
                    exposure.amount.amount,
                )
            })
        })
        .collect()
}

fn check(
    campaigns: &BTreeMap<String, Campaign>,
    manifest: &Manifest,
    evaluator: &mut Evaluator,
    fast: &mut Evaluator,
    events: &[Event],
) -> Result<Vec<Decision>, TestCaseError> {
    // (v2) Coupons claimed and claim payments paid, by campaign and by
    // campaign and user.
    let mut claimed: BTreeMap<String, u64> = BTreeMap::new();
    let mut claimed_by: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut used: BTreeMap<String, u64> = BTreeMap::new();
    let mut used_by: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut first: BTreeMap<String, (Payment, Decision)> = BTreeMap::new();
    let mut paid: BTreeMap<String, Decimal> = BTreeMap::new();
    let exposures = pool_exposures(manifest);
    // (v2) What each pool's campaigns paid, by pool and currency code.
    let mut pools: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    let mut limits: BTreeMap<LimitKey, (u64, Decimal)> = BTreeMap::new();
    let mut decisions = Vec::new();
    for event in events {
        let payment = match event {
            Event::Pay(payment) => payment,
            Event::Claim(claim) => {
                let before = evaluator.counters();
                let decision = evaluator.claim(claim).unwrap();
                prop_assert_eq!(fast.claim(claim).unwrap(), decision.clone());
                let campaign = &campaigns[claim.campaign.as_str()];
                let block = campaign.claim.as_ref().unwrap();
                if let camp_eval::ClaimDecision::Claimed { coupon } = decision {
                    let all = claimed
                        .entry(claim.campaign.as_str().to_string())
                        .or_default();
                    *all += 1;
                    prop_assert!(*all <= block.inventory, "claims above the inventory");
                    let mine = claimed_by
                        .entry((claim.campaign.as_str().to_string(), claim.user.clone()))
                        .or_default();
                    *mine += 1;
                    prop_assert!(*mine <= block.per_user, "claims above per_user");
                    prop_assert!(
                        coupon.until <= campaign.window.end,
                        "a coupon past the window"
                    );
                    prop_assert!(
                        claim.instant >= block.window.start && claim.instant < block.window.end,
                        "claimed outside the claim window"
                    );
                }
                // A claim changes no payment counter.
                for (was, now) in before.iter().zip(evaluator.counters()) {
                    prop_assert_eq!(&was.limits, &now.limits);
                    prop_assert_eq!(was.spent, now.spent);
                    prop_assert_eq!(was.redemptions, now.redemptions);
                }
                continue;
            }
        };
        let before = evaluator.counters();
        let decision = evaluator.decide(payment);
        decisions.push(decision.clone());
        // The outcomes-only mode decides the same, by the same steps, and
        // leaves the same counters.
        let quick = quick(fast, payment);
        prop_assert_eq!(&quick, &outcomes(&decision), "{:?}", payment);
        prop_assert_eq!(fast.counters(), evaluator.counters());
        if let Some((original, earlier)) = first.get(&payment.id) {
            prop_assert_eq!(evaluator.counters(), before, "a replay changed a counter");
            if original == payment {
                let Decision::Decided(mut replayed) = decision.clone() else {
                    return Err(TestCaseError::fail("a replay was refused"));
                };
                prop_assert!(replayed.replay);
                replayed.replay = false;
                // A replay gives the first decision's outcomes and total
                // (in the compact form: without explanations).
                prop_assert_eq!(outcomes(&Decision::Decided(replayed)), outcomes(earlier));
            } else {
                prop_assert!(
                    matches!(decision, Decision::Refused(_)),
                    "a conflicting replay was decided"
                );
            }
            continue;
        }
        let Decision::Decided(decided) = &decision else {
            return Err(TestCaseError::fail(format!("refused: {decision}")));
        };
        first.insert(payment.id.clone(), (payment.clone(), decision.clone()));
        prop_assert!(!decided.replay);
        prop_assert!(
            decided.total.amount <= payment.amount.amount,
            "total above the payment: {}",
            decision
        );
        let mut sum = Decimal::ZERO;
        for outcome in decided.campaigns.iter() {
            let Outcome::Paid { amount } = outcome.outcome else {
                continue;
            };
            let campaign = &campaigns[outcome.campaign.as_str()];
            sum += amount.amount;
            prop_assert!(amount.amount > Decimal::ZERO);
            prop_assert!(amount.amount <= payment.amount.amount);
            prop_assert_eq!(
                amount.amount.normalize().scale().min(2),
                amount.amount.normalize().scale(),
                "finer than the minor unit"
            );
            for max in &campaign.fund.max_per_use {
                prop_assert!(max.currency != amount.currency || amount.amount <= max.amount);
            }
            // (v2) A campaign limited to merchant groups or instruments
            // pays only a payment in one of them.
            if let Scope::Only { ids } = &campaign.merchants {
                prop_assert!(
                    payment
                        .merchant_groups
                        .iter()
                        .any(|group| ids.as_slice().contains(group)),
                    "paid outside its merchant groups: {}",
                    decision
                );
            }
            if let Scope::Only { ids } = &campaign.instruments {
                prop_assert!(
                    payment
                        .card
                        .as_ref()
                        .is_some_and(|card| ids.as_slice().contains(&card.instrument)),
                    "paid outside its instruments: {}",
                    decision
                );
            }
            // (v2) A claim campaign pays a user with a coupon, each once:
            // never more often than coupons were claimed, and never more
            // than the inventory × the largest single reward.
            if let Some(block) = &campaign.claim {
                let user = payment.user.clone();
                prop_assert!(
                    user.is_some(),
                    "a claim campaign paid a payment without a user"
                );
                let id = outcome.campaign.as_str().to_string();
                let all = used.entry(id.clone()).or_default();
                *all += 1;
                prop_assert!(
                    *all <= claimed.get(&id).copied().unwrap_or(0),
                    "paid more often than coupons were claimed: {}",
                    decision
                );
                let mine = used_by
                    .entry((id.clone(), user.unwrap_or_default()))
                    .or_default();
                *mine += 1;
                let key = (id.clone(), payment.user.clone().unwrap_or_default());
                prop_assert!(
                    *mine <= claimed_by.get(&key).copied().unwrap_or(0),
                    "paid a user more often than they claimed: {}",
                    decision
                );
                let bound = Decimal::from(block.inventory)
                    * campaign.max_exposure.largest_single_reward.amount;
                let so_far = paid.get(&id).copied().unwrap_or_default() + amount.amount;
                prop_assert!(
                    so_far <= bound,
                    "above inventory × largest reward: {}",
                    decision
                );
            }
            // Paid in full: exactly the reward step 2 computed.
            let reward = outcome.explanation.reward.as_ref().unwrap();
            prop_assert_eq!(reward.amount, amount, "a partial reward");
            let total = paid
                .entry(outcome.campaign.as_str().to_string())
                .or_default();
            *total += amount.amount;
            prop_assert!(
                *total <= campaign.max_exposure.amount.amount,
                "above max_exposure: {}",
                decision
            );
            prop_assert!(*total <= campaign.budget.amount, "above the budget");
            if let Some(pool) = &campaign.pool {
                let key = (
                    pool.id.as_str().to_string(),
                    pool.budget.currency.code().to_string(),
                );
                let together = pools.entry(key.clone()).or_default();
                *together += amount.amount;
                prop_assert!(
                    *together <= pool.budget.amount,
                    "pool {:?} above its budget: {}",
                    key,
                    decision
                );
                let exposure = exposures.get(&key).copied();
                prop_assert!(
                    exposure.is_some(),
                    "no manifest exposure for pool {:?}",
                    key
                );
                prop_assert!(
                    exposure.is_some_and(|exposure| *together <= exposure),
                    "pool {:?} above its exposure: {}",
                    key,
                    decision
                );
            }
            let zone = zone(&campaign.window.zone);
            prop_assert!(
                on_schedule(campaign, &zone, payment.instant.0),
                "paid outside the schedule: {}",
                decision
            );
            for (index, limit) in campaign.limits.iter().enumerate() {
                let mut value = Vec::new();
                for dim in limit.dimension.iter().chain(&limit.more_dimensions) {
                    let one = dimension(payment, *dim);
                    prop_assert!(one.is_some(), "paid without the limit's {:?}", dim);
                    value.extend(one);
                }
                let start = limit
                    .period
                    .map(|period| period_start(&zone, payment.instant.0, period));
                let used = limits
                    .entry((outcome.campaign.as_str().to_string(), index, value, start))
                    .or_default();
                used.0 += 1;
                used.1 += amount.amount;
                match &limit.amount {
                    LimitAmount::Count { count } => {
                        prop_assert!(used.0 <= *count, "limit {} exceeded: {}", index, decision)
                    }
                    LimitAmount::Money { money } => prop_assert!(
                        used.1 <= money.amount,
                        "limit {} exceeded: {}",
                        index,
                        decision
                    ),
                }
            }
        }
        prop_assert_eq!(sum, decided.total.amount);
    }
    Ok(decisions)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn decisions_stay_within_every_bound(specs in proptest::collection::vec(spec(), 1..=3), steps in steps()) {
        let text = source(&specs);
        let (manifest, documents) = common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
            .map_err(|errors| TestCaseError::fail(format!("{errors}\n{text}")))?;
        let campaigns: BTreeMap<String, Campaign> = documents
            .iter()
            .map(|document| (document.campaign.id.as_str().to_string(), document.campaign.clone()))
            .collect();
        let events = events(&steps, &specs);
        let mut evaluator = Evaluator::new(&manifest, documents.clone()).unwrap();
        let mut fast = Evaluator::new(&manifest, documents.clone()).unwrap();
        let decisions = check(&campaigns, &manifest, &mut evaluator, &mut fast, &events)?;
        // The same campaigns and events: the same decisions.
        let mut again = Evaluator::new(&manifest, documents).unwrap();
        let mut repeated: Vec<Decision> = Vec::new();
        for event in &events {
            match event {
                Event::Pay(payment) => repeated.push(again.decide(payment)),
                Event::Claim(claim) => {
                    again.claim(claim).unwrap();
                }
            }
        }
        prop_assert_eq!(repeated, decisions);
        prop_assert_eq!(again.counters(), evaluator.counters());
    }

    /// (v2) Campaigns of one pool that stack: every bound, the pool's
    /// budget and exposure included, holds.
    #[test]
    fn campaigns_sharing_a_pool_stay_within_it(specs in pooled_specs(), steps in steps()) {
        let text = source(&specs);
        let (manifest, documents) = common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
            .map_err(|errors| TestCaseError::fail(format!("{errors}\n{text}")))?;
        let campaigns: BTreeMap<String, Campaign> = documents
            .iter()
            .map(|document| (document.campaign.id.as_str().to_string(), document.campaign.clone()))
            .collect();
        let events = events(&steps, &specs);
        let mut evaluator = Evaluator::new(&manifest, documents.clone()).unwrap();
        let mut fast = Evaluator::new(&manifest, documents).unwrap();
        check(&campaigns, &manifest, &mut evaluator, &mut fast, &events)?;
    }
}

/// The generator reaches what the properties are about: with the default
/// number of cases, streams pay, hit limits and budgets, stack and replay;
/// and payments fall outside every scope the index narrows by (scene,
/// category, region) and the segments.
#[test]
fn the_generator_reaches_every_reason() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut reasons = BTreeSet::new();
    let mut fields = Vec::new();
    let mut paid = 0;
    let mut refused = 0;
    // (v2) Campaigns of one pool stacking on one payment, the second left
    // out because the first took the pool's room.
    let mut pool_full_in_stacking = 0;
    // (v2) Claims refused, and claim campaigns that paid.
    let mut claims_refused = 0;
    let mut claims_paid = 0;
    for _ in 0..300 {
        let specs = proptest::collection::vec(spec(), 1..=3)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let steps = steps().new_tree(&mut runner).unwrap().current();
        let text = source(&specs);
        let (manifest, documents) =
            common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
                .unwrap_or_else(|errors| panic!("{errors}\n{text}"));
        let claiming: BTreeSet<String> = documents
            .iter()
            .filter(|document| document.campaign.claim.is_some())
            .map(|document| document.campaign.id.as_str().to_string())
            .collect();
        let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
        for event in events(&steps, &specs) {
            let payment = match event {
                Event::Pay(payment) => payment,
                Event::Claim(claim) => {
                    if matches!(
                        evaluator.claim(&claim).unwrap(),
                        camp_eval::ClaimDecision::Refused { .. }
                    ) {
                        claims_refused += 1;
                    }
                    continue;
                }
            };
            match evaluator.decide(&payment) {
                Decision::Decided(decided) => {
                    for outcome in decided.every_campaign() {
                        if outcome
                            .explanation
                            .stacking
                            .as_ref()
                            .is_some_and(|stacking| stacking.pool_full)
                        {
                            pool_full_in_stacking += 1;
                        }
                        if let Some(camp_eval::Mismatch::Scope { field, .. }) =
                            outcome.explanation.mismatch
                            && !fields.contains(&field)
                        {
                            fields.push(field);
                        }
                        match outcome.outcome {
                            Outcome::Paid { .. } => {
                                paid += 1;
                                if claiming.contains(outcome.campaign.as_str()) {
                                    claims_paid += 1;
                                }
                            }
                            Outcome::NoDiscount { reason } => {
                                reasons.insert(reason);
                            }
                        }
                    }
                }
                Decision::Refused(_) => refused += 1,
            }
        }
    }
    for _ in 0..100 {
        let specs = pooled_specs().new_tree(&mut runner).unwrap().current();
        let steps = steps().new_tree(&mut runner).unwrap().current();
        let text = source(&specs);
        let (manifest, documents) =
            common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
                .unwrap_or_else(|errors| panic!("{errors}\n{text}"));
        let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
        for payment in stream(&steps) {
            if let Decision::Decided(decided) = evaluator.decide(&payment) {
                pool_full_in_stacking += decided
                    .campaigns
                    .iter()
                    .filter(|outcome| {
                        outcome
                            .explanation
                            .stacking
                            .as_ref()
                            .is_some_and(|stacking| stacking.pool_full)
                    })
                    .count();
            }
        }
    }
    let missing: Vec<_> = camp_eval::Reason::ALL
        .into_iter()
        .filter(|reason| !reasons.contains(reason))
        .collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
    use camp_eval::ScopeField;
    // The fund's scenes and categories hold the campaign's when it
    // compiles (the generator has a fund with categories all the same).
    let scopes = [
        ScopeField::Scene,
        ScopeField::Category,
        ScopeField::Region,
        ScopeField::Segments,
    ];
    let missing: Vec<_> = scopes
        .into_iter()
        .filter(|field| !fields.contains(field))
        .collect();
    assert!(missing.is_empty(), "scopes never reached: {missing:?}");
    assert!(paid > 100, "only {paid} payments paid");
    assert!(refused > 0, "no conflicting replay");
    assert!(claims_refused > 0, "no claim refused");
    assert!(claims_paid > 0, "no claim campaign paid");
    assert!(
        pool_full_in_stacking > 0,
        "no campaign left out by its pool in stacking"
    );
}

// ------------------------------------------------------------------ forms

fn lang(cents: u32) -> camp_core::ir::types::Money {
    common::money(&cny(cents))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(1_024),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `camp-lang`'s `reward_for`: at the minor unit, never above the
    /// form's largest single reward; a random draw is `low + draw mod n`
    /// minor units; tiers pay the highest tier reached.
    #[test]
    fn a_form_pays_within_its_own_bounds(form in form(), payment in 1_u32..=100_000, draw in any::<u64>()) {
        use camp_core::ir::types::{NonEmpty, RewardForm, Tier};
        use camp_ir::lang::reward::FormReward;
        let ir = match &form {
            Form::Fixed(amount) => RewardForm::Fixed { amount: lang(*amount) },
            Form::Percent { percent, cap } => RewardForm::Percent {
                rate: camp_core::ir::types::Rate::from_fraction(Decimal::new(i64::from(*percent), 2)).unwrap(),
                cap: lang(*cap),
            },
            Form::Tiers { spend, reward } => RewardForm::Tiers {
                tiers: NonEmpty::new(vec![
                    Tier { spend: lang(spend.0), reward: lang(reward.0) },
                    Tier { spend: lang(spend.1), reward: lang(reward.1) },
                ]).unwrap(),
            },
            Form::Random { low, high } => RewardForm::Random { low: lang(*low), high: lang(*high) },
            Form::Every { step, reward, cap } => RewardForm::Every {
                step: lang(*step),
                reward: lang(*reward),
                cap: cap.map(lang),
            },
            Form::Price { price, cap } => RewardForm::Price { price: lang(*price), cap: cap.map(lang) },
        };
        let meaning = ir.meaning();
        // An uncapped `every` or `price` has no bound of its own (the fund's
        // `max_per_use`, or `max_spend`, gives one): the payment bounds it.
        let largest = meaning
            .largest_single(None)
            .map_or(lang(payment).amount, |largest| largest.amount);
        let amount = lang(payment).meaning();
        match meaning.reward_for(amount, draw).unwrap() {
            FormReward::Pays { amount: reward, .. } => {
                prop_assert!(reward.amount >= Decimal::ZERO);
                prop_assert!(reward.amount <= largest);
                prop_assert!(reward.amount.scale() <= 2);
                match &form {
                    Form::Fixed(fixed) => prop_assert_eq!(reward.amount, lang(*fixed).amount),
                    Form::Percent { percent, .. } => {
                        let exact = amount.amount * Decimal::new(i64::from(*percent), 2);
                        prop_assert!(reward.amount <= exact);
                        prop_assert!(reward.amount == largest || exact - reward.amount < Decimal::new(1, 2));
                    }
                    Form::Tiers { spend, reward: rewards } => {
                        let expected = if payment >= spend.1 { rewards.1 } else { rewards.0 };
                        prop_assert!(payment >= spend.0);
                        prop_assert_eq!(reward.amount, lang(expected).amount);
                    }
                    Form::Random { low, high } => {
                        let choices = u64::from(high - low) + 1;
                        let k = u32::try_from(draw % choices).unwrap();
                        prop_assert_eq!(reward.amount, lang(low + k).amount);
                    }
                    Form::Every { step, reward: each, cap } => {
                        let exact = (payment / step) * each;
                        prop_assert!(payment >= *step);
                        prop_assert_eq!(reward.amount, lang(cap.map_or(exact, |cap| exact.min(cap))).amount);
                    }
                    Form::Price { price, cap } => {
                        let exact = payment - price;
                        prop_assert!(payment > *price);
                        prop_assert_eq!(reward.amount, lang(cap.map_or(exact, |cap| exact.min(cap))).amount);
                    }
                }
            }
            FormReward::BelowStep { step } => {
                let Form::Every { step: written, .. } = &form else {
                    return Err(TestCaseError::fail("only every pays nothing below a step"));
                };
                prop_assert!(payment < *written);
                prop_assert_eq!(step.amount, lang(*written).amount);
            }
            FormReward::AtOrBelowPrice { price } => {
                let Form::Price { price: written, .. } = &form else {
                    return Err(TestCaseError::fail("only a price pays nothing at or below it"));
                };
                prop_assert!(payment <= *written);
                prop_assert_eq!(price.amount, lang(*written).amount);
            }
            FormReward::BelowLowestTier { lowest } => {
                let Form::Tiers { spend, .. } = &form else {
                    return Err(TestCaseError::fail("only tiers pay nothing"));
                };
                prop_assert!(payment < spend.0);
                prop_assert_eq!(lowest.amount, lang(spend.0).amount);
            }
        }
    }
}

//! Properties of the evaluator over generated packages and payment
//! streams: small Camp sources made from templates (random amounts, rates,
//! tiers, limits, budgets, windows in several zones, guards, rollouts,
//! stacking), compiled in-process, and streams of payments over a few
//! users, devices and ips around the windows, with replays.
//!
//! For every stream:
//! - no campaign pays more in total than its IR `max_exposure`, nor than
//!   its budget;
//! - no payment gets more than its amount, in all or from one campaign;
//!   no campaign pays more than the fund's `max_per_use`;
//! - a campaign pays its reward in full or nothing (never a part), at the
//!   currency's minor unit;
//! - every limit's bound holds, recounted here from the decisions;
//! - a replay returns the first decision and changes no counter; the same
//!   id with other attributes is refused and changes no counter;
//! - the same package and stream give the same decisions.
//!
//! `PROPTEST_CASES=20000 cargo test -p camp-eval --release --test
//! properties` runs a longer search.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use camp_core::ir::types::{Campaign, Dimension, LimitAmount, Period};
use camp_eval::{Decision, Evaluator, Outcome, Payment};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use rust_decimal::Decimal;

const SCHEMA: &str = include_str!("schema.camp");

// ------------------------------------------------------------------ packages

#[derive(Debug, Clone)]
enum Form {
    Fixed(u32),
    Percent {
        percent: u32,
        cap: u32,
    },
    Tiers {
        spend: (u32, u32),
        reward: (u32, u32),
    },
    Random {
        low: u32,
        high: u32,
    },
}

#[derive(Debug, Clone)]
struct Spec {
    form: Form,
    min_spend: Option<u32>,
    scenes: bool,
    categories: bool,
    zone: &'static str,
    days: u32,
    budget: u32,
    limits: Vec<usize>,
    guard: Option<usize>,
    rollout: Option<usize>,
    stacks: bool,
}

/// `CNY` and cents.
fn cny(cents: u32) -> String {
    format!("CNY {}.{:02}", cents / 100, cents % 100)
}

const ZONES: [&str; 4] = ["UTC", "Asia/Shanghai", "+05:30", "America/New_York"];

/// The limit lines a campaign may have (index into this list).
const LIMITS: [&str; 10] = [
    "limit: 2 per user",
    "limit: 3 per user per day",
    "limit: CNY 20.00 per user per week",
    "limit: 5 per hour",
    "limit: CNY 30.00 per day",
    "limit: 2 per device",
    "limit: 1 per ip per hour",
    "limit: 4 per merchant",
    "limit: 3 per region per day",
    "limit: CNY 12.34 per user per hour",
];

const GUARDS: [&str; 2] = [
    "guard: halt when spend > CNY 25.00 per 1min",
    "guard: halt when redemptions > 2 per 10s",
];

const ROLLOUTS: [&str; 2] = [
    "rollout {\n    stage segment qa_accounts for 2h\n    stage 40% for 6h\n    stage 100%\n  }",
    "rollout {\n    stage 25% for 1d\n    stage 100%\n  }",
];

/// Cents, at most the fund's `max_per_use` (CNY 50.00).
fn reward_cents() -> impl Strategy<Value = u32> {
    prop_oneof![1_u32..=5_000, Just(1_u32), Just(5_000_u32), 100_u32..=1_000]
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![
        reward_cents().prop_map(Form::Fixed),
        (1_u32..=100, reward_cents()).prop_map(|(percent, cap)| Form::Percent { percent, cap }),
        (reward_cents(), 1_u32..=5_000, 1_u32..=20_000, 1_u32..=5_000).prop_map(
            |(first_reward, first_gap, second_gap, second_reward)| {
                let first_spend = first_reward + first_gap;
                Form::Tiers {
                    spend: (first_spend, first_spend + second_gap),
                    reward: (
                        first_reward,
                        second_reward.min(first_spend + second_gap - 1),
                    ),
                }
            }
        ),
        (1_u32..=4_999, 1_u32..=5_000).prop_map(|(low, gap)| Form::Random {
            low,
            high: (low + gap).min(5_000).max(low + 1),
        }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        form(),
        proptest::option::weighted(0.4, 1_u32..=20_000),
        any::<bool>(),
        any::<bool>(),
        0..ZONES.len(),
        1_u32..=4,
        prop_oneof![100_u32..=50_000, 1_u32..=2_000],
        proptest::collection::btree_set(0..LIMITS.len(), 0..=3),
        proptest::option::weighted(0.3, 0..GUARDS.len()),
        proptest::option::weighted(0.3, 0..ROLLOUTS.len()),
        any::<bool>(),
    )
        .prop_map(
            |(
                form,
                min_spend,
                scenes,
                categories,
                zone,
                days,
                budget,
                limits,
                guard,
                rollout,
                stacks,
            )| Spec {
                form,
                min_spend,
                scenes,
                categories,
                zone: ZONES[zone],
                days,
                budget,
                limits: limits.into_iter().collect(),
                guard,
                rollout,
                stacks,
            },
        )
}

/// The package's campaigns, `c0`, `c1`, …: those with `stacks` set stack
/// with each other when there are at least two of them.
fn source(specs: &[Spec]) -> String {
    let stacking: Vec<String> = specs
        .iter()
        .enumerate()
        .filter(|(_, spec)| spec.stacks)
        .map(|(index, _)| format!("c{index}"))
        .collect();
    let mut text = String::new();
    for (index, spec) in specs.iter().enumerate() {
        let reward = match &spec.form {
            Form::Fixed(amount) => format!("{} off", cny(*amount)),
            Form::Percent { percent, cap } => format!("{percent}% off, cap {}", cny(*cap)),
            Form::Tiers { spend, reward } => format!(
                "tiers {{ spend {} => {} off; spend {} => {} off }}",
                cny(spend.0),
                cny(reward.0),
                cny(spend.1),
                cny(reward.1)
            ),
            Form::Random { low, high } => format!("random {} to {} off", cny(*low), cny(*high)),
        };
        let reward = match spec.min_spend {
            Some(min_spend) => format!("{reward}, min_spend {}", cny(min_spend)),
            None => reward,
        };
        writeln!(text, "campaign c{index} {{").unwrap();
        writeln!(
            text,
            "  title: \"generated\"\n  owner: \"props\"\n  fund: marketing"
        )
        .unwrap();
        if spec.scenes {
            writeln!(text, "  scenes: [merchant_purchase, online_purchase]").unwrap();
        } else {
            writeln!(text, "  scenes: [online_purchase]").unwrap();
        }
        if spec.categories {
            writeln!(text, "  categories: [groceries]").unwrap();
        }
        writeln!(
            text,
            "  window: 2025-03-08 00:00 to 2025-03-{:02} 00:00 {}",
            8 + spec.days,
            spec.zone
        )
        .unwrap();
        writeln!(text, "  reward: {reward}\n  budget: {}", cny(spec.budget)).unwrap();
        for limit in &spec.limits {
            writeln!(text, "  {}", LIMITS[*limit]).unwrap();
        }
        if let Some(guard) = spec.guard {
            writeln!(text, "  {}", GUARDS[guard]).unwrap();
        }
        if let Some(rollout) = spec.rollout {
            writeln!(text, "  {}", ROLLOUTS[rollout]).unwrap();
        }
        let me = format!("c{index}");
        let partners: Vec<&str> = stacking
            .iter()
            .filter(|other| **other != me)
            .map(String::as_str)
            .collect();
        if spec.stacks && !partners.is_empty() {
            writeln!(text, "  stacking: stacks_with [{}]", partners.join(", ")).unwrap();
        }
        writeln!(text, "}}\n").unwrap();
    }
    text
}

// ------------------------------------------------------------------ payments

#[derive(Debug, Clone)]
enum Step {
    Pay(PaySpec),
    /// Replays the payment `n` steps back (modulo), unchanged.
    Replay(usize),
    /// Replays it with another amount: a conflicting replay.
    Conflict(usize),
}

#[derive(Debug, Clone)]
struct PaySpec {
    cents: u32,
    /// Seconds after 2025-03-07T12:00:00Z.
    seconds: u32,
    online: bool,
    category: Option<bool>,
    region: Option<bool>,
    user: Option<u8>,
    device: Option<u8>,
    ip: Option<u8>,
    merchant: Option<u8>,
    segments: (bool, bool),
}

fn pay_spec() -> impl Strategy<Value = PaySpec> {
    (
        prop_oneof![1_u32..=30_000, 1_u32..=500, Just(5_000_u32)],
        0_u32..(6 * 86_400),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::weighted(0.9, 0_u8..4),
        proptest::option::weighted(0.8, 0_u8..3),
        proptest::option::weighted(0.8, 0_u8..2),
        proptest::option::weighted(0.8, 0_u8..2),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(cents, seconds, online, category, region, user, device, ip, merchant, segments)| {
                PaySpec {
                    cents,
                    seconds,
                    online,
                    category,
                    region,
                    user,
                    device,
                    ip,
                    merchant,
                    segments,
                }
            },
        )
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            8 => pay_spec().prop_map(Step::Pay),
            1 => (1_usize..10).prop_map(Step::Replay),
            1 => (1_usize..10).prop_map(Step::Conflict),
        ],
        1..80,
    )
    .prop_map(|mut steps| {
        // Time moves forward within a stream, with bursts at one instant.
        let mut seconds: Vec<u32> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Pay(pay) => Some(pay.seconds),
                Step::Replay(_) | Step::Conflict(_) => None,
            })
            .collect();
        seconds.sort_unstable();
        let mut sorted = seconds.into_iter();
        for step in &mut steps {
            if let Step::Pay(pay) = step {
                pay.seconds = sorted.next().unwrap();
            }
        }
        steps
    })
}

fn payment(number: usize, pay: &PaySpec) -> Payment {
    let instant = jiff::Timestamp::from_second(
        "2025-03-07T12:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
            + i64::from(pay.seconds),
    )
    .unwrap();
    let mut payment = Payment::new(
        format!("pay-{number}"),
        common::money(&cny(pay.cents)),
        camp_core::ir::types::Instant(instant),
        common::id(if pay.online {
            "online_purchase"
        } else {
            "merchant_purchase"
        }),
    );
    payment.category = pay.category.map(|groceries| {
        common::id(if groceries {
            "groceries"
        } else {
            "home_appliance"
        })
    });
    payment.region = pay
        .region
        .map(|shanghai| common::id(if shanghai { "shanghai" } else { "beijing" }));
    payment.user = pay.user.map(|user| format!("user{user}"));
    payment.device = pay.device.map(|device| format!("device{device}"));
    payment.ip = pay.ip.map(|ip| format!("10.0.0.{ip}"));
    payment.merchant = pay.merchant.map(|merchant| format!("merchant{merchant}"));
    if pay.segments.0 {
        payment.segments.insert(common::id("qa_accounts"));
    }
    if pay.segments.1 {
        payment.segments.insert(common::id("verified"));
    }
    payment
}

/// The payments of a stream, replays included.
fn stream(steps: &[Step]) -> Vec<Payment> {
    let mut payments: Vec<Payment> = Vec::new();
    for (number, step) in steps.iter().enumerate() {
        match step {
            Step::Pay(pay) => payments.push(payment(number, pay)),
            Step::Replay(back) | Step::Conflict(back) if !payments.is_empty() => {
                let mut replayed =
                    payments[payments.len() - 1 - (back - 1) % payments.len()].clone();
                if let Step::Conflict(_) = step {
                    replayed.amount.amount += Decimal::new(1, 2);
                }
                payments.push(replayed);
            }
            Step::Replay(_) | Step::Conflict(_) => {}
        }
    }
    payments
}

// ------------------------------------------------------------------ checks

fn zone(text: &str) -> TimeZone {
    match text {
        "+05:30" => TimeZone::fixed(jiff::tz::Offset::from_seconds(5 * 3_600 + 30 * 60).unwrap()),
        name => TimeZone::get(name).unwrap(),
    }
}

/// The calendar period start, recomputed here with jiff's own calendar
/// arithmetic.
fn period_start(zone: &TimeZone, at: jiff::Timestamp, period: Period) -> DateTime {
    let zoned = at.to_zoned(zone.clone());
    let date = zoned.date();
    match period {
        Period::Hour => date.at(zoned.hour(), 0, 0, 0),
        Period::Day => date.at(0, 0, 0, 0),
        Period::Week => {
            let mut day = date;
            while day.weekday() != jiff::civil::Weekday::Monday {
                day = day.yesterday().unwrap();
            }
            day.at(0, 0, 0, 0)
        }
    }
}

fn dimension(payment: &Payment, dimension: Dimension) -> Option<String> {
    match dimension {
        Dimension::User => payment.user.clone(),
        Dimension::Device => payment.device.clone(),
        Dimension::Ip => payment.ip.clone(),
        Dimension::Merchant => payment.merchant.clone(),
        Dimension::Region => payment.region.as_ref().map(|id| id.as_str().to_string()),
    }
}

/// A limit's counter, recounted: campaign, limit index, dimension value,
/// period start.
type LimitKey = (String, usize, Option<String>, Option<DateTime>);

/// Runs `payments` and checks every property but determinism; returns
/// the decisions.
fn check(
    campaigns: &BTreeMap<String, Campaign>,
    evaluator: &mut Evaluator,
    payments: &[Payment],
) -> Result<Vec<Decision>, TestCaseError> {
    let mut first: BTreeMap<String, (Payment, Decision)> = BTreeMap::new();
    let mut paid: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut limits: BTreeMap<LimitKey, (u64, Decimal)> = BTreeMap::new();
    let mut decisions = Vec::new();
    for payment in payments {
        let before = evaluator.counters();
        let decision = evaluator.decide(payment);
        decisions.push(decision.clone());
        if let Some((original, earlier)) = first.get(&payment.id) {
            prop_assert_eq!(evaluator.counters(), before, "a replay changed a counter");
            if original == payment {
                let Decision::Decided(mut replayed) = decision.clone() else {
                    return Err(TestCaseError::fail("a replay was refused"));
                };
                prop_assert!(replayed.replay);
                replayed.replay = false;
                prop_assert_eq!(&Decision::Decided(replayed), earlier);
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
        for outcome in &decided.campaigns {
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
            let zone = zone(&campaign.window.zone);
            for (index, limit) in campaign.limits.iter().enumerate() {
                let value = match limit.dimension {
                    None => None,
                    Some(dim) => {
                        let value = dimension(payment, dim);
                        prop_assert!(value.is_some(), "paid without the limit's {:?}", dim);
                        value
                    }
                };
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
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(256),
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
        let payments = stream(&steps);
        let mut evaluator = Evaluator::new(&manifest, documents.clone()).unwrap();
        let decisions = check(&campaigns, &mut evaluator, &payments)?;
        // The same campaigns and payments: the same decisions.
        let mut again = Evaluator::new(&manifest, documents).unwrap();
        let repeated: Vec<Decision> = payments.iter().map(|payment| again.decide(payment)).collect();
        prop_assert_eq!(repeated, decisions);
        prop_assert_eq!(again.counters(), evaluator.counters());
    }
}

/// The generator reaches what the properties are about: with the default
/// number of cases, streams pay, hit limits and budgets, stack and replay.
#[test]
fn the_generator_reaches_every_reason() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut reasons = BTreeSet::new();
    let mut paid = 0;
    let mut refused = 0;
    for _ in 0..200 {
        let specs = proptest::collection::vec(spec(), 1..=3)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let steps = steps().new_tree(&mut runner).unwrap().current();
        let text = source(&specs);
        let (manifest, documents) =
            common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
                .unwrap_or_else(|errors| panic!("{errors}\n{text}"));
        let mut evaluator = Evaluator::new(&manifest, documents).unwrap();
        for payment in stream(&steps) {
            match evaluator.decide(&payment) {
                Decision::Decided(decided) => {
                    for outcome in &decided.campaigns {
                        match outcome.outcome {
                            Outcome::Paid { .. } => paid += 1,
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
    let missing: Vec<_> = camp_eval::Reason::ALL
        .into_iter()
        .filter(|reason| {
            // Every generated campaign is in CNY, like every payment.
            *reason != camp_eval::Reason::Currency && !reasons.contains(reason)
        })
        .collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
    assert!(paid > 100, "only {paid} payments paid");
    assert!(refused > 0, "no conflicting replay");
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
        };
        let meaning = ir.meaning();
        let largest = meaning.largest_single().unwrap().amount;
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
                }
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

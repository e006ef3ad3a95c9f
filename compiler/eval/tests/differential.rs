//! The evaluator against a second one written here, deliberately simple:
//! no index, no trails, no caches; every payment goes over every campaign
//! in full, straight from the contract's decision procedure
//! (`docs/language.md`, "Meaning: how a payment is decided", for
//! the features the IR has), on the generated packages and payment streams
//! of the property tests (`common/generate.rs`). For every payment both
//! must agree: refused or not, replay or not, the total, and for every
//! campaign of the package what it paid or the first reason it paid
//! nothing (so the campaigns the index does not consider are named with
//! the reason this evaluator finds by evaluating them).
//!
//! The form's arithmetic (`reward_for`, camp-lang's) is shared: it is
//! tested on its own (`properties.rs`, `a_form_pays_within_its_own_bounds`).
//!
//! It runs 1,000 cases by default (a few seconds in a debug build); a
//! longer search:
//! `PROPTEST_CASES=50000 cargo test -p camp-eval --release --test differential`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // `count + 1 <= bound`: the contract's words (the counter with this
    // payment counted stays within the bound).
    clippy::int_plus_one
)]

mod common;

use std::collections::{BTreeMap, HashMap};

use camp_core::ir::types::{
    Campaign, CampaignDocument, GuardMetric, LimitAmount, RewardForm, Scope, Stacking, StageTarget,
};
use camp_eval::{Decision, Evaluator, Outcome, Payment, Reason};
use camp_ir::lang::reward::FormReward;
use common::generate::{Event, SCHEMA, Spec, Step, events, pooled_specs, source, spec, steps};
use common::{dimension, on_schedule, period_start};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// What the simple evaluator decides for one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Simple {
    Refused,
    Decided {
        replay: bool,
        total: Decimal,
        /// Campaign id → paid amount or reason, for every campaign.
        outcomes: BTreeMap<String, Outcome>,
    },
}

/// A limit counter: limit index, dimension values (none: the whole
/// campaign), period start.
type Key = (usize, Vec<String>, Option<DateTime>);

struct Simpleton {
    campaigns: Vec<Campaign>,
    spent: Vec<Decimal>,
    halted: Vec<bool>,
    /// Per campaign: what each limit counter holds (count, money).
    counters: Vec<HashMap<Key, (u64, Decimal)>>,
    /// Per campaign: every payment it paid, (instant, reward).
    paid: Vec<Vec<(Timestamp, Decimal)>>,
    decided: HashMap<String, (Payment, Simple)>,
    /// (v2) What each pool's campaigns paid, by pool id and currency code.
    pools: HashMap<(String, String), Decimal>,
    /// (v2) Per campaign: every coupon claimed, in claim order: the user,
    /// valid from, valid until, used.
    coupons: Vec<Vec<(String, Timestamp, Timestamp, bool)>>,
}

/// (v2) A campaign's pool counter: pool id and currency code, and the
/// pool's budget in that currency.
fn pool_of(campaign: &Campaign) -> Option<((String, String), Decimal)> {
    campaign.pool.as_ref().map(|pool| {
        (
            (
                pool.id.as_str().to_string(),
                pool.budget.currency.code().to_string(),
            ),
            pool.budget.amount,
        )
    })
}

fn first_u64(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().unwrap())
}

fn zone(text: &str) -> TimeZone {
    match text.strip_prefix('+') {
        Some(offset) => {
            let (hours, minutes) = offset.split_once(':').unwrap();
            let seconds =
                hours.parse::<i32>().unwrap() * 3_600 + minutes.parse::<i32>().unwrap() * 60;
            TimeZone::fixed(jiff::tz::Offset::from_seconds(seconds).unwrap())
        }
        None => TimeZone::get(text).unwrap(),
    }
}

fn in_scope(scope: &Scope, value: Option<&camp_core::ir::types::Id>) -> bool {
    match scope {
        Scope::Any => true,
        Scope::Only { ids } => value.is_some_and(|value| ids.as_slice().contains(value)),
    }
}

/// Step 1's scope: scene, category, region, segments, and the fund's.
fn in_campaign_scope(campaign: &Campaign, payment: &Payment) -> bool {
    campaign
        .scenes
        .as_slice()
        .iter()
        .any(|scene| scene.id == payment.scene)
        && campaign.fund.scenes.as_slice().contains(&payment.scene)
        && in_scope(&campaign.categories, payment.category.as_ref())
        && in_scope(&campaign.fund.categories, payment.category.as_ref())
        && in_scope(&campaign.regions, payment.region.as_ref())
        && match &campaign.segments {
            Scope::Any => true,
            Scope::Only { ids } => ids
                .as_slice()
                .iter()
                .any(|segment| payment.segments.contains(segment)),
        }
        && in_groups(&campaign.merchants, payment)
        && in_groups(&campaign.fund.merchants, payment)
        && in_scope(
            &campaign.instruments,
            payment.card.as_ref().map(|card| &card.instrument),
        )
}

/// (v2) One of the payment's merchant groups is listed.
fn in_groups(scope: &Scope, payment: &Payment) -> bool {
    match scope {
        Scope::Any => true,
        Scope::Only { ids } => ids
            .as_slice()
            .iter()
            .any(|group| payment.merchant_groups.contains(group)),
    }
}

/// A campaign's steps 1 to 3: the reward it would pay, the limit counters
/// it would count, and whether a guard trips.
struct Assessed {
    outcome: Result<Decimal, Reason>,
    keys: Vec<Option<Key>>,
    trips: bool,
}

impl Simpleton {
    fn new(documents: &[CampaignDocument]) -> Simpleton {
        let mut campaigns: Vec<Campaign> = documents
            .iter()
            .map(|document| document.campaign.clone())
            .collect();
        campaigns.sort_by(|a, b| a.id.cmp(&b.id));
        let n = campaigns.len();
        Simpleton {
            campaigns,
            spent: vec![Decimal::ZERO; n],
            halted: vec![false; n],
            counters: vec![HashMap::new(); n],
            paid: vec![Vec::new(); n],
            decided: HashMap::new(),
            pools: HashMap::new(),
            coupons: vec![Vec::new(); n],
        }
    }

    /// (v2) A claim, from the contract: inside the claim window, fewer than
    /// `per_user` coupons of the user's and fewer than `inventory` in all;
    /// valid from the claim for `valid_for`, never past the window's end.
    fn claim(&mut self, claim: &camp_eval::Claim) -> Result<(), &'static str> {
        let index = self
            .campaigns
            .iter()
            .position(|campaign| campaign.id == claim.campaign)
            .unwrap();
        let campaign = &self.campaigns[index];
        let block = campaign.claim.as_ref().unwrap();
        let at = claim.instant.0;
        if at < block.window.start.0 || at >= block.window.end.0 {
            return Err("window");
        }
        let mine = self.coupons[index]
            .iter()
            .filter(|(user, ..)| *user == claim.user)
            .count() as u64;
        if mine >= block.per_user {
            return Err("per_user");
        }
        if self.coupons[index].len() as u64 >= block.inventory {
            return Err("inventory");
        }
        let mut until = campaign.window.end.0;
        if let Some(seconds) = block.valid_for_seconds {
            until = until.min(at + jiff::SignedDuration::from_secs(seconds as i64));
        }
        self.coupons[index].push((claim.user.clone(), at, until, false));
        Ok(())
    }

    /// (v2) The coupon a payment of a claim campaign uses: the user's
    /// unused one valid at the instant that expires first (the first
    /// claimed of those that expire together).
    fn coupon(&self, index: usize, payment: &Payment) -> Option<usize> {
        let user = payment.user.as_ref()?;
        let at = payment.instant.0;
        let mut best: Option<usize> = None;
        for (place, (owner, from, until, used)) in self.coupons[index].iter().enumerate() {
            if owner != user || *used || at < *from || at >= *until {
                continue;
            }
            if best.is_none_or(|best| *until < self.coupons[index][best].2) {
                best = Some(place);
            }
        }
        best
    }

    fn assess(&self, index: usize, payment: &Payment) -> Assessed {
        let campaign = &self.campaigns[index];
        let no = |reason| Assessed {
            outcome: Err(reason),
            keys: Vec::new(),
            trips: false,
        };
        let amount = payment.amount.amount;
        if payment.amount.currency != campaign.currency.0 {
            return no(Reason::Currency);
        }
        if payment.instant < campaign.window.start || payment.instant >= campaign.window.end {
            return no(Reason::Window);
        }
        if !on_schedule(campaign, &zone(&campaign.window.zone), payment.instant.0) {
            return no(Reason::Schedule);
        }
        if !in_campaign_scope(campaign, payment) {
            return no(Reason::Scope);
        }
        if campaign
            .reward
            .min_spend
            .is_some_and(|min| amount < min.amount)
        {
            return no(Reason::MinSpend);
        }
        if campaign
            .reward
            .max_spend
            .is_some_and(|max| amount > max.amount)
        {
            return no(Reason::MaxSpend);
        }
        // Step 2: the form's amount, rounded down, at most A and the
        // fund's max_per_use.
        let draw = first_u64(&format!("{}/{}", campaign.id.as_str(), payment.id));
        // `every` and `price` are computed here from their definitions,
        // in minor units, apart from `camp-lang`'s arithmetic.
        let minor = |money: &camp_core::ir::types::Money| -> i128 {
            (money.amount * Decimal::ONE_HUNDRED)
                .trunc()
                .try_into()
                .unwrap()
        };
        let cents = |units: i128| Decimal::from_i128_with_scale(units, 2);
        let paid = minor(&payment.amount);
        let mut reward = match &campaign.reward.form {
            RewardForm::Every { step, reward, cap } => {
                let mut units = (paid / minor(step)) * minor(reward);
                if let Some(cap) = cap {
                    units = units.min(minor(cap));
                }
                cents(units)
            }
            RewardForm::Price { price, cap } => {
                let mut units = (paid - minor(price)).max(0);
                if let Some(cap) = cap {
                    units = units.min(minor(cap));
                }
                cents(units)
            }
            RewardForm::Fixed { .. }
            | RewardForm::Percent { .. }
            | RewardForm::Tiers { .. }
            | RewardForm::Random { .. } => match campaign
                .reward
                .form
                .meaning()
                .reward_for(payment.amount.meaning(), draw)
            {
                Some(FormReward::Pays { amount, .. }) => amount.amount,
                Some(
                    FormReward::BelowLowestTier { .. }
                    | FormReward::BelowStep { .. }
                    | FormReward::AtOrBelowPrice { .. },
                )
                | None => Decimal::ZERO,
            },
        };
        reward = reward.min(amount);
        for max in &campaign.fund.max_per_use {
            if max.currency == campaign.currency.0 {
                reward = reward.min(max.amount);
            }
        }
        if reward <= Decimal::ZERO {
            return no(Reason::Reward);
        }
        // The rollout stage live at the instant: stages follow each other
        // from the window's start; the last stays live.
        if let Some(stages) = &campaign.rollout {
            let stages = stages.as_slice();
            let mut start = campaign.window.start.0;
            let mut live = stages.last().unwrap();
            for stage in stages {
                match stage.duration_seconds {
                    Some(seconds) => {
                        let end = start + jiff::SignedDuration::from_secs(seconds as i64);
                        if payment.instant.0 < end {
                            live = stage;
                            break;
                        }
                        start = end;
                    }
                    None => {
                        live = stage;
                        break;
                    }
                }
            }
            let admitted = match &live.target {
                StageTarget::Segment { segment } => payment.segments.contains(segment),
                StageTarget::Percent { share } => payment.user.as_ref().is_some_and(|user| {
                    let bucket = first_u64(&format!("{}/{user}", campaign.id.as_str())) % 10_000;
                    Decimal::from(bucket) < share.fraction() * Decimal::from(10_000)
                }),
            };
            if !admitted {
                return no(Reason::Rollout);
            }
        }
        // (v2) A claim campaign: the user holds a valid unused coupon.
        if campaign.claim.is_some() && self.coupon(index, payment).is_none() {
            return no(Reason::Claim);
        }
        if self.halted[index] {
            return no(Reason::Guard);
        }
        // Step 3: guards over the trailing (T − d, T], this payment counted.
        let trips = campaign.guards.iter().any(|guard| {
            let from =
                payment.instant.0 - jiff::SignedDuration::from_secs(guard.per_seconds as i64);
            let trailing = self.paid[index]
                .iter()
                .filter(|(at, _)| *at > from && *at <= payment.instant.0);
            match &guard.metric {
                GuardMetric::Spend { above } => {
                    trailing.map(|(_, paid)| *paid).sum::<Decimal>() + reward > above.amount
                }
                GuardMetric::Redemptions { above } => trailing.count() as u64 + 1 > *above,
            }
        });
        if trips {
            return Assessed {
                outcome: Err(Reason::Guard),
                keys: Vec::new(),
                trips: true,
            };
        }
        let zone = zone(&campaign.window.zone);
        let mut keys = Vec::new();
        let mut fits = true;
        for (number, limit) in campaign.limits.iter().enumerate() {
            let dimensions: Vec<_> = limit
                .dimension
                .iter()
                .chain(&limit.more_dimensions)
                .collect();
            let values: Option<Vec<String>> =
                dimensions.iter().map(|d| dimension(payment, **d)).collect();
            let start = limit
                .period
                .map(|period| period_start(&zone, payment.instant.0, period));
            let key = values.map(|values| (number, values, start));
            let (count, money) = key
                .as_ref()
                .and_then(|key| self.counters[index].get(key))
                .copied()
                .unwrap_or_default();
            fits &= key.is_some()
                && match &limit.amount {
                    LimitAmount::Count { count: bound } => count + 1 <= *bound,
                    LimitAmount::Money { money: bound } => money + reward <= bound.amount,
                };
            keys.push(key);
        }
        if !fits {
            return no(Reason::Limit);
        }
        if self.spent[index] + reward > campaign.budget.amount {
            return no(Reason::Budget);
        }
        if let Some((key, budget)) = pool_of(campaign) {
            let spent = self.pools.get(&key).copied().unwrap_or_default();
            if spent + reward > budget {
                return no(Reason::Pool);
            }
        }
        Assessed {
            outcome: Ok(reward),
            keys,
            trips: false,
        }
    }

    fn combines(&self, a: usize, b: usize) -> bool {
        let lists = |x: usize, y: usize| match &self.campaigns[x].stacking {
            Stacking::Exclusive => false,
            Stacking::StacksWith { campaigns } => {
                campaigns.as_slice().contains(&self.campaigns[y].id)
            }
        };
        lists(a, b) && lists(b, a)
    }

    fn decide(&mut self, payment: &Payment) -> Simple {
        if let Some((first, decision)) = self.decided.get(&payment.id) {
            if first != payment {
                return Simple::Refused;
            }
            let Simple::Decided {
                total, outcomes, ..
            } = decision.clone()
            else {
                unreachable!("refusals are not recorded")
            };
            return Simple::Decided {
                replay: true,
                total,
                outcomes,
            };
        }
        if payment.amount.amount < Decimal::ZERO || payment.amount.amount.normalize().scale() > 2 {
            return Simple::Refused;
        }
        let assessed: Vec<Assessed> = (0..self.campaigns.len())
            .map(|index| self.assess(index, payment))
            .collect();
        // Step 4: the largest reward first, ties by id; then each that
        // combines with every one taken and keeps the total within A.
        let mut eligible: Vec<(usize, Decimal)> = assessed
            .iter()
            .enumerate()
            .filter_map(|(index, a)| a.outcome.ok().map(|reward| (index, reward)))
            .collect();
        eligible.sort_by(|(a, x), (b, y)| {
            y.cmp(x)
                .then(self.campaigns[*a].id.cmp(&self.campaigns[*b].id))
        });
        let mut taken: Vec<usize> = Vec::new();
        let mut total = Decimal::ZERO;
        let mut outcomes = BTreeMap::new();
        for (index, reward) in eligible {
            // (v2) The pool's room, less what the campaigns of the pool
            // taken before it for this payment take.
            let pool_full = pool_of(&self.campaigns[index]).is_some_and(|(key, budget)| {
                let before: Decimal = taken
                    .iter()
                    .filter(|other| {
                        pool_of(&self.campaigns[**other]).is_some_and(|(other, _)| other == key)
                    })
                    .map(|other| match outcomes[other] {
                        Outcome::Paid { amount } => amount.amount,
                        Outcome::NoDiscount { .. } => unreachable!(),
                    })
                    .sum();
                self.pools.get(&key).copied().unwrap_or_default() + before + reward > budget
            });
            let stacks = taken.iter().all(|other| self.combines(index, *other))
                && total + reward <= payment.amount.amount;
            if stacks && pool_full {
                outcomes.insert(
                    index,
                    Outcome::NoDiscount {
                        reason: Reason::Pool,
                    },
                );
            } else if stacks {
                taken.push(index);
                total += reward;
                outcomes.insert(
                    index,
                    Outcome::Paid {
                        amount: camp_core::ir::types::Money::new(reward, payment.amount.currency),
                    },
                );
            } else {
                outcomes.insert(
                    index,
                    Outcome::NoDiscount {
                        reason: Reason::Stacking,
                    },
                );
            }
        }
        for (index, a) in assessed.iter().enumerate() {
            if a.trips {
                self.halted[index] = true;
            }
            if let Err(reason) = a.outcome {
                outcomes.insert(index, Outcome::NoDiscount { reason });
            }
        }
        for index in taken {
            let reward = match outcomes[&index] {
                Outcome::Paid { amount } => amount.amount,
                Outcome::NoDiscount { .. } => unreachable!(),
            };
            self.spent[index] += reward;
            if let Some(place) = self.coupon(index, payment) {
                self.coupons[index][place].3 = true;
            }
            if let Some((key, _)) = pool_of(&self.campaigns[index]) {
                *self.pools.entry(key).or_default() += reward;
            }
            self.paid[index].push((payment.instant.0, reward));
            for key in assessed[index].keys.iter().flatten() {
                let used = self.counters[index].entry(key.clone()).or_default();
                used.0 += 1;
                used.1 += reward;
            }
        }
        let decision = Simple::Decided {
            replay: false,
            total,
            outcomes: outcomes
                .into_iter()
                .map(|(index, outcome)| (self.campaigns[index].id.as_str().to_string(), outcome))
                .collect(),
        };
        self.decided
            .insert(payment.id.clone(), (payment.clone(), decision.clone()));
        decision
    }
}

/// The reference evaluator's decision, in the simple one's terms.
fn simplified(decision: &Decision) -> Simple {
    match decision {
        Decision::Refused(_) => Simple::Refused,
        Decision::Decided(decided) => Simple::Decided {
            // A `back` campaign's credit only when it pays; the generated
            // ones credit points worth CNY 0.01 (HKD 0.01): amount × 100.
            replay: {
                for campaign in decided.every_campaign() {
                    if let Some(credit) = &campaign.credit {
                        let paid = campaign.outcome.paid().expect("a credit without a payment");
                        assert_eq!(
                            credit.points.map(Decimal::from),
                            Some((paid.amount * Decimal::ONE_HUNDRED).trunc())
                        );
                    }
                }
                decided.replay
            },
            total: decided.total.amount,
            outcomes: decided
                .every_campaign()
                .map(|campaign| (campaign.campaign.as_str().to_string(), campaign.outcome))
                .collect(),
        },
    }
}

/// The outcomes-only decision against the simple evaluator's: the same
/// refusal or replay and total, the same outcome for every campaign
/// considered, and every other campaign one the simple evaluator pays
/// nothing for a reason the index stands for (`currency`, `window`,
/// `schedule`, `scope`).
fn same_outcomes(
    evaluator: &mut Evaluator,
    payment: &Payment,
    expected: &Simple,
) -> Result<(), String> {
    let decided = match (evaluator.decide_outcome(payment), expected) {
        (Err(_), Simple::Refused) => return Ok(()),
        (
            Ok(decided),
            Simple::Decided {
                replay,
                total,
                outcomes,
            },
        ) => {
            if decided.replay != *replay || decided.total.amount != *total {
                return Err(format!("replay {} total {}", decided.replay, decided.total));
            }
            let considered: BTreeMap<String, Outcome> = decided
                .campaigns()
                .map(|(id, outcome)| (id.as_str().to_string(), outcome))
                .collect();
            for (id, outcome) in outcomes {
                match considered.get(id) {
                    Some(found) if found == outcome => {}
                    Some(found) => return Err(format!("`{id}`: {found:?}, expected {outcome:?}")),
                    None => {
                        if !matches!(
                            outcome,
                            Outcome::NoDiscount {
                                reason: Reason::Currency
                                    | Reason::Window
                                    | Reason::Schedule
                                    | Reason::Scope
                            }
                        ) {
                            return Err(format!("`{id}` not considered, expected {outcome:?}"));
                        }
                    }
                }
            }
            if considered.keys().any(|id| !outcomes.contains_key(id)) {
                return Err("a campaign the simple evaluator does not have".to_string());
            }
            return Ok(());
        }
        (Ok(decided), Simple::Refused) => format!("decided {}", decided.total),
        (Err(refusal), Simple::Decided { .. }) => format!("refused: {refusal}"),
    };
    Err(decided)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_evaluator_decides_as_the_simple_one(specs in proptest::collection::vec(spec(), 1..=4), steps in steps()) {
        agree(&specs, &steps)?;
    }

    /// (v2) Campaigns of one pool that stack, the case the general
    /// generator reaches seldom.
    #[test]
    fn the_evaluator_decides_pools_as_the_simple_one(specs in pooled_specs(), steps in steps()) {
        agree(&specs, &steps)?;
    }
}

/// Both evaluators, and the outcomes-only mode, decide the stream alike.
fn agree(specs: &[Spec], steps: &[Step]) -> Result<(), TestCaseError> {
    let text = source(specs);
    let (manifest, documents) =
        common::compile(&[("schema.camp", SCHEMA), ("generated.camp", &text)])
            .map_err(|errors| TestCaseError::fail(format!("{errors}\n{text}")))?;
    let mut simple = Simpleton::new(&documents);
    let mut evaluator = Evaluator::new(&manifest, documents.clone()).unwrap();
    // The outcomes-only mode, on the same stream.
    let mut fast = Evaluator::new(&manifest, documents).unwrap();
    for event in events(steps, specs) {
        let payment = match event {
            Event::Pay(payment) => payment,
            Event::Claim(claim) => {
                let decided = evaluator.claim(&claim).unwrap();
                let fast_decided = fast.claim(&claim).unwrap();
                prop_assert_eq!(&fast_decided, &decided);
                let got = match decided {
                    camp_eval::ClaimDecision::Claimed { .. } => Ok(()),
                    camp_eval::ClaimDecision::Refused { reason } => Err(reason.as_str()),
                };
                prop_assert_eq!(got, simple.claim(&claim), "{:?}\n{}", claim, text);
                continue;
            }
        };
        let decision = evaluator.decide(&payment);
        let expected = simple.decide(&payment);
        prop_assert_eq!(
            simplified(&decision),
            expected.clone(),
            "{:?}\n{}\n{}",
            payment,
            decision,
            text
        );
        if let Err(difference) = same_outcomes(&mut fast, &payment, &expected) {
            return Err(TestCaseError::fail(format!(
                "outcomes only: {difference}\n{payment:?}\n{text}"
            )));
        }
    }
    Ok(())
}

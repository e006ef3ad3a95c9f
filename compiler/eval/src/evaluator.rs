//! The decision procedure of `docs/language.md` ("Meaning: how a payment
//! is decided"), step by step, over the IR's campaigns and the counters
//! the payments decided so far have left.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use camp_ir::lang::reward::{FormReward, RewardForm as FormMeaning};
use camp_ir::types::{
    Campaign, CampaignDocument, CurrencyCode, Dimension, GuardMetric, Id, Instant, LimitAmount,
    LocalDateTime, Manifest, Money, Period, Scope, StageTarget,
};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::decision::{
    Arithmetic, CampaignDecision, Counter, CounterCheck, CounterKey, Decided, Decision,
    Explanation, GuardCheck, Halt, Mismatch, NotConsidered, Outcome, Quantity, Reason, Refusal,
    RewardExplanation, RolloutCheck, ScopeField, StackingCheck,
};
use crate::payment::Payment;

// One campaign's part of a decision: its checks, reward and counters.
mod live;

/// Why campaigns cannot be evaluated together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("campaign `{0}` is given twice")]
    DuplicateCampaign(String),
    #[error("campaign `{0}` is not in the package's manifest")]
    NotInManifest(String),
    #[error(
        "campaign `{id}` is not the document the manifest lists (sha256 `{found}`, the manifest lists `{listed}`)"
    )]
    StaleDocument {
        id: String,
        found: String,
        listed: String,
    },
    #[error("campaign `{id}`: window zone `{zone}` is not a known time zone")]
    UnknownZone { id: String, zone: String },
}

/// The reference evaluator: campaigns of one package and the state the
/// payments decided so far have left (limit, budget and guard counters,
/// halts, and every decision by payment id).
///
/// Deterministic: the same campaigns and the same payments in the same
/// order give the same decisions.
#[derive(Debug, Clone)]
pub struct Evaluator {
    /// Sorted by id.
    campaigns: Vec<Live>,
    /// What naming a campaign not considered needs, in the same order.
    catalog: Arc<Catalog>,
    /// The campaigns considered for a payment: by currency, then by scene
    /// (each campaign under every scene of its scope), positions in
    /// `campaigns` in ascending order.
    index: Vec<(CurrencyCode, HashMap<Id, Vec<usize>>)>,
    decided: HashMap<String, Seen>,
}

/// The evaluator's campaigns as the index sees them: enough to name a
/// campaign a payment's currency or scene rules out, and why.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Sorted by id.
    entries: Vec<Entry>,
}

#[derive(Debug)]
pub(crate) struct Entry {
    id: Id,
    currency: CurrencyCode,
    start: Instant,
    end: Instant,
    zone: TimeZone,
    scenes: Vec<Id>,
}

impl Catalog {
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = &Id> {
        self.entries.iter().map(|entry| &entry.id)
    }

    pub(crate) fn find(&self, id: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|entry| entry.id.as_str().cmp(id))
            .ok()
            .and_then(|found| self.entries.get(found))
    }
}

impl Entry {
    /// Whether a payment in `currency` at `scene` considers this campaign:
    /// the one rule the index follows.
    fn considers(&self, currency: CurrencyCode, scene: &Id) -> bool {
        self.currency == currency && self.scenes.contains(scene)
    }

    /// The decision for a campaign the payment does not consider: the
    /// first reason in the contract's order among `currency`, `window` and
    /// `scope` (the scene), as [`Live::assess`] gives it; `None` when the
    /// payment considers it.
    pub(crate) fn not_considered(
        &self,
        payment: CurrencyCode,
        scene: &Id,
        instant: Instant,
    ) -> Option<CampaignDecision> {
        if self.considers(payment, scene) {
            return None;
        }
        let (reason, mismatch) = if payment != self.currency {
            (
                Reason::Currency,
                Mismatch::Currency {
                    payment,
                    campaign: self.currency,
                },
            )
        } else if instant < self.start || instant >= self.end {
            (
                Reason::Window,
                Mismatch::Window {
                    instant,
                    local: LocalDateTime(self.zone.to_datetime(instant.0)),
                    start: self.start,
                    end: self.end,
                },
            )
        } else {
            (
                Reason::Scope,
                Mismatch::Scope {
                    field: ScopeField::Scene,
                    value: Some(scene.as_str().to_string()),
                },
            )
        };
        Some(CampaignDecision {
            campaign: self.id.clone(),
            outcome: Outcome::NoDiscount { reason },
            explanation: Explanation {
                mismatch: Some(mismatch),
                ..Explanation::default()
            },
        })
    }
}

#[derive(Debug, Clone)]
struct Seen {
    payment: Payment,
    decided: Decided,
}

#[derive(Debug, Clone)]
struct Live {
    campaign: Campaign,
    zone: TimeZone,
    form: FormMeaning,
    /// The fund's `max_per_use` in the campaign's currency.
    max_per_use: Option<Money>,
    /// When each rollout stage ends; `None`: it does not.
    stage_ends: Vec<Option<Timestamp>>,
    /// `stacks_with`; empty for an exclusive campaign.
    partners: BTreeSet<Id>,
    state: State,
}

/// A limit counter's key: the dimension's value (`None`: the whole
/// campaign) and the start of the calendar period (`None`: the window).
type Key = (Option<String>, Option<DateTime>);

#[derive(Debug, Clone, Default)]
struct State {
    spent: Decimal,
    redemptions: u64,
    /// One map per limit, in the campaign's order.
    limits: Vec<HashMap<Key, Used>>,
    /// One trail per guard, in the campaign's order.
    guards: Vec<Trail>,
    halted: Option<Halt>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Used {
    count: u64,
    money: Decimal,
}

impl Used {
    fn add(self, amount: Decimal) -> Option<Used> {
        Some(Used {
            count: self.count.checked_add(1)?,
            money: self.money.checked_add(amount)?,
        })
    }
}

/// What a campaign paid, by instant, over the trailing period of a guard.
#[derive(Debug, Clone, Default)]
struct Trail {
    events: BTreeMap<Timestamp, Used>,
}

impl Trail {
    /// What was paid within `(at − seconds, at]`.
    fn within(&self, at: Timestamp, seconds: u64) -> Used {
        let from = i64::try_from(seconds)
            .ok()
            .and_then(|seconds| at.checked_sub(SignedDuration::from_secs(seconds)).ok())
            .map_or(Bound::Unbounded, Bound::Excluded);
        self.events
            .range((from, Bound::Included(at)))
            .fold(Used::default(), |total, (_, used)| Used {
                count: total.count.saturating_add(used.count),
                money: total.money.checked_add(used.money).unwrap_or(Decimal::MAX),
            })
    }

    /// Counts a payment at `at`, and forgets what no trailing period
    /// ending at the latest payment reaches any more.
    fn record(&mut self, at: Timestamp, amount: Decimal, seconds: u64) {
        let entry = self.events.entry(at).or_default();
        *entry = entry.add(amount).unwrap_or(Used {
            count: u64::MAX,
            money: Decimal::MAX,
        });
        let latest = self.events.keys().next_back().copied().unwrap_or(at);
        let keep_from = i64::try_from(seconds).ok().and_then(|seconds| {
            latest
                .checked_sub(SignedDuration::from_secs(seconds))
                .and_then(|start| start.checked_add(SignedDuration::from_nanos(1)))
                .ok()
        });
        if let Some(keep_from) = keep_from {
            self.events = self.events.split_off(&keep_from);
        }
    }
}

/// A campaign's assessment for one payment, before stacking.
struct Draft {
    /// `Ok(reward)`: payable if stacking takes it.
    outcome: Result<Money, Reason>,
    explanation: Explanation,
    /// Each limit's counter key, when the payment has one.
    keys: Vec<Option<Key>>,
    /// The guard this payment would exceed.
    trips: Option<usize>,
}

impl Draft {
    fn no(reason: Reason, explanation: Explanation) -> Draft {
        Draft {
            outcome: Err(reason),
            explanation,
            keys: Vec::new(),
            trips: None,
        }
    }
}

/// A limit counter in [`Counters`]: the dimension's value (`None`: the
/// whole campaign) and the period's start (`None`: the window).
pub type CounterId = (Option<String>, Option<LocalDateTime>);

/// A campaign's counters, for inspection (tests, `campc explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counters {
    pub campaign: Id,
    /// What the campaign has paid in all.
    pub spent: Money,
    pub redemptions: u64,
    /// Per limit: `(dimension value, period start)` → `(count, amount)`.
    pub limits: Vec<BTreeMap<CounterId, (u64, Decimal)>>,
    /// Per guard: what is kept of its trail, by instant.
    pub guards: Vec<Vec<(String, u64, Decimal)>>,
    pub halted: Option<Halt>,
}

impl Evaluator {
    /// An evaluator over `campaigns`, documents of the package `package`
    /// describes (all of them or some: a test of one campaign evaluates
    /// that campaign alone), with no payment decided yet.
    pub fn new(
        package: &Manifest,
        campaigns: Vec<CampaignDocument>,
    ) -> Result<Evaluator, EvalError> {
        let listed: HashMap<&str, &str> = package
            .package
            .campaigns
            .iter()
            .map(|entry| (entry.id.as_str(), entry.sha256.as_str()))
            .collect();
        let mut documents = campaigns;
        documents.sort_by(|a, b| a.campaign.id.cmp(&b.campaign.id));
        let mut live: Vec<Live> = Vec::with_capacity(documents.len());
        for document in documents {
            let id = document.campaign.id.as_str().to_string();
            if live
                .last()
                .is_some_and(|previous| previous.campaign.id == document.campaign.id)
            {
                return Err(EvalError::DuplicateCampaign(id));
            }
            match listed.get(id.as_str()) {
                None => return Err(EvalError::NotInManifest(id)),
                Some(listed) if *listed != document.sha256 => {
                    return Err(EvalError::StaleDocument {
                        id,
                        found: document.sha256,
                        listed: (*listed).to_string(),
                    });
                }
                Some(_) => {}
            }
            live.push(Live::new(document.campaign)?);
        }
        let entries: Vec<Entry> = live
            .iter()
            .map(|live| Entry {
                id: live.campaign.id.clone(),
                currency: live.campaign.currency,
                start: live.campaign.window.start,
                end: live.campaign.window.end,
                zone: live.zone.clone(),
                scenes: live
                    .campaign
                    .scenes
                    .as_slice()
                    .iter()
                    .map(|scene| scene.id.clone())
                    .collect(),
            })
            .collect();
        let mut index: Vec<(CurrencyCode, HashMap<Id, Vec<usize>>)> = Vec::new();
        for (position, entry) in entries.iter().enumerate() {
            let scenes = match index
                .iter()
                .position(|(currency, _)| *currency == entry.currency)
            {
                Some(found) => index.get_mut(found).map(|(_, scenes)| scenes),
                None => {
                    index.push((entry.currency, HashMap::new()));
                    index.last_mut().map(|(_, scenes)| scenes)
                }
            };
            let Some(scenes) = scenes else { continue };
            for scene in &entry.scenes {
                let positions = scenes.entry(scene.clone()).or_default();
                if positions.last() != Some(&position) {
                    positions.push(position);
                }
            }
        }
        Ok(Evaluator {
            campaigns: live,
            catalog: Arc::new(Catalog { entries }),
            index,
            decided: HashMap::new(),
        })
    }

    /// The campaigns evaluated, in id order.
    pub fn campaigns(&self) -> impl Iterator<Item = &Campaign> {
        self.campaigns.iter().map(|live| &live.campaign)
    }

    /// Decides `payment` and counts what it is paid.
    ///
    /// A payment id already decided returns the first decision (marked as a
    /// replay) and changes nothing; the same id with other attributes is
    /// refused as a conflicting replay, and so is nothing counted.
    pub fn decide(&mut self, payment: &Payment) -> Decision {
        if let Some(seen) = self.decided.get(&payment.id) {
            if seen.payment == *payment {
                let mut decided = seen.decided.clone();
                decided.replay = true;
                return Decision::Decided(decided);
            }
            return Decision::Refused(Refusal::ConflictingReplay {
                payment: payment.id.clone(),
            });
        }
        if !payment.amount_is_valid() {
            return Decision::Refused(Refusal::InvalidAmount {
                payment: payment.id.clone(),
                amount: format!(
                    "{} {}",
                    payment.amount.currency.code(),
                    payment.amount.amount
                ),
            });
        }

        let currency = payment.amount.currency;
        let considered: &[usize] = self
            .index
            .iter()
            .find(|(code, _)| code.0 == currency)
            .and_then(|(_, scenes)| scenes.get(&payment.scene))
            .map_or(&[], Vec::as_slice);
        let mut drafts: Vec<Draft> = considered
            .iter()
            .filter_map(|position| self.campaigns.get(*position))
            .map(|live| live.assess(payment))
            .collect();
        stack(&self.campaigns, considered, payment, &mut drafts);

        let mut total = Decimal::ZERO;
        let mut campaigns = Vec::with_capacity(drafts.len());
        for (position, draft) in considered.iter().zip(drafts) {
            let Some(live) = self.campaigns.get_mut(*position) else {
                continue;
            };
            if let Ok(reward) = draft.outcome {
                live.commit(payment, reward.amount, &draft.keys);
                // Rewards that stacking admitted add up to at most the
                // payment, so this cannot overflow.
                total = total.checked_add(reward.amount).unwrap_or(total);
            }
            if let Some(guard) = draft.trips {
                live.state.halted = Some(Halt {
                    payment: payment.id.clone(),
                    instant: payment.instant,
                    guard,
                });
            }
            campaigns.push(CampaignDecision {
                campaign: live.campaign.id.clone(),
                outcome: match draft.outcome {
                    Ok(amount) => Outcome::Paid { amount },
                    Err(reason) => Outcome::NoDiscount { reason },
                },
                explanation: draft.explanation,
            });
        }
        let decided = Decided {
            payment: payment.id.clone(),
            amount: payment.amount,
            replay: false,
            total: Money::new(total, currency),
            campaigns: campaigns.into(),
            others: NotConsidered {
                catalog: Arc::clone(&self.catalog),
                scene: payment.scene.clone(),
                instant: payment.instant,
            },
        };
        self.decided.insert(
            payment.id.clone(),
            Seen {
                payment: payment.clone(),
                decided: decided.clone(),
            },
        );
        Decision::Decided(decided)
    }

    /// Every campaign's counters, in id order.
    pub fn counters(&self) -> Vec<Counters> {
        self.campaigns.iter().map(Live::counters).collect()
    }
}

/// Step 4: the largest reward first (ties: the id first in byte order),
/// then, in the same order, each campaign that combines with every one
/// taken and keeps the total within the payment. `drafts` are those of the
/// campaigns at `considered` (positions in `campaigns`, ascending).
fn stack(campaigns: &[Live], considered: &[usize], payment: &Payment, drafts: &mut [Draft]) {
    let live_of = |draft: usize| {
        considered
            .get(draft)
            .and_then(|position| campaigns.get(*position))
    };
    let mut order: Vec<(usize, Money)> = drafts
        .iter()
        .enumerate()
        .filter_map(|(index, draft)| draft.outcome.ok().map(|reward| (index, reward)))
        .collect();
    // Campaigns are sorted by id, so a stable sort on the reward keeps
    // ties in id order.
    order.sort_by_key(|(_, reward)| std::cmp::Reverse(reward.amount));
    let mut taken: Vec<usize> = Vec::new();
    let mut total = Decimal::ZERO;
    for (position, (index, reward)) in order.into_iter().enumerate() {
        let Some(live) = live_of(index) else {
            continue;
        };
        let not_combined_with: Vec<Id> = taken
            .iter()
            .filter_map(|other| live_of(*other))
            .filter(|other| !live.combines_with(other))
            .map(|other| other.campaign.id.clone())
            .collect();
        let sum = total.checked_add(reward.amount);
        let above_payment = sum.is_none_or(|sum| sum > payment.amount.amount);
        let check = StackingCheck {
            position,
            after: taken
                .iter()
                .filter_map(|other| live_of(*other))
                .map(|other| other.campaign.id.clone())
                .collect(),
            total_before: Money::new(total, payment.amount.currency),
            not_combined_with,
            above_payment,
        };
        let Some(draft) = drafts.get_mut(index) else {
            continue;
        };
        match sum {
            Some(sum) if !above_payment && check.not_combined_with.is_empty() => {
                taken.push(index);
                total = sum;
            }
            Some(_) | None => draft.outcome = Err(Reason::Stacking),
        }
        draft.explanation.stacking = Some(check);
    }
}

/// Rollout buckets: `0..10_000`, a hundredth of a percent each.
const BUCKETS: u64 = 10_000;

/// The first 8 bytes of `sha256(text)`, big-endian.
fn first_u64(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut bytes = [0_u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    u64::from_be_bytes(bytes)
}

/// The first scope the payment falls outside: the campaign's scenes,
/// categories, regions and segments, and the fund's scenes and categories.
fn scope_mismatch(campaign: &Campaign, payment: &Payment) -> Option<(ScopeField, Option<String>)> {
    let scene = Some(payment.scene.as_str().to_string());
    if !campaign
        .scenes
        .as_slice()
        .iter()
        .any(|allowed| allowed.id == payment.scene)
    {
        return Some((ScopeField::Scene, scene));
    }
    if !campaign.fund.scenes.as_slice().contains(&payment.scene) {
        return Some((ScopeField::FundScene, scene));
    }
    let name = |id: &Option<Id>| id.as_ref().map(|id| id.as_str().to_string());
    if !in_scope(&campaign.categories, payment.category.as_ref()) {
        return Some((ScopeField::Category, name(&payment.category)));
    }
    if !in_scope(&campaign.fund.categories, payment.category.as_ref()) {
        return Some((ScopeField::FundCategory, name(&payment.category)));
    }
    if !in_scope(&campaign.regions, payment.region.as_ref()) {
        return Some((ScopeField::Region, name(&payment.region)));
    }
    match &campaign.segments {
        Scope::Any => None,
        Scope::Only { ids } => {
            if ids
                .as_slice()
                .iter()
                .any(|segment| payment.segments.contains(segment))
            {
                None
            } else if payment.segments.is_empty() {
                Some((ScopeField::Segments, None))
            } else {
                let names: Vec<&str> = payment.segments.iter().map(Id::as_str).collect();
                Some((ScopeField::Segments, Some(names.join(", "))))
            }
        }
    }
}

/// `Any` matches every payment, with or without the attribute; `Only`
/// matches a payment whose value is listed.
fn in_scope(scope: &Scope, value: Option<&Id>) -> bool {
    match scope {
        Scope::Any => true,
        Scope::Only { ids } => value.is_some_and(|value| ids.as_slice().contains(value)),
    }
}

fn dimension_value(payment: &Payment, dimension: Dimension) -> Option<String> {
    match dimension {
        Dimension::User => payment.user.clone(),
        Dimension::Device => payment.device.clone(),
        Dimension::Ip => payment.ip.clone(),
        Dimension::Merchant => payment.merchant.clone(),
        Dimension::Region => payment.region.as_ref().map(|id| id.as_str().to_string()),
    }
}

/// The start of the calendar period holding `at`, in the window's zone:
/// the hour at `:00`, the day at midnight, the week on Monday at midnight.
fn period_start(zone: &TimeZone, at: Timestamp, period: Period) -> DateTime {
    let local = zone.to_datetime(at);
    let date = local.date();
    let midnight = date.to_datetime(jiff::civil::Time::midnight());
    match period {
        Period::Hour => jiff::civil::Time::new(local.hour(), 0, 0, 0)
            .map(|time| date.to_datetime(time))
            .unwrap_or(local),
        Period::Day => midnight,
        Period::Week => {
            let back = i64::from(date.weekday().to_monday_zero_offset());
            date.checked_sub(SignedDuration::from_hours(24 * back))
                .map(|monday| monday.to_datetime(jiff::civil::Time::midnight()))
                .unwrap_or(midnight)
        }
    }
}

/// A window's zone as the IR writes it: an IANA name, `UTC`, or a fixed
/// offset such as `+08:00`.
fn zone(text: &str) -> Option<TimeZone> {
    if let Some(rest) = text.strip_prefix(['+', '-']) {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = rest.split_once(':')?;
        let hours: i32 = hours.parse().ok()?;
        let minutes: i32 = minutes.parse().ok()?;
        if !(0..=14).contains(&hours) || !(0..60).contains(&minutes) {
            return None;
        }
        let offset = jiff::tz::Offset::from_seconds(sign * (hours * 3_600 + minutes * 60)).ok()?;
        return Some(TimeZone::fixed(offset));
    }
    jiff::tz::db().get(text).ok()
}

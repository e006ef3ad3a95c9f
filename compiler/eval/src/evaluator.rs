//! The decision procedure of `docs/language.md` ("Meaning: how a payment
//! is decided"), step by step, over the IR's campaigns and the counters
//! the payments decided so far have left.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;
use std::sync::Arc;

use camp_ir::lang::reward::{FormReward, RewardForm as FormMeaning};
use camp_ir::types::{
    Campaign, CampaignDocument, CurrencyCode, Day, Dimension, GuardMetric, Id, Instant,
    LimitAmount, LocalDateTime, Manifest, Money, Period, Scope, StageTarget,
};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::decision::{
    Arithmetic, CampaignDecision, Counter, CounterCheck, CounterKey, Credited, Decided, Decision,
    Explanation, GuardCheck, Halt, Mismatch, NotConsidered, Outcome, Quantity, Reason, Refusal,
    RewardExplanation, RolloutCheck, ScopeField, StackingCheck,
};
use crate::payment::Payment;

// One campaign's part of a decision: its checks, reward and counters.
mod claims;
mod counters;
mod fast;
mod index;
mod live;
mod pools;
mod replays;
mod scope;
mod stacking;
mod walk;

pub use claims::{Claim, ClaimDecision, ClaimError, ClaimRefusal};
pub use pools::PoolCounter;

use index::Index;
pub(crate) use index::{NamedPayment, NamedScope};

use scope::scope_value;
use stacking::stack;

/// The evaluator's hash maps: a fast hash (each map seeded at random; no
/// output depends on a map's order).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

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
    #[error(
        "campaign `{id}` gives pool `{pool}` a budget of `{found}`, another campaign gives it `{first}`"
    )]
    PoolBudgets {
        id: String,
        pool: String,
        found: String,
        first: String,
    },
}

/// The reference evaluator: campaigns of one package and the state the
/// payments decided so far have left (limit, budget and guard counters,
/// halts, and every payment id's outcomes).
///
/// Deterministic: the same campaigns and the same payments in the same
/// order give the same decisions.
#[derive(Debug, Clone)]
pub struct Evaluator {
    /// Sorted by id.
    campaigns: Vec<Live>,
    /// What naming a campaign not considered needs, in the same order.
    catalog: Arc<Catalog>,
    /// The campaigns considered for a payment: by currency, scene,
    /// category and region (see [`Index`]).
    index: Index,
    /// Every payment id decided, in the compact form its replays need.
    decided: replays::Replays,
    /// Buffers each decision reuses.
    scratch: Scratch,
    /// Every scope name of the campaigns, numbered.
    symbols: Symbols,
    /// Every value a limit has counted, numbered.
    values: Values,
    /// How many distinct window zones the campaigns have.
    zones: usize,
    /// (v2) One counter per pool and currency the campaigns draw from.
    pools: Vec<PoolCounter>,
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
    schedule: Option<camp_ir::types::Schedule>,
    scope: NamedScope,
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
    /// Whether a payment in `currency` with `attributes` considers this
    /// campaign: the one rule the index follows.
    fn considers(&self, currency: CurrencyCode, attributes: NamedPayment<'_>) -> bool {
        self.currency == currency && self.scope.indexed(attributes)
    }

    /// The decision for a campaign the payment does not consider: the
    /// first reason in the contract's order among `currency`, `window`,
    /// `schedule` and `scope` (the first scope field the payment falls
    /// outside), as [`Live::assess`] gives it; `None` when the payment
    /// considers it.
    pub(crate) fn not_considered(
        &self,
        payment: CurrencyCode,
        attributes: NamedPayment<'_>,
        instant: Instant,
    ) -> Option<CampaignDecision> {
        if self.considers(payment, attributes) {
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
        } else if !on_schedule(self.schedule.as_ref(), self.zone.to_datetime(instant.0)) {
            (
                Reason::Schedule,
                Mismatch::Schedule {
                    local: LocalDateTime(self.zone.to_datetime(instant.0)),
                },
            )
        } else {
            // Not indexed: the scene, category or region is outside.
            let field = self.scope.mismatch(attributes).unwrap_or(ScopeField::Scene);
            (
                Reason::Scope,
                Mismatch::Scope {
                    field,
                    value: scope::named_value(field, attributes),
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
            credit: None,
        })
    }
}

/// Every attribute of a payment but its id, appended to `into` so that two
/// payments have the same bytes exactly when they are equal (the amount by
/// value, the segments as a set): each text with its length, each absent
/// attribute marked, numbers as varints.
fn encode(payment: &Payment, into: &mut Vec<u8>) {
    fn text(into: &mut Vec<u8>, text: Option<&str>) {
        match text {
            None => into.push(0),
            Some(text) => {
                into.push(1);
                replays::write_varint(into, text.len() as u128);
                into.extend_from_slice(text.as_bytes());
            }
        }
    }
    replays::write_decimal(into, payment.amount.amount.normalize());
    // Three letters.
    into.extend_from_slice(payment.amount.currency.code().as_bytes());
    let zigzag = |value: i64| ((value << 1) ^ (value >> 63)) as u64;
    replays::write_varint(into, u128::from(zigzag(payment.instant.0.as_second())));
    replays::write_varint(
        into,
        u128::from(zigzag(i64::from(payment.instant.0.subsec_nanosecond()))),
    );
    text(into, Some(payment.scene.as_str()));
    text(into, payment.category.as_ref().map(Id::as_str));
    text(into, payment.region.as_ref().map(Id::as_str));
    text(into, payment.merchant.as_deref());
    text(into, payment.user.as_deref());
    text(into, payment.device.as_deref());
    text(into, payment.ip.as_deref());
    replays::write_varint(into, payment.segments.len() as u128);
    for segment in &payment.segments {
        text(into, Some(segment.as_str()));
    }
    // (v2) The merchant groups and the card.
    replays::write_varint(into, payment.merchant_groups.len() as u128);
    for group in &payment.merchant_groups {
        text(into, Some(group.as_str()));
    }
    text(
        into,
        payment.card.as_ref().map(|card| card.instrument.as_str()),
    );
    text(into, payment.card.as_ref().map(|card| card.id.as_str()));
}

/// Buffers a decision reuses, so that deciding a payment allocates nothing
/// in proportion to the campaigns it considers.
#[derive(Debug, Clone, Default)]
struct Scratch {
    drafts: Vec<Draft>,
    /// When explaining: one per draft.
    explanations: Vec<Explanation>,
    /// The stacking order: draft index and reward.
    order: Vec<(usize, Money)>,
    /// The drafts stacking took.
    taken: Vec<usize>,
    /// The stacking order's rewards in minor units, to sort by.
    keys: Vec<u128>,
    /// The stacking order before sorting.
    unsorted: Vec<(usize, Money)>,
    /// Without explanations, the rewards stacking has yet to decide: draft
    /// index, reward, and the reward in minor units.
    left: Vec<(usize, Money, u64)>,
    /// What `assess` is given when not explaining (never written).
    unused: Explanation,
    /// The decision's outcomes, one per campaign considered.
    outcomes: Vec<Outcome>,
    /// The payment's scope names as numbers.
    scope: PaymentScope,
    /// (v2) What stacking has taken so far from each pool: pool slot and
    /// amount.
    pool_taken: Vec<(usize, Decimal)>,
    /// The campaigns the payment considers, ascending (the index's).
    considered: Vec<usize>,
    /// The replay record being built.
    codes: Vec<u8>,
    /// The payment's encoding (to record, or to compare with the
    /// record's).
    encoded: Vec<u8>,
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
    /// `stacks_with`, as positions among the evaluator's campaigns
    /// (ascending); empty for an exclusive campaign.
    partners: Vec<usize>,
    /// The scope, as numbers of the evaluator's [`Symbols`].
    scope: CompiledScope,
    /// The window's zone among the evaluator's distinct zones (for the
    /// payment's local time, computed once per zone and payment).
    zone_slot: usize,
    state: State,
    /// (v2) Its pool's counter among the evaluator's pools.
    pool: Option<usize>,
    /// `min_spend` in minor units of the campaign's currency, when it is
    /// a whole number of them (to compare with the payment's as integers).
    min_spend_minor: Option<u64>,
    /// For each limit by a dimension (or several), the slot of its
    /// dimensions among the evaluator's [`Values::dimensions`].
    /// (`None` for a limit of the whole campaign).
    value_slots: Vec<Option<usize>>,
    /// The number of its first limit among all the campaigns' limits (the
    /// others follow), which keys their counters in [`Values::counters`].
    limit_base: u32,
    /// The hot path's integer shortcuts (see [`fast`]).
    fast: fast::Fast,
}

/// The scope names of every campaign, numbered at load, so that a
/// payment's scene, category, region and segments are looked up once per
/// payment and compared as numbers per campaign.
#[derive(Debug, Clone, Default)]
struct Symbols {
    numbers: HashMap<Id, u32>,
}

/// The values limits count by (a user, a device, …), numbered as they are
/// first counted, so that a limit's counters are keyed by a number and
/// each value is kept once, not once per campaign and limit.
#[derive(Debug, Clone, Default)]
struct Values {
    /// The dimensions the campaigns' limits count by: one, or (v2)
    /// several, counted as one key.
    dimensions: Vec<Vec<Dimension>>,
    numbers: HashMap<Box<str>, u32>,
    /// By number.
    names: Vec<Box<str>>,
    /// By number: the value's counter of every limit that counted it,
    /// keyed by the limit's number among all the campaigns' limits
    /// ([`Live::limit_base`]) and the period's number, ascending. Kept with
    /// the value, so that one payment's checks read one short list per
    /// value (not one hash map per campaign and limit), and the memory
    /// grows with the counters alone.
    counters: Vec<Vec<(u64, Used)>>,
}

/// A campaign's scope as numbers (`None`: any), ascending.
#[derive(Debug, Clone, Default)]
struct CompiledScope {
    scenes: Vec<u32>,
    fund_scenes: Vec<u32>,
    categories: Option<Vec<u32>>,
    fund_categories: Option<Vec<u32>>,
    regions: Option<Vec<u32>>,
    segments: Option<Vec<u32>>,
    merchants: Option<Vec<u32>>,
    fund_merchants: Option<Vec<u32>>,
    instruments: Option<Vec<u32>>,
    /// Whether it restricts a field the index does not narrow by (the
    /// segments, and v2 the merchant groups and instrument): otherwise a
    /// campaign the index considers is within its whole scope.
    unindexed: bool,
}

/// A payment's scope names as numbers (`None`: it has none, or no
/// campaign names it).
#[derive(Debug, Clone, Default)]
struct PaymentScope {
    scene: Option<u32>,
    category: Option<u32>,
    region: Option<u32>,
    /// Ascending.
    segments: Vec<u32>,
    /// Ascending.
    merchant_groups: Vec<u32>,
    instrument: Option<u32>,
    /// The payment's instant in each of the evaluator's zones, once asked.
    locals: Vec<Option<DateTime>>,
    /// The start of each calendar period holding the payment's instant
    /// and its number, once asked: by zone slot, then by period (four to a
    /// zone, [`scope::period_place`]).
    periods: Vec<Option<(DateTime, u32)>>,
    /// The payment's value for each dimension limits count by. By slot of
    /// [`Values::dimensions`].
    values: Vec<ValueSlot>,
    /// The payment's amount in minor units of its currency.
    minor: Option<u64>,
}

#[derive(Debug, Clone, Default)]
struct State {
    spent: Decimal,
    redemptions: u64,
    /// One set of counters per limit, in the campaign's order.
    limits: Vec<LimitCounters>,
    /// One trail per guard, in the campaign's order.
    guards: Vec<Trail>,
    halted: Option<Halt>,
    /// `spent` in minor units of the campaign's currency, while it is a
    /// whole number of them.
    spent_minor: Option<u64>,
    /// (v2) A claim campaign's claims and coupons.
    coupons: claims::Coupons,
}

/// The counters of a limit of the whole campaign (no dimension): by the
/// calendar period's number ([`counters::period_code`]; [`WINDOW`]: the
/// window), ascending. A limit by a dimension keeps its counters with the
/// value's ([`Values::counters`]).
#[derive(Debug, Clone, Default)]
struct LimitCounters {
    campaign: Vec<(u32, Used)>,
}

/// The period number of a limit without a period: the whole window.
const WINDOW: u32 = u32::MAX;

/// A payment's value for the dimensions limits count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueSlot {
    /// The payment has none: a limit by it cannot count the payment.
    Missing,
    /// No limit has counted it yet: every counter of it is at zero.
    New,
    /// Its number in [`Values`].
    Known(u32),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Used {
    count: u64,
    money: Decimal,
}

/// What a campaign paid, by instant, over the trailing period of a guard.
#[derive(Debug, Clone, Default)]
struct Trail {
    events: BTreeMap<Timestamp, Used>,
}

/// A campaign's assessment for one payment, before stacking.
#[derive(Debug, Clone, Copy)]
struct Draft {
    /// `Ok(reward)`: payable if stacking takes it.
    outcome: Result<Money, Reason>,
    /// The guard this payment would exceed.
    trips: Option<usize>,
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
    /// (v2) The coupons claimed in all (a claim campaign's).
    pub coupons_claimed: u64,
}

/// A decision without explanations ([`Evaluator::decide_outcome`]): what
/// each campaign considered paid or the first reason it paid nothing, and
/// the total, borrowed from the evaluator until its next decision.
#[derive(Debug, Clone, Copy)]
pub struct Outcomes<'a> {
    /// `true` when this is the first decision of the id, returned again.
    pub replay: bool,
    /// What the payment gets off in all.
    pub total: Money,
    campaigns: &'a [Live],
    considered: &'a [usize],
    outcomes: &'a [Outcome],
}

impl<'a> Outcomes<'a> {
    /// The campaigns considered (the index's, as in [`Decided::campaigns`]),
    /// in id order, with their outcomes.
    pub fn campaigns(&self) -> impl Iterator<Item = (&'a Id, Outcome)> + use<'a> {
        let campaigns = self.campaigns;
        self.considered
            .iter()
            .zip(self.outcomes)
            .filter_map(move |(position, outcome)| {
                campaigns
                    .get(*position)
                    .map(|live| (&live.campaign.id, *outcome))
            })
    }

    /// The campaigns that paid, with what they paid, in id order.
    pub fn paid(&self) -> impl Iterator<Item = (&'a Id, Money)> + use<'a> {
        self.campaigns()
            .filter_map(|(id, outcome)| outcome.paid().map(|amount| (id, amount)))
    }
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
        let pools = pools::pool_counters(&mut live)?;
        let mut symbols = Symbols::default();
        let mut values = Values::default();
        for campaign in &mut live {
            let mut slots = Vec::with_capacity(campaign.campaign.limits.len());
            for limit in &campaign.campaign.limits {
                if limit.dimension.is_none() {
                    slots.push(None);
                    continue;
                }
                let slot = match values
                    .dimensions
                    .iter()
                    .position(|dimensions| dimensions.iter().copied().eq(limit.dimensions()))
                {
                    Some(slot) => slot,
                    None => {
                        values.dimensions.push(limit.dimensions().collect());
                        values.dimensions.len() - 1
                    }
                };
                slots.push(Some(slot));
            }
            campaign.value_slots = slots;
        }
        let mut next_limit: u32 = 0;
        for campaign in &mut live {
            campaign.limit_base = next_limit;
            next_limit = next_limit
                .saturating_add(u32::try_from(campaign.campaign.limits.len()).unwrap_or(u32::MAX));
        }
        let mut zones: HashMap<String, usize> = HashMap::default();
        for campaign in &mut live {
            campaign.scope = CompiledScope::new(&campaign.campaign, &mut symbols);
            let next = zones.len();
            campaign.zone_slot = *zones
                .entry(campaign.campaign.window.zone.clone())
                .or_insert(next);
        }
        // `stacks_with` as positions: a partner the evaluator does not
        // have is never paid beside it, so it is left out.
        let positions: HashMap<Id, usize> = live
            .iter()
            .enumerate()
            .map(|(position, live)| (live.campaign.id.clone(), position))
            .collect();
        for campaign in &mut live {
            campaign.partners = match &campaign.campaign.stacking {
                camp_ir::types::Stacking::Exclusive => Vec::new(),
                camp_ir::types::Stacking::StacksWith { campaigns } => {
                    let mut partners: Vec<usize> = campaigns
                        .as_slice()
                        .iter()
                        .filter_map(|id| positions.get(id).copied())
                        .collect();
                    partners.sort_unstable();
                    partners.dedup();
                    partners
                }
            };
        }
        let entries: Vec<Entry> = live
            .iter()
            .map(|live| Entry {
                id: live.campaign.id.clone(),
                currency: live.campaign.currency,
                start: live.campaign.window.start,
                end: live.campaign.window.end,
                zone: live.zone.clone(),
                schedule: live.campaign.schedule.clone(),
                scope: NamedScope::new(&live.campaign),
            })
            .collect();
        let index = Index::new(&live);
        Ok(Evaluator {
            campaigns: live,
            catalog: Arc::new(Catalog { entries }),
            index,
            decided: replays::Replays::default(),
            symbols,
            values,
            zones: zones.len(),
            scratch: Scratch::default(),
            pools,
        })
    }

    /// The campaigns evaluated, in id order.
    pub fn campaigns(&self) -> impl Iterator<Item = &Campaign> {
        self.campaigns.iter().map(|live| &live.campaign)
    }

    /// Decides `payment` and counts what it is paid, with each campaign's
    /// checks and arithmetic (for `campc test`, `campc explain`, the
    /// editor).
    ///
    /// A payment id already decided returns the first decision (marked as a
    /// replay, its campaigns' outcomes without explanations) and changes
    /// nothing; the same id with other attributes is refused as a
    /// conflicting replay, and so is nothing counted.
    pub fn decide(&mut self, payment: &Payment) -> Decision {
        let (replay, total) = match self.run::<true>(payment) {
            Ok(ran) => ran,
            Err(refusal) => return Decision::Refused(refusal),
        };
        let considered = &self.scratch.considered;
        let mut explanations = self.scratch.explanations.drain(..);
        let campaigns: Vec<CampaignDecision> =
            considered
                .iter()
                .zip(&self.scratch.outcomes)
                .filter_map(|(position, outcome)| {
                    let explanation = if replay {
                        Explanation::default()
                    } else {
                        explanations.next().unwrap_or_default()
                    };
                    self.campaigns.get(*position).map(|live| CampaignDecision {
                        campaign: live.campaign.id.clone(),
                        outcome: *outcome,
                        explanation,
                        credit: live.campaign.reward.credit.as_ref().and_then(|credit| {
                            Credited::of(credit, outcome.paid()?, payment.instant)
                        }),
                    })
                })
                .collect();
        drop(explanations);
        Decision::Decided(Decided {
            payment: payment.id.clone(),
            amount: payment.amount,
            replay,
            total,
            campaigns: campaigns.into(),
            others: NotConsidered {
                catalog: Arc::clone(&self.catalog),
                scene: payment.scene.clone(),
                instant: payment.instant,
                category: payment.category.clone(),
                region: payment.region.clone(),
                segments: payment.segments.clone(),
                who: if payment.merchant_groups.is_empty() && payment.card.is_none() {
                    None
                } else {
                    Some(Box::new((
                        payment.merchant_groups.clone(),
                        payment.card.as_ref().map(|card| card.instrument.clone()),
                    )))
                },
            },
        })
    }

    /// Decides `payment` as [`Evaluator::decide`] does, by the same steps,
    /// and counts what it is paid, without explaining: the outcomes only,
    /// for a runtime and the benchmarks.
    pub fn decide_outcome(&mut self, payment: &Payment) -> Result<Outcomes<'_>, Refusal> {
        let (replay, total) = self.run::<false>(payment)?;
        Ok(Outcomes {
            replay,
            total,
            campaigns: &self.campaigns,
            considered: &self.scratch.considered,
            outcomes: &self.scratch.outcomes,
        })
    }

    /// The one decision procedure of both modes: leaves the outcomes of
    /// the campaigns considered in `scratch.outcomes` (and, with
    /// `EXPLAIN` and not a replay, their explanations in
    /// `scratch.explanations`), and gives whether it is a replay and the
    /// total.
    fn run<const EXPLAIN: bool>(&mut self, payment: &Payment) -> Result<(bool, Money), Refusal> {
        let currency = payment.amount.currency;
        let scratch = &mut self.scratch;
        scratch.outcomes.clear();
        scratch.explanations.clear();
        scratch.considered.clear();
        if let Some(seen) = self.decided.get(payment.id.as_str()) {
            scratch.encoded.clear();
            encode(payment, &mut scratch.encoded);
            if seen.payment != scratch.encoded.as_slice() {
                return Err(Refusal::ConflictingReplay {
                    payment: payment.id.clone(),
                });
            }
            // The same payment: the index gives the same campaigns.
            scratch.scope.fill(&self.symbols, self.zones, payment);
            self.index.considered(
                CurrencyCode(currency),
                &scratch.scope,
                &mut scratch.considered,
            );
            scratch
                .outcomes
                .extend(seen.outcomes(payment.amount).take(scratch.considered.len()));
            return Ok((true, Money::new(seen.total, currency)));
        }
        if !payment.amount_is_valid() {
            return Err(Refusal::InvalidAmount {
                payment: payment.id.clone(),
                amount: format!(
                    "{} {}",
                    payment.amount.currency.code(),
                    payment.amount.amount
                ),
            });
        }

        scratch.scope.fill(&self.symbols, self.zones, payment);
        scratch.scope.fill_values(&self.values, payment);
        self.index.considered(
            CurrencyCode(currency),
            &scratch.scope,
            &mut scratch.considered,
        );
        // Taken out for the decision, so that `stack` can borrow the rest
        // of the scratch; put back at the end.
        let considered = std::mem::take(&mut scratch.considered);
        scratch.drafts.clear();
        for position in &considered {
            let Some(live) = self.campaigns.get(*position) else {
                continue;
            };
            if EXPLAIN {
                let mut explanation = Explanation::default();
                scratch.drafts.push(live.assess::<true>(
                    payment,
                    &mut scratch.scope,
                    &self.values,
                    &mut explanation,
                ));
                scratch.explanations.push(explanation);
            } else {
                scratch.drafts.push(live.assess::<false>(
                    payment,
                    &mut scratch.scope,
                    &self.values,
                    &mut scratch.unused,
                ));
            }
        }
        pools::check::<EXPLAIN>(&self.campaigns, &self.pools, &considered, scratch);
        stack::<EXPLAIN>(&self.campaigns, &self.pools, &considered, payment, scratch);

        let mut total = Decimal::ZERO;
        // The payment's values are numbered before the first campaign
        // counts it.
        let mut numbered = false;
        for (position, draft) in considered.iter().zip(&scratch.drafts) {
            let Some(live) = self.campaigns.get_mut(*position) else {
                continue;
            };
            if let Ok(reward) = draft.outcome {
                if !numbered {
                    scratch.scope.number_values(&mut self.values, payment);
                    numbered = true;
                }
                live.commit(payment, &mut scratch.scope, &mut self.values, reward.amount);
                if let Some(pool) = live.pool.and_then(|slot| self.pools.get_mut(slot)) {
                    pool.add(reward.amount);
                }
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
            let outcome = match draft.outcome {
                Ok(amount) => Outcome::Paid { amount },
                Err(reason) => Outcome::NoDiscount { reason },
            };
            scratch.outcomes.push(outcome);
        }
        scratch.considered = considered;
        scratch.encoded.clear();
        encode(payment, &mut scratch.encoded);
        self.decided.insert(
            payment.id.as_str(),
            &scratch.encoded,
            total,
            &scratch.outcomes,
            &mut scratch.codes,
        );
        Ok((false, Money::new(total, currency)))
    }

    /// Every campaign's counters, in id order.
    pub fn counters(&self) -> Vec<Counters> {
        // The counters by value, gathered by limit.
        let mut of_values: HashMap<u32, Vec<(u32, u32, Used)>> = HashMap::default();
        for (value, counters) in self.values.counters.iter().enumerate() {
            let value = u32::try_from(value).unwrap_or(u32::MAX);
            for (key, used) in counters {
                let (limit, period) = counters::split_key(*key);
                of_values
                    .entry(limit)
                    .or_default()
                    .push((value, period, *used));
            }
        }
        self.campaigns
            .iter()
            .map(|live| live.counters(&self.values, &of_values))
            .collect()
    }

    /// (v2) Every pool's counter (pool and currency, its budget and what
    /// its campaigns have paid), sorted by pool id then currency.
    pub fn pool_counters(&self) -> &[PoolCounter] {
        &self.pools
    }
}

/// Rollout buckets: `0..10_000`, a hundredth of a percent each.
const BUCKETS: u64 = 10_000;

/// The first 8 bytes of `sha256(parts joined by "/")`, big-endian.
fn first_u64(parts: &[&str]) -> u64 {
    let mut hasher = Sha256::new();
    for (place, part) in parts.iter().enumerate() {
        if place > 0 {
            hasher.update(b"/");
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0_u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    u64::from_be_bytes(bytes)
}

/// The payment's value for a limit by a dimension (or several: their key,
/// [`composite_key`]); `None` when it lacks one.
fn limit_value<'p>(limit: &camp_ir::types::Limit, payment: &'p Payment) -> Option<Cow<'p, str>> {
    match limit.dimension {
        Some(dimension) if limit.more_dimensions.is_empty() => {
            dimension_value(payment, dimension).map(Cow::Borrowed)
        }
        Some(_) => composite_key(limit.dimensions(), payment).map(Cow::Owned),
        None => None,
    }
}

fn dimension_value(payment: &Payment, dimension: Dimension) -> Option<&str> {
    match dimension {
        Dimension::User => payment.user.as_deref(),
        Dimension::Device => payment.device.as_deref(),
        Dimension::Ip => payment.ip.as_deref(),
        Dimension::Merchant => payment.merchant.as_deref(),
        Dimension::Region => payment.region.as_ref().map(Id::as_str),
        Dimension::Card => payment.card.as_ref().map(|card| card.id.as_str()),
        Dimension::Category => payment.category.as_ref().map(Id::as_str),
    }
}

/// Whether a local date and time (in the window's zone) is on the
/// schedule: always, without one.
fn on_schedule(schedule: Option<&camp_ir::types::Schedule>, local: DateTime) -> bool {
    let Some(schedule) = schedule else {
        return true;
    };
    let minute =
        u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(u16::MAX);
    Day::from_monday_offset(local.weekday().to_monday_zero_offset())
        .is_some_and(|day| schedule.admits(day, minute))
}

/// The payment's value for a limit by `dimensions`: the one dimension's
/// value, or several's key ([`composite_key`]); `None` when it lacks one.
fn key_value<'p>(dimensions: &[Dimension], payment: &'p Payment) -> Option<Cow<'p, str>> {
    match dimensions {
        [dimension] => dimension_value(payment, *dimension).map(Cow::Borrowed),
        _ => composite_key(dimensions.iter().copied(), payment).map(Cow::Owned),
    }
}

/// The counter key of a limit by several dimensions: the payment's values
/// in the limit's order, quoted and escaped as in JSON
/// (`["alice","home_appliance"]`), so no two combinations share a key
/// whatever the values hold. `None` when the payment lacks one of them.
fn composite_key(dimensions: impl Iterator<Item = Dimension>, payment: &Payment) -> Option<String> {
    let mut key = String::from("[");
    for (place, dimension) in dimensions.enumerate() {
        let value = dimension_value(payment, dimension)?;
        if place > 0 {
            key.push(',');
        }
        key.push('"');
        for character in value.chars() {
            if matches!(character, '"' | '\\') {
                key.push('\\');
            }
            key.push(character);
        }
        key.push('"');
    }
    key.push(']');
    Some(key)
}

/// The start of the calendar period holding `local` (an instant in the
/// window's zone): the hour at `:00`, the day at midnight, the week on
/// Monday at midnight, the month on the 1st at midnight.
fn period_start(local: DateTime, period: Period) -> DateTime {
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
        Period::Month => date
            .first_of_month()
            .to_datetime(jiff::civil::Time::midnight()),
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

//! The decision procedure of `docs/language.md` ("Meaning: how a payment
//! is decided"), step by step, over the IR's campaigns and the counters
//! the payments decided so far have left.

use std::collections::BTreeMap;
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
    /// The campaigns considered for a payment: by currency, then by scene
    /// (each campaign under every scene of its scope), positions in
    /// `campaigns` in ascending order.
    index: Vec<(CurrencyCode, HashMap<Id, Vec<usize>>)>,
    /// Every payment id decided, in the compact form its replays need.
    decided: HashMap<String, Seen>,
    /// Buffers each decision reuses.
    scratch: Scratch,
    /// Every scope name of the campaigns, numbered.
    symbols: Symbols,
    /// How many distinct window zones the campaigns have.
    zones: usize,
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

/// What the evaluator keeps of a decided payment id, for its replays: the
/// payment (to tell a replay from a conflicting one) and the outcomes, in
/// the compact form (no explanation). The campaigns considered are the
/// index's for the payment, so they are not kept either.
#[derive(Debug, Clone)]
struct Seen {
    payment: Payment,
    total: Decimal,
    /// Per campaign considered, in id order: `0` when it paid, otherwise
    /// `1 +` the reason's place in [`Reason::ALL`].
    codes: Box<[u8]>,
    /// What the campaigns that paid paid, in id order.
    paid: Box<[Decimal]>,
}

fn code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Paid { .. } => 0,
        Outcome::NoDiscount { reason } => Reason::ALL
            .iter()
            .position(|known| *known == reason)
            .and_then(|place| u8::try_from(place + 1).ok())
            .unwrap_or(u8::MAX),
    }
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
    /// The decision's outcomes, one per campaign considered.
    outcomes: Vec<Outcome>,
    /// The payment's scope names as numbers.
    scope: PaymentScope,
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
}

/// The scope names of every campaign, numbered at load, so that a
/// payment's scene, category, region and segments are looked up once per
/// payment and compared as numbers per campaign.
#[derive(Debug, Clone, Default)]
struct Symbols {
    numbers: HashMap<Id, u32>,
}

impl Symbols {
    fn number(&mut self, id: &Id) -> u32 {
        let next = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
        *self.numbers.entry(id.clone()).or_insert(next)
    }

    fn numbers<'a>(&mut self, ids: impl IntoIterator<Item = &'a Id>) -> Vec<u32> {
        let mut numbers: Vec<u32> = ids.into_iter().map(|id| self.number(id)).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    fn scope(&mut self, scope: &Scope) -> Option<Vec<u32>> {
        match scope {
            Scope::Any => None,
            Scope::Only { ids } => Some(self.numbers(ids.as_slice())),
        }
    }

    fn find(&self, id: &Id) -> Option<u32> {
        self.numbers.get(id).copied()
    }
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
}

impl CompiledScope {
    fn new(campaign: &Campaign, symbols: &mut Symbols) -> CompiledScope {
        CompiledScope {
            scenes: symbols.numbers(campaign.scenes.as_slice().iter().map(|scene| &scene.id)),
            fund_scenes: symbols.numbers(campaign.fund.scenes.as_slice()),
            categories: symbols.scope(&campaign.categories),
            fund_categories: symbols.scope(&campaign.fund.categories),
            regions: symbols.scope(&campaign.regions),
            segments: symbols.scope(&campaign.segments),
        }
    }
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
    /// The payment's instant in each of the evaluator's zones, once asked.
    locals: Vec<Option<DateTime>>,
}

impl PaymentScope {
    fn fill(&mut self, symbols: &Symbols, zones: usize, payment: &Payment) {
        self.scene = symbols.find(&payment.scene);
        self.category = payment.category.as_ref().and_then(|id| symbols.find(id));
        self.region = payment.region.as_ref().and_then(|id| symbols.find(id));
        self.segments.clear();
        self.segments
            .extend(payment.segments.iter().filter_map(|id| symbols.find(id)));
        self.segments.sort_unstable();
        self.locals.clear();
        self.locals.resize(zones, None);
    }

    /// The payment's instant in `zone`, the zone at `slot`.
    fn local(&mut self, slot: usize, zone: &TimeZone, at: Timestamp) -> DateTime {
        match self.locals.get_mut(slot) {
            Some(Some(local)) => *local,
            Some(cached) => *cached.insert(zone.to_datetime(at)),
            None => zone.to_datetime(at),
        }
    }
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
}

/// A limit's counters: by the start of the calendar period (`None`: the
/// window), for the whole campaign or by the dimension's value.
#[derive(Debug, Clone, Default)]
struct LimitCounters {
    campaign: HashMap<Option<DateTime>, Used>,
    of: HashMap<String, HashMap<Option<DateTime>, Used>>,
}

impl LimitCounters {
    fn get(&self, value: Option<&str>, start: Option<DateTime>) -> Used {
        let periods = match value {
            None => Some(&self.campaign),
            Some(value) => self.of.get(value),
        };
        periods
            .and_then(|periods| periods.get(&start))
            .copied()
            .unwrap_or_default()
    }

    fn add(&mut self, value: Option<&str>, start: Option<DateTime>, amount: Decimal) {
        let periods = match value {
            None => &mut self.campaign,
            Some(value) => {
                if !self.of.contains_key(value) {
                    self.of.insert(value.to_string(), HashMap::default());
                }
                match self.of.get_mut(value) {
                    Some(periods) => periods,
                    None => return,
                }
            }
        };
        let used = periods.entry(start).or_default();
        *used = used.add(amount).unwrap_or(Used {
            count: u64::MAX,
            money: Decimal::MAX,
        });
    }

    fn entries(&self) -> impl Iterator<Item = (Option<&str>, Option<DateTime>, Used)> {
        let campaign = self
            .campaign
            .iter()
            .map(|(start, used)| (None, *start, *used));
        let of = self.of.iter().flat_map(|(value, periods)| {
            periods
                .iter()
                .map(move |(start, used)| (Some(value.as_str()), *start, *used))
        });
        campaign.chain(of)
    }
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
        if let Some(keep_from) = keep_from
            && self
                .events
                .keys()
                .next()
                .is_some_and(|first| *first < keep_from)
        {
            self.events = self.events.split_off(&keep_from);
        }
    }
}

/// A campaign's assessment for one payment, before stacking.
#[derive(Debug, Clone, Copy)]
struct Draft {
    /// `Ok(reward)`: payable if stacking takes it.
    outcome: Result<Money, Reason>,
    /// The guard this payment would exceed.
    trips: Option<usize>,
}

impl Draft {
    fn no(reason: Reason) -> Draft {
        Draft {
            outcome: Err(reason),
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

/// The campaigns a payment considers: positions in the evaluator's
/// campaigns, ascending.
fn considered<'a>(
    index: &'a [(CurrencyCode, HashMap<Id, Vec<usize>>)],
    payment: &Payment,
) -> &'a [usize] {
    index
        .iter()
        .find(|(code, _)| code.0 == payment.amount.currency)
        .and_then(|(_, scenes)| scenes.get(&payment.scene))
        .map_or(&[], Vec::as_slice)
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
        let mut symbols = Symbols::default();
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
                    index.push((entry.currency, HashMap::default()));
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
            decided: HashMap::default(),
            symbols,
            zones: zones.len(),
            scratch: Scratch::default(),
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
        let considered = considered(&self.index, payment);
        let mut explanations = self.scratch.explanations.drain(..);
        let campaigns: Vec<CampaignDecision> = considered
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
            considered: considered(&self.index, payment),
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
        if let Some(seen) = self.decided.get(&payment.id) {
            if seen.payment != *payment {
                return Err(Refusal::ConflictingReplay {
                    payment: payment.id.clone(),
                });
            }
            let mut paid = seen.paid.iter();
            for code in seen.codes.iter() {
                let outcome = match code.checked_sub(1) {
                    None => Outcome::Paid {
                        amount: Money::new(paid.next().copied().unwrap_or_default(), currency),
                    },
                    Some(place) => Outcome::NoDiscount {
                        reason: Reason::ALL
                            .get(usize::from(place))
                            .copied()
                            .unwrap_or(Reason::Stacking),
                    },
                };
                scratch.outcomes.push(outcome);
            }
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

        let considered = considered(&self.index, payment);
        scratch.scope.fill(&self.symbols, self.zones, payment);
        scratch.drafts.clear();
        for position in considered {
            let Some(live) = self.campaigns.get(*position) else {
                continue;
            };
            if EXPLAIN {
                let mut explanation = Explanation::default();
                scratch.drafts.push(live.assess::<true>(
                    payment,
                    &mut scratch.scope,
                    &mut explanation,
                ));
                scratch.explanations.push(explanation);
            } else {
                let mut unused = Explanation::default();
                scratch
                    .drafts
                    .push(live.assess::<false>(payment, &mut scratch.scope, &mut unused));
            }
        }
        stack::<EXPLAIN>(&self.campaigns, considered, payment, scratch);

        let mut total = Decimal::ZERO;
        let mut paid = Vec::new();
        let mut codes = Vec::with_capacity(considered.len());
        for (position, draft) in considered.iter().zip(&scratch.drafts) {
            let Some(live) = self.campaigns.get_mut(*position) else {
                continue;
            };
            if let Ok(reward) = draft.outcome {
                live.commit(payment, &mut scratch.scope, reward.amount);
                // Rewards that stacking admitted add up to at most the
                // payment, so this cannot overflow.
                total = total.checked_add(reward.amount).unwrap_or(total);
                paid.push(reward.amount);
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
            codes.push(code(outcome));
            scratch.outcomes.push(outcome);
        }
        self.decided.insert(
            payment.id.clone(),
            Seen {
                payment: payment.clone(),
                total,
                codes: codes.into(),
                paid: paid.into(),
            },
        );
        Ok((false, Money::new(total, currency)))
    }

    /// Every campaign's counters, in id order.
    pub fn counters(&self) -> Vec<Counters> {
        self.campaigns.iter().map(Live::counters).collect()
    }
}

impl Live {
    fn new(campaign: Campaign) -> Result<Live, EvalError> {
        let zone = zone(&campaign.window.zone).ok_or_else(|| EvalError::UnknownZone {
            id: campaign.id.as_str().to_string(),
            zone: campaign.window.zone.clone(),
        })?;
        let form = campaign.reward.form.meaning();
        let max_per_use = campaign
            .fund
            .max_per_use
            .iter()
            .find(|money| money.currency == campaign.currency.0)
            .copied();
        let mut stage_ends = Vec::new();
        let mut start = Some(campaign.window.start.0);
        for stage in campaign.rollout.iter().flat_map(|stages| stages.as_slice()) {
            let end = match (start, stage.duration_seconds) {
                (Some(start), Some(seconds)) => i64::try_from(seconds)
                    .ok()
                    .and_then(|seconds| start.checked_add(SignedDuration::from_secs(seconds)).ok()),
                (None, _) | (_, None) => None,
            };
            stage_ends.push(end);
            start = end;
        }
        let state = State {
            limits: vec![LimitCounters::default(); campaign.limits.len()],
            guards: vec![Trail::default(); campaign.guards.len()],
            ..State::default()
        };
        Ok(Live {
            campaign,
            zone,
            form,
            max_per_use,
            stage_ends,
            // Set by `Evaluator::new`, which knows every campaign's place.
            partners: Vec::new(),
            // Set by `Evaluator::new`, which numbers every campaign's names.
            scope: CompiledScope::default(),
            zone_slot: 0,
            state,
        })
    }

    /// Steps 1 to 3 for this campaign: eligibility, the reward, the guards,
    /// limits and budget. With `EXPLAIN`, the checks are written into
    /// `explanation` as they are made; without, `explanation` is left as
    /// it is and nothing is built for it. The checks and their order are
    /// the same in both modes.
    fn assess<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        scope: &mut PaymentScope,
        explanation: &mut Explanation,
    ) -> Draft {
        let campaign = &self.campaign;
        let currency = payment.amount.currency;
        if currency != campaign.currency.0 {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Currency {
                    payment: camp_ir::types::CurrencyCode(currency),
                    campaign: campaign.currency,
                });
            }
            return Draft::no(Reason::Currency);
        }
        if payment.instant < campaign.window.start || payment.instant >= campaign.window.end {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Window {
                    instant: payment.instant,
                    local: LocalDateTime(self.zone.to_datetime(payment.instant.0)),
                    start: campaign.window.start,
                    end: campaign.window.end,
                });
            }
            return Draft::no(Reason::Window);
        }
        if let Some(field) = self.scope.mismatch(scope) {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Scope {
                    field,
                    value: scope_value(field, payment),
                });
            }
            return Draft::no(Reason::Scope);
        }
        if let Some(min_spend) = campaign.reward.min_spend
            && payment.amount.amount < min_spend.amount
        {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::MinSpend {
                    min_spend,
                    amount: payment.amount,
                });
            }
            return Draft::no(Reason::MinSpend);
        }

        let amount = self.reward::<EXPLAIN>(payment, explanation);
        if amount.amount <= Decimal::ZERO {
            return Draft::no(Reason::Reward);
        }

        if !self.rollout::<EXPLAIN>(payment, explanation) {
            return Draft::no(Reason::Rollout);
        }

        if let Some(halt) = &self.state.halted {
            if EXPLAIN {
                explanation.halted = Some(halt.clone());
            }
            return Draft::no(Reason::Guard);
        }
        let trips = self.guards::<EXPLAIN>(payment, amount, explanation);
        let limits_fit = self.limits::<EXPLAIN>(payment, scope, amount, explanation);
        let budget_fits = self.budget::<EXPLAIN>(amount, explanation);

        let outcome = if trips.is_some() {
            Err(Reason::Guard)
        } else if !limits_fit {
            Err(Reason::Limit)
        } else if !budget_fits {
            Err(Reason::Budget)
        } else {
            Ok(amount)
        };
        Draft { outcome, trips }
    }

    /// Step 2: the form's amount for the payment, rounded down, at most
    /// the payment, at most the fund's `max_per_use`.
    fn reward<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        explanation: &mut Explanation,
    ) -> Money {
        let currency = payment.amount.currency;
        let ir = |money: camp_ir::lang::money::Money| Money::new(money.amount, money.currency);
        let zero = Money::new(Decimal::ZERO, currency);
        // The draw only a random amount uses.
        let draw = match &self.form {
            FormMeaning::Random { .. } => first_u64(&[self.campaign.id.as_str(), &payment.id]),
            FormMeaning::Fixed(_) | FormMeaning::Percent { .. } | FormMeaning::Tiers(_) => 0,
        };
        let mut nothing = |arithmetic: fn() -> Arithmetic| {
            if EXPLAIN {
                explanation.reward = Some(RewardExplanation {
                    arithmetic: arithmetic(),
                    form_amount: None,
                    cut_to_payment: None,
                    cut_to_max_per_use: None,
                    amount: zero,
                });
            }
            zero
        };
        let (amount, arithmetic) = match self.form.reward_for(payment.amount.meaning(), draw) {
            None => return nothing(|| Arithmetic::Overflow),
            Some(FormReward::BelowLowestTier { lowest }) => {
                if EXPLAIN {
                    explanation.reward = Some(RewardExplanation {
                        arithmetic: Arithmetic::BelowLowestTier { lowest: ir(lowest) },
                        form_amount: None,
                        cut_to_payment: None,
                        cut_to_max_per_use: None,
                        amount: zero,
                    });
                }
                return zero;
            }
            Some(FormReward::Pays { amount, arithmetic }) => (ir(amount), arithmetic),
        };
        let mut reward = amount.amount;
        let mut cut_to_payment = None;
        if reward > payment.amount.amount {
            reward = payment.amount.amount;
            cut_to_payment = Some(payment.amount);
        }
        let mut cut_to_max_per_use = None;
        if let Some(max) = self.max_per_use
            && reward > max.amount
        {
            reward = max.amount;
            cut_to_max_per_use = Some(max);
        }
        let reward = Money::new(reward, currency);
        if EXPLAIN {
            explanation.reward = Some(RewardExplanation {
                arithmetic: Arithmetic::of_form(arithmetic),
                form_amount: Some(amount),
                cut_to_payment,
                cut_to_max_per_use,
                amount: reward,
            });
        }
        reward
    }

    /// Whether the rollout stage live at the payment's instant admits the
    /// user; `true` without a rollout.
    fn rollout<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        explanation: &mut Explanation,
    ) -> bool {
        let Some(stages) = self
            .campaign
            .rollout
            .as_ref()
            .map(|stages| stages.as_slice())
        else {
            return true;
        };
        // The first stage not yet over; past every stage's end, the last
        // stays live.
        let index = self
            .stage_ends
            .iter()
            .position(|end| end.is_none_or(|end| payment.instant.0 < end))
            .unwrap_or(stages.len().saturating_sub(1));
        let Some(stage) = stages.get(index) else {
            return true;
        };
        let (bucket, admitted) = match &stage.target {
            StageTarget::Segment { segment } => (None, payment.segments.contains(segment)),
            StageTarget::Percent { share } => match &payment.user {
                None => (None, false),
                Some(user) => {
                    let bucket = first_u64(&[self.campaign.id.as_str(), user]) % BUCKETS;
                    let admitted = share
                        .fraction()
                        .checked_mul(Decimal::from(BUCKETS))
                        .is_some_and(|threshold| Decimal::from(bucket) < threshold);
                    (Some(bucket), admitted)
                }
            },
        };
        if EXPLAIN {
            explanation.rollout = Some(RolloutCheck {
                stage: index,
                target: stage.clone(),
                bucket,
                admitted,
            });
        }
        admitted
    }

    /// The first guard this payment would exceed.
    fn guards<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        reward: Money,
        explanation: &mut Explanation,
    ) -> Option<usize> {
        let mut first = None;
        for (index, guard) in self.campaign.guards.iter().enumerate() {
            let trailing = self
                .state
                .guards
                .get(index)
                .map(|trail| trail.within(payment.instant.0, guard.per_seconds))
                .unwrap_or_default();
            let trips = match &guard.metric {
                GuardMetric::Spend { above } => trailing
                    .money
                    .checked_add(reward.amount)
                    .is_none_or(|spend| spend > above.amount),
                GuardMetric::Redemptions { above } => trailing
                    .count
                    .checked_add(1)
                    .is_none_or(|count| count > *above),
            };
            if trips && first.is_none() {
                first = Some(index);
            }
            if EXPLAIN {
                let (trailing, adding) = match &guard.metric {
                    GuardMetric::Spend { .. } => (
                        Quantity::Money {
                            money: Money::new(trailing.money, reward.currency),
                        },
                        Quantity::Money { money: reward },
                    ),
                    GuardMetric::Redemptions { .. } => (
                        Quantity::Count {
                            count: trailing.count,
                        },
                        Quantity::Count { count: 1 },
                    ),
                };
                explanation.guards.push(GuardCheck {
                    index,
                    guard: guard.clone(),
                    trailing,
                    adding,
                    trips,
                });
            }
        }
        first
    }

    /// Whether every limit's counter fits this payment.
    fn limits<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        scope: &mut PaymentScope,
        reward: Money,
        explanation: &mut Explanation,
    ) -> bool {
        let mut all_fit = true;
        for (index, limit) in self.campaign.limits.iter().enumerate() {
            let (value, period_start) = self.limit_key(limit, payment, scope);
            let used = match value {
                Some(value) => self
                    .state
                    .limits
                    .get(index)
                    .map(|counters| counters.get(value, period_start))
                    .unwrap_or_default(),
                None => Used::default(),
            };
            let countable = value.is_some();
            let fits = match &limit.amount {
                LimitAmount::Count { count } => {
                    countable && used.count.checked_add(1).is_some_and(|n| n <= *count)
                }
                LimitAmount::Money { money } => {
                    countable
                        && used
                            .money
                            .checked_add(reward.amount)
                            .is_some_and(|total| total <= money.amount)
                }
            };
            all_fit &= fits;
            if EXPLAIN {
                let key = match (limit.dimension, value) {
                    (None, _) => CounterKey::Campaign,
                    (Some(_), Some(Some(value))) => CounterKey::Of {
                        value: value.to_string(),
                    },
                    (Some(_), Some(None) | None) => CounterKey::Missing,
                };
                let (used_quantity, adding, bound, left) = match &limit.amount {
                    LimitAmount::Count { count } => (
                        Quantity::Count { count: used.count },
                        Quantity::Count { count: 1 },
                        Quantity::Count { count: *count },
                        Quantity::Count {
                            count: count.saturating_sub(used.count),
                        },
                    ),
                    LimitAmount::Money { money } => (
                        Quantity::Money {
                            money: Money::new(used.money, money.currency),
                        },
                        Quantity::Money { money: reward },
                        Quantity::Money { money: *money },
                        Quantity::Money {
                            money: Money::new(
                                money
                                    .amount
                                    .checked_sub(used.money)
                                    .unwrap_or(Decimal::ZERO)
                                    .max(Decimal::ZERO),
                                money.currency,
                            ),
                        },
                    ),
                };
                explanation.counters.push(CounterCheck {
                    counter: Counter::Limit {
                        index,
                        limit: limit.clone(),
                        key,
                        period_start: period_start.map(LocalDateTime),
                    },
                    used: used_quantity,
                    adding,
                    bound,
                    left,
                    fits,
                });
            }
        }
        all_fit
    }

    /// A limit's counter for the payment: `None` when the payment has no
    /// value for the limit's dimension (it cannot be counted), otherwise
    /// the value (`None`: the whole campaign); and the period's start.
    fn limit_key<'p>(
        &self,
        limit: &camp_ir::types::Limit,
        payment: &'p Payment,
        scope: &mut PaymentScope,
    ) -> (Option<Option<&'p str>>, Option<DateTime>) {
        let value = match limit.dimension {
            None => Some(None),
            Some(dimension) => dimension_value(payment, dimension).map(Some),
        };
        let period_start = limit.period.map(|period| {
            period_start(
                scope.local(self.zone_slot, &self.zone, payment.instant.0),
                period,
            )
        });
        (value, period_start)
    }

    /// Whether the budget fits this payment (written after the limits).
    fn budget<const EXPLAIN: bool>(&self, reward: Money, explanation: &mut Explanation) -> bool {
        let budget = self.campaign.budget;
        let fits = self
            .state
            .spent
            .checked_add(reward.amount)
            .is_some_and(|total| total <= budget.amount);
        if EXPLAIN {
            explanation.counters.push(CounterCheck {
                counter: Counter::Budget,
                used: Quantity::Money {
                    money: Money::new(self.state.spent, budget.currency),
                },
                adding: Quantity::Money { money: reward },
                bound: Quantity::Money { money: budget },
                left: Quantity::Money {
                    money: Money::new(
                        budget
                            .amount
                            .checked_sub(self.state.spent)
                            .unwrap_or(Decimal::ZERO)
                            .max(Decimal::ZERO),
                        budget.currency,
                    ),
                },
                fits,
            });
        }
        fits
    }

    /// Counts a payment this campaign pays.
    fn commit(&mut self, payment: &Payment, scope: &mut PaymentScope, reward: Decimal) {
        for index in 0..self.campaign.limits.len() {
            let Some(limit) = self.campaign.limits.get(index) else {
                continue;
            };
            let (value, start) = self.limit_key(limit, payment, scope);
            if let (Some(value), Some(counters)) = (value, self.state.limits.get_mut(index)) {
                counters.add(value, start, reward);
            }
        }
        let state = &mut self.state;
        state.spent = state.spent.checked_add(reward).unwrap_or(Decimal::MAX);
        state.redemptions = state.redemptions.saturating_add(1);
        for (trail, guard) in state.guards.iter_mut().zip(&self.campaign.guards) {
            trail.record(payment.instant.0, reward, guard.per_seconds);
        }
    }

    fn counters(&self) -> Counters {
        let currency = self.campaign.currency.0;
        Counters {
            campaign: self.campaign.id.clone(),
            spent: Money::new(self.state.spent, currency),
            redemptions: self.state.redemptions,
            limits: self
                .state
                .limits
                .iter()
                .map(|counters| {
                    counters
                        .entries()
                        .map(|(value, start, used)| {
                            (
                                (value.map(str::to_string), start.map(LocalDateTime)),
                                (used.count, used.money),
                            )
                        })
                        .collect()
                })
                .collect(),
            guards: self
                .state
                .guards
                .iter()
                .map(|trail| {
                    trail
                        .events
                        .iter()
                        .map(|(at, used)| (at.to_string(), used.count, used.money))
                        .collect()
                })
                .collect(),
            halted: self.state.halted.clone(),
        }
    }
}

/// Mutual consent: each of the campaigns at positions `a` and `b` lists
/// the other.
fn combine(campaigns: &[Live], a: usize, b: usize) -> bool {
    let lists = |from: usize, to: usize| {
        campaigns
            .get(from)
            .is_some_and(|live| live.partners.binary_search(&to).is_ok())
    };
    lists(a, b) && lists(b, a)
}

/// Step 4: the largest reward first (ties: the id first in byte order),
/// then, in the same order, each campaign that combines with every one
/// taken and keeps the total within the payment. `scratch.drafts` are
/// those of the campaigns at `considered` (positions in `campaigns`,
/// ascending); with `EXPLAIN`, `scratch.explanations` are theirs too.
fn stack<const EXPLAIN: bool>(
    campaigns: &[Live],
    considered: &[usize],
    payment: &Payment,
    scratch: &mut Scratch,
) {
    let position_of = |draft: usize| considered.get(draft).copied();
    let id_of = |draft: usize| {
        position_of(draft)
            .and_then(|position| campaigns.get(position))
            .map(|live| live.campaign.id.clone())
    };
    scratch.order.clear();
    scratch.order.extend(
        scratch
            .drafts
            .iter()
            .enumerate()
            .filter_map(|(index, draft)| draft.outcome.ok().map(|reward| (index, reward))),
    );
    // Campaigns are sorted by id, so a stable sort on the reward keeps
    // ties in id order.
    scratch
        .order
        .sort_by_key(|(_, reward)| std::cmp::Reverse(reward.amount));
    scratch.taken.clear();
    let mut total = Decimal::ZERO;
    for (place, (index, reward)) in scratch.order.iter().copied().enumerate() {
        let Some(position) = position_of(index) else {
            continue;
        };
        let combines_with_all = scratch.taken.iter().all(|other| {
            position_of(*other).is_some_and(|other| combine(campaigns, position, other))
        });
        let sum = total.checked_add(reward.amount);
        let above_payment = sum.is_none_or(|sum| sum > payment.amount.amount);
        if EXPLAIN && let Some(explanation) = scratch.explanations.get_mut(index) {
            explanation.stacking = Some(StackingCheck {
                position: place,
                after: scratch
                    .taken
                    .iter()
                    .filter_map(|other| id_of(*other))
                    .collect(),
                total_before: Money::new(total, payment.amount.currency),
                not_combined_with: scratch
                    .taken
                    .iter()
                    .filter(|other| {
                        !position_of(**other)
                            .is_some_and(|other| combine(campaigns, position, other))
                    })
                    .filter_map(|other| id_of(*other))
                    .collect(),
                above_payment,
            });
        }
        let Some(draft) = scratch.drafts.get_mut(index) else {
            continue;
        };
        match sum {
            Some(sum) if !above_payment && combines_with_all => {
                scratch.taken.push(index);
                total = sum;
            }
            Some(_) | None => draft.outcome = Err(Reason::Stacking),
        }
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

impl CompiledScope {
    /// The first scope the payment falls outside: the campaign's scenes,
    /// the fund's scenes, the campaign's and the fund's categories, the
    /// regions and the segments.
    fn mismatch(&self, payment: &PaymentScope) -> Option<ScopeField> {
        let listed = |numbers: &[u32], value: Option<u32>| {
            value.is_some_and(|value| numbers.binary_search(&value).is_ok())
        };
        let in_scope = |scope: &Option<Vec<u32>>, value: Option<u32>| match scope {
            None => true,
            Some(numbers) => listed(numbers, value),
        };
        if !listed(&self.scenes, payment.scene) {
            return Some(ScopeField::Scene);
        }
        if !listed(&self.fund_scenes, payment.scene) {
            return Some(ScopeField::FundScene);
        }
        if !in_scope(&self.categories, payment.category) {
            return Some(ScopeField::Category);
        }
        if !in_scope(&self.fund_categories, payment.category) {
            return Some(ScopeField::FundCategory);
        }
        if !in_scope(&self.regions, payment.region) {
            return Some(ScopeField::Region);
        }
        match &self.segments {
            None => None,
            Some(numbers) => {
                if payment
                    .segments
                    .iter()
                    .any(|segment| numbers.binary_search(segment).is_ok())
                {
                    None
                } else {
                    Some(ScopeField::Segments)
                }
            }
        }
    }
}

/// The payment's value for a scope it fell outside, as an explanation
/// shows it; `None` when it has none.
fn scope_value(field: ScopeField, payment: &Payment) -> Option<String> {
    let name = |id: &Option<Id>| id.as_ref().map(|id| id.as_str().to_string());
    match field {
        ScopeField::Scene | ScopeField::FundScene => Some(payment.scene.as_str().to_string()),
        ScopeField::Category | ScopeField::FundCategory => name(&payment.category),
        ScopeField::Region => name(&payment.region),
        ScopeField::Segments => {
            if payment.segments.is_empty() {
                None
            } else {
                let names: Vec<&str> = payment.segments.iter().map(Id::as_str).collect();
                Some(names.join(", "))
            }
        }
    }
}

fn dimension_value(payment: &Payment, dimension: Dimension) -> Option<&str> {
    match dimension {
        Dimension::User => payment.user.as_deref(),
        Dimension::Device => payment.device.as_deref(),
        Dimension::Ip => payment.ip.as_deref(),
        Dimension::Merchant => payment.merchant.as_deref(),
        Dimension::Region => payment.region.as_ref().map(Id::as_str),
    }
}

/// The start of the calendar period holding `local` (an instant in the
/// window's zone): the hour at `:00`, the day at midnight, the week on
/// Monday at midnight.
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

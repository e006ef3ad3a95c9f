//! The checked program: schema and campaigns with every name resolved, every
//! quantity typed, and each campaign's exposure computed. Only the checker
//! builds these; the IR, the linter and the server read them.

use std::collections::BTreeMap;

use iso_currency::Currency;

use crate::source::{FileId, Span};

// The closed vocabularies, money and reward forms are the language's own
// (`camp-lang`), below both this model and the IR: one definition, used by
// the checker and written to the IR as they are.
pub use camp_lang::money::{
    EFFECTIVE_RATE_DECIMALS, EffectiveRate, Money, Rate, ceil_div, floor_div, group_digits,
    largest_amount_within, smallest_spend_within,
};
pub use camp_lang::reward::{Credit, RewardForm};
pub use camp_lang::vocab::{Day, Dimension, InstrumentKind, Payer, Period, Requirement};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SceneDef {
    pub id: String,
    pub money_movement: bool,
    pub doc: Option<String>,
    pub span: Span,
}

/// A category, region or segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleDef {
    pub id: String,
    /// A region's `code` (e.g. `CN-SH`).
    pub code: Option<String>,
    pub doc: Option<String>,
    pub span: Span,
}

/// (v2) `merchant_group NAME { list: "…" }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantGroupDef {
    pub id: String,
    pub list: String,
    pub doc: Option<String>,
    pub span: Span,
}

/// (v2) `instrument NAME { kind: …, bins: […] }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstrumentDef {
    pub id: String,
    pub kind: InstrumentKind,
    /// Each BIN prefix with where it is written, as written (digits).
    pub bins: Vec<(String, Span)>,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundDef {
    pub id: String,
    pub doc: Option<String>,
    pub span: Span,
    pub payer: Payer,
    pub scenes: Vec<String>,
    pub scenes_span: Span,
    /// `None`: the fund does not restrict categories.
    pub categories: Option<Vec<String>>,
    pub categories_span: Span,
    pub requires: Vec<(Requirement, Span)>,
    pub max_rate: Option<(Rate, Span)>,
    /// At most one amount per currency.
    pub max_per_use: Vec<Money>,
    pub max_per_use_span: Span,
    /// (v2) `None`: the fund does not restrict merchant groups.
    pub merchants: Option<Vec<String>>,
    pub merchants_span: Span,
}

impl FundDef {
    pub fn requires(&self, requirement: Requirement) -> Option<Span> {
        self.requires
            .iter()
            .find(|(listed, _)| *listed == requirement)
            .map(|(_, span)| *span)
    }

    pub fn max_per_use_in(&self, currency: Currency) -> Option<Money> {
        self.max_per_use
            .iter()
            .copied()
            .find(|money| money.currency == currency)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalTier {
    pub approvals: u32,
    /// Empty for the last, open tier.
    pub up_to: Vec<Money>,
    pub span: Span,
}

/// `N per DURATION`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    pub count: u64,
    pub per_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyDef {
    pub span: Span,
    /// `None`: every ISO 4217 currency with a minor unit is allowed.
    pub currencies: Option<(Vec<Currency>, Span)>,
    pub max_rate: Option<(Rate, Span)>,
    pub approvals: Vec<ApprovalTier>,
    pub approvals_span: Span,
    pub capacity: Option<Throughput>,
}

/// (v2) A pool: a budget several campaigns of one fund share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDef {
    pub id: String,
    pub doc: Option<String>,
    /// The pool's name where it is declared.
    pub span: Span,
    pub fund: String,
    /// The `fund: …` entry.
    pub fund_span: Span,
    /// At most one amount per currency.
    pub budget: Vec<Money>,
    /// The `budget: …` entry.
    pub budget_span: Span,
}

impl PoolDef {
    pub fn budget_in(&self, currency: Currency) -> Option<Money> {
        self.budget
            .iter()
            .copied()
            .find(|money| money.currency == currency)
    }
}

/// The whole schema of a package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub scenes: BTreeMap<String, SceneDef>,
    pub categories: BTreeMap<String, SimpleDef>,
    pub regions: BTreeMap<String, SimpleDef>,
    pub segments: BTreeMap<String, SimpleDef>,
    pub funds: BTreeMap<String, FundDef>,
    pub policy: Option<PolicyDef>,
    pub merchant_groups: BTreeMap<String, MerchantGroupDef>,
    pub instruments: BTreeMap<String, InstrumentDef>,
    /// (v2) Budgets shared by several campaigns.
    pub pools: BTreeMap<String, PoolDef>,
}

/// A campaign's reward as checked: its form, `min_spend`, and where it is
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reward {
    pub form: RewardForm,
    pub min_spend: Option<Money>,
    pub span: Span,
    /// Payments above it get nothing.
    pub max_spend: Option<Money>,
    /// How and when a `back` reward is credited; `None` for `off`.
    pub credit: Option<Credit>,
}

impl Reward {
    /// The largest single reward the form itself allows (the fund's
    /// `max_per_use` may lower it further); `None` only for empty tiers.
    pub fn largest_single(&self) -> Option<Money> {
        self.form.largest_single(self.max_spend)
    }

    /// The effective rate: see [`RewardForm::effective_rate`].
    pub fn effective_rate(&self) -> EffectiveRate {
        self.form.effective_rate(self.min_spend, self.max_spend)
    }

    /// One tier's rate: its reward over the smallest payment that reaches
    /// it, its threshold or `min_spend` if that is higher.
    pub fn tier_rate(&self, spend: Money, reward: Money) -> EffectiveRate {
        camp_lang::reward::tier_rate(spend, reward, self.min_spend)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitAmount {
    Count(u64),
    Money(Money),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub amount: LimitAmount,
    /// `None`: the limit is on the whole campaign.
    pub dimension: Option<Dimension>,
    /// `None`: the limit spans the whole window.
    pub period: Option<Period>,
    pub span: Span,
    /// The dimensions after `dimension` (`per user per category`), in
    /// order; never one twice.
    pub more_dimensions: Vec<Dimension>,
}

impl Limit {
    /// Every dimension, in order (none: the whole campaign).
    pub fn dimensions(&self) -> impl Iterator<Item = Dimension> + '_ {
        self.dimension
            .into_iter()
            .chain(self.more_dimensions.iter().copied())
    }
}

/// A campaign's `days:` and `hours:`, normalized: days in week order
/// (all seven when `days` is left out), time ranges in minutes after
/// local midnight, in order, never overlapping (all day when `hours` is
/// left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub days: Vec<Day>,
    pub hours: Vec<(u16, u16)>,
    /// The `days:` entry, or the first `hours:` entry.
    pub span: Span,
}

impl Schedule {
    /// Whether a local day and minute of the day are scheduled.
    pub fn admits(&self, day: Day, minute: u16) -> bool {
        self.days.contains(&day)
            && self
                .hours
                .iter()
                .any(|(start, end)| *start <= minute && minute < *end)
    }

    /// Whether some minute of each of two schedules' days and hours
    /// coincide (in one zone).
    pub fn meets(&self, other: &Schedule) -> bool {
        self.days.iter().any(|day| other.days.contains(day))
            && self.hours.iter().any(|(start, end)| {
                other
                    .hours
                    .iter()
                    .any(|(other_start, other_end)| start < other_end && other_start < end)
            })
    }
}

/// A campaign window, `[start, end)`, resolved to instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
    /// The zone as written: an IANA name, `UTC`, or an offset like `+08:00`.
    pub zone: String,
    pub start_local: jiff::civil::DateTime,
    pub end_local: jiff::civil::DateTime,
    pub time_zone: jiff::tz::TimeZone,
    /// The `window: …` entry.
    pub span: Span,
    /// The end instant as written, and whether it gives seconds.
    pub end_span: Span,
    pub end_has_seconds: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageTarget {
    Segment(String),
    Percent(Rate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub target: StageTarget,
    /// `None` only for the last stage.
    pub duration_seconds: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardMetric {
    Spend(Money),
    Redemptions(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard {
    pub metric: GuardMetric,
    pub per_seconds: u64,
    /// The `guard: …` entry.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stacking {
    Exclusive,
    /// The campaigns it consents to stack with, sorted by id, no duplicates.
    StacksWith(Vec<StackPartner>),
}

impl Stacking {
    /// Whether this side lists `id` (stacking needs both sides).
    pub fn lists(&self, id: &str) -> bool {
        match self {
            Stacking::Exclusive => false,
            Stacking::StacksWith(partners) => partners
                .binary_search_by(|partner| partner.id.as_str().cmp(id))
                .is_ok(),
        }
    }
}

/// A campaign named in `stacks_with`, and where it is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackPartner {
    pub id: String,
    pub span: Span,
}

/// Which bound decided a campaign's worst-case exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposureBound {
    Budget,
    /// `limit: N per …` without a dimension or period × the largest reward.
    CampaignCount {
        count: u64,
    },
    /// `limit: MONEY per PERIOD` × the periods in the window.
    PeriodAmount {
        period: Period,
        periods: u64,
    },
    /// `limit: N per PERIOD` × the periods × the largest reward.
    PeriodCount {
        period: Period,
        periods: u64,
        count: u64,
    },
    /// (v2) The budget of the campaign's pool, in its currency.
    Pool,
    /// (v2) The claim inventory × the largest reward (each coupon pays
    /// once).
    ClaimInventory {
        inventory: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposure {
    pub amount: Money,
    pub bound: ExposureBound,
    /// The largest single reward, after the fund's `max_per_use`.
    pub largest_single_reward: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateUse {
    pub id: String,
    /// Argument name → the argument as written, normalized.
    pub arguments: BTreeMap<String, String>,
}

/// A campaign the checker accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignModel {
    pub id: String,
    pub doc: Option<String>,
    pub file: FileId,
    pub span: Span,
    pub name_span: Span,
    pub title: String,
    pub owner: String,
    pub template: Option<Box<TemplateUse>>,
    pub currency: Currency,
    pub fund: String,
    pub scenes: Vec<String>,
    /// `None`: any.
    pub categories: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub segments: Option<Vec<String>>,
    pub window: Window,
    pub reward: Reward,
    pub budget: Money,
    pub limits: Vec<Limit>,
    pub rollout: Option<Vec<Stage>>,
    pub guards: Vec<Guard>,
    pub stacking: Stacking,
    pub expected_peak: Option<Throughput>,
    pub exposure: Exposure,
    pub approvals_required: u32,
    /// Where the fields are written, for lints and editors.
    pub spans: CampaignSpans,
    /// (v2) `None`: any.
    pub merchants: Option<Vec<String>>,
    pub instruments: Option<Vec<String>>,
    /// `days:` and `hours:`; `None`: every instant of the window.
    pub schedule: Option<Box<Schedule>>,
    /// (v2) The pool it draws from, if any.
    pub pool: Option<String>,
    /// (v2) Its claim block: `None`, it pays without a coupon.
    pub claim: Option<Box<Claim>>,
}

/// (v2) A campaign's `claim { … }` block, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// When coupons may be claimed: the block's `window`, or the
    /// campaign's when it has none.
    pub window: Window,
    pub inventory: u64,
    pub per_user: u64,
    /// `None`: a coupon is valid until the campaign's window ends.
    pub valid_for_seconds: Option<u64>,
    /// The `claim { … }` entry.
    pub span: Span,
}

impl CampaignModel {
    /// The campaign's effective rate: the largest fraction of one payment
    /// its reward can take ([`Reward::effective_rate`]). The fund's and
    /// the policy's `max_rate` bound it; `high-rate` and the stacking rule
    /// read it.
    pub fn effective_rate(&self) -> EffectiveRate {
        self.reward.effective_rate()
    }
}

/// Where a campaign's fields are written. For a campaign made from a
/// template, a field the template sets points into the template (or, for a
/// substituted value, at the argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CampaignSpans {
    /// The `reward: …` entry.
    pub reward: Span,
    /// The rate of a percentage reward.
    pub rate: Option<Span>,
    /// The amount that bounds one reward (the fixed amount, the cap, the
    /// largest tier, the random maximum).
    pub largest_reward: Option<Span>,
    /// What sets the effective rate: a percentage's rate, the fixed amount,
    /// the random maximum, or the reward of the tier with the highest rate.
    pub effective_rate: Option<Span>,
    pub budget: Span,
    pub window: Span,
    /// The `rollout` keyword and the first stage.
    pub rollout: Option<Span>,
    pub first_stage: Option<Span>,
    pub stacking: Option<Span>,
    pub expected_peak: Option<Span>,
}

/// (v2) What bounds a pool's exposure in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolBound {
    /// The pool's budget in that currency.
    Budget,
    /// The sum of its campaigns' exposures in that currency.
    Campaigns,
}

/// (v2) A pool's worst-case exposure in one currency of its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolExposure {
    pub amount: Money,
    pub bound: PoolBound,
    /// From the policy's tiers (1 without a policy).
    pub approvals_required: u32,
}

/// (v2) A pool as checked with the campaigns that draw from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolModel {
    pub id: String,
    /// The campaigns that name it, sorted by id.
    pub campaigns: Vec<String>,
    /// One per currency of its budget, in the budget's order.
    pub exposures: Vec<PoolExposure>,
    /// The most any currency's exposure needs.
    pub approvals_required: u32,
}

/// The checked package: the schema and every campaign, sorted by id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    pub schema: Schema,
    /// Each campaign shared (`Arc`) with the check cache of a language
    /// server, which keeps it across edits instead of copying it.
    pub campaigns: Vec<std::sync::Arc<CampaignModel>>,
    /// The test blocks that checked cleanly, in source order.
    pub tests: Vec<super::tests::TestPlan>,
    /// (v2) Every pool that checked cleanly, sorted by id, with its
    /// exposure.
    pub pools: Vec<PoolModel>,
}

//! The IR types: what runtimes and generators read.
//!
//! Invalid states are unrepresentable where the type system allows it (a
//! percentage reward always has a cap, scenes are never empty) and checked
//! when deserialized where it does not (money at its currency's exact scale,
//! one currency per campaign, windows that end after they start, the
//! document's `sha256`). A generator written in Rust that deserializes a
//! [`CampaignDocument`] with serde gets a valid campaign or an error.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use iso_currency::Currency;
use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use crate::canonical;
pub use camp_lang::vocab::{
    CreditKind, Day, Dimension, InstrumentKind, Payer, Period, Requirement,
};
use camp_lang::{money as lang_money, reward as lang_reward};

/// The IR format version. A runtime refuses documents of another version.
pub const IR_VERSION: &str = "1";

fn schema_from(value: serde_json::Value) -> Schema {
    match value {
        serde_json::Value::Object(map) => Schema::from(map),
        _ => Schema::default(),
    }
}

/// Why an IR document is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Camp IR: {0}")]
pub struct IrError(pub String);

fn invalid(message: impl Into<String>) -> IrError {
    IrError(message.into())
}

// The leaf values (ids, currencies, money, rates, instants, non-empty
// lists): how each is written in JSON and checked when read.
mod leaves;
pub use leaves::*;

// ------------------------------------------------------------------ campaign

/// Which of the schema's names a campaign is limited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "match", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// Every declared name.
    Any,
    /// Only these.
    Only { ids: NonEmpty<Id> },
}

impl Scope {
    /// Whether it is every name (a v2 scope left out of the document).
    pub fn is_any(&self) -> bool {
        matches!(self, Scope::Any)
    }
}

impl Default for Scope {
    /// A v2 scope the document leaves out is every name: a document that
    /// uses no v2 restriction is written as version 1 wrote it.
    fn default() -> Scope {
        Scope::Any
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// 1-based.
    pub line: u32,
    /// 1-based, in Unicode characters.
    pub column: u32,
}

/// Where the campaign is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceLocation {
    /// Relative to the package root, with `/`.
    pub file: String,
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRef {
    pub id: Id,
    /// Each argument as written (normalized), by parameter name.
    pub arguments: BTreeMap<String, String>,
}

/// A fund with its whole contract, as the schema declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fund {
    pub id: Id,
    pub payer: Payer,
    pub scenes: NonEmpty<Id>,
    pub categories: Scope,
    pub requires: Vec<Requirement>,
    pub max_rate: Option<Rate>,
    /// At most one amount per currency.
    pub max_per_use: Vec<Money>,
    /// (v2) The only merchant groups its campaigns may target.
    #[serde(default, skip_serializing_if = "Scope::is_any")]
    pub merchants: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    pub id: Id,
    pub money_movement: bool,
}

/// The campaign window `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
    /// The zone as written: an IANA name, `UTC`, or an offset like `+08:00`.
    pub zone: String,
    pub start_local: LocalDateTime,
    pub end_local: LocalDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub spend: Money,
    pub reward: Money,
}

/// The discount for one payment, before rounding down to the minor unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RewardForm {
    Fixed {
        amount: Money,
    },
    /// A percentage of the payment, never above the cap.
    Percent {
        rate: Rate,
        cap: Money,
    },
    /// The reward of the highest tier whose `spend` the payment reaches.
    Tiers {
        tiers: NonEmpty<Tier>,
    },
    /// A random amount in `[low, high]`.
    Random {
        low: Money,
        high: Money,
    },
    /// `floor(payment / step) × reward`, never above the cap (`null`: the
    /// fund's `max_per_use` bounds it).
    Every {
        step: Money,
        reward: Money,
        cap: Option<Money>,
    },
    /// The payment brought down to `price` (`payment − price` when above
    /// it), never above the cap when there is one.
    Price {
        price: Money,
        cap: Option<Money>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub form: RewardForm,
    pub min_spend: Option<Money>,
    /// The largest fraction of one payment the reward can take, over every
    /// amount it applies to: a percentage's rate; a fixed amount, or a
    /// random maximum, over `min_spend` (`"1"` without one); the largest
    /// tier reward over the smallest payment that reaches the tier. Never
    /// above 1; rounded up to 10 decimal places when it has more. The
    /// fund's and the policy's `max_rate` bound it. Every `X => Y`: Y / X;
    /// a price: (max_spend − price) / max_spend or cap / (price + cap),
    /// the smaller.
    pub effective_rate: Rate,
    /// Payments above it get nothing (`null`: no bound). Absent in a
    /// document written before it existed, which reads as `null`.
    #[serde(default)]
    pub max_spend: Option<Money>,
    /// A `back` reward: how and when it is credited after the payment
    /// (`null`: an instant discount, `off`). Limits, budget and exposure
    /// count its money value either way.
    #[serde(default)]
    pub credit: Option<Credit>,
}

/// How and when a `back` reward is credited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    pub kind: CreditKind,
    /// After the payment's instant.
    pub after_seconds: u64,
    /// What one point is worth: set for points, `null` otherwise.
    pub point_value: Option<Money>,
}

impl Credit {
    /// The IR of a checked credit (the IR builder's).
    pub fn from_lang(credit: &lang_reward::Credit) -> Credit {
        Credit {
            kind: credit.kind,
            after_seconds: credit.after_seconds,
            point_value: credit
                .point_value
                .map(|money| Money::new(money.amount, money.currency)),
        }
    }
}

impl Reward {
    /// The effective rate that `form` and `min_spend` give, which
    /// `effective_rate` must be.
    pub fn computed_effective_rate(&self) -> Result<Rate, IrError> {
        let form = self.form.meaning();
        let min_spend = self.min_spend.as_ref().map(|money| money.meaning());
        let max_spend = self.max_spend.as_ref().map(|money| money.meaning());
        Rate::from_fraction(form.effective_rate(min_spend, max_spend).fraction())
    }
}

impl Money {
    /// The language's money: the same amount and currency.
    pub fn meaning(&self) -> lang_money::Money {
        lang_money::Money {
            amount: self.amount,
            currency: self.currency,
        }
    }
}

impl RewardForm {
    /// The IR of a checked reward form (the IR builder's).
    pub fn from_lang(form: &lang_reward::RewardForm) -> Result<RewardForm, IrError> {
        let money = |money: &lang_money::Money| Money::new(money.amount, money.currency);
        Ok(match form {
            lang_reward::RewardForm::Fixed(amount) => RewardForm::Fixed {
                amount: money(amount),
            },
            lang_reward::RewardForm::Percent { rate, cap } => RewardForm::Percent {
                rate: Rate::from_fraction(rate.fraction())?,
                cap: money(cap),
            },
            lang_reward::RewardForm::Tiers(tiers) => RewardForm::Tiers {
                tiers: NonEmpty::new(
                    tiers
                        .iter()
                        .map(|(spend, reward)| Tier {
                            spend: money(spend),
                            reward: money(reward),
                        })
                        .collect(),
                )?,
            },
            lang_reward::RewardForm::Random { low, high } => RewardForm::Random {
                low: money(low),
                high: money(high),
            },
            lang_reward::RewardForm::Every { step, reward, cap } => RewardForm::Every {
                step: money(step),
                reward: money(reward),
                cap: cap.as_ref().map(money),
            },
            lang_reward::RewardForm::Price { price, cap } => RewardForm::Price {
                price: money(price),
                cap: cap.as_ref().map(money),
            },
        })
    }

    /// The language's reward form, whose meaning (largest single reward,
    /// effective rate, the reward for one payment) is declared once in
    /// `camp-lang`.
    pub fn meaning(&self) -> lang_reward::RewardForm {
        let lang = Money::meaning;
        match self {
            RewardForm::Fixed { amount } => lang_reward::RewardForm::Fixed(lang(amount)),
            RewardForm::Percent { rate, cap } => lang_reward::RewardForm::Percent {
                rate: lang_money::Rate(rate.fraction() * Decimal::ONE_HUNDRED),
                cap: lang(cap),
            },
            RewardForm::Tiers { tiers } => lang_reward::RewardForm::Tiers(
                tiers
                    .as_slice()
                    .iter()
                    .map(|tier| (lang(&tier.spend), lang(&tier.reward)))
                    .collect(),
            ),
            RewardForm::Random { low, high } => lang_reward::RewardForm::Random {
                low: lang(low),
                high: lang(high),
            },
            RewardForm::Every { step, reward, cap } => lang_reward::RewardForm::Every {
                step: lang(step),
                reward: lang(reward),
                cap: cap.as_ref().map(lang),
            },
            RewardForm::Price { price, cap } => lang_reward::RewardForm::Price {
                price: lang(price),
                cap: cap.as_ref().map(lang),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LimitAmount {
    Count { count: u64 },
    Money { money: Money },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub amount: LimitAmount,
    /// `null`: the whole campaign.
    pub dimension: Option<Dimension>,
    /// `null`: the whole window. Periods are calendar periods in the window's zone.
    pub period: Option<Period>,
    /// The dimensions after `dimension`, in order (`per user per category`:
    /// `dimension` is `user`, this is `[category]`): one counter per
    /// combination of the payment's values. Absent: `dimension` alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_dimensions: Vec<Dimension>,
}

impl Limit {
    /// Every dimension the limit counts by, in order (none: the whole
    /// campaign).
    pub fn dimensions(&self) -> impl Iterator<Item = Dimension> + '_ {
        self.dimension
            .into_iter()
            .chain(self.more_dimensions.iter().copied())
    }
}

/// A daily time range of a schedule, `[start_minute, end_minute)` in
/// minutes after local midnight (`10:00 to 12:00` is 600 to 720; `24:00`
/// is 1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    #[schemars(range(max = 1439))]
    pub start_minute: u16,
    #[schemars(range(min = 1, max = 1440))]
    pub end_minute: u16,
}

/// When inside its window a campaign pays, in the window's zone: on the
/// listed days, within the listed time ranges. Normalized: days in week
/// order (every day when `days` is not written), ranges in order, never
/// overlapping (all day when `hours` is not written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub days: NonEmpty<Day>,
    pub hours: NonEmpty<TimeRange>,
}

impl Schedule {
    /// Whether a local date and time (in the window's zone) is scheduled.
    pub fn admits(&self, day: Day, minute_of_day: u16) -> bool {
        self.days.as_slice().contains(&day)
            && self.hours.as_slice().iter().any(|range| {
                range.start_minute <= minute_of_day && minute_of_day < range.end_minute
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StageTarget {
    Segment { segment: Id },
    Percent { share: Rate },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub target: StageTarget,
    /// `null` only for the last stage, which runs until the window ends.
    pub duration_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GuardMetric {
    /// Halt when the campaign pays more than this within `per_seconds`.
    Spend { above: Money },
    /// Halt when there are more redemptions than this within `per_seconds`.
    Redemptions { above: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guard {
    pub metric: GuardMetric,
    pub per_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Stacking {
    Exclusive,
    StacksWith { campaigns: NonEmpty<Id> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Throughput {
    pub count: u64,
    pub per_seconds: u64,
}

/// Which bound decided the worst-case exposure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ExposureBound {
    Budget,
    CampaignCount {
        count: u64,
    },
    PeriodAmount {
        period: Period,
        periods: u64,
    },
    PeriodCount {
        period: Period,
        periods: u64,
        count: u64,
    },
    /// (v2) The budget of the campaign's pool, in its currency.
    Pool,
    /// (v2) The claim inventory × the largest single reward: each coupon
    /// pays at most once.
    ClaimInventory {
        inventory: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaxExposure {
    pub amount: Money,
    pub bound: ExposureBound,
    /// After the fund's `max_per_use`.
    pub largest_single_reward: Money,
}

/// One campaign, normalized: every name resolved, every default explicit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: Id,
    pub title: String,
    pub owner: String,
    pub doc: Option<String>,
    pub source: SourceLocation,
    pub template: Option<TemplateRef>,
    /// Every amount of the campaign is in this currency.
    pub currency: CurrencyCode,
    pub fund: Fund,
    pub scenes: NonEmpty<Scene>,
    pub categories: Scope,
    pub regions: Scope,
    pub segments: Scope,
    pub window: Window,
    pub reward: Reward,
    pub budget: Money,
    pub limits: Vec<Limit>,
    /// `null`: live for everyone from the window's start.
    pub rollout: Option<NonEmpty<Stage>>,
    pub guards: Vec<Guard>,
    pub stacking: Stacking,
    pub expected_peak: Option<Throughput>,
    pub max_exposure: MaxExposure,
    /// How many approvals the release needs, from the policy's tiers.
    pub approvals_required: u32,
    /// (v2) The merchant groups a payment's merchant must be in (one of).
    #[serde(default, skip_serializing_if = "Scope::is_any")]
    pub merchants: Scope,
    /// (v2) The instruments a payment must be made with; their kinds and
    /// BIN prefixes are in the manifest's schema.
    #[serde(default, skip_serializing_if = "Scope::is_any")]
    pub instruments: Scope,
    /// `days:` and `hours:`; absent: every instant of the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// (v2) The pool the campaign draws from; absent: none. A payment is
    /// paid only while the pool, which every campaign naming it shares,
    /// has room for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolRef>,
    /// (v2) Claim-first coupons; absent: the campaign pays without one. With
    /// it, a payment is paid only for a user holding an unused coupon valid
    /// at its instant, and uses the one that expires first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
}

/// (v2) A campaign's claim block: when coupons may be claimed, how many
/// there are, how many one user may claim, and how long each is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// When a coupon may be claimed, `[start, end)`; it overlaps the
    /// campaign's window.
    pub window: Window,
    /// Coupons in all; a claim when all are claimed is refused.
    pub inventory: u64,
    /// Coupons one user may claim; at most `inventory`.
    pub per_user: u64,
    /// A coupon claimed at T is valid over `[T, T + valid_for_seconds)`,
    /// cut at the campaign window's end; `null`: until that end.
    pub valid_for_seconds: Option<u64>,
}

/// (v2) A campaign's pool: its id and its budget in the campaign's
/// currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolRef {
    pub id: Id,
    /// The most every campaign of the pool in this currency pays together.
    pub budget: Money,
}

/// The file a runtime loads: `campaigns/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "UncheckedCampaignDocument")]
#[schemars(title = "Camp campaign IR")]
pub struct CampaignDocument {
    pub ir_version: String,
    /// Hex SHA-256 of the canonical bytes of `campaign` (keys sorted, no
    /// white space).
    pub sha256: String,
    pub campaign: Campaign,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UncheckedCampaignDocument {
    ir_version: String,
    #[schemars(pattern("^[0-9a-f]{64}$"))]
    sha256: String,
    campaign: Campaign,
}

impl TryFrom<UncheckedCampaignDocument> for CampaignDocument {
    type Error = IrError;
    fn try_from(document: UncheckedCampaignDocument) -> Result<CampaignDocument, IrError> {
        check_version(&document.ir_version)?;
        validate_campaign(&document.campaign)?;
        let expected = canonical::sha256_of(&document.campaign)?;
        if expected != document.sha256 {
            return Err(invalid(format!(
                "sha256 `{}` does not match the campaign (expected `{expected}`)",
                document.sha256
            )));
        }
        Ok(CampaignDocument {
            ir_version: document.ir_version,
            sha256: document.sha256,
            campaign: document.campaign,
        })
    }
}

/// (v2) Each pool entry is of a declared pool, and each of its exposures
/// is in a currency of the pool's budget and within it.
pub fn validate_pools(package: &Package) -> Result<(), IrError> {
    for entry in &package.pools {
        let Some(pool) = package.schema.pools.iter().find(|pool| pool.id == entry.id) else {
            return Err(invalid(format!(
                "pool `{}` is not declared in the schema",
                entry.id.as_str()
            )));
        };
        for exposure in entry.max_exposure.as_slice() {
            let within = pool.budget.as_slice().iter().any(|budget| {
                budget.currency == exposure.amount.currency
                    && exposure.amount.amount <= budget.amount
            });
            if !within {
                return Err(invalid(format!(
                    "pool `{}`'s exposure `{}` is not within its budget",
                    entry.id.as_str(),
                    exposure.amount
                )));
            }
        }
    }
    Ok(())
}

fn check_version(version: &str) -> Result<(), IrError> {
    if version == IR_VERSION {
        Ok(())
    } else {
        Err(invalid(format!(
            "ir_version `{version}` is not the supported `{IR_VERSION}`"
        )))
    }
}

/// The rules serde alone cannot express.
pub fn validate_campaign(campaign: &Campaign) -> Result<(), IrError> {
    let currency = campaign.currency.0;
    let mut amounts: Vec<&Money> = vec![
        &campaign.budget,
        &campaign.max_exposure.amount,
        &campaign.max_exposure.largest_single_reward,
    ];
    amounts.extend(campaign.reward.min_spend.as_ref());
    amounts.extend(campaign.reward.max_spend.as_ref());
    if let Some(credit) = &campaign.reward.credit {
        amounts.extend(credit.point_value.as_ref());
        match (credit.kind, &credit.point_value) {
            (CreditKind::Points, Some(value)) if value.amount > Decimal::ZERO => {}
            (CreditKind::Points, _) => {
                return Err(invalid(
                    "points are credited without a positive point_value",
                ));
            }
            (CreditKind::Cash | CreditKind::Statement, None) => {}
            (CreditKind::Cash | CreditKind::Statement, Some(_)) => {
                return Err(invalid("a point_value on a credit that is not points"));
            }
        }
    }
    if let (Some(min_spend), Some(max_spend)) =
        (&campaign.reward.min_spend, &campaign.reward.max_spend)
        && max_spend.amount < min_spend.amount
    {
        return Err(invalid("max_spend is below min_spend"));
    }
    match &campaign.reward.form {
        RewardForm::Fixed { amount } => amounts.push(amount),
        RewardForm::Percent { cap, .. } => amounts.push(cap),
        RewardForm::Tiers { tiers } => {
            let mut previous: Option<&Tier> = None;
            for tier in tiers.as_slice() {
                amounts.push(&tier.spend);
                amounts.push(&tier.reward);
                if tier.reward.amount >= tier.spend.amount {
                    return Err(invalid("a tier's reward is not below its spend"));
                }
                if previous.is_some_and(|previous| tier.spend.amount <= previous.spend.amount) {
                    return Err(invalid("tier thresholds do not strictly increase"));
                }
                previous = Some(tier);
            }
        }
        RewardForm::Random { low, high } => {
            amounts.push(low);
            amounts.push(high);
            if low.amount >= high.amount {
                return Err(invalid("random reward range is empty"));
            }
        }
        RewardForm::Every { step, reward, cap } => {
            amounts.push(step);
            amounts.push(reward);
            amounts.extend(cap.as_ref());
            if step.amount <= Decimal::ZERO || reward.amount >= step.amount {
                return Err(invalid("an every reward's reward is not below its step"));
            }
        }
        RewardForm::Price { price, cap } => {
            amounts.push(price);
            amounts.extend(cap.as_ref());
            if cap.is_none() && campaign.reward.max_spend.is_none() {
                return Err(invalid("a price reward has neither a cap nor a max_spend"));
            }
        }
    }
    for limit in &campaign.limits {
        if let LimitAmount::Money { money } = &limit.amount {
            amounts.push(money);
        }
    }
    for guard in &campaign.guards {
        if let GuardMetric::Spend { above } = &guard.metric {
            amounts.push(above);
        }
    }
    if let Some(other) = amounts.iter().find(|money| money.currency != currency) {
        return Err(invalid(format!(
            "amount `{other}` is not in the campaign's currency `{}`",
            currency.code()
        )));
    }
    if amounts.iter().any(|money| money.amount < Decimal::ZERO) {
        return Err(invalid("an amount is negative"));
    }
    let effective_rate = campaign.reward.computed_effective_rate()?;
    if campaign.reward.effective_rate != effective_rate {
        return Err(invalid(format!(
            "effective_rate `{}` is not the reward's (`{}`)",
            String::from(campaign.reward.effective_rate),
            String::from(effective_rate)
        )));
    }
    if let Some(max) = campaign.fund.max_rate
        && effective_rate > max
    {
        return Err(invalid(format!(
            "effective_rate `{}` is above the fund's max_rate `{}`",
            String::from(effective_rate),
            String::from(max)
        )));
    }
    if campaign.window.end <= campaign.window.start {
        return Err(invalid("the window does not end after it starts"));
    }
    if campaign.approvals_required == 0 {
        return Err(invalid("approvals_required is zero"));
    }
    if let Some(schedule) = &campaign.schedule {
        let days = schedule.days.as_slice();
        if days.windows(2).any(|pair| matches!(pair, [a, b] if a >= b)) {
            return Err(invalid("schedule days are not in week order or repeat"));
        }
        let mut previous_end = 0;
        for range in schedule.hours.as_slice() {
            if range.start_minute >= range.end_minute || range.end_minute > 24 * 60 {
                return Err(invalid("a schedule time range is empty or past 24:00"));
            }
            if range.start_minute < previous_end {
                return Err(invalid("schedule time ranges overlap or are out of order"));
            }
            previous_end = range.end_minute;
        }
    }
    for limit in &campaign.limits {
        let dimensions: Vec<Dimension> = limit.dimensions().collect();
        if dimensions.iter().enumerate().any(|(index, dimension)| {
            dimensions
                .iter()
                .skip(index + 1)
                .any(|other| other == dimension)
        }) {
            return Err(invalid("a limit names a dimension twice"));
        }
        if limit.dimension.is_none() && !limit.more_dimensions.is_empty() {
            return Err(invalid("a limit has more dimensions but no first one"));
        }
    }
    if campaign.max_exposure.amount.amount > campaign.budget.amount {
        return Err(invalid("max_exposure is above the budget"));
    }
    if let Some(pool) = &campaign.pool {
        if pool.budget.currency != currency {
            return Err(invalid(format!(
                "pool `{}`'s budget `{}` is not in the campaign's currency `{}`",
                pool.id.as_str(),
                pool.budget,
                currency.code()
            )));
        }
        if pool.budget.amount <= Decimal::ZERO {
            return Err(invalid("the pool's budget is not above zero"));
        }
        if campaign.max_exposure.amount.amount > pool.budget.amount {
            return Err(invalid("max_exposure is above the pool's budget"));
        }
    }
    if let Some(claim) = &campaign.claim {
        validate_claim(campaign, claim)?;
    }
    Ok(())
}

/// (v2) A claim block: positive counts and validity, a claim window that
/// overlaps the campaign's, and an exposure within the inventory's bound.
fn validate_claim(campaign: &Campaign, claim: &Claim) -> Result<(), IrError> {
    if claim.inventory == 0 || claim.per_user == 0 {
        return Err(invalid("a claim's inventory or per_user is zero"));
    }
    if claim.per_user > claim.inventory {
        return Err(invalid("a claim's per_user is above its inventory"));
    }
    if claim.valid_for_seconds == Some(0) {
        return Err(invalid("a claim's valid_for_seconds is zero"));
    }
    if claim.window.end <= claim.window.start {
        return Err(invalid("the claim window does not end after it starts"));
    }
    if !(claim.window.start < campaign.window.end && campaign.window.start < claim.window.end) {
        return Err(invalid(
            "the claim window does not overlap the campaign's window",
        ));
    }
    let bound = Decimal::from(claim.inventory)
        .checked_mul(campaign.max_exposure.largest_single_reward.amount);
    if bound.is_some_and(|bound| campaign.max_exposure.amount.amount > bound) {
        return Err(invalid("max_exposure is above the claim inventory's bound"));
    }
    Ok(())
}

// ------------------------------------------------------------------ manifest

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaItem {
    pub id: Id,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SceneItem {
    pub id: Id,
    pub money_movement: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionItem {
    pub id: Id,
    pub code: Option<String>,
    pub doc: Option<String>,
}

/// (v2) A named set of merchants, kept by the runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MerchantGroupItem {
    pub id: Id,
    /// Where the runtime finds the group's merchants.
    pub list: String,
    pub doc: Option<String>,
}

/// (v2) A payment instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentItem {
    pub id: Id,
    pub kind: InstrumentKind,
    /// BIN prefixes (6 to 8 digits), cards only; empty when none is given.
    pub bins: Vec<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalTier {
    pub approvals: u32,
    /// Empty for the last, open tier.
    pub up_to: Vec<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// `null`: every ISO 4217 currency is allowed.
    pub currencies: Option<NonEmpty<CurrencyCode>>,
    pub max_rate: Option<Rate>,
    pub approvals: Vec<ApprovalTier>,
    pub capacity: Option<Throughput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSchema {
    pub scenes: Vec<SceneItem>,
    pub categories: Vec<SchemaItem>,
    pub regions: Vec<RegionItem>,
    pub segments: Vec<SchemaItem>,
    pub funds: Vec<Fund>,
    pub policy: Option<Policy>,
    /// (v2)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merchant_groups: Vec<MerchantGroupItem>,
    /// (v2)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<InstrumentItem>,
    /// (v2) Budgets shared by several campaigns of one fund, sorted by id;
    /// absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<Pool>,
}

/// (v2) A pool as the schema declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub id: Id,
    /// Only campaigns of this fund draw from it.
    pub fund: Id,
    /// One amount per currency, sorted by currency code.
    pub budget: NonEmpty<Money>,
    pub doc: Option<String>,
}

/// (v2) What bounds a pool's exposure in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoolBound {
    /// The pool's budget.
    Budget,
    /// The sum of its campaigns' exposures.
    Campaigns,
}

/// (v2) A pool's worst-case exposure in one currency of its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolExposure {
    /// The smaller of the budget and the sum of the exposures of its
    /// campaigns in this currency (zero when none is in it).
    pub amount: Money,
    pub bound: PoolBound,
    pub approvals_required: u32,
}

/// (v2) A pool's entry in the manifest: its campaigns, its exposure per
/// currency and the approvals its release needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolEntry {
    pub id: Id,
    /// The campaigns that draw from it, sorted by id.
    pub campaigns: Vec<Id>,
    /// One per currency of its budget, sorted by currency code.
    pub max_exposure: NonEmpty<PoolExposure>,
    /// The most any currency's exposure needs.
    pub approvals_required: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignEntry {
    pub id: Id,
    /// The campaign document, relative to the manifest.
    pub file: String,
    /// The document's `sha256`.
    pub sha256: String,
    pub max_exposure: Money,
    pub approvals_required: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// `[package] name` from `camp.toml`.
    pub name: Option<String>,
    pub schema: PackageSchema,
    /// Sorted by id.
    pub campaigns: Vec<CampaignEntry>,
    /// (v2) Sorted by id; absent: no pool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<PoolEntry>,
}

/// `manifest.json`: the package's schema and an index of its campaigns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "UncheckedManifest")]
#[schemars(title = "Camp package manifest IR")]
pub struct Manifest {
    pub ir_version: String,
    /// Hex SHA-256 of the canonical bytes of `package`.
    pub sha256: String,
    pub package: Package,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UncheckedManifest {
    ir_version: String,
    #[schemars(pattern("^[0-9a-f]{64}$"))]
    sha256: String,
    package: Package,
}

impl TryFrom<UncheckedManifest> for Manifest {
    type Error = IrError;
    fn try_from(manifest: UncheckedManifest) -> Result<Manifest, IrError> {
        check_version(&manifest.ir_version)?;
        let expected = canonical::sha256_of(&manifest.package)?;
        if expected != manifest.sha256 {
            return Err(invalid(format!(
                "sha256 `{}` does not match the package (expected `{expected}`)",
                manifest.sha256
            )));
        }
        validate_pools(&manifest.package)?;
        Ok(Manifest {
            ir_version: manifest.ir_version,
            sha256: manifest.sha256,
            package: manifest.package,
        })
    }
}

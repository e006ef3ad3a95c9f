//! The checked program: schema and campaigns with every name resolved, every
//! quantity typed, and each campaign's exposure computed. Only the checker
//! builds these; the IR, the linter and the server read them.

use std::collections::BTreeMap;
use std::fmt;

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::source::{FileId, Span};

// The closed vocabularies are the IR's own enums: one definition, used by
// the checker and written to the IR as they are.
pub use crate::ir::types::{Dimension, Payer, Period, Requirement};

/// An exact amount in one currency, at most the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn minor_unit(currency: Currency) -> u32 {
        u32::from(currency.exponent().unwrap_or(0))
    }

    /// The amount at exactly the currency's scale (`2000.00` for CNY).
    pub fn scaled_amount(&self) -> Decimal {
        let mut amount = self.amount;
        amount.rescale(Money::minor_unit(self.currency));
        amount
    }

    pub fn code(&self) -> &'static str {
        self.currency.code()
    }
}

impl fmt::Display for Money {
    /// `CNY 2_000.00`, the way an author writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.code(),
            group_digits(&self.scaled_amount().to_string())
        )
    }
}

/// Inserts `_` every three digits of the integer part: `2000.00` → `2_000.00`.
pub fn group_digits(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (integer, fraction) = match rest.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (rest, None),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = integer.chars().collect();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('_');
        }
        grouped.push(*digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A rate as its percent number: `15%` is `Rate(15)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub Decimal);

impl Rate {
    /// The rate as a fraction: `15%` → `0.15`.
    pub fn fraction(self) -> Decimal {
        (self.0 / Decimal::ONE_HUNDRED).normalize()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

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

/// The whole schema of a package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub scenes: BTreeMap<String, SceneDef>,
    pub categories: BTreeMap<String, SimpleDef>,
    pub regions: BTreeMap<String, SimpleDef>,
    pub segments: BTreeMap<String, SimpleDef>,
    pub funds: BTreeMap<String, FundDef>,
    pub policy: Option<PolicyDef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewardForm {
    Fixed(Money),
    Percent {
        rate: Rate,
        cap: Money,
    },
    /// `(spend threshold, reward)`, thresholds strictly increasing.
    Tiers(Vec<(Money, Money)>),
    Random {
        low: Money,
        high: Money,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reward {
    pub form: RewardForm,
    pub min_spend: Option<Money>,
    pub span: Span,
}

impl Reward {
    /// The largest single reward the form itself allows (the fund's
    /// `max_per_use` may lower it further); `None` only for empty tiers.
    pub fn largest_single(&self) -> Option<Money> {
        match &self.form {
            RewardForm::Fixed(amount) => Some(*amount),
            RewardForm::Percent { cap, .. } => Some(*cap),
            RewardForm::Tiers(tiers) => tiers
                .iter()
                .map(|(_, reward)| *reward)
                .max_by(|a, b| a.amount.cmp(&b.amount)),
            RewardForm::Random { high, .. } => Some(*high),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitAmount {
    Count(u64),
    Money(Money),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub amount: LimitAmount,
    /// `None`: the limit is on the whole campaign.
    pub dimension: Option<Dimension>,
    /// `None`: the limit spans the whole window.
    pub period: Option<Period>,
    pub span: Span,
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
    pub span: Span,
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
    pub template: Option<TemplateUse>,
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
    pub budget: Span,
    pub window: Span,
    /// The `rollout` keyword and the first stage.
    pub rollout: Option<Span>,
    pub first_stage: Option<Span>,
    pub stacking: Option<Span>,
    pub expected_peak: Option<Span>,
}

/// The checked package: the schema and every campaign, sorted by id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    pub schema: Schema,
    pub campaigns: Vec<CampaignModel>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_displays_at_the_currency_scale_with_grouping() {
        let money = Money {
            amount: Decimal::new(2000, 0),
            currency: Currency::CNY,
        };
        assert_eq!(money.to_string(), "CNY 2_000.00");
        let yen = Money {
            amount: Decimal::new(1234567, 0),
            currency: Currency::JPY,
        };
        assert_eq!(yen.to_string(), "JPY 1_234_567");
    }
}

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
pub use camp_lang::vocab::{Dimension, Payer, Period, Requirement};
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

// ------------------------------------------------------------------ leaves

/// A snake_case name declared in the schema or a campaign id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = IrError;
    fn try_from(text: String) -> Result<Id, IrError> {
        let mut chars = text.chars();
        let first_ok = chars
            .next()
            .is_some_and(|ch| ch.is_ascii_lowercase() || ch == '_');
        if first_ok && chars.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') {
            Ok(Id(text))
        } else {
            Err(invalid(format!("`{text}` is not a snake_case id")))
        }
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": "^[a-z_][a-z0-9_]*$",
            "description": "A snake_case name from the package's schema, or a campaign id."
        }))
    }
}

/// An ISO 4217 currency with a minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(pub Currency);

impl TryFrom<String> for CurrencyCode {
    type Error = IrError;
    fn try_from(text: String) -> Result<CurrencyCode, IrError> {
        match Currency::from_code(&text) {
            Some(currency) if currency.exponent().is_some() => Ok(CurrencyCode(currency)),
            _ => Err(invalid(format!(
                "`{text}` is not an ISO 4217 currency with a minor unit"
            ))),
        }
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> String {
        code.0.code().to_string()
    }
}

impl JsonSchema for CurrencyCode {
    fn schema_name() -> Cow<'static, str> {
        "CurrencyCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "An ISO 4217 currency code."
        }))
    }
}

/// Money: the amount as a decimal string at exactly the currency's scale
/// (`"2000.00"` for CNY, `"500"` for JPY). Never a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MoneyRepr {
    /// The amount at exactly the currency's minor unit, e.g. `"2000.00"`.
    #[schemars(pattern(r"^[0-9]+(\.[0-9]+)?$"))]
    amount: String,
    currency: CurrencyCode,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    pub fn scale(currency: Currency) -> u32 {
        u32::from(currency.exponent().unwrap_or(0))
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut amount = self.amount;
        amount.rescale(Money::scale(self.currency));
        MoneyRepr {
            amount: amount.to_string(),
            currency: CurrencyCode(self.currency),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let repr = MoneyRepr::deserialize(deserializer)?;
        let currency = repr.currency.0;
        let scale = Money::scale(currency);
        let well_formed = repr
            .amount
            .chars()
            .all(|ch| ch.is_ascii_digit() || ch == '.')
            && repr
                .amount
                .split_once('.')
                .map_or(scale == 0, |(whole, fraction)| {
                    !whole.is_empty() && u32::try_from(fraction.len()).ok() == Some(scale)
                });
        let amount = Decimal::from_str(&repr.amount).ok().filter(|_| well_formed).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "money amount `{}` must be a non-negative decimal with exactly {scale} decimals for {}",
                repr.amount,
                currency.code()
            ))
        })?;
        Ok(Money { amount, currency })
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        MoneyRepr::json_schema(generator)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        amount.rescale(Money::scale(self.currency));
        write!(f, "{} {}", self.currency.code(), amount)
    }
}

/// A rate as a fraction in (0, 1], as a decimal string: 15% is `"0.15"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate(Decimal);

impl Rate {
    pub fn from_fraction(fraction: Decimal) -> Result<Rate, IrError> {
        if fraction > Decimal::ZERO && fraction <= Decimal::ONE {
            Ok(Rate(fraction.normalize()))
        } else {
            Err(invalid(format!("rate `{fraction}` is outside (0, 1]")))
        }
    }

    pub fn fraction(self) -> Decimal {
        self.0
    }
}

impl TryFrom<String> for Rate {
    type Error = IrError;
    fn try_from(text: String) -> Result<Rate, IrError> {
        let value = Decimal::from_str(&text)
            .map_err(|_| invalid(format!("rate `{text}` is not a decimal")))?;
        Rate::from_fraction(value)
    }
}

impl From<Rate> for String {
    fn from(rate: Rate) -> String {
        rate.0.normalize().to_string()
    }
}

impl JsonSchema for Rate {
    fn schema_name() -> Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^(0(\.[0-9]*[1-9])?|1)$",
            "description": "A rate as a fraction in (0, 1], as a decimal string: 15% is \"0.15\"."
        }))
    }
}

/// A UTC instant, RFC 3339: `"2025-01-19T16:00:00Z"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Instant(pub jiff::Timestamp);

impl TryFrom<String> for Instant {
    type Error = IrError;
    fn try_from(text: String) -> Result<Instant, IrError> {
        if !text.ends_with('Z') {
            return Err(invalid(format!("instant `{text}` is not in UTC (`…Z`)")));
        }
        jiff::Timestamp::from_str(&text)
            .map(Instant)
            .map_err(|_| invalid(format!("`{text}` is not an RFC 3339 instant")))
    }
}

impl From<Instant> for String {
    fn from(instant: Instant) -> String {
        instant.0.to_string()
    }
}

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$",
            "description": "A UTC instant in RFC 3339."
        }))
    }
}

/// A wall-clock time in the window's zone, as written: `"2025-01-20T00:00:00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalDateTime(pub jiff::civil::DateTime);

impl TryFrom<String> for LocalDateTime {
    type Error = IrError;
    fn try_from(text: String) -> Result<LocalDateTime, IrError> {
        jiff::civil::DateTime::from_str(&text)
            .map(LocalDateTime)
            .map_err(|_| invalid(format!("`{text}` is not a local date and time")))
    }
}

impl From<LocalDateTime> for String {
    fn from(local: LocalDateTime) -> String {
        local.0.strftime("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

impl JsonSchema for LocalDateTime {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$",
            "description": "A wall-clock date and time in the window's zone, as the author wrote it."
        }))
    }
}

/// A list with at least one element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<T>", into = "Vec<T>")]
#[serde(bound(
    serialize = "T: Serialize + Clone",
    deserialize = "T: Deserialize<'de>"
))]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    pub fn new(items: Vec<T>) -> Result<NonEmpty<T>, IrError> {
        if items.is_empty() {
            Err(invalid("a list that must not be empty is empty"))
        } else {
            Ok(NonEmpty(items))
        }
    }

    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T> TryFrom<Vec<T>> for NonEmpty<T> {
    type Error = IrError;
    fn try_from(items: Vec<T>) -> Result<NonEmpty<T>, IrError> {
        NonEmpty::new(items)
    }
}

impl<T> From<NonEmpty<T>> for Vec<T> {
    fn from(list: NonEmpty<T>) -> Vec<T> {
        list.0
    }
}

impl<T: JsonSchema> JsonSchema for NonEmpty<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("NonEmpty_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let items = generator.subschema_for::<T>();
        schema_from(serde_json::json!({
            "type": "array",
            "items": items,
            "minItems": 1
        }))
    }
}

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
    /// fund's and the policy's `max_rate` bound it.
    pub effective_rate: Rate,
}

impl Reward {
    /// The effective rate that `form` and `min_spend` give, which
    /// `effective_rate` must be.
    pub fn computed_effective_rate(&self) -> Result<Rate, IrError> {
        let form = self.form.meaning();
        let min_spend = self.min_spend.as_ref().map(|money| money.meaning());
        Rate::from_fraction(form.effective_rate(min_spend).fraction())
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
    if campaign.max_exposure.amount.amount > campaign.budget.amount {
        return Err(invalid("max_exposure is above the budget"));
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
        Ok(Manifest {
            ir_version: manifest.ir_version,
            sha256: manifest.sha256,
            package: manifest.package,
        })
    }
}

//! What the evaluator decides for one payment, and why: each campaign's
//! outcome with the checks and the arithmetic behind it, structured (serde
//! JSON) and as text ([`fmt::Display`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use camp_ir::lang::reward::RewardArithmetic;
use camp_ir::types::{CurrencyCode, Guard, Id, Instant, Limit, LocalDateTime, Money, Stage};
use schemars::JsonSchema;
use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::evaluator::Catalog;

/// Why a campaign paid nothing: when several apply, the decision names the
/// first in the contract's order (`claim`, declared last so that the
/// other reasons keep their places, comes after `rollout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The payment's currency is not the campaign's.
    Currency,
    /// The payment's instant is outside the window.
    Window,
    /// The payment's instant is inside the window but outside its schedule
    /// (`days:`, `hours:`).
    Schedule,
    /// The scene, category, region or segments are outside the scope.
    Scope,
    /// The payment is below `min_spend`.
    MinSpend,
    /// The payment is above `max_spend`.
    MaxSpend,
    /// The form pays nothing for this amount (below the lowest tier, or a
    /// reward that rounds down to zero).
    Reward,
    /// The rollout stage live at the instant does not admit the user.
    Rollout,
    /// A guard has halted the campaign, or this payment would exceed one.
    Guard,
    /// A limit's counter would go past its bound.
    Limit,
    /// The budget would be exceeded.
    Budget,
    /// (v2) The campaign's pool, shared with other campaigns, has no room
    /// left for this reward.
    Pool,
    /// Not combined with a campaign paid before it, or it would take the
    /// total above the payment.
    Stacking,
    /// (v2) A claim campaign, and the user holds no unused coupon valid at
    /// the payment's instant.
    Claim,
}

impl Reason {
    pub const ALL: [Reason; 14] = [
        Reason::Currency,
        Reason::Window,
        Reason::Schedule,
        Reason::Scope,
        Reason::MinSpend,
        Reason::MaxSpend,
        Reason::Reward,
        Reason::Rollout,
        Reason::Guard,
        Reason::Limit,
        Reason::Budget,
        Reason::Pool,
        Reason::Stacking,
        Reason::Claim,
    ];

    /// The word a test writes after `no discount:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Currency => "currency",
            Reason::Window => "window",
            Reason::Schedule => "schedule",
            Reason::Scope => "scope",
            Reason::MinSpend => "min_spend",
            Reason::MaxSpend => "max_spend",
            Reason::Reward => "reward",
            Reason::Rollout => "rollout",
            Reason::Guard => "guard",
            Reason::Limit => "limit",
            Reason::Budget => "budget",
            Reason::Pool => "pool",
            Reason::Stacking => "stacking",
            Reason::Claim => "claim",
        }
    }

    pub fn parse(word: &str) -> Option<Reason> {
        Reason::ALL
            .into_iter()
            .find(|reason| reason.as_str() == word)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evaluator's answer to one payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Decided(Decided),
    Refused(Refusal),
}

impl Decision {
    pub fn decided(&self) -> Option<&Decided> {
        match self {
            Decision::Decided(decided) => Some(decided),
            Decision::Refused(_) => None,
        }
    }
}

/// A payment the evaluator will not decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The id was decided before for a payment with other attributes.
    ConflictingReplay { payment: String },
    /// A negative amount, or one finer than the currency's minor unit.
    InvalidAmount { payment: String, amount: String },
}

/// What a payment was paid: every campaign of the evaluator, in id order,
/// with what it paid or the first reason it paid nothing.
///
/// The campaigns *considered* (in the payment's currency, with its scene
/// among their scenes, and its category and region among theirs when they
/// or their funds restrict them: the evaluator's index) are evaluated in
/// full and are in [`Decided::campaigns`]; every other campaign pays
/// nothing for a reason the index alone gives (`currency`, `window` or
/// `scope`), and is
/// named on request ([`Decided::every_campaign`], [`Decided::campaign`], the
/// text and JSON forms), so that a decision costs what its considered
/// campaigns cost, not what the package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub payment: String,
    pub amount: Money,
    /// `true` when this is the first decision of the id, returned again.
    pub replay: bool,
    /// What the payment gets off in all.
    pub total: Money,
    /// The campaigns considered, in id order (shared with the evaluator's
    /// record of the payment id, for its replays).
    pub campaigns: Arc<[CampaignDecision]>,
    /// The evaluator's other campaigns, named on request.
    pub others: NotConsidered,
}

/// The campaigns a decision did not consider: what naming them needs (the
/// evaluator's campaigns, shared, and the payment's scope attributes and
/// instant).
#[derive(Debug, Clone)]
pub struct NotConsidered {
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) scene: Id,
    pub(crate) instant: Instant,
    /// The payment's other scope attributes (the index's and the
    /// explanation's).
    pub(crate) category: Option<Id>,
    pub(crate) region: Option<Id>,
    pub(crate) segments: std::collections::BTreeSet<Id>,
    /// (v2) The merchant groups and the card's instrument, when the
    /// payment has either (boxed: most decisions have none, and a
    /// decision stays small).
    pub(crate) who: Option<Box<(std::collections::BTreeSet<Id>, Option<Id>)>>,
}

/// The merchant groups of a payment without any.
static NO_GROUPS: std::collections::BTreeSet<Id> = std::collections::BTreeSet::new();

impl PartialEq for NotConsidered {
    fn eq(&self, other: &NotConsidered) -> bool {
        (Arc::ptr_eq(&self.catalog, &other.catalog) || self.catalog.ids().eq(other.catalog.ids()))
            && self.scene == other.scene
            && self.instant == other.instant
            && self.category == other.category
            && self.region == other.region
            && self.segments == other.segments
            && self.who == other.who
    }
}

impl Eq for NotConsidered {}

impl Decided {
    /// A campaign's outcome, considered or not; `None` for a campaign the
    /// evaluator does not have.
    pub fn campaign(&self, id: &str) -> Option<Cow<'_, CampaignDecision>> {
        if let Ok(found) = self
            .campaigns
            .binary_search_by(|decision| decision.campaign.as_str().cmp(id))
        {
            return self.campaigns.get(found).map(Cow::Borrowed);
        }
        self.others
            .catalog
            .find(id)
            .and_then(|entry| self.not_considered(entry))
            .map(Cow::Owned)
    }

    /// Every campaign of the evaluator, in id order: those considered as
    /// decided, the others with the reason they were not considered.
    pub fn every_campaign(&self) -> impl Iterator<Item = Cow<'_, CampaignDecision>> {
        let mut considered = self.campaigns.iter();
        self.others
            .catalog
            .entries()
            .iter()
            .filter_map(move |entry| match self.not_considered(entry) {
                Some(decision) => Some(Cow::Owned(decision)),
                None => considered.next().map(Cow::Borrowed),
            })
    }

    fn not_considered(&self, entry: &crate::evaluator::Entry) -> Option<CampaignDecision> {
        entry.not_considered(
            CurrencyCode(self.amount.currency),
            crate::evaluator::NamedPayment {
                scene: &self.others.scene,
                category: self.others.category.as_ref(),
                region: self.others.region.as_ref(),
                segments: &self.others.segments,
                merchant_groups: self.others.who.as_ref().map_or(&NO_GROUPS, |who| &who.0),
                instrument: self.others.who.as_ref().and_then(|who| who.1.as_ref()),
            },
            self.others.instant,
        )
    }

    /// The campaigns that paid, with what they paid, in id order.
    pub fn paid(&self) -> impl Iterator<Item = (&Id, Money)> {
        self.campaigns
            .iter()
            .filter_map(|decision| match decision.outcome {
                Outcome::Paid { amount } => Some((&decision.campaign, amount)),
                Outcome::NoDiscount { .. } => None,
            })
    }
}

/// One campaign's outcome and the checks that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CampaignDecision {
    pub campaign: Id,
    pub outcome: Outcome,
    pub explanation: Explanation,
    /// For a `back` campaign that paid: what is credited, how and when
    /// (its amount is the outcome's). Absent for an instant discount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<Credited>,
}

/// What a `back` reward credits after the payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Credited {
    pub kind: camp_ir::types::CreditKind,
    /// The payment's instant plus the credit's delay.
    pub at: Instant,
    /// For points: the amount over `point_value`, rounded down.
    pub points: Option<u64>,
}

impl Credited {
    /// The credit of a `back` campaign's `amount` for a payment at
    /// `instant`; `None` when the instant or the points overflow.
    pub fn of(
        credit: &camp_ir::types::Credit,
        amount: Money,
        instant: Instant,
    ) -> Option<Credited> {
        let delay = jiff::SignedDuration::from_secs(i64::try_from(credit.after_seconds).ok()?);
        let at = Instant(instant.0.checked_add(delay).ok()?);
        let points = match &credit.point_value {
            Some(value) => {
                Some(u64::try_from(amount.amount.checked_div(value.amount)?.trunc()).ok()?)
            }
            None => None,
        };
        Some(Credited {
            kind: credit.kind,
            at,
            points,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Paid { amount: Money },
    NoDiscount { reason: Reason },
}

impl Outcome {
    pub fn paid(self) -> Option<Money> {
        match self {
            Outcome::Paid { amount } => Some(amount),
            Outcome::NoDiscount { .. } => None,
        }
    }

    pub fn reason(self) -> Option<Reason> {
        match self {
            Outcome::Paid { .. } => None,
            Outcome::NoDiscount { reason } => Some(reason),
        }
    }
}

/// The checks the evaluator made for one campaign, as far as it went: an
/// eligibility mismatch stops before the reward; every later step is
/// shown once it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub struct Explanation {
    /// What did not match, for `currency`, `window`, `scope` and
    /// `min_spend`.
    pub mismatch: Option<Mismatch>,
    pub reward: Option<RewardExplanation>,
    /// The rollout stage live at the payment's instant, when the campaign
    /// has a rollout.
    pub rollout: Option<RolloutCheck>,
    /// The payment that halted the campaign before this one.
    pub halted: Option<Halt>,
    pub guards: Vec<GuardCheck>,
    /// The limits in the campaign's order, then the budget.
    pub counters: Vec<CounterCheck>,
    pub stacking: Option<StackingCheck>,
    /// (v2) A claim campaign's coupons: how many the user holds, and the
    /// one this payment would use (left out for other campaigns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coupons: Option<CouponCheck>,
}

/// (v2) The coupons of a claim campaign a payment's user holds at its
/// instant (unused, valid), and the one it would use: the first to expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CouponCheck {
    /// `null`: the payment has no user, so it holds no coupon.
    pub user: Option<String>,
    pub held: u64,
    pub uses: Option<Coupon>,
}

/// (v2) One coupon: claimed at `claimed`, valid over `[claimed, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Coupon {
    pub claimed: Instant,
    pub until: Instant,
}

impl fmt::Display for CouponCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.user, &self.uses) {
            (None, _) => write!(f, "claim: the payment has no user, so no coupon"),
            (Some(user), None) => write!(
                f,
                "claim: `{user}` holds no unused coupon valid at this instant"
            ),
            (Some(user), Some(coupon)) => write!(
                f,
                "claim: `{user}` holds {} valid unused coupon{}; uses the one claimed at {}, valid until {}",
                self.held,
                if self.held == 1 { "" } else { "s" },
                String::from(coupon.claimed),
                String::from(coupon.until)
            ),
        }
    }
}

/// Which eligibility condition failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    Currency {
        payment: CurrencyCode,
        campaign: CurrencyCode,
    },
    Window {
        instant: Instant,
        /// The instant in the window's zone.
        local: LocalDateTime,
        start: Instant,
        end: Instant,
    },
    Scope {
        field: ScopeField,
        /// The payment's value; `null` when it has none.
        value: Option<String>,
    },
    MinSpend {
        min_spend: Money,
        amount: Money,
    },
    /// Inside the window, outside its `days:` and `hours:`.
    Schedule {
        /// The instant in the window's zone.
        local: LocalDateTime,
    },
    MaxSpend {
        max_spend: Money,
        amount: Money,
    },
}

/// The scope a payment fell outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeField {
    Scene,
    Category,
    Region,
    Segments,
    /// The fund's scenes (a campaign's scenes are within them when it
    /// compiles; the evaluator keeps the fund's contract all the same).
    FundScene,
    FundCategory,
    /// (v2) The campaign's merchant groups, the fund's, and the
    /// campaign's instruments.
    Merchants,
    FundMerchants,
    Instruments,
}

impl ScopeField {
    fn as_str(self) -> &'static str {
        match self {
            ScopeField::Scene => "campaign's scenes",
            ScopeField::Category => "campaign's categories",
            ScopeField::Region => "campaign's regions",
            ScopeField::Segments => "campaign's segments",
            ScopeField::FundScene => "fund's scenes",
            ScopeField::FundCategory => "fund's categories",
            ScopeField::Merchants => "campaign's merchant groups",
            ScopeField::FundMerchants => "fund's merchant groups",
            ScopeField::Instruments => "campaign's instruments",
        }
    }
}

/// How the reward for this payment was computed: the form's amount,
/// rounded down to the minor unit, then bounded by the payment and by the
/// fund's `max_per_use`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RewardExplanation {
    pub arithmetic: Arithmetic,
    /// The form's amount after rounding down, before the bounds; `null`
    /// when the form pays nothing for this amount.
    pub form_amount: Option<Money>,
    /// The payment's amount, when it cut the reward.
    pub cut_to_payment: Option<Money>,
    /// The fund's `max_per_use` in this currency, when it cut the reward.
    pub cut_to_max_per_use: Option<Money>,
    /// The reward: what the campaign pays if every later check passes.
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Arithmetic {
    Fixed {
        amount: Money,
    },
    /// `rate × payment = exact`, capped, then rounded down.
    Percent {
        /// As written: `"15%"`.
        rate: String,
        payment: Money,
        /// The exact product, as a decimal string.
        exact: String,
        cap: Money,
        capped: bool,
    },
    /// The highest tier the payment reaches.
    Tier {
        spend: Money,
        reward: Money,
    },
    /// Below the lowest tier: nothing.
    BelowLowestTier {
        lowest: Money,
    },
    /// `low + k` minor units, `k` the draw modulo `choices`.
    Random {
        low: Money,
        high: Money,
        k: u64,
        choices: u64,
    },
    /// `floor(payment / step) = times`, `times × reward`, capped, then
    /// rounded down.
    Every {
        step: Money,
        reward: Money,
        payment: Money,
        times: u64,
        cap: Option<Money>,
        capped: bool,
    },
    /// Below an `every` reward's step: nothing.
    BelowStep {
        step: Money,
    },
    /// `payment − price`, capped.
    Price {
        price: Money,
        payment: Money,
        cap: Option<Money>,
        capped: bool,
    },
    /// At or below the price: nothing.
    AtOrBelowPrice {
        price: Money,
    },
    /// The arithmetic overflowed: nothing is paid.
    Overflow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RolloutCheck {
    /// 0-based, in the rollout's order.
    pub stage: usize,
    pub target: Stage,
    /// The user's bucket in `0..10_000`, for a percentage stage and a
    /// payment with a user.
    pub bucket: Option<u64>,
    pub admitted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Halt {
    pub payment: String,
    pub instant: Instant,
    /// 0-based, in the campaign's order.
    pub guard: usize,
}

/// A count or an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Quantity {
    Count { count: u64 },
    Money { money: Money },
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::Count { count } => write!(f, "{count}"),
            Quantity::Money { money } => write!(f, "{}", show(*money)),
        }
    }
}

/// A guard's trailing rate with this payment counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GuardCheck {
    /// 0-based, in the campaign's order.
    pub index: usize,
    pub guard: Guard,
    /// Within the trailing period before this payment.
    pub trailing: Quantity,
    pub adding: Quantity,
    /// `true`: this payment would exceed the guard, which halts the
    /// campaign from this payment on.
    pub trips: bool,
}

/// A limit's or the budget's counter with this payment counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CounterCheck {
    pub counter: Counter,
    pub used: Quantity,
    pub adding: Quantity,
    pub bound: Quantity,
    /// What the bound leaves before this payment.
    pub left: Quantity,
    pub fits: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Counter {
    Limit {
        /// 0-based, in the campaign's order.
        index: usize,
        limit: Limit,
        key: CounterKey,
        /// The start of the calendar period, in the window's zone.
        period_start: Option<LocalDateTime>,
    },
    Budget,
    /// (v2) The pool the campaign shares with others, in its currency.
    Pool {
        pool: Id,
    },
}

/// Whose counter a limit uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CounterKey {
    /// A limit without a dimension: the whole campaign.
    Campaign,
    /// The payment's user, device, … .
    Of { value: String },
    /// The payment has no value for the dimension: it cannot be counted,
    /// so it does not fit.
    Missing,
}

/// Step 4, for a campaign that reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StackingCheck {
    /// 0-based, in the stacking order (largest reward first, then id).
    pub position: usize,
    /// The campaigns taken before it.
    pub after: Vec<Id>,
    /// Their total.
    pub total_before: Money,
    /// Those of them it does not combine with (one of the two does not
    /// list the other, or either is exclusive).
    pub not_combined_with: Vec<Id>,
    /// `true` when its reward would take the total above the payment.
    pub above_payment: bool,
    /// (v2) `true` when, with the rewards of the campaigns of its pool
    /// taken before it, its reward would take the pool past its budget.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pool_full: bool,
}

// ------------------------------------------------------------------ text

/// Money the way an author writes it: `CNY 1_000.00`.
fn show(money: Money) -> String {
    money.meaning().to_string()
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Decided(decided) => decided.fmt(f),
            Decision::Refused(refusal) => refusal.fmt(f),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::ConflictingReplay { payment } => write!(
                f,
                "payment `{payment}`: refused: conflicting replay (the id was decided for a payment with other attributes)"
            ),
            Refusal::InvalidAmount { payment, amount } => write!(
                f,
                "payment `{payment}`: refused: invalid amount `{amount}` (negative, or finer than the currency's minor unit)"
            ),
        }
    }
}

/// The JSON form names every campaign, as the text form does.
impl Serialize for Decided {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Every<'a>(&'a Decided);
        impl Serialize for Every<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.every_campaign())
            }
        }
        let mut state = serializer.serialize_struct("Decided", 5)?;
        state.serialize_field("payment", &self.payment)?;
        state.serialize_field("amount", &self.amount)?;
        state.serialize_field("replay", &self.replay)?;
        state.serialize_field("total", &self.total)?;
        state.serialize_field("campaigns", &Every(self))?;
        state.end()
    }
}

/// The JSON form of [`Decided`] (its `Serialize`), for its JSON Schema:
/// `campaigns` holds every campaign, considered or not, in id order.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(rename = "Decided")]
struct DecidedJson {
    payment: String,
    amount: Money,
    /// `true` when this is the first decision of the id, returned again.
    replay: bool,
    /// What the payment gets off in all.
    total: Money,
    /// Every campaign, in id order, with what it paid or the first reason
    /// it paid nothing.
    campaigns: Vec<CampaignDecision>,
}

impl JsonSchema for Decided {
    fn schema_name() -> Cow<'static, str> {
        DecidedJson::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        DecidedJson::json_schema(generator)
    }
}

impl fmt::Display for Decided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "payment `{}` of {}: ", self.payment, show(self.amount))?;
        // What is off at payment, and what `back` campaigns credit later.
        let (mut off, mut back) = (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO);
        for decision in self.campaigns.iter() {
            if let Some(paid) = decision.outcome.paid() {
                match decision.credit {
                    None => off += paid.amount,
                    Some(_) => back += paid.amount,
                }
            }
        }
        let money = |amount| show(Money::new(amount, self.total.currency));
        match (off.is_zero(), back.is_zero()) {
            (true, true) => f.write_str("no discount")?,
            (false, true) => write!(f, "{} off", money(off))?,
            (true, false) => write!(f, "{} back", money(back))?,
            (false, false) => write!(f, "{} off, {} back", money(off), money(back))?,
        }
        if self.replay {
            f.write_str(" (replay: the first decision)")?;
        }
        writeln!(f)?;
        for decision in self.every_campaign() {
            decision.fmt(f)?;
        }
        Ok(())
    }
}

impl fmt::Display for CampaignDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outcome {
            Outcome::Paid { amount } => match &self.credit {
                None => writeln!(f, "  {}: {} off", self.campaign.as_str(), show(amount))?,
                Some(credit) => {
                    write!(
                        f,
                        "  {}: {} back, credited ",
                        self.campaign.as_str(),
                        show(amount)
                    )?;
                    match credit.points {
                        Some(points) => write!(f, "as {points} points")?,
                        None => write!(f, "as {}", credit.kind.as_str())?,
                    }
                    writeln!(f, " at {}", String::from(credit.at))?
                }
            },
            Outcome::NoDiscount { reason } => {
                writeln!(f, "  {}: no discount: {reason}", self.campaign.as_str())?
            }
        }
        self.explanation.fmt(f)
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(mismatch) = &self.mismatch {
            writeln!(f, "    {mismatch}")?;
        }
        if let Some(reward) = &self.reward {
            reward.fmt(f)?;
        }
        if let Some(rollout) = &self.rollout {
            writeln!(f, "    {rollout}")?;
        }
        if let Some(coupons) = &self.coupons {
            writeln!(f, "    {coupons}")?;
        }
        if let Some(halt) = &self.halted {
            writeln!(
                f,
                "    halted by guard {} since payment `{}` at {}",
                halt.guard + 1,
                halt.payment,
                String::from(halt.instant)
            )?;
        }
        for guard in &self.guards {
            writeln!(f, "    {guard}")?;
        }
        for counter in &self.counters {
            writeln!(f, "    {counter}")?;
        }
        if let Some(stacking) = &self.stacking {
            writeln!(f, "    {stacking}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Currency { payment, campaign } => write!(
                f,
                "the payment is in {}, the campaign in {}",
                payment.0.code(),
                campaign.0.code()
            ),
            Mismatch::Window {
                instant,
                local,
                start,
                end,
            } => write!(
                f,
                "{} ({} in the window's zone) is outside the window [{}, {})",
                String::from(*instant),
                String::from(*local),
                String::from(*start),
                String::from(*end)
            ),
            Mismatch::Scope { field, value } => match value {
                Some(value) => write!(f, "`{value}` is not among the {}", field.as_str()),
                None => write!(
                    f,
                    "the payment has no value for the {}, which are restricted",
                    field.as_str()
                ),
            },
            Mismatch::MinSpend { min_spend, amount } => {
                write!(
                    f,
                    "{} is below min_spend {}",
                    show(*amount),
                    show(*min_spend)
                )
            }
            Mismatch::Schedule { local } => write!(
                f,
                "{} (in the window's zone) is outside the schedule's days and hours",
                String::from(*local)
            ),
            Mismatch::MaxSpend { max_spend, amount } => {
                write!(
                    f,
                    "{} is above max_spend {}",
                    show(*amount),
                    show(*max_spend)
                )
            }
        }
    }
}

impl fmt::Display for RewardExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "    reward: {}", self.arithmetic)?;
        let computed = match self.arithmetic {
            Arithmetic::Percent { .. }
            | Arithmetic::Random { .. }
            | Arithmetic::Every { .. }
            | Arithmetic::Price { .. } => true,
            Arithmetic::Fixed { .. }
            | Arithmetic::Tier { .. }
            | Arithmetic::BelowLowestTier { .. }
            | Arithmetic::BelowStep { .. }
            | Arithmetic::AtOrBelowPrice { .. }
            | Arithmetic::Overflow => false,
        };
        if let Some(amount) = self.form_amount
            && computed
        {
            write!(f, " = {}", show(amount))?;
        }
        if let Some(payment) = self.cut_to_payment {
            write!(f, ", at most the payment {}", show(payment))?;
        }
        if let Some(max) = self.cut_to_max_per_use {
            write!(f, ", at most the fund's max_per_use {}", show(max))?;
        }
        if self.cut_to_payment.is_some() || self.cut_to_max_per_use.is_some() {
            write!(f, ": {}", show(self.amount))?;
        }
        writeln!(f)
    }
}

impl Arithmetic {
    /// The explanation of a form's arithmetic (`camp-lang`'s), with the
    /// IR's money: one arm per reward form, beside the variants it fills.
    pub(crate) fn of_form(arithmetic: RewardArithmetic) -> Arithmetic {
        let ir = |money: camp_ir::lang::money::Money| Money::new(money.amount, money.currency);
        match arithmetic {
            RewardArithmetic::Fixed { amount } => Arithmetic::Fixed { amount: ir(amount) },
            RewardArithmetic::Percent {
                rate,
                payment,
                exact,
                cap,
                capped,
            } => Arithmetic::Percent {
                rate: rate.to_string(),
                payment: ir(payment),
                exact: exact.normalize().to_string(),
                cap: ir(cap),
                capped,
            },
            RewardArithmetic::Tier { spend, reward } => Arithmetic::Tier {
                spend: ir(spend),
                reward: ir(reward),
            },
            RewardArithmetic::Random {
                low,
                high,
                k,
                choices,
            } => Arithmetic::Random {
                low: ir(low),
                high: ir(high),
                k,
                choices,
            },
            RewardArithmetic::Every {
                step,
                reward,
                payment,
                times,
                cap,
                capped,
            } => Arithmetic::Every {
                step: ir(step),
                reward: ir(reward),
                payment: ir(payment),
                times,
                cap: cap.map(ir),
                capped,
            },
            RewardArithmetic::Price {
                price,
                payment,
                cap,
                capped,
            } => Arithmetic::Price {
                price: ir(price),
                payment: ir(payment),
                cap: cap.map(ir),
                capped,
            },
        }
    }
}

impl fmt::Display for Arithmetic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arithmetic::Fixed { amount } => write!(f, "fixed {}", show(*amount)),
            Arithmetic::Percent {
                rate,
                payment,
                exact,
                cap,
                capped,
            } => {
                write!(f, "{rate} × {} = {exact}", show(*payment))?;
                if *capped {
                    write!(f, ", capped at {}", show(*cap))
                } else {
                    write!(f, " (cap {})", show(*cap))
                }?;
                f.write_str(", rounded down")
            }
            Arithmetic::Tier { spend, reward } => {
                write!(f, "tier spend {} => {}", show(*spend), show(*reward))
            }
            Arithmetic::BelowLowestTier { lowest } => {
                write!(f, "below the lowest tier {}: nothing", show(*lowest))
            }
            Arithmetic::Random {
                low,
                high,
                k,
                choices,
            } => write!(
                f,
                "random {} to {}: {} + {k} minor units (draw mod {choices})",
                show(*low),
                show(*high),
                show(*low)
            ),
            Arithmetic::Every {
                step,
                reward,
                payment,
                times,
                cap,
                capped,
            } => {
                write!(
                    f,
                    "every {} => {}: {} holds {times} {}, {times} × {}",
                    show(*step),
                    show(*reward),
                    show(*payment),
                    if *times == 1 { "step" } else { "steps" },
                    show(*reward)
                )?;
                match (cap, capped) {
                    (Some(cap), true) => write!(f, ", capped at {}", show(*cap)),
                    (Some(cap), false) => write!(f, " (cap {})", show(*cap)),
                    (None, _) => Ok(()),
                }
            }
            Arithmetic::BelowStep { step } => {
                write!(f, "below the step {}: nothing", show(*step))
            }
            Arithmetic::Price {
                price,
                payment,
                cap,
                capped,
            } => {
                write!(
                    f,
                    "price {}: {} − {}",
                    show(*price),
                    show(*payment),
                    show(*price)
                )?;
                match (cap, capped) {
                    (Some(cap), true) => write!(f, ", capped at {}", show(*cap)),
                    (Some(cap), false) => write!(f, " (cap {})", show(*cap)),
                    (None, _) => Ok(()),
                }
            }
            Arithmetic::AtOrBelowPrice { price } => {
                write!(f, "at or below the price {}: nothing", show(*price))
            }
            Arithmetic::Overflow => f.write_str("the arithmetic overflows: nothing"),
        }
    }
}

impl fmt::Display for RolloutCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rollout stage {}: ", self.stage + 1)?;
        match &self.target.target {
            camp_ir::types::StageTarget::Segment { segment } => {
                write!(f, "segment `{}`", segment.as_str())?
            }
            camp_ir::types::StageTarget::Percent { share } => {
                let percent = share
                    .fraction()
                    .checked_mul(rust_decimal::Decimal::ONE_HUNDRED)
                    .unwrap_or_default()
                    .normalize();
                write!(f, "{percent}% of users")?;
                match self.bucket {
                    Some(bucket) => write!(f, ", bucket {bucket}")?,
                    None => f.write_str(", no user")?,
                }
            }
        }
        f.write_str(if self.admitted {
            ": admitted"
        } else {
            ": not admitted"
        })
    }
}

impl fmt::Display for GuardCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (metric, above) = match &self.guard.metric {
            camp_ir::types::GuardMetric::Spend { above } => ("spend", show(*above)),
            camp_ir::types::GuardMetric::Redemptions { above } => {
                ("redemptions", above.to_string())
            }
        };
        write!(
            f,
            "guard {}: {metric} {} + {} in the last {}s against {above}{}",
            self.index + 1,
            self.trailing,
            self.adding,
            self.guard.per_seconds,
            if self.trips {
                ": exceeded, the campaign halts"
            } else {
                ""
            }
        )
    }
}

impl fmt::Display for CounterCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.counter {
            Counter::Budget => write!(f, "budget {}", self.bound)?,
            Counter::Pool { pool } => write!(f, "pool `{}` {}", pool.as_str(), self.bound)?,
            Counter::Limit {
                index,
                limit,
                key,
                period_start,
            } => {
                write!(f, "limit {}: {}", index + 1, self.bound)?;
                for dimension in limit.dimensions() {
                    write!(f, " per {}", dimension.as_str())?;
                }
                if limit.dimension.is_none() && limit.period.is_none() {
                    f.write_str(" total")?;
                }
                if let Some(period) = limit.period {
                    write!(f, " per {}", period.as_str())?;
                }
                match key {
                    CounterKey::Campaign => {}
                    CounterKey::Of { value } => write!(f, " (`{value}`")?,
                    CounterKey::Missing => f.write_str(" (none given")?,
                }
                match (key, period_start) {
                    (CounterKey::Campaign, Some(start)) => {
                        write!(f, " (from {})", String::from(*start))?
                    }
                    (CounterKey::Campaign, None) => {}
                    (_, Some(start)) => write!(f, ", from {})", String::from(*start))?,
                    (_, None) => f.write_str(")")?,
                }
            }
        }
        write!(
            f,
            ": {} used, {} left, this payment {}",
            self.used, self.left, self.adding
        )?;
        f.write_str(if self.fits { ": fits" } else { ": over" })
    }
}

impl fmt::Display for StackingCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.position == 0 {
            return f.write_str("stacking: the largest reward, taken first");
        }
        write!(f, "stacking: position {}", self.position + 1)?;
        if !self.after.is_empty() {
            let names: Vec<&str> = self.after.iter().map(Id::as_str).collect();
            write!(
                f,
                ", after {} ({})",
                names.join(", "),
                show(self.total_before)
            )?;
        }
        if !self.not_combined_with.is_empty() {
            let names: Vec<&str> = self.not_combined_with.iter().map(Id::as_str).collect();
            write!(f, ", does not combine with {}", names.join(", "))?;
        }
        if self.above_payment {
            f.write_str(", would take the total above the payment")?;
        }
        if self.pool_full {
            f.write_str(", would take its pool past its budget")?;
        }
        Ok(())
    }
}

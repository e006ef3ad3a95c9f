//! Every error the compiler reports, as one typed enum with spans, and its
//! single conversion into a [`Diagnostic`] (`error/convert.rs`): one
//! exhaustive match by variant, each arm calling its family's module
//! (`error/text.rs`, …). Codes are stable: a code is never reused for
//! another meaning. [`ERROR_CODES`] (`error/codes.rs`) is the one table of
//! codes; `docs/errors.md` is generated from it.
//!
//! Codes by family ([`Family`]):
//! - `E01xx` text and syntax
//! - `E02xx` names and fields
//! - `E03xx` units, types and currencies
//! - `E04xx` fund contracts
//! - `E05xx` rewards, rollout, exposure and approvals
//! - `E06xx` windows and instants
//! - `E07xx` templates
//! - `E08xx` the package's `camp.toml`
//! - `E09xx` tests
//! - `E10xx` language v2 (`E1021`–`E1039`: limits and schedules)
//! - `E104x`, `E105x` pools (v2)

use camp_lang::fields::docs_section;
use camp_lang::keyword::Item;

use crate::diagnostic::{Diagnostic, Edit, Fix, FixKind, Label};
use crate::source::Span;
use crate::syntax::regions::Region;

mod codes;
mod convert;

pub use self::codes::{
    ERROR_CODES, ErrorCode, Family, RETIRED_CODES, RetiredCode, error_code, errors_markdown,
    explanation, retired, title,
};

// The conversion into a diagnostic, one module per family of codes.
mod claims;
mod contracts;
mod manifest;
mod names;
mod pools;
mod rewards;
mod schedules;
mod templates;
mod tests;
mod text;
mod types;
mod who;
mod windows;

/// The longest duration Camp accepts, in seconds: 366 days. Durations are
/// rollout stages, guard and rate periods, all inside one campaign window;
/// anything longer is a typo (`400d` for `40d`, `s` for `min`).
pub const MAX_DURATION_SECONDS: u64 = 366 * 24 * 60 * 60;

/// What a number that does not fit was written for, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// A bare whole number: a count (`limit: N per user`, `approvals: N`).
    Count,
    /// The number of an amount (`CNY 1_000.00`).
    Amount,
    /// The number of a rate (`15%`).
    Rate,
    /// A number with decimals, written bare.
    Decimal,
}

/// What is wrong with a `\…` escape in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscapeProblem {
    /// `\q`: not one of the escapes.
    Unknown,
    /// `\u{D800}`: a UTF-16 surrogate, not a character.
    Surrogate,
    /// `\u{110000}`: above the largest character.
    AboveUnicode,
    /// `\u{12`, `\u12`, `\u{}`, `\u{1234567}`: not `\u{` 1 to 6 hex digits `}`.
    Malformed,
}

/// A number in a notation Camp does not accept (`0x10`, `3e6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    Hexadecimal,
    Octal,
    Binary,
    Exponent,
}

/// A user's text quoted in a message, cut to a readable length: the label
/// shows where the rest is.
pub fn shorten(text: &str) -> String {
    const SHOWN: usize = 48;
    if text.chars().count() <= SHOWN + 1 {
        return text.to_string();
    }
    let mut out: String = text.chars().take(SHOWN).collect();
    out.push('…');
    out
}

/// Where a character is, for messages: "in a comment".
/// An error diagnostic with its primary label: what every family's
/// conversion (`error/*.rs`) starts from.
fn error(code: &'static str, message: String, span: Span, label: &str) -> Diagnostic {
    Diagnostic::error(code, message, Label::new(span, label))
}

fn place(region: Region) -> &'static str {
    match region {
        Region::Code => "in the source",
        Region::String => "in a string",
        Region::Comment => "in a comment",
    }
}

/// `U+001B (escape)`, `U+0001`.
fn control_label(ch: char) -> String {
    match control_name(ch) {
        Some(name) => format!("U+{:04X} ({name})", ch as u32),
        None => format!("U+{:04X}", ch as u32),
    }
}

/// `U+202E (right-to-left override)`.
fn bidi_label(ch: char) -> String {
    format!(
        "U+{:04X} ({})",
        ch as u32,
        crate::syntax::lookalike::bidi_name(ch)
    )
}

/// Names of the control characters an author may recognize.
fn control_name(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{0}' => "null",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\u{b}' => "vertical tab",
        '\u{c}' => "form feed",
        '\u{1b}' => "escape",
        '\u{7f}' => "delete",
        _ => return None,
    })
}

/// What the other side of a one-sided `stacks_with` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherSide {
    /// No `stacking` field: `exclusive`.
    ExclusiveByDefault,
    /// `stacking: exclusive`.
    Exclusive,
    /// `stacks_with` a list without this campaign.
    OtherPartners,
}

/// The kinds of declared names, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Scene,
    Category,
    Region,
    Segment,
    Fund,
    Template,
    Campaign,
    MerchantGroup,
    Instrument,
    Pool,
}

impl NameKind {
    /// The item keyword that declares a name of this kind.
    pub fn item(self) -> Item {
        match self {
            NameKind::Scene => Item::Scene,
            NameKind::Category => Item::Category,
            NameKind::Region => Item::Region,
            NameKind::Segment => Item::Segment,
            NameKind::Fund => Item::Fund,
            NameKind::Template => Item::Template,
            NameKind::Campaign => Item::Campaign,
            NameKind::MerchantGroup => Item::MerchantGroup,
            NameKind::Instrument => Item::Instrument,
            NameKind::Pool => Item::Pool,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.item().as_str()
    }

    fn article(self) -> &'static str {
        match self {
            NameKind::Scene
            | NameKind::Category
            | NameKind::Region
            | NameKind::Segment
            | NameKind::Fund
            | NameKind::Template
            | NameKind::Campaign
            | NameKind::MerchantGroup
            | NameKind::Pool => "a",
            NameKind::Instrument => "an",
        }
    }
}

/// What takes a reward above a `max_rate` (E0306, E0404): the author's
/// values, its effective rate, and what would keep it within the maximum,
/// computed from those values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateExcess {
    /// A percentage, `15%`: its rate is its effective rate.
    Percent { rate: String },
    /// A fixed amount, or a random reward's high end, over `min_spend`.
    Amount {
        /// The reward as written: `CNY 2_000.00 off`.
        reward: String,
        /// The amount that is too large: the fixed amount or the high end.
        amount: String,
        random: bool,
        /// `min_spend` and where it is written.
        min_spend: Option<(String, Span)>,
        effective: String,
        /// The smallest `min_spend` that keeps `amount` within the maximum.
        smallest_min_spend: Option<String>,
        /// The largest amount within the maximum for the `min_spend` given.
        largest_amount: Option<String>,
    },
    /// A reward whose effective rate is fixed by what is written
    /// (`every X => Y`, `price P`), with the help that brings it within.
    Written {
        /// The reward as written: `every CNY 300.00 => CNY 200.00 off`.
        reward: String,
        effective: String,
        help: String,
    },
    /// One tier, over the smallest payment that reaches it.
    Tier {
        /// `spend CNY 100.00 => CNY 99.00 off`
        tier: String,
        /// `min_spend`, when it is above the tier's threshold.
        reached_from: Option<(String, Span)>,
        effective: String,
        /// The largest reward within the maximum for this tier.
        largest_reward: Option<String>,
    },
}

impl RateExcess {
    /// The message (completed by the bound it is above), the label, a
    /// secondary label, and the help.
    fn describe(self, above: &str, max: &str) -> (String, String, Option<Label>, String) {
        match self {
            RateExcess::Percent { rate } => (
                format!("rate `{rate}` is above {above}"),
                String::new(),
                None,
                format!("lower the rate to at most `{max}`"),
            ),
            RateExcess::Amount {
                reward,
                amount,
                random,
                min_spend,
                effective,
                smallest_min_spend,
                largest_amount,
            } => {
                let the_amount = if random {
                    format!("the high end `{amount}`")
                } else {
                    format!("`{amount}`")
                };
                match min_spend {
                    None => (
                        format!(
                            "`{reward}` with no `min_spend` has an effective rate of {effective}, above {above}"
                        ),
                        format!(
                            "effective rate {effective}: a payment up to `{amount}` {} paid in full",
                            if random { "can be" } else { "is" }
                        ),
                        None,
                        match smallest_min_spend {
                            Some(smallest) => format!(
                                "add `, min_spend {smallest}` or more, the smallest payment of which {the_amount} is `{max}`; or make it a percentage with a cap"
                            ),
                            None => String::from(
                                "add a `min_spend`, or make it a percentage with a cap",
                            ),
                        },
                    ),
                    Some((min_spend, min_spend_span)) => {
                        let lower = if random {
                            "lower the high end"
                        } else {
                            "lower the amount"
                        };
                        let help = match (smallest_min_spend, largest_amount) {
                            (Some(smallest), Some(largest)) => format!(
                                "raise `min_spend` to at least `{smallest}`, or {lower} to at most `{largest}`"
                            ),
                            (Some(smallest), None) => {
                                format!("raise `min_spend` to at least `{smallest}`")
                            }
                            (None, Some(largest)) => format!("{lower} to at most `{largest}`"),
                            (None, None) => format!("raise `min_spend`, or {lower}"),
                        };
                        let gets = if random { "can get up to" } else { "gets" };
                        (
                            format!(
                                "`{reward}` with `min_spend {min_spend}` has an effective rate of {effective}, above {above}"
                            ),
                            format!("effective rate {effective}"),
                            Some(Label::new(
                                min_spend_span,
                                format!("a payment of `{min_spend}` {gets} `{amount}` off"),
                            )),
                            help,
                        )
                    }
                }
            }
            RateExcess::Written {
                reward,
                effective,
                help,
            } => (
                format!("`{reward}` has an effective rate of {effective}, above {above}"),
                format!("effective rate {effective}"),
                None,
                help,
            ),
            RateExcess::Tier {
                tier,
                reached_from,
                effective,
                largest_reward,
            } => {
                let help = match largest_reward {
                    Some(largest) => {
                        format!("lower this tier's reward to at most `{largest}`")
                    }
                    None => String::from("lower this tier's reward"),
                };
                match reached_from {
                    None => (
                        format!(
                            "tier `{tier}` has an effective rate of {effective}, above {above}"
                        ),
                        format!("effective rate {effective}"),
                        None,
                        help,
                    ),
                    Some((min_spend, span)) => (
                        format!(
                            "tier `{tier}`, paid from `min_spend {min_spend}`, has an effective rate of {effective}, above {above}"
                        ),
                        format!("effective rate {effective}"),
                        Some(Label::new(
                            span,
                            "the smallest payment this tier is paid for",
                        )),
                        help,
                    ),
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CampError {
    // ------------------------------------------------------------ E01xx text and syntax
    InvalidUtf8 {
        span: Span,
        line: usize,
    },
    /// A file in UTF-16 (a UTF-16 byte-order mark, or ASCII with every
    /// other byte zero).
    Utf16 {
        span: Span,
        big_endian: bool,
    },
    FileTooLarge {
        span: Span,
        bytes: usize,
        limit: usize,
    },
    LookAlike {
        span: Span,
        found: String,
        ascii: String,
        description: &'static str,
    },
    NonAscii {
        span: Span,
        /// The run of characters, from the first to the last non-ASCII one.
        text: String,
    },
    Syntax {
        span: Span,
        expected: Vec<String>,
        found: String,
        hint: Option<String>,
    },
    /// `///` lines followed by no declaration or field to document.
    DanglingDoc {
        span: Span,
    },
    /// `0x10`, `3e6`: with the same number in decimal digits, when it has
    /// an exact one.
    NumberNotation {
        span: Span,
        text: String,
        notation: Notation,
        decimal: Option<String>,
    },
    InvalidEscape {
        span: Span,
        /// The escape alone, `\u{D800}`, never the text after it.
        escape: String,
        problem: EscapeProblem,
    },
    NumberTooLarge {
        span: Span,
        /// The number as written.
        text: String,
        what: TooLarge,
    },
    /// The first control character on a line, and the others on it.
    ControlCharacter {
        span: Span,
        ch: char,
        region: Region,
        others: Vec<(Span, char)>,
    },
    /// The first bidirectional control on a line, and the others on it.
    BidiControl {
        span: Span,
        ch: char,
        region: Region,
        others: Vec<(Span, char)>,
    },

    // ------------------------------------------------------------ E02xx names and fields
    DuplicateDeclaration {
        name: String,
        span: Span,
        first: Span,
    },
    UnknownField {
        field: String,
        span: Span,
        owner: &'static str,
        suggestion: Option<String>,
    },
    UnknownName {
        name: String,
        span: Span,
        expected: NameKind,
        suggestion: Option<String>,
    },
    WrongKindOfName {
        name: String,
        span: Span,
        expected: NameKind,
        found: NameKind,
        declared: Span,
    },
    DuplicateField {
        field: String,
        span: Span,
        first: Span,
    },
    MissingField {
        field: &'static str,
        span: Span,
        /// The block's `{ … }`; the fix adds the field after its `{`.
        body: Span,
        owner: &'static str,
        /// What to add: the field's shape and what its value says, never
        /// a value (an amount, a date) the author has not chosen.
        help: &'static str,
    },
    UnknownCurrency {
        code: String,
        span: Span,
        suggestion: Option<String>,
    },
    /// `cny 5.00`: a currency code not in capitals, before an amount.
    LowercaseCurrency {
        /// The code as written, `cny`.
        written: String,
        span: Span,
        /// The amount as written, `5.00`.
        amount: String,
    },
    UnknownTimeZone {
        zone: String,
        span: Span,
        suggestion: Option<String>,
    },
    UnknownWord {
        word: String,
        span: Span,
        what: &'static str,
        allowed: &'static [&'static str],
        suggestion: Option<String>,
    },
    SecondPolicy {
        span: Span,
        first: Span,
    },
    DuplicateListItem {
        name: String,
        span: Span,
        first: Span,
    },

    // ------------------------------------------------------------ E03xx units, types, currencies
    TypeMismatch {
        span: Span,
        expected: String,
        found: String,
        help: Option<String>,
    },
    CurrencyPrecision {
        span: Span,
        currency: String,
        written: u32,
        minor_unit: u16,
    },
    CurrencyNotAllowed {
        span: Span,
        currency: String,
        allowed: Vec<String>,
        policy: Span,
    },
    MixedCurrencies {
        span: Span,
        found: String,
        expected: String,
        first: Span,
    },
    RateOutOfRange {
        span: Span,
        rate: String,
    },
    RateAbovePolicy {
        span: Span,
        excess: Box<RateExcess>,
        max: String,
        policy: Span,
    },
    NotPositive {
        span: Span,
        what: &'static str,
    },
    EmptyList {
        span: Span,
        field: String,
    },
    CurrencyWithoutMinorUnit {
        span: Span,
        currency: String,
    },
    DurationTooLong {
        span: Span,
        /// The duration as written, `400d`.
        written: String,
    },

    // ------------------------------------------------------------ E04xx fund contracts
    SceneNotInFund {
        span: Span,
        /// One scene as written, or (`scenes: any`) every scene it adds.
        scenes: Vec<String>,
        fund: String,
        fund_scenes: Span,
        via_any: bool,
        /// The fund's scenes, for the suggested list.
        allowed: Vec<String>,
    },
    CategoryNotInFund {
        span: Span,
        category: Option<String>,
        fund: String,
        fund_categories: Span,
    },
    FundRequires {
        span: Span,
        requirement: String,
        fund: String,
        requires: Span,
        help: &'static str,
    },
    RateAboveFund {
        span: Span,
        excess: Box<RateExcess>,
        max: String,
        fund: String,
        fund_max: Span,
    },
    RewardAboveMaxPerUse {
        span: Span,
        reward: String,
        max: String,
        fund: String,
        fund_max: Span,
    },
    BoundMissingCurrency {
        span: Span,
        currency: String,
        bound: &'static str,
        bound_span: Span,
    },
    MoneyMovementScene {
        span: Span,
        /// Each scene with where it is declared money movement: one as
        /// written, or (`scenes: any`) every one it adds.
        scenes: Vec<(String, Span)>,
        fund: String,
        via_any: bool,
        /// The fund's scenes, for the suggested list.
        allowed: Vec<String>,
    },

    // ------------------------------------------------------------ E05xx rewards, rollout, exposure
    UncappedPercentage {
        span: Span,
        rate: String,
        /// Where to add `, cap …` and the fund contract's `max_per_use` in
        /// the campaign's currency, when the fund declares one.
        contract_cap: Option<(Span, String)>,
    },
    TiersNotIncreasing {
        span: Span,
        previous: Span,
    },
    TierRewardNotBelowSpend {
        span: Span,
        reward: String,
        spend: String,
    },
    InvalidRandomRange {
        span: Span,
        low: String,
        high: String,
    },
    ExposureAboveApprovals {
        span: Span,
        exposure: String,
        top: String,
        approvals: Span,
    },
    InvalidRollout {
        span: Span,
        problem: String,
        label: &'static str,
        help: String,
    },
    EmptyTiers {
        span: Span,
    },
    InvalidApprovalTiers {
        span: Span,
        problem: String,
        /// `None`: the tiers are out of order.
        help: Option<String>,
    },
    StacksWithItself {
        span: Span,
    },
    /// `campaign` lists `other` in `stacks_with`, and `other` does not list
    /// `campaign`: stacking needs the consent of both.
    OneSidedStacking {
        /// `other` in `campaign`'s `stacks_with`.
        span: Span,
        campaign: String,
        other: String,
        /// `other`'s `stacking` field, or its name when it has none.
        other_span: Span,
        other_side: OtherSide,
    },

    // ------------------------------------------------------------ E06xx windows and instants
    EmptyWindow {
        span: Span,
        start: String,
        end: String,
    },
    InvalidInstant {
        span: Span,
        text: String,
        reason: String,
        /// A specific help (the instant meant, when it is clear).
        help: Option<String>,
    },
    NonexistentLocalTime {
        span: Span,
        text: String,
        zone: String,
    },

    // ------------------------------------------------------------ E07xx templates
    ArgumentType {
        span: Span,
        parameter: String,
        expected: String,
        found: String,
        parameter_span: Span,
        help: Option<String>,
    },
    ArgumentOutOfRange {
        span: Span,
        parameter: String,
        value: String,
        low: String,
        high: String,
        range_span: Span,
    },
    MissingArgument {
        span: Span,
        parameter: String,
        template: String,
        parameter_span: Span,
    },
    UnknownArgument {
        span: Span,
        name: String,
        template: String,
        suggestion: Option<String>,
    },
    FieldFixedByTemplate {
        span: Span,
        field: String,
        template: String,
        fixed_at: Span,
    },
    UnknownParameterType {
        span: Span,
        ty: String,
        suggestion: Option<String>,
    },
    InvalidParameterRange {
        span: Span,
        problem: String,
    },
    DuplicateArgument {
        name: String,
        span: Span,
        first: Span,
    },

    // ------------------------------------------------------------ E08xx camp.toml
    /// A problem in the package's `camp.toml` (its span in
    /// [`crate::source::FileId::MANIFEST`]).
    Manifest {
        span: Span,
        problem: crate::manifest::ManifestProblem,
    },

    // ------------------------------------------------------------ E09xx tests
    /// A test expects more off than the payment.
    TestDiscountAbovePayment {
        span: Span,
        expected: String,
        payment: String,
        payment_span: Span,
    },
    /// A test expects a discount in another currency than the payment's.
    TestDiscountCurrency {
        span: Span,
        expected: String,
        payment: String,
        payment_span: Span,
    },
    /// A test expects a discount from a campaign of another currency.
    TestCampaignCurrency {
        span: Span,
        campaign: String,
        campaign_currency: String,
        payment: String,
        campaign_span: Span,
    },
    /// A test line's time is before the previous line's.
    TestTimeBackwards {
        span: Span,
        time: String,
        previous: String,
        previous_span: Span,
    },
    /// A time in a package test without its zone.
    TestTimeWithoutZone {
        span: Span,
        test: String,
    },
    /// A package test whose first line gives no time.
    TestWithoutStart {
        span: Span,
        test: String,
    },
    /// `campc explain --pay`: a time without a zone, while the package's
    /// campaigns in the payment's currency are in no one zone.
    PaymentTimeWithoutZone {
        span: Span,
        currency: String,
        /// The zones of those campaigns, sorted (empty: there are none).
        zones: Vec<String>,
    },
    /// `from` names a campaign that a campaign test does not run.
    TestCampaignNotRun {
        span: Span,
        campaign: String,
        test: String,
        test_span: Span,
    },

    /// (v2) A BIN prefix that is not 6 to 8 ASCII digits.
    InvalidBin {
        span: Span,
        bin: String,
        problem: &'static str,
    },
    /// (v2) `bins` on an instrument that is not a card.
    BinsNotCard {
        span: Span,
        instrument: String,
        kind: &'static str,
        kind_span: Span,
    },
    /// (v2) A BIN prefix of one instrument that starts another's.
    BinOverlap {
        span: Span,
        bin: String,
        instrument: String,
        other_bin: String,
        other: String,
        other_span: Span,
    },
    /// (v2) A campaign's merchant groups outside its fund's `merchants`
    /// (`group: None`: the campaign has no `merchants`).
    MerchantGroupNotInFund {
        span: Span,
        group: Option<String>,
        fund: String,
        fund_merchants: Span,
    },
    /// (v2) A merchant group whose `list` is empty.
    EmptyMerchantList {
        span: Span,
        group: String,
    },
    // ------------------------------------------------------------ E1021–E1039 limits and schedules (v2)
    /// `limit: 1 per user per user`.
    LimitDimensionTwice {
        span: Span,
        dimension: String,
        first: Span,
    },
    /// `limit: 1 per day per user`: the period is not the last word.
    LimitPeriodNotLast {
        span: Span,
        period: String,
        /// The limit as it should be written, periods last.
        rewritten: String,
    },
    /// `limit: 1 per user per day per week`.
    LimitTwoPeriods {
        span: Span,
        period: String,
        first: Span,
    },
    /// `limit: CNY 1_000.00 total`: an amount over the whole campaign is
    /// its budget.
    LimitMoneyTotal {
        span: Span,
    },
    /// `hours: 25:00 to 26:00`, `10:60`.
    InvalidClock {
        span: Span,
        text: String,
    },
    /// `hours: 24:00 to …`: `24:00` only ends a range.
    ClockEndOfDayAsStart {
        span: Span,
    },
    /// `hours: 22:00 to 02:00` or `10:00 to 10:00`.
    HoursNotIncreasing {
        span: Span,
        start: String,
        end: String,
    },
    /// Two `hours:` ranges that share some minute.
    HoursOverlap {
        span: Span,
        range: String,
        other: String,
        other_span: Span,
        merged: String,
    },
    /// `days:` and `hours:` leave no instant of the window.
    EmptySchedule {
        span: Span,
        window: Span,
    },
    // ------------------------------------------------------------ E104x pools (v2)
    /// A campaign's `pool:` names a pool of another fund.
    PoolOfOtherFund {
        span: Span,
        pool: String,
        pool_fund: String,
        pool_fund_span: Span,
        campaign_fund: String,
        campaign_fund_span: Span,
    },
    /// A campaign's `pool:` names a pool whose budget has no amount in
    /// the campaign's currency.
    PoolMissingCurrency {
        span: Span,
        pool: String,
        currency: String,
        budget_span: Span,
    },
    /// A pool's worst-case exposure in one currency is above every
    /// approval tier.
    PoolExposureAboveApprovals {
        span: Span,
        pool: String,
        exposure: String,
        top: String,
        approvals: Span,
    },
    /// A pool's budget is in a currency an approval tier has no amount in
    /// (with no `currencies` in the policy, which would report the tier).
    PoolTierMissingCurrency {
        span: Span,
        pool: String,
        currency: String,
        tier_span: Span,
    },
    // ------------------------------------------------------------ E106x–E108x rewards (v2)
    /// `max_spend` below `min_spend`: no payment is eligible.
    MaxSpendBelowMinSpend {
        span: Span,
        max_spend: String,
        min_spend: String,
        min_span: Span,
    },
    /// `every X => Y` with neither a cap nor a fund `max_per_use`.
    UncappedEvery {
        span: Span,
        written: String,
    },
    /// `every X => Y` with Y not below X.
    EveryRewardNotBelowStep {
        span: Span,
        reward: String,
        step: String,
    },
    /// `price P` with neither a cap nor a `max_spend`.
    UnboundedPrice {
        span: Span,
        price: String,
    },
    /// `price P, max_spend M` with M at or below P: it never pays.
    MaxSpendNotAbovePrice {
        span: Span,
        max_spend: String,
        price: String,
        price_span: Span,
    },
    /// Tiers that mix `off` and `back`.
    MixedRewardVerbs {
        span: Span,
        off: Span,
    },
    /// A `back` reward without `credit:`.
    BackWithoutCredit {
        span: Span,
    },
    /// `credit:` on an `off` reward.
    CreditOnOff {
        span: Span,
        off: Span,
    },
    /// `credit: points …` without `point_value`.
    PointsWithoutValue {
        span: Span,
    },
    /// `point_value` with cash or a statement credit.
    PointValueWithoutPoints {
        span: Span,
        kind: &'static str,
    },
    /// (v2) A claim window that shares no instant with the campaign's.
    ClaimWindowOutside {
        span: Span,
        campaign_window: Span,
    },
    /// (v2) `per_user` above `inventory` in a claim block.
    ClaimPerUserAboveInventory {
        span: Span,
        per_user: u64,
        inventory: u64,
        inventory_span: Span,
    },
    /// (v2) A test's `claim` line for a campaign without a claim block.
    ClaimWithoutBlock {
        span: Span,
        campaign: String,
        declared: Span,
    },
    /// (v2) A test's `claim` line without `user`.
    ClaimWithoutUser {
        span: Span,
    },
    /// (v2) An attribute a claim does not take (only `user` and `time`).
    ClaimAttribute {
        span: Span,
        attribute: String,
    },
    /// (v2) A `claim` line in a campaign's test for another campaign.
    ClaimOtherCampaign {
        span: Span,
        campaign: String,
        test: String,
    },

    /// An error in a template's fields, found while checking a campaign
    /// made from it: the inner error, plus where that campaign is.
    InCampaign {
        campaign: String,
        template: String,
        campaign_span: Span,
        error: Box<CampError>,
    },
}

/// Characters that show as nothing: zero-width spaces and joiners, the
/// word joiner, a byte-order mark inside the text, a soft hyphen.
fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Where `docs/language.md` lists the fields of an item (`owner`, its
/// keyword): an unknown field's help points there.
fn field_docs(owner: &str) -> &'static str {
    if owner == "claim block" {
        return "docs/language.md#claims";
    }
    Item::parse(owner).map_or("docs/language.md", docs_section)
}

fn did_you_mean(suggestion: &Option<String>) -> Option<String> {
    suggestion
        .as_ref()
        .map(|suggestion| format!("did you mean `{suggestion}`?"))
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`"
fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|item| format!("`{}`", item.as_ref()))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_code(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

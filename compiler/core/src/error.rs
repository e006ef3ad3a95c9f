//! Every error the compiler reports, as one typed enum with spans, and its
//! single conversion into a [`Diagnostic`]: one exhaustive match by variant
//! here, each arm calling its family's module (`error/text.rs`, …). Codes
//! are stable: a code is never reused for another meaning. [`ERROR_CODES`]
//! is the one table of codes; `docs/errors.md` is generated from it.
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

use crate::diagnostic::{Diagnostic, Edit, Fix, FixKind, Label};
use crate::source::Span;
use crate::syntax::regions::Region;

// The conversion into a diagnostic, one module per family of codes.
mod contracts;
mod manifest;
mod names;
mod rewards;
mod templates;
mod text;
mod types;
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

/// The families of error codes, by the code's first digits: how
/// `docs/errors.md` groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// `E01xx`
    Text,
    /// `E02xx`
    Names,
    /// `E03xx`
    Types,
    /// `E04xx`
    Contracts,
    /// `E05xx`
    Rewards,
    /// `E06xx`
    Windows,
    /// `E07xx`
    Templates,
    /// `E08xx`
    Manifest,
}

impl Family {
    /// Every family, in the order of their codes.
    pub const ALL: [Family; 8] = [
        Family::Text,
        Family::Names,
        Family::Types,
        Family::Contracts,
        Family::Rewards,
        Family::Windows,
        Family::Templates,
        Family::Manifest,
    ];

    /// The first three characters of the family's codes (`E02`).
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Text => "E01",
            Family::Names => "E02",
            Family::Types => "E03",
            Family::Contracts => "E04",
            Family::Rewards => "E05",
            Family::Windows => "E06",
            Family::Templates => "E07",
            Family::Manifest => "E08",
        }
    }

    /// The family's heading in `docs/errors.md`.
    pub fn heading(self) -> &'static str {
        match self {
            Family::Text => "Text and syntax",
            Family::Names => "Names and fields",
            Family::Types => "Units, types and currencies",
            Family::Contracts => "Fund contracts",
            Family::Rewards => "Rewards, rollout, exposure and approvals",
            Family::Windows => "Windows and instants",
            Family::Templates => "Templates",
            Family::Manifest => "The package's `camp.toml`",
        }
    }
}

/// One error code: its one-line title, its family and its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// `E0203`.
    pub code: &'static str,
    /// A one-line title: for `campc rules --codes`, SARIF rule
    /// descriptors and the index of `docs/errors.md`.
    pub title: &'static str,
    pub family: Family,
    /// What the code means and why Camp refuses it, an example that
    /// triggers it, and the fix, in Markdown: for `campc rule E0203` and
    /// `docs/errors.md`. One file per code in `error/explanations/`, as
    /// rustc keeps its own; a test checks that every code has one and that
    /// each `camp` example reports its code.
    pub explanation: &'static str,
}

/// A row of [`ERROR_CODES`], its explanation read from
/// `error/explanations/CODE.md`.
macro_rules! code {
    ($code:literal, $family:ident, $title:literal) => {
        ErrorCode {
            code: $code,
            title: $title,
            family: Family::$family,
            explanation: include_str!(concat!("error/explanations/", $code, ".md")),
        }
    };
}

/// Every error code, in order: the one table that `campc rule`,
/// `campc rules --codes`, SARIF output, `docs/errors.md` and the tests
/// read. [`CampError::code`] maps each error to one of these.
pub const ERROR_CODES: [ErrorCode; 63] = [
    code!("E0101", Text, "the file is not valid UTF-8"),
    code!("E0102", Text, "the file is too large"),
    code!("E0103", Text, "a full-width or look-alike character"),
    code!("E0104", Text, "a non-ASCII character outside a string"),
    code!("E0105", Text, "a syntax error"),
    code!("E0106", Text, "an unknown or invalid escape in a string"),
    code!("E0107", Text, "a number too large to represent"),
    code!("E0108", Text, "a control character in the source"),
    code!("E0109", Text, "a bidirectional text control character"),
    code!("E0201", Names, "a name declared twice"),
    code!("E0202", Names, "an unknown field"),
    code!("E0203", Names, "an unknown name"),
    code!("E0204", Names, "a name of the wrong kind"),
    code!("E0205", Names, "a field set twice"),
    code!("E0206", Names, "a required field is missing"),
    code!("E0207", Names, "an unknown currency code"),
    code!("E0208", Names, "an unknown time zone"),
    code!("E0209", Names, "an unknown word in a closed list"),
    code!("E0210", Names, "more than one policy"),
    code!("E0211", Names, "an item listed twice"),
    code!("E0301", Types, "a value of the wrong type or unit"),
    code!("E0302", Types, "more decimals than the currency has"),
    code!("E0303", Types, "a currency the policy does not allow"),
    code!("E0304", Types, "more than one currency in a campaign"),
    code!("E0305", Types, "a rate outside (0%, 100%]"),
    code!(
        "E0306",
        Types,
        "a rate or effective rate above the policy's maximum"
    ),
    code!("E0307", Types, "an amount or count that is not above zero"),
    code!("E0308", Types, "an empty list"),
    code!("E0309", Types, "a currency without a minor unit"),
    code!("E0310", Types, "a duration longer than 366 days"),
    code!("E0401", Contracts, "a scene outside the fund's contract"),
    code!("E0402", Contracts, "a category outside the fund's contract"),
    code!("E0403", Contracts, "a field the fund requires is missing"),
    code!(
        "E0404",
        Contracts,
        "a rate or effective rate above the fund's maximum"
    ),
    code!(
        "E0405",
        Contracts,
        "a reward above the fund's per-use maximum"
    ),
    code!(
        "E0406",
        Contracts,
        "a bound with no amount in the campaign's currency"
    ),
    code!(
        "E0407",
        Contracts,
        "a money-movement scene the fund does not list"
    ),
    code!("E0501", Rewards, "a percentage reward without a cap"),
    code!("E0502", Rewards, "tier thresholds that do not increase"),
    code!("E0503", Rewards, "a tier reward not below its threshold"),
    code!(
        "E0504",
        Rewards,
        "a random range whose low end is not below its high end"
    ),
    code!("E0506", Rewards, "exposure above every approval tier"),
    code!("E0507", Rewards, "an invalid rollout"),
    code!("E0508", Rewards, "tiers with no tiers"),
    code!("E0509", Rewards, "invalid approval tiers"),
    code!("E0510", Rewards, "a campaign stacking with itself"),
    code!(
        "E0511",
        Rewards,
        "stacking that the other campaign does not consent to"
    ),
    code!(
        "E0601",
        Windows,
        "a window that ends at or before its start"
    ),
    code!("E0602", Windows, "an invalid date or time"),
    code!("E0603", Windows, "a local time skipped by a clock change"),
    code!("E0701", Templates, "a template argument of the wrong type"),
    code!("E0702", Templates, "a template argument out of its range"),
    code!("E0703", Templates, "a missing template argument"),
    code!("E0704", Templates, "an unknown template argument"),
    code!("E0705", Templates, "a field the template already sets"),
    code!("E0706", Templates, "an unknown parameter type"),
    code!("E0707", Templates, "an invalid parameter range"),
    code!("E0708", Templates, "a parameter or argument given twice"),
    code!("E0801", Manifest, "`camp.toml` is not valid TOML"),
    code!("E0802", Manifest, "an unknown key in `camp.toml`"),
    code!("E0803", Manifest, "a `camp.toml` value of the wrong type"),
    code!("E0804", Manifest, "`[lints]` names no lint rule"),
    code!("E0805", Manifest, "an invalid lint level or option"),
];

/// The table row of an error code, if it is one (`E0203`).
pub fn error_code(code: &str) -> Option<&'static ErrorCode> {
    ERROR_CODES.iter().find(|row| row.code == code)
}

/// The explanation of an error code, if it is one (`E0203`).
pub fn explanation(code: &str) -> Option<&'static str> {
    error_code(code).map(|row| row.explanation)
}

/// The one-line title of an error code.
pub fn title(code: &str) -> Option<&'static str> {
    error_code(code).map(|row| row.title)
}

/// A code no longer reported: a retired code is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiredCode {
    /// `E0505`.
    pub code: &'static str,
    /// What it was and why it is no longer reported.
    pub was: &'static str,
}

/// Codes no longer reported, with why.
pub const RETIRED_CODES: [RetiredCode; 1] = [RetiredCode {
    code: "E0505",
    was: "unbounded worst-case exposure: `budget` is required, so every campaign is bounded by it, and a campaign without one is E0206",
}];

/// The retired code `code`, if it is one.
pub fn retired(code: &str) -> Option<&'static RetiredCode> {
    RETIRED_CODES.iter().find(|row| row.code == code)
}

/// `docs/errors.md`, generated from [`ERROR_CODES`] and [`RETIRED_CODES`]:
/// an index by family, then each code explained.
pub fn errors_markdown() -> String {
    let mut out = String::from(
        "# Error codes\n\n<!-- Generated from `ERROR_CODES` in `compiler/core/src/error.rs` and the explanations in `compiler/core/src/error/explanations/` by `UPDATE_ERROR_DOCS=1 cargo test -p campc --test diagnostics`. Do not edit. -->\n\nErrors stop a package from compiling: `campc check` exits 1 and `campc build` writes no IR. They can never be suppressed. `campc rule E0203` prints a code's explanation. Each code has a fixture in `compiler/tests/fixtures/errors/` named after it, and a snapshot of what `campc` prints for it. The examples below use the schema of `compiler/tests/fixtures/prelude.camp` (funds `platform_marketing`, `government_subsidy` and `bank_cofund`; a policy allowing `CNY`, `HKD` and `JPY` up to a 50% rate), and a test checks that each one reports its code.\n\n## Index\n",
    );
    for family in Family::ALL {
        out.push_str(&format!(
            "\n### {}\n\n| code | error |\n|---|---|\n",
            family.heading()
        ));
        for row in ERROR_CODES.iter().filter(|row| row.family == family) {
            let ErrorCode { code, title, .. } = row;
            out.push_str(&format!("| [`{code}`](#{code}) | {title} |\n"));
        }
    }
    for family in Family::ALL {
        out.push_str(&format!("\n## {}\n", family.heading()));
        for row in ERROR_CODES.iter().filter(|row| row.family == family) {
            let ErrorCode {
                code,
                title,
                explanation,
                ..
            } = row;
            out.push_str(&format!(
                "\n### <a id=\"{code}\"></a>{code}: {title}\n\n{explanation}"
            ));
        }
    }
    out.push_str("\n## Retired codes\n\nThese codes are no longer reported; none will ever be given another meaning.\n\n| code | was |\n|---|---|\n");
    for RetiredCode { code, was } in RETIRED_CODES {
        out.push_str(&format!("| <a id=\"{code}\"></a>`{code}` | {was} |\n"));
    }
    out
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
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Scene => "scene",
            NameKind::Category => "category",
            NameKind::Region => "region",
            NameKind::Segment => "segment",
            NameKind::Fund => "fund",
            NameKind::Template => "template",
            NameKind::Campaign => "campaign",
        }
    }

    fn article(self) -> &'static str {
        match self {
            NameKind::Scene
            | NameKind::Category
            | NameKind::Region
            | NameKind::Segment
            | NameKind::Fund
            | NameKind::Template
            | NameKind::Campaign => "a",
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

/// Where `docs/language.md` lists the fields of each kind of item with a
/// body: an unknown field's help points there (`tests/docs.rs` checks that
/// every section exists). A template's body has a campaign's fields.
pub const FIELD_DOCS: [(&str, &str); 8] = [
    ("campaign", "docs/language.md#campaigns"),
    ("template", "docs/language.md#campaigns"),
    ("fund", "docs/language.md#funds"),
    ("policy", "docs/language.md#the-policy"),
    ("scene", "docs/language.md#scenes"),
    (
        "category",
        "docs/language.md#categories-regions-and-segments",
    ),
    ("region", "docs/language.md#categories-regions-and-segments"),
    (
        "segment",
        "docs/language.md#categories-regions-and-segments",
    ),
];

fn field_docs(owner: &str) -> &'static str {
    FIELD_DOCS
        .iter()
        .find(|(kind, _)| *kind == owner)
        .map_or("docs/language.md", |(_, section)| section)
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

impl CampError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        use CampError::*;
        match self {
            InvalidUtf8 { .. } | Utf16 { .. } => "E0101",
            FileTooLarge { .. } => "E0102",
            LookAlike { .. } => "E0103",
            NonAscii { .. } => "E0104",
            Syntax { .. } | DanglingDoc { .. } | NumberNotation { .. } => "E0105",
            InvalidEscape { .. } => "E0106",
            NumberTooLarge { .. } => "E0107",
            ControlCharacter { .. } => "E0108",
            BidiControl { .. } => "E0109",
            DuplicateDeclaration { .. } => "E0201",
            UnknownField { .. } => "E0202",
            UnknownName { .. } => "E0203",
            WrongKindOfName { .. } => "E0204",
            DuplicateField { .. } => "E0205",
            MissingField { .. } => "E0206",
            UnknownCurrency { .. } | LowercaseCurrency { .. } => "E0207",
            UnknownTimeZone { .. } => "E0208",
            UnknownWord { .. } => "E0209",
            SecondPolicy { .. } => "E0210",
            DuplicateListItem { .. } => "E0211",
            TypeMismatch { .. } => "E0301",
            CurrencyPrecision { .. } => "E0302",
            CurrencyNotAllowed { .. } => "E0303",
            MixedCurrencies { .. } => "E0304",
            RateOutOfRange { .. } => "E0305",
            RateAbovePolicy { .. } => "E0306",
            NotPositive { .. } => "E0307",
            EmptyList { .. } => "E0308",
            CurrencyWithoutMinorUnit { .. } => "E0309",
            DurationTooLong { .. } => "E0310",
            SceneNotInFund { .. } => "E0401",
            CategoryNotInFund { .. } => "E0402",
            FundRequires { .. } => "E0403",
            RateAboveFund { .. } => "E0404",
            RewardAboveMaxPerUse { .. } => "E0405",
            BoundMissingCurrency { .. } => "E0406",
            MoneyMovementScene { .. } => "E0407",
            UncappedPercentage { .. } => "E0501",
            TiersNotIncreasing { .. } => "E0502",
            TierRewardNotBelowSpend { .. } => "E0503",
            InvalidRandomRange { .. } => "E0504",
            ExposureAboveApprovals { .. } => "E0506",
            InvalidRollout { .. } => "E0507",
            EmptyTiers { .. } => "E0508",
            InvalidApprovalTiers { .. } => "E0509",
            StacksWithItself { .. } => "E0510",
            OneSidedStacking { .. } => "E0511",
            EmptyWindow { .. } => "E0601",
            InvalidInstant { .. } => "E0602",
            NonexistentLocalTime { .. } => "E0603",
            ArgumentType { .. } => "E0701",
            ArgumentOutOfRange { .. } => "E0702",
            MissingArgument { .. } => "E0703",
            UnknownArgument { .. } => "E0704",
            FieldFixedByTemplate { .. } => "E0705",
            UnknownParameterType { .. } => "E0706",
            InvalidParameterRange { .. } => "E0707",
            DuplicateArgument { .. } => "E0708",
            Manifest { problem, .. } => problem.code(),
            InCampaign { error, .. } => error.code(),
        }
    }

    pub fn span(&self) -> Span {
        self.clone().into_diagnostic().primary.span
    }

    /// The one conversion into the diagnostic every edge renders.
    pub fn into_diagnostic(self) -> Diagnostic {
        let fix = self.fix();
        let mut diagnostic = self.into_diagnostic_without_fix();
        diagnostic.fixes.extend(fix);
        diagnostic
    }

    /// The mechanical fix, when there is one: a misspelled name replaced
    /// by its close match (the span covers exactly the misspelled text),
    /// or an uncapped percentage capped at its fund's `max_per_use`.
    fn fix(&self) -> Option<Fix> {
        use CampError::*;
        match self {
            UnknownField {
                span, suggestion, ..
            }
            | UnknownName {
                span, suggestion, ..
            }
            | UnknownCurrency {
                span, suggestion, ..
            }
            | UnknownTimeZone {
                span, suggestion, ..
            }
            | UnknownWord {
                span, suggestion, ..
            }
            | UnknownArgument {
                span, suggestion, ..
            }
            | UnknownParameterType {
                span, suggestion, ..
            } => suggestion
                .clone()
                .map(|suggestion| Fix::replace(*span, suggestion)),
            // The field's name only: its value (an amount, a window, a
            // fund) is the author's decision, and until it is written the
            // campaign does not compile.
            MissingField { field, body, .. } => Some(Fix {
                title: format!("add `{field}:` and write its value"),
                edits: vec![Edit {
                    span: Span {
                        start: body.start.saturating_add(1),
                        end: body.start.saturating_add(1),
                        ..*body
                    },
                    new_text: format!("\n  {field}: "),
                }],
                kind: FixKind::NeedsValue,
            }),
            LowercaseCurrency { written, span, .. } => {
                Some(Fix::replace(*span, written.to_ascii_uppercase()))
            }
            NumberNotation {
                span,
                decimal: Some(decimal),
                ..
            } => Some(Fix::replace(*span, decimal.clone())),
            UncappedPercentage {
                contract_cap: Some((at, cap)),
                ..
            } => Some(Fix {
                title: format!("add a cap at the fund's `max_per_use`, `{cap}`"),
                edits: vec![Edit {
                    span: *at,
                    new_text: format!(", cap {cap}"),
                }],
                kind: FixKind::Complete,
            }),
            _ => None,
        }
    }

    fn into_diagnostic_without_fix(self) -> Diagnostic {
        use CampError::*;
        let error_code = self.code();
        match self {
            InvalidUtf8 { span, line } => text::invalid_utf8(error_code, span, line),
            Utf16 { span, big_endian } => text::utf16(error_code, span, big_endian),
            FileTooLarge { span, bytes, limit } => {
                text::file_too_large(error_code, span, bytes, limit)
            }
            LookAlike {
                span,
                found,
                ascii,
                description,
            } => text::look_alike(error_code, span, found, ascii, description),
            NonAscii { span, text } => text::non_ascii(error_code, span, text),
            Syntax {
                span,
                expected,
                found,
                hint,
            } => text::syntax(error_code, span, expected, found, hint),
            DanglingDoc { span } => text::dangling_doc(error_code, span),
            NumberNotation {
                span,
                text,
                notation,
                decimal,
            } => text::number_notation(error_code, span, text, notation, decimal),
            InvalidEscape {
                span,
                escape,
                problem,
            } => text::invalid_escape(error_code, span, escape, problem),
            NumberTooLarge { span, text, what } => {
                text::number_too_large(error_code, span, text, what)
            }
            ControlCharacter {
                span,
                ch,
                region,
                others,
            } => text::control_character(error_code, span, ch, region, others),
            BidiControl {
                span,
                ch,
                region,
                others,
            } => text::bidi_control(error_code, span, ch, region, others),
            DuplicateDeclaration { name, span, first } => {
                names::duplicate_declaration(error_code, name, span, first)
            }
            UnknownField {
                field,
                span,
                owner,
                suggestion,
            } => names::unknown_field(error_code, field, span, owner, suggestion),
            UnknownName {
                name,
                span,
                expected,
                suggestion,
            } => names::unknown_name(error_code, name, span, expected, suggestion),
            WrongKindOfName {
                name,
                span,
                expected,
                found,
                declared,
            } => names::wrong_kind_of_name(error_code, name, span, expected, found, declared),
            DuplicateField { field, span, first } => {
                names::duplicate_field(error_code, field, span, first)
            }
            MissingField {
                field,
                span,
                owner,
                help,
                ..
            } => names::missing_field(error_code, field, span, owner, help),
            UnknownCurrency {
                code,
                span,
                suggestion,
            } => names::unknown_currency(error_code, code, span, suggestion),
            LowercaseCurrency {
                written,
                span,
                amount,
            } => names::lowercase_currency(error_code, written, span, amount),
            UnknownTimeZone {
                zone,
                span,
                suggestion,
            } => names::unknown_time_zone(error_code, zone, span, suggestion),
            UnknownWord {
                word,
                span,
                what,
                allowed,
                suggestion,
            } => names::unknown_word(error_code, word, span, what, allowed, suggestion),
            SecondPolicy { span, first } => names::second_policy(error_code, span, first),
            DuplicateListItem { name, span, first } => {
                names::duplicate_list_item(error_code, name, span, first)
            }
            TypeMismatch {
                span,
                expected,
                found,
                help,
            } => types::type_mismatch(error_code, span, expected, found, help),
            CurrencyPrecision {
                span,
                currency,
                written,
                minor_unit,
            } => types::currency_precision(error_code, span, currency, written, minor_unit),
            CurrencyNotAllowed {
                span,
                currency,
                allowed,
                policy,
            } => types::currency_not_allowed(error_code, span, currency, allowed, policy),
            MixedCurrencies {
                span,
                found,
                expected,
                first,
            } => types::mixed_currencies(error_code, span, found, expected, first),
            RateOutOfRange { span, rate } => types::rate_out_of_range(error_code, span, rate),
            RateAbovePolicy {
                span,
                excess,
                max,
                policy,
            } => types::rate_above_policy(error_code, span, *excess, max, policy),
            NotPositive { span, what } => types::not_positive(error_code, span, what),
            EmptyList { span, field } => types::empty_list(error_code, span, field),
            CurrencyWithoutMinorUnit { span, currency } => {
                types::currency_without_minor_unit(error_code, span, currency)
            }
            DurationTooLong { span, written } => {
                types::duration_too_long(error_code, span, written)
            }
            SceneNotInFund {
                span,
                scenes,
                fund,
                fund_scenes,
                via_any,
                allowed,
            } => contracts::scene_not_in_fund(
                error_code,
                span,
                scenes,
                fund,
                fund_scenes,
                via_any,
                allowed,
            ),
            CategoryNotInFund {
                span,
                category,
                fund,
                fund_categories,
            } => contracts::category_not_in_fund(error_code, span, category, fund, fund_categories),
            FundRequires {
                span,
                requirement,
                fund,
                requires,
                help,
            } => contracts::fund_requires(error_code, span, requirement, fund, requires, help),
            RateAboveFund {
                span,
                excess,
                max,
                fund,
                fund_max,
            } => contracts::rate_above_fund(error_code, span, *excess, max, fund, fund_max),
            RewardAboveMaxPerUse {
                span,
                reward,
                max,
                fund,
                fund_max,
            } => contracts::reward_above_max_per_use(error_code, span, reward, max, fund, fund_max),
            BoundMissingCurrency {
                span,
                currency,
                bound,
                bound_span,
            } => contracts::bound_missing_currency(error_code, span, currency, bound, bound_span),
            MoneyMovementScene {
                span,
                scenes,
                fund,
                via_any,
                allowed,
            } => contracts::money_movement_scene(error_code, span, scenes, fund, via_any, allowed),
            UncappedPercentage {
                span,
                rate,
                contract_cap,
            } => rewards::uncapped_percentage(error_code, span, rate, contract_cap),
            TiersNotIncreasing { span, previous } => {
                rewards::tiers_not_increasing(error_code, span, previous)
            }
            TierRewardNotBelowSpend {
                span,
                reward,
                spend,
            } => rewards::tier_reward_not_below_spend(error_code, span, reward, spend),
            InvalidRandomRange { span, low, high } => {
                rewards::invalid_random_range(error_code, span, low, high)
            }
            ExposureAboveApprovals {
                span,
                exposure,
                top,
                approvals,
            } => rewards::exposure_above_approvals(error_code, span, exposure, top, approvals),
            InvalidRollout {
                span,
                problem,
                label,
                help,
            } => rewards::invalid_rollout(error_code, span, problem, label, help),
            EmptyTiers { span } => rewards::empty_tiers(error_code, span),
            InvalidApprovalTiers {
                span,
                problem,
                help,
            } => rewards::invalid_approval_tiers(error_code, span, problem, help),
            StacksWithItself { span } => rewards::stacks_with_itself(error_code, span),
            OneSidedStacking {
                span,
                campaign,
                other,
                other_span,
                other_side,
            } => rewards::one_sided_stacking(
                error_code, span, campaign, other, other_span, other_side,
            ),
            EmptyWindow { span, start, end } => windows::empty_window(error_code, span, start, end),
            InvalidInstant {
                span,
                text,
                reason,
                help,
            } => windows::invalid_instant(error_code, span, text, reason, help),
            NonexistentLocalTime { span, text, zone } => {
                windows::nonexistent_local_time(error_code, span, text, zone)
            }
            ArgumentType {
                span,
                parameter,
                expected,
                found,
                parameter_span,
                help,
            } => templates::argument_type(
                error_code,
                span,
                parameter,
                expected,
                found,
                parameter_span,
                help,
            ),
            ArgumentOutOfRange {
                span,
                parameter,
                value,
                low,
                high,
                range_span,
            } => templates::argument_out_of_range(
                error_code, span, parameter, value, low, high, range_span,
            ),
            MissingArgument {
                span,
                parameter,
                template,
                parameter_span,
            } => templates::missing_argument(error_code, span, parameter, template, parameter_span),
            UnknownArgument {
                span,
                name,
                template,
                suggestion,
            } => templates::unknown_argument(error_code, span, name, template, suggestion),
            FieldFixedByTemplate {
                span,
                field,
                template,
                fixed_at,
            } => templates::field_fixed_by_template(error_code, span, field, template, fixed_at),
            UnknownParameterType {
                span,
                ty,
                suggestion,
            } => templates::unknown_parameter_type(error_code, span, ty, suggestion),
            InvalidParameterRange { span, problem } => {
                templates::invalid_parameter_range(error_code, span, problem)
            }
            DuplicateArgument { name, span, first } => {
                templates::duplicate_argument(error_code, name, span, first)
            }
            Manifest { span, problem } => manifest::problem(error_code, span, problem),
            InCampaign {
                campaign,
                template,
                campaign_span,
                error,
            } => error.into_diagnostic().with_label(Label::new(
                campaign_span,
                format!("in campaign `{campaign}`, made from template `{template}`"),
            )),
        }
    }
}

impl From<CampError> for Diagnostic {
    fn from(error: CampError) -> Diagnostic {
        error.into_diagnostic()
    }
}

//! The error codes as data: [`ERROR_CODES`] (code, title, family,
//! explanation), the retired codes, `docs/errors.md` generated from them,
//! and the code of each [`CampError`].

use super::CampError;

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
    /// `E09xx`
    Tests,
    /// `E10xx` (v2): merchant groups, instruments, limits, schedules and
    /// the other forms of version 2.
    Version2,
}

impl Family {
    /// Every family, in the order of their codes.
    pub const ALL: [Family; 10] = [
        Family::Text,
        Family::Names,
        Family::Types,
        Family::Contracts,
        Family::Rewards,
        Family::Windows,
        Family::Templates,
        Family::Manifest,
        Family::Tests,
        Family::Version2,
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
            Family::Tests => "E09",
            Family::Version2 => "E10",
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
            Family::Tests => "Tests",
            Family::Version2 => {
                "Language v2: merchants, instruments, limits, schedules, pools, rewards"
            }
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
            explanation: include_str!(concat!("explanations/", $code, ".md")),
        }
    };
}

/// Every error code, in order: the one table that `campc rule`,
/// `campc rules --codes`, SARIF output, `docs/errors.md` and the tests
/// read. [`CampError::code`] maps each error to one of these.
pub const ERROR_CODES: [ErrorCode; 105] = [
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
    code!("E0901", Tests, "an expected discount above the payment"),
    code!(
        "E0902",
        Tests,
        "an expected discount in another currency than the payment's"
    ),
    code!(
        "E0903",
        Tests,
        "an expected discount from a campaign of another currency"
    ),
    code!("E0904", Tests, "a test time before the previous line's"),
    code!("E0905", Tests, "a time without a zone in a package test"),
    code!("E0906", Tests, "a package test that starts with no time"),
    code!("E0908", Tests, "a campaign the test does not run"),
    code!(
        "E0909",
        Tests,
        "a payment time without a zone, its currency's campaigns in several zones"
    ),
    code!("E1001", Version2, "a BIN prefix that is not 6 to 8 digits"),
    code!(
        "E1002",
        Version2,
        "BIN prefixes on an instrument that is not a card"
    ),
    code!("E1003", Version2, "a BIN prefix of two instruments"),
    code!(
        "E1004",
        Version2,
        "a merchant group outside the fund's contract"
    ),
    code!("E1005", Version2, "a merchant group with an empty `list`"),
    code!("E1021", Version2, "a limit dimension written twice"),
    code!("E1022", Version2, "a limit period before a dimension"),
    code!("E1023", Version2, "a limit with two periods"),
    code!("E1024", Version2, "an amount limit over the whole campaign"),
    code!("E1025", Version2, "an invalid time of day"),
    code!("E1026", Version2, "`24:00` at the start of a time range"),
    code!(
        "E1027",
        Version2,
        "a time range that does not end after its start"
    ),
    code!("E1028", Version2, "overlapping time ranges"),
    code!(
        "E1029",
        Version2,
        "a schedule with no instant in the window"
    ),
    code!(
        "E1041",
        Version2,
        "a pool of another fund than the campaign's"
    ),
    code!(
        "E1042",
        Version2,
        "a pool whose budget has no amount in the campaign's currency"
    ),
    code!(
        "E1043",
        Version2,
        "a pool's exposure above every approval tier"
    ),
    code!(
        "E1044",
        Version2,
        "a pool budget in a currency an approval tier does not list"
    ),
    code!("E1061", Version2, "`max_spend` below `min_spend`"),
    code!(
        "E1062",
        Version2,
        "a repeating reward with neither a cap nor a fund `max_per_use`"
    ),
    code!("E1063", Version2, "a repeating reward not below its step"),
    code!(
        "E1064",
        Version2,
        "a price with neither a cap nor a `max_spend`"
    ),
    code!("E1065", Version2, "a `max_spend` at or below the price"),
    code!("E1066", Version2, "tiers that mix `off` and `back`"),
    code!("E1067", Version2, "a `back` reward without `credit`"),
    code!("E1068", Version2, "`credit` on an `off` reward"),
    code!("E1069", Version2, "points credited without a `point_value`"),
    code!(
        "E1070",
        Version2,
        "a `point_value` on a credit that is not points"
    ),
    code!(
        "E1071",
        Version2,
        "a claim window that does not overlap the campaign's window"
    ),
    code!(
        "E1072",
        Version2,
        "a claim's `per_user` above its `inventory`"
    ),
    code!(
        "E1073",
        Version2,
        "a test's `claim` line for a campaign without a `claim` block"
    ),
    code!("E1074", Version2, "a test's `claim` line without `user`"),
    code!(
        "E1075",
        Version2,
        "a test's `claim` line with an attribute claims do not take"
    ),
    code!(
        "E1076",
        Version2,
        "a campaign test's `claim` line for another campaign"
    ),
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
pub const RETIRED_CODES: [RetiredCode; 2] = [
    RetiredCode {
        code: "E0505",
        was: "unbounded worst-case exposure: `budget` is required, so every campaign is bounded by it, and a campaign without one is E0206",
    },
    RetiredCode {
        code: "E0907",
        was: "a test form this version of Camp could not run yet: the last such form, `claim` lines, runs since campaigns have `claim` blocks (a claim of a campaign without one is E1073)",
    },
];

/// The retired code `code`, if it is one.
pub fn retired(code: &str) -> Option<&'static RetiredCode> {
    RETIRED_CODES.iter().find(|row| row.code == code)
}

/// `docs/errors.md`, generated from [`ERROR_CODES`] and [`RETIRED_CODES`]:
/// an index by family, then each code explained.
pub fn errors_markdown() -> String {
    let mut out = String::from(
        "# Error codes\n\n<!-- Generated from `ERROR_CODES` in `compiler/core/src/error/codes.rs` and the explanations in `compiler/core/src/error/explanations/` by `UPDATE_ERROR_DOCS=1 cargo test -p campc --test diagnostics`. Do not edit. -->\n\nErrors stop a package from compiling: `campc check` exits 1 and `campc build` writes no IR. They can never be suppressed. `campc rule E0203` prints a code's explanation. Each code has a fixture in `compiler/tests/fixtures/errors/` named after it, and a snapshot of what `campc` prints for it. The examples below use the schema of `compiler/tests/fixtures/prelude.camp` (funds `platform_marketing`, `government_subsidy` and `bank_cofund`; a policy allowing `CNY`, `HKD` and `JPY` up to a 50% rate), and a test checks that each one reports its code.\n\n## Index\n",
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
            TestDiscountAbovePayment { .. } => "E0901",
            TestDiscountCurrency { .. } => "E0902",
            TestCampaignCurrency { .. } => "E0903",
            TestTimeBackwards { .. } => "E0904",
            TestTimeWithoutZone { .. } => "E0905",
            TestWithoutStart { .. } => "E0906",
            PaymentTimeWithoutZone { .. } => "E0909",
            TestCampaignNotRun { .. } => "E0908",
            InvalidBin { .. } => "E1001",
            BinsNotCard { .. } => "E1002",
            BinOverlap { .. } => "E1003",
            MerchantGroupNotInFund { .. } => "E1004",
            EmptyMerchantList { .. } => "E1005",
            LimitDimensionTwice { .. } => "E1021",
            LimitPeriodNotLast { .. } => "E1022",
            LimitTwoPeriods { .. } => "E1023",
            LimitMoneyTotal { .. } => "E1024",
            InvalidClock { .. } => "E1025",
            ClockEndOfDayAsStart { .. } => "E1026",
            HoursNotIncreasing { .. } => "E1027",
            HoursOverlap { .. } => "E1028",
            EmptySchedule { .. } => "E1029",
            PoolOfOtherFund { .. } => "E1041",
            PoolMissingCurrency { .. } => "E1042",
            PoolExposureAboveApprovals { .. } => "E1043",
            PoolTierMissingCurrency { .. } => "E1044",
            MaxSpendBelowMinSpend { .. } => "E1061",
            UncappedEvery { .. } => "E1062",
            EveryRewardNotBelowStep { .. } => "E1063",
            UnboundedPrice { .. } => "E1064",
            MaxSpendNotAbovePrice { .. } => "E1065",
            MixedRewardVerbs { .. } => "E1066",
            BackWithoutCredit { .. } => "E1067",
            CreditOnOff { .. } => "E1068",
            PointsWithoutValue { .. } => "E1069",
            PointValueWithoutPoints { .. } => "E1070",
            ClaimWindowOutside { .. } => "E1071",
            ClaimPerUserAboveInventory { .. } => "E1072",
            ClaimWithoutBlock { .. } => "E1073",
            ClaimWithoutUser { .. } => "E1074",
            ClaimAttribute { .. } => "E1075",
            ClaimOtherCampaign { .. } => "E1076",
            InCampaign { error, .. } => error.code(),
        }
    }
}

//! The closed vocabularies of the language: who pays, what a fund requires,
//! what a limit counts by and over which period, and the types of a
//! template's parameters. The checker parses them, the IR writes them as
//! they are (snake_case), the evaluator reads them, the server completes
//! them and the editor grammars are generated from them.
//!
//! (The enums the IR carries have plain comments, not doc comments: a doc
//! comment would become a description in the IR's JSON Schema.)
//!
//! Each enum is declared with `words!`, so each word is written once:
//! the variant, its word in a program and in the IR, `ALL`, `parse` and
//! `as_str` all come from the one line `Government = "government"`.

/// A closed vocabulary: an enum whose variants are written as words.
/// Generates the enum (with serde and JSON Schema derives naming each
/// variant by its word), `ALL` (the words, in order), `VARIANTS`, `parse`
/// and `as_str`.
macro_rules! words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $word:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            serde::Serialize,
            serde::Deserialize,
            schemars::JsonSchema,
        )]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $word)] $variant, )+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: [&'static str; [$($word),+].len()] = [$($word),+];

            /// Every variant, in declaration order.
            pub const VARIANTS: [$name; [$($word),+].len()] = [$($name::$variant),+];

            /// The variant a word names, if it names one.
            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $( $word => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// The word, as a program and the IR write it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                }
            }
        }
    };
}

pub(crate) use words;

words! {
    // Who pays a fund's rewards (`payer:`).
    pub enum Payer {
        Government = "government",
        Platform = "platform",
        Merchant = "merchant",
        Bank = "bank",
    }
}

words! {
    // What a fund requires of every campaign paid from it (`requires:`).
    pub enum Requirement {
        Regions = "regions",
        Segments = "segments",
        Categories = "categories",
        PerUserLimit = "per_user_limit",
        Budget = "budget",
        Rollout = "rollout",
        Guard = "guard",
        MinSpend = "min_spend",
        ExpectedPeak = "expected_peak",
        Merchants = "merchants",
        Instruments = "instruments",
        PerCardLimit = "per_card_limit",
        Claim = "claim",
    }
}

impl Requirement {
    /// The campaign field a requirement asks for: its own name, except
    /// `per_user_limit` (a `limit`) and `min_spend` (an option of the
    /// `reward`).
    pub const fn field(self) -> &'static str {
        match self {
            Requirement::PerUserLimit | Requirement::PerCardLimit => "limit",
            Requirement::MinSpend => "reward",
            Requirement::Regions
            | Requirement::Segments
            | Requirement::Categories
            | Requirement::Budget
            | Requirement::Rollout
            | Requirement::Guard
            | Requirement::ExpectedPeak
            | Requirement::Merchants
            | Requirement::Instruments
            | Requirement::Claim => self.as_str(),
        }
    }

    /// The help of a campaign that does not meet the requirement.
    pub const fn help(self) -> &'static str {
        match self {
            Requirement::Regions => {
                "add `regions: […]` with the regions the campaign is limited to"
            }
            Requirement::Segments => "add `segments: […]` with the user segments that may redeem",
            Requirement::Categories => "add `categories: […]`",
            Requirement::PerUserLimit => {
                "add `limit: … per user` with a count or an amount per user"
            }
            Requirement::Budget => "add `budget: …`",
            Requirement::Rollout => "add a `rollout { … }` with a canary first stage",
            Requirement::Guard => "add `guard: halt when spend > … per …`",
            Requirement::MinSpend => "add `, min_spend …` to the reward",
            Requirement::ExpectedPeak => "add `expected_peak: … per 1s`",
            Requirement::Merchants => {
                "add `merchants: […]` with the merchant groups the campaign is limited to"
            }
            Requirement::Instruments => {
                "add `instruments: […]` with the payment instruments the campaign is limited to"
            }
            Requirement::PerCardLimit => {
                "add `limit: … per card` with a count or an amount per card"
            }
            Requirement::Claim => {
                "add a `claim { … }` block: users claim a coupon first, and only a held coupon pays"
            }
        }
    }
}

words! {
    // What a limit counts by (`limit: 1 per user`).
    pub enum Dimension {
        User = "user",
        Device = "device",
        Ip = "ip",
        Merchant = "merchant",
        Region = "region",
        Card = "card",
        Category = "category",
    }
}

words! {
    // The calendar period a limit counts over (`limit: 20_000 per day`).
    pub enum Period {
        Hour = "hour",
        Day = "day",
        Week = "week",
        Month = "month",
    }
}

words! {
    // A day of the week in a schedule (`days: [mon, tue]`), Monday first.
    pub enum Day {
        Mon = "mon",
        Tue = "tue",
        Wed = "wed",
        Thu = "thu",
        Fri = "fri",
        Sat = "sat",
        Sun = "sun",
    }
}

words! {
    /// The types a template's parameter may have (`rate: Rate`), and in
    /// brackets lists of them (`cities: [Region]`).
    pub enum TypeName {
        Money = "Money",
        Rate = "Rate",
        Count = "Count",
        Duration = "Duration",
        Text = "Text",
        Scene = "Scene",
        Category = "Category",
        Region = "Region",
        Segment = "Segment",
        Fund = "Fund",
        MerchantGroup = "MerchantGroup",
        Instrument = "Instrument",
        Pool = "Pool",
    }
}

words! {
    // What a payment instrument is (`instrument x { kind: credit_card }`).
    pub enum InstrumentKind {
        CreditCard = "credit_card",
        DebitCard = "debit_card",
        WalletBalance = "wallet_balance",
        BankAccount = "bank_account",
        CreditLine = "credit_line",
    }
}

impl InstrumentKind {
    /// Whether the instrument is a card, whose BIN prefixes (`bins:`) a
    /// runtime matches.
    pub const fn is_card(self) -> bool {
        match self {
            InstrumentKind::CreditCard | InstrumentKind::DebitCard => true,
            InstrumentKind::WalletBalance
            | InstrumentKind::BankAccount
            | InstrumentKind::CreditLine => false,
        }
    }
}

/// The digits a BIN prefix may have: 6 (the classic BIN) to 8 (the
/// ISO/IEC 7812 eight-digit IIN).
pub const BIN_DIGITS: std::ops::RangeInclusive<usize> = 6..=8;

words! {
    /// What a guard watches: `halt when spend > MONEY per DURATION` or
    /// `halt when redemptions > N per DURATION`.
    pub enum Metric {
        Spend = "spend",
        Redemptions = "redemptions",
    }
}

words! {
    /// A duration's unit, written right after its number (`30min`).
    pub enum DurationUnit {
        Seconds = "s",
        Minutes = "min",
        Hours = "h",
        Days = "d",
    }
}

impl DurationUnit {
    pub const fn seconds(self) -> u64 {
        match self {
            DurationUnit::Seconds => 1,
            DurationUnit::Minutes => 60,
            DurationUnit::Hours => 3_600,
            DurationUnit::Days => 86_400,
        }
    }
}

impl Day {
    /// The day `offset` days after Monday (`0` is Monday, `6` Sunday).
    pub fn from_monday_offset(offset: i8) -> Option<Day> {
        usize::try_from(offset)
            .ok()
            .and_then(|offset| Day::VARIANTS.get(offset))
            .copied()
    }
}

/// The words a limit may write after its first `per`: the dimensions, then
/// the periods.
pub const LIMIT_WORDS: [&str; Dimension::ALL.len() + Period::ALL.len()] = {
    let mut words = [""; Dimension::ALL.len() + Period::ALL.len()];
    let (dimensions, periods) = words.split_at_mut(Dimension::ALL.len());
    dimensions.copy_from_slice(&Dimension::ALL);
    periods.copy_from_slice(&Period::ALL);
    words
};

/// The forms a limit takes, as completion offers them after `limit:`: a
/// count or an amount, per dimension, per period or both, per several
/// dimensions, or in all.
pub const LIMIT_EXAMPLES: [&str; 7] = [
    "1 per user",
    "1 per user per day",
    "CNY 100.00 per user",
    "5_000 per day",
    "CNY 10_000.00 per hour",
    "1 per user per category",
    "10_000 total",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for payer in Payer::VARIANTS {
            assert_eq!(Payer::parse(payer.as_str()), Some(payer));
        }
        for requirement in Requirement::VARIANTS {
            assert_eq!(Requirement::parse(requirement.as_str()), Some(requirement));
        }
        for dimension in Dimension::VARIANTS {
            assert_eq!(Dimension::parse(dimension.as_str()), Some(dimension));
        }
        for period in Period::VARIANTS {
            assert_eq!(Period::parse(period.as_str()), Some(period));
        }
        for metric in Metric::VARIANTS {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
        }
        for unit in DurationUnit::VARIANTS {
            assert_eq!(DurationUnit::parse(unit.as_str()), Some(unit));
        }
        for kind in InstrumentKind::VARIANTS {
            assert_eq!(InstrumentKind::parse(kind.as_str()), Some(kind));
        }
        for type_name in TypeName::VARIANTS {
            assert_eq!(TypeName::parse(type_name.as_str()), Some(type_name));
        }
        assert_eq!(Payer::parse("Government"), None);
        for day in Day::VARIANTS {
            assert_eq!(Day::parse(day.as_str()), Some(day));
        }
        assert_eq!(Period::ALL, ["hour", "day", "week", "month"]);
    }

    #[test]
    fn limit_words_are_the_dimensions_then_the_periods() {
        assert_eq!(
            LIMIT_WORDS,
            [
                "user", "device", "ip", "merchant", "region", "card", "category", "hour", "day",
                "week", "month"
            ]
        );
    }

    /// Each example is `AMOUNT per WORD…` (each word a dimension or a
    /// period) or `COUNT total`: completion offers only limits the checker
    /// accepts.
    #[test]
    fn limit_examples_use_the_vocabulary() {
        for example in LIMIT_EXAMPLES {
            if let Some(count) = example.strip_suffix(" total") {
                assert!(
                    count.chars().all(|ch| ch.is_ascii_digit() || ch == '_'),
                    "{example}"
                );
                continue;
            }
            let words: Vec<&str> = example.split(" per ").skip(1).collect();
            assert!(!words.is_empty(), "{example}");
            for word in words {
                assert!(
                    Dimension::parse(word).is_some() || Period::parse(word).is_some(),
                    "{example}: {word}"
                );
            }
        }
    }
}

words! {
    /// How a `back` reward is credited (`credit: cash after 30d`).
    pub enum CreditKind {
        /// Money into the user's balance.
        Cash = "cash",
        /// Points, each worth the campaign's `point_value`.
        Points = "points",
        /// A credit on the card's statement.
        Statement = "statement",
    }
}

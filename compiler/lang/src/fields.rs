//! The fields of each item's body, declared once: name, kind of value,
//! whether it is required, whether it may be repeated, the docs hover
//! shows and the snippet completion inserts. The checker reads which
//! fields a body may have and the help for a missing one; the server its
//! completion, its hover and which fields hold declared names.

use crate::keyword::Item;
use crate::reward;

/// One field an item's body may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: ValueKind,
    pub required: Required,
    /// Whether it may be written more than once (`limit:`, `guard:`).
    pub repeatable: bool,
    /// Its type and allowed values, as hover shows them.
    pub docs: &'static str,
    /// The field as a completion snippet (`${1:…}` tab stops).
    pub snippet: &'static str,
}

/// What a field's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `"…"`
    Text,
    /// `true` or `false`
    Bool,
    /// The name of one declared item of this kind: `fund: government_subsidy`.
    Name(Item),
    /// A list of names of declared items of this kind: `regions: [shanghai]`.
    Names(Item),
    /// An amount: `CNY 50_000_000.00`.
    Money,
    /// Amounts, one per currency: `CNY 2_000.00, HKD 2_200.00`.
    AmountPerCurrency,
    /// `20%`
    Rate,
    /// ISO 4217 codes: `[CNY, HKD]`.
    Currencies,
    /// A [`Payer`](crate::vocab::Payer).
    Payer,
    /// A list of [`Requirement`](crate::vocab::Requirement)s.
    Requirements,
    /// `START to END ZONE`, a form of its own.
    Window,
    /// A reward form ([`crate::reward::RewardKind`]) and its options.
    Reward,
    /// `N per DIM [per PERIOD]`, a form of its own.
    Limit,
    /// `rollout { stage … }`, a block of its own.
    Rollout,
    /// `halt when METRIC > AMOUNT per DURATION`, a form of its own.
    Guard,
    /// `exclusive` or `stacks_with [CAMPAIGN, …]`, a form of its own.
    Stacking,
    /// `N per DURATION`, a form of its own.
    Throughput,
    /// `N up_to MONEY, …` or `N`, a form of its own.
    Approvals,
    /// An [`InstrumentKind`](crate::vocab::InstrumentKind).
    InstrumentKind,
    /// BIN prefixes, strings of digits: `["625965", "625966"]`.
    Bins,
    /// A list of [`Day`](crate::vocab::Day)s: `[mon, tue]`.
    Days,
    /// `HH:MM to HH:MM`, a form of its own.
    Hours,
    /// `cash | points | statement after DURATION[, point_value MONEY]`.
    Credit,
    /// (v2) `claim { … }`, a block of its own (its fields: [`CLAIM`]).
    Claim,
    /// (v2) A positive whole number: `10_000`.
    Count,
    /// (v2) A positive duration: `7d`.
    Duration,
}

impl ValueKind {
    /// Whether the field has a grammar rule of its own, so that its name
    /// is a keyword (`reward`, `limit`, `rollout`…); the other fields are
    /// a name, `:` and generic values.
    pub const fn is_form(self) -> bool {
        match self {
            ValueKind::Window
            | ValueKind::Reward
            | ValueKind::Limit
            | ValueKind::Rollout
            | ValueKind::Guard
            | ValueKind::Stacking
            | ValueKind::Throughput
            | ValueKind::Approvals
            | ValueKind::Hours
            | ValueKind::Claim => true,
            ValueKind::Text
            | ValueKind::Bool
            | ValueKind::Name(_)
            | ValueKind::Names(_)
            | ValueKind::Money
            | ValueKind::AmountPerCurrency
            | ValueKind::Rate
            | ValueKind::Currencies
            | ValueKind::Payer
            | ValueKind::Requirements
            | ValueKind::InstrumentKind
            | ValueKind::Bins
            | ValueKind::Days
            | ValueKind::Credit
            | ValueKind::Count
            | ValueKind::Duration => false,
        }
    }

    /// Whether the field is a block, written `name { … }` with no `:`.
    pub const fn is_block(self) -> bool {
        matches!(self, ValueKind::Rollout | ValueKind::Claim)
    }

    /// The kind of declared item whose names the field holds, if any (a
    /// use of the name, for references and rename).
    pub const fn names(self) -> Option<Item> {
        match self {
            ValueKind::Name(item) | ValueKind::Names(item) => Some(item),
            _ => None,
        }
    }
}

/// Whether a field must be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// A body without it is an error; the text is the error's help.
    Yes(&'static str),
    /// It may be left out (a fund's `requires` may still ask for it).
    No,
}

/// The fields of an item's body. A template's are a campaign's (none of
/// them required there: a campaign made from it sets the rest); a
/// category, a segment and a test have none.
pub const fn fields(item: Item) -> &'static [FieldSpec] {
    match item {
        Item::Campaign | Item::Template => &CAMPAIGN,
        Item::Fund => &FUND,
        Item::Policy => &POLICY,
        Item::Scene => &SCENE,
        Item::Region => &REGION,
        Item::MerchantGroup => &MERCHANT_GROUP,
        Item::Instrument => &INSTRUMENT,
        Item::Category | Item::Segment | Item::Test => &[],
        Item::Pool => &POOL,
    }
}

/// Where `docs/language.md` describes an item's fields (an unknown field's
/// help points there; `compiler/tests/docs.rs` checks that each exists).
pub const fn docs_section(item: Item) -> &'static str {
    match item {
        Item::Campaign | Item::Template => "docs/language.md#campaigns",
        Item::Fund => "docs/language.md#funds",
        Item::Policy => "docs/language.md#the-policy",
        Item::Scene => "docs/language.md#scenes",
        Item::Category | Item::Region | Item::Segment => {
            "docs/language.md#categories-regions-and-segments"
        }
        Item::Test => "docs/language.md#tests",
        Item::MerchantGroup | Item::Instrument => {
            "docs/language.md#merchant-groups-and-instruments"
        }
        Item::Pool => "docs/language.md#pools",
    }
}

/// One field of an item's body, by name.
pub fn field(item: Item, name: &str) -> Option<&'static FieldSpec> {
    fields(item).iter().find(|spec| spec.name == name)
}

/// Every field of every item, each name once, in the order of [`Item`]
/// then of each item's fields.
pub fn all_fields() -> impl Iterator<Item = &'static FieldSpec> {
    let mut seen: Vec<&'static str> = Vec::new();
    Item::VARIANTS
        .into_iter()
        .flat_map(|item| fields(item).iter())
        .filter(move |spec| {
            let new = !seen.contains(&spec.name);
            if new {
                seen.push(spec.name);
            }
            new
        })
}

pub const SCENE: [FieldSpec; 1] = [FieldSpec {
    name: "money_movement",
    kind: ValueKind::Bool,
    required: Required::No,
    repeatable: false,
    docs: "`money_movement: true` marks a scene where users move their own money (transfers, repayments, top-ups): no campaign may target such a scene unless its fund lists that scene explicitly. The only field of a scene is `money_movement`, `false` when left out.",
    snippet: "money_movement: ${1:true}",
}];

pub const REGION: [FieldSpec; 1] = [FieldSpec {
    name: "code",
    kind: ValueKind::Text,
    required: Required::No,
    repeatable: false,
    docs: "A region may have a `code` (text, usually the ISO 3166-2 code) for runtimes to match.",
    snippet: "code: \"${1}\"",
}];

pub const MERCHANT_GROUP: [FieldSpec; 1] = [FieldSpec {
    name: "list",
    kind: ValueKind::Text,
    required: Required::Yes(
        "add `list: \"…\"` naming where the runtime finds the group's merchants",
    ),
    repeatable: false,
    docs: "`list: \"TEXT\"` (required): where the runtime finds the group's merchants (membership is kept by the runtime, as for segments).",
    snippet: "list: \"${1}\"",
}];

pub const INSTRUMENT: [FieldSpec; 2] = [
    FieldSpec {
        name: "kind",
        kind: ValueKind::InstrumentKind,
        required: Required::Yes(
            "add `kind: …`: `credit_card`, `debit_card`, `wallet_balance`, `bank_account` or `credit_line`",
        ),
        repeatable: false,
        docs: "`kind: credit_card | debit_card | wallet_balance | bank_account | credit_line` (required): what the instrument is.",
        snippet: "kind: ${1:credit_card}",
    },
    FieldSpec {
        name: "bins",
        kind: ValueKind::Bins,
        required: Required::No,
        repeatable: false,
        docs: "`bins: [\"DIGITS\", …]` (optional, cards only): the BIN prefixes of the cards, each 6 to 8 digits, that a runtime matches to this instrument.",
        snippet: "bins: [\"${1:625965}\"]",
    },
];

pub const CAMPAIGN: [FieldSpec; 22] = [
    FieldSpec {
        name: "title",
        kind: ValueKind::Text,
        required: Required::Yes("add `title: \"…\"` with the name customers see"),
        repeatable: false,
        docs: "`title: \"TEXT\"` (required): the name users see.",
        snippet: "title: \"${1}\"",
    },
    FieldSpec {
        name: "owner",
        kind: ValueKind::Text,
        required: Required::Yes("add `owner: \"…\"` with the team that answers for this campaign"),
        repeatable: false,
        docs: "`owner: \"TEAM\"` (required): the team answerable for the campaign.",
        snippet: "owner: \"${1:team}\"",
    },
    FieldSpec {
        name: "fund",
        kind: ValueKind::Name(Item::Fund),
        required: Required::Yes("add `fund: …` with the fund that pays for it"),
        repeatable: false,
        docs: "`fund: FUND` (required): who pays; the fund's contract (scenes, categories, `requires`, `max_rate`, `max_per_use`) is checked against the campaign.",
        snippet: "fund: ${1}",
    },
    FieldSpec {
        name: "scenes",
        kind: ValueKind::Names(Item::Scene),
        required: Required::Yes("add `scenes: […]` with the scenes the campaign applies to"),
        repeatable: false,
        docs: "`scenes: [SCENE, …]` or `scenes: any` (required, not empty): the payment scenes; a money-movement scene only if the fund lists it.",
        snippet: "scenes: [${1}]",
    },
    FieldSpec {
        name: "categories",
        kind: ValueKind::Names(Item::Category),
        required: Required::No,
        repeatable: false,
        docs: "`categories: [CATEGORY, …]` (optional): empty or absent means any category.",
        snippet: "categories: [${1}]",
    },
    FieldSpec {
        name: "regions",
        kind: ValueKind::Names(Item::Region),
        required: Required::No,
        repeatable: false,
        docs: "`regions: [REGION, …]` (optional): empty or absent means any region.",
        snippet: "regions: [${1}]",
    },
    FieldSpec {
        name: "segments",
        kind: ValueKind::Names(Item::Segment),
        required: Required::No,
        repeatable: false,
        docs: "`segments: [SEGMENT, …]` (optional): empty or absent means any user segment.",
        snippet: "segments: [${1}]",
    },
    FieldSpec {
        name: "window",
        kind: ValueKind::Window,
        required: Required::Yes(
            "add `window: START to END ZONE`: when the campaign starts and ends (`YYYY-MM-DD HH:MM`), and the time zone they are in",
        ),
        repeatable: false,
        docs: "`window: START to END ZONE` (required): instants `YYYY-MM-DD HH:MM`, ZONE an IANA name, `UTC` or an offset such as `+08:00`; END after START; END itself is outside the window.",
        snippet: "window: ${1:2027-01-01 00:00} to ${2:2027-01-31 00:00} ${3:Asia/Shanghai}",
    },
    FieldSpec {
        name: "reward",
        kind: ValueKind::Reward,
        required: Required::Yes(reward::MISSING_HELP),
        repeatable: false,
        docs: reward::FIELD_DOCS,
        snippet: "reward: ${1:15%} off, cap ${2:CNY 20.00}",
    },
    FieldSpec {
        name: "budget",
        kind: ValueKind::Money,
        required: Required::Yes(
            "add `budget: …` with the most the campaign may pay in all; it bounds the worst-case payout",
        ),
        repeatable: false,
        docs: "`budget: MONEY` (required): the most the campaign may spend, in the campaign's one currency.",
        snippet: "budget: ${1:CNY 100_000.00}",
    },
    FieldSpec {
        name: "limit",
        kind: ValueKind::Limit,
        required: Required::No,
        repeatable: true,
        docs: "`limit: N per DIM… [per PERIOD]` or `limit: MONEY per DIM… [per PERIOD]` (repeatable), DIM `user`, `device`, `ip`, `merchant`, `region`, `card` (counted by card identity) or `category`, several in a row for one counter per combination (`per user per category`), PERIOD `hour`, `day`, `week` or `month` (calendar periods of the window's zone); `limit: N per PERIOD` limits the whole campaign per period and `limit: N total` over the whole window. Without a period a limit spans the whole window.",
        snippet: "limit: ${1:1} per ${2:user}",
    },
    FieldSpec {
        name: "rollout",
        kind: ValueKind::Rollout,
        required: Required::No,
        repeatable: false,
        docs: "`rollout { stage segment SEGMENT for DURATION; stage N% for DURATION; …; stage 100% }` (optional): who sees the campaign, stage by stage.",
        snippet: "rollout {\n  stage segment ${1:qa_accounts} for 30min\n  stage 1% for 2h\n  stage 100%\n}",
    },
    FieldSpec {
        name: "guard",
        kind: ValueKind::Guard,
        required: Required::No,
        repeatable: true,
        docs: "`guard: halt when spend > MONEY per DURATION` or `guard: halt when redemptions > N per DURATION` (repeatable): the runtime halts the campaign above that rate.",
        snippet: "guard: halt when spend > ${1:CNY 5_000.00} per 1min",
    },
    FieldSpec {
        name: "stacking",
        kind: ValueKind::Stacking,
        required: Required::No,
        repeatable: false,
        docs: "`stacking: exclusive` (the default) or `stacking: stacks_with [CAMPAIGN, …]`: which campaigns may apply to the same payment.",
        snippet: "stacking: ${1:exclusive}",
    },
    FieldSpec {
        name: "expected_peak",
        kind: ValueKind::Throughput,
        required: Required::No,
        repeatable: false,
        docs: "`expected_peak: N per DURATION` (optional): the payments per second expected at peak, checked against the policy's `capacity`.",
        snippet: "expected_peak: ${1:1_000} per 1s",
    },
    FieldSpec {
        name: "merchants",
        kind: ValueKind::Names(Item::MerchantGroup),
        required: Required::No,
        repeatable: false,
        docs: "`merchants: [MERCHANT_GROUP, …]` (optional, not empty): only payments at a merchant of one of these groups; absent means any merchant, and a payment with no merchant group does not match.",
        snippet: "merchants: [${1}]",
    },
    FieldSpec {
        name: "instruments",
        kind: ValueKind::Names(Item::Instrument),
        required: Required::No,
        repeatable: false,
        docs: "`instruments: [INSTRUMENT, …]` (optional, not empty): only payments made with one of these instruments; absent means any instrument, and a payment with no card does not match.",
        snippet: "instruments: [${1}]",
    },
    FieldSpec {
        name: "days",
        kind: ValueKind::Days,
        required: Required::No,
        repeatable: false,
        docs: "`days: [DAY, …]` (optional): the days of the week the campaign pays on, in the window's zone; DAY `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`. Left out: every day.",
        snippet: "days: [${1:mon, tue, wed, thu, fri}]",
    },
    FieldSpec {
        name: "hours",
        kind: ValueKind::Hours,
        required: Required::No,
        repeatable: true,
        docs: "`hours: HH:MM to HH:MM` (optional, repeatable): a time of day the campaign pays in, local to the window's zone, half-open; `24:00` only as an end, and a range never crosses midnight (write two). Left out: all day.",
        snippet: "hours: ${1:10:00} to ${2:12:00}",
    },
    FieldSpec {
        name: "pool",
        kind: ValueKind::Name(Item::Pool),
        required: Required::No,
        repeatable: false,
        docs: "`pool: POOL` (optional): a budget shared with other campaigns of the same fund; a payment is paid only while the pool, in the campaign's currency, has room for it. The pool's budget bounds the campaign's exposure.",
        snippet: "pool: ${1}",
    },
    FieldSpec {
        name: "credit",
        kind: ValueKind::Credit,
        required: Required::No,
        repeatable: false,
        docs: "`credit: cash | points | statement after DURATION[, point_value MONEY]` (required with a `back` reward, refused with `off`): how and when a `back` reward is credited after the payment; `points` must give `point_value`, what one point is worth.",
        snippet: "credit: ${1:cash} after ${2:30d}",
    },
    FieldSpec {
        name: "claim",
        kind: ValueKind::Claim,
        required: Required::No,
        repeatable: false,
        docs: "`claim { window: START to END ZONE, inventory: N, per_user: N, valid_for: DURATION }` (optional): claim-first coupons. The campaign pays only a user holding an unused coupon, valid from its claim for `valid_for` but never past the campaign's window; a payment uses the coupon that expires first, and each coupon pays once. `inventory` (coupons in all) bounds the exposure with the largest single reward.",
        snippet: "claim {\n  window: ${1:2027-01-01 00:00} to ${2:2027-01-08 00:00} ${3:Asia/Shanghai}\n  inventory: ${4:10_000}\n  per_user: ${5:1}\n  valid_for: ${6:7d}\n}",
    },
];

/// (v2) The fields of a campaign's `claim { … }` block.
pub const CLAIM: [FieldSpec; 4] = [
    FieldSpec {
        name: "window",
        kind: ValueKind::Window,
        required: Required::No,
        repeatable: false,
        docs: "`window: START to END ZONE` (optional in `claim`): when coupons may be claimed, half-open; it must overlap the campaign's window. Left out: the campaign's window.",
        snippet: "window: ${1:2027-01-01 00:00} to ${2:2027-01-08 00:00} ${3:Asia/Shanghai}",
    },
    FieldSpec {
        name: "inventory",
        kind: ValueKind::Count,
        required: Required::Yes(
            "add `inventory: N` with how many coupons there are in all; it bounds what the campaign can pay",
        ),
        repeatable: false,
        docs: "`inventory: N` (required in `claim`, a positive count): the coupons there are in all; a claim when all are claimed is refused (`inventory`). The inventory times the largest single reward bounds the campaign's exposure.",
        snippet: "inventory: ${1:10_000}",
    },
    FieldSpec {
        name: "per_user",
        kind: ValueKind::Count,
        required: Required::Yes("add `per_user: N` with how many coupons one user may claim"),
        repeatable: false,
        docs: "`per_user: N` (required in `claim`, a positive count, at most `inventory`): the coupons one user may claim; one more is refused (`per_user`).",
        snippet: "per_user: ${1:1}",
    },
    FieldSpec {
        name: "valid_for",
        kind: ValueKind::Duration,
        required: Required::No,
        repeatable: false,
        docs: "`valid_for: DURATION` (optional in `claim`, positive): how long a coupon is valid from its claim, `[claim, claim + valid_for)`, never past the campaign's window. Left out: until the campaign's window ends.",
        snippet: "valid_for: ${1:7d}",
    },
];

/// (v2) A pool: a budget several campaigns of one fund share.
pub const POOL: [FieldSpec; 2] = [
    FieldSpec {
        name: "fund",
        kind: ValueKind::Name(Item::Fund),
        required: Required::Yes("add `fund: …` with the fund whose campaigns share this pool"),
        repeatable: false,
        docs: "`fund: FUND` (required): the fund whose campaigns may draw from the pool; a campaign of another fund may not.",
        snippet: "fund: ${1}",
    },
    FieldSpec {
        name: "budget",
        kind: ValueKind::AmountPerCurrency,
        required: Required::Yes(
            "add `budget: …` with the most the pool's campaigns may pay in all, one amount per currency",
        ),
        repeatable: false,
        docs: "`budget: MONEY, …` (required): the most the pool's campaigns may pay together, one amount per currency; a campaign in a currency the budget does not list may not use the pool.",
        snippet: "budget: ${1:CNY 1_000_000.00}",
    },
];

pub const FUND: [FieldSpec; 7] = [
    FieldSpec {
        name: "payer",
        kind: ValueKind::Payer,
        required: Required::Yes(
            "add `payer: …` with who pays: `government`, `platform`, `merchant` or `bank`",
        ),
        repeatable: false,
        docs: "`payer: government | platform | merchant | bank`: who pays.",
        snippet: "payer: ${1:platform}",
    },
    FieldSpec {
        name: "scenes",
        kind: ValueKind::Names(Item::Scene),
        required: Required::Yes(
            "add `scenes: […]` with the scenes campaigns paid from this fund may target",
        ),
        repeatable: false,
        docs: "`scenes: [SCENE, …]`: the only scenes a campaign on this fund may target.",
        snippet: "scenes: [${1}]",
    },
    FieldSpec {
        name: "categories",
        kind: ValueKind::Names(Item::Category),
        required: Required::No,
        repeatable: false,
        docs: "`categories: [CATEGORY, …]`: the only categories a campaign on this fund may target.",
        snippet: "categories: [${1}]",
    },
    FieldSpec {
        name: "requires",
        kind: ValueKind::Requirements,
        required: Required::No,
        repeatable: false,
        docs: "`requires: [REQUIREMENT, …]`: what every campaign on this fund must set: `regions`, `segments`, `categories`, `per_user_limit`, `budget`, `min_spend`, `rollout`, `guard`, `expected_peak`, `merchants`, `instruments`, `per_card_limit`, `claim` (a `claim { … }` block).",
        snippet: "requires: [${1}]",
    },
    FieldSpec {
        name: "max_rate",
        kind: ValueKind::Rate,
        required: Required::No,
        repeatable: false,
        docs: "`max_rate: RATE`: the largest percentage reward a campaign on this fund may give.",
        snippet: "max_rate: ${1:20%}",
    },
    FieldSpec {
        name: "max_per_use",
        kind: ValueKind::AmountPerCurrency,
        required: Required::No,
        repeatable: false,
        docs: "`max_per_use: MONEY, …`: the most one payment may be discounted, one amount per currency.",
        snippet: "max_per_use: ${1:CNY 500.00}",
    },
    FieldSpec {
        name: "merchants",
        kind: ValueKind::Names(Item::MerchantGroup),
        required: Required::No,
        repeatable: false,
        docs: "`merchants: [MERCHANT_GROUP, …]`: the only merchant groups a campaign on this fund may target; each such campaign must list `merchants:` within them.",
        snippet: "merchants: [${1}]",
    },
];

pub const POLICY: [FieldSpec; 4] = [
    FieldSpec {
        name: "currencies",
        kind: ValueKind::Currencies,
        required: Required::No,
        repeatable: false,
        docs: "`currencies: [CURRENCY, …]`: the ISO 4217 currencies campaigns may use.",
        snippet: "currencies: [${1:CNY}]",
    },
    FieldSpec {
        name: "max_rate",
        kind: ValueKind::Rate,
        required: Required::No,
        repeatable: false,
        docs: "`max_rate: RATE`: the largest percentage reward of any campaign.",
        snippet: "max_rate: ${1:50%}",
    },
    FieldSpec {
        name: "approvals",
        kind: ValueKind::Approvals,
        required: Required::No,
        repeatable: true,
        docs: "`approvals: N up_to MONEY, …` (repeatable, increasing), then `approvals: N` above the last tier: how many approvals a campaign's worst-case exposure needs.",
        snippet: "approvals: ${1:1} up_to ${2:CNY 100_000.00}",
    },
    FieldSpec {
        name: "capacity",
        kind: ValueKind::Throughput,
        required: Required::No,
        repeatable: false,
        docs: "`capacity: N per DURATION`: the payments the platform can take; `expected_peak` is checked against it.",
        snippet: "capacity: ${1:20_000} per 1s",
    },
];
#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{Dimension, Payer, Period, Requirement};

    fn docs(item: Item, name: &str) -> &'static str {
        field(item, name).map(|spec| spec.docs).unwrap_or("")
    }

    /// The docs and helps that list a vocabulary's words list all of them.
    #[test]
    fn docs_name_every_word() {
        for payer in Payer::ALL {
            assert!(docs(Item::Fund, "payer").contains(payer), "{payer}");
            let help = match field(Item::Fund, "payer").map(|spec| spec.required) {
                Some(Required::Yes(help)) => help,
                Some(Required::No) | None => "",
            };
            assert!(help.contains(&format!("`{payer}`")), "{payer}");
        }
        for requirement in Requirement::ALL {
            assert!(
                docs(Item::Fund, "requires").contains(&format!("`{requirement}`")),
                "{requirement}"
            );
        }
        for word in Dimension::ALL.into_iter().chain(Period::ALL) {
            assert!(
                docs(Item::Campaign, "limit").contains(&format!("`{word}`")),
                "{word}"
            );
        }
    }

    /// Each field's snippet writes the field; names are distinct in a body;
    /// only a form's field is a block.
    #[test]
    fn tables_are_consistent() {
        for item in Item::VARIANTS {
            let specs = fields(item);
            for (index, spec) in specs.iter().enumerate() {
                let separator = if spec.kind.is_block() { " {" } else { ":" };
                assert!(
                    spec.snippet
                        .starts_with(&format!("{}{separator}", spec.name)),
                    "{}",
                    spec.name
                );
                assert!(
                    spec.docs.contains(&format!("`{}", spec.name)),
                    "{}",
                    spec.name
                );
                assert!(!spec.kind.is_block() || spec.kind.is_form());
                assert!(
                    specs
                        .iter()
                        .skip(index + 1)
                        .all(|other| other.name != spec.name),
                    "{} twice",
                    spec.name
                );
            }
        }
        for requirement in Requirement::VARIANTS {
            assert!(
                field(Item::Campaign, requirement.field()).is_some(),
                "{requirement:?}"
            );
        }
        assert_eq!(
            field(Item::Campaign, "limit").map(|spec| spec.repeatable),
            Some(true)
        );
        assert_eq!(
            field(Item::Template, "budget"),
            field(Item::Campaign, "budget")
        );
        assert!(field(Item::Segment, "code").is_none());
    }
}

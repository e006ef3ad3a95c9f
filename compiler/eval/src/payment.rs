//! A payment as the evaluator sees it: what the language's decision
//! procedure reads, and nothing else.

use std::collections::BTreeSet;

use camp_ir::types::{Id, Instant, Money};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One payment. The id names the redemption: a payment decided twice under
/// one id is a replay (see [`crate::Evaluator::decide`]).
///
/// Optional attributes the payment does not carry are `None`: a campaign
/// restricted on that attribute does not match it, and a limit counted by
/// it cannot count it (see `docs/language-decisions.md`, "Evaluation").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub id: String,
    /// The amount and its currency. At most the currency's minor unit,
    /// never negative; otherwise the payment is refused.
    pub amount: Money,
    pub instant: Instant,
    pub scene: Id,
    #[serde(default)]
    pub category: Option<Id>,
    #[serde(default)]
    pub region: Option<Id>,
    #[serde(default)]
    pub merchant: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    /// The segments the user belongs to.
    #[serde(default)]
    pub segments: BTreeSet<Id>,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    /// The merchant groups the merchant belongs to (v2).
    #[serde(default)]
    pub merchant_groups: BTreeSet<Id>,
    /// The card (or other instrument) paid with (v2).
    #[serde(default)]
    pub card: Option<Card>,
}

/// The instrument a payment is made with: its declared instrument, and
/// its identity, by which `per card` limits count (v2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub instrument: Id,
    pub id: String,
}

impl Card {
    /// A card whose identity is not given: one card per user and
    /// instrument (the identity is `USER/INSTRUMENT`, or `/INSTRUMENT`
    /// for a payment without a user).
    pub fn of_user(instrument: Id, user: Option<&str>) -> Card {
        let id = format!("{}/{}", user.unwrap_or(""), instrument.as_str());
        Card { instrument, id }
    }
}

impl Payment {
    /// A payment with only the attributes every payment has.
    pub fn new(id: impl Into<String>, amount: Money, instant: Instant, scene: Id) -> Payment {
        Payment {
            id: id.into(),
            amount,
            instant,
            scene,
            category: None,
            region: None,
            merchant: None,
            user: None,
            segments: BTreeSet::new(),
            device: None,
            ip: None,
            merchant_groups: BTreeSet::new(),
            card: None,
        }
    }

    /// Whether the amount is one a payment can have: not negative, and no
    /// finer than the currency's minor unit.
    pub fn amount_is_valid(&self) -> bool {
        let scale = Money::scale(self.amount.currency);
        self.amount.amount >= rust_decimal::Decimal::ZERO
            && self.amount.amount.normalize().scale() <= scale
    }
}

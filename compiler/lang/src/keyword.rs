//! The keywords of the language and its reserved words.
//!
//! - [`Item`]: the words that start a top-level item (`campaign x { … }`).
//! - [`Word`]: the words inside a form or a header (`per`, `from`), and
//!   [`RewardWord`]: a reward's (`off`, `random`, `cap`…).
//! - [`Value`]: the built-in values (`any`, `true`, `false`).
//! - The fields with a form of their own (`reward:`, `limit:`,
//!   `rollout { … }`) are keywords too; they are the fields whose
//!   [`ValueKind`](crate::fields::ValueKind) is a form, in
//!   [`crate::fields`].
//!
//! A reserved word is never a declared name: the item keywords, `from`
//! (which follows a campaign's name) and the built-in values.
//!
//! `grammar/camp.pest` and the tree-sitter grammar spell these words in
//! their rules; `compiler/tests/vocabulary.rs` checks that they spell the
//! same words, and generates the editor grammars' keyword lists from here.

pub use crate::reward::RewardWord;
use crate::vocab::words;

words! {
    /// The keywords that start a top-level item: a line whose first word
    /// is one of them starts the next item. In the grammar's order.
    pub enum Item {
        Scene = "scene",
        Category = "category",
        Region = "region",
        Segment = "segment",
        Fund = "fund",
        Policy = "policy",
        Template = "template",
        Campaign = "campaign",
        Test = "test",
        MerchantGroup = "merchant_group",
        Instrument = "instrument",
        /// (v2) A budget shared by several campaigns of one fund.
        Pool = "pool",
    }
}

words! {
    /// The words inside a form (`limit: 1 per user`, `stage 1% for 2h`), a
    /// header (`campaign x from t(…)`, `rate: Rate in 5%..20%`) or a test's
    /// payment (`pay CNY 100.00 at scene => no discount`). A reward's own
    /// words (`off`, `random`, `cap`…) are [`RewardWord`]s, declared with
    /// the reward forms.
    pub enum Word {
        From = "from",
        In = "in",
        To = "to",
        Per = "per",
        Halt = "halt",
        When = "when",
        Exclusive = "exclusive",
        StacksWith = "stacks_with",
        UpTo = "up_to",
        Stage = "stage",
        For = "for",
        Pay = "pay",
        At = "at",
        No = "no",
        Discount = "discount",
        /// A test's payment attributes and outcomes (`user alice`,
        /// `=> refused: conflicting replay`, `claim c, user bob => claimed`).
        Back = "back",
        Group = "group",
        Merchant = "merchant",
        User = "user",
        Device = "device",
        Id = "id",
        Card = "card",
        Ip = "ip",
        Time = "time",
        Refused = "refused",
        Conflicting = "conflicting",
        Replay = "replay",
        Claim = "claim",
        Claimed = "claimed",
        /// `limit: 100_000 total`: the whole campaign over its window.
        Total = "total",
    }
}

words! {
    /// The built-in values, written where a name could be.
    pub enum Value {
        True = "true",
        False = "false",
        /// `scenes: any`: every declared scene.
        Any = "any",
    }
}

/// The attributes a test's payment may name after its scene, each with the
/// item keyword of what it names: `pay CNY 100.00 at merchant_purchase,
/// region shanghai => …`. (`segment` also names a rollout stage's segment:
/// `stage segment qa_accounts for 30min`.)
pub const PAY_ATTRIBUTES: [Item; 3] = [Item::Category, Item::Region, Item::Segment];

/// The attributes of a test's payment that name something, in the order
/// the grammar lists them: the three that name a declared item, then
/// `group`, `merchant`, `user`, `device` and `id` (`card`, `ip` and `time`
/// take other values).
pub fn pay_name_attributes() -> [&'static str; 8] {
    [
        Item::Category.as_str(),
        Item::Region.as_str(),
        Item::Segment.as_str(),
        Word::Group.as_str(),
        Word::Merchant.as_str(),
        Word::User.as_str(),
        Word::Device.as_str(),
        Word::Id.as_str(),
    ]
}

/// The words of forms: [`Word`]s, then [`RewardWord`]s.
pub fn form_words() -> impl Iterator<Item = &'static str> {
    Word::ALL.into_iter().chain(RewardWord::ALL)
}

/// Whether a word is a word of a form ([`form_words`]).
pub fn is_form_word(word: &str) -> bool {
    Word::parse(word).is_some() || RewardWord::parse(word).is_some()
}

/// Whether a word may not be declared as a name: an item keyword, `from`
/// or a built-in value.
pub fn is_reserved(word: &str) -> bool {
    Item::parse(word).is_some() || word == Word::From.as_str() || Value::parse(word).is_some()
}

/// The reserved words, in order: the item keywords, `from`, the built-in
/// values.
pub fn reserved() -> impl Iterator<Item = &'static str> {
    Item::ALL
        .into_iter()
        .chain([Word::From.as_str()])
        .chain(Value::ALL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words() {
        let reserved: Vec<&str> = reserved().collect();
        assert_eq!(
            reserved,
            [
                "scene",
                "category",
                "region",
                "segment",
                "fund",
                "policy",
                "template",
                "campaign",
                "test",
                "merchant_group",
                "instrument",
                "pool",
                "from",
                "true",
                "false",
                "any",
            ]
        );
        for word in &reserved {
            assert!(is_reserved(word), "{word}");
        }
        for word in ["in", "off", "reward", "campaigns", "user"] {
            assert!(!is_reserved(word), "{word}");
        }
    }

    /// No word is two kinds of keyword at once.
    #[test]
    fn keywords_are_distinct() {
        let mut all: Vec<&str> = Item::ALL
            .into_iter()
            .chain(form_words())
            .chain(Value::ALL)
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}

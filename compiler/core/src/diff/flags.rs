//! The diff's flags: the changes a reviewer must not miss, each with a
//! stable kebab-case name, a default level and its documentation, and
//! their levels from the `[diff]` table of `camp.toml`:
//!
//! ```toml
//! [diff]
//! more-approvals = "deny"
//! canary-removed = "allow"
//! ```

use std::collections::BTreeMap;

use crate::check::values::suggest;
use crate::lint::Level;

/// A flag: a kind of change that is dangerous to approve unseen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// The campaign is paid from another fund, or its fund's payer changed.
    FundChanged,
    /// The campaign now reaches a money-movement scene it did not reach.
    MoneyMovementScope,
    /// The largest single reward, the effective rate or the worst-case
    /// exposure is ten times what it was, or more.
    TenfoldGrowth,
    /// The release needs more approvals than before.
    MoreApprovals,
    /// A spend or redemption guard was removed.
    GuardRemoved,
    /// The rollout no longer starts with a canary stage.
    CanaryRemoved,
}

/// A flag's documentation, as `docs/diff.md` and `campc rule` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagDoc {
    pub flag: Flag,
    pub name: &'static str,
    pub default_level: Level,
    pub summary: &'static str,
    /// What it flags and why it is dangerous.
    pub explanation: &'static str,
}

impl Flag {
    /// Every flag, in the order of their documentation.
    pub const ALL: [Flag; 6] = [
        Flag::FundChanged,
        Flag::MoneyMovementScope,
        Flag::TenfoldGrowth,
        Flag::MoreApprovals,
        Flag::GuardRemoved,
        Flag::CanaryRemoved,
    ];

    pub fn doc(self) -> FlagDoc {
        let (name, default_level, summary, explanation) = match self {
            Flag::FundChanged => (
                "fund-changed",
                Level::Deny,
                "a campaign paid from another fund, or by another payer",
                "The campaign's `fund` names another fund, or its fund's `payer` changed \
                 (`platform` to `government`, say). Who pays is the first thing a finance \
                 reviewer signs off; a template edit can move every campaign made from it \
                 to another budget at once, as in the 2025-01-16 incident.",
            ),
            Flag::MoneyMovementScope => (
                "money-movement-scope",
                Level::Deny,
                "a campaign that now reaches a money-movement scene",
                "The campaign's scenes now include a scene declared `money_movement: true` \
                 (a transfer, a card repayment) that it did not include before, because a \
                 scene was added to its scope or a scene it targets was declared money \
                 movement. Rewards on moving money are how promotions get farmed.",
            ),
            Flag::TenfoldGrowth => (
                "tenfold-growth",
                Level::Deny,
                "a reward, effective rate, exposure or pool budget ten times larger or more",
                "The largest single reward, the effective rate, the worst-case exposure or \
                 the budget of the pool it draws from (v2) is at least ten times what it \
                 was; a pool's budget edited shows on every campaign that draws from it. \
                 A slipped decimal point (`2%` to `20%`, \
                 `CNY 5.00` to `CNY 50.00`) looks like a one-character change in a text \
                 diff.",
            ),
            Flag::MoreApprovals => (
                "more-approvals",
                Level::Warn,
                "a campaign whose release needs more approvals",
                "The policy's approval tiers put the campaign's new worst-case exposure in \
                 a higher tier: the release needs more sign-offs than before. Make sure \
                 they are asked for.",
            ),
            Flag::GuardRemoved => (
                "guard-removed",
                Level::Warn,
                "a spend or redemption guard removed",
                "A guard of the campaign (`halt_if spend above … per …`, or redemptions) is \
                 gone, with no guard of the same metric over the same duration left. \
                 Guards are what halt a campaign that pays out faster than planned.",
            ),
            Flag::CanaryRemoved => (
                "canary-removed",
                Level::Warn,
                "a rollout that no longer starts with a canary",
                "The campaign's rollout started with a canary stage (a segment, or at most \
                 1% of users) and no longer does: no rollout at all, or a first stage that \
                 reaches more users. A canary is where a wrong amount shows on a handful \
                 of accounts first.",
            ),
        };
        FlagDoc {
            flag: self,
            name,
            default_level,
            summary,
            explanation,
        }
    }

    /// The stable name (`fund-changed`).
    pub fn name(self) -> &'static str {
        self.doc().name
    }

    pub fn find(name: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|flag| flag.name() == name)
    }
}

/// A flag's documentation in Markdown, as `campc rule NAME` prints it and
/// `docs/diff.md` holds it.
pub fn flag_markdown(flag: Flag) -> String {
    let doc = flag.doc();
    format!(
        "# {}\n\nA `campc diff` flag: {}. Default level: `{}`.\n\n{}\n",
        doc.name,
        doc.summary,
        doc.default_level.as_str(),
        doc.explanation
    )
}

/// Every flag's documentation, for `docs/diff.md` (a test keeps it current).
pub fn flags_markdown() -> String {
    Flag::ALL
        .into_iter()
        .map(|flag| flag_markdown(flag).replacen("# ", "### ", 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The flags' levels in force: `[diff]`'s, else each flag's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffConfig {
    levels: BTreeMap<Flag, Level>,
}

impl DiffConfig {
    pub fn level(&self, flag: Flag) -> Level {
        self.levels
            .get(&flag)
            .copied()
            .unwrap_or(flag.doc().default_level)
    }

    pub fn set_level(&mut self, flag: Flag, level: Level) {
        self.levels.insert(flag, level);
    }

    /// Reads one `[diff]` entry: a flag's name and its level. The problem
    /// is a sentence, and whether it is about the key (an unknown flag,
    /// with the close name when there is one) or the value.
    pub fn read_entry(&mut self, key: &str, value: &toml::Value) -> Result<(), EntryProblem> {
        let Some(flag) = Flag::find(key) else {
            let names = Flag::ALL.map(Flag::name);
            return Err(EntryProblem::UnknownFlag {
                suggestion: suggest(key, names.iter().copied())
                    .and_then(|name| names.into_iter().find(|known| *known == name)),
            });
        };
        match value.as_str().and_then(Level::parse) {
            Some(level) => {
                self.levels.insert(flag, level);
                Ok(())
            }
            None => Err(EntryProblem::Level {
                message: format!(
                    "`[diff]` `{key}` must be a level: \"allow\", \"warn\", \"deny\" or \"forbid\"; found `{value}`"
                ),
            }),
        }
    }
}

/// What is wrong with one `[diff]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryProblem {
    UnknownFlag { suggestion: Option<&'static str> },
    Level { message: String },
}

/// The JSON Schema of `camp.toml`'s `[diff]` table: a property per flag.
pub fn diff_json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut properties = serde_json::Map::new();
    for flag in Flag::ALL {
        let doc = flag.doc();
        properties.insert(
            doc.name.to_string(),
            serde_json::json!({
                "description": format!("{} (default: {})", doc.summary, doc.default_level.as_str()),
                "enum": Level::NAMES,
            }),
        );
    }
    let value = serde_json::json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    match value {
        serde_json::Value::Object(map) => schemars::Schema::from(map),
        _ => schemars::Schema::default(),
    }
}

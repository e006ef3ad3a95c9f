//! Hover on a field name: its type and allowed values in its block.

use super::place::{Block, place_of};

/// A field's type and allowed values, for hover: by block, as the
/// language defines them (`docs/language.md`).
pub(super) const CAMPAIGN_FIELD_DOCS: [(&str, &str); 15] = [
    ("title", "`title: \"TEXT\"` (required): the name users see."),
    (
        "owner",
        "`owner: \"TEAM\"` (required): the team answerable for the campaign.",
    ),
    (
        "fund",
        "`fund: FUND` (required): who pays; the fund's contract (scenes, categories, `requires`, `max_rate`, `max_per_use`) is checked against the campaign.",
    ),
    (
        "scenes",
        "`scenes: [SCENE, …]` or `scenes: any` (required, not empty): the payment scenes; a money-movement scene only if the fund lists it.",
    ),
    (
        "categories",
        "`categories: [CATEGORY, …]` (optional): empty or absent means any category.",
    ),
    (
        "regions",
        "`regions: [REGION, …]` (optional): empty or absent means any region.",
    ),
    (
        "segments",
        "`segments: [SEGMENT, …]` (optional): empty or absent means any user segment.",
    ),
    (
        "window",
        "`window: START to END ZONE` (required): instants `YYYY-MM-DD HH:MM`, ZONE an IANA name, `UTC` or an offset such as `+08:00`; END after START; END itself is outside the window.",
    ),
    (
        "reward",
        "`reward:` (required) one of `MONEY off`, `RATE off, cap MONEY` (the cap is mandatory), `random MONEY to MONEY off`, `tiers { spend MONEY => MONEY off; … }`; any form may add `, min_spend MONEY`. The discount is rounded down to the currency's minor unit and never exceeds the payment.",
    ),
    (
        "budget",
        "`budget: MONEY` (required): the most the campaign may spend, in the campaign's one currency.",
    ),
    (
        "limit",
        "`limit: N per DIM [per PERIOD]` or `limit: MONEY per DIM [per PERIOD]` (repeatable), DIM `user`, `device`, `ip`, `merchant` or `region`, PERIOD `hour`, `day` or `week`; `limit: N per PERIOD` limits the whole campaign. Without a period a limit spans the whole window.",
    ),
    (
        "rollout",
        "`rollout { stage segment SEGMENT for DURATION; stage N% for DURATION; …; stage 100% }` (optional): who sees the campaign, stage by stage.",
    ),
    (
        "guard",
        "`guard: halt when spend > MONEY per DURATION` or `guard: halt when redemptions > N per DURATION` (repeatable): the runtime halts the campaign above that rate.",
    ),
    (
        "stacking",
        "`stacking: exclusive` (the default) or `stacking: stacks_with [CAMPAIGN, …]`: which campaigns may apply to the same payment.",
    ),
    (
        "expected_peak",
        "`expected_peak: N per DURATION` (optional): the payments per second expected at peak, checked against the policy's `capacity`.",
    ),
];

pub(super) const FUND_FIELD_DOCS: [(&str, &str); 6] = [
    (
        "payer",
        "`payer: government | platform | merchant | bank`: who pays.",
    ),
    (
        "scenes",
        "`scenes: [SCENE, …]`: the only scenes a campaign on this fund may target.",
    ),
    (
        "categories",
        "`categories: [CATEGORY, …]`: the only categories a campaign on this fund may target.",
    ),
    (
        "requires",
        "`requires: [REQUIREMENT, …]`: what every campaign on this fund must set: `regions`, `segments`, `categories`, `per_user_limit`, `budget`, `min_spend`, `rollout`, `guard`, `expected_peak`.",
    ),
    (
        "max_rate",
        "`max_rate: RATE`: the largest percentage reward a campaign on this fund may give.",
    ),
    (
        "max_per_use",
        "`max_per_use: MONEY, …`: the most one payment may be discounted, one amount per currency.",
    ),
];

pub(super) const POLICY_FIELD_DOCS: [(&str, &str); 4] = [
    (
        "currencies",
        "`currencies: [CURRENCY, …]`: the ISO 4217 currencies campaigns may use.",
    ),
    (
        "max_rate",
        "`max_rate: RATE`: the largest percentage reward of any campaign.",
    ),
    (
        "approvals",
        "`approvals: N up_to MONEY, …` (repeatable, increasing), then `approvals: N` above the last tier: how many approvals a campaign's worst-case exposure needs.",
    ),
    (
        "capacity",
        "`capacity: N per DURATION`: the payments the platform can take; `expected_peak` is checked against it.",
    ),
];

/// Hover on a field name: its type and allowed values in that block.
pub fn field_hover(text: &str, offset: usize, word: &str) -> Option<String> {
    // The word must be the field name at the start of its line.
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = text.get(line_start..)?.split('\n').next()?;
    let rest = line.trim_start().strip_prefix(word)?;
    if !(rest.trim_start().starts_with(':') || rest.trim_start().starts_with('{')) {
        return None;
    }
    let docs: &[(&str, &str)] = match place_of(text, line_start).block {
        Block::Campaign | Block::Template => &CAMPAIGN_FIELD_DOCS,
        Block::Fund => &FUND_FIELD_DOCS,
        Block::Policy => &POLICY_FIELD_DOCS,
        _ => return None,
    };
    docs.iter()
        .find(|(name, _)| *name == word)
        .map(|(_, doc)| doc.to_string())
}

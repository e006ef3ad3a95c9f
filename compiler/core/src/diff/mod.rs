//! `campc diff`: what a change means, per campaign. A pure function of two
//! sides' campaigns as the IR builder makes them from checked models
//! (templates resolved, every name and default explicit), so a template
//! edit shows on every campaign made from it and formatting, comments,
//! the order of items and the files they are in show nothing.
//!
//! Each difference is typed data ([`Change`]); the flags
//! ([`flags::Flag`]) are computed from the changes alone, and the levels
//! come from `camp.toml`'s `[diff]` ([`DiffConfig`]). Rendering is
//! `campc`'s.

pub mod flags;
mod schedule;
mod scope;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ir::types::{
    Campaign, Claim, ExposureBound, Guard, GuardMetric, Limit, LimitAmount, Money, Rate,
    RewardForm, SourceLocation, Stacking, Stage, StageTarget,
};
use crate::lint::Level;
pub use flags::{DiffConfig, Flag, FlagDoc};
pub use schedule::{ScheduleMovement, ScheduleSummary};
pub use scope::{ScopeDimension, ScopeSet};

/// The difference between two packages: each campaign added, removed or
/// changed in meaning, most dangerous first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PackageDiff {
    pub campaigns: Vec<CampaignDiff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// One campaign's difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CampaignDiff {
    pub campaign: String,
    pub status: Status,
    /// Where it is written: on the new side, or the old one for a removed
    /// campaign (`campc diff` shows the file's path from the current folder).
    pub source: SourceLocation,
    /// The template it is made from (on the same side as `source`).
    pub template: Option<String>,
    /// For an added or removed campaign, what it is; for a changed one,
    /// each change in meaning.
    pub changes: Vec<Change>,
    /// The flags its changes raise, most severe first (`allow`ed ones
    /// left out).
    pub flags: Vec<RaisedFlag>,
}

impl CampaignDiff {
    /// The most severe level among its flags.
    pub fn worst(&self) -> Option<Level> {
        self.flags.iter().map(|flag| flag.level).max()
    }
}

/// A flag raised on a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RaisedFlag {
    pub flag: Flag,
    #[serde(serialize_with = "level_name")]
    #[schemars(with = "LevelName")]
    pub level: Level,
    /// What was raised, in a sentence.
    pub message: String,
}

/// A flag's level.
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // only its schema is used
enum LevelName {
    Warn,
    Deny,
    Forbid,
}

fn level_name<S: serde::Serializer>(level: &Level, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(level.as_str())
}

/// A fund as a campaign sees it: its name and who pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FundRef {
    pub id: String,
    pub payer: String,
}

/// (v2) A campaign's pool: its name and its budget in the campaign's
/// currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PoolSummary {
    pub id: String,
    pub budget: Money,
}

/// A reward with what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RewardSummary {
    /// As an author writes it: `2% off, cap CNY 50.00, min_spend
    /// CNY 100.00`.
    pub text: String,
    pub min_spend: Option<Money>,
    pub largest_single: Money,
    pub effective_rate: Rate,
}

/// A window as written, and its length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WindowSummary {
    /// `2026-01-01 00:00 to 2026-02-01 00:00 Asia/Shanghai`.
    pub text: String,
    pub seconds: i64,
}

/// Which way a bound moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Added,
    Removed,
    /// Allows more than before.
    Loosened,
    /// Allows less than before.
    Tightened,
}

/// Which way a scope moved on one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeMovement {
    /// Reaches everything it did, and more.
    Widened,
    /// Reaches only part of what it did.
    Narrowed,
    /// Gains some names and loses others.
    Replaced,
}

/// One change in a campaign's meaning. Every kind is its own variant; the
/// flags read them ([`flags_of`]) and each renderer matches them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An added or removed campaign, as it is (or was).
    Whole {
        fund: FundRef,
        reward: RewardSummary,
        exposure: Money,
        approvals: u32,
        window: WindowSummary,
        /// (v2) Its schedule; absent: every instant of the window.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        schedule: Option<ScheduleSummary>,
        /// (v2) The pool it draws from; absent: none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pool: Option<PoolSummary>,
    },
    Currency {
        before: String,
        after: String,
    },
    Fund {
        before: FundRef,
        after: FundRef,
    },
    /// The same fund, with another contract (scenes, categories,
    /// `requires`, `max_rate`, `max_per_use`).
    FundContract {
        fund: String,
    },
    Scope {
        dimension: ScopeDimension,
        movement: ScopeMovement,
        before: ScopeSet,
        after: ScopeSet,
    },
    /// Money-movement scenes the campaign reaches now and did not before.
    MoneyMovement {
        scenes: Vec<String>,
    },
    Reward {
        before: RewardSummary,
        after: RewardSummary,
    },
    Exposure {
        before: Money,
        after: Money,
        /// What bounds it now: `budget`, `limit`….
        bound: String,
    },
    Approvals {
        before: u32,
        after: u32,
    },
    Window {
        before: WindowSummary,
        after: WindowSummary,
    },
    /// (v2) `days:` and `hours:`, compared by the instants of the week
    /// they admit (`null`: no schedule, every instant of the window).
    Schedule {
        movement: ScheduleMovement,
        before: Option<ScheduleSummary>,
        after: Option<ScheduleSummary>,
    },
    Budget {
        before: Money,
        after: Money,
    },
    /// (v2) The pool the campaign draws from (`null`: none) or its budget.
    Pool {
        before: Option<PoolSummary>,
        after: Option<PoolSummary>,
    },
    Limit {
        movement: Movement,
        before: Option<String>,
        after: Option<String>,
    },
    Rollout {
        before: Vec<String>,
        after: Vec<String>,
        canary_before: bool,
        canary_after: bool,
    },
    Guard {
        movement: Movement,
        before: Option<String>,
        after: Option<String>,
    },
    Stacking {
        added: Vec<String>,
        removed: Vec<String>,
    },
    ExpectedPeak {
        before: Option<String>,
        after: Option<String>,
    },
    Owner {
        before: String,
        after: String,
    },
    /// (v2) The claim block: added or removed as a whole (`field` is
    /// `block`, one side `null`), or one of its fields changed, one change
    /// per field, each side as the author writes it.
    Claim {
        field: ClaimField,
        before: Option<String>,
        after: Option<String>,
    },
}

/// (v2) What of a claim block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimField {
    /// The whole block, added or removed.
    Block,
    /// When coupons may be claimed (the campaign's window when the block
    /// does not say).
    Window,
    /// Coupons in all.
    Inventory,
    /// Coupons one user may claim.
    PerUser,
    /// How long a coupon is valid (`null`: until the campaign window's
    /// end).
    ValidFor,
}

impl ClaimField {
    /// The field's name as the author writes it (`block` for the block).
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimField::Block => "block",
            ClaimField::Window => "window",
            ClaimField::Inventory => "inventory",
            ClaimField::PerUser => "per_user",
            ClaimField::ValidFor => "valid_for",
        }
    }
}

/// The difference between the campaigns of two checked packages (`old`,
/// `new`: the IR of each campaign), flagged with `config`'s levels.
pub fn diff(old: &[Campaign], new: &[Campaign], config: &DiffConfig) -> PackageDiff {
    let old: BTreeMap<&str, &Campaign> = old
        .iter()
        .map(|campaign| (campaign.id.as_str(), campaign))
        .collect();
    let new: BTreeMap<&str, &Campaign> = new
        .iter()
        .map(|campaign| (campaign.id.as_str(), campaign))
        .collect();
    let mut campaigns = Vec::new();
    for (id, before) in &old {
        match new.get(id) {
            // The sides' IR are equal: nothing changed in meaning, except
            // perhaps where it is written, which is no change.
            Some(after) if same_meaning(before, after) => {}
            Some(after) => {
                let changes = compare(before, after);
                if !changes.is_empty() {
                    campaigns.push(finish(id, Status::Changed, after, changes, config));
                }
            }
            None => {
                let changes = vec![whole(before)];
                campaigns.push(finish(id, Status::Removed, before, changes, config));
            }
        }
    }
    for (id, after) in &new {
        if !old.contains_key(id) {
            let mut changes = vec![whole(after)];
            let reached = money_movement(after);
            if !reached.is_empty() {
                changes.push(Change::MoneyMovement { scenes: reached });
            }
            campaigns.push(finish(id, Status::Added, after, changes, config));
        }
    }
    // Most dangerous first: by the worst flag, then how many, then status
    // (changed before added before removed) and name.
    campaigns.sort_by(|a, b| {
        b.worst()
            .cmp(&a.worst())
            .then(b.flags.len().cmp(&a.flags.len()))
            .then(status_rank(a.status).cmp(&status_rank(b.status)))
            .then(a.campaign.cmp(&b.campaign))
    });
    PackageDiff { campaigns }
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Changed => 0,
        Status::Added => 1,
        Status::Removed => 2,
    }
}

/// Equal but for what says where and how it is written.
fn same_meaning(before: &Campaign, after: &Campaign) -> bool {
    let Campaign {
        id,
        title: _,
        owner,
        doc: _,
        source: _,
        template: _,
        currency,
        fund,
        scenes,
        categories,
        regions,
        segments,
        window,
        reward,
        budget,
        limits,
        rollout,
        guards,
        stacking,
        expected_peak,
        max_exposure,
        approvals_required,
        merchants,
        instruments,
        schedule,
        pool,
        claim,
    } = before;
    *id == after.id
        && *owner == after.owner
        && *currency == after.currency
        && *fund == after.fund
        && *scenes == after.scenes
        && *categories == after.categories
        && *regions == after.regions
        && *segments == after.segments
        && *window == after.window
        && *reward == after.reward
        && *budget == after.budget
        && *limits == after.limits
        && *rollout == after.rollout
        && *guards == after.guards
        && *stacking == after.stacking
        && *expected_peak == after.expected_peak
        && *max_exposure == after.max_exposure
        && *approvals_required == after.approvals_required
        && *merchants == after.merchants
        && *instruments == after.instruments
        && *schedule == after.schedule
        && *pool == after.pool
        && *claim == after.claim
}

fn finish(
    id: &str,
    status: Status,
    campaign: &Campaign,
    changes: Vec<Change>,
    config: &DiffConfig,
) -> CampaignDiff {
    let mut flags: Vec<RaisedFlag> = flags_of(id, &changes)
        .into_iter()
        .filter_map(|(flag, message)| {
            let level = config.level(flag);
            (level != Level::Allow).then_some(RaisedFlag {
                flag,
                level,
                message,
            })
        })
        .collect();
    flags.sort_by(|a, b| b.level.cmp(&a.level).then(a.flag.cmp(&b.flag)));
    CampaignDiff {
        campaign: id.to_string(),
        status,
        source: campaign.source.clone(),
        template: campaign
            .template
            .as_ref()
            .map(|template| template.id.as_str().to_string()),
        changes,
        flags,
    }
}

/// Every change in meaning from `before` to `after`, in a fixed order.
fn compare(before: &Campaign, after: &Campaign) -> Vec<Change> {
    let mut changes = Vec::new();
    if before.currency != after.currency {
        changes.push(Change::Currency {
            before: String::from(before.currency),
            after: String::from(after.currency),
        });
    }
    let (fund_before, fund_after) = (fund_ref(before), fund_ref(after));
    if fund_before != fund_after {
        changes.push(Change::Fund {
            before: fund_before,
            after: fund_after,
        });
    } else if before.fund != after.fund {
        changes.push(Change::FundContract {
            fund: fund_after.id,
        });
    }
    for dimension in ScopeDimension::ALL {
        let (was, now) = (dimension.of(before), dimension.of(after));
        if let Some(movement) = scope::movement(&was, &now) {
            changes.push(Change::Scope {
                dimension,
                movement,
                before: was,
                after: now,
            });
        }
    }
    let reached_before: BTreeSet<String> = money_movement(before).into_iter().collect();
    let reached: Vec<String> = money_movement(after)
        .into_iter()
        .filter(|scene| !reached_before.contains(scene))
        .collect();
    if !reached.is_empty() {
        changes.push(Change::MoneyMovement { scenes: reached });
    }
    if before.reward != after.reward {
        changes.push(Change::Reward {
            before: reward_summary(before),
            after: reward_summary(after),
        });
    }
    if before.max_exposure.amount != after.max_exposure.amount {
        changes.push(Change::Exposure {
            before: before.max_exposure.amount,
            after: after.max_exposure.amount,
            bound: bound_text(&after.max_exposure.bound),
        });
    }
    if before.approvals_required != after.approvals_required {
        changes.push(Change::Approvals {
            before: before.approvals_required,
            after: after.approvals_required,
        });
    }
    if before.window != after.window {
        changes.push(Change::Window {
            before: window_summary(before),
            after: window_summary(after),
        });
    }
    if let Some(movement) = schedule::movement(before.schedule.as_ref(), after.schedule.as_ref()) {
        changes.push(Change::Schedule {
            movement,
            before: before.schedule.as_ref().map(schedule::summary),
            after: after.schedule.as_ref().map(schedule::summary),
        });
    }
    if before.budget != after.budget {
        changes.push(Change::Budget {
            before: before.budget,
            after: after.budget,
        });
    }
    if before.pool != after.pool {
        changes.push(Change::Pool {
            before: pool_summary(before),
            after: pool_summary(after),
        });
    }
    compare_limits(&before.limits, &after.limits, &mut changes);
    compare_claims(before.claim.as_ref(), after.claim.as_ref(), &mut changes);
    if before.rollout != after.rollout {
        changes.push(Change::Rollout {
            before: stages_text(before),
            after: stages_text(after),
            canary_before: has_canary(before),
            canary_after: has_canary(after),
        });
    }
    compare_guards(&before.guards, &after.guards, &mut changes);
    let (partners_before, partners_after) = (partners(before), partners(after));
    if partners_before != partners_after {
        changes.push(Change::Stacking {
            added: partners_after
                .difference(&partners_before)
                .cloned()
                .collect(),
            removed: partners_before
                .difference(&partners_after)
                .cloned()
                .collect(),
        });
    }
    if before.expected_peak != after.expected_peak {
        let text = |campaign: &Campaign| {
            campaign.expected_peak.as_ref().map(|peak| {
                format!(
                    "{} per {}",
                    count_text(peak.count),
                    duration_text(peak.per_seconds)
                )
            })
        };
        changes.push(Change::ExpectedPeak {
            before: text(before),
            after: text(after),
        });
    }
    if before.owner != after.owner {
        changes.push(Change::Owner {
            before: before.owner.clone(),
            after: after.owner.clone(),
        });
    }
    changes
}

/// The flags a campaign's changes raise, each with its sentence.
pub fn flags_of(id: &str, changes: &[Change]) -> Vec<(Flag, String)> {
    let mut flags = Vec::new();
    let mut tenfold = Vec::new();
    for change in changes {
        match change {
            Change::Fund { before, after } => flags.push((
                Flag::FundChanged,
                format!(
                    "`{id}` is now paid from `{}` ({}), was `{}` ({})",
                    after.id, after.payer, before.id, before.payer
                ),
            )),
            Change::MoneyMovement { scenes } => flags.push((
                Flag::MoneyMovementScope,
                format!(
                    "`{id}` now reaches money-movement {} {}",
                    if scenes.len() == 1 { "scene" } else { "scenes" },
                    quoted(scenes)
                ),
            )),
            Change::Reward { before, after } => {
                if tenfold_money(&before.largest_single, &after.largest_single) {
                    tenfold.push(format!(
                        "largest reward {} -> {}",
                        money_text(&before.largest_single),
                        money_text(&after.largest_single)
                    ));
                }
                if tenfold_decimal(
                    before.effective_rate.fraction(),
                    after.effective_rate.fraction(),
                ) {
                    tenfold.push(format!(
                        "effective rate {} -> {}",
                        percent(before.effective_rate),
                        percent(after.effective_rate)
                    ));
                }
            }
            Change::Pool {
                before: Some(before),
                after: Some(after),
            } => {
                if tenfold_money(&before.budget, &after.budget) {
                    tenfold.push(format!(
                        "pool budget {} -> {}",
                        money_text(&before.budget),
                        money_text(&after.budget)
                    ));
                }
            }
            Change::Exposure { before, after, .. } => {
                if tenfold_money(before, after) {
                    tenfold.push(format!(
                        "exposure {} -> {}",
                        money_text(before),
                        money_text(after)
                    ));
                }
            }
            Change::Approvals { before, after } => {
                if after > before {
                    flags.push((
                        Flag::MoreApprovals,
                        format!("`{id}` now needs {after} approvals, was {before}"),
                    ));
                }
            }
            Change::Guard {
                movement: Movement::Removed,
                before: Some(guard),
                ..
            } => flags.push((
                Flag::GuardRemoved,
                format!("`{id}` lost its guard `{guard}`"),
            )),
            Change::Rollout {
                canary_before: true,
                canary_after: false,
                before,
                ..
            } => flags.push((
                Flag::CanaryRemoved,
                format!(
                    "`{id}` no longer starts its rollout with a canary (was `{}`)",
                    before.first().map(String::as_str).unwrap_or_default()
                ),
            )),
            Change::Whole { .. }
            | Change::Currency { .. }
            | Change::FundContract { .. }
            | Change::Scope { .. }
            | Change::Window { .. }
            | Change::Schedule { .. }
            | Change::Budget { .. }
            | Change::Pool { .. }
            | Change::Limit { .. }
            | Change::Rollout { .. }
            | Change::Guard { .. }
            | Change::Stacking { .. }
            | Change::ExpectedPeak { .. }
            | Change::Owner { .. }
            | Change::Claim { .. } => {}
        }
    }
    if !tenfold.is_empty() {
        flags.push((
            Flag::TenfoldGrowth,
            format!("`{id}` grew tenfold or more: {}", tenfold.join(", ")),
        ));
    }
    flags
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ten times or more; growth from nothing is not measured (a reward is
/// never zero).
fn tenfold_decimal(before: Decimal, after: Decimal) -> bool {
    before > Decimal::ZERO
        && before
            .checked_mul(Decimal::TEN)
            .is_some_and(|tenfold| after >= tenfold)
}

fn tenfold_money(before: &Money, after: &Money) -> bool {
    before.currency == after.currency && tenfold_decimal(before.amount, after.amount)
}

fn fund_ref(campaign: &Campaign) -> FundRef {
    FundRef {
        id: campaign.fund.id.as_str().to_string(),
        payer: campaign.fund.payer.as_str().to_string(),
    }
}

/// The money-movement scenes a campaign reaches.
fn money_movement(campaign: &Campaign) -> Vec<String> {
    campaign
        .scenes
        .as_slice()
        .iter()
        .filter(|scene| scene.money_movement)
        .map(|scene| scene.id.as_str().to_string())
        .collect()
}

fn pool_summary(campaign: &Campaign) -> Option<PoolSummary> {
    campaign.pool.as_ref().map(|pool| PoolSummary {
        id: pool.id.as_str().to_string(),
        budget: pool.budget,
    })
}

fn whole(campaign: &Campaign) -> Change {
    Change::Whole {
        fund: fund_ref(campaign),
        reward: reward_summary(campaign),
        exposure: campaign.max_exposure.amount,
        approvals: campaign.approvals_required,
        window: window_summary(campaign),
        schedule: campaign.schedule.as_ref().map(schedule::summary),
        pool: pool_summary(campaign),
    }
}

/// Money as an author writes it: `CNY 50_000.00`.
pub fn money_text(money: &Money) -> String {
    let text = money.to_string();
    let Some((code, amount)) = text.split_once(' ') else {
        return text;
    };
    let (whole, fraction) = match amount.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (amount, None),
    };
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('_');
        }
        grouped.push(*digit);
    }
    match fraction {
        Some(fraction) => format!("{code} {grouped}.{fraction}"),
        None => format!("{code} {grouped}"),
    }
}

/// A count as an author writes it: `2_000`.
fn count_text(count: u64) -> String {
    let digits = count.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('_');
        }
        grouped.push(digit);
    }
    grouped
}

/// How and when a `back` reward is credited, as the author writes it:
/// `points after 30d, point_value CNY 0.01`.
fn credit_text(credit: &crate::ir::types::Credit) -> String {
    let point_value = credit
        .point_value
        .as_ref()
        .map(|value| format!(", point_value {}", money_text(value)))
        .unwrap_or_default();
    format!(
        "{} after {}{point_value}",
        credit.kind.as_str(),
        duration_text(credit.after_seconds)
    )
}

/// A rate as a percentage: `0.02` is `2%`.
pub fn percent(rate: Rate) -> String {
    let value = (rate.fraction() * Decimal::ONE_HUNDRED).normalize();
    format!("{value}%")
}

fn reward_summary(campaign: &Campaign) -> RewardSummary {
    let reward = &campaign.reward;
    // `back` when credited after the payment, `off` when instant.
    let verb = if reward.credit.is_some() {
        "back"
    } else {
        "off"
    };
    let text = match &reward.form {
        RewardForm::Fixed { amount } => format!("{} {verb}", money_text(amount)),
        RewardForm::Percent { rate, cap } => {
            format!("{} {verb}, cap {}", percent(*rate), money_text(cap))
        }
        RewardForm::Tiers { tiers } => format!(
            "tiers {{ {} }}",
            tiers
                .as_slice()
                .iter()
                .map(|tier| format!(
                    "spend {} => {} {verb}",
                    money_text(&tier.spend),
                    money_text(&tier.reward)
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        RewardForm::Random { low, high } => {
            format!("random {} to {} {verb}", money_text(low), money_text(high))
        }
        RewardForm::Every { step, reward, cap } => {
            let cap = cap
                .as_ref()
                .map(|cap| format!(", cap {}", money_text(cap)))
                .unwrap_or_default();
            format!(
                "every {} => {} {verb}{cap}",
                money_text(step),
                money_text(reward)
            )
        }
        RewardForm::Price { price, cap } => {
            let cap = cap
                .as_ref()
                .map(|cap| format!(", cap {}", money_text(cap)))
                .unwrap_or_default();
            format!("price {}{cap}", money_text(price))
        }
    };
    let text = match &reward.min_spend {
        Some(min_spend) => format!("{text}, min_spend {}", money_text(min_spend)),
        None => text,
    };
    let text = match &reward.max_spend {
        Some(max_spend) => format!("{text}, max_spend {}", money_text(max_spend)),
        None => text,
    };
    let text = match &reward.credit {
        Some(credit) => format!("{text}; credit: {}", credit_text(credit)),
        None => text,
    };
    let largest_single = reward
        .form
        .meaning()
        .largest_single(reward.max_spend.as_ref().map(|money| money.meaning()))
        .map(|money| Money::new(money.amount, money.currency))
        .unwrap_or_else(|| campaign.max_exposure.largest_single_reward);
    RewardSummary {
        text,
        min_spend: reward.min_spend,
        largest_single,
        effective_rate: reward.effective_rate,
    }
}

fn window_summary(campaign: &Campaign) -> WindowSummary {
    let window = &campaign.window;
    WindowSummary {
        text: window_text(window),
        seconds: window.end.0.as_second() - window.start.0.as_second(),
    }
}

/// A window as the author writes it: `2026-01-01 00:00 to 2026-02-01
/// 00:00 Asia/Shanghai`.
fn window_text(window: &crate::ir::types::Window) -> String {
    let local = |time: &crate::ir::types::LocalDateTime| time.0.strftime("%Y-%m-%d %H:%M");
    format!(
        "{} to {} {}",
        local(&window.start_local),
        local(&window.end_local),
        window.zone
    )
}

/// A claim block's changes: the block added or removed, else each field
/// that changed, in the order an author writes them.
fn compare_claims(before: Option<&Claim>, after: Option<&Claim>, changes: &mut Vec<Change>) {
    let (before, after) = match (before, after) {
        (None, None) => return,
        (Some(before), Some(after)) => (before, after),
        (before, after) => {
            changes.push(Change::Claim {
                field: ClaimField::Block,
                before: before.map(claim_text),
                after: after.map(claim_text),
            });
            return;
        }
    };
    let Claim {
        window,
        inventory,
        per_user,
        valid_for_seconds,
    } = before;
    let fields = [
        (
            ClaimField::Window,
            *window != after.window,
            Some(window_text(window)),
            Some(window_text(&after.window)),
        ),
        (
            ClaimField::Inventory,
            *inventory != after.inventory,
            Some(count_text(*inventory)),
            Some(count_text(after.inventory)),
        ),
        (
            ClaimField::PerUser,
            *per_user != after.per_user,
            Some(count_text(*per_user)),
            Some(count_text(after.per_user)),
        ),
        (
            ClaimField::ValidFor,
            *valid_for_seconds != after.valid_for_seconds,
            valid_for_seconds.map(duration_text),
            after.valid_for_seconds.map(duration_text),
        ),
    ];
    for (field, changed, before, after) in fields {
        if changed {
            changes.push(Change::Claim {
                field,
                before,
                after,
            });
        }
    }
}

/// A claim block as the author writes its fields: `window: …, inventory:
/// 10_000, per_user: 1, valid_for: 7d` (no `valid_for` when a coupon is
/// valid until the campaign window's end).
fn claim_text(claim: &Claim) -> String {
    let mut text = format!(
        "window: {}, inventory: {}, per_user: {}",
        window_text(&claim.window),
        count_text(claim.inventory),
        count_text(claim.per_user)
    );
    if let Some(seconds) = claim.valid_for_seconds {
        text.push_str(&format!(", valid_for: {}", duration_text(seconds)));
    }
    text
}

fn bound_text(bound: &ExposureBound) -> String {
    match bound {
        ExposureBound::Budget => String::from("budget"),
        ExposureBound::Pool => String::from("pool budget"),
        ExposureBound::ClaimInventory { inventory } => {
            format!("claim inventory of {} coupons", count_text(*inventory))
        }
        ExposureBound::CampaignCount { count } => {
            format!("limit of {} redemptions in all", count_text(*count))
        }
        ExposureBound::PeriodAmount { period, periods } => {
            format!(
                "amount limit per {} over {periods} periods",
                period.as_str()
            )
        }
        ExposureBound::PeriodCount {
            period,
            periods,
            count,
        } => format!(
            "limit of {} redemptions per {} over {periods} periods",
            count_text(*count),
            period.as_str()
        ),
    }
}

/// A duration in its largest whole unit: `1h`, `90s`.
fn duration_text(seconds: u64) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("min", 60)] {
        if seconds >= size && seconds.is_multiple_of(size) {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

/// What makes limits the same limit: the dimensions, in order, the
/// period, and whether it counts money.
type LimitKey = (Vec<&'static str>, Option<&'static str>, bool);

/// Limits are the same limit when they count the same thing (count or
/// money) by the same dimensions (all of them: `per user per category` is
/// not `per user`; in any order, one counter per combination either way)
/// over the same period.
fn limit_key(limit: &Limit) -> LimitKey {
    let mut dimensions: Vec<&'static str> = limit
        .dimensions()
        .map(|dimension| dimension.as_str())
        .collect();
    dimensions.sort_unstable();
    (
        dimensions,
        limit.period.map(|period| period.as_str()),
        matches!(limit.amount, LimitAmount::Money { .. }),
    )
}

fn limit_text(limit: &Limit) -> String {
    let amount = match &limit.amount {
        LimitAmount::Count { count } => count_text(*count),
        LimitAmount::Money { money } => money_text(money),
    };
    let mut text = amount;
    let mut dimensions = limit.dimensions().peekable();
    let whole_campaign = dimensions.peek().is_none();
    for dimension in dimensions {
        text.push_str(&format!(" per {}", dimension.as_str()));
    }
    match limit.period {
        Some(period) => text.push_str(&format!(" per {}", period.as_str())),
        None if whole_campaign => text.push_str(" total"),
        None => {}
    }
    text
}

fn limit_size(limit: &Limit) -> Decimal {
    match &limit.amount {
        LimitAmount::Count { count } => Decimal::from(*count),
        LimitAmount::Money { money } => money.amount,
    }
}

fn compare_limits(before: &[Limit], after: &[Limit], changes: &mut Vec<Change>) {
    type Key = LimitKey;
    let by_key = |limits: &[Limit]| -> BTreeMap<Key, Vec<Limit>> {
        let mut map: BTreeMap<Key, Vec<Limit>> = BTreeMap::new();
        for limit in limits {
            map.entry(limit_key(limit)).or_default().push(limit.clone());
        }
        map
    };
    let (was, now) = (by_key(before), by_key(after));
    let keys: BTreeSet<&Key> = was.keys().chain(now.keys()).collect();
    for key in keys {
        // Several limits on one key: the smallest binds.
        let tightest = |map: &BTreeMap<Key, Vec<Limit>>| {
            map.get(key)
                .and_then(|limits| limits.iter().min_by_key(|limit| limit_size(limit)).cloned())
        };
        match (tightest(&was), tightest(&now)) {
            (Some(old), Some(new)) => {
                let (old_size, new_size) = (limit_size(&old), limit_size(&new));
                if old_size != new_size {
                    changes.push(Change::Limit {
                        movement: if new_size > old_size {
                            Movement::Loosened
                        } else {
                            Movement::Tightened
                        },
                        before: Some(limit_text(&old)),
                        after: Some(limit_text(&new)),
                    });
                }
            }
            (Some(old), None) => changes.push(Change::Limit {
                movement: Movement::Removed,
                before: Some(limit_text(&old)),
                after: None,
            }),
            (None, Some(new)) => changes.push(Change::Limit {
                movement: Movement::Added,
                before: None,
                after: Some(limit_text(&new)),
            }),
            (None, None) => {}
        }
    }
}

fn guard_key(guard: &Guard) -> (bool, u64) {
    (
        matches!(guard.metric, GuardMetric::Spend { .. }),
        guard.per_seconds,
    )
}

fn guard_text(guard: &Guard) -> String {
    let per = duration_text(guard.per_seconds);
    match &guard.metric {
        GuardMetric::Spend { above } => {
            format!("halt when spend > {} per {per}", money_text(above))
        }
        GuardMetric::Redemptions { above } => {
            format!("halt when redemptions > {} per {per}", count_text(*above))
        }
    }
}

fn guard_size(guard: &Guard) -> Decimal {
    match &guard.metric {
        GuardMetric::Spend { above } => above.amount,
        GuardMetric::Redemptions { above } => Decimal::from(*above),
    }
}

fn compare_guards(before: &[Guard], after: &[Guard], changes: &mut Vec<Change>) {
    let by_key = |guards: &[Guard]| -> BTreeMap<(bool, u64), Guard> {
        let mut map: BTreeMap<(bool, u64), Guard> = BTreeMap::new();
        for guard in guards {
            // Several guards on one key: the lowest threshold halts first.
            let keep = map
                .get(&guard_key(guard))
                .is_none_or(|kept| guard_size(guard) < guard_size(kept));
            if keep {
                map.insert(guard_key(guard), guard.clone());
            }
        }
        map
    };
    let (was, now) = (by_key(before), by_key(after));
    let keys: BTreeSet<&(bool, u64)> = was.keys().chain(now.keys()).collect();
    for key in keys {
        match (was.get(key), now.get(key)) {
            (Some(old), Some(new)) => {
                let (old_size, new_size) = (guard_size(old), guard_size(new));
                if old_size != new_size {
                    changes.push(Change::Guard {
                        movement: if new_size > old_size {
                            Movement::Loosened
                        } else {
                            Movement::Tightened
                        },
                        before: Some(guard_text(old)),
                        after: Some(guard_text(new)),
                    });
                }
            }
            (Some(old), None) => changes.push(Change::Guard {
                movement: Movement::Removed,
                before: Some(guard_text(old)),
                after: None,
            }),
            (None, Some(new)) => changes.push(Change::Guard {
                movement: Movement::Added,
                before: None,
                after: Some(guard_text(new)),
            }),
            (None, None) => {}
        }
    }
}

fn stage_text(stage: &Stage) -> String {
    let target = match &stage.target {
        StageTarget::Segment { segment } => format!("stage segment {}", segment.as_str()),
        StageTarget::Percent { share } => format!("stage {}", percent(*share)),
    };
    match stage.duration_seconds {
        Some(seconds) => format!("{target} for {}", duration_text(seconds)),
        None => target,
    }
}

fn stages_text(campaign: &Campaign) -> Vec<String> {
    campaign
        .rollout
        .as_ref()
        .map(|stages| stages.as_slice().iter().map(stage_text).collect())
        .unwrap_or_default()
}

/// Whether the rollout starts with a canary: a segment, or at most 1% of
/// users (as the `no-canary-stage` lint has it).
fn has_canary(campaign: &Campaign) -> bool {
    let Some(first) = campaign
        .rollout
        .as_ref()
        .and_then(|stages| stages.as_slice().first())
    else {
        return false;
    };
    match &first.target {
        StageTarget::Segment { .. } => true,
        StageTarget::Percent { share } => share.fraction() <= Decimal::new(1, 2),
    }
}

fn partners(campaign: &Campaign) -> BTreeSet<String> {
    match &campaign.stacking {
        Stacking::Exclusive => BTreeSet::new(),
        Stacking::StacksWith { campaigns } => campaigns
            .as_slice()
            .iter()
            .map(|id| id.as_str().to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    fn cny(amount: &str) -> Money {
        Money::new(amount.parse().unwrap_or_default(), Currency::CNY)
    }

    #[test]
    fn money_and_counts_are_written_as_an_author_writes_them() {
        assert_eq!(money_text(&cny("5")), "CNY 5.00");
        assert_eq!(money_text(&cny("2000")), "CNY 2_000.00");
        assert_eq!(money_text(&cny("10000000.5")), "CNY 10_000_000.50");
        assert_eq!(count_text(999), "999");
        assert_eq!(count_text(20_000), "20_000");
        assert_eq!(duration_text(60), "1min");
        assert_eq!(duration_text(90), "90s");
        assert_eq!(duration_text(86_400), "1d");
    }

    #[test]
    fn tenfold_is_ten_times_or_more_in_one_currency() {
        assert!(tenfold_money(&cny("5"), &cny("50")));
        assert!(!tenfold_money(&cny("5"), &cny("49.99")));
        assert!(!tenfold_money(
            &cny("5"),
            &Money::new(Decimal::from(500), Currency::HKD)
        ));
        assert!(!tenfold_decimal(Decimal::ZERO, Decimal::ONE));
    }
}

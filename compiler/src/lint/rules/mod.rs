//! The rules, one per file. `ALL` is the registry, in documentation order.

pub mod budget_below_one_reward;
pub mod fixed_reward_over_min_spend;
pub mod high_rate;
pub mod long_window;
pub mod missing_per_user_limit;
pub mod no_canary_stage;
pub mod no_rollout;
pub mod no_spend_guard;
pub mod past_window;
pub mod peak_over_capacity;
pub mod stacking_over_max_rate;

use super::{Check, RuleMeta};

pub const ALL: [(&RuleMeta, Check); 11] = [
    (&high_rate::HighRate::META, high_rate::check),
    (
        &missing_per_user_limit::MissingPerUserLimit::META,
        missing_per_user_limit::check,
    ),
    (
        &fixed_reward_over_min_spend::FixedRewardOverMinSpend::META,
        fixed_reward_over_min_spend::check,
    ),
    (&long_window::LongWindow::META, long_window::check),
    (&past_window::PastWindow::META, past_window::check),
    (&no_rollout::NoRollout::META, no_rollout::check),
    (
        &no_canary_stage::NoCanaryStage::META,
        no_canary_stage::check,
    ),
    (&no_spend_guard::NoSpendGuard::META, no_spend_guard::check),
    (
        &budget_below_one_reward::BudgetBelowOneReward::META,
        budget_below_one_reward::check,
    ),
    (
        &stacking_over_max_rate::StackingOverMaxRate::META,
        stacking_over_max_rate::check,
    ),
    (
        &peak_over_capacity::PeakOverCapacity::META,
        peak_over_capacity::check,
    ),
];

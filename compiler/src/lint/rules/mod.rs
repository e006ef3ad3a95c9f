//! The rules, one per file. `ALL` is the registry, in documentation order.

pub mod budget_below_one_reward;
pub mod fixed_reward_over_min_spend;
pub mod fixed_reward_without_min_spend;
pub mod guard_above_budget;
pub mod high_rate;
pub mod limit_below_one_reward;
pub mod long_window;
pub mod missing_per_user_limit;
pub mod no_canary_stage;
pub mod no_rollout;
pub mod no_spend_guard;
pub mod past_window;
pub mod peak_over_capacity;
pub mod rollout_longer_than_window;
pub mod stacking_over_max_rate;
pub mod window_ends_before_midnight;

use super::{Check, RuleMeta};

pub const ALL: [(&RuleMeta, Check); 16] = [
    (&high_rate::HighRate::META, high_rate::check),
    (
        &missing_per_user_limit::MissingPerUserLimit::META,
        missing_per_user_limit::check,
    ),
    (
        &fixed_reward_over_min_spend::FixedRewardOverMinSpend::META,
        fixed_reward_over_min_spend::check,
    ),
    (
        &fixed_reward_without_min_spend::FixedRewardWithoutMinSpend::META,
        fixed_reward_without_min_spend::check,
    ),
    (&long_window::LongWindow::META, long_window::check),
    (&past_window::PastWindow::META, past_window::check),
    (
        &window_ends_before_midnight::WindowEndsBeforeMidnight::META,
        window_ends_before_midnight::check,
    ),
    (&no_rollout::NoRollout::META, no_rollout::check),
    (
        &no_canary_stage::NoCanaryStage::META,
        no_canary_stage::check,
    ),
    (
        &rollout_longer_than_window::RolloutLongerThanWindow::META,
        rollout_longer_than_window::check,
    ),
    (&no_spend_guard::NoSpendGuard::META, no_spend_guard::check),
    (
        &guard_above_budget::GuardAboveBudget::META,
        guard_above_budget::check,
    ),
    (
        &budget_below_one_reward::BudgetBelowOneReward::META,
        budget_below_one_reward::check,
    ),
    (
        &limit_below_one_reward::LimitBelowOneReward::META,
        limit_below_one_reward::check,
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

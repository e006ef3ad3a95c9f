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
    (
        &high_rate::HighRate::META,
        Check::Campaign(high_rate::check),
    ),
    (
        &missing_per_user_limit::MissingPerUserLimit::META,
        Check::Campaign(missing_per_user_limit::check),
    ),
    (
        &fixed_reward_over_min_spend::FixedRewardOverMinSpend::META,
        Check::Campaign(fixed_reward_over_min_spend::check),
    ),
    (
        &fixed_reward_without_min_spend::FixedRewardWithoutMinSpend::META,
        Check::Campaign(fixed_reward_without_min_spend::check),
    ),
    (
        &long_window::LongWindow::META,
        Check::Campaign(long_window::check),
    ),
    (
        &past_window::PastWindow::META,
        Check::Package(past_window::check),
    ),
    (
        &window_ends_before_midnight::WindowEndsBeforeMidnight::META,
        Check::Campaign(window_ends_before_midnight::check),
    ),
    (
        &no_rollout::NoRollout::META,
        Check::Campaign(no_rollout::check),
    ),
    (
        &no_canary_stage::NoCanaryStage::META,
        Check::Campaign(no_canary_stage::check),
    ),
    (
        &rollout_longer_than_window::RolloutLongerThanWindow::META,
        Check::Campaign(rollout_longer_than_window::check),
    ),
    (
        &no_spend_guard::NoSpendGuard::META,
        Check::Campaign(no_spend_guard::check),
    ),
    (
        &guard_above_budget::GuardAboveBudget::META,
        Check::Campaign(guard_above_budget::check),
    ),
    (
        &budget_below_one_reward::BudgetBelowOneReward::META,
        Check::Campaign(budget_below_one_reward::check),
    ),
    (
        &limit_below_one_reward::LimitBelowOneReward::META,
        Check::Campaign(limit_below_one_reward::check),
    ),
    (
        &stacking_over_max_rate::StackingOverMaxRate::META,
        Check::Package(stacking_over_max_rate::check),
    ),
    (
        &peak_over_capacity::PeakOverCapacity::META,
        Check::Package(peak_over_capacity::check),
    ),
];

/// An instant as a window's zone shows it, the way an author writes one:
/// `2027-03-01 10:00` (with seconds only when there are some).
pub(crate) fn local_time(instant: jiff::Timestamp, window: &crate::check::model::Window) -> String {
    let local = instant.to_zoned(window.time_zone.clone()).datetime();
    let format = if local.second() == 0 && local.subsec_nanosecond() == 0 {
        "%Y-%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    local.strftime(format).to_string()
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
pub(crate) fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Packages built in memory for the rules' scale tests: the fixtures'
/// prelude and one checked campaign, copied under other names and windows.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::check::model::{CampaignModel, Model};

    const PRELUDE: &str = include_str!("../../../../tests/fixtures/prelude.camp");
    const BASE: &str = r#"
campaign base {
  title: "base"
  owner: "growth-east"
  fund: platform_marketing
  scenes: [merchant_purchase]
  window: 2027-03-01 00:00 to 2027-03-02 00:00 Asia/Shanghai
  reward: 10% off, cap CNY 20.00, min_spend CNY 50.00
  budget: CNY 100_000.00
  limit: 1 per user per day
  expected_peak: 10 per 1s
}
"#;

    /// The prelude's schema and policy, and the campaign `base`, which is
    /// checked without an error.
    pub(crate) fn package() -> (Model, CampaignModel) {
        let analysis = crate::package::analyze_text("base.camp", &format!("{PRELUDE}{BASE}"));
        assert!(!analysis.has_compile_errors(), "{:?}", analysis.diagnostics);
        let mut model = analysis.model;
        let base = model.campaigns.pop().map(std::sync::Arc::unwrap_or_clone);
        assert!(model.campaigns.is_empty());
        match base {
            Some(base) => (model, base),
            None => unreachable!("`base` checked without an error"),
        }
    }

    /// `base` as `id`, live for `seconds` from `start` seconds after
    /// 2027-03-01 00:00 UTC.
    pub(crate) fn copy(base: &CampaignModel, id: &str, start: i64, seconds: i64) -> CampaignModel {
        let origin = jiff::Timestamp::from_second(1_803_859_200).unwrap_or_default();
        let at = |offset: i64| {
            origin
                .checked_add(jiff::SignedDuration::from_secs(offset))
                .unwrap_or(origin)
        };
        let mut campaign = base.clone();
        campaign.id = id.to_string();
        campaign.window.start = at(start);
        campaign.window.end = at(start + seconds);
        campaign
    }
}

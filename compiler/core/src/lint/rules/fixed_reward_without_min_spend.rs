use crate::check::model::{CampaignModel, RewardForm};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a fixed reward (`CNY 5.00 off`) with no `min_spend`.
    ///
    /// ## Why is this bad?
    /// A reward is never more than the payment, so without a minimum spend
    /// every payment up to the reward's amount is paid in full: a
    /// `CNY 5.00 off` makes a `CNY 4.99` purchase free. Its effective rate
    /// is 100%, and the cheapest payments are the easiest to farm.
    ///
    /// ## Example
    /// ```camp
    /// reward: CNY 5.00 off
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// reward: CNY 5.00 off, min_spend CNY 50.00
    /// ```
    pub struct FixedRewardWithoutMinSpend {
        name: "fixed-reward-without-min-spend",
        level: Warn,
        summary: "a fixed reward with no minimum spend",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let (RewardForm::Fixed(amount), None) = (&campaign.reward.form, campaign.reward.min_spend)
    else {
        return;
    };
    out.push(
        Finding::new(
            &FixedRewardWithoutMinSpend::META,
            campaign
                .spans
                .largest_reward
                .unwrap_or(campaign.spans.reward),
            format!(
                "reward `{amount} off` has no `min_spend`, so any payment up to `{amount}` is paid in full"
            ),
            "no `min_spend`",
        )
        .with_help(
            "add `, min_spend …` with the smallest payment this reward is meant for",
        )
        .in_campaign(campaign),
    );
}

use crate::check::model::{CampaignModel, RewardForm};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a fixed reward at or above its `min_spend`. Where a fund's or
    /// the policy's `max_rate` applies, such a reward is an error instead
    /// (its effective rate, 100%, is above the maximum: E0404, E0306).
    ///
    /// ## Why is this bad?
    /// `CNY 50.00 off, min_spend CNY 30.00` makes every qualifying payment
    /// free: the discount is capped at the payment amount, so the campaign
    /// pays for whole purchases. It is almost always two amounts swapped or
    /// a missing digit.
    ///
    /// ## Example
    /// ```camp
    /// reward: CNY 50.00 off, min_spend CNY 30.00
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// reward: CNY 5.00 off, min_spend CNY 30.00
    /// ```
    pub struct FixedRewardOverMinSpend {
        name: "fixed-reward-over-min-spend",
        level: Warn,
        summary: "a fixed reward at or above its minimum spend",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let (RewardForm::Fixed(amount), Some(min_spend)) =
        (campaign.reward.form.clone(), campaign.reward.min_spend)
    else {
        return;
    };
    if amount.amount >= min_spend.amount {
        out.push(
            Finding::new(
                &FixedRewardOverMinSpend::META,
                campaign
                    .spans
                    .largest_reward
                    .unwrap_or(campaign.spans.reward),
                format!("reward `{amount} off` is not below its `min_spend` of `{min_spend}`"),
                "covers the whole minimum payment",
            )
            .in_campaign(campaign)
            .with_help(
                "make the reward smaller than the minimum spend (are the two amounts swapped?)",
            ),
        );
    }
}

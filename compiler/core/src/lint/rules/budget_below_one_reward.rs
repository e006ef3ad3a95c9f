use crate::check::model::CampaignModel;
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a budget smaller than one maximal reward (the fixed amount,
    /// the cap, the largest tier or the random maximum, after the fund's
    /// `max_per_use`).
    ///
    /// ## Why is this bad?
    /// The campaign cannot pay even one full reward, so one of the two
    /// amounts is wrong — usually a missing `_000` on the budget or an
    /// extra one on the cap.
    ///
    /// ## Example
    /// ```camp
    /// reward: 10% off, cap CNY 500.00
    /// budget: CNY 100.00
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// reward: 10% off, cap CNY 500.00
    /// budget: CNY 100_000.00
    /// ```
    pub struct BudgetBelowOneReward {
        name: "budget-below-one-reward",
        level: Deny,
        summary: "a budget smaller than one maximal reward",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let largest = campaign.exposure.largest_single_reward;
    if campaign.budget.amount < largest.amount {
        let mut finding = Finding::new(
            &BudgetBelowOneReward::META,
            campaign.spans.budget,
            format!(
                "budget `{}` is smaller than one maximal reward of `{largest}`",
                campaign.budget
            ),
            "cannot pay one full reward",
        )
        .with_help("check both amounts for a missing or extra `_000`")
        .in_campaign(campaign);
        if let Some(reward) = campaign.spans.largest_reward {
            finding = finding.with_related(crate::diagnostic::Label::new(
                reward,
                "the largest single reward",
            ));
        }
        out.push(finding);
    }
}

use crate::check::model::{CampaignModel, LimitAmount};
use crate::diagnostic::Label;
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a money limit (`limit: CNY 20.00 per user per day`, `limit:
    /// CNY 5_000.00 per hour`) smaller than one maximal reward (the fixed
    /// amount, the cap, the largest tier or the random maximum, after the
    /// fund's `max_per_use`).
    ///
    /// ## Why is this bad?
    /// A reward is paid only if every limit still holds with it counted;
    /// there are no partial rewards. A limit smaller than one reward
    /// therefore refuses every reward above it: the largest rewards the
    /// campaign advertises are never paid, and a fixed reward is never paid
    /// at all. One of the two amounts is wrong, usually by a digit.
    ///
    /// ## Example
    /// ```camp
    /// reward: 10% off, cap CNY 50.00
    /// limit: CNY 20.00 per user per day
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// reward: 10% off, cap CNY 50.00
    /// limit: CNY 200.00 per user per day
    /// ```
    pub struct LimitBelowOneReward {
        name: "limit-below-one-reward",
        level: Deny,
        summary: "a money limit smaller than one maximal reward",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let largest = campaign.exposure.largest_single_reward;
    for limit in &campaign.limits {
        let LimitAmount::Money(amount) = limit.amount else {
            continue;
        };
        if amount.amount >= largest.amount {
            continue;
        }
        let mut written = amount.to_string();
        if let Some(dimension) = limit.dimension {
            written.push_str(" per ");
            written.push_str(dimension.as_str());
        }
        if let Some(period) = limit.period {
            written.push_str(" per ");
            written.push_str(period.as_str());
        }
        let mut finding = Finding::new(
            &LimitBelowOneReward::META,
            limit.span,
            format!(
                "limit `{written}` is smaller than one maximal reward of `{largest}`, so rewards above `{amount}` are never paid"
            ),
            "smaller than one reward",
        )
        .with_help("check both amounts for a missing or extra digit; a reward that would pass a limit is not paid at all")
        .in_campaign(campaign);
        if let Some(reward) = campaign.spans.largest_reward {
            finding = finding.with_related(Label::new(reward, "the largest single reward"));
        }
        out.push(finding);
    }
}

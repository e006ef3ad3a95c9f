use crate::check::model::{Rate, RewardForm};
use crate::lint::{Finding, LintContext, OptionKind, OptionMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a percentage reward above a threshold (30% unless `camp.toml`
    /// says otherwise), even when the fund and the policy allow it.
    ///
    /// ## Why is this bad?
    /// High rates are where typos live: `50%` for `5%`, a subsidy rate in a
    /// marketing template. A rate this high should be a decision someone
    /// wrote down, not a default.
    ///
    /// ## Example
    /// ```camp
    /// reward: 45% off, cap CNY 20.00
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// reward: 15% off, cap CNY 20.00
    /// ```
    /// or, when the rate is intended:
    /// ```camp
    /// // camp: allow(high-rate) reason: clearance week approved by risk, RISK-1234
    /// reward: 45% off, cap CNY 20.00
    /// ```
    pub struct HighRate {
        name: "high-rate",
        level: Warn,
        summary: "a percentage reward above the threshold",
        options: &[OptionMeta {
            name: "threshold",
            kind: OptionKind::Rate,
            default: "30%",
            description: "rates above this are flagged",
        }],
    }
}

pub fn check(context: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some(threshold) = context
        .option(&HighRate::META, "threshold")
        .and_then(|value| value.as_rate())
    else {
        return;
    };
    for campaign in &context.model.campaigns {
        let RewardForm::Percent { rate, .. } = campaign.reward.form else {
            continue;
        };
        if rate > threshold {
            out.push(rate_finding(campaign, rate, threshold));
        }
    }
}

fn rate_finding(
    campaign: &crate::check::model::CampaignModel,
    rate: Rate,
    threshold: Rate,
) -> Finding {
    Finding::new(
        &HighRate::META,
        campaign.spans.rate.unwrap_or(campaign.spans.reward),
        format!("campaign `{}` gives {rate} off, above the {threshold} threshold", campaign.id),
        "high rate",
    )
    .with_help("check the rate; if it is intended, suppress this with a reason (`// camp: allow(high-rate) reason: …`)")
}

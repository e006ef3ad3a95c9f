use crate::check::model::{CampaignModel, Rate};
use crate::lint::{Finding, LintConfig, OptionKind, OptionMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a reward whose effective rate is above a threshold (30% unless
    /// `camp.toml` says otherwise), even when the fund and the policy allow
    /// it. The effective rate is the largest fraction of one payment the
    /// reward can take: a percentage's rate, a fixed amount (or a random
    /// maximum) over `min_spend`, the largest of each tier's reward over its
    /// threshold.
    ///
    /// ## Why is this bad?
    /// High rates are where typos live: `50%` for `5%`, a subsidy rate in a
    /// marketing template, `CNY 20.00 off` above a `min_spend` of
    /// `CNY 50.00` (40%). A rate this high should be a decision someone
    /// wrote down, not a default.
    ///
    /// ## Example
    /// ```camp
    /// reward: 45% off, cap CNY 20.00
    /// reward: CNY 20.00 off, min_spend CNY 50.00
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
        summary: "a reward whose effective rate is above the threshold",
        options: &[OptionMeta {
            name: "threshold",
            kind: OptionKind::Rate,
            default: "30%",
            description: "rates above this are flagged",
        }],
    }
}

pub fn check(campaign: &CampaignModel, config: &LintConfig, out: &mut Vec<Finding>) {
    let Some(threshold) = config
        .option(&HighRate::META, "threshold")
        .and_then(|value| value.as_rate())
    else {
        return;
    };
    if campaign.effective_rate().exceeds(threshold) {
        out.push(rate_finding(campaign, threshold));
    }
}

fn rate_finding(campaign: &CampaignModel, threshold: Rate) -> Finding {
    let (message, span) = match campaign.reward.form.written_rate() {
        Some(rate) => (
            format!(
                "campaign `{}` gives {rate} off, above the {threshold} threshold",
                campaign.id
            ),
            campaign.spans.rate.unwrap_or(campaign.spans.reward),
        ),
        None => (
            format!(
                "campaign `{}` has an effective rate of {}, above the {threshold} threshold",
                campaign.id,
                campaign.effective_rate()
            ),
            campaign
                .spans
                .effective_rate
                .unwrap_or(campaign.spans.reward),
        ),
    };
    Finding::new(&HighRate::META, span, message, "high rate")
        .with_help("check the rate; if it is intended, suppress this with a reason (`// camp: allow(high-rate) reason: …`)")
}

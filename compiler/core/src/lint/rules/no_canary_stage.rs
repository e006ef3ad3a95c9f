use rust_decimal::Decimal;

use crate::check::model::{CampaignModel, StageTarget};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a rollout whose first stage is not a canary: a segment (such
    /// as staff or QA accounts) or at most 1% of users.
    ///
    /// ## Why is this bad?
    /// The first stage is where a wrong amount or scene shows up. At 10% or
    /// 50%, the mistake is already large before anyone can react.
    ///
    /// ## Example
    /// ```camp
    /// rollout {
    ///   stage 20% for 1h
    ///   stage 100%
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// rollout {
    ///   stage segment staff_canary for 1h
    ///   stage 20% for 1h
    ///   stage 100%
    /// }
    /// ```
    pub struct NoCanaryStage {
        name: "no-canary-stage",
        level: Warn,
        summary: "a rollout whose first stage is not a canary",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let Some(first) = campaign.rollout.as_ref().and_then(|stages| stages.first()) else {
        return;
    };
    let StageTarget::Percent(share) = &first.target else {
        return;
    };
    if share.0 > Decimal::ONE {
        out.push(
            Finding::new(
                &NoCanaryStage::META,
                campaign.spans.first_stage.unwrap_or(campaign.name_span),
                format!(
                    "the rollout of `{}` starts at {share}, not with a canary",
                    campaign.id
                ),
                "first stage too large",
            )
            .in_campaign(campaign)
            .with_help("start with `stage segment …` (staff or QA accounts) or `stage 1% for …`"),
        );
    }
}

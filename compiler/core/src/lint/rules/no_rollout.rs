use crate::check::model::CampaignModel;
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a campaign with no `rollout` block.
    ///
    /// ## Why is this bad?
    /// Without one, the campaign goes live for every user at the start of
    /// its window. The 2025-01-16 incident lasted five minutes at full
    /// traffic; a canary stage would have shown it on a handful of accounts.
    ///
    /// ## Example
    /// ```camp
    /// campaign spring_coupon { … }   // no rollout
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// rollout {
    ///   stage segment qa_accounts for 30min
    ///   stage 1% for 2h
    ///   stage 100%
    /// }
    /// ```
    pub struct NoRollout {
        name: "no-rollout",
        level: Warn,
        summary: "a campaign that goes live for everyone at once",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    if campaign.rollout.is_none() {
        out.push(
            Finding::new(
                &NoRollout::META,
                campaign.name_span,
                format!("campaign `{}` has no rollout: it goes live for everyone at once", campaign.id),
                "no rollout",
            )
            .with_help("add a `rollout { … }`: a canary `stage segment … for …` first, then growing shares, each `for` a duration, then `stage 100%`"),
        );
    }
}

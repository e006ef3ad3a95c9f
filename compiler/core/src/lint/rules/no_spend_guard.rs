use crate::check::model::{CampaignModel, GuardMetric};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a campaign with no spend guard (`guard: halt when spend > …`).
    ///
    /// ## Why is this bad?
    /// A budget is spent at whatever speed the traffic allows. A spend-rate
    /// guard halts the campaign when money goes out faster than planned —
    /// the signature of a wrong amount or a wrong scene.
    ///
    /// ## Example
    /// ```camp
    /// budget: CNY 1_000_000.00   // and no guard
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// budget: CNY 1_000_000.00
    /// guard: halt when spend > CNY 20_000.00 per 1min
    /// ```
    pub struct NoSpendGuard {
        name: "no-spend-guard",
        level: Warn,
        summary: "a campaign with no spend-rate guard",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    if campaign
        .guards
        .iter()
        .any(|guard| matches!(guard.metric, GuardMetric::Spend(_)))
    {
        return;
    }
    out.push(
        Finding::new(
            &NoSpendGuard::META,
            campaign.name_span,
            format!("campaign `{}` has no spend guard", campaign.id),
            "no `guard: halt when spend > …`",
        )
        .with_help(
            "add `guard: halt when spend > … per …` at a few times the spend planned for that period",
        ),
    );
}

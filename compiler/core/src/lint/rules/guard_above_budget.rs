use crate::check::model::{CampaignModel, GuardMetric};
use crate::diagnostic::Label;
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a spend guard whose threshold is at or above the campaign's
    /// whole budget.
    ///
    /// ## Why is this bad?
    /// `halt when spend > X per D` halts the campaign only when more than
    /// `X` goes out within `D`. The campaign never pays more than its
    /// budget, so a guard at or above the budget can never trip: it looks
    /// like a safety net and is none. It is usually a guard copied from a
    /// larger campaign, or a budget with a missing `_000`.
    ///
    /// ## Example
    /// ```camp
    /// budget: CNY 50_000.00
    /// guard: halt when spend > CNY 100_000.00 per 1min
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// budget: CNY 50_000.00
    /// guard: halt when spend > CNY 1_000.00 per 1min
    /// ```
    pub struct GuardAboveBudget {
        name: "guard-above-budget",
        level: Warn,
        summary: "a spend guard that the whole budget cannot reach",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    for guard in &campaign.guards {
        let GuardMetric::Spend(threshold) = guard.metric else {
            continue;
        };
        if threshold.amount < campaign.budget.amount {
            continue;
        }
        out.push(
            Finding::new(
                &GuardAboveBudget::META,
                guard.span,
                format!(
                    "spend guard `{threshold}` is not below the whole budget of `{}`, so it can never halt `{}`",
                    campaign.budget, campaign.id
                ),
                "can never trip",
            )
            .with_related(Label::new(campaign.spans.budget, "the whole budget"))
            .with_help(
                "set the threshold to a few times the spend planned for that period, well below the budget",
            )
            .in_campaign(campaign),
        );
    }
}

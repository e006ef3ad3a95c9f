use crate::check::model::CampaignModel;
use crate::lint::{Finding, LintConfig, OptionKind, OptionMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a window longer than a maximum (90 days unless `camp.toml` says
    /// otherwise) — which includes the "open-ended" window that ends in a
    /// far-off year.
    ///
    /// ## Why is this bad?
    /// Campaigns outlive the people and the budgets that planned them. A
    /// long window keeps an offer live after the promotion, the merchant
    /// agreement or the subsidy program has ended.
    ///
    /// ## Example
    /// ```camp
    /// window: 2027-01-01 00:00 to 2100-01-01 00:00 Asia/Shanghai
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// window: 2027-01-01 00:00 to 2027-04-01 00:00 Asia/Shanghai
    /// ```
    /// and a new campaign for the next period.
    pub struct LongWindow {
        name: "long-window",
        level: Warn,
        summary: "a window longer than the maximum",
        options: &[OptionMeta {
            name: "max_days",
            kind: OptionKind::Count,
            default: "90",
            description: "windows longer than this many days are flagged",
        }],
    }
}

pub fn check(campaign: &CampaignModel, config: &LintConfig, out: &mut Vec<Finding>) {
    let Some(max_days) = config
        .option(&LongWindow::META, "max_days")
        .and_then(|value| value.as_count())
    else {
        return;
    };
    let max_seconds = i64::try_from(max_days.saturating_mul(86_400)).unwrap_or(i64::MAX);
    let window = &campaign.window;
    let seconds = window.end.as_second() - window.start.as_second();
    if seconds > max_seconds {
        let days = (seconds + 86_399) / 86_400;
        out.push(
            Finding::new(
                &LongWindow::META,
                campaign.spans.window,
                format!("campaign `{}` runs for {days} days, longer than {max_days}", campaign.id),
                format!("{days}-day window"),
            )
            .in_campaign(campaign)
            .with_help(format!("end the window within {max_days} days, and plan the next period as its own campaign")),
        );
    }
}

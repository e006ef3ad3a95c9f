use crate::lint::{Finding, LintContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a campaign whose window has already ended.
    ///
    /// ## Why is this bad?
    /// It will never pay anything, so it is either dead code kept by mistake
    /// or a date typed wrong (`2025` for `2026`) in a campaign that was
    /// meant to run.
    ///
    /// ## Example
    /// ```camp
    /// window: 2025-01-01 00:00 to 2025-01-31 00:00 Asia/Shanghai
    /// ```
    ///
    /// ## Use instead
    /// Fix the dates, or delete the campaign (the repository history keeps it).
    pub struct PastWindow {
        name: "past-window",
        level: Warn,
        summary: "a window that has already ended",
        options: &[],
    }
}

pub fn check(context: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some(now) = context.config.now else {
        return;
    };
    for campaign in &context.model.campaigns {
        if campaign.window.end <= now {
            out.push(
                Finding::new(
                    &PastWindow::META,
                    campaign.spans.window,
                    format!(
                        "campaign `{}` ended on {}",
                        campaign.id,
                        campaign.window.end_local.strftime("%Y-%m-%d %H:%M")
                    ),
                    "already over",
                )
                .in_campaign(campaign)
                .with_help("check the year; if the campaign is finished, delete it"),
            );
        }
    }
}

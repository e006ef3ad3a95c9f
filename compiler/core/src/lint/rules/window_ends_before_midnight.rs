use crate::check::model::{CampaignModel, Window};
use crate::diagnostic::{Edit, Fix, FixKind};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a window that ends at `23:59` or `23:59:59`, and offers to end
    /// it at the next day's `00:00` instead (or, on a day whose midnight a
    /// clock change skips, when that day begins).
    ///
    /// ## Why is this bad?
    /// A window is half-open: the campaign is live from its start until,
    /// not through, its end. `to 2027-03-31 23:59` leaves out the last
    /// minute of March 31 (and `23:59:59` its last second): payments in
    /// that minute get nothing, and limits per day count one minute short.
    /// The author meant the whole day.
    ///
    /// ## Example
    /// ```camp
    /// window: 2027-03-01 00:00 to 2027-03-31 23:59 Asia/Shanghai
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// window: 2027-03-01 00:00 to 2027-04-01 00:00 Asia/Shanghai
    /// ```
    pub struct WindowEndsBeforeMidnight {
        name: "window-ends-before-midnight",
        level: Warn,
        summary: "a window that ends at 23:59 and leaves out the day's last minute",
        options: &[],
    }
}

/// An instant as the window writes it: with seconds if its end has them.
fn written(window: &Window, datetime: jiff::civil::DateTime) -> String {
    let format = if window.end_has_seconds {
        "%Y-%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M"
    };
    datetime.strftime(format).to_string()
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let window = &campaign.window;
    let end = window.end_local;
    let left_out = match (
        end.hour(),
        end.minute(),
        end.second(),
        end.subsec_nanosecond(),
    ) {
        (23, 59, 0, 0) => "minute",
        (23, 59, 59, 0) => "second",
        _ => return,
    };
    let day = end.date();
    // When the next day begins, in local time: its midnight, or, where a
    // clock change skips midnight, the first time after the gap.
    let next_day = day.tomorrow().ok().and_then(|next| {
        let midnight = next.at(0, 0, 0, 0);
        let ambiguous = window.time_zone.to_ambiguous_timestamp(midnight);
        let skipped = matches!(ambiguous.offset(), jiff::tz::AmbiguousOffset::Gap { .. });
        let begins = ambiguous.compatible().ok()?;
        Some((window.time_zone.to_datetime(begins), skipped))
    });
    let mut finding = Finding::new(
        &WindowEndsBeforeMidnight::META,
        window.end_span,
        format!(
            "the window of `{}` ends at `{}`, leaving out the last {left_out} of {}",
            campaign.id,
            written(window, end),
            day.strftime("%Y-%m-%d")
        ),
        format!("the last {left_out} of the day is not in the window"),
    )
    .in_campaign(campaign);
    if let Some((begins, skipped)) = next_day {
        let next = written(window, begins);
        let help = if skipped {
            format!(
                "windows are half-open: end when the next day begins, `{next}` (clocks skip its `00:00` in `{}`), to include the whole day",
                window.zone
            )
        } else {
            format!(
                "windows are half-open: end at the next day's midnight, `{next}`, to include the whole day"
            )
        };
        finding = finding.with_help(help).with_fix(Fix {
            title: format!("end the window at `{next}`"),
            edits: vec![Edit {
                span: window.end_span,
                new_text: next,
            }],
            kind: FixKind::Complete,
        });
    }
    out.push(finding);
}

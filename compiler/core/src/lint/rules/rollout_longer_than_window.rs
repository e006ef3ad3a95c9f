use crate::check::model::CampaignModel;
use crate::diagnostic::Label;
use crate::lint::{Finding, LintConfig, declare_rule};
use camp_lang::vocab::DurationUnit;

declare_rule! {
    /// ## What it does
    /// Flags a rollout whose stages before the last take as long as the
    /// window or longer, so that its last stage (`stage 100%`) never starts.
    ///
    /// ## Why is this bad?
    /// Stages run one after the other from the window's start. When they
    /// outlast the window, the campaign ends while still at a canary or a
    /// small share: most of the users it was planned for never see it. It is
    /// usually a unit typed wrong (`for 2d` for `for 2h`) or a window
    /// shortened without its rollout.
    ///
    /// ## Example
    /// ```camp
    /// window: 2027-12-10 00:00 to 2027-12-12 00:00 Asia/Shanghai
    /// rollout {
    ///   stage segment qa_accounts for 1d
    ///   stage 10% for 1d
    ///   stage 100%
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// window: 2027-12-10 00:00 to 2027-12-12 00:00 Asia/Shanghai
    /// rollout {
    ///   stage segment qa_accounts for 1h
    ///   stage 10% for 2h
    ///   stage 100%
    /// }
    /// ```
    pub struct RolloutLongerThanWindow {
        name: "rollout-longer-than-window",
        level: Warn,
        summary: "a rollout that never reaches its last stage within the window",
        options: &[],
    }
}

/// `1d 2h 30min`: the largest units first, zero units left out.
fn duration_text(seconds: u64) -> String {
    // The language's units, largest first.
    let mut units = DurationUnit::VARIANTS;
    units.sort_by_key(|unit| std::cmp::Reverse(unit.seconds()));
    let parts: Vec<String> = units
        .iter()
        .scan(seconds, |left, unit| {
            let count = *left / unit.seconds();
            *left %= unit.seconds();
            Some((count > 0).then(|| format!("{count}{}", unit.as_str())))
        })
        .flatten()
        .collect();
    if parts.is_empty() {
        String::from("0s")
    } else {
        parts.join(" ")
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    let Some(stages) = &campaign.rollout else {
        return;
    };
    let staged = stages
        .iter()
        .filter_map(|stage| stage.duration_seconds)
        .fold(0u64, u64::saturating_add);
    let window = u64::try_from(
        campaign
            .window
            .end
            .as_second()
            .saturating_sub(campaign.window.start.as_second()),
    )
    .unwrap_or(0);
    if staged < window {
        return;
    }
    out.push(
        Finding::new(
            &RolloutLongerThanWindow::META,
            campaign.spans.rollout.unwrap_or(campaign.name_span),
            format!(
                "the rollout of `{}` reaches its last stage only after {}, but the window lasts {}",
                campaign.id,
                duration_text(staged),
                duration_text(window)
            ),
            "never reaches its last stage",
        )
        .with_related(Label::new(campaign.spans.window, "the window"))
        .with_help("shorten the stages before the last (check their units), or lengthen the window")
        .in_campaign(campaign),
    );
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_read_as_they_are_written() {
        assert_eq!(duration_text(0), "0s");
        assert_eq!(duration_text(90), "1min 30s");
        assert_eq!(duration_text(2 * 86_400 + 3_600), "2d 1h");
        assert_eq!(duration_text(86_400), "1d");
    }
}

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::check::exposure::live_stretches;
use crate::check::model::{CampaignModel, Throughput, group_digits};
use crate::diagnostic::Label;
use crate::lint::rules::local_time;
use crate::lint::{Finding, LintContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags each stretch of time when the `expected_peak`s of the
    /// campaigns live at once add up to more than the policy's `capacity`
    /// — one campaign alone, or several together. Peaks and capacity are
    /// compared per second, exactly (`1_300_000 per 1min` is 21_666.67 per
    /// second). One stretch is one finding: it names the campaigns with the
    /// largest peaks in it (five at most, then how many more) and sits on
    /// the largest.
    ///
    /// ## Why is this bad?
    /// Each campaign's peak may fit on its own, but a flash sale starting
    /// while two others run can push the payment system past what it was
    /// sized for — the surge that overloaded payments in an earlier
    /// incident. A single flash sale can do it alone.
    ///
    /// ## Example
    /// ```camp
    /// policy { capacity: 20_000 per 1s }
    /// campaign flash_a { expected_peak: 12_000 per 1s … }
    /// campaign flash_b { expected_peak: 10_000 per 1s … }   // same hour
    /// campaign flash_c { expected_peak: 1_300_000 per 1min … }   // 21_666.67 per second
    /// ```
    ///
    /// ## Use instead
    /// Move one window, or lower its expected peak with a smaller rollout
    /// stage or a redemption limit per period.
    ///
    /// ## How it scales
    /// One sweep over window starts and ends, sorted: `O(n log n)`
    /// whatever the overlap. A campaign with `days:` or `hours:` is live
    /// only in its scheduled stretches: one start and end for each.
    pub struct PeakOverCapacity {
        name: "peak-over-capacity",
        level: Warn,
        summary: "campaigns whose expected peaks, alone or live at once, exceed the payment capacity",
        options: &[],
    }
}

/// How many campaigns a finding names.
const NAMED: usize = 5;

/// Rates are compared as whole payments per `denominator` seconds: the
/// least common multiple of every period, so that `per 1min` and `per 1s`
/// add up exactly. Past this bound (periods of many odd lengths) the
/// common period is this many seconds and rates are rounded to it.
const MAX_DENOMINATOR: u64 = 1_000_000_000_000;

/// A common period, in seconds, for every throughput.
fn common_period<'a>(throughputs: impl Iterator<Item = &'a Throughput>) -> u64 {
    let mut lcm: u64 = 1;
    for throughput in throughputs {
        let per = throughput.per_seconds.max(1);
        let next = (lcm / gcd(lcm, per)).checked_mul(per);
        match next {
            Some(next) if next <= MAX_DENOMINATOR => lcm = next,
            _ => return MAX_DENOMINATOR,
        }
    }
    lcm
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Payments per `period` seconds (rounded to the nearest whole payment
/// only when `period` is not a multiple of the throughput's own period).
fn scaled(throughput: Throughput, period: u64) -> i128 {
    let per = i128::from(throughput.per_seconds.max(1));
    let count = i128::from(throughput.count) * i128::from(period);
    (count + per / 2) / per
}

/// `value` payments per `period` seconds, per second, to two decimals:
/// `21_666.67`, `20_000`.
fn per_second_text(value: i128, period: u64) -> String {
    let period = i128::from(period.max(1));
    let hundredths = (value.saturating_mul(100) + period / 2) / period;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    let text = match fraction {
        0 => whole.to_string(),
        fraction if fraction % 10 == 0 => format!("{whole}.{}", fraction / 10),
        fraction => format!("{whole}.{fraction:02}"),
    };
    group_digits(&text)
}

/// A stretch of time over capacity, while it is being swept.
struct Overload {
    start: jiff::Timestamp,
    /// The largest sum of live peaks in it.
    highest: i128,
    /// How many campaigns are live at some instant of it.
    campaigns: usize,
    /// The first `NAMED` of them, largest peak first (then by id).
    named: Vec<(Reverse<i128>, usize)>,
}

impl Overload {
    fn offer(&mut self, entry: (Reverse<i128>, usize)) {
        let at = self.named.partition_point(|named| *named < entry);
        if at < NAMED {
            self.named.insert(at, entry);
            self.named.truncate(NAMED);
        }
    }
}

/// A sweep over window starts and ends, sorted, with a running sum and
/// the live campaigns ordered by peak: `O(n log n)`.
pub fn check(context: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some(capacity) = context
        .model
        .schema
        .policy
        .as_ref()
        .and_then(|policy| policy.capacity)
    else {
        return;
    };
    let campaigns = &context.model.campaigns;
    let period = common_period(
        campaigns
            .iter()
            .filter_map(|campaign| campaign.expected_peak.as_ref())
            .chain([&capacity]),
    );
    let limit = scaled(capacity, period);
    // (instant, 0 = end before 1 = start: windows are half-open, index, peak)
    let mut events = Vec::new();
    for (index, campaign) in campaigns.iter().enumerate() {
        if let Some(peak) = campaign.expected_peak {
            let peak = scaled(peak, period);
            // With a schedule, only the stretches it is live in.
            for (start, end) in live_stretches(&campaign.window, campaign.schedule.as_deref()) {
                events.push((start, 1u8, index, peak));
                events.push((end, 0u8, index, peak));
            }
        }
    }
    events.sort_unstable();
    let mut live: BTreeSet<(Reverse<i128>, usize)> = BTreeSet::new();
    let mut total: i128 = 0;
    let mut overload: Option<Overload> = None;
    // The campaigns that started at the instant being swept.
    let mut started = Vec::new();
    let mut events = events.into_iter().peekable();
    while let Some((instant, kind, index, peak)) = events.next() {
        if kind == 0 {
            live.remove(&(Reverse(peak), index));
            total = total.saturating_sub(peak);
        } else {
            live.insert((Reverse(peak), index));
            total = total.saturating_add(peak);
            started.push((Reverse(peak), index));
        }
        // Judge an instant once all of its events are in.
        if events.peek().is_some_and(|next| next.0 == instant) {
            continue;
        }
        match &mut overload {
            Some(open) if total > limit => {
                // Still over: what started now is part of the same stretch.
                open.highest = open.highest.max(total);
                open.campaigns += started.len();
                for entry in started.iter().copied() {
                    open.offer(entry);
                }
            }
            Some(_) => {
                // Back within capacity: the stretch ends here, before what
                // starts now.
                if let Some(closed) = overload.take() {
                    out.extend(finding(campaigns, &closed, instant, capacity, period));
                }
            }
            None if total > limit => {
                overload = Some(Overload {
                    start: instant,
                    highest: total,
                    campaigns: live.len(),
                    named: live.iter().take(NAMED).copied().collect(),
                });
            }
            None => {}
        }
        started.clear();
    }
}

fn finding(
    campaigns: &[Arc<CampaignModel>],
    overload: &Overload,
    end: jiff::Timestamp,
    capacity: Throughput,
    period: u64,
) -> Option<Finding> {
    let named: Vec<(i128, &CampaignModel)> = overload
        .named
        .iter()
        .filter_map(|(Reverse(peak), index)| Some((*peak, &**campaigns.get(*index)?)))
        .collect();
    let (first_peak, first) = named.first().copied()?;
    let window = &first.window;
    let when = format!(
        "from {} to {} {}",
        local_time(overload.start, window),
        local_time(end, window),
        window.zone
    );
    let capacity_text = per_second_text(scaled(capacity, period), period);
    let at = |campaign: &CampaignModel| campaign.spans.expected_peak.unwrap_or(campaign.name_span);
    if overload.campaigns == 1 {
        return Some(
            Finding::new(
                &PeakOverCapacity::META,
                at(first),
                format!(
                    "`{}` alone expects {} payments per second {when}, above the policy's capacity of {capacity_text} per second",
                    first.id,
                    per_second_text(first_peak, period),
                ),
                "over capacity on its own",
            )
            .with_help("lower the expected peak (a smaller rollout stage, a limit per hour), or spread the campaign over a longer window"),
        );
    }
    let mut names: Vec<String> = named
        .iter()
        .map(|(peak, campaign)| format!("`{}` ({})", campaign.id, per_second_text(*peak, period)))
        .collect();
    let more = overload.campaigns.saturating_sub(named.len());
    let names = match (more, names.pop()) {
        (0, Some(last)) if names.is_empty() => last,
        (0, Some(last)) => format!("{} and {last}", names.join(", ")),
        (more, last) => {
            names.extend(last);
            format!(
                "{} and {} more",
                names.join(", "),
                group_digits(&more.to_string())
            )
        }
    };
    let label = if first_peak > scaled(capacity, period) {
        format!(
            "{} per second: over capacity on its own",
            per_second_text(first_peak, period)
        )
    } else {
        format!(
            "{} per second, the largest of them",
            per_second_text(first_peak, period)
        )
    };
    let mut finding = Finding::new(
        &PeakOverCapacity::META,
        at(first),
        format!(
            "expected peaks exceed the policy's capacity of {capacity_text} payments per second {when}, up to {} at once, over {} campaigns: {names}",
            per_second_text(overload.highest, period),
            group_digits(&overload.campaigns.to_string()),
        ),
        label,
    )
    .with_help("move a window, or lower an expected peak (a smaller rollout stage, a limit per hour)");
    for (peak, campaign) in named.iter().skip(1) {
        finding = finding.with_related(Label::new(
            at(campaign),
            format!(
                "`{}` expects {} per second, live then",
                campaign.id,
                per_second_text(*peak, period)
            ),
        ));
    }
    Some(finding)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::check::model::Model;
    use crate::lint::LintConfig;
    use crate::lint::rules::test_support::{copy, package};

    fn findings(model: &Model) -> Vec<Finding> {
        let config = LintConfig::default();
        let mut out = Vec::new();
        check(
            &LintContext {
                model,
                config: &config,
            },
            &mut out,
        );
        out
    }

    fn with_peak(mut campaign: CampaignModel, count: u64, per_seconds: u64) -> CampaignModel {
        campaign.expected_peak = Some(Throughput { count, per_seconds });
        campaign
    }

    /// The issue's package: 10,000 campaigns, 8,000 one after the other
    /// and 2,000 overlapping that together exceed the capacity (20,000 per
    /// second in the prelude). One overload, one finding — not one per
    /// campaign that starts during it.
    #[test]
    fn two_thousand_overlapping_campaigns_over_capacity_are_one_finding() {
        let (mut model, base) = package();
        for index in 0..8_000 {
            let campaign = copy(&base, &format!("spread_{index:05}"), index * 3_600, 3_600);
            model
                .campaigns
                .push(Arc::new(with_peak(campaign, 1_000, 1)));
        }
        for index in 0..2_000 {
            let campaign = copy(
                &base,
                &format!("surge_{index:05}"),
                8_000 * 3_600 + index,
                3_600,
            );
            model.campaigns.push(Arc::new(with_peak(campaign, 15, 1)));
        }
        model.campaigns.sort_by(|a, b| a.id.cmp(&b.id));
        let found = findings(&model);
        assert_eq!(found.len(), 1, "{found:#?}");
        let message = &found[0].message;
        assert!(message.contains("over 2_000 campaigns"), "{message}");
        assert!(message.contains("up to 30_000 at once"), "{message}");
        assert!(message.ends_with("and 1_995 more"), "{message}");
        assert_eq!(found[0].related.len(), NAMED - 1);
    }

    #[test]
    fn one_campaign_alone_over_capacity_fires_in_its_own_units() {
        let (mut model, base) = package();
        let flash = copy(&base, "flash", 0, 3_600);
        model
            .campaigns
            .push(Arc::new(with_peak(flash, 1_300_000, 60)));
        let found = findings(&model);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .starts_with("`flash` alone expects 21_666.67 payments per second"),
            "{}",
            found[0].message
        );
    }

    /// Three times 400,000 per minute is exactly 20,000 per second: not
    /// above. One payment more per minute is.
    #[test]
    fn peaks_in_other_units_add_up_exactly() {
        let (mut model, base) = package();
        for id in ["a", "b", "c"] {
            let campaign = copy(&base, id, 0, 3_600);
            model
                .campaigns
                .push(Arc::new(with_peak(campaign, 400_000, 60)));
        }
        assert!(findings(&model).is_empty());
        if let Some(peak) = Arc::make_mut(&mut model.campaigns[2])
            .expected_peak
            .as_mut()
        {
            peak.count += 1;
        }
        assert_eq!(findings(&model).len(), 1);
    }

    #[test]
    fn separate_overloads_are_separate_findings() {
        let (mut model, base) = package();
        for (id, start) in [("a1", 0), ("a2", 600), ("b1", 7_200), ("b2", 7_800)] {
            let campaign = copy(&base, id, start, 3_600);
            model
                .campaigns
                .push(Arc::new(with_peak(campaign, 12_000, 1)));
        }
        let found = findings(&model);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].message.contains("`a1` (12_000) and `a2` (12_000)"));
        assert!(found[1].message.contains("`b1` (12_000) and `b2` (12_000)"));
    }

    #[test]
    fn the_common_period_is_exact_until_it_is_too_long() {
        let per = |per_seconds| Throughput {
            count: 1,
            per_seconds,
        };
        let common = [per(1), per(60), per(3_600), per(7)];
        assert_eq!(common_period(common.iter()), 25_200);
        let primes: Vec<Throughput> = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43]
            .into_iter()
            .map(per)
            .collect();
        assert_eq!(common_period(primes.iter()), MAX_DENOMINATOR);
        assert_eq!(per_second_text(1_300_000, 60), "21_666.67");
        assert_eq!(per_second_text(1_200_000, 60), "20_000");
        assert_eq!(per_second_text(3, 2), "1.5");
    }
}

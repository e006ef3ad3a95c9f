use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::check::model::{Throughput, group_digits};
use crate::diagnostic::Label;
use crate::lint::{Finding, LintContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags the moment when the `expected_peak`s of the campaigns live at
    /// the same time add up to more than the policy's `capacity`.
    ///
    /// ## Why is this bad?
    /// Each campaign's peak fits on its own, but a flash sale starting while
    /// two others run can push the payment system past what it was sized
    /// for — the surge that overloaded payments in an earlier incident.
    ///
    /// ## Example
    /// ```camp
    /// policy { capacity: 20_000 per 1s }
    /// campaign flash_a { expected_peak: 12_000 per 1s … }
    /// campaign flash_b { expected_peak: 10_000 per 1s … }   // same hour
    /// ```
    ///
    /// ## Use instead
    /// Move one window, or lower its expected peak with a smaller rollout
    /// stage or a redemption limit per period.
    pub struct PeakOverCapacity {
        name: "peak-over-capacity",
        level: Warn,
        summary: "overlapping campaigns whose peaks exceed the payment capacity",
        options: &[],
    }
}

fn per_second(throughput: Throughput) -> Decimal {
    Decimal::from(throughput.count) / Decimal::from(throughput.per_seconds.max(1))
}

/// A sweep over window starts and ends, sorted: `O(n log n)`.
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
    let capacity = per_second(capacity);
    // (instant, 0 = end before 1 = start, index)
    let mut events = Vec::new();
    for (index, campaign) in context.model.campaigns.iter().enumerate() {
        if campaign.expected_peak.is_some() {
            events.push((campaign.window.start, 1u8, index));
            events.push((campaign.window.end, 0u8, index));
        }
    }
    events.sort_unstable();
    let mut live: BTreeSet<usize> = BTreeSet::new();
    let mut total = Decimal::ZERO;
    for (instant, kind, index) in events {
        let Some(campaign) = context.model.campaigns.get(index) else {
            continue;
        };
        let Some(peak) = campaign.expected_peak.map(per_second) else {
            continue;
        };
        if kind == 0 {
            live.remove(&index);
            total -= peak;
            continue;
        }
        live.insert(index);
        total += peak;
        if total > capacity && live.len() > 1 {
            let others: Vec<_> = live
                .iter()
                .filter(|other| **other != index)
                .filter_map(|other| context.model.campaigns.get(*other))
                .collect();
            let names = others
                .iter()
                .take(3)
                .map(|other| format!("`{}`", other.id))
                .collect::<Vec<_>>()
                .join(", ");
            let more = others.len().saturating_sub(3);
            let names = if more > 0 {
                format!("{names} and {more} more")
            } else {
                names
            };
            let mut finding = Finding::new(
                &PeakOverCapacity::META,
                campaign.spans.expected_peak.unwrap_or(campaign.name_span),
                format!(
                    "when `{}` starts ({} UTC), it runs with {names}: expected peaks add up to {} payments per second, above the capacity of {}",
                    campaign.id,
                    instant.strftime("%Y-%m-%d %H:%M"),
                    group_digits(&total.round_dp(0).to_string()),
                    group_digits(&capacity.round_dp(0).to_string())
                ),
                "over capacity",
            )
            .with_help("move a window, or lower an expected peak (a smaller rollout stage, a limit per hour)");
            for other in others.iter().take(3) {
                finding = finding.with_related(Label::new(
                    other.name_span,
                    format!("`{}` is live then", other.id),
                ));
            }
            out.push(finding);
        }
    }
}

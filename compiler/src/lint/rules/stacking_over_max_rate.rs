use std::collections::BTreeMap;

use crate::check::model::{CampaignModel, Rate, RewardForm, Stacking};
use crate::diagnostic::Label;
use crate::lint::{Finding, LintContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags campaigns that stack (`stacking: stacks_with [...]`, in either
    /// direction), overlap in window and scope (scenes, categories, regions,
    /// segments), and whose percentage rates together exceed the policy's
    /// `max_rate`.
    ///
    /// ## Why is this bad?
    /// Each campaign respects the maximum on its own, but a payment that
    /// qualifies for both gets the sum. Two 30% campaigns under a 50%
    /// policy give 60% off.
    ///
    /// ## Example
    /// ```camp
    /// campaign weekend_a { reward: 30% off, cap CNY 50.00  stacking: stacks_with [weekend_b] … }
    /// campaign weekend_b { reward: 30% off, cap CNY 50.00  … }
    /// ```
    ///
    /// ## Use instead
    /// Lower the rates so their sum stays within the policy, or make the
    /// campaigns `exclusive`.
    pub struct StackingOverMaxRate {
        name: "stacking-over-max-rate",
        level: Deny,
        summary: "stacking campaigns whose rates add up above the policy maximum",
        options: &[],
    }
}

fn rate(campaign: &CampaignModel) -> Option<Rate> {
    match campaign.reward.form {
        RewardForm::Percent { rate, .. } => Some(rate),
        _ => None,
    }
}

/// Whether two scopes share something: `None` is "any".
fn scopes_meet(a: &Option<Vec<String>>, b: &Option<Vec<String>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.iter().any(|name| b.contains(name)),
        _ => true,
    }
}

fn overlap(a: &CampaignModel, b: &CampaignModel) -> bool {
    a.window.start < b.window.end
        && b.window.start < a.window.end
        && a.scenes.iter().any(|scene| b.scenes.contains(scene))
        && scopes_meet(&a.categories, &b.categories)
        && scopes_meet(&a.regions, &b.regions)
        && scopes_meet(&a.segments, &b.segments)
}

/// Linear in the number of campaigns and `stacks_with` entries: stacking is
/// only ever between campaigns that name each other.
pub fn check(context: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some((max, max_span)) = context
        .model
        .schema
        .policy
        .as_ref()
        .and_then(|policy| policy.max_rate)
    else {
        return;
    };
    let by_id: BTreeMap<&str, &CampaignModel> = context
        .model
        .campaigns
        .iter()
        .map(|campaign| (campaign.id.as_str(), campaign))
        .collect();
    // Stacking partners, both directions.
    let mut partners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for campaign in &context.model.campaigns {
        if let Stacking::StacksWith(names) = &campaign.stacking {
            for name in names {
                if by_id.contains_key(name.as_str()) {
                    partners
                        .entry(campaign.id.as_str())
                        .or_default()
                        .push(name.as_str());
                    partners
                        .entry(name.as_str())
                        .or_default()
                        .push(campaign.id.as_str());
                }
            }
        }
    }
    for (id, names) in &mut partners {
        names.sort_unstable();
        names.dedup();
        let Some(campaign) = by_id.get(id) else {
            continue;
        };
        // Reported on the campaigns that declare the stacking.
        let Some(stacking_span) = campaign.spans.stacking else {
            continue;
        };
        let Some(own) = rate(campaign) else {
            continue;
        };
        let meeting: Vec<&CampaignModel> = names
            .iter()
            .filter_map(|name| by_id.get(name).copied())
            .filter(|other| rate(other).is_some() && overlap(campaign, other))
            .collect();
        let total = meeting
            .iter()
            .filter_map(|other| rate(other))
            .fold(own.0, |sum, other| sum + other.0);
        if total > max.0 {
            let others = meeting
                .iter()
                .map(|other| format!("`{}`", other.id))
                .collect::<Vec<_>>()
                .join(", ");
            let mut finding = Finding::new(
                &StackingOverMaxRate::META,
                stacking_span,
                format!(
                    "`{}` stacks with {others}: together {} off, above the policy's `max_rate` of {max}",
                    campaign.id,
                    Rate(total)
                ),
                "rates add up",
            )
            .with_help("lower the rates so their sum stays within the policy, or make the campaigns `exclusive`")
            .with_related(Label::new(max_span, "the policy's maximum"));
            for other in meeting {
                finding = finding.with_related(Label::new(
                    other.name_span,
                    format!("`{}` overlaps here", other.id),
                ));
            }
            out.push(finding);
        }
    }
}

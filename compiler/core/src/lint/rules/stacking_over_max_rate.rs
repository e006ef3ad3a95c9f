use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::check::exposure::live_stretches;
use crate::check::model::{CampaignModel, Rate, Stacking};
use crate::diagnostic::Label;
use crate::lint::rules::{local_time, name_list};
use crate::lint::{Finding, LintContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags campaigns that can apply to one payment at one instant and
    /// whose rates together exceed the policy's `max_rate`. Campaigns meet
    /// on one payment only when each lists the other in `stacks_with`, they
    /// share the currency, their windows share an instant, and one payment
    /// can be in all their scopes: a scene, a category and a region that
    /// every one of them allows (segments never keep campaigns apart: a user
    /// can be in several), and their schedules (`days:`, `hours:`) share an
    /// instant.
    ///
    /// The figure is one a payment can get. The decision procedure never
    /// pays more than the payment, so a campaign that would take the total
    /// past 100% is left out; the rule adds rates the same way. Each
    /// combination is reported once, with everything it contains, on the
    /// campaign that completes it (the last to start), with the time when
    /// all of it is live.
    ///
    /// ## Why is this bad?
    /// Each campaign respects the maximum on its own, but a payment that
    /// qualifies for both gets the sum. Two 30% campaigns under a 50%
    /// policy give 60% off.
    ///
    /// ## Example
    /// ```camp
    /// campaign weekend_a { reward: 30% off, cap CNY 50.00  stacking: stacks_with [weekend_b] … }
    /// campaign weekend_b { reward: 30% off, cap CNY 50.00  stacking: stacks_with [weekend_a] … }
    /// ```
    ///
    /// ## Use instead
    /// Lower the rates so their sum stays within the policy, or stop them
    /// stacking: remove each from the other's `stacks_with`.
    ///
    /// ## How it scales
    /// A sweep over window starts and ends, per campaign only its live
    /// partners: linear in the `stacks_with` names after sorting. Finding the
    /// worst combination among a campaign's live partners is an exact search
    /// that stops after 20,000 steps (thousands of partners that all stack
    /// with one another); past that it reports the worst combination it has
    /// found, which is always a real one.
    pub struct StackingOverMaxRate {
        name: "stacking-over-max-rate",
        level: Deny,
        summary: "campaigns that can stack on one payment above the policy's maximum rate",
        options: &[],
    }
}

/// The rate this rule adds up for a campaign: its effective rate, the
/// largest fraction of one payment its reward can take, for every form
/// (a fixed `CNY 20.00 off, min_spend CNY 50.00` is 40%). Rounded up, so a
/// sum errs on the safe side. The one place that says which rate that is.
fn stacking_rate(campaign: &CampaignModel) -> Option<Rate> {
    Some(campaign.effective_rate().as_rate())
}

/// No payment gets more than itself: 100%.
const WHOLE_PAYMENT: Decimal = Decimal::ONE_HUNDRED;

/// How many combinations the search for one campaign tries at most.
const SEARCH_BUDGET: usize = 20_000;

/// What one payment must be to be in a campaign's scope: one scene, one
/// category, one region (`None`: any). Names sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scope<'a> {
    scenes: Vec<&'a str>,
    categories: Option<Vec<&'a str>>,
    regions: Option<Vec<&'a str>>,
}

impl<'a> Scope<'a> {
    fn of(campaign: &'a CampaignModel) -> Scope<'a> {
        fn sorted(names: &[String]) -> Vec<&str> {
            let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
            names.sort_unstable();
            names.dedup();
            names
        }
        Scope {
            scenes: sorted(&campaign.scenes),
            categories: campaign.categories.as_deref().map(sorted),
            regions: campaign.regions.as_deref().map(sorted),
        }
    }

    /// The scope of a payment in both, or `None` when no payment is.
    fn meet(&self, other: &Scope<'a>) -> Option<Scope<'a>> {
        let scenes = intersect(&self.scenes, &other.scenes);
        if scenes.is_empty() {
            return None;
        }
        Some(Scope {
            scenes,
            categories: meet_optional(&self.categories, &other.categories)?,
            regions: meet_optional(&self.regions, &other.regions)?,
        })
    }
}

/// The names in both sorted lists, sorted.
fn intersect<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    let mut both = Vec::new();
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => {
                a.next();
            }
            std::cmp::Ordering::Greater => {
                b.next();
            }
            std::cmp::Ordering::Equal => {
                both.push(**x);
                a.next();
                b.next();
            }
        }
    }
    both
}

/// Two optional lists (`None`: any) met: `None` when nothing is in both.
fn meet_optional<'a>(
    a: &Option<Vec<&'a str>>,
    b: &Option<Vec<&'a str>>,
) -> Option<Option<Vec<&'a str>>> {
    match (a, b) {
        (None, None) => Some(None),
        (Some(only), None) | (None, Some(only)) => Some(Some(only.clone())),
        (Some(a), Some(b)) => {
            let both = intersect(a, b);
            (!both.is_empty()).then_some(Some(both))
        }
    }
}

/// A campaign that has a rate and consents to stack.
struct Stacker<'a> {
    campaign: &'a CampaignModel,
    rate: Rate,
    scope: Scope<'a>,
    /// The stackers (indices, sorted) it can meet on one payment: each
    /// lists the other, same currency, windows and scopes that meet.
    partners: Vec<usize>,
}

impl Stacker<'_> {
    fn stacks_with(&self, other: usize) -> bool {
        self.partners.binary_search(&other).is_ok()
    }
}

/// Campaigns that one payment can get at once: `members` sorted by index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Combination {
    members: Vec<usize>,
    total: Decimal,
}

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
    let stackers = stackers(&context.model.campaigns);
    for combination in combinations_over(&stackers, max.0, SEARCH_BUDGET) {
        if let Some(finding) = finding(&stackers, &combination, max, max_span) {
            out.push(finding);
        }
    }
}

/// Every campaign with a rate and a `stacks_with`, sorted by id, with the
/// partners it can really meet.
fn stackers(campaigns: &[Arc<CampaignModel>]) -> Vec<Stacker<'_>> {
    let mut stackers: Vec<Stacker<'_>> = campaigns
        .iter()
        .filter(|campaign| matches!(&campaign.stacking, Stacking::StacksWith(_)))
        .filter_map(|campaign| {
            Some(Stacker {
                campaign,
                rate: stacking_rate(campaign)?,
                scope: Scope::of(campaign),
                partners: Vec::new(),
            })
        })
        .collect();
    stackers.sort_by(|a, b| a.campaign.id.cmp(&b.campaign.id));
    let find = |id: &str| {
        stackers
            .binary_search_by(|stacker| stacker.campaign.id.as_str().cmp(id))
            .ok()
    };
    let partners: Vec<Vec<usize>> = stackers
        .iter()
        .map(|stacker| {
            let Stacking::StacksWith(listed) = &stacker.campaign.stacking else {
                return Vec::new();
            };
            let mut partners: Vec<usize> = listed
                .iter()
                .filter_map(|partner| find(&partner.id))
                .filter(|other| {
                    stackers
                        .get(*other)
                        .is_some_and(|other| can_meet(stacker, other))
                })
                .collect();
            partners.sort_unstable();
            partners.dedup();
            partners
        })
        .collect();
    for (stacker, partners) in stackers.iter_mut().zip(partners) {
        stacker.partners = partners;
    }
    stackers
}

/// Whether one payment can get both: mutual consent, one currency, an
/// instant in both windows, a payment in both scopes.
fn can_meet(a: &Stacker<'_>, b: &Stacker<'_>) -> bool {
    let (x, y) = (a.campaign, b.campaign);
    x.stacking.lists(&y.id)
        && y.stacking.lists(&x.id)
        && x.currency == y.currency
        && x.window.start < y.window.end
        && y.window.start < x.window.end
        && a.scope.meet(&b.scope).is_some()
        && schedules_meet(x, y)
}

/// Whether the two campaigns' scheduled stretches share an instant (always,
/// when neither has a schedule).
fn schedules_meet(x: &CampaignModel, y: &CampaignModel) -> bool {
    if x.schedule.is_none() && y.schedule.is_none() {
        return true;
    }
    let a = live_stretches(&x.window, x.schedule.as_deref());
    let b = live_stretches(&y.window, y.schedule.as_deref());
    let (mut i, mut j) = (0, 0);
    while let (Some(first), Some(second)) = (a.get(i), b.get(j)) {
        if first.0 < second.1 && second.0 < first.1 {
            return true;
        }
        if first.1 <= second.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    false
}

/// Every combination above `max` that one payment can get at one instant,
/// once each: a sweep over window starts and ends. When a campaign starts,
/// its live partners are the only campaigns it can combine with now; the
/// worst combination it completes is searched among them. A combination
/// contained in another one reported is left out.
fn combinations_over(stackers: &[Stacker<'_>], max: Decimal, budget: usize) -> Vec<Combination> {
    // (instant, 0 = end before 1 = start: windows are half-open, index)
    let mut events = Vec::new();
    for (index, stacker) in stackers.iter().enumerate() {
        if !stacker.partners.is_empty() {
            events.push((stacker.campaign.window.start, 1u8, index));
            events.push((stacker.campaign.window.end, 0u8, index));
        }
    }
    events.sort_unstable();
    let mut live = vec![false; stackers.len()];
    let mut found = Vec::new();
    for (_, kind, index) in events {
        let (Some(flag), Some(stacker)) = (live.get_mut(index), stackers.get(index)) else {
            continue;
        };
        *flag = kind == 1;
        if kind == 0 {
            continue;
        }
        let candidates: Vec<usize> = stacker
            .partners
            .iter()
            .copied()
            .filter(|partner| live.get(*partner).copied().unwrap_or(false))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let worst = worst_combination(stackers, index, candidates, budget);
        if worst.members.len() > 1 && worst.total > max {
            found.push(worst);
        }
    }
    drop_contained(found)
}

/// The combination with the largest total (at most 100%) that contains
/// `newest` and some of its live `candidates`: a branch and bound, rates
/// largest first, that stops after `budget` steps with the best so far.
fn worst_combination(
    stackers: &[Stacker<'_>],
    newest: usize,
    mut candidates: Vec<usize>,
    budget: usize,
) -> Combination {
    struct Frame<'s> {
        member: usize,
        total: Decimal,
        scope: Scope<'s>,
        /// Candidates that fit with every member so far, largest rate first.
        allowed: Vec<usize>,
        /// The rates of `allowed[next..]`, added: the most this frame can still gain.
        allowed_total: Decimal,
        next: usize,
    }
    let rate = |index: usize| {
        stackers
            .get(index)
            .map_or(Decimal::ZERO, |stacker| stacker.rate.0)
    };
    let Some(first) = stackers.get(newest) else {
        return Combination {
            members: vec![newest],
            total: Decimal::ZERO,
        };
    };
    let mut best = Combination {
        members: vec![newest],
        total: first.rate.0,
    };
    candidates.sort_by(|a, b| rate(*b).cmp(&rate(*a)).then(a.cmp(b)));
    candidates.retain(|candidate| first.rate.0 + rate(*candidate) <= WHOLE_PAYMENT);
    let mut stack = vec![Frame {
        member: newest,
        total: first.rate.0,
        scope: first.scope.clone(),
        allowed_total: candidates.iter().map(|candidate| rate(*candidate)).sum(),
        allowed: candidates,
        next: 0,
    }];
    let mut steps = 0usize;
    while steps < budget && best.total < WHOLE_PAYMENT {
        let Some(frame) = stack.last_mut() else {
            break;
        };
        let candidate = match frame.allowed.get(frame.next) {
            Some(candidate) if frame.total + frame.allowed_total > best.total => *candidate,
            _ => {
                stack.pop();
                continue;
            }
        };
        frame.next += 1;
        frame.allowed_total -= rate(candidate);
        let Some(stacker) = stackers.get(candidate) else {
            continue;
        };
        let Some(scope) = frame.scope.meet(&stacker.scope) else {
            continue;
        };
        steps += 1;
        let total = frame.total + stacker.rate.0;
        let allowed: Vec<usize> = frame
            .allowed
            .get(frame.next..)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|other| {
                stacker.stacks_with(*other)
                    && total + rate(*other) <= WHOLE_PAYMENT
                    && stackers
                        .get(*other)
                        .is_some_and(|other| scope.meet(&other.scope).is_some())
            })
            .collect();
        if total > best.total {
            let mut members: Vec<usize> = stack.iter().map(|frame| frame.member).collect();
            members.push(candidate);
            members.sort_unstable();
            best = Combination { members, total };
        }
        stack.push(Frame {
            member: candidate,
            total,
            scope,
            allowed_total: allowed.iter().map(|other| rate(*other)).sum(),
            allowed,
            next: 0,
        });
    }
    best
}

/// Leaves out each combination that another one contains.
fn drop_contained(found: Vec<Combination>) -> Vec<Combination> {
    let mut by_member: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, combination) in found.iter().enumerate() {
        for member in &combination.members {
            by_member.entry(*member).or_default().push(index);
        }
    }
    let contained = |index: usize, combination: &Combination| {
        // Any combination containing this one also contains its member
        // that is in the fewest combinations.
        let Some(fewest) = combination
            .members
            .iter()
            .filter_map(|member| by_member.get(member))
            .min_by_key(|list| list.len())
        else {
            return false;
        };
        fewest.iter().any(|other| {
            *other != index
                && found.get(*other).is_some_and(|other| {
                    other.members.len() > combination.members.len()
                        && combination
                            .members
                            .iter()
                            .all(|member| other.members.binary_search(member).is_ok())
                })
        })
    };
    found
        .iter()
        .enumerate()
        .filter(|(index, combination)| !contained(*index, combination))
        .map(|(_, combination)| combination.clone())
        .collect()
}

fn finding(
    stackers: &[Stacker<'_>],
    combination: &Combination,
    max: Rate,
    max_span: crate::source::Span,
) -> Option<Finding> {
    let mut members: Vec<&Stacker<'_>> = combination
        .members
        .iter()
        .filter_map(|member| stackers.get(*member))
        .collect();
    // The one that completes it: the last to start (then the last by id).
    let newest = members
        .iter()
        .max_by(|a, b| {
            a.campaign
                .window
                .start
                .cmp(&b.campaign.window.start)
                .then(a.campaign.id.cmp(&b.campaign.id))
        })
        .copied()?;
    members.sort_by(|a, b| b.rate.cmp(&a.rate).then(a.campaign.id.cmp(&b.campaign.id)));
    let start = newest.campaign.window.start;
    let end = members
        .iter()
        .map(|member| member.campaign.window.end)
        .min()?;
    let window = &newest.campaign.window;
    let names: Vec<&str> = members
        .iter()
        .map(|member| member.campaign.id.as_str())
        .collect();
    let others: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| *name != newest.campaign.id)
        .collect();
    let terms = members
        .iter()
        .map(|member| member.rate.to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let total = Rate(combination.total);
    let mut finding = Finding::new(
        &StackingOverMaxRate::META,
        newest
            .campaign
            .spans
            .stacking
            .unwrap_or(newest.campaign.name_span),
        format!(
            "{} stack: from {} to {} {}, one payment can get {terms} = {total} off, above the policy's `max_rate` of {max}",
            name_list(&names),
            local_time(start, window),
            local_time(end, window),
            window.zone,
        ),
        format!("{total} off with {}", name_list(&others)),
    )
    .with_help(format!(
        "lower the rates so that together they stay within {max}, or stop them stacking (remove each from the other's `stacks_with`)"
    ));
    for member in &members {
        let spans = &member.campaign.spans;
        finding = finding.with_related(Label::new(
            spans.rate.unwrap_or(spans.reward),
            format!("`{}` gives {}", member.campaign.id, member.rate),
        ));
    }
    Some(finding.with_related(Label::new(max_span, "the policy's maximum")))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::check::model::{Model, RewardForm, StackPartner};
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

    fn stacks_with(campaign: &mut CampaignModel, partners: &[&str]) {
        let mut partners: Vec<StackPartner> = partners
            .iter()
            .map(|id| StackPartner {
                id: (*id).to_string(),
                span: campaign.name_span,
            })
            .collect();
        partners.sort_by(|a, b| a.id.cmp(&b.id));
        campaign.stacking = Stacking::StacksWith(partners);
    }

    fn set_rate(campaign: &mut CampaignModel, percent: i64) {
        if let RewardForm::Percent { rate, .. } = &mut campaign.reward.form {
            *rate = Rate(Decimal::from(percent));
        }
    }

    /// 10,000 campaigns: a bank offer over the whole period that stacks
    /// with 9,999 one-day flash sales. Each day one payment can get two
    /// rates, never more: nothing above 50%, and above 15% one finding per
    /// flash sale (each a different pair), none adding up every partner.
    #[test]
    fn a_long_offer_stacking_with_many_short_ones_adds_two_rates_at_a_time() {
        let (mut model, base) = package();
        let day = 86_400;
        let flashes: Vec<String> = (0..9_999)
            .map(|index| format!("flash_{index:05}"))
            .collect();
        let mut bank = copy(&base, "bank", 0, 9_999 * day);
        let names: Vec<&str> = flashes.iter().map(String::as_str).collect();
        stacks_with(&mut bank, &names);
        model.campaigns.push(Arc::new(bank));
        for (index, id) in (0i64..).zip(&flashes) {
            let mut flash = copy(&base, id, index * day, day);
            stacks_with(&mut flash, &["bank"]);
            model.campaigns.push(Arc::new(flash));
        }
        model.campaigns.sort_by(|a, b| a.id.cmp(&b.id));
        assert!(findings(&model).is_empty());

        if let Some(policy) = model.schema.policy.as_mut()
            && let Some((max, _)) = policy.max_rate.as_mut()
        {
            *max = Rate(Decimal::from(15));
        }
        let found = findings(&model);
        assert_eq!(found.len(), 9_999);
        assert!(
            found
                .iter()
                .all(|finding| finding.message.contains("10% + 10% = 20% off")),
            "{:#?}",
            found.first()
        );
    }

    #[test]
    fn a_combination_inside_a_larger_one_is_left_out() {
        let combination = |members: Vec<usize>| Combination {
            members,
            total: Decimal::ONE,
        };
        let kept = drop_contained(vec![
            combination(vec![0, 1]),
            combination(vec![0, 1, 2]),
            combination(vec![1, 3]),
        ]);
        assert_eq!(
            kept,
            vec![combination(vec![0, 1, 2]), combination(vec![1, 3])]
        );
    }

    /// With no steps left, the search still answers with a real
    /// combination: the campaign alone.
    #[test]
    fn an_exhausted_search_reports_a_real_combination() {
        let (_, base) = package();
        let mut campaigns = Vec::new();
        for id in ["a", "b", "c"] {
            let mut campaign = copy(&base, id, 0, 3_600);
            let others: Vec<&str> = ["a", "b", "c"]
                .into_iter()
                .filter(|other| other != &id)
                .collect();
            stacks_with(&mut campaign, &others);
            campaigns.push(Arc::new(campaign));
        }
        let stackers = stackers(&campaigns);
        let none = worst_combination(&stackers, 0, vec![1, 2], 0);
        assert_eq!(none.members, vec![0]);
        let one = worst_combination(&stackers, 0, vec![1, 2], 1);
        assert_eq!(one.members, vec![0, 1]);
        let all = worst_combination(&stackers, 0, vec![1, 2], SEARCH_BUDGET);
        assert_eq!((all.members, all.total), (vec![0, 1, 2], Decimal::from(30)));
    }

    const SCENES: [&str; 3] = ["merchant_purchase", "online_purchase", "utility_bill"];
    const CATEGORIES: [&str; 3] = ["home_appliance", "electronics", "groceries"];

    fn names(mask: u8, all: &[&str]) -> Vec<String> {
        (0u8..)
            .zip(all)
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, name)| (*name).to_string())
            .collect()
    }

    /// The best combination containing `newest`, by trying every subset of
    /// its partners.
    fn brute_force(stackers: &[Stacker<'_>], newest: usize) -> Decimal {
        let partners = &stackers[newest].partners;
        let mut best = stackers[newest].rate.0;
        for subset in 0u32..(1 << partners.len()) {
            let members: Vec<usize> = (0..partners.len())
                .filter(|bit| subset & (1 << bit) != 0)
                .map(|bit| partners[bit])
                .chain([newest])
                .collect();
            let pairwise = members.iter().all(|a| {
                members
                    .iter()
                    .all(|b| a == b || stackers[*a].stacks_with(*b))
            });
            let scope = members
                .iter()
                .try_fold(stackers[newest].scope.clone(), |scope, member| {
                    scope.meet(&stackers[*member].scope)
                });
            let total: Decimal = members.iter().map(|member| stackers[*member].rate.0).sum();
            if pairwise && scope.is_some() && total <= WHOLE_PAYMENT && total > best {
                best = total;
            }
        }
        best
    }

    proptest! {
        /// The branch and bound finds the same worst total as trying every
        /// combination: random rates (up to 60%, so that some add up past
        /// the whole payment), scenes, categories and one-sided or mutual
        /// consent, all live at once.
        #[test]
        fn the_search_finds_the_worst_combination(
            campaigns in prop::collection::vec((5i64..=60, 1u8..8, 0u8..8, any::<u8>()), 2..8),
        ) {
            let (_, base) = package();
            let ids: Vec<String> = (0..campaigns.len()).map(|index| format!("c{index}")).collect();
            let mut models = Vec::new();
            for (index, (rate, scenes, categories, consent)) in campaigns.iter().enumerate() {
                let mut campaign = copy(&base, &ids[index], 0, 3_600);
                set_rate(&mut campaign, *rate);
                campaign.scenes = names(*scenes, &SCENES);
                campaign.categories = (*categories != 0).then(|| names(*categories, &CATEGORIES));
                let listed: Vec<&str> = (0u8..)
                    .zip(&ids)
                    .filter(|(bit, id)| consent & (1 << bit) != 0 && **id != ids[index])
                    .map(|(_, id)| id.as_str())
                    .collect();
                stacks_with(&mut campaign, &listed);
                models.push(Arc::new(campaign));
            }
            let stackers = stackers(&models);
            for newest in 0..stackers.len() {
                let found = worst_combination(&stackers, newest, stackers[newest].partners.clone(), SEARCH_BUDGET);
                prop_assert_eq!(found.total, brute_force(&stackers, newest));
                let members_total: Decimal = found.members.iter().map(|member| stackers[*member].rate.0).sum();
                prop_assert_eq!(found.total, members_total);
            }
        }
    }
}

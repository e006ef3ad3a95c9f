//! Stacking: which eligible campaigns pay together, by mutual consent,
//! largest first, within the payment.

use super::*;

/// Mutual consent: each of the campaigns at positions `a` and `b` lists
/// the other.
pub(super) fn combine(campaigns: &[Live], a: usize, b: usize) -> bool {
    let lists = |from: usize, to: usize| {
        campaigns
            .get(from)
            .is_some_and(|live| live.partners.binary_search(&to).is_ok())
    };
    lists(a, b) && lists(b, a)
}

/// Step 4: the largest reward first (ties: the id first in byte order),
/// then, in the same order, each campaign that combines with every one
/// taken and keeps the total within the payment. `scratch.drafts` are
/// those of the campaigns at `considered` (positions in `campaigns`,
/// ascending); with `EXPLAIN`, `scratch.explanations` are theirs too.
pub(super) fn stack<const EXPLAIN: bool>(
    campaigns: &[Live],
    pools: &[PoolCounter],
    considered: &[usize],
    payment: &Payment,
    scratch: &mut Scratch,
) {
    let position_of = |draft: usize| considered.get(draft).copied();
    let id_of = |draft: usize| {
        position_of(draft)
            .and_then(|position| campaigns.get(position))
            .map(|live| live.campaign.id.clone())
    };
    scratch.order.clear();
    scratch.order.extend(
        scratch
            .drafts
            .iter()
            .enumerate()
            .filter_map(|(index, draft)| draft.outcome.ok().map(|reward| (index, reward))),
    );
    // Campaigns are sorted by id, so a stable sort on the reward keeps
    // ties in id order.
    scratch
        .order
        .sort_by_key(|(_, reward)| std::cmp::Reverse(reward.amount));
    scratch.taken.clear();
    scratch.pool_taken.clear();
    let mut total = Decimal::ZERO;
    for (place, (index, reward)) in scratch.order.iter().copied().enumerate() {
        let Some(position) = position_of(index) else {
            continue;
        };
        let combines_with_all = scratch.taken.iter().all(|other| {
            position_of(*other).is_some_and(|other| combine(campaigns, position, other))
        });
        let sum = total.checked_add(reward.amount);
        let above_payment = sum.is_none_or(|sum| sum > payment.amount.amount);
        // (v2) The campaigns of one pool taken before it share its room.
        let pool = campaigns.get(position).and_then(|live| live.pool);
        let pool_full = pool.is_some_and(|slot| {
            !pools::fits_after(pools, slot, &scratch.pool_taken, reward.amount)
        });
        if EXPLAIN && let Some(explanation) = scratch.explanations.get_mut(index) {
            explanation.stacking = Some(StackingCheck {
                position: place,
                after: scratch
                    .taken
                    .iter()
                    .filter_map(|other| id_of(*other))
                    .collect(),
                total_before: Money::new(total, payment.amount.currency),
                not_combined_with: scratch
                    .taken
                    .iter()
                    .filter(|other| {
                        !position_of(**other)
                            .is_some_and(|other| combine(campaigns, position, other))
                    })
                    .filter_map(|other| id_of(*other))
                    .collect(),
                above_payment,
                pool_full,
            });
        }
        let Some(draft) = scratch.drafts.get_mut(index) else {
            continue;
        };
        match sum {
            Some(_) if !above_payment && combines_with_all && pool_full => {
                draft.outcome = Err(Reason::Pool);
            }
            Some(sum) if !above_payment && combines_with_all => {
                scratch.taken.push(index);
                if let Some(slot) = pool {
                    pools::take(&mut scratch.pool_taken, slot, reward.amount);
                }
                total = sum;
            }
            Some(_) | None => draft.outcome = Err(Reason::Stacking),
        }
    }
}

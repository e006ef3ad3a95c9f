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
    scratch.taken.clear();
    scratch.pool_taken.clear();
    // Without explanations: when the largest reward (ties: the first in id
    // order) is an exclusive campaign outside any pool, it is taken and
    // every other one combines with none taken, so no order is needed.
    if !EXPLAIN && exclusive_first(campaigns, considered, payment, scratch) {
        return;
    }
    // Campaigns are sorted by id, so a stable sort on the reward keeps
    // ties in id order.
    sort_largest_first(&mut scratch.order, &mut scratch.keys, &mut scratch.unsorted);
    let mut total = Decimal::ZERO;
    for (place, (index, reward)) in scratch.order.iter().copied().enumerate() {
        let Some(position) = position_of(index) else {
            continue;
        };
        let combines_with_all = scratch.taken.iter().all(|other| {
            position_of(*other).is_some_and(|other| combine(campaigns, position, other))
        });
        // Without explanations, a campaign that does not combine with one
        // taken is not paid, whatever the sum and its pool.
        if !EXPLAIN && !combines_with_all {
            if let Some(draft) = scratch.drafts.get_mut(index) {
                draft.outcome = Err(Reason::Stacking);
            }
            continue;
        }
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

/// The shortcut of [`stack`] without explanations: if the campaign it
/// would take first (the largest reward, ties in id order) stacks with
/// nothing, draws from no pool and fits the payment, it is taken and every
/// other campaign in `scratch.order` is left out for `stacking`, exactly
/// as the general loop decides; `false` (nothing changed) otherwise.
fn exclusive_first(
    campaigns: &[Live],
    considered: &[usize],
    payment: &Payment,
    scratch: &mut Scratch,
) -> bool {
    // `max_by` keeps the last of equals: the earlier place compares greater.
    let Some((first, reward)) = scratch
        .order
        .iter()
        .enumerate()
        .max_by(|(place_a, (_, a)), (place_b, (_, b))| {
            a.amount.cmp(&b.amount).then(place_b.cmp(place_a))
        })
        .map(|(_, (index, reward))| (*index, *reward))
    else {
        return false;
    };
    let exclusive = considered
        .get(first)
        .and_then(|position| campaigns.get(*position))
        .is_some_and(|live| live.partners.is_empty() && live.pool.is_none());
    if !exclusive || reward.amount > payment.amount.amount {
        return false;
    }
    for (index, _) in &scratch.order {
        if *index != first
            && let Some(draft) = scratch.drafts.get_mut(*index)
        {
            draft.outcome = Err(Reason::Stacking);
        }
    }
    scratch.taken.push(first);
    true
}

/// Sorts `order` by reward, the largest first, stably. Rewards are at most
/// the payment's minor unit, so each is an integer number of minor units:
/// the sort orders integers packing the minor units (complemented: the
/// largest first) above the place in `order` (ties in id order), all
/// distinct, in `keys` (reused); if an amount is not such an integer
/// (never, by [`Live::reward`]), it compares decimals.
fn sort_largest_first(
    order: &mut [(usize, Money)],
    keys: &mut Vec<u128>,
    unsorted: &mut Vec<(usize, Money)>,
) {
    let Some(currency) = order.first().map(|(_, reward)| reward.currency) else {
        return;
    };
    let scale = Money::scale(currency);
    keys.clear();
    for (place, (_, reward)) in order.iter().enumerate() {
        let minor = minor_units(reward.amount, scale);
        match (minor, u32::try_from(place)) {
            (Some(minor), Ok(place)) if reward.currency == currency => {
                keys.push((u128::from(u64::MAX - minor) << 32) | u128::from(place));
            }
            _ => {
                order.sort_by_key(|(_, reward)| std::cmp::Reverse(reward.amount));
                return;
            }
        }
    }
    // Already largest first (one campaign, or rewards in id order): as is.
    if keys.is_sorted() {
        return;
    }
    keys.sort_unstable();
    // `order` rebuilt from the keys: each names its place in the old order.
    unsorted.clear();
    unsorted.extend_from_slice(order);
    for (slot, key) in order.iter_mut().zip(keys.iter()) {
        let place = usize::try_from(key & u128::from(u32::MAX)).unwrap_or(usize::MAX);
        if let Some(entry) = unsorted.get(place) {
            *slot = *entry;
        }
    }
}

/// `amount` as a whole number of units of `10^-scale`, when it is exactly
/// one and not negative.
pub(super) fn minor_units(amount: Decimal, scale: u32) -> Option<u64> {
    if amount.is_sign_negative() || amount.scale() > scale {
        return None;
    }
    if amount.scale() == scale {
        return u64::try_from(amount.mantissa()).ok();
    }
    let factor = 10_i128.checked_pow(scale - amount.scale())?;
    u64::try_from(amount.mantissa().checked_mul(factor)?).ok()
}

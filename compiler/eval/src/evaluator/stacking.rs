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
    // Without explanations: the same decisions without sorting them all.
    if !EXPLAIN && largest_first_lazily(campaigns, pools, considered, payment, scratch) {
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
        let room = room(
            campaigns,
            pools,
            &scratch.pool_taken,
            position,
            total,
            reward,
            payment,
        );
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
                above_payment: room.above_payment,
                pool_full: room.pool_full,
            });
        }
        let Some(draft) = scratch.drafts.get_mut(index) else {
            continue;
        };
        let verdict = if combines_with_all {
            room.verdict()
        } else {
            Err(Reason::Stacking)
        };
        match verdict {
            Ok(sum) => {
                scratch.taken.push(index);
                if let Some(slot) = room.pool {
                    pools::take(&mut scratch.pool_taken, slot, reward.amount);
                }
                total = sum;
            }
            Err(reason) => draft.outcome = Err(reason),
        }
    }
}

/// The loop of [`stack`] without explanations, without sorting: the
/// largest reward left (ties: the first in id order) is decided next, as
/// the sorted loop decides it; once one is taken, every campaign left that
/// does not combine with it is left out for `stacking` at once (the sorted
/// loop would leave it out when it came to it, changing nothing). So the
/// campaigns decided in turn are the same, in the same order, with the
/// same outcomes; after the first taken only its partners are left (none
/// for an exclusive campaign), so it costs a few passes over the rewards,
/// not a sort. `false` (nothing changed) when a reward is not a whole
/// number of the payment's minor units (never, by [`Live::reward`]): the
/// sorted loop decides.
/// Whether a campaign's reward still fits once `total` is taken: the sum,
/// whether it is above the payment, and (v2) its pool and whether that is
/// full (the campaigns of one pool taken before it share its room).
struct Room {
    sum: Option<Decimal>,
    above_payment: bool,
    pool: Option<usize>,
    pool_full: bool,
}

impl Room {
    /// The new total when the reward is taken; else why not: its pool is
    /// full (within the payment), or it does not fit in the payment.
    fn verdict(&self) -> Result<Decimal, Reason> {
        match self.sum {
            Some(_) if !self.above_payment && self.pool_full => Err(Reason::Pool),
            Some(sum) if !self.above_payment => Ok(sum),
            Some(_) | None => Err(Reason::Stacking),
        }
    }
}

fn room(
    campaigns: &[Live],
    pools: &[PoolCounter],
    pool_taken: &[(usize, Decimal)],
    position: usize,
    total: Decimal,
    reward: Money,
    payment: &Payment,
) -> Room {
    let sum = total.checked_add(reward.amount);
    let pool = campaigns.get(position).and_then(|live| live.pool);
    Room {
        sum,
        above_payment: sum.is_none_or(|sum| sum > payment.amount.amount),
        pool,
        pool_full: pool
            .is_some_and(|slot| !pools::fits_after(pools, slot, pool_taken, reward.amount)),
    }
}

fn largest_first_lazily(
    campaigns: &[Live],
    pools: &[PoolCounter],
    considered: &[usize],
    payment: &Payment,
    scratch: &mut Scratch,
) -> bool {
    let currency = payment.amount.currency;
    let scale = Money::scale(currency);
    scratch.left.clear();
    for (index, reward) in &scratch.order {
        match minor_units(reward.amount, scale) {
            Some(minor) if reward.currency == currency => {
                scratch.left.push((*index, *reward, minor));
            }
            Some(_) | None => return false,
        }
    }
    let mut total = Decimal::ZERO;
    while let Some(next) = largest(&scratch.left) {
        // The order of those left does not matter: ties go by draft index,
        // which is id order.
        let (index, reward, _) = scratch.left.swap_remove(next);
        let Some(position) = considered.get(index).copied() else {
            continue;
        };
        // Every campaign left combines with every one taken.
        let room = room(
            campaigns,
            pools,
            &scratch.pool_taken,
            position,
            total,
            reward,
            payment,
        );
        let Some(draft) = scratch.drafts.get_mut(index) else {
            continue;
        };
        match room.verdict() {
            Ok(sum) => {
                scratch.taken.push(index);
                if let Some(slot) = room.pool {
                    pools::take(&mut scratch.pool_taken, slot, reward.amount);
                }
                total = sum;
                let drafts = &mut scratch.drafts;
                scratch.left.retain(|(other, _, _)| {
                    let combines = considered
                        .get(*other)
                        .is_some_and(|other| combine(campaigns, position, *other));
                    if !combines && let Some(draft) = drafts.get_mut(*other) {
                        draft.outcome = Err(Reason::Stacking);
                    }
                    combines
                });
            }
            Err(reason) => draft.outcome = Err(reason),
        }
    }
    true
}

/// The place in `left` of the largest reward (ties: the lowest draft
/// index, the first in id order).
fn largest(left: &[(usize, Money, u64)]) -> Option<usize> {
    let mut best: Option<(usize, usize, u64)> = None;
    for (place, (index, _, minor)) in left.iter().enumerate() {
        let better = best.is_none_or(|(_, best_index, best_minor)| {
            *minor > best_minor || (*minor == best_minor && *index < best_index)
        });
        if better {
            best = Some((place, *index, *minor));
        }
    }
    best.map(|(place, _, _)| place)
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

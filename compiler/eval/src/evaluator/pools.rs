//! (v2) Pools: one budget that several campaigns of a fund share. The
//! evaluator keeps one counter per pool and currency; a campaign's reward
//! is paid only if its pool, with this payment counted, stays within its
//! budget (reason `pool`, after `budget`). In stacking, the campaigns of
//! one pool taken for the same payment share its room.

use super::*;

/// A pool's counter in one currency: its budget and what the campaigns
/// that draw from it have paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolCounter {
    pub pool: Id,
    pub budget: Money,
    pub spent: Decimal,
}

impl PoolCounter {
    /// What is left of the budget (never below zero).
    pub fn left(&self) -> Decimal {
        self.budget
            .amount
            .checked_sub(self.spent)
            .unwrap_or(Decimal::ZERO)
            .max(Decimal::ZERO)
    }

    /// Whether `reward` more (besides `pending`) stays within the budget.
    fn fits(&self, pending: Decimal, reward: Decimal) -> bool {
        self.spent
            .checked_add(pending)
            .and_then(|spent| spent.checked_add(reward))
            .is_some_and(|total| total <= self.budget.amount)
    }

    pub(super) fn add(&mut self, reward: Decimal) {
        self.spent = self.spent.checked_add(reward).unwrap_or(Decimal::MAX);
    }
}

/// One counter per pool and currency the campaigns draw from, sorted by
/// pool id then currency code; each campaign gets its counter's slot.
/// Campaigns of one pool and currency must give it the same budget.
pub(super) fn pool_counters(live: &mut [Live]) -> Result<Vec<PoolCounter>, EvalError> {
    let mut counters: Vec<(PoolCounter, String)> = Vec::new();
    for campaign in live.iter() {
        let Some(pool) = &campaign.campaign.pool else {
            continue;
        };
        match counters.iter().find(|(counter, _)| {
            counter.pool == pool.id && counter.budget.currency == pool.budget.currency
        }) {
            Some((counter, first)) if counter.budget != pool.budget => {
                return Err(EvalError::PoolBudgets {
                    id: campaign.campaign.id.as_str().to_string(),
                    pool: pool.id.as_str().to_string(),
                    found: pool.budget.to_string(),
                    first: format!("{} (campaign `{first}`)", counter.budget),
                });
            }
            Some(_) => {}
            None => counters.push((
                PoolCounter {
                    pool: pool.id.clone(),
                    budget: pool.budget,
                    spent: Decimal::ZERO,
                },
                campaign.campaign.id.as_str().to_string(),
            )),
        }
    }
    let mut counters: Vec<PoolCounter> = counters.into_iter().map(|(counter, _)| counter).collect();
    counters.sort_by(|a, b| {
        (a.pool.as_str(), a.budget.currency.code())
            .cmp(&(b.pool.as_str(), b.budget.currency.code()))
    });
    for campaign in live.iter_mut() {
        campaign.pool = campaign.campaign.pool.as_ref().and_then(|pool| {
            counters.iter().position(|counter| {
                counter.pool == pool.id && counter.budget.currency == pool.budget.currency
            })
        });
    }
    Ok(counters)
}

/// Step 3's last check, after the budget: a campaign that would pay has
/// its pool's room checked for its reward alone (the campaigns of the pool
/// stacking takes together are checked in [`fits_after`]). With
/// `EXPLAIN`, the pool's counter is written after the budget's for every
/// campaign that would otherwise pay.
pub(super) fn check<const EXPLAIN: bool>(
    campaigns: &[Live],
    pools: &[PoolCounter],
    considered: &[usize],
    scratch: &mut Scratch,
) {
    if pools.is_empty() {
        return;
    }
    for (index, position) in considered.iter().enumerate() {
        let Some(live) = campaigns.get(*position) else {
            continue;
        };
        let Some(counter) = live.pool.and_then(|slot| pools.get(slot)) else {
            continue;
        };
        let Some(draft) = scratch.drafts.get_mut(index) else {
            continue;
        };
        let Ok(reward) = draft.outcome else {
            continue;
        };
        let fits = counter.fits(Decimal::ZERO, reward.amount);
        if !fits {
            draft.outcome = Err(Reason::Pool);
        }
        if EXPLAIN && let Some(explanation) = scratch.explanations.get_mut(index) {
            explanation
                .counters
                .push(counter_check(counter, reward, fits));
        }
    }
}

fn counter_check(counter: &PoolCounter, reward: Money, fits: bool) -> CounterCheck {
    let currency = counter.budget.currency;
    CounterCheck {
        counter: Counter::Pool {
            pool: counter.pool.clone(),
        },
        used: Quantity::Money {
            money: Money::new(counter.spent, currency),
        },
        adding: Quantity::Money { money: reward },
        bound: Quantity::Money {
            money: counter.budget,
        },
        left: Quantity::Money {
            money: Money::new(counter.left(), currency),
        },
        fits,
    }
}

/// Whether the pool at `slot`, with what stacking already took from it for
/// this payment (`taken`), has room for `reward` more.
pub(super) fn fits_after(
    pools: &[PoolCounter],
    slot: usize,
    taken: &[(usize, Decimal)],
    reward: Decimal,
) -> bool {
    let pending = taken
        .iter()
        .filter(|(taken_slot, _)| *taken_slot == slot)
        .fold(Decimal::ZERO, |sum, (_, amount)| {
            sum.checked_add(*amount).unwrap_or(Decimal::MAX)
        });
    pools
        .get(slot)
        .is_some_and(|counter| counter.fits(pending, reward))
}

/// Records that stacking took `reward` from the pool at `slot`.
pub(super) fn take(taken: &mut Vec<(usize, Decimal)>, slot: usize, reward: Decimal) {
    match taken.iter_mut().find(|(taken_slot, _)| *taken_slot == slot) {
        Some((_, amount)) => *amount = amount.checked_add(reward).unwrap_or(Decimal::MAX),
        None => taken.push((slot, reward)),
    }
}

//! One live campaign's part of a decision: eligibility, the reward, the
//! checks of its guards, limits and budget, and the counters it keeps.

use super::*;

impl Live {
    pub(super) fn new(campaign: Campaign) -> Result<Live, EvalError> {
        let zone = zone(&campaign.window.zone).ok_or_else(|| EvalError::UnknownZone {
            id: campaign.id.as_str().to_string(),
            zone: campaign.window.zone.clone(),
        })?;
        let form = campaign.reward.form.meaning();
        let max_per_use = campaign
            .fund
            .max_per_use
            .iter()
            .find(|money| money.currency == campaign.currency.0)
            .copied();
        let mut stage_ends = Vec::new();
        let mut start = Some(campaign.window.start.0);
        for stage in campaign.rollout.iter().flat_map(|stages| stages.as_slice()) {
            let end = match (start, stage.duration_seconds) {
                (Some(start), Some(seconds)) => i64::try_from(seconds)
                    .ok()
                    .and_then(|seconds| start.checked_add(SignedDuration::from_secs(seconds)).ok()),
                (None, _) | (_, None) => None,
            };
            stage_ends.push(end);
            start = end;
        }
        let partners = match &campaign.stacking {
            camp_ir::types::Stacking::Exclusive => BTreeSet::new(),
            camp_ir::types::Stacking::StacksWith { campaigns } => {
                campaigns.as_slice().iter().cloned().collect()
            }
        };
        let state = State {
            limits: vec![HashMap::new(); campaign.limits.len()],
            guards: vec![Trail::default(); campaign.guards.len()],
            ..State::default()
        };
        Ok(Live {
            campaign,
            zone,
            form,
            max_per_use,
            stage_ends,
            partners,
            state,
        })
    }

    /// Mutual consent: each lists the other.
    pub(super) fn combines_with(&self, other: &Live) -> bool {
        self.partners.contains(&other.campaign.id) && other.partners.contains(&self.campaign.id)
    }

    /// Steps 1 to 3 for this campaign: eligibility, the reward, the guards,
    /// limits and budget.
    pub(super) fn assess(&self, payment: &Payment) -> Draft {
        let campaign = &self.campaign;
        let mut explanation = Explanation::default();
        let currency = payment.amount.currency;
        if currency != campaign.currency.0 {
            explanation.mismatch = Some(Mismatch::Currency {
                payment: camp_ir::types::CurrencyCode(currency),
                campaign: campaign.currency,
            });
            return Draft::no(Reason::Currency, explanation);
        }
        if payment.instant < campaign.window.start || payment.instant >= campaign.window.end {
            explanation.mismatch = Some(Mismatch::Window {
                instant: payment.instant,
                local: LocalDateTime(self.zone.to_datetime(payment.instant.0)),
                start: campaign.window.start,
                end: campaign.window.end,
            });
            return Draft::no(Reason::Window, explanation);
        }
        if let Some((field, value)) = scope_mismatch(campaign, payment) {
            explanation.mismatch = Some(Mismatch::Scope { field, value });
            return Draft::no(Reason::Scope, explanation);
        }
        if let Some(min_spend) = campaign.reward.min_spend
            && payment.amount.amount < min_spend.amount
        {
            explanation.mismatch = Some(Mismatch::MinSpend {
                min_spend,
                amount: payment.amount,
            });
            return Draft::no(Reason::MinSpend, explanation);
        }

        let reward = self.reward(payment);
        let amount = reward.amount;
        explanation.reward = Some(reward);
        if amount.amount <= Decimal::ZERO {
            return Draft::no(Reason::Reward, explanation);
        }

        if let Some(check) = self.rollout(payment) {
            let admitted = check.admitted;
            explanation.rollout = Some(check);
            if !admitted {
                return Draft::no(Reason::Rollout, explanation);
            }
        }

        if let Some(halt) = &self.state.halted {
            explanation.halted = Some(halt.clone());
            return Draft::no(Reason::Guard, explanation);
        }
        explanation.guards = self.guards(payment, amount);
        let trips = explanation
            .guards
            .iter()
            .find(|check| check.trips)
            .map(|check| check.index);

        let (keys, mut counters) = self.limits(payment, amount);
        let limit_over = counters.iter().any(|check| !check.fits);
        let budget = self.budget(amount);
        let budget_over = !budget.fits;
        counters.push(budget);
        explanation.counters = counters;

        let outcome = if trips.is_some() {
            Err(Reason::Guard)
        } else if limit_over {
            Err(Reason::Limit)
        } else if budget_over {
            Err(Reason::Budget)
        } else {
            Ok(amount)
        };
        Draft {
            outcome,
            explanation,
            keys,
            trips,
        }
    }

    /// Step 2: the form's amount for the payment, rounded down, at most
    /// the payment, at most the fund's `max_per_use`.
    pub(super) fn reward(&self, payment: &Payment) -> RewardExplanation {
        let currency = payment.amount.currency;
        let ir = |money: camp_ir::lang::money::Money| Money::new(money.amount, money.currency);
        // The draw only a random amount uses.
        let draw = match &self.form {
            FormMeaning::Random { .. } => {
                first_u64(&format!("{}/{}", self.campaign.id.as_str(), payment.id))
            }
            FormMeaning::Fixed(_) | FormMeaning::Percent { .. } | FormMeaning::Tiers(_) => 0,
        };
        let nothing = |arithmetic| RewardExplanation {
            arithmetic,
            form_amount: None,
            cut_to_payment: None,
            cut_to_max_per_use: None,
            amount: Money::new(Decimal::ZERO, currency),
        };
        let (amount, arithmetic) = match self.form.reward_for(payment.amount.meaning(), draw) {
            None => return nothing(Arithmetic::Overflow),
            Some(FormReward::BelowLowestTier { lowest }) => {
                return nothing(Arithmetic::BelowLowestTier { lowest: ir(lowest) });
            }
            Some(FormReward::Pays { amount, arithmetic }) => (ir(amount), arithmetic),
        };
        let arithmetic = Arithmetic::of_form(arithmetic);
        let mut reward = amount.amount;
        let mut cut_to_payment = None;
        if reward > payment.amount.amount {
            reward = payment.amount.amount;
            cut_to_payment = Some(payment.amount);
        }
        let mut cut_to_max_per_use = None;
        if let Some(max) = self.max_per_use
            && reward > max.amount
        {
            reward = max.amount;
            cut_to_max_per_use = Some(max);
        }
        RewardExplanation {
            arithmetic,
            form_amount: Some(amount),
            cut_to_payment,
            cut_to_max_per_use,
            amount: Money::new(reward, currency),
        }
    }

    /// The stage live at the payment's instant and whether it admits the
    /// user; `None` without a rollout.
    pub(super) fn rollout(&self, payment: &Payment) -> Option<RolloutCheck> {
        let stages = self.campaign.rollout.as_ref()?.as_slice();
        // The first stage not yet over; past every stage's end, the last
        // stays live.
        let index = self
            .stage_ends
            .iter()
            .position(|end| end.is_none_or(|end| payment.instant.0 < end))
            .unwrap_or(stages.len().saturating_sub(1));
        let stage = stages.get(index)?;
        let (bucket, admitted) = match &stage.target {
            StageTarget::Segment { segment } => (None, payment.segments.contains(segment)),
            StageTarget::Percent { share } => match &payment.user {
                None => (None, false),
                Some(user) => {
                    let bucket =
                        first_u64(&format!("{}/{user}", self.campaign.id.as_str())) % BUCKETS;
                    let admitted = share
                        .fraction()
                        .checked_mul(Decimal::from(BUCKETS))
                        .is_some_and(|threshold| Decimal::from(bucket) < threshold);
                    (Some(bucket), admitted)
                }
            },
        };
        Some(RolloutCheck {
            stage: index,
            target: stage.clone(),
            bucket,
            admitted,
        })
    }

    pub(super) fn guards(&self, payment: &Payment, reward: Money) -> Vec<GuardCheck> {
        self.campaign
            .guards
            .iter()
            .enumerate()
            .map(|(index, guard)| {
                let trailing = self
                    .state
                    .guards
                    .get(index)
                    .map(|trail| trail.within(payment.instant.0, guard.per_seconds))
                    .unwrap_or_default();
                let (trailing, adding, trips) = match &guard.metric {
                    GuardMetric::Spend { above } => (
                        Quantity::Money {
                            money: Money::new(trailing.money, reward.currency),
                        },
                        Quantity::Money { money: reward },
                        trailing
                            .money
                            .checked_add(reward.amount)
                            .is_none_or(|spend| spend > above.amount),
                    ),
                    GuardMetric::Redemptions { above } => (
                        Quantity::Count {
                            count: trailing.count,
                        },
                        Quantity::Count { count: 1 },
                        trailing
                            .count
                            .checked_add(1)
                            .is_none_or(|count| count > *above),
                    ),
                };
                GuardCheck {
                    index,
                    guard: guard.clone(),
                    trailing,
                    adding,
                    trips,
                }
            })
            .collect()
    }

    /// Each limit's counter with this payment counted, and its key.
    pub(super) fn limits(
        &self,
        payment: &Payment,
        reward: Money,
    ) -> (Vec<Option<Key>>, Vec<CounterCheck>) {
        let mut keys = Vec::with_capacity(self.campaign.limits.len());
        let mut checks = Vec::with_capacity(self.campaign.limits.len());
        for (index, limit) in self.campaign.limits.iter().enumerate() {
            let counter_key = match limit.dimension {
                None => CounterKey::Campaign,
                Some(dimension) => match dimension_value(payment, dimension) {
                    Some(value) => CounterKey::Of { value },
                    None => CounterKey::Missing,
                },
            };
            let period_start = limit
                .period
                .map(|period| period_start(&self.zone, payment.instant.0, period));
            let key: Option<Key> = match &counter_key {
                CounterKey::Campaign => Some((None, period_start)),
                CounterKey::Of { value } => Some((Some(value.clone()), period_start)),
                CounterKey::Missing => None,
            };
            let used = key
                .as_ref()
                .and_then(|key| self.state.limits.get(index)?.get(key))
                .copied()
                .unwrap_or_default();
            let countable = key.is_some();
            let (used_quantity, adding, bound, left, fits) = match &limit.amount {
                LimitAmount::Count { count } => (
                    Quantity::Count { count: used.count },
                    Quantity::Count { count: 1 },
                    Quantity::Count { count: *count },
                    Quantity::Count {
                        count: count.saturating_sub(used.count),
                    },
                    countable && used.count.checked_add(1).is_some_and(|n| n <= *count),
                ),
                LimitAmount::Money { money } => (
                    Quantity::Money {
                        money: Money::new(used.money, money.currency),
                    },
                    Quantity::Money { money: reward },
                    Quantity::Money { money: *money },
                    Quantity::Money {
                        money: Money::new(
                            money
                                .amount
                                .checked_sub(used.money)
                                .unwrap_or(Decimal::ZERO)
                                .max(Decimal::ZERO),
                            money.currency,
                        ),
                    },
                    countable
                        && used
                            .money
                            .checked_add(reward.amount)
                            .is_some_and(|total| total <= money.amount),
                ),
            };
            checks.push(CounterCheck {
                counter: Counter::Limit {
                    index,
                    limit: limit.clone(),
                    key: counter_key,
                    period_start: period_start.map(LocalDateTime),
                },
                used: used_quantity,
                adding,
                bound,
                left,
                fits,
            });
            keys.push(key);
        }
        (keys, checks)
    }

    pub(super) fn budget(&self, reward: Money) -> CounterCheck {
        let budget = self.campaign.budget;
        CounterCheck {
            counter: Counter::Budget,
            used: Quantity::Money {
                money: Money::new(self.state.spent, budget.currency),
            },
            adding: Quantity::Money { money: reward },
            bound: Quantity::Money { money: budget },
            left: Quantity::Money {
                money: Money::new(
                    budget
                        .amount
                        .checked_sub(self.state.spent)
                        .unwrap_or(Decimal::ZERO)
                        .max(Decimal::ZERO),
                    budget.currency,
                ),
            },
            fits: self
                .state
                .spent
                .checked_add(reward.amount)
                .is_some_and(|total| total <= budget.amount),
        }
    }

    /// Counts a payment this campaign pays.
    pub(super) fn commit(&mut self, payment: &Payment, reward: Decimal, keys: &[Option<Key>]) {
        let state = &mut self.state;
        state.spent = state.spent.checked_add(reward).unwrap_or(Decimal::MAX);
        state.redemptions = state.redemptions.saturating_add(1);
        for (counters, key) in state.limits.iter_mut().zip(keys) {
            if let Some(key) = key {
                let used = counters.entry(key.clone()).or_default();
                *used = used.add(reward).unwrap_or(Used {
                    count: u64::MAX,
                    money: Decimal::MAX,
                });
            }
        }
        for (trail, guard) in state.guards.iter_mut().zip(&self.campaign.guards) {
            trail.record(payment.instant.0, reward, guard.per_seconds);
        }
    }

    pub(super) fn counters(&self) -> Counters {
        let currency = self.campaign.currency.0;
        Counters {
            campaign: self.campaign.id.clone(),
            spent: Money::new(self.state.spent, currency),
            redemptions: self.state.redemptions,
            limits: self
                .state
                .limits
                .iter()
                .map(|counters| {
                    counters
                        .iter()
                        .map(|((value, start), used)| {
                            (
                                (value.clone(), start.map(LocalDateTime)),
                                (used.count, used.money),
                            )
                        })
                        .collect()
                })
                .collect(),
            guards: self
                .state
                .guards
                .iter()
                .map(|trail| {
                    trail
                        .events
                        .iter()
                        .map(|(at, used)| (at.to_string(), used.count, used.money))
                        .collect()
                })
                .collect(),
            halted: self.state.halted.clone(),
        }
    }
}

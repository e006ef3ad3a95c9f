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
        let campaign_min_spend_minor = campaign.reward.min_spend.and_then(|min_spend| {
            stacking::minor_units(min_spend.amount, Money::scale(min_spend.currency))
        });
        let state = State {
            limits: vec![LimitCounters::default(); campaign.limits.len()],
            guards: vec![Trail::default(); campaign.guards.len()],
            spent_minor: Some(0),
            ..State::default()
        };
        let fast = fast::Fast::new(&campaign, &form, max_per_use);
        Ok(Live {
            campaign,
            zone,
            form,
            max_per_use,
            stage_ends,
            // Set by `Evaluator::new`, which knows every campaign's place.
            partners: Vec::new(),
            // Set by `Evaluator::new`, which numbers every campaign's names.
            scope: CompiledScope::default(),
            zone_slot: 0,
            state,
            // Set by `Evaluator::new`, which gathers the pools.
            pool: None,
            // Set by `Evaluator::new`, which numbers the dimensions.
            value_slots: Vec::new(),
            // Set by `Evaluator::new`, which numbers every campaign's limits.
            limit_base: 0,
            min_spend_minor: campaign_min_spend_minor,
            fast,
        })
    }

    /// Steps 1 to 3 for this campaign: eligibility, the reward, the guards,
    /// limits and budget. With `EXPLAIN`, the checks are written into
    /// `explanation` as they are made; without, `explanation` is left as
    /// it is and nothing is built for it. The checks and their order are
    /// the same in both modes.
    pub(super) fn assess<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        scope: &mut PaymentScope,
        values: &Values,
        explanation: &mut Explanation,
    ) -> Draft {
        let campaign = &self.campaign;
        let currency = payment.amount.currency;
        if currency != campaign.currency.0 {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Currency {
                    payment: camp_ir::types::CurrencyCode(currency),
                    campaign: campaign.currency,
                });
            }
            return Draft::no(Reason::Currency);
        }
        if payment.instant < campaign.window.start || payment.instant >= campaign.window.end {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Window {
                    instant: payment.instant,
                    local: LocalDateTime(self.zone.to_datetime(payment.instant.0)),
                    start: campaign.window.start,
                    end: campaign.window.end,
                });
            }
            return Draft::no(Reason::Window);
        }
        if !self.scheduled(payment, scope) {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Schedule {
                    local: LocalDateTime(scope.local(
                        self.zone_slot,
                        &self.zone,
                        payment.instant.0,
                    )),
                });
            }
            return Draft::no(Reason::Schedule);
        }
        // Only campaigns the index considers are assessed (the tests'
        // debug builds check that it spares only checks that pass).
        debug_assert_eq!(
            self.scope.mismatch(scope, false),
            self.scope.mismatch(scope, true)
        );
        if let Some(field) = self.scope.mismatch(scope, true) {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::Scope {
                    field,
                    value: scope_value(field, payment),
                });
            }
            return Draft::no(Reason::Scope);
        }
        if let Some(min_spend) = campaign.reward.min_spend
            && match (scope.minor, self.min_spend_minor) {
                // Both in minor units of the one currency.
                (Some(paid), Some(min_spend)) => paid < min_spend,
                (None, _) | (_, None) => payment.amount.amount < min_spend.amount,
            }
        {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::MinSpend {
                    min_spend,
                    amount: payment.amount,
                });
            }
            return Draft::no(Reason::MinSpend);
        }
        if let Some(max_spend) = campaign.reward.max_spend
            && payment.amount.amount > max_spend.amount
        {
            if EXPLAIN {
                explanation.mismatch = Some(Mismatch::MaxSpend {
                    max_spend,
                    amount: payment.amount,
                });
            }
            return Draft::no(Reason::MaxSpend);
        }

        // Without an explanation, in integers where that gives the same
        // decimal (checked against the general path in debug builds).
        let fast = if EXPLAIN {
            None
        } else {
            self.fast_reward(payment, scope.minor)
        };
        let amount = match fast {
            Some(amount) => {
                debug_assert_eq!(
                    amount.amount.serialize(),
                    self.reward::<false>(payment, explanation)
                        .amount
                        .serialize()
                );
                amount
            }
            None => self.reward::<EXPLAIN>(payment, explanation),
        };
        if amount.amount.is_zero() || amount.amount.is_sign_negative() {
            return Draft::no(Reason::Reward);
        }

        if !self.rollout::<EXPLAIN>(payment, explanation) {
            return Draft::no(Reason::Rollout);
        }
        if !self.holds_coupon::<EXPLAIN>(payment, explanation) {
            return Draft::no(Reason::Claim);
        }

        if let Some(halt) = &self.state.halted {
            if EXPLAIN {
                explanation.halted = Some(halt.clone());
            }
            return Draft::no(Reason::Guard);
        }
        let trips = self.guards::<EXPLAIN>(payment, amount, explanation);
        // Without explanations, the first check that fails decides: the
        // ones after it are not made (with them, all three are shown).
        if !EXPLAIN && trips.is_some() {
            return Draft {
                outcome: Err(Reason::Guard),
                trips,
            };
        }
        let limits_fit = self.limits::<EXPLAIN>(payment, scope, values, amount, explanation);
        if !EXPLAIN && !limits_fit {
            return Draft::no(Reason::Limit);
        }
        let budget_fits = self.budget::<EXPLAIN>(amount, explanation);

        let outcome = if trips.is_some() {
            Err(Reason::Guard)
        } else if !limits_fit {
            Err(Reason::Limit)
        } else if !budget_fits {
            Err(Reason::Budget)
        } else {
            Ok(amount)
        };
        Draft { outcome, trips }
    }

    /// Step 2: the form's amount for the payment, rounded down, at most
    /// the payment, at most the fund's `max_per_use`.
    pub(super) fn reward<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        explanation: &mut Explanation,
    ) -> Money {
        let currency = payment.amount.currency;
        let ir = |money: camp_ir::lang::money::Money| Money::new(money.amount, money.currency);
        let zero = Money::new(Decimal::ZERO, currency);
        // The draw only a random amount uses.
        let draw = match &self.form {
            FormMeaning::Random { .. } => first_u64(&[self.campaign.id.as_str(), &payment.id]),
            FormMeaning::Fixed(_)
            | FormMeaning::Percent { .. }
            | FormMeaning::Tiers(_)
            | FormMeaning::Every { .. }
            | FormMeaning::Price { .. } => 0,
        };
        let mut nothing = |arithmetic: fn() -> Arithmetic| {
            if EXPLAIN {
                explanation.reward = Some(RewardExplanation {
                    arithmetic: arithmetic(),
                    form_amount: None,
                    cut_to_payment: None,
                    cut_to_max_per_use: None,
                    amount: zero,
                });
            }
            zero
        };
        let (amount, arithmetic) = match self.form.reward_for(payment.amount.meaning(), draw) {
            None => return nothing(|| Arithmetic::Overflow),
            Some(FormReward::BelowLowestTier { lowest }) => {
                if EXPLAIN {
                    explanation.reward = Some(RewardExplanation {
                        arithmetic: Arithmetic::BelowLowestTier { lowest: ir(lowest) },
                        form_amount: None,
                        cut_to_payment: None,
                        cut_to_max_per_use: None,
                        amount: zero,
                    });
                }
                return zero;
            }
            Some(FormReward::BelowStep { step }) => {
                if EXPLAIN {
                    explanation.reward = Some(RewardExplanation {
                        arithmetic: Arithmetic::BelowStep { step: ir(step) },
                        form_amount: None,
                        cut_to_payment: None,
                        cut_to_max_per_use: None,
                        amount: zero,
                    });
                }
                return zero;
            }
            Some(FormReward::AtOrBelowPrice { price }) => {
                if EXPLAIN {
                    explanation.reward = Some(RewardExplanation {
                        arithmetic: Arithmetic::AtOrBelowPrice { price: ir(price) },
                        form_amount: None,
                        cut_to_payment: None,
                        cut_to_max_per_use: None,
                        amount: zero,
                    });
                }
                return zero;
            }
            Some(FormReward::Pays { amount, arithmetic }) => (ir(amount), arithmetic),
        };
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
        let reward = Money::new(reward, currency);
        if EXPLAIN {
            explanation.reward = Some(RewardExplanation {
                arithmetic: Arithmetic::of_form(arithmetic),
                form_amount: Some(amount),
                cut_to_payment,
                cut_to_max_per_use,
                amount: reward,
            });
        }
        reward
    }

    /// Whether the rollout stage live at the payment's instant admits the
    /// user; `true` without a rollout.
    pub(super) fn rollout<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        explanation: &mut Explanation,
    ) -> bool {
        let Some(stages) = self
            .campaign
            .rollout
            .as_ref()
            .map(|stages| stages.as_slice())
        else {
            return true;
        };
        // The first stage not yet over; past every stage's end, the last
        // stays live.
        let index = self
            .stage_ends
            .iter()
            .position(|end| end.is_none_or(|end| payment.instant.0 < end))
            .unwrap_or(stages.len().saturating_sub(1));
        let Some(stage) = stages.get(index) else {
            return true;
        };
        let (bucket, admitted) = match &stage.target {
            StageTarget::Segment { segment } => (None, payment.segments.contains(segment)),
            StageTarget::Percent { share } => match &payment.user {
                None => (None, false),
                // In integers, the share's bucket bound computed at load.
                Some(user)
                    if !EXPLAIN
                        && let Some(admitted) = self.fast.admits(index, || {
                            first_u64(&[self.campaign.id.as_str(), user]) % BUCKETS
                        }) =>
                {
                    debug_assert_eq!(
                        admitted,
                        share.fraction() >= Decimal::ONE
                            || share
                                .fraction()
                                .checked_mul(Decimal::from(BUCKETS))
                                .is_some_and(|threshold| {
                                    Decimal::from(
                                        first_u64(&[self.campaign.id.as_str(), user]) % BUCKETS,
                                    ) < threshold
                                })
                    );
                    (None, admitted)
                }
                // Every bucket is below a share of 100%: without an
                // explanation to show the bucket, no hash is needed.
                Some(_) if !EXPLAIN && share.fraction() >= Decimal::ONE => (None, true),
                Some(user) => {
                    let bucket = first_u64(&[self.campaign.id.as_str(), user]) % BUCKETS;
                    let admitted = share
                        .fraction()
                        .checked_mul(Decimal::from(BUCKETS))
                        .is_some_and(|threshold| Decimal::from(bucket) < threshold);
                    (Some(bucket), admitted)
                }
            },
        };
        if EXPLAIN {
            explanation.rollout = Some(RolloutCheck {
                stage: index,
                target: stage.clone(),
                bucket,
                admitted,
            });
        }
        admitted
    }

    /// The first guard this payment would exceed.
    pub(super) fn guards<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        reward: Money,
        explanation: &mut Explanation,
    ) -> Option<usize> {
        let mut first = None;
        for (index, guard) in self.campaign.guards.iter().enumerate() {
            let trailing = self
                .state
                .guards
                .get(index)
                .map(|trail| trail.within(payment.instant.0, guard.per_seconds))
                .unwrap_or_default();
            let trips = match &guard.metric {
                GuardMetric::Spend { above } => trailing
                    .money
                    .checked_add(reward.amount)
                    .is_none_or(|spend| spend > above.amount),
                GuardMetric::Redemptions { above } => trailing
                    .count
                    .checked_add(1)
                    .is_none_or(|count| count > *above),
            };
            if trips && first.is_none() {
                first = Some(index);
            }
            if EXPLAIN {
                let (trailing, adding) = match &guard.metric {
                    GuardMetric::Spend { .. } => (
                        Quantity::Money {
                            money: Money::new(trailing.money, reward.currency),
                        },
                        Quantity::Money { money: reward },
                    ),
                    GuardMetric::Redemptions { .. } => (
                        Quantity::Count {
                            count: trailing.count,
                        },
                        Quantity::Count { count: 1 },
                    ),
                };
                explanation.guards.push(GuardCheck {
                    index,
                    guard: guard.clone(),
                    trailing,
                    adding,
                    trips,
                });
            }
        }
        first
    }

    /// Whether the payment's local time is on a scheduled day and in a
    /// scheduled time range (always, without a schedule).
    pub(super) fn scheduled(&self, payment: &Payment, scope: &mut PaymentScope) -> bool {
        self.campaign.schedule.is_none()
            || on_schedule(
                self.campaign.schedule.as_ref(),
                scope.local(self.zone_slot, &self.zone, payment.instant.0),
            )
    }

    /// Whether every limit's counter fits this payment.
    pub(super) fn limits<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        scope: &mut PaymentScope,
        values: &Values,
        reward: Money,
        explanation: &mut Explanation,
    ) -> bool {
        let mut all_fit = true;
        for (index, limit) in self.campaign.limits.iter().enumerate() {
            let (period_start, period) = if EXPLAIN {
                self.period(limit, payment, scope)
            } else {
                (None, self.period_code(limit, payment, scope))
            };
            let slot = self.value_slots.get(index).copied().flatten();
            // `None`: the payment has no value to count it by.
            let used = match slot.map(|slot| scope.value(slot)) {
                None => Some(
                    self.state
                        .limits
                        .get(index)
                        .map(|counters| counters.get(period))
                        .unwrap_or_default(),
                ),
                Some(ValueSlot::Missing) => None,
                // A value no limit counted yet has counted nothing.
                Some(ValueSlot::New) => Some(Used::default()),
                Some(ValueSlot::Known(number)) => {
                    Some(values.used(number, self.limit_key(index), period))
                }
            };
            let countable = used.is_some();
            let used = used.unwrap_or_default();
            let fits = match &limit.amount {
                LimitAmount::Count { count } => {
                    countable && used.count.checked_add(1).is_some_and(|n| n <= *count)
                }
                LimitAmount::Money { money } => {
                    countable
                        && used
                            .money
                            .checked_add(reward.amount)
                            .is_some_and(|total| total <= money.amount)
                }
            };
            all_fit &= fits;
            if EXPLAIN {
                let key = match (limit.dimension, limit_value(limit, payment)) {
                    (None, _) => CounterKey::Campaign,
                    (Some(_), Some(value)) => CounterKey::Of {
                        value: value.to_string(),
                    },
                    (Some(_), None) => CounterKey::Missing,
                };
                let (used_quantity, adding, bound, left) = match &limit.amount {
                    LimitAmount::Count { count } => (
                        Quantity::Count { count: used.count },
                        Quantity::Count { count: 1 },
                        Quantity::Count { count: *count },
                        Quantity::Count {
                            count: count.saturating_sub(used.count),
                        },
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
                    ),
                };
                explanation.counters.push(CounterCheck {
                    counter: Counter::Limit {
                        index,
                        limit: limit.clone(),
                        key,
                        period_start: period_start.map(LocalDateTime),
                    },
                    used: used_quantity,
                    adding,
                    bound,
                    left,
                    fits,
                });
            }
        }
        all_fit
    }

    /// The calendar period of `limit` holding the payment's instant: its
    /// start (`None`: the limit counts over the window) and its number
    /// ([`WINDOW`] for the window).
    pub(super) fn period(
        &self,
        limit: &camp_ir::types::Limit,
        payment: &Payment,
        scope: &mut PaymentScope,
    ) -> (Option<DateTime>, u32) {
        match limit.period {
            None => (None, WINDOW),
            Some(period) => {
                let (start, code) =
                    scope.period_start(self.zone_slot, &self.zone, payment.instant.0, period);
                (Some(start), code)
            }
        }
    }

    /// The number of `limit`'s period holding the payment's instant
    /// ([`Live::period`]'s number alone).
    #[inline]
    pub(super) fn period_code(
        &self,
        limit: &camp_ir::types::Limit,
        payment: &Payment,
        scope: &mut PaymentScope,
    ) -> u32 {
        match limit.period {
            None => WINDOW,
            Some(period) => {
                let place = self
                    .zone_slot
                    .saturating_mul(4)
                    .saturating_add(scope::period_place(period));
                match scope.periods.get(place) {
                    Some(Some((_, code))) => *code,
                    _ => {
                        scope
                            .period_start(self.zone_slot, &self.zone, payment.instant.0, period)
                            .1
                    }
                }
            }
        }
    }

    /// The number of the limit at `index` among all the campaigns' limits.
    fn limit_key(&self, index: usize) -> u32 {
        self.limit_base
            .saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// Whether the budget fits this payment (written after the limits).
    pub(super) fn budget<const EXPLAIN: bool>(
        &self,
        reward: Money,
        explanation: &mut Explanation,
    ) -> bool {
        let budget = self.campaign.budget;
        if !EXPLAIN && let Some(fits) = self.fast_budget(reward) {
            debug_assert_eq!(
                fits,
                self.state
                    .spent
                    .checked_add(reward.amount)
                    .is_some_and(|total| total <= budget.amount)
            );
            return fits;
        }
        let fits = self
            .state
            .spent
            .checked_add(reward.amount)
            .is_some_and(|total| total <= budget.amount);
        if EXPLAIN {
            explanation.counters.push(CounterCheck {
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
                fits,
            });
        }
        fits
    }

    /// Counts a payment this campaign pays (the payment's values are
    /// numbered before: [`PaymentScope::number_values`]).
    pub(super) fn commit(
        &mut self,
        payment: &Payment,
        scope: &mut PaymentScope,
        values: &mut Values,
        reward: Decimal,
    ) {
        for index in 0..self.campaign.limits.len() {
            let Some(limit) = self.campaign.limits.get(index) else {
                continue;
            };
            let period = self.period_code(limit, payment, scope);
            match self
                .value_slots
                .get(index)
                .copied()
                .flatten()
                .map(|slot| scope.value(slot))
            {
                None => {
                    if let Some(counters) = self.state.limits.get_mut(index) {
                        counters.add(period, reward);
                    }
                }
                Some(ValueSlot::Known(number)) => {
                    values.add(number, self.limit_key(index), period, reward);
                }
                // Not countable (or, numbered before, never `New`).
                Some(ValueSlot::Missing | ValueSlot::New) => {}
            }
        }
        self.use_coupon(payment);
        let state = &mut self.state;
        state.spent = state.spent.checked_add(reward).unwrap_or(Decimal::MAX);
        state.spent_minor = state
            .spent_minor
            .and_then(|spent| spent.checked_add(stacking::minor_units(reward, self.fast.scale())?));
        state.redemptions = state.redemptions.saturating_add(1);
        for (trail, guard) in state.guards.iter_mut().zip(&self.campaign.guards) {
            trail.record(payment.instant.0, reward, guard.per_seconds);
        }
    }

    /// Its counters for inspection; `of_values`: the counters by value of
    /// its limits, by the limit's index (see [`Evaluator::counters`]).
    pub(super) fn counters(
        &self,
        values: &Values,
        of_values: &HashMap<u32, Vec<(u32, u32, Used)>>,
    ) -> Counters {
        let currency = self.campaign.currency.0;
        Counters {
            campaign: self.campaign.id.clone(),
            spent: Money::new(self.state.spent, currency),
            redemptions: self.state.redemptions,
            limits: self
                .state
                .limits
                .iter()
                .enumerate()
                .map(|(index, counters)| {
                    let campaign = counters
                        .campaign
                        .iter()
                        .map(|(period, used)| (None, *period, *used));
                    let of = of_values
                        .get(&self.limit_key(index))
                        .into_iter()
                        .flatten()
                        .map(|(value, period, used)| {
                            (values.name(*value).map(str::to_string), *period, *used)
                        });
                    campaign
                        .chain(of)
                        .map(|(value, period, used)| {
                            (
                                (value, counters::period_from_code(period).map(LocalDateTime)),
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
            coupons_claimed: self.coupons_claimed(),
        }
    }
}

//! The counters a decision reads and moves: limits per key and period,
//! money used, guard trails, and a campaign's draft before it is paid.

use super::*;

impl LimitCounters {
    /// The counter of the whole campaign (`value` `None`) or of a value's
    /// number, for the period starting at `start`.
    pub(super) fn get(&self, value: Option<u32>, start: Option<DateTime>) -> Used {
        match value {
            None => self.campaign.get(&start),
            Some(value) => self.of.get(&(value, start)),
        }
        .copied()
        .unwrap_or_default()
    }

    pub(super) fn add(&mut self, value: Option<u32>, start: Option<DateTime>, amount: Decimal) {
        let used = match value {
            None => self.campaign.entry(start).or_default(),
            Some(value) => self.of.entry((value, start)).or_default(),
        };
        *used = used.add(amount).unwrap_or(Used {
            count: u64::MAX,
            money: Decimal::MAX,
        });
    }

    pub(super) fn entries<'a>(
        &'a self,
        values: &'a Values,
    ) -> impl Iterator<Item = (Option<&'a str>, Option<DateTime>, Used)> {
        let campaign = self
            .campaign
            .iter()
            .map(|(start, used)| (None, *start, *used));
        let of = self
            .of
            .iter()
            .map(|((value, start), used)| (values.name(*value), *start, *used));
        campaign.chain(of)
    }
}

impl Values {
    pub(super) fn find(&self, value: &str) -> Option<u32> {
        self.numbers.get(value).copied()
    }

    pub(super) fn number(&mut self, value: &str) -> u32 {
        if let Some(number) = self.find(value) {
            return number;
        }
        let number = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.numbers.insert(value.into(), number);
        self.names.push(value.into());
        number
    }

    pub(super) fn name(&self, number: u32) -> Option<&str> {
        usize::try_from(number)
            .ok()
            .and_then(|number| self.names.get(number))
            .map(|name| &**name)
    }
}

impl PaymentScope {
    /// The payment's value numbers, for each dimension (or, v2, list of
    /// dimensions) limits count by.
    pub(super) fn fill_values(&mut self, values: &Values, payment: &Payment) {
        self.values.clear();
        self.values.extend(
            values
                .dimensions
                .iter()
                .enumerate()
                .map(|(slot, dimensions)| {
                    let number =
                        key_value(dimensions, payment).and_then(|value| values.find(&value));
                    (slot, number)
                }),
        );
    }

    /// Numbers the payment's values no limit counted yet (before a
    /// campaign counts the payment).
    pub(super) fn number_values(&mut self, values: &mut Values, payment: &Payment) {
        for (slot, number) in &mut self.values {
            if number.is_none()
                && let Some(value) = values
                    .dimensions
                    .get(*slot)
                    .and_then(|dimensions| key_value(dimensions, payment))
            {
                *number = Some(values.number(&value));
            }
        }
    }

    /// The number of the payment's value for the dimensions at `slot`
    /// among those limits count by; `None` when it has none or no limit
    /// counted it yet.
    pub(super) fn value(&self, slot: Option<usize>) -> Option<u32> {
        slot.and_then(|slot| self.values.get(slot))
            .and_then(|(_, number)| *number)
    }
}

impl Used {
    pub(super) fn add(self, amount: Decimal) -> Option<Used> {
        Some(Used {
            count: self.count.checked_add(1)?,
            money: self.money.checked_add(amount)?,
        })
    }
}

impl Trail {
    /// What was paid within `(at − seconds, at]`.
    pub(super) fn within(&self, at: Timestamp, seconds: u64) -> Used {
        let from = i64::try_from(seconds)
            .ok()
            .and_then(|seconds| at.checked_sub(SignedDuration::from_secs(seconds)).ok())
            .map_or(Bound::Unbounded, Bound::Excluded);
        self.events
            .range((from, Bound::Included(at)))
            .fold(Used::default(), |total, (_, used)| Used {
                count: total.count.saturating_add(used.count),
                money: total.money.checked_add(used.money).unwrap_or(Decimal::MAX),
            })
    }

    /// Counts a payment at `at`, and forgets what no trailing period
    /// ending at the latest payment reaches any more.
    pub(super) fn record(&mut self, at: Timestamp, amount: Decimal, seconds: u64) {
        let entry = self.events.entry(at).or_default();
        *entry = entry.add(amount).unwrap_or(Used {
            count: u64::MAX,
            money: Decimal::MAX,
        });
        let latest = self.events.keys().next_back().copied().unwrap_or(at);
        let keep_from = i64::try_from(seconds).ok().and_then(|seconds| {
            latest
                .checked_sub(SignedDuration::from_secs(seconds))
                .and_then(|start| start.checked_add(SignedDuration::from_nanos(1)))
                .ok()
        });
        if let Some(keep_from) = keep_from
            && self
                .events
                .keys()
                .next()
                .is_some_and(|first| *first < keep_from)
        {
            self.events = self.events.split_off(&keep_from);
        }
    }
}

impl Draft {
    pub(super) fn no(reason: Reason) -> Draft {
        Draft {
            outcome: Err(reason),
            trips: None,
        }
    }
}

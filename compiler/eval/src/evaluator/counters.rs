//! The counters a decision reads and moves: limits per key and period,
//! money used, guard trails, and a campaign's draft before it is paid.

use super::*;

impl LimitCounters {
    pub(super) fn get(&self, value: Option<&str>, start: Option<DateTime>) -> Used {
        let periods = match value {
            None => Some(&self.campaign),
            Some(value) => self.of.get(value),
        };
        periods
            .and_then(|periods| periods.get(&start))
            .copied()
            .unwrap_or_default()
    }

    pub(super) fn add(&mut self, value: Option<&str>, start: Option<DateTime>, amount: Decimal) {
        let periods = match value {
            None => &mut self.campaign,
            Some(value) => {
                if !self.of.contains_key(value) {
                    self.of.insert(value.to_string(), HashMap::default());
                }
                match self.of.get_mut(value) {
                    Some(periods) => periods,
                    None => return,
                }
            }
        };
        let used = periods.entry(start).or_default();
        *used = used.add(amount).unwrap_or(Used {
            count: u64::MAX,
            money: Decimal::MAX,
        });
    }

    pub(super) fn entries(&self) -> impl Iterator<Item = (Option<&str>, Option<DateTime>, Used)> {
        let campaign = self
            .campaign
            .iter()
            .map(|(start, used)| (None, *start, *used));
        let of = self.of.iter().flat_map(|(value, periods)| {
            periods
                .iter()
                .map(move |(start, used)| (Some(value.as_str()), *start, *used))
        });
        campaign.chain(of)
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

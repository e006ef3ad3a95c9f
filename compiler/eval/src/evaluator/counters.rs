//! The counters a decision reads and moves: limits per key and period,
//! money used, guard trails, and a campaign's draft before it is paid.

use super::*;

impl LimitCounters {
    /// The counter of the period numbered `period`.
    pub(super) fn get(&self, period: u32) -> Used {
        // Payments mostly come in time order: the latest period first.
        match self.campaign.last() {
            Some((last, used)) if *last == period => *used,
            _ => self
                .campaign
                .binary_search_by_key(&period, |(known, _)| *known)
                .ok()
                .and_then(|found| self.campaign.get(found))
                .map(|(_, used)| *used)
                .unwrap_or_default(),
        }
    }

    pub(super) fn add(&mut self, period: u32, amount: Decimal) {
        let place = match self.campaign.last() {
            Some((last, _)) if *last < period => Err(self.campaign.len()),
            _ => self
                .campaign
                .binary_search_by_key(&period, |(known, _)| *known),
        };
        let place = match place {
            Ok(found) => found,
            Err(place) => {
                self.campaign.insert(place, (period, Used::default()));
                place
            }
        };
        if let Some((_, used)) = self.campaign.get_mut(place) {
            *used = used.add(amount).unwrap_or(Used {
                count: u64::MAX,
                money: Decimal::MAX,
            });
        }
    }
}

/// A limit's counter key among a value's: the limit's number (over all
/// the campaigns' limits) above the period's number, so that one limit's
/// counters are together, in period order.
fn key(limit: u32, period: u32) -> u64 {
    (u64::from(limit) << 32) | u64::from(period)
}

/// The limit's number and the period's number of a [`key`].
pub(super) fn split_key(key: u64) -> (u32, u32) {
    (
        u32::try_from(key >> 32).unwrap_or(u32::MAX),
        u32::try_from(key & u64::from(u32::MAX)).unwrap_or(u32::MAX),
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days added to [`days_from_civil`] so that every date jiff can hold
/// (years -9999 to 9999) has a positive number.
const DAYS_BEFORE_EPOCH: i64 = 5_000_000;

/// The number of a calendar period's start (an hour at `:00`, or
/// midnight; see [`period_start`]): the hours since the first hour of
/// year -9999, so that periods compare as their starts do. A period's
/// start has no minutes, seconds or fraction, so the number is exact
/// ([`period_from_code`] gives the start back).
pub(super) fn period_code(start: DateTime) -> u32 {
    debug_assert!(start.minute() == 0 && start.second() == 0 && start.subsec_nanosecond() == 0);
    let days = days_from_civil(
        i64::from(start.year()),
        i64::from(start.month()),
        i64::from(start.day()),
    );
    let hours = (days + DAYS_BEFORE_EPOCH) * 24 + i64::from(start.hour());
    // Within `0..2^28` for every date jiff holds.
    u32::try_from(hours).unwrap_or(WINDOW - 1)
}

/// The start of the period numbered `code` ([`period_code`]); `None` for
/// [`WINDOW`].
pub(super) fn period_from_code(code: u32) -> Option<DateTime> {
    if code == WINDOW {
        return None;
    }
    let hours = i64::from(code);
    let (year, month, day) = civil_from_days(hours / 24 - DAYS_BEFORE_EPOCH);
    DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hours % 24).ok()?,
        0,
        0,
        0,
    )
    .ok()
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
        self.counters.push(Vec::new());
        number
    }

    /// The counter of the limit numbered `limit` for the value numbered
    /// `value`, in the period numbered `period`.
    pub(super) fn used(&self, value: u32, limit: u32, period: u32) -> Used {
        let key = key(limit, period);
        usize::try_from(value)
            .ok()
            .and_then(|value| self.counters.get(value))
            .and_then(|counters| {
                counters
                    .binary_search_by_key(&key, |(known, _)| *known)
                    .ok()
                    .and_then(|found| counters.get(found))
            })
            .map(|(_, used)| *used)
            .unwrap_or_default()
    }

    /// Counts `amount` in that counter.
    pub(super) fn add(&mut self, value: u32, limit: u32, period: u32, amount: Decimal) {
        let key = key(limit, period);
        let Some(counters) = usize::try_from(value)
            .ok()
            .and_then(|value| self.counters.get_mut(value))
        else {
            return;
        };
        let place = match counters.binary_search_by_key(&key, |(known, _)| *known) {
            Ok(found) => found,
            Err(place) => {
                counters.insert(place, (key, Used::default()));
                place
            }
        };
        if let Some((_, used)) = counters.get_mut(place) {
            *used = used.add(amount).unwrap_or(Used {
                count: u64::MAX,
                money: Decimal::MAX,
            });
        }
    }

    pub(super) fn name(&self, number: u32) -> Option<&str> {
        usize::try_from(number)
            .ok()
            .and_then(|number| self.names.get(number))
            .map(|name| &**name)
    }
}

impl PaymentScope {
    /// The payment's value, for each dimension (or, v2, list of
    /// dimensions) limits count by.
    pub(super) fn fill_values(&mut self, values: &Values, payment: &Payment) {
        self.values.clear();
        self.values
            .extend(values.dimensions.iter().map(|dimensions| {
                match key_value(dimensions, payment) {
                    None => ValueSlot::Missing,
                    Some(value) => values.find(&value).map_or(ValueSlot::New, ValueSlot::Known),
                }
            }));
    }

    /// Numbers the payment's values no limit counted yet (before a
    /// campaign counts the payment).
    pub(super) fn number_values(&mut self, values: &mut Values, payment: &Payment) {
        for (slot, value) in self.values.iter_mut().enumerate() {
            if *value == ValueSlot::New
                && let Some(name) = values
                    .dimensions
                    .get(slot)
                    .and_then(|dimensions| key_value(dimensions, payment))
            {
                *value = ValueSlot::Known(values.number(&name));
            }
        }
    }

    /// The payment's value for the dimensions at `slot` among those limits
    /// count by.
    pub(super) fn value(&self, slot: usize) -> ValueSlot {
        self.values.get(slot).copied().unwrap_or(ValueSlot::Missing)
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
        // Nothing paid after `at − seconds` (the latest payment is older),
        // in integer nanoseconds: no date arithmetic, no range.
        let Some((last, _)) = self.events.last_key_value() else {
            return Used::default();
        };
        if i128::from(seconds)
            .checked_mul(1_000_000_000)
            .and_then(|span| last.as_nanosecond().checked_add(span))
            .is_some_and(|end| end <= at.as_nanosecond())
        {
            return Used::default();
        }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// Every period start jiff can hold numbers to a code that gives it
    /// back, and the codes order as the starts do (checked against jiff's
    /// own calendar, day by day over 1900-2200 and every 97th day across
    /// its whole range).
    #[test]
    fn period_codes_round_trip_in_order() {
        let check = |date: jiff::civil::Date, previous: &mut Option<u32>| {
            for hour in [0, 1, 13, 23] {
                let start = date.to_datetime(jiff::civil::Time::new(hour, 0, 0, 0).unwrap());
                let code = period_code(start);
                assert_ne!(code, WINDOW);
                assert_eq!(period_from_code(code), Some(start), "{start}");
                if let Some(previous) = *previous {
                    assert!(previous < code, "{start}");
                }
                *previous = Some(code);
            }
        };
        let mut previous = None;
        let mut date = jiff::civil::Date::MIN;
        while let Ok(next) = date.checked_add(jiff::Span::new().days(97)) {
            check(date, &mut previous);
            date = next;
        }
        check(jiff::civil::Date::MAX, &mut previous);
        let mut previous = None;
        let mut date = jiff::civil::date(1900, 1, 1);
        while date < jiff::civil::date(2200, 1, 1) {
            check(date, &mut previous);
            date = date.tomorrow().unwrap();
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(period_from_code(WINDOW), None);
    }
}

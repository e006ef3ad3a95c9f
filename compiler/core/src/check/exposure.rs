//! Worst-case exposure and the approvals it needs, as `docs/language.md`
//! defines them. Pure arithmetic on checked values: exact decimals, checked
//! operations (a bound that overflows is not finite and is left out).
//!
//! Per-period limits reset at calendar boundaries in the window's zone:
//! hours at `:00`, days at midnight, weeks on Monday at midnight. The
//! number of periods is how many of them the window `[start, end)` touches,
//! so a window from 10:00 to 09:00 the next day is two days.

use jiff::{Timestamp, ToSpan};
use rust_decimal::Decimal;

use super::model::{
    ApprovalTier, Day, Exposure, ExposureBound, Limit, LimitAmount, Money, Period, Schedule, Window,
};

/// The smallest finite bound, or `None` when there is none. With a
/// schedule, a per-period bound counts only the periods that hold a
/// scheduled instant.
pub fn worst_case(
    budget: Option<Money>,
    limits: &[Limit],
    largest_single_reward: Money,
    window: &Window,
    schedule: Option<&Schedule>,
) -> Option<Exposure> {
    let periods_in = |window: &Window, period: Period| match schedule {
        Some(schedule) => scheduled_periods(window, schedule, period),
        None => periods_in(window, period),
    };
    let mut best: Option<(Decimal, ExposureBound)> = None;
    let mut consider = |amount: Option<Decimal>, bound: ExposureBound| {
        let Some(amount) = amount else {
            return;
        };
        if best.is_none_or(|(current, _)| amount < current) {
            best = Some((amount, bound));
        }
    };

    if let Some(budget) = budget {
        consider(Some(budget.amount), ExposureBound::Budget);
    }
    let reward = largest_single_reward.amount;
    for limit in limits.iter().filter(|limit| limit.dimension.is_none()) {
        match (limit.amount, limit.period) {
            (LimitAmount::Count(count), None) => consider(
                Decimal::from(count).checked_mul(reward),
                ExposureBound::CampaignCount { count },
            ),
            (LimitAmount::Money(money), Some(period)) => {
                let periods = periods_in(window, period);
                consider(
                    Decimal::from(periods).checked_mul(money.amount),
                    ExposureBound::PeriodAmount { period, periods },
                );
            }
            (LimitAmount::Count(count), Some(period)) => {
                let periods = periods_in(window, period);
                consider(
                    Decimal::from(periods)
                        .checked_mul(Decimal::from(count))
                        .and_then(|redemptions| redemptions.checked_mul(reward)),
                    ExposureBound::PeriodCount {
                        period,
                        periods,
                        count,
                    },
                );
            }
            // `limit: MONEY` over the whole campaign has no syntax; a
            // money limit always has a dimension or a period.
            (LimitAmount::Money(money), None) => {
                consider(Some(money.amount), ExposureBound::Budget)
            }
        }
    }

    best.map(|(amount, bound)| Exposure {
        amount: Money {
            amount,
            currency: largest_single_reward.currency,
        },
        bound,
        largest_single_reward,
    })
}

/// (v2) A campaign's exposure with its pool's budget (in its currency) as
/// one more bound: the pool's budget when it is smaller, the campaign's
/// own bound otherwise (a tie keeps the campaign's own).
pub fn bound_by_pool(exposure: Exposure, pool_budget: Money) -> Exposure {
    if pool_budget.currency == exposure.amount.currency
        && pool_budget.amount < exposure.amount.amount
    {
        Exposure {
            amount: pool_budget,
            bound: ExposureBound::Pool,
            ..exposure
        }
    } else {
        exposure
    }
}

/// (v2) A campaign's exposure with its claim inventory as one more bound:
/// each coupon pays at most once, so the campaign pays at most `inventory`
/// largest single rewards (a tie keeps the campaign's own bound).
pub fn bound_by_claim(exposure: Exposure, inventory: u64) -> Exposure {
    match Decimal::from(inventory).checked_mul(exposure.largest_single_reward.amount) {
        Some(amount) if amount < exposure.amount.amount => Exposure {
            amount: Money {
                amount,
                currency: exposure.amount.currency,
            },
            bound: ExposureBound::ClaimInventory { inventory },
            ..exposure
        },
        Some(_) | None => exposure,
    }
}

/// How many calendar periods the window touches, in its own zone.
pub fn periods_in(window: &Window, period: Period) -> u64 {
    let zone = &window.time_zone;
    let start = window.start.to_zoned(zone.clone());
    // The last instant inside the half-open window.
    let last = window
        .end
        .checked_sub(1.nanosecond())
        .unwrap_or(window.end)
        .max(window.start)
        .to_zoned(zone.clone());
    match period {
        Period::Hour => {
            let start_hour = start
                .with()
                .minute(0)
                .second(0)
                .subsec_nanosecond(0)
                .build()
                .map(|zoned| zoned.timestamp())
                .unwrap_or(window.start);
            let seconds = last.timestamp().as_second() - start_hour.as_second();
            u64::try_from(seconds / 3_600 + 1).unwrap_or(1)
        }
        Period::Day => {
            let days = day_number(last.date()) - day_number(start.date());
            u64::try_from(days + 1).unwrap_or(1)
        }
        Period::Week => {
            let week_start = |date: jiff::civil::Date| {
                day_number(date) - i64::from(date.weekday().to_monday_zero_offset())
            };
            let weeks = (week_start(last.date()) - week_start(start.date())) / 7;
            u64::try_from(weeks + 1).unwrap_or(1)
        }
        Period::Month => {
            let month_number =
                |date: jiff::civil::Date| i64::from(date.year()) * 12 + i64::from(date.month());
            let months = month_number(last.date()) - month_number(start.date());
            u64::try_from(months + 1).unwrap_or(1)
        }
    }
}

/// Each local date of the window with a scheduled instant, and the
/// scheduled minutes of that date inside the window, `[start, end)` in
/// minutes after midnight. Local civil time of the window's zone, as the
/// evaluator keys its periods; a window edge inside a minute counts that
/// whole minute, so the count never falls short.
pub fn scheduled_dates(
    window: &Window,
    schedule: &Schedule,
) -> Vec<(jiff::civil::Date, Vec<(u16, u16)>)> {
    let minute_of = |time: jiff::civil::Time| {
        u16::try_from(i32::from(time.hour()) * 60 + i32::from(time.minute())).unwrap_or(0)
    };
    let first = window.start_local.date();
    let end = window.end_local;
    // The last date with an instant in `[start, end)`.
    let last = if end.time() == jiff::civil::Time::midnight() {
        end.date().yesterday().unwrap_or(end.date())
    } else {
        end.date()
    };
    let mut dates = Vec::new();
    let mut date = first;
    while date <= last {
        let from = if date == first {
            minute_of(window.start_local.time())
        } else {
            0
        };
        let to = if date == end.date() {
            let partial = end.time().second() > 0 || end.time().subsec_nanosecond() > 0;
            minute_of(end.time()) + u16::from(partial)
        } else {
            24 * 60
        };
        let scheduled_day = Day::from_monday_offset(date.weekday().to_monday_zero_offset())
            .is_some_and(|day| schedule.days.contains(&day));
        if scheduled_day {
            let minutes: Vec<(u16, u16)> = schedule
                .hours
                .iter()
                .map(|(start, end)| ((*start).max(from), (*end).min(to)))
                .filter(|(start, end)| start < end)
                .collect();
            if !minutes.is_empty() {
                dates.push((date, minutes));
            }
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    dates
}

/// The stretches of time a campaign is live: its window, or with a
/// schedule each scheduled stretch of it, as instants `[start, end)`,
/// in order; stretches that touch are one.
pub fn live_stretches(window: &Window, schedule: Option<&Schedule>) -> Vec<(Timestamp, Timestamp)> {
    let Some(schedule) = schedule else {
        return vec![(window.start, window.end)];
    };
    let zone = &window.time_zone;
    let instant = |date: jiff::civil::Date, minute: u16| {
        let midnight = date.to_datetime(jiff::civil::Time::midnight());
        midnight
            .checked_add(jiff::SignedDuration::from_mins(i64::from(minute)))
            .ok()
            .and_then(|local| timestamp_of(zone, local))
    };
    let mut stretches: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (date, minutes) in scheduled_dates(window, schedule) {
        for (start, end) in minutes {
            let (Some(start), Some(end)) = (instant(date, start), instant(date, end)) else {
                continue;
            };
            let (start, end) = (start.max(window.start), end.min(window.end));
            if start >= end {
                continue;
            }
            match stretches.last_mut() {
                Some(last) if last.1 >= start => last.1 = last.1.max(end),
                _ => stretches.push((start, end)),
            }
        }
    }
    stretches
}

/// How many calendar periods of the window hold a scheduled instant.
pub fn scheduled_periods(window: &Window, schedule: &Schedule, period: Period) -> u64 {
    let dates = scheduled_dates(window, schedule);
    let count = match period {
        Period::Hour => dates
            .iter()
            .map(|(_, minutes)| {
                let mut hours = 0_u32;
                for (start, end) in minutes {
                    for hour in (start / 60)..end.div_ceil(60) {
                        hours |= 1 << hour;
                    }
                }
                hours.count_ones() as usize
            })
            .sum(),
        Period::Day => dates.len(),
        Period::Week => {
            let mut weeks: Vec<i64> = dates
                .iter()
                .map(|(date, _)| {
                    day_number(*date) - i64::from(date.weekday().to_monday_zero_offset())
                })
                .collect();
            weeks.dedup();
            weeks.len()
        }
        Period::Month => {
            let mut months: Vec<(i16, i8)> = dates
                .iter()
                .map(|(date, _)| (date.year(), date.month()))
                .collect();
            months.dedup();
            months.len()
        }
    };
    u64::try_from(count).unwrap_or(u64::MAX)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn day_number(date: jiff::civil::Date) -> i64 {
    let year = i64::from(date.year());
    let month = i64::from(date.month());
    let day = i64::from(date.day());
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The outcome of looking up the approval tier for an exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approvals {
    Required(u32),
    /// A tier with `up_to` has no amount in the exposure's currency: the
    /// first such tier, whatever the exposure (every tier must list it).
    TierMissingCurrency(usize),
    /// The exposure is above every tier and no tier is open.
    AboveAllTiers,
}

/// The approvals a release needs: the first tier whose `up_to` is at or
/// above the exposure, or the open last tier. No tiers: one approval.
/// Every tier with `up_to` must list the exposure's currency, not only the
/// tier the exposure falls in: otherwise a campaign would compile while
/// small and fail once its budget grew into a tier without its currency.
pub fn approvals_required(exposure: Money, tiers: &[ApprovalTier]) -> Approvals {
    if tiers.is_empty() {
        return Approvals::Required(1);
    }
    if let Some(index) = tiers.iter().position(|tier| {
        !tier.up_to.is_empty()
            && !tier
                .up_to
                .iter()
                .any(|amount| amount.currency == exposure.currency)
    }) {
        return Approvals::TierMissingCurrency(index);
    }
    for tier in tiers {
        if tier.up_to.is_empty() {
            return Approvals::Required(tier.approvals);
        }
        let Some(up_to) = tier
            .up_to
            .iter()
            .find(|amount| amount.currency == exposure.currency)
        else {
            continue;
        };
        if exposure.amount <= up_to.amount {
            return Approvals::Required(tier.approvals);
        }
    }
    Approvals::AboveAllTiers
}

/// Convenience for tests and callers that hold a civil window.
pub fn timestamp_of(zone: &jiff::tz::TimeZone, local: jiff::civil::DateTime) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(local).compatible().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::model::Dimension;
    use crate::source::Span;
    use iso_currency::Currency;
    use jiff::civil::date;
    use jiff::tz::TimeZone;

    fn cny(text: &str) -> Money {
        Money {
            amount: text.parse().unwrap_or_default(),
            currency: Currency::CNY,
        }
    }

    fn window(start: jiff::civil::DateTime, end: jiff::civil::DateTime, zone: &str) -> Window {
        let time_zone = jiff::tz::db().get(zone).unwrap_or(TimeZone::UTC);
        Window {
            start: timestamp_of(&time_zone, start).unwrap_or_default(),
            end: timestamp_of(&time_zone, end).unwrap_or_default(),
            zone: zone.to_string(),
            start_local: start,
            end_local: end,
            time_zone,
            span: Span::default(),
            end_span: Span::default(),
            end_has_seconds: false,
        }
    }

    fn limit(amount: LimitAmount, dimension: Option<Dimension>, period: Option<Period>) -> Limit {
        Limit {
            amount,
            dimension,
            period,
            span: Span::default(),
            more_dimensions: Vec::new(),
        }
    }

    fn spring() -> Window {
        // 2025-01-20 00:00 to 2025-03-31 23:59 Asia/Shanghai: 71 days.
        window(
            date(2025, 1, 20).at(0, 0, 0, 0),
            date(2025, 3, 31).at(23, 59, 0, 0),
            "Asia/Shanghai",
        )
    }

    #[test]
    fn periods_count_calendar_periods_touched() {
        let w = spring();
        assert_eq!(periods_in(&w, Period::Day), 71);
        assert_eq!(periods_in(&w, Period::Hour), 71 * 24);
        // 2025-01-20 and 2025-03-31 are Mondays ten weeks apart: 11 weeks touched.
        assert_eq!(periods_in(&w, Period::Week), 11);
        let overnight = window(
            date(2025, 1, 1).at(10, 0, 0, 0),
            date(2025, 1, 2).at(9, 0, 0, 0),
            "UTC",
        );
        assert_eq!(periods_in(&overnight, Period::Day), 2);
        let exact_day = window(
            date(2025, 1, 1).at(0, 0, 0, 0),
            date(2025, 1, 2).at(0, 0, 0, 0),
            "UTC",
        );
        assert_eq!(periods_in(&exact_day, Period::Day), 1);
        assert_eq!(periods_in(&exact_day, Period::Hour), 24);
    }

    fn schedule(days: &[Day], hours: &[(u16, u16)]) -> Schedule {
        Schedule {
            days: days.to_vec(),
            hours: hours.to_vec(),
            span: Span::default(),
        }
    }

    #[test]
    fn months_and_scheduled_periods_count_only_what_holds_a_scheduled_instant() {
        let w = spring();
        // January, February and March.
        assert_eq!(periods_in(&w, Period::Month), 3);
        let weekdays = schedule(
            &[Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            &[(0, 24 * 60)],
        );
        // 2025-01-20 (a Monday) to 2025-03-31 (a Monday): ten full weeks
        // and one Monday, 51 weekdays.
        assert_eq!(scheduled_periods(&w, &weekdays, Period::Day), 51);
        assert_eq!(scheduled_periods(&w, &weekdays, Period::Week), 11);
        assert_eq!(scheduled_periods(&w, &weekdays, Period::Month), 3);
        // Two hours a day, every day: 71 × 2 hours; the ranges touch
        // 10:00–11:00 and 11:00–12:00.
        let mornings = schedule(&Day::VARIANTS, &[(600, 660), (660, 720)]);
        assert_eq!(scheduled_periods(&w, &mornings, Period::Hour), 71 * 2);
        // 10:30 to 11:30 touches two hours a day.
        let half = schedule(&Day::VARIANTS, &[(630, 690)]);
        assert_eq!(scheduled_periods(&w, &half, Period::Hour), 71 * 2);
        // The window ends at 23:59 on the last day: 23:59 to 24:00 is
        // outside it.
        let last_minute = schedule(&[Day::Mon], &[(1439, 1440)]);
        assert_eq!(scheduled_periods(&w, &last_minute, Period::Day), 10);
        // Saturdays only, in a window of weekdays: nothing.
        let week = window(
            date(2027, 3, 1).at(0, 0, 0, 0),
            date(2027, 3, 6).at(0, 0, 0, 0),
            "Asia/Shanghai",
        );
        assert!(scheduled_dates(&week, &schedule(&[Day::Sat], &[(0, 1440)])).is_empty());
        // A weekday-only campaign with CNY 1_000.00 a day: bounded by its
        // 51 weekdays, not the window's 71 days.
        let daily = [limit(
            LimitAmount::Money(cny("1000.00")),
            None,
            Some(Period::Day),
        )];
        let exposure = worst_case(
            Some(cny("50000000.00")),
            &daily,
            cny("2000.00"),
            &w,
            Some(&weekdays),
        );
        assert_eq!(exposure.map(|e| e.amount), Some(cny("51000.00")));
        // The live stretches are the scheduled ones, in order.
        let stretches = live_stretches(&week, Some(&schedule(&[Day::Mon], &[(600, 720)])));
        assert_eq!(stretches.len(), 1);
        assert_eq!(
            stretches
                .first()
                .map(|(start, end)| end.as_second() - start.as_second()),
            Some(7_200)
        );
    }

    #[test]
    fn the_smallest_bound_wins_and_says_which_it_was() {
        let w = spring();
        let limits = [
            limit(LimitAmount::Count(1), Some(Dimension::User), None),
            limit(LimitAmount::Count(20_000), None, Some(Period::Day)),
            limit(
                LimitAmount::Money(cny("1000000.00")),
                None,
                Some(Period::Hour),
            ),
        ];
        let exposure = worst_case(Some(cny("50000000.00")), &limits, cny("2000.00"), &w, None);
        assert_eq!(
            exposure.map(|e| (e.amount, e.bound)),
            Some((cny("50000000.00"), ExposureBound::Budget))
        );
        let small = [limit(LimitAmount::Count(100), None, None)];
        let exposure = worst_case(Some(cny("50000000.00")), &small, cny("2000.00"), &w, None);
        assert_eq!(
            exposure.map(|e| (e.amount, e.bound)),
            Some((
                cny("200000.00"),
                ExposureBound::CampaignCount { count: 100 }
            ))
        );
        let daily = [limit(
            LimitAmount::Money(cny("1000.00")),
            None,
            Some(Period::Day),
        )];
        let exposure = worst_case(Some(cny("50000000.00")), &daily, cny("2000.00"), &w, None);
        assert_eq!(
            exposure.map(|e| (e.amount, e.bound)),
            Some((
                cny("71000.00"),
                ExposureBound::PeriodAmount {
                    period: Period::Day,
                    periods: 71
                }
            ))
        );
    }

    #[test]
    fn per_user_limits_alone_do_not_bound_exposure() {
        let limits = [limit(LimitAmount::Count(1), Some(Dimension::User), None)];
        assert_eq!(
            worst_case(None, &limits, cny("10.00"), &spring(), None),
            None
        );
    }

    #[test]
    fn overflowing_bounds_are_not_finite() {
        let limits = [limit(
            LimitAmount::Count(u64::MAX),
            None,
            Some(Period::Hour),
        )];
        let huge = Money {
            amount: Decimal::MAX,
            currency: Currency::CNY,
        };
        assert_eq!(worst_case(None, &limits, huge, &spring(), None), None);
    }

    #[test]
    fn approvals_follow_the_tiers() {
        let tiers = vec![
            ApprovalTier {
                approvals: 1,
                up_to: vec![cny("100000.00")],
                span: Span::default(),
            },
            ApprovalTier {
                approvals: 2,
                up_to: vec![cny("10000000.00")],
                span: Span::default(),
            },
            ApprovalTier {
                approvals: 3,
                up_to: vec![],
                span: Span::default(),
            },
        ];
        assert_eq!(
            approvals_required(cny("100000.00"), &tiers),
            Approvals::Required(1)
        );
        assert_eq!(
            approvals_required(cny("100000.01"), &tiers),
            Approvals::Required(2)
        );
        assert_eq!(
            approvals_required(cny("50000000.00"), &tiers),
            Approvals::Required(3)
        );
        let closed = tiers
            .get(..2)
            .map(<[ApprovalTier]>::to_vec)
            .unwrap_or_default();
        assert_eq!(
            approvals_required(cny("50000000.00"), &closed),
            Approvals::AboveAllTiers
        );
        let hkd = Money {
            amount: Decimal::ONE,
            currency: Currency::HKD,
        };
        assert_eq!(
            approvals_required(hkd, &tiers),
            Approvals::TierMissingCurrency(0)
        );
        // A tier the exposure never reaches must list its currency too.
        let mut later_missing = tiers.clone();
        if let Some(first) = later_missing.first_mut() {
            first.up_to.push(hkd);
        }
        assert_eq!(
            approvals_required(hkd, &later_missing),
            Approvals::TierMissingCurrency(1)
        );
        assert_eq!(approvals_required(cny("1.00"), &[]), Approvals::Required(1));
    }
}

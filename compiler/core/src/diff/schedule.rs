//! A campaign's schedule (`days:`, `hours:`), and how it moved: compared
//! by the instants of the week it admits, so writing every day or all day
//! out is no change.

use serde::Serialize;

use crate::ir::types::{Day, Schedule, TimeRange};

const MINUTES_PER_DAY: usize = 1_440;

/// A schedule as written, and how long it pays in a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ScheduleSummary {
    /// `days [mon, fri], hours 10:00 to 12:00`; `every day` or `all day`
    /// for what is not narrowed.
    pub text: String,
    /// Minutes of a week it pays in (10_080: every instant).
    pub weekly_minutes: u32,
}

/// Which way a schedule moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMovement {
    /// A schedule where there was none: it pays at fewer instants.
    Added,
    /// No schedule any more: it pays at every instant of the window.
    Removed,
    /// Pays at every instant it did, and more.
    Widened,
    /// Pays at only part of the instants it did.
    Narrowed,
    /// Gains some instants and loses others.
    Replaced,
}

/// The instants of a week a schedule admits, minute by minute from
/// Monday 00:00 (`None`: every one).
fn week(schedule: Option<&Schedule>) -> Vec<bool> {
    let Some(schedule) = schedule else {
        return vec![true; MINUTES_PER_DAY * Day::VARIANTS.len()];
    };
    let mut minutes = Vec::with_capacity(MINUTES_PER_DAY * Day::VARIANTS.len());
    for day in Day::VARIANTS {
        let on = schedule.days.as_slice().contains(&day);
        for minute in 0..MINUTES_PER_DAY {
            let admitted = on
                && schedule.hours.as_slice().iter().any(|range| {
                    usize::from(range.start_minute) <= minute
                        && minute < usize::from(range.end_minute)
                });
            minutes.push(admitted);
        }
    }
    minutes
}

/// How the schedule moved, or `None` when it admits the same instants.
pub fn movement(before: Option<&Schedule>, after: Option<&Schedule>) -> Option<ScheduleMovement> {
    let (was, now) = (week(before), week(after));
    let gained = was.iter().zip(&now).any(|(was, now)| *now && !*was);
    let lost = was.iter().zip(&now).any(|(was, now)| *was && !*now);
    match (gained, lost) {
        (false, false) => None,
        (true, false) if after.is_none() => Some(ScheduleMovement::Removed),
        (false, true) if before.is_none() => Some(ScheduleMovement::Added),
        (true, false) => Some(ScheduleMovement::Widened),
        (false, true) => Some(ScheduleMovement::Narrowed),
        (true, true) => Some(ScheduleMovement::Replaced),
    }
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn range_text(range: &TimeRange) -> String {
    format!(
        "{} to {}",
        clock(range.start_minute),
        clock(range.end_minute)
    )
}

pub fn summary(schedule: &Schedule) -> ScheduleSummary {
    let days = schedule.days.as_slice();
    let days_text = if days.len() == Day::VARIANTS.len() {
        String::from("every day")
    } else {
        format!(
            "days [{}]",
            days.iter()
                .map(|day| day.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let hours = schedule.hours.as_slice();
    let all_day = matches!(
        hours,
        [TimeRange {
            start_minute: 0,
            end_minute: 1_440
        }]
    );
    let hours_text = if all_day {
        String::from("all day")
    } else {
        format!(
            "hours {}",
            hours.iter().map(range_text).collect::<Vec<_>>().join(", ")
        )
    };
    let weekly_minutes = week(Some(schedule)).iter().filter(|on| **on).count();
    ScheduleSummary {
        text: format!("{days_text}, {hours_text}"),
        weekly_minutes: u32::try_from(weekly_minutes).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::types::NonEmpty;

    fn schedule(days: &[Day], hours: &[(u16, u16)]) -> Option<Schedule> {
        Some(Schedule {
            days: NonEmpty::new(days.to_vec()).ok()?,
            hours: NonEmpty::new(
                hours
                    .iter()
                    .map(|(start_minute, end_minute)| TimeRange {
                        start_minute: *start_minute,
                        end_minute: *end_minute,
                    })
                    .collect(),
            )
            .ok()?,
        })
    }

    #[test]
    fn each_way_a_schedule_moves() {
        let weekdays = schedule(
            &[Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            &[(600, 720)],
        );
        let monday = schedule(&[Day::Mon], &[(600, 720)]);
        let sunday = schedule(&[Day::Sun], &[(600, 720)]);
        let always = schedule(&Day::VARIANTS, &[(0, 1_440)]);
        assert!(weekdays.is_some() && monday.is_some() && sunday.is_some() && always.is_some());
        let (weekdays, monday, sunday, always) = (
            weekdays.as_ref(),
            monday.as_ref(),
            sunday.as_ref(),
            always.as_ref(),
        );
        assert_eq!(movement(None, None), None);
        assert_eq!(movement(None, always), None);
        assert_eq!(movement(None, weekdays), Some(ScheduleMovement::Added));
        assert_eq!(movement(weekdays, None), Some(ScheduleMovement::Removed));
        assert_eq!(movement(monday, weekdays), Some(ScheduleMovement::Widened));
        assert_eq!(movement(weekdays, monday), Some(ScheduleMovement::Narrowed));
        assert_eq!(movement(monday, sunday), Some(ScheduleMovement::Replaced));
        assert_eq!(weekdays.map(|s| summary(s).weekly_minutes), Some(600));
        assert_eq!(
            weekdays.map(|s| summary(s).text),
            Some(String::from(
                "days [mon, tue, wed, thu, fri], hours 10:00 to 12:00"
            ))
        );
        assert_eq!(
            always.map(|s| summary(s).text),
            Some(String::from("every day, all day"))
        );
    }
}

//! A campaign's schedule: `days: [mon, …]` and `hours: HH:MM to HH:MM`
//! (repeatable), which narrow the window to days of the week and times of
//! day in the window's zone.

use crate::check::exposure::scheduled_dates;
use crate::check::fields::{Fields, single_term};
use crate::check::model::{Day, Schedule, Window};
use crate::check::values::{Ctx, describe_atom, suggest};
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{AtomKind, ClockSyntax, Entry, EntryValue, Term};

/// Minutes in a day: `24:00`.
const END_OF_DAY: u16 = 24 * 60;

/// The schedule (`Some(None)`: none written; `None`: in error). With the
/// window, a schedule that leaves none of its instants is an error.
pub(super) fn check_schedule(
    ctx: &mut Ctx<'_>,
    fields: &Fields<'_>,
    window: Option<&Window>,
) -> Option<Option<Schedule>> {
    let days_entry = fields.one("days");
    let hours_entries: Vec<&Entry> = fields.all("hours").collect();
    if days_entry.is_none() && hours_entries.is_empty() {
        return Some(None);
    }
    let days = match days_entry {
        None => Some(Day::VARIANTS.to_vec()),
        Some(entry) => single_term(ctx, entry).and_then(|term| days(ctx, term)),
    };

    let mut ranges: Vec<(u16, u16, Span)> = Vec::new();
    let mut complete = true;
    for entry in &hours_entries {
        let EntryValue::Hours(hours) = &entry.value else {
            complete = false;
            continue;
        };
        let start = clock(ctx, &hours.start);
        let end = clock(ctx, &hours.end);
        let (Some(start), Some(end)) = (start, end) else {
            complete = false;
            continue;
        };
        if start == END_OF_DAY {
            ctx.error(CampError::ClockEndOfDayAsStart {
                span: hours.start.span,
            });
            complete = false;
            continue;
        }
        if end <= start {
            ctx.error(CampError::HoursNotIncreasing {
                span: entry.span,
                start: show(start),
                end: show(end),
            });
            complete = false;
            continue;
        }
        if let Some((other_start, other_end, other_span)) = ranges
            .iter()
            .find(|(other_start, other_end, _)| *other_start < end && start < *other_end)
        {
            ctx.error(CampError::HoursOverlap {
                span: entry.span,
                range: format!("{} to {}", show(start), show(end)),
                other: format!("{} to {}", show(*other_start), show(*other_end)),
                other_span: *other_span,
                merged: format!(
                    "{} to {}",
                    show(start.min(*other_start)),
                    show(end.max(*other_end))
                ),
            });
            complete = false;
            continue;
        }
        ranges.push((start, end, entry.span));
    }
    let days = days?;
    if !complete {
        return None;
    }
    let mut hours: Vec<(u16, u16)> = ranges
        .iter()
        .map(|(start, end, _)| (*start, *end))
        .collect();
    if hours.is_empty() {
        hours.push((0, END_OF_DAY));
    }
    hours.sort_unstable();
    let span = days_entry
        .or_else(|| hours_entries.first().copied())
        .map(|entry| entry.span)?;
    let schedule = Schedule { days, hours, span };
    if let Some(window) = window
        && scheduled_dates(window, &schedule).is_empty()
    {
        ctx.error(CampError::EmptySchedule {
            span,
            window: window.span,
        });
        return None;
    }
    Some(Some(schedule))
}

/// `[mon, tue]`: days of the week, each once, in week order.
fn days(ctx: &mut Ctx<'_>, term: &Term) -> Option<Vec<Day>> {
    let Term::List(list) = term else {
        ctx.error(CampError::TypeMismatch {
            span: term.span(),
            expected: String::from("a list of days like `[mon, tue, wed, thu, fri]`"),
            found: match term {
                Term::Atom(atom) => describe_atom(atom),
                Term::List(_) => String::from("a list"),
            },
            help: None,
        });
        return None;
    };
    if list.items.is_empty() {
        ctx.error(CampError::EmptyList {
            span: list.span,
            field: String::from("days"),
        });
        return None;
    }
    let mut days: Vec<(Day, Span)> = Vec::new();
    let mut complete = true;
    for item in &list.items {
        let AtomKind::Name(word) = &item.kind else {
            ctx.error(CampError::TypeMismatch {
                span: item.span,
                expected: String::from("a day like `mon`"),
                found: describe_atom(item),
                help: None,
            });
            complete = false;
            continue;
        };
        match Day::parse(word) {
            Some(day) => match days.iter().find(|(other, _)| *other == day) {
                Some((_, first)) => {
                    ctx.error(CampError::DuplicateListItem {
                        name: word.clone(),
                        span: item.span,
                        first: *first,
                    });
                    complete = false;
                }
                None => days.push((day, item.span)),
            },
            None => {
                ctx.error(CampError::UnknownWord {
                    word: word.clone(),
                    span: item.span,
                    what: "day",
                    allowed: &Day::ALL,
                    suggestion: suggest(word, Day::ALL),
                });
                complete = false;
            }
        }
    }
    if !complete {
        return None;
    }
    let mut days: Vec<Day> = days.into_iter().map(|(day, _)| day).collect();
    days.sort_unstable();
    Some(days)
}

/// A time of day in minutes after midnight: `00:00` to `23:59`, or `24:00`.
fn clock(ctx: &mut Ctx<'_>, clock: &ClockSyntax) -> Option<u16> {
    let ClockSyntax { hour, minute, span } = *clock;
    let valid = (hour < 24 && minute < 60) || (hour == 24 && minute == 0);
    if !valid {
        ctx.error(CampError::InvalidClock {
            span,
            text: format!("{hour:02}:{minute:02}"),
        });
        return None;
    }
    Some(u16::from(hour) * 60 + u16::from(minute))
}

/// `600` as `10:00`.
pub(crate) fn show(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

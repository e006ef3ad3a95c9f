//! Where and when a campaign runs: its window, the instants as written and
//! the time zone they are in.

use crate::check::model::Window;
use crate::check::values::{Ctx, suggest};
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{InstantSyntax, WindowSyntax};

pub(super) fn check_window(
    ctx: &mut Ctx<'_>,
    syntax: &WindowSyntax,
    entry_span: Span,
) -> Option<Window> {
    let time_zone = resolve_zone(ctx, &syntax.zone)?;
    let start_local = civil(ctx, &syntax.start);
    let end_local = civil(ctx, &syntax.end);
    let (start_local, end_local) = (start_local?, end_local?);
    let start = to_timestamp(
        ctx,
        &time_zone,
        start_local,
        &syntax.start,
        &syntax.zone.text,
    );
    let end = to_timestamp(ctx, &time_zone, end_local, &syntax.end, &syntax.zone.text);
    let (start, end) = (start?, end?);
    if end <= start {
        ctx.error(CampError::EmptyWindow {
            span: syntax.start.span.to(syntax.end.span),
            start: start_local.strftime("%Y-%m-%d %H:%M").to_string(),
            end: end_local.strftime("%Y-%m-%d %H:%M").to_string(),
        });
        return None;
    }
    Some(Window {
        start,
        end,
        zone: syntax.zone.text.clone(),
        start_local,
        end_local,
        time_zone,
        span: entry_span,
        end_span: syntax.end.span,
        end_has_seconds: syntax.end.has_seconds,
    })
}

thread_local! {
    /// The zones this thread has found in the bundled database, by name:
    /// most packages use one or two, and every campaign names one (a
    /// lookup there costs about as much as checking the rest of the
    /// window). The database is compiled in, so an answer never changes.
    static KNOWN_ZONES: std::cell::RefCell<Vec<(Box<str>, jiff::tz::TimeZone)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// How many zones [`KNOWN_ZONES`] keeps (the first found).
const KNOWN_ZONES_KEPT: usize = 8;

pub(crate) fn resolve_zone(
    ctx: &mut Ctx<'_>,
    zone: &crate::syntax::ast::Ident,
) -> Option<jiff::tz::TimeZone> {
    let text = zone.text.as_str();
    if let Some(rest) = text.strip_prefix(['+', '-']) {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = rest.split_once(':')?;
        let hours: i32 = hours.parse().ok()?;
        let minutes: i32 = minutes.parse().ok()?;
        if hours <= 14
            && minutes < 60
            && let Ok(offset) =
                jiff::tz::Offset::from_seconds(sign * (hours * 3_600 + minutes * 60))
        {
            return Some(jiff::tz::TimeZone::fixed(offset));
        }
        ctx.error(CampError::UnknownTimeZone {
            zone: text.to_string(),
            span: zone.span,
            suggestion: None,
        });
        return None;
    }
    if let Some(known) = KNOWN_ZONES.with_borrow(|known| {
        known
            .iter()
            .find(|(name, _)| &**name == text)
            .map(|(_, zone)| zone.clone())
    }) {
        return Some(known);
    }
    let database = jiff::tz::db();
    match database.get(text) {
        Ok(time_zone) if time_zone.iana_name() == Some(text) => {
            KNOWN_ZONES.with_borrow_mut(|known| {
                if known.len() < KNOWN_ZONES_KEPT {
                    known.push((text.into(), time_zone.clone()));
                }
            });
            Some(time_zone)
        }
        found => {
            // Names people write for the zones Camp's users live in.
            let alias = match text {
                "Asia/Beijing" | "Asia/Peking" | "Beijing" | "Asia/China" | "China" => {
                    Some("Asia/Shanghai")
                }
                "Asia/HongKong" | "HongKong" | "Hong_Kong" => Some("Asia/Hong_Kong"),
                _ => None,
            };
            let canonical = found
                .ok()
                .and_then(|time_zone| time_zone.iana_name().map(String::from))
                .or_else(|| alias.map(String::from));
            let suggestion = canonical.or_else(|| {
                let names: Vec<String> =
                    database.available().map(|name| name.to_string()).collect();
                suggest(text, names.iter().map(String::as_str))
            });
            ctx.error(CampError::UnknownTimeZone {
                zone: text.to_string(),
                span: zone.span,
                suggestion,
            });
            None
        }
    }
}

/// The instant as written: with its seconds when it has them.
pub(crate) fn instant_text(instant: &InstantSyntax) -> String {
    let mut text = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        instant.year, instant.month, instant.day, instant.hour, instant.minute
    );
    if instant.has_seconds {
        text.push_str(&format!(":{:02}", instant.second));
    }
    text
}

pub(crate) fn civil(ctx: &mut Ctx<'_>, instant: &InstantSyntax) -> Option<jiff::civil::DateTime> {
    match jiff::civil::DateTime::new(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        0,
    ) {
        Ok(datetime) => Some(datetime),
        Err(error) => {
            // `24:00` and `23:59:60` both mean the end of the day: the next
            // day's midnight, written as the author writes instants.
            let day_end = || {
                let next = jiff::civil::Date::new(instant.year, instant.month, instant.day)
                    .ok()?
                    .tomorrow()
                    .ok()?;
                let format = if instant.has_seconds {
                    "%Y-%m-%d 00:00:00"
                } else {
                    "%Y-%m-%d 00:00"
                };
                Some(format!(
                    "for the end of the day, write the next day's midnight, `{}`",
                    next.strftime(format)
                ))
            };
            let mut help = None;
            let reason = if jiff::civil::Date::new(instant.year, instant.month, 1).is_err() {
                format!("there is no month {}", instant.month)
            } else if jiff::civil::Date::new(instant.year, instant.month, instant.day).is_err() {
                format!(
                    "{:04}-{:02} has no day {}",
                    instant.year, instant.month, instant.day
                )
            } else if instant.hour == 24 && instant.minute == 0 && instant.second == 0 {
                help = day_end();
                String::from("hours go from 00 to 23")
            } else if instant.hour > 23 {
                String::from("hours go from 00 to 23")
            } else if instant.minute > 59 {
                String::from("minutes go from 00 to 59")
            } else if instant.second == 60 {
                if instant.hour == 23 && instant.minute == 59 {
                    help = day_end();
                }
                String::from("leap seconds are not supported; seconds go from 00 to 59")
            } else if instant.second > 59 {
                String::from("seconds go from 00 to 59")
            } else {
                error.to_string()
            };
            ctx.error(CampError::InvalidInstant {
                span: instant.span,
                text: instant_text(instant),
                reason,
                help,
            });
            None
        }
    }
}

pub(crate) fn to_timestamp(
    ctx: &mut Ctx<'_>,
    zone: &jiff::tz::TimeZone,
    local: jiff::civil::DateTime,
    instant: &InstantSyntax,
    zone_name: &str,
) -> Option<jiff::Timestamp> {
    let ambiguous = zone.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        jiff::tz::AmbiguousOffset::Gap { .. } => {
            ctx.error(CampError::NonexistentLocalTime {
                span: instant.span,
                text: instant_text(instant),
                zone: zone_name.to_string(),
            });
            None
        }
        // In a fold (clocks set back), the earlier of the two instants.
        _ => ambiguous.earlier().ok(),
    }
}

/// Every time zone name a window accepts: the IANA names of the tz
/// database bundled into Camp, each exactly as the checker wants it
/// written, sorted. Computed once.
pub fn time_zone_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let database = jiff::tz::db();
        let mut names: Vec<String> = database
            .available()
            .map(|name| name.to_string())
            .filter(|name| {
                database
                    .get(name)
                    .is_ok_and(|zone| zone.iana_name() == Some(name.as_str()))
            })
            .collect();
        names.sort();
        names
    })
}

//! The diagnostics of the `E1021`–`E1039` errors: limits by several
//! dimensions, `total`, and schedules (`days:`, `hours:`).

use super::*;

/// [`CampError::LimitDimensionTwice`].
pub(super) fn limit_dimension_twice(
    error_code: &'static str,
    span: Span,
    dimension: String,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("the limit counts `per {dimension}` twice"),
        span,
        "written again",
    )
    .with_label(Label::new(first, "first written here"))
    .with_help(format!(
        "remove the second `per {dimension}`: each dimension counts once"
    ))
}

/// [`CampError::LimitPeriodNotLast`].
pub(super) fn limit_period_not_last(
    error_code: &'static str,
    span: Span,
    period: String,
    rewritten: String,
) -> Diagnostic {
    error(
        error_code,
        format!("the period `{period}` comes before a dimension"),
        span,
        "a period here",
    )
    .with_help(format!(
        "write the dimensions first and the period last: `{rewritten}`"
    ))
}

/// [`CampError::LimitTwoPeriods`].
pub(super) fn limit_two_periods(
    error_code: &'static str,
    span: Span,
    period: String,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("the limit has a second period, `{period}`"),
        span,
        "second period",
    )
    .with_label(Label::new(first, "first period"))
    .with_help("a limit counts over one period: write one `limit:` per period")
}

/// [`CampError::LimitMoneyTotal`].
pub(super) fn limit_money_total(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("an amount over the whole campaign is its budget, not a limit"),
        span,
        "an amount over the whole window",
    )
    .with_help("set the most the campaign pays in all with `budget:`; `total` counts payments (`limit: N total`)")
}

/// [`CampError::InvalidClock`].
pub(super) fn invalid_clock(error_code: &'static str, span: Span, text: String) -> Diagnostic {
    error(
        error_code,
        format!("`{text}` is not a time of day"),
        span,
        "invalid time of day",
    )
    .with_help("write `HH:MM` from `00:00` to `23:59`, or `24:00` to end a range at midnight")
}

/// [`CampError::ClockEndOfDayAsStart`].
pub(super) fn end_of_day_as_start(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("`24:00` only ends a time range"),
        span,
        "the end of the day, written as a start",
    )
    .with_help("start at `00:00` to start at midnight")
}

/// [`CampError::HoursNotIncreasing`].
pub(super) fn hours_not_increasing(
    error_code: &'static str,
    span: Span,
    start: String,
    end: String,
) -> Diagnostic {
    let help = if start == end {
        String::from("the end must be after the start; the range is half-open, so it holds no time")
    } else {
        format!(
            "a range never crosses midnight: write two, `hours: {start} to 24:00` and `hours: 00:00 to {end}`"
        )
    };
    error(
        error_code,
        format!("time range `{start} to {end}` does not end after it starts"),
        span,
        "empty or crosses midnight",
    )
    .with_help(help)
}

/// [`CampError::HoursOverlap`].
pub(super) fn hours_overlap(
    error_code: &'static str,
    span: Span,
    range: String,
    other: String,
    other_span: Span,
    merged: String,
) -> Diagnostic {
    error(
        error_code,
        format!("time ranges `{other}` and `{range}` overlap"),
        span,
        "overlaps an earlier range",
    )
    .with_label(Label::new(other_span, "earlier range"))
    .with_help(format!(
        "write one range `hours: {merged}` if both are meant, or correct the times"
    ))
}

/// [`CampError::EmptySchedule`].
pub(super) fn empty_schedule(error_code: &'static str, span: Span, window: Span) -> Diagnostic {
    error(
        error_code,
        String::from("the schedule leaves no instant of the window: the campaign could never pay"),
        span,
        "no scheduled instant in the window",
    )
    .with_label(Label::new(window, "the window"))
    .with_help("check the days and hours against the window's dates")
}

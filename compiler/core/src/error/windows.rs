//! The diagnostics of the `E06xx` errors: windows and instants.

use super::*;

/// [`CampError::EmptyWindow`].
pub(super) fn empty_window(
    error_code: &'static str,
    span: Span,
    start: String,
    end: String,
) -> Diagnostic {
    error(
        error_code,
        format!("window ends (`{end}`) at or before it starts (`{start}`)"),
        span,
        "empty or inverted window",
    )
    .with_help("the end must be after the start; check the dates and times")
}

/// [`CampError::InvalidInstant`].
pub(super) fn invalid_instant(
    error_code: &'static str,
    span: Span,
    text: String,
    reason: String,
    help: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("`{text}` is not a valid date and time: {reason}"),
        span,
        "invalid date or time",
    )
    .with_help(
        help.unwrap_or_else(|| String::from("write `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`")),
    )
}

/// [`CampError::NonexistentLocalTime`].
pub(super) fn nonexistent_local_time(
    error_code: &'static str,
    span: Span,
    text: String,
    zone: String,
) -> Diagnostic {
    error(
        error_code,
        format!("`{text}` does not exist in `{zone}`: the clocks skip it"),
        span,
        "skipped by a clock change",
    )
    .with_help("pick a time outside the daylight-saving gap")
}

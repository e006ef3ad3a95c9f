//! The diagnostics of the `E09xx` errors: test expectations that no
//! evaluation could meet, and test lines the checker cannot place in time.

use super::*;

/// [`CampError::TestDiscountAbovePayment`].
pub(super) fn discount_above_payment(
    error_code: &'static str,
    span: Span,
    expected: String,
    payment: String,
    payment_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("the test expects `{expected}` off a payment of `{payment}`"),
        span,
        "more than the payment",
    )
    .with_label(Label::new(payment_span, "the payment"))
    .with_help("a payment never gets more off than its amount; check the expected discount and the amount paid")
}

/// [`CampError::TestDiscountCurrency`].
pub(super) fn discount_currency(
    error_code: &'static str,
    span: Span,
    expected: String,
    payment: String,
    payment_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("the test expects a discount in `{expected}` off a payment in `{payment}`"),
        span,
        "another currency than the payment's",
    )
    .with_label(Label::new(payment_span, "the payment"))
    .with_help(format!(
        "a discount is in the payment's currency: write the expected amount in `{payment}`"
    ))
}

/// [`CampError::TestCampaignCurrency`].
pub(super) fn campaign_currency(
    error_code: &'static str,
    span: Span,
    campaign: String,
    campaign_currency: String,
    payment: String,
    campaign_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "the test expects a discount from `{campaign}`, a `{campaign_currency}` campaign, off a payment in `{payment}`"
        ),
        span,
        "a campaign of another currency",
    )
    .with_label(Label::new(
        campaign_span,
        format!("`{campaign}` is declared here"),
    ))
    .with_help(format!(
        "a campaign pays only payments in its own currency: pay in `{campaign_currency}`, or expect the discount from a `{payment}` campaign"
    ))
}

/// [`CampError::TestTimeBackwards`].
pub(super) fn time_backwards(
    error_code: &'static str,
    span: Span,
    time: String,
    previous: String,
    previous_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`{time}` is before the previous line's time, `{previous}`"),
        span,
        "goes back in time",
    )
    .with_label(Label::new(previous_span, "the previous time"))
    .with_help("the lines of a test run in order and time never goes backwards: order the lines by time, or start another test")
}

/// [`CampError::TestTimeWithoutZone`].
pub(super) fn time_without_zone(error_code: &'static str, span: Span, test: String) -> Diagnostic {
    error(
        error_code,
        format!("a time in the package test `\"{test}\"` has no zone"),
        span,
        "no zone",
    )
    .with_help("a package test runs campaigns of several zones: write the zone after the time, like `Asia/Shanghai` or `+08:00`")
}

/// [`CampError::TestWithoutStart`].
pub(super) fn without_start(error_code: &'static str, span: Span, test: String) -> Diagnostic {
    error(
        error_code,
        format!("the first payment of the package test `\"{test}\"` has no time"),
        span,
        "no time",
    )
    .with_help("a package test has no one window to start from: give its first payment a `time` with its zone")
}

/// [`CampError::PaymentTimeWithoutZone`].
pub(super) fn payment_time_without_zone(
    error_code: &'static str,
    span: Span,
    currency: String,
    zones: Vec<String>,
) -> Diagnostic {
    let (message, help) = if zones.is_empty() {
        (
            format!(
                "the payment's time has no zone, and no campaign of the package is in `{currency}`"
            ),
            String::from("write the zone after the time, like `Asia/Shanghai`, `UTC` or `+08:00`"),
        )
    } else {
        let zones: Vec<String> = zones.iter().map(|zone| format!("`{zone}`")).collect();
        (
            format!(
                "the payment's time has no zone, and the package's `{currency}` campaigns are in {}",
                zones.join(" and ")
            ),
            format!(
                "write the zone after the time: one of {}, or another zone",
                zones.join(", ")
            ),
        )
    };
    error(error_code, message, span, "no zone").with_help(help)
}

/// [`CampError::TestCampaignNotRun`].
pub(super) fn campaign_not_run(
    error_code: &'static str,
    span: Span,
    campaign: String,
    test: String,
    test_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("the test of `{test}` runs `{test}` alone, not `{campaign}`"),
        span,
        "not run by this test",
    )
    .with_label(Label::new(test_span, "a test named after a campaign runs it alone"))
    .with_help(format!(
        "name `{test}` here, or move the line to a package test (`test \"…\" {{ … }}`) that runs every campaign"
    ))
}

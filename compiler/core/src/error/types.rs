//! The diagnostics of the `E03xx` errors: units, types and currencies.

use camp_lang::fields;
use camp_lang::keyword::Item;

use super::*;

/// [`CampError::TypeMismatch`].
pub(super) fn type_mismatch(
    error_code: &'static str,
    span: Span,
    expected: String,
    found: String,
    help: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("expected {expected}, found {found}"),
        span,
        format!("expected {expected}").as_str(),
    )
    .with_help_opt(help)
}

/// [`CampError::CurrencyPrecision`].
pub(super) fn currency_precision(
    error_code: &'static str,
    span: Span,
    currency: String,
    written: u32,
    minor_unit: u16,
) -> Diagnostic {
    let help = if minor_unit == 0 {
        format!("`{currency}` has no minor unit: write a whole amount such as `{currency} 100`")
    } else {
        format!(
            "write at most {minor_unit} decimal{} for `{currency}`",
            if minor_unit == 1 { "" } else { "s" }
        )
    };
    let allowed = match minor_unit {
        0 => String::from("no decimals"),
        1 => String::from("1 decimal"),
        n => format!("{n} decimals"),
    };
    error(
        error_code,
        format!("`{currency}` amounts have {allowed}, this one has {written}"),
        span,
        "too many decimals",
    )
    .with_help(help)
}

/// [`CampError::CurrencyNotAllowed`].
pub(super) fn currency_not_allowed(
    error_code: &'static str,
    span: Span,
    currency: String,
    allowed: Vec<String>,
    policy: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("currency `{currency}` is not allowed by the policy"),
        span,
        "currency not in the policy",
    )
    .with_label(Label::new(
        policy,
        "the policy lists the allowed currencies here",
    ))
    .with_help(format!(
        "use one of {}, or add `{currency}` to the policy's `currencies`",
        join_code(&allowed)
    ))
}

/// [`CampError::MixedCurrencies`].
pub(super) fn mixed_currencies(
    error_code: &'static str,
    span: Span,
    found: String,
    expected: String,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("this campaign is in `{expected}`, but this amount is in `{found}`"),
        span,
        format!("`{found}` here").as_str(),
    )
    .with_label(Label::new(
        first,
        format!("the campaign's currency `{expected}` is set here"),
    ))
    .with_help(format!(
        "a campaign uses one currency; write this amount in `{expected}` (Camp never converts)"
    ))
}

/// [`CampError::RateOutOfRange`].
pub(super) fn rate_out_of_range(error_code: &'static str, span: Span, rate: String) -> Diagnostic {
    error(
        error_code,
        format!("rate `{rate}` is outside (0%, 100%]"),
        span,
        "rate out of range",
    )
    .with_help("a rate is more than 0% and at most 100%")
}

/// [`CampError::RateAbovePolicy`].
pub(super) fn rate_above_policy(
    error_code: &'static str,
    span: Span,
    excess: RateExcess,
    max: String,
    policy: Span,
) -> Diagnostic {
    let above = format!("the policy's `max_rate` of `{max}`");
    let (message, label, related, help) = excess.describe(&above, &max);
    let label = if label.is_empty() {
        String::from("above the policy maximum")
    } else {
        label
    };
    let mut diagnostic = error(error_code, message, span, &label);
    diagnostic.secondary.extend(related);
    diagnostic
        .with_label(Label::new(policy, "the policy's maximum is set here"))
        .with_help(help)
}

/// [`CampError::NotPositive`].
pub(super) fn not_positive(error_code: &'static str, span: Span, what: &'static str) -> Diagnostic {
    error(
        error_code,
        format!("{what} must be more than zero"),
        span,
        "not more than zero",
    )
    .with_help(format!("write a {what} above zero"))
}

/// [`CampError::EmptyList`].
pub(super) fn empty_list(error_code: &'static str, span: Span, field: String) -> Diagnostic {
    // A scope list: absent means any, so `[]` is ambiguous.
    let names = fields::field(Item::Campaign, &field).and_then(|spec| spec.kind.names());
    let scope = match names {
        Some(Item::MerchantGroup) => Some("merchant group"),
        Some(item @ (Item::Category | Item::Region | Item::Segment | Item::Instrument)) => {
            Some(item.as_str())
        }
        Some(
            Item::Scene
            | Item::Fund
            | Item::Policy
            | Item::Template
            | Item::Campaign
            | Item::Test
            | Item::Pool,
        )
        | None => None,
    };
    match scope {
        Some(item) => error(
            error_code,
            format!("`{field}` is an empty list: it could mean no {item} at all, or any {item}"),
            span,
            "empty list",
        )
        .with_help(format!(
            "leave `{field}` out to mean any {item}, or list at least one"
        )),
        None => error(
            error_code,
            format!("`{field}` is empty"),
            span,
            "empty list",
        )
        .with_help(if field == "scenes" {
            String::from(
                "list the scenes the campaign applies to, e.g. `scenes: [merchant_purchase]`",
            )
        } else {
            format!("list at least one item, or remove `{field}`")
        }),
    }
}

/// [`CampError::CurrencyWithoutMinorUnit`].
pub(super) fn currency_without_minor_unit(
    error_code: &'static str,
    span: Span,
    currency: String,
) -> Diagnostic {
    error(
        error_code,
        format!("`{currency}` is not a currency that money can be paid in"),
        span,
        "no minor unit",
    )
    .with_help("use a national currency code such as `CNY`")
}

/// [`CampError::DurationTooLong`].
pub(super) fn duration_too_long(
    error_code: &'static str,
    span: Span,
    written: String,
) -> Diagnostic {
    error(error_code,
        format!("`{}` is longer than 366 days, the longest duration Camp accepts", shorten(&written)),
        span,
        "longer than `366d`",
    )
    .with_help("rollout stages, guard and rate periods fit in one campaign window; check the number and its unit (`s`, `min`, `h`, `d`)")
}

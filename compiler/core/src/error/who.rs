//! The diagnostics of the `E10xx` errors of merchant groups and
//! instruments (v2).

use super::*;

/// [`CampError::InvalidBin`].
pub(super) fn invalid_bin(
    error_code: &'static str,
    span: Span,
    bin: String,
    problem: &'static str,
) -> Diagnostic {
    error(
        error_code,
        format!("BIN prefix `{bin}` {problem}"),
        span,
        "not a BIN prefix",
    )
    .with_help(String::from(
        "write the first 6 to 8 digits of the card numbers, as a string in quotes",
    ))
}

/// [`CampError::BinsNotCard`].
pub(super) fn bins_not_card(
    error_code: &'static str,
    span: Span,
    instrument: String,
    kind: &'static str,
    kind_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "instrument `{instrument}` is a `{kind}`, which has no card numbers, but lists `bins`"
        ),
        span,
        "BIN prefixes on an instrument that is not a card",
    )
    .with_label(Label::new(kind_span, "not a card kind"))
    .with_help(String::from(
        "remove `bins`, or make the instrument a `credit_card` or a `debit_card` if it is a card",
    ))
}

/// [`CampError::BinOverlap`].
pub(super) fn bin_overlap(
    error_code: &'static str,
    span: Span,
    bin: String,
    instrument: String,
    other_bin: String,
    other: String,
    other_span: Span,
) -> Diagnostic {
    let message = if bin == other_bin {
        format!("BIN prefix `{bin}` is listed by both `{instrument}` and `{other}`")
    } else {
        format!(
            "BIN prefix `{bin}` of `{instrument}` starts with `{other_bin}` of `{other}`: a card would match both"
        )
    };
    error(error_code, message, span, "matches the same cards")
        .with_label(Label::new(other_span, format!("listed by `{other}`")))
        .with_help(String::from(
            "give each card range to one instrument: remove the prefix from one of them",
        ))
}

/// [`CampError::MerchantGroupNotInFund`].
pub(super) fn merchant_group_not_in_fund(
    error_code: &'static str,
    span: Span,
    group: Option<String>,
    fund: String,
    fund_merchants: Span,
) -> Diagnostic {
    let (message, label, help) = match group {
        Some(group) => (
            format!("fund `{fund}` does not allow merchant group `{group}`"),
            "merchant group outside the fund's contract",
            format!("remove `{group}` from `merchants`"),
        ),
        None => (
            format!(
                "fund `{fund}` allows only some merchant groups, but this campaign applies at any merchant"
            ),
            "no `merchants`: applies at every merchant",
            String::from("add `merchants: […]` with merchant groups the fund allows"),
        ),
    };
    error(error_code, message, span, label)
        .with_label(Label::new(
            fund_merchants,
            format!("`{fund}` allows only these merchant groups"),
        ))
        .with_help(help)
}

/// [`CampError::EmptyMerchantList`].
pub(super) fn empty_merchant_list(
    error_code: &'static str,
    span: Span,
    group: String,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "merchant group `{group}` has an empty `list`: the runtime could not find its merchants"
        ),
        span,
        "empty list location",
    )
    .with_help(String::from(
        "write in `list` where the runtime keeps the group's merchants",
    ))
}

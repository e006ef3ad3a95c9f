//! The diagnostics of the `E1071`–`E1076` errors: claim-first coupons
//! (v2), the campaign's `claim { … }` block and the tests' `claim` lines.

use super::*;

/// [`CampError::ClaimWindowOutside`].
pub(super) fn window_outside(
    error_code: &'static str,
    span: Span,
    campaign_window: Span,
) -> Diagnostic {
    error(
        error_code,
        String::from(
            "the claim window does not overlap the campaign's window: no coupon claimed in it could ever pay",
        ),
        span,
        "no instant in common with the campaign's window",
    )
    .with_label(Label::new(campaign_window, "the campaign's window"))
    .with_help(
        "move the claim window so that it overlaps the campaign's window, or leave `window` out of `claim` to claim over the campaign's window",
    )
}

/// [`CampError::ClaimPerUserAboveInventory`].
pub(super) fn per_user_above_inventory(
    error_code: &'static str,
    span: Span,
    per_user: u64,
    inventory: u64,
    inventory_span: Span,
) -> Diagnostic {
    let (per_user, inventory) = (
        crate::check::model::group_digits(&per_user.to_string()),
        crate::check::model::group_digits(&inventory.to_string()),
    );
    error(
        error_code,
        format!(
            "`per_user: {per_user}` is above the claim's `inventory: {inventory}`: no user can claim that many coupons"
        ),
        span,
        "more than the inventory",
    )
    .with_label(Label::new(inventory_span, "all the coupons there are"))
    .with_help("make `per_user` at most `inventory`, the coupons one user may claim")
}

/// [`CampError::ClaimWithoutBlock`].
pub(super) fn without_block(
    error_code: &'static str,
    span: Span,
    campaign: String,
    declared: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("campaign `{campaign}` has no `claim` block: there is no coupon to claim"),
        span,
        "nothing to claim",
    )
    .with_label(Label::new(declared, format!("`{campaign}` is declared here")))
    .with_help(format!(
        "remove the `claim` line, or add a `claim {{ … }}` block to `{campaign}` if it is a claim-first coupon"
    ))
}

/// [`CampError::ClaimWithoutUser`].
pub(super) fn without_user(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("a claim needs a user: coupons are claimed by a user and counted per user"),
        span,
        "no `user`",
    )
    .with_help("add `, user NAME` to the `claim` line")
}

/// [`CampError::ClaimAttribute`].
pub(super) fn attribute(error_code: &'static str, span: Span, attribute: String) -> Diagnostic {
    error(
        error_code,
        format!("a claim does not take `{attribute}`: only `user` and `time`"),
        span,
        format!("`{attribute}` on a claim").as_str(),
    )
    .with_help(format!(
        "remove `{attribute}`; the payments that use the coupon give it on their `pay` lines"
    ))
}

/// [`CampError::ClaimOtherCampaign`].
pub(super) fn other_campaign(
    error_code: &'static str,
    span: Span,
    campaign: String,
    test: String,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "test `{test}` runs campaign `{test}` alone: it cannot claim a coupon of `{campaign}`"
        ),
        span,
        format!("not `{test}`").as_str(),
    )
    .with_help(format!(
        "claim a coupon of `{test}`, or move the line to a package test (`test \"…\" {{ … }}`) that runs every campaign"
    ))
}

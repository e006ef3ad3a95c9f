//! The diagnostics of the `E104x` errors: pools, budgets shared by several
//! campaigns of one fund (v2).

use super::*;

/// [`CampError::PoolOfOtherFund`].
pub(super) fn pool_of_other_fund(
    error_code: &'static str,
    span: Span,
    pool: String,
    (pool_fund, pool_fund_span): (String, Span),
    (campaign_fund, campaign_fund_span): (String, Span),
) -> Diagnostic {
    error(
        error_code,
        format!(
            "pool `{pool}` belongs to fund `{pool_fund}`, not to `{campaign_fund}`, the campaign's fund"
        ),
        span,
        format!("a pool of `{pool_fund}`").as_str(),
    )
    .with_label(Label::new(
        campaign_fund_span,
        format!("the campaign is paid from `{campaign_fund}`"),
    ))
    .with_label(Label::new(
        pool_fund_span,
        format!("`{pool}` is declared for `{pool_fund}` here"),
    ))
    .with_help(format!(
        "a pool is shared only by campaigns of its own fund: name a pool of `{campaign_fund}`, or leave `pool:` out"
    ))
}

/// [`CampError::PoolMissingCurrency`].
pub(super) fn pool_missing_currency(
    error_code: &'static str,
    span: Span,
    pool: String,
    currency: String,
    budget_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("pool `{pool}` has no budget in `{currency}`, the campaign's currency"),
        span,
        format!("no `{currency}` budget in this pool").as_str(),
    )
    .with_label(Label::new(
        budget_span,
        format!("`{pool}`'s budget is set here without `{currency}`"),
    ))
    .with_help(format!(
        "add an amount in `{currency}` to `{pool}`'s `budget`, or name a pool that has one (Camp never converts currencies)"
    ))
}

/// [`CampError::PoolExposureAboveApprovals`].
pub(super) fn pool_exposure_above_approvals(
    error_code: &'static str,
    span: Span,
    pool: String,
    exposure: String,
    top: String,
    approvals: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "pool `{pool}`'s worst-case exposure `{exposure}` is above the largest approval tier (`{top}`)"
        ),
        span,
        "pool exposure above every approval tier",
    )
    .with_label(Label::new(approvals, "the approval tiers are set here"))
    .with_help("lower the pool's budget, or add a last tier without `up_to` to the policy")
}

/// [`CampError::PoolTierMissingCurrency`].
pub(super) fn pool_tier_missing_currency(
    error_code: &'static str,
    span: Span,
    pool: String,
    currency: String,
    tier_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "pool `{pool}` has a budget in `{currency}`, but an approval tier has no amount in `{currency}`"
        ),
        span,
        format!("a budget in `{currency}`").as_str(),
    )
    .with_label(Label::new(
        tier_span,
        format!("this tier has no `up_to` amount in `{currency}`"),
    ))
    .with_help(format!(
        "add an `up_to` amount in `{currency}` to every approval tier, or leave `{currency}` out of the pool's budget (Camp never converts currencies)"
    ))
}

//! The diagnostics of the `E05xx` errors: rewards, rollout, exposure and approvals.

use super::*;

/// [`CampError::UncappedPercentage`].
pub(super) fn uncapped_percentage(
    error_code: &'static str,
    span: Span,
    rate: String,
    contract_cap: Option<(Span, String)>,
) -> Diagnostic {
    error(error_code,
        format!("percentage reward `{rate} off` has no cap"),
        span,
        "uncapped percentage",
    )
    .with_help(match contract_cap {
        Some((_, cap)) => format!(
            "add a cap no higher than the fund's `max_per_use`, e.g. `reward: {rate} off, cap {cap}`"
        ),
        None => format!(
            "add a cap, the most one reward may give, in the campaign's currency: `reward: {rate} off, cap …`"
        ),
    })
}

/// [`CampError::TiersNotIncreasing`].
pub(super) fn tiers_not_increasing(
    error_code: &'static str,
    span: Span,
    previous: Span,
) -> Diagnostic {
    error(
        error_code,
        String::from("tier thresholds must strictly increase"),
        span,
        "not above the previous threshold",
    )
    .with_label(Label::new(previous, "previous threshold"))
    .with_help("order the tiers by spend, smallest first, with no repeats")
}

/// [`CampError::TierRewardNotBelowSpend`].
pub(super) fn tier_reward_not_below_spend(
    error_code: &'static str,
    span: Span,
    reward: String,
    spend: String,
) -> Diagnostic {
    error(
        error_code,
        format!("tier reward `{reward}` is not below its threshold `{spend}`"),
        span,
        "reward not below the spend",
    )
    .with_help("a tier's reward must be smaller than the spend that earns it")
}

/// [`CampError::InvalidRandomRange`].
pub(super) fn invalid_random_range(
    error_code: &'static str,
    span: Span,
    low: String,
    high: String,
) -> Diagnostic {
    if low == high {
        error(error_code,
            format!("random range `{low}` to `{high}` has one amount: its two ends are equal"),
            span,
            "the same amount at both ends",
        )
        .with_help(format!(
            "for a fixed reward write `{low} off`; for a random one, make the high end larger than the low end"
        ))
    } else {
        error(
            error_code,
            format!(
                "random range `{low}` to `{high}` is inverted: its low end is above its high end"
            ),
            span,
            "low end above the high end",
        )
        .with_help(format!(
            "write the smaller amount first: `random {high} to {low} off`"
        ))
    }
}

/// [`CampError::ExposureAboveApprovals`].
pub(super) fn exposure_above_approvals(
    error_code: &'static str,
    span: Span,
    exposure: String,
    top: String,
    approvals: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("worst-case exposure `{exposure}` is above the largest approval tier (`{top}`)"),
        span,
        "exposure above every approval tier",
    )
    .with_label(Label::new(approvals, "the approval tiers are set here"))
    .with_help("lower the budget or limits, or add a last tier without `up_to` to the policy")
}

/// [`CampError::InvalidRollout`].
pub(super) fn invalid_rollout(
    error_code: &'static str,
    span: Span,
    problem: String,
    label: &'static str,
    help: String,
) -> Diagnostic {
    error(
        error_code,
        format!("invalid rollout: {problem}"),
        span,
        label,
    )
    .with_help(help)
}

/// [`CampError::EmptyTiers`].
pub(super) fn empty_tiers(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("`tiers` has no tiers"),
        span,
        "empty tiers",
    )
    .with_help(
        "add at least one tier, written `spend … => … off`: a threshold and the amount off from it",
    )
}

/// [`CampError::InvalidApprovalTiers`].
pub(super) fn invalid_approval_tiers(
    error_code: &'static str,
    span: Span,
    problem: String,
    help: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("invalid approval tiers: {problem}"),
        span,
        "this tier",
    )
    .with_help(help.unwrap_or_else(|| {
        String::from(
            "write tiers with increasing `up_to` amounts and one last tier without `up_to`",
        )
    }))
}

/// [`CampError::StacksWithItself`].
pub(super) fn stacks_with_itself(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("a campaign cannot stack with itself"),
        span,
        "the campaign itself",
    )
    .with_help("remove it from `stacks_with`")
}

/// [`CampError::OneSidedStacking`].
pub(super) fn one_sided_stacking(
    error_code: &'static str,
    span: Span,
    campaign: String,
    other: String,
    other_span: Span,
    other_side: OtherSide,
) -> Diagnostic {
    error(error_code,
        format!("`{campaign}` stacks with `{other}`, but `{other}` does not stack with `{campaign}`"),
        span,
        "one-sided: stacking needs both campaigns' consent",
    )
    .with_label(Label::new(
        other_span,
        match other_side {
            OtherSide::ExclusiveByDefault => {
                format!("`{other}` has no `stacking`, so it is `exclusive`")
            }
            OtherSide::Exclusive => format!("`{other}` is `exclusive`"),
            OtherSide::OtherPartners => format!("`{other}` does not list `{campaign}`"),
        },
    ))
    .with_help(format!(
        "if they may apply to the same payment, add `{campaign}` to the `stacks_with` of `{other}`; if not, remove `{other}` from this list"
    ))
}

/// [`CampError::MaxSpendBelowMinSpend`].
pub(super) fn max_spend_below_min_spend(
    error_code: &'static str,
    span: Span,
    max_spend: String,
    min_spend: String,
    min_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`max_spend {max_spend}` is below `min_spend {min_spend}`: no payment can get the reward"),
        span,
        "below `min_spend`",
    )
    .with_label(Label::new(min_span, "the smallest payment that gets the reward"))
    .with_help("make `max_spend` at least `min_spend`, or swap the two if they are reversed")
}

/// [`CampError::UncappedEvery`].
pub(super) fn uncapped_every(error_code: &'static str, span: Span, written: String) -> Diagnostic {
    error(
        error_code,
        format!("repeating reward `{written}` has no cap, and its fund has no `max_per_use`"),
        span,
        "grows with the payment, without a bound",
    )
    .with_help(format!(
        "add a cap, the most one payment may get, in the campaign's currency: `reward: {written}, cap …`"
    ))
}

/// [`CampError::EveryRewardNotBelowStep`].
pub(super) fn every_reward_not_below_step(
    error_code: &'static str,
    span: Span,
    reward: String,
    step: String,
) -> Diagnostic {
    error(
        error_code,
        format!("the amount `{reward}` of a repeating reward is not below its step `{step}`"),
        span,
        "reward not below the step",
    )
    .with_help("the reward for every step must be smaller than the step that earns it")
}

/// [`CampError::UnboundedPrice`].
pub(super) fn unbounded_price(error_code: &'static str, span: Span, price: String) -> Diagnostic {
    error(
        error_code,
        format!("price `{price}` has neither a cap nor a `max_spend`: the reward grows with the payment"),
        span,
        "no bound on the reward",
    )
    .with_help(format!(
        "add `, max_spend …` (the largest payment brought down to the price) or `, cap …`: `reward: price {price}, max_spend …`"
    ))
}

/// [`CampError::MaxSpendNotAbovePrice`].
pub(super) fn max_spend_not_above_price(
    error_code: &'static str,
    span: Span,
    max_spend: String,
    price: String,
    price_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`max_spend {max_spend}` is not above the price `{price}`: the reward never pays"),
        span,
        "not above the price",
    )
    .with_label(Label::new(price_span, "the price"))
    .with_help(
        "a payment pays the price only when it is above it: raise `max_spend` above the price",
    )
}

//! The diagnostics of the `E04xx` errors: fund contracts.

use super::*;

/// [`CampError::SceneNotInFund`].
pub(super) fn scene_not_in_fund(
    error_code: &'static str,
    span: Span,
    scenes: Vec<String>,
    fund: String,
    fund_scenes: Span,
    via_any: bool,
    allowed: Vec<String>,
) -> Diagnostic {
    let (message, label, help) = if via_any {
        (
            format!(
                "`scenes: any` includes {} {}, which fund `{fund}` does not allow",
                if scenes.len() == 1 { "scene" } else { "scenes" },
                and_list(&scenes)
            ),
            "`any` is every declared scene",
            format!(
                "list the scenes explicitly instead of `any`, e.g. `scenes: [{}]`",
                allowed.join(", ")
            ),
        )
    } else {
        let scene = and_list(&scenes);
        (
            format!("fund `{fund}` does not allow scene {scene}"),
            "scene outside the fund's contract",
            format!("remove {scene} from `scenes`, or pay from a fund whose contract lists it"),
        )
    };
    error(error_code, message, span, label)
        .with_label(Label::new(
            fund_scenes,
            format!("`{fund}` allows only these scenes"),
        ))
        .with_help(help)
}

/// [`CampError::CategoryNotInFund`].
pub(super) fn category_not_in_fund(
    error_code: &'static str,
    span: Span,
    category: Option<String>,
    fund: String,
    fund_categories: Span,
) -> Diagnostic {
    let (message, label, help) = match category {
        Some(category) => (
            format!("fund `{fund}` does not allow category `{category}`"),
            "category outside the fund's contract",
            format!("remove `{category}` from `categories`"),
        ),
        None => (
            format!(
                "fund `{fund}` allows only some categories, but this campaign applies to any category"
            ),
            "no `categories`: applies to every category",
            String::from("add `categories: […]` with categories the fund allows"),
        ),
    };
    error(error_code, message, span, label)
        .with_label(Label::new(
            fund_categories,
            format!("`{fund}` allows only these categories"),
        ))
        .with_help(help)
}

/// [`CampError::FundRequires`].
pub(super) fn fund_requires(
    error_code: &'static str,
    span: Span,
    requirement: String,
    fund: String,
    requires: Span,
    help: &'static str,
) -> Diagnostic {
    error(
        error_code,
        format!("fund `{fund}` requires `{requirement}`, and this campaign has none"),
        span,
        format!("missing `{requirement}`").as_str(),
    )
    .with_label(Label::new(requires, format!("`{fund}` requires it here")))
    .with_help(help)
}

/// [`CampError::RateAboveFund`].
pub(super) fn rate_above_fund(
    error_code: &'static str,
    span: Span,
    excess: RateExcess,
    max: String,
    fund: String,
    fund_max: Span,
) -> Diagnostic {
    let above = format!("the `max_rate` of fund `{fund}` (`{max}`)");
    let (message, label, related, help) = excess.describe(&above, &max);
    let label = if label.is_empty() {
        String::from("above the fund's maximum")
    } else {
        label
    };
    let mut diagnostic = error(error_code, message, span, &label);
    diagnostic.secondary.extend(related);
    diagnostic
        .with_label(Label::new(
            fund_max,
            format!("`{fund}` allows at most `{max}`"),
        ))
        .with_help(help)
}

/// [`CampError::RewardAboveMaxPerUse`].
pub(super) fn reward_above_max_per_use(
    error_code: &'static str,
    span: Span,
    reward: String,
    max: String,
    fund: String,
    fund_max: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "one reward can reach `{reward}`, above the `max_per_use` of fund `{fund}` (`{max}`)"
        ),
        span,
        "above the fund's per-use maximum",
    )
    .with_label(Label::new(
        fund_max,
        format!("`{fund}` pays at most `{max}` per use"),
    ))
    .with_help(format!(
        "bring the largest single reward down to at most `{max}`"
    ))
}

/// [`CampError::BoundMissingCurrency`].
pub(super) fn bound_missing_currency(
    error_code: &'static str,
    span: Span,
    currency: String,
    bound: &'static str,
    bound_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`{bound}` has no amount in `{currency}`, the campaign's currency"),
        span,
        format!("campaign in `{currency}`").as_str(),
    )
    .with_label(Label::new(
        bound_span,
        format!("`{bound}` is set here without `{currency}`"),
    ))
    .with_help(format!(
        "add an amount in `{currency}` to `{bound}` (Camp never converts currencies)"
    ))
}

/// [`CampError::MoneyMovementScene`].
pub(super) fn money_movement_scene(
    error_code: &'static str,
    span: Span,
    scenes: Vec<(String, Span)>,
    fund: String,
    via_any: bool,
    allowed: Vec<String>,
) -> Diagnostic {
    let names: Vec<&str> = scenes.iter().map(|(scene, _)| scene.as_str()).collect();
    let listed = and_list(&names);
    let message = match (via_any, names.len()) {
        (true, 1) => format!(
            "`scenes: any` includes {listed}, a money-movement scene, which fund `{fund}` does not list"
        ),
        (true, _) => format!(
            "`scenes: any` includes the money-movement scenes {listed}, which fund `{fund}` does not list"
        ),
        (false, _) => {
            format!("{listed} is a money-movement scene, which fund `{fund}` does not list")
        }
    };
    let help = if via_any {
        format!(
            "list the scenes explicitly instead of `any`, e.g. `scenes: [{}]`",
            allowed.join(", ")
        )
    } else {
        format!("remove {listed}; only a fund that lists {listed} in its `scenes` may pay for it")
    };
    let mut diagnostic = error(
        error_code,
        message,
        span,
        "money movement is never discounted",
    );
    for (scene, declared) in scenes {
        diagnostic = diagnostic.with_label(Label::new(
            declared,
            format!("`{scene}` is declared with `money_movement: true`"),
        ));
    }
    diagnostic.with_help(help)
}

//! The diagnostics of the `E07xx` errors: templates.

use super::*;

/// [`CampError::ArgumentType`].
pub(super) fn argument_type(
    error_code: &'static str,
    span: Span,
    parameter: String,
    expected: String,
    found: String,
    parameter_span: Span,
    help: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("argument `{parameter}` expects {expected}, found {found}"),
        span,
        format!("expected {expected}").as_str(),
    )
    .with_label(Label::new(
        parameter_span,
        format!("parameter `{parameter}` is declared here"),
    ))
    .with_help_opt(help)
}

/// [`CampError::ArgumentOutOfRange`].
pub(super) fn argument_out_of_range(
    error_code: &'static str,
    span: Span,
    parameter: String,
    value: String,
    low: String,
    high: String,
    range_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("argument `{parameter}` is `{value}`, outside its range `{low}..{high}`"),
        span,
        "out of range",
    )
    .with_label(Label::new(range_span, "the range is declared here"))
    .with_help(format!("pass a value from `{low}` to `{high}`"))
}

/// [`CampError::MissingArgument`].
pub(super) fn missing_argument(
    error_code: &'static str,
    span: Span,
    parameter: String,
    template: String,
    parameter_span: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("missing argument `{parameter}` for template `{template}`"),
        span,
        format!("`{parameter}` not given").as_str(),
    )
    .with_label(Label::new(
        parameter_span,
        format!("parameter `{parameter}` is declared here"),
    ))
    .with_help(format!("add `{parameter}: …` to the arguments"))
}

/// [`CampError::UnknownArgument`].
pub(super) fn unknown_argument(
    error_code: &'static str,
    span: Span,
    name: String,
    template: String,
    suggestion: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("template `{template}` has no parameter `{name}`"),
        span,
        "unknown parameter",
    )
    .with_help(did_you_mean(&suggestion).unwrap_or_else(|| String::from("remove this argument")))
}

/// [`CampError::FieldFixedByTemplate`].
pub(super) fn field_fixed_by_template(
    error_code: &'static str,
    span: Span,
    field: String,
    template: String,
    fixed_at: Span,
) -> Diagnostic {
    error(error_code,
        format!("field `{field}` is fixed by template `{template}`"),
        span,
        "cannot be set here",
    )
    .with_label(Label::new(fixed_at, "the template sets it here"))
    .with_help(format!(
        "remove it; a campaign made from `{template}` may set only the fields the template leaves open"
    ))
}

/// [`CampError::UnknownParameterType`].
pub(super) fn unknown_parameter_type(
    error_code: &'static str,
    span: Span,
    ty: String,
    suggestion: Option<String>,
) -> Diagnostic {
    error(error_code,
        format!("unknown parameter type `{ty}`"),
        span,
        "unknown type",
    )
    .with_help(did_you_mean(&suggestion).unwrap_or_else(|| {
        String::from("the types are `Money`, `Rate`, `Count`, `Duration`, `Text`, `Scene`, `Category`, `Region`, `Segment`, `Fund`, and lists such as `[Region]`")
    }))
}

/// [`CampError::InvalidParameterRange`].
pub(super) fn invalid_parameter_range(
    error_code: &'static str,
    span: Span,
    problem: String,
) -> Diagnostic {
    error(
        error_code,
        format!("invalid parameter range: {problem}"),
        span,
        "invalid range",
    )
    .with_help("write `in LOW..HIGH` with two values of the parameter's type, the smaller first")
}

/// [`CampError::DuplicateArgument`].
pub(super) fn duplicate_argument(
    error_code: &'static str,
    name: String,
    span: Span,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`{name}` is given twice"),
        span,
        "given again here",
    )
    .with_label(Label::new(first, "first given here"))
    .with_help("keep one of them")
}

//! The diagnostics of the `E02xx` errors: names and fields.

use super::*;

/// [`CampError::DuplicateDeclaration`].
pub(super) fn duplicate_declaration(
    error_code: &'static str,
    name: String,
    span: Span,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`{name}` is declared twice"),
        span,
        "declared again here",
    )
    .with_label(Label::new(first, "first declared here"))
    .with_help("names are global in a package; rename or remove one of them")
}

/// [`CampError::UnknownField`].
pub(super) fn unknown_field(
    error_code: &'static str,
    field: String,
    span: Span,
    owner: &'static str,
    suggestion: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("unknown field `{field}` in a {owner}"),
        span,
        "unknown field",
    )
    .with_help_opt(did_you_mean(&suggestion).or(Some(format!(
        "remove it; the fields of a {owner} are listed in `{}`",
        field_docs(owner)
    ))))
}

/// [`CampError::UnknownName`].
pub(super) fn unknown_name(
    error_code: &'static str,
    name: String,
    span: Span,
    expected: NameKind,
    suggestion: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("unknown {} `{name}`", expected.as_str()),
        span,
        format!("no {} is named `{name}`", expected.as_str()).as_str(),
    )
    .with_help(did_you_mean(&suggestion).unwrap_or_else(|| {
        format!(
            "declare it in the schema, e.g. `{} {name}`, or use one that is declared",
            expected.as_str()
        )
    }))
}

/// [`CampError::WrongKindOfName`].
pub(super) fn wrong_kind_of_name(
    error_code: &'static str,
    name: String,
    span: Span,
    expected: NameKind,
    found: NameKind,
    declared: Span,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "`{name}` is {} {}, not {} {}",
            found.article(),
            found.as_str(),
            expected.article(),
            expected.as_str()
        ),
        span,
        format!("expected {} {}", expected.article(), expected.as_str()).as_str(),
    )
    .with_label(Label::new(declared, format!("`{name}` is declared here")))
    .with_help(format!(
        "use the name of {} {} here",
        expected.article(),
        expected.as_str()
    ))
}

/// [`CampError::DuplicateField`].
pub(super) fn duplicate_field(
    error_code: &'static str,
    field: String,
    span: Span,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("field `{field}` is set twice"),
        span,
        "set again here",
    )
    .with_label(Label::new(first, "first set here"))
    .with_help("keep one of them")
}

/// [`CampError::MissingField`].
pub(super) fn missing_field(
    error_code: &'static str,
    field: &'static str,
    span: Span,
    owner: &'static str,
    help: &'static str,
) -> Diagnostic {
    error(
        error_code,
        format!("this {owner} has no `{field}`"),
        span,
        format!("missing `{field}`").as_str(),
    )
    .with_help(help)
}

/// [`CampError::UnknownCurrency`].
pub(super) fn unknown_currency(
    error_code: &'static str,
    code: String,
    span: Span,
    suggestion: Option<String>,
) -> Diagnostic {
    error(
        error_code,
        format!("`{code}` is not an ISO 4217 currency code"),
        span,
        "unknown currency",
    )
    .with_help(
        did_you_mean(&suggestion)
            .unwrap_or_else(|| String::from("write a three-letter ISO 4217 code such as `CNY`")),
    )
}

/// [`CampError::LowercaseCurrency`].
pub(super) fn lowercase_currency(
    error_code: &'static str,
    written: String,
    span: Span,
    amount: String,
) -> Diagnostic {
    let code = written.to_ascii_uppercase();
    error(
        error_code,
        format!("currency codes are written in capitals: `{written}` should be `{code}`"),
        span,
        "not in capitals",
    )
    .with_help(format!("did you mean `{code} {amount}`?"))
}

/// [`CampError::UnknownTimeZone`].
pub(super) fn unknown_time_zone(
    error_code: &'static str,
    zone: String,
    span: Span,
    suggestion: Option<String>,
) -> Diagnostic {
    match suggestion {
        // The right zone in the wrong case: say so, not "unknown".
        Some(exact) if exact.eq_ignore_ascii_case(&zone) => error(
            error_code,
            format!("time zone `{zone}` is spelled `{exact}` in the time zone database"),
            span,
            "zone names are case-sensitive",
        )
        .with_help(format!("write `{exact}`")),
        suggestion => error(
            error_code,
            format!("`{zone}` is not a known time zone"),
            span,
            "unknown time zone",
        )
        .with_help(did_you_mean(&suggestion).unwrap_or_else(|| {
            String::from(
                "write an IANA zone such as `Asia/Shanghai`, `UTC`, or an offset such as `+08:00`",
            )
        })),
    }
}

/// [`CampError::UnknownWord`].
pub(super) fn unknown_word(
    error_code: &'static str,
    word: String,
    span: Span,
    what: &'static str,
    allowed: &'static [&'static str],
    suggestion: Option<String>,
) -> Diagnostic {
    let allowed = allowed
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ");
    error(
        error_code,
        format!("unknown {what} `{word}`"),
        span,
        format!("not a {what}").as_str(),
    )
    .with_help(match suggestion {
        Some(suggestion) => format!("did you mean `{suggestion}`? the choices are {allowed}"),
        None => format!("the choices are {allowed}"),
    })
}

/// [`CampError::SecondPolicy`].
pub(super) fn second_policy(error_code: &'static str, span: Span, first: Span) -> Diagnostic {
    error(
        error_code,
        String::from("a package has at most one `policy`"),
        span,
        "second policy",
    )
    .with_label(Label::new(first, "the policy is declared here"))
    .with_help("merge the two policies into one")
}

/// [`CampError::DuplicateListItem`].
pub(super) fn duplicate_list_item(
    error_code: &'static str,
    name: String,
    span: Span,
    first: Span,
) -> Diagnostic {
    error(
        error_code,
        format!("`{name}` is listed twice"),
        span,
        "listed again",
    )
    .with_label(Label::new(first, "first listed here"))
    .with_help("remove the repeat")
}

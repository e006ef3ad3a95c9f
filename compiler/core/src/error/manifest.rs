//! The diagnostics of the `E08xx` errors: the package's `camp.toml`.

use super::*;
use crate::manifest::ManifestProblem;

/// [`CampError::Manifest`].
pub(super) fn problem(
    error_code: &'static str,
    span: Span,
    problem: ManifestProblem,
) -> Diagnostic {
    match problem {
        ManifestProblem::NotToml { message } => error(
            error_code,
            format!("`camp.toml` is not valid TOML: {message}"),
            span,
            "not valid TOML",
        ),
        ManifestProblem::UnknownKey {
            table,
            key,
            suggestion,
        } => {
            let (place, holds) = match table {
                Some("diff") => (
                    String::from("`[diff]`"),
                    format!(
                        "the diff flags: {}",
                        crate::diff::Flag::ALL
                            .map(|flag| format!("`{}`", flag.name()))
                            .join(", ")
                    ),
                ),
                Some(table) => (format!("`[{table}]`"), String::from("only `name`")),
                None => (
                    String::from("`camp.toml`"),
                    String::from("only `[package]`, `[lints]` and `[diff]`"),
                ),
            };
            let hint = suggestion
                .map(|known| format!("did you mean `{known}`? "))
                .unwrap_or_default();
            error(
                error_code,
                format!("{place} has no key `{key}`"),
                span,
                "unknown key",
            )
            .with_help(format!("{hint}{place} holds {holds}"))
        }
        ManifestProblem::WrongType {
            key,
            expected,
            found,
        } => error(
            error_code,
            format!(
                "`{key}` in `camp.toml` must be {expected}; found {} {found}",
                if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                }
            ),
            span,
            &format!("expected {expected}"),
        ),
        // The linter's sentences say what the rules, levels and options are.
        ManifestProblem::UnknownRule { message } => {
            error(error_code, message, span, "not a lint rule")
        }
        ManifestProblem::LintSetting { message } => error(
            error_code,
            message,
            span,
            "not a level or option of this rule",
        ),
    }
}

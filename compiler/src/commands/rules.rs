//! `campc rules` and `campc rule NAME`: the lint rules and the error codes.

use std::process::ExitCode;

use camp_core::lint::{self};

use crate::{Failure, write_stdout};

pub(crate) fn list_rules() {
    let rules = lint::all_rules();
    let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for rule in rules {
        text.push_str(&format!(
            "{:width$}  {:6}  {}\n",
            rule.name,
            rule.default_level.as_str(),
            rule.summary
        ));
    }
    write_stdout(&text);
}

pub(crate) fn list_codes() {
    let mut text = String::new();
    for camp_core::error::ErrorCode { code, title, .. } in camp_core::error::ERROR_CODES {
        text.push_str(&format!("{code}  {title}\n"));
    }
    write_stdout(&text);
}

/// Whether `name` is written like an error code: `E` and digits.
pub(crate) fn looks_like_a_code(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case(&'e'))
        && chars.clone().next().is_some()
        && chars.all(|ch| ch.is_ascii_digit())
}

/// `campc rule NAME`: a lint rule's documentation, or an error code's
/// explanation (as `rustc --explain` prints it).
pub(crate) fn show_rule(name: &str) -> Result<ExitCode, Failure> {
    use camp_core::error;
    if looks_like_a_code(name) {
        let code = name.to_ascii_uppercase();
        if let Some(error::ErrorCode {
            title, explanation, ..
        }) = error::error_code(&code)
        {
            write_stdout(&format!("# {code}: {title}\n\n{explanation}"));
            return Ok(ExitCode::SUCCESS);
        }
        if let Some(error::RetiredCode { was, .. }) = error::retired(&code) {
            write_stdout(&format!(
                "# {code} (retired)\n\nThis code is no longer reported, and will never be given another meaning: {was}.\n"
            ));
            return Ok(ExitCode::SUCCESS);
        }
        // A typo in a code is one digit changed or two swapped: offer the
        // codes that close, when there are few enough to be a hint.
        let close: Vec<String> = error::ERROR_CODES
            .iter()
            .filter(|known| strsim::damerau_levenshtein(&code, known.code) <= 1)
            .map(|known| format!("`{}`", known.code))
            .collect();
        let hint = match close.as_slice() {
            [one] => format!("did you mean {one}?"),
            [first @ .., last] if close.len() <= 3 => {
                format!("did you mean {} or {last}?", first.join(", "))
            }
            _ => String::from("`campc rules --codes` lists them"),
        };
        return Err(format!("no error code is `{code}`; {hint}").into());
    }
    if let Some(flag) = camp_core::diff::Flag::find(name) {
        write_stdout(&camp_core::diff::flags::flag_markdown(flag));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(rule) = lint::find_rule(name) else {
        let names = lint::all_rules();
        let hint = camp_core::check::values::suggest(name, names.iter().map(|rule| rule.name))
            .map(|suggestion| format!("; did you mean `{suggestion}`?"))
            .unwrap_or_else(|| {
                String::from(
                    "; `campc rules` lists them, and `campc rule E0203` explains an error code",
                )
            });
        return Err(format!("no lint rule is named `{name}`{hint}").into());
    };
    let mut text = format!(
        "# {}\n\nDefault level: `{}`.\n\n",
        rule.name,
        rule.default_level.as_str()
    );
    for option in rule.options {
        text.push_str(&format!(
            "Option `{}` (default `{}`): {}\n\n",
            option.name, option.default, option.description
        ));
    }
    text.push_str(&lint::rule_docs_markdown(rule, 0));
    write_stdout(&text);
    Ok(ExitCode::SUCCESS)
}

//! The diagnostics of the `E01xx` errors: text and syntax.

use super::*;

/// [`CampError::InvalidUtf8`].
pub(super) fn invalid_utf8(error_code: &'static str, span: Span, line: usize) -> Diagnostic {
    error(
        error_code,
        format!("this file is not valid UTF-8 (first bad byte on line {line})"),
        span,
        "invalid UTF-8 starts here",
    )
    .with_help("save the file as UTF-8; Camp sources are always UTF-8")
}

/// [`CampError::Utf16`].
pub(super) fn utf16(error_code: &'static str, span: Span, big_endian: bool) -> Diagnostic {
    error(
        error_code,
        format!(
            "this file looks like UTF-16 ({}); Camp sources are UTF-8",
            if big_endian {
                "big-endian"
            } else {
                "little-endian"
            }
        ),
        span,
        "UTF-16 text starts here",
    )
    .with_help("save it as UTF-8 (in most editors: \"Save with Encoding\", then \"UTF-8\")")
}

/// [`CampError::FileTooLarge`].
pub(super) fn file_too_large(
    error_code: &'static str,
    span: Span,
    bytes: usize,
    limit: usize,
) -> Diagnostic {
    error(
        error_code,
        format!(
            "this file is {bytes} bytes, larger than the {limit}-byte limit for a `.camp` file"
        ),
        span,
        "file too large",
    )
    .with_help("split the campaigns into several files; a campaign file is a few kilobytes")
}

/// [`CampError::LookAlike`].
pub(super) fn look_alike(
    error_code: &'static str,
    span: Span,
    found: String,
    ascii: String,
    description: &'static str,
) -> Diagnostic {
    let mut chars = found.chars();
    let message = match (chars.next(), chars.next()) {
        (Some(ch), None) => format!(
            "`{found}` (U+{:04X}) is {} {description}, not the ASCII `{ascii}`",
            ch as u32,
            if description.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            }
        ),
        _ => format!("`{found}` are look-alike characters, not the ASCII `{ascii}`"),
    };
    let help = if description.ends_with("letter") {
        format!(
            "replace `{found}` with the ASCII letter `{ascii}`; the two look alike but are different characters"
        )
    } else {
        format!(
            "replace `{found}` with `{ascii}`; switch the input method to half-width (English) mode"
        )
    };
    error(
        error_code,
        message,
        span,
        format!("type this as `{ascii}`").as_str(),
    )
    .with_help(help)
}

/// [`CampError::NonAscii`].
pub(super) fn non_ascii(error_code: &'static str, span: Span, text: String) -> Diagnostic {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(ch), None) if is_invisible(ch) => error(
            error_code,
            format!("invisible character U+{:04X} in the source", ch as u32),
            span,
            "invisible character here",
        )
        .with_help("delete it; it may have been pasted along with the text around it"),
        (first, second) => {
            let message = match (first, second) {
                (Some(ch), None) => format!(
                    "unexpected character `{ch}` (U+{:04X}) outside a string",
                    ch as u32
                ),
                _ => format!("unexpected text `{text}` outside a string"),
            };
            error(error_code, message, span, "not allowed outside a string")
                .with_help("names and numbers are ASCII; put text such as titles in a string, e.g. `title: \"…\"`")
        }
    }
}

/// [`CampError::Syntax`].
pub(super) fn syntax(
    error_code: &'static str,
    span: Span,
    expected: Vec<String>,
    found: String,
    hint: Option<String>,
) -> Diagnostic {
    let expected_text = match expected.as_slice() {
        [] => String::from("something else"),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    let message = if found.is_empty() {
        format!("expected {expected_text}, found the end of the item")
    } else {
        format!("expected {expected_text}, found `{found}`")
    };
    error(
        error_code,
        message,
        span,
        format!("expected {expected_text}").as_str(),
    )
    .with_help_opt(hint)
}

/// [`CampError::DanglingDoc`].
pub(super) fn dangling_doc(error_code: &'static str, span: Span) -> Diagnostic {
    error(
        error_code,
        String::from("this doc comment documents nothing: no declaration or field follows it"),
        span,
        "a doc comment must come right before a declaration or a field",
    )
    .with_help(
        "move it above the declaration or field it describes, or write `//` for a plain comment",
    )
}

/// [`CampError::NumberNotation`].
pub(super) fn number_notation(
    error_code: &'static str,
    span: Span,
    text: String,
    notation: Notation,
    decimal: Option<String>,
) -> Diagnostic {
    let why = match notation {
        Notation::Hexadecimal => "hexadecimal",
        Notation::Octal => "octal",
        Notation::Binary => "binary",
        Notation::Exponent => "exponent",
    };
    let text = shorten(&text);
    error(
        error_code,
        format!("`{text}` is not a number Camp accepts: numbers are written in decimal digits"),
        span,
        format!("{why} notation").as_str(),
    )
    .with_help(match decimal {
        Some(decimal) => format!("write `{decimal}`"),
        None => String::from(
            "write it in decimal digits, `0` to `9`, with `_` between groups if you like",
        ),
    })
}

/// [`CampError::InvalidEscape`].
pub(super) fn invalid_escape(
    error_code: &'static str,
    span: Span,
    escape: String,
    problem: EscapeProblem,
) -> Diagnostic {
    match problem {
        EscapeProblem::Unknown => error(error_code,
            format!("unknown escape `{escape}` in a string"),
            span,
            "unknown escape",
        )
        .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\u{…}`; write `\\\\` for a backslash"),
        EscapeProblem::Surrogate => error(error_code,
            format!("`{escape}` is a surrogate, not a character"),
            span,
            "surrogate code point",
        )
        .with_help("write the character itself, or its code point, e.g. `\\u{1F600}`; a UTF-16 surrogate pair is one character above U+FFFF"),
        EscapeProblem::AboveUnicode => error(error_code,
            format!("`{escape}` is above `\\u{{10FFFF}}`, the largest character"),
            span,
            "not a character",
        )
        .with_help("check the code point; characters go from `\\u{0}` to `\\u{10FFFF}`"),
        EscapeProblem::Malformed => error(error_code,
            format!("`{escape}` is not a complete character escape"),
            span,
            "incomplete escape",
        )
        .with_help("write `\\u{` then 1 to 6 hex digits then `}`, e.g. `\\u{89C4}`"),
    }
}

/// [`CampError::NumberTooLarge`].
pub(super) fn number_too_large(
    error_code: &'static str,
    span: Span,
    text: String,
    what: TooLarge,
) -> Diagnostic {
    let text = shorten(&text);
    let (message, label) = match what {
        TooLarge::Count => (
            format!("`{text}` is too large for a count (at most `18_446_744_073_709_551_615`)"),
            "too large for a count",
        ),
        TooLarge::Amount => (
            format!("`{text}` is too large for an amount (at most 28 significant digits)"),
            "too large for an amount",
        ),
        TooLarge::Rate => (
            format!("`{text}` is too large for a rate (at most `100%`)"),
            "too large for a rate",
        ),
        TooLarge::Decimal => (
            format!("`{text}` has more digits than Camp keeps exactly (28 significant digits)"),
            "too many digits",
        ),
    };
    error(error_code, message, span, label).with_help("check the value for extra digits")
}

/// [`CampError::ControlCharacter`].
pub(super) fn control_character(
    error_code: &'static str,
    span: Span,
    ch: char,
    region: Region,
    others: Vec<(Span, char)>,
) -> Diagnostic {
    let more = more_on_line(others.len());
    let mut diagnostic = error(
        error_code,
        format!(
            "control character {} {}{more}",
            control_label(ch),
            place(region)
        ),
        span,
        "invisible control character",
    );
    for (other, ch) in others {
        diagnostic = diagnostic.with_label(Label::new(other, control_label(ch)));
    }
    diagnostic.with_help("delete it; it may have been pasted from another program")
}

/// [`CampError::BidiControl`].
pub(super) fn bidi_control(
    error_code: &'static str,
    span: Span,
    ch: char,
    region: Region,
    others: Vec<(Span, char)>,
) -> Diagnostic {
    let more = more_on_line(others.len());
    let mut diagnostic = error(
        error_code,
        format!(
            "bidirectional control character {} {}{more}",
            bidi_label(ch),
            place(region)
        ),
        span,
        "changes the order in which the text around it is shown",
    );
    for (other, ch) in others {
        diagnostic = diagnostic.with_label(Label::new(other, bidi_label(ch)));
    }
    diagnostic.with_help(match region {
        Region::String => format!(
            "delete it: it can make code read differently from how it compiles; if the text needs it, write its escape `\\u{{{:X}}}`",
            ch as u32
        ),
        Region::Code | Region::Comment => String::from(
            "delete it: it can make code read differently from how it compiles",
        ),
    })
}

/// `, and N more on this line`, for a diagnostic that reports one of
/// several characters on a line and labels the others.
fn more_on_line(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => String::from(", and 1 more on this line"),
        n => format!(", and {n} more on this line"),
    }
}

//! Rendering diagnostics at the edge: for people (`human`, `concise`) and
//! for programs (`json`, `sarif`, `github`, `junit`). The diagnostics
//! themselves are plain data.

use std::borrow::Cow;

use camp_core::syntax::lookalike::{is_bidi_control, is_forbidden_control};

pub mod concise;
pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod test_report;

/// Whether a character must never reach a terminal or a log as it is: a
/// control character (it can move the cursor, retitle or recolour the
/// terminal) or a bidirectional control (it reorders the text around it).
/// Tab and the line endings are the caller's business.
pub fn needs_escape(ch: char) -> bool {
    is_forbidden_control(ch) || is_bidi_control(ch)
}

/// `text` with every character that [`needs_escape`] written as its
/// escape, `\u{1b}`, as a string literal would write it. Everything a
/// person reads (the human report, GitHub annotations, JUnit) goes through
/// this; JSON and SARIF escape control characters themselves.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        push_escaped(&mut out, ch);
    }
    Cow::Owned(out)
}

/// Pushes `ch`, or its escape if it [`needs_escape`].
pub fn push_escaped(out: &mut String, ch: char) {
    if needs_escape(ch) {
        out.push_str(&format!("\\u{{{:x}}}", ch as u32));
    } else {
        out.push(ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            escape_controls("a\u{1b}]0;x\u{7}b\u{202e}c\u{9b}\td"),
            "a\\u{1b}]0;x\\u{7}b\\u{202e}c\\u{9b}\td"
        );
        assert!(matches!(escape_controls("规则 “a”"), Cow::Borrowed(_)));
    }
}

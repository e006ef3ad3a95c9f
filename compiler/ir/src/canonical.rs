//! Canonical JSON: object keys sorted, no white space (for hashing), or
//! two-space indented with a final newline (for files). Written by hand
//! over `serde_json::Value` so the bytes do not depend on how serde_json's
//! map is configured anywhere in the dependency tree.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::types::IrError;

fn write_string(text: &str, out: &mut String) {
    // Most strings need no escape: written as they are, without the
    // allocation of serde_json's own quoting (the same bytes: serde_json
    // escapes only `"`, `\` and the control characters below U+0020).
    if !text
        .bytes()
        .any(|byte| byte == b'"' || byte == b'\\' || byte < 0x20)
    {
        out.reserve(text.len() + 2);
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    // serde_json's escaping of one string is canonical (RFC 8259, minimal).
    match serde_json::to_string(text) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

fn write(value: &Value, indent: Option<usize>, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(width) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', width * depth));
        }
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(item, indent, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_string(key, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                if let Some(item) = map.get(*key) {
                    write(item, indent, depth + 1, out);
                }
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn to_value<T: Serialize>(value: &T) -> Result<Value, IrError> {
    serde_json::to_value(value).map_err(|error| IrError(error.to_string()))
}

/// Compact canonical bytes.
pub fn compact<T: Serialize>(value: &T) -> Result<String, IrError> {
    let mut out = String::new();
    write(&to_value(value)?, None, 0, &mut out);
    Ok(out)
}

/// Indented canonical text with a final newline, for files.
pub fn pretty<T: Serialize>(value: &T) -> Result<String, IrError> {
    let mut out = String::new();
    write(&to_value(value)?, Some(2), 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// Hex SHA-256 of the compact canonical bytes.
pub fn sha256_of<T: Serialize>(value: &T) -> Result<String, IrError> {
    let digest = Sha256::digest(compact(value)?.as_bytes());
    Ok(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let value = serde_json::json!({"b": {"z": 1, "a": [true, null]}, "a": "规则"});
        assert_eq!(
            compact(&value).ok().as_deref(),
            Some(r#"{"a":"规则","b":{"a":[true,null],"z":1}}"#)
        );
        assert_eq!(
            pretty(&value).ok().as_deref(),
            Some(
                "{\n  \"a\": \"规则\",\n  \"b\": {\n    \"a\": [\n      true,\n      null\n    ],\n    \"z\": 1\n  }\n}\n"
            )
        );
    }

    /// The fast path for strings that need no escape writes the bytes
    /// serde_json writes, for every kind of character.
    #[test]
    fn strings_are_quoted_as_serde_json_quotes_them() {
        let texts = [
            "",
            "plain",
            "规则 ✓",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "\u{0}\u{1}\u{1f}",
            "\u{7f} del",
            "\u{2028}\u{2029}",
            "\u{1b}[2J",
        ];
        for text in texts {
            let mut out = String::new();
            write_string(text, &mut out);
            assert_eq!(Some(out), serde_json::to_string(text).ok(), "{text:?}");
        }
    }
}

//! Rename.

use std::collections::HashMap;

use camp_core::lang::keyword::is_reserved;
use camp_core::package::Analysis;
use gen_lsp_types as lsp;

use super::range;
use crate::index::occurrences;
use crate::position::Encoding;

/// A rename of a declared name everywhere, or why it cannot be done.
pub fn rename(
    analysis: &Analysis,
    name: &str,
    new_name: &str,
    encoding: Encoding,
) -> Result<lsp::WorkspaceEdit, String> {
    let valid = new_name
        .chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_lowercase() || ch == '_')
        && new_name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !valid {
        return Err(format!("`{new_name}` is not a snake_case name"));
    }
    if is_reserved(new_name) {
        return Err(format!("`{new_name}` is a reserved word"));
    }
    let found = occurrences(&analysis.parsed);
    if !found
        .iter()
        .any(|occurrence| occurrence.name == name && occurrence.declaration)
    {
        return Err(format!("`{name}` is not declared in this package"));
    }
    if found
        .iter()
        .any(|occurrence| occurrence.name == new_name && occurrence.declaration)
    {
        return Err(format!("`{new_name}` is already declared"));
    }
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for occurrence in found
        .into_iter()
        .filter(|occurrence| occurrence.name == name)
    {
        if let Some(source) = analysis.sources.get(occurrence.span.file) {
            changes
                .entry(lsp::Uri(crate::file_uri(&source.path)))
                .or_default()
                .push(lsp::TextEdit {
                    range: range(source, occurrence.span, encoding),
                    new_text: new_name.to_string(),
                });
        }
    }
    Ok(lsp::WorkspaceEdit {
        changes: Some(changes),
        ..lsp::WorkspaceEdit::default()
    })
}

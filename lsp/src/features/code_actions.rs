//! Code actions: the compiler's fixes and lint suppressions.

use std::collections::HashMap;

use camp_core::package::Analysis;
use camp_core::source::FileId;
use gen_lsp_types as lsp;

use super::range;
use crate::position::Encoding;

/// "replace with …" as an editor title: "Replace with …".
fn capitalized(title: &str) -> String {
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Quick fixes for the diagnostics the client sends back: the fixes the
/// compiler attached to the diagnostic (a misspelled name replaced by the
/// one meant, a missing required field's name, a cap for an uncapped
/// percentage), and an inline suppression (with a reason to fill in) for
/// any lint finding.
///
/// A compiler fix is offered only when the client's diagnostic is still
/// one of the file's current diagnostics (same code, same range), so a fix
/// never lands on text that has moved.
pub fn code_actions(
    uri: &str,
    text: &str,
    diagnostics: &[lsp::Diagnostic],
    current: Option<(&Analysis, FileId)>,
    encoding: Encoding,
) -> Vec<lsp::CodeAction> {
    let mut actions = Vec::new();
    let edits = |edits: Vec<lsp::TextEdit>| {
        let mut changes = HashMap::new();
        changes.insert(lsp::Uri(uri.to_string()), edits);
        Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        })
    };
    let edit = |range: lsp::Range, new_text: String| edits(vec![lsp::TextEdit { range, new_text }]);
    for diagnostic in diagnostics {
        let code = match &diagnostic.code {
            Some(lsp::Code::String(code)) => code.as_str(),
            _ => "",
        };
        let line_start = lsp::Position {
            line: diagnostic.range.start.line,
            character: 0,
        };
        let line_text = text
            .lines()
            .nth(diagnostic.range.start.line as usize)
            .unwrap_or("");
        let indent: String = line_text.chars().take_while(|ch| *ch == ' ').collect();
        if let Some((analysis, file_id)) = current
            && let Some(file) = analysis.sources.get(file_id)
        {
            let same = analysis.diagnostics.iter().filter(|known| {
                known.code == code
                    && known.primary.span.file == file_id
                    && range(file, known.primary.span, encoding) == diagnostic.range
            });
            for fix in same.flat_map(|known| &known.fixes) {
                // Every edit of a fix is in the file, or the fix is not offered.
                let in_file: Option<Vec<lsp::TextEdit>> = fix
                    .edits
                    .iter()
                    .map(|change| {
                        (change.span.file == file_id).then(|| lsp::TextEdit {
                            range: range(file, change.span, encoding),
                            new_text: change.new_text.clone(),
                        })
                    })
                    .collect();
                let Some(in_file) = in_file else { continue };
                actions.push(lsp::CodeAction {
                    title: capitalized(&fix.title),
                    kind: Some(lsp::CodeActionKind::QuickFix),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    is_preferred: Some(true),
                    edit: edits(in_file),
                    ..lsp::CodeAction::default()
                });
            }
        }
        if camp_core::lint::find_rule(code).is_some() {
            actions.push(lsp::CodeAction {
                title: format!("Suppress `{code}` here (with a reason)"),
                kind: Some(lsp::CodeActionKind::QuickFix),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: edit(
                    lsp::Range {
                        start: line_start,
                        end: line_start,
                    },
                    format!("{indent}// camp: allow({code}) reason: …\n"),
                ),
                ..lsp::CodeAction::default()
            });
        }
    }
    actions
}

//! Folding ranges.

use camp_core::package::Analysis;
use camp_core::source::{FileId, Span};
use camp_core::syntax::ast::EntryValue;
use gen_lsp_types as lsp;

use super::body_of;

/// Items, bodies and rollout blocks that span lines.
pub fn folding_ranges(analysis: &Analysis, file: FileId) -> Vec<lsp::FoldingRange> {
    let (Some(source), Some(parsed)) = (
        analysis.sources.get(file),
        analysis.parsed.get(file.0 as usize),
    ) else {
        return Vec::new();
    };
    let line = |offset: u32| source.line_column(offset).line.saturating_sub(1);
    let mut ranges = Vec::new();
    let mut add = |span: Span| {
        let (start, end) = (line(span.start), line(span.end));
        if end > start {
            ranges.push(lsp::FoldingRange {
                start_line: start,
                end_line: end,
                ..lsp::FoldingRange::default()
            });
        }
    };
    for item in &parsed.items {
        add(item.span);
        if let Some(body) = body_of(item) {
            for entry in &body.entries {
                if matches!(
                    entry.value,
                    EntryValue::Rollout(_) | EntryValue::Reward(_) | EntryValue::Claim(_)
                ) {
                    add(entry.span);
                }
            }
        }
    }
    ranges
}

//! Find references.

use camp_core::package::Analysis;
use gen_lsp_types as lsp;

use super::range;
use crate::index::occurrences;
use crate::position::Encoding;

/// Every place the name at `span`'s text is declared or used.
pub fn references(
    analysis: &Analysis,
    name: &str,
    include_declaration: bool,
    encoding: Encoding,
) -> Vec<lsp::Location> {
    occurrences(&analysis.parsed)
        .into_iter()
        .filter(|occurrence| {
            occurrence.name == name && (include_declaration || !occurrence.declaration)
        })
        .filter_map(|occurrence| {
            let source = analysis.sources.get(occurrence.span.file)?;
            Some(lsp::Location {
                uri: lsp::Uri(crate::file_uri(&source.path)),
                range: range(source, occurrence.span, encoding),
            })
        })
        .collect()
}

//! Document and workspace symbols: the items of a file, with their fields
//! as children, and the declarations a query names.

use camp_core::lang::keyword::Item as Keyword;
use camp_core::package::Analysis;
use camp_core::source::{FileId, Span};
use camp_core::syntax::ast::{Item, ItemKind, SchemaKind};
use gen_lsp_types as lsp;

use super::{body_of, range};
use crate::lines::LineIndex;
use crate::position::Encoding;

fn item_name_and_kind(item: &Item) -> Option<(String, Span, lsp::SymbolKind, &'static str)> {
    Some(match &item.kind {
        ItemKind::Schema(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::EnumMember,
            match decl.kind {
                SchemaKind::Scene => Keyword::Scene,
                SchemaKind::Category => Keyword::Category,
                SchemaKind::Region => Keyword::Region,
                SchemaKind::Segment => Keyword::Segment,
                SchemaKind::MerchantGroup => Keyword::MerchantGroup,
                SchemaKind::Instrument => Keyword::Instrument,
            }
            .as_str(),
        ),
        ItemKind::Fund(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Struct,
            Keyword::Fund.as_str(),
        ),
        ItemKind::Policy(decl) => (
            Keyword::Policy.as_str().to_string(),
            decl.keyword,
            lsp::SymbolKind::Namespace,
            Keyword::Policy.as_str(),
        ),
        ItemKind::Template(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Function,
            Keyword::Template.as_str(),
        ),
        ItemKind::Campaign(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Object,
            Keyword::Campaign.as_str(),
        ),
        ItemKind::Pool(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Struct,
            Keyword::Pool.as_str(),
        ),
        ItemKind::Test(test) => (
            format!("{} {}", Keyword::Test.as_str(), test.name.text()),
            test.name.span(),
            lsp::SymbolKind::Method,
            Keyword::Test.as_str(),
        ),
    })
}

/// The items of a file, with their fields as children.
pub fn document_symbols(
    analysis: &Analysis,
    file: FileId,
    encoding: Encoding,
) -> Vec<lsp::DocumentSymbol> {
    let (Some(source), Some(parsed)) = (
        analysis.sources.get(file),
        analysis.parsed.get(file.0 as usize),
    ) else {
        return Vec::new();
    };
    // One line table for the whole answer.
    let lines = LineIndex::new(&source.text);
    let range = |span: Span| lines.range(span, encoding);
    parsed
        .items
        .iter()
        .filter_map(|item| {
            let (name, name_span, kind, detail) = item_name_and_kind(item)?;
            let children: Vec<lsp::DocumentSymbol> = body_of(item)
                .map(|body| {
                    body.entries
                        .iter()
                        .map(|entry| {
                            lsp::DocumentSymbol::new(
                                entry.key.text.clone(),
                                None,
                                lsp::SymbolKind::Property,
                                None,
                                None,
                                range(entry.span),
                                range(entry.key.span),
                                None,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(lsp::DocumentSymbol::new(
                name,
                Some(detail.to_string()),
                kind,
                None,
                None,
                range(item.span.to(name_span)),
                range(name_span),
                (!children.is_empty()).then_some(children),
            ))
        })
        .collect()
}

/// Declarations whose name contains the query, as workspace symbols.
pub fn workspace_symbols(
    analysis: &Analysis,
    query: &str,
    encoding: Encoding,
) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for (index, parsed) in analysis.parsed.iter().enumerate() {
        let Some(source) = analysis
            .sources
            .get(FileId(u32::try_from(index).unwrap_or(u32::MAX)))
        else {
            continue;
        };
        for item in &parsed.items {
            let Some((name, name_span, kind, detail)) = item_name_and_kind(item) else {
                continue;
            };
            if name.contains(query) {
                found.push(serde_json::json!({
                    "name": name,
                    "kind": kind,
                    "containerName": detail,
                    "location": {"uri": crate::file_uri(&source.path), "range": range(source, name_span, encoding)},
                }));
            }
        }
    }
    found
}

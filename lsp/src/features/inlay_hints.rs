//! Inlay hints: exposure and approvals, windows in UTC, template
//! parameters.

use std::collections::HashMap;

use camp_core::package::Analysis;
use camp_core::source::FileId;
use camp_core::syntax::ast::ItemKind;
use gen_lsp_types as lsp;

use crate::lines;
use crate::position::Encoding;

/// After each campaign's name: its worst-case exposure and approvals;
/// after each window: its start and end in UTC; after each template
/// argument: the parameter's declared type and range.
pub fn inlay_hints(analysis: &Analysis, file: FileId, encoding: Encoding) -> Vec<lsp::InlayHint> {
    let Some(source) = analysis.sources.get(file) else {
        return Vec::new();
    };
    let mut hints = argument_hints(analysis, file, encoding);
    for campaign in analysis
        .model
        .campaigns
        .iter()
        .filter(|campaign| campaign.file == file)
    {
        hints.push(lsp::InlayHint {
            position: lines::position_in(source, campaign.name_span.end as usize, encoding),
            label: lsp::Label::String(format!(
                "exposure {} · {} approval{}",
                campaign.exposure.amount,
                campaign.approvals_required,
                if campaign.approvals_required == 1 {
                    ""
                } else {
                    "s"
                }
            )),
            padding_left: Some(true),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_right: None,
            data: None,
        });
        if campaign.spans.window.file == file {
            hints.push(lsp::InlayHint {
                position: lines::position_in(source, campaign.spans.window.end as usize, encoding),
                label: lsp::Label::String(format!(
                    "{} → {}",
                    campaign.window.start, campaign.window.end
                )),
                padding_left: Some(true),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_right: None,
                data: None,
            });
        }
    }
    hints.extend(pool_hints(analysis, file, encoding));
    hints
}

/// (v2) After each pool's name: its worst-case exposure per currency and
/// its approvals.
fn pool_hints(analysis: &Analysis, file: FileId, encoding: Encoding) -> Vec<lsp::InlayHint> {
    let Some(source) = analysis.sources.get(file) else {
        return Vec::new();
    };
    let schema = &analysis.model.schema;
    analysis
        .model
        .pools
        .iter()
        .filter_map(|pool| {
            let def = schema
                .pools
                .get(&pool.id)
                .filter(|def| def.span.file == file)?;
            let exposures: Vec<String> = pool
                .exposures
                .iter()
                .map(|exposure| exposure.amount.to_string())
                .collect();
            Some(lsp::InlayHint {
                position: lines::position_in(source, def.span.end as usize, encoding),
                label: lsp::Label::String(format!(
                    "exposure {} · {} approval{}",
                    exposures.join(", "),
                    pool.approvals_required,
                    if pool.approvals_required == 1 {
                        ""
                    } else {
                        "s"
                    }
                )),
                padding_left: Some(true),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_right: None,
                data: None,
            })
        })
        .collect()
}

/// Template arguments are named (`rate: 15%`), so the name is already
/// on screen; what is not is the parameter's contract: after each argument,
/// the type and range as the template declares them (`Rate in 5%..20%`).
/// From the syntax tree, so the hint is there while the argument is wrong.
fn argument_hints(analysis: &Analysis, file: FileId, encoding: Encoding) -> Vec<lsp::InlayHint> {
    let Some(source) = analysis.sources.get(file) else {
        return Vec::new();
    };
    let templates: HashMap<&str, &camp_core::syntax::ast::TemplateDecl> = analysis
        .parsed
        .iter()
        .flat_map(|parsed| &parsed.items)
        .filter_map(|item| match &item.kind {
            ItemKind::Template(template) => Some((template.name.text.as_str(), template)),
            _ => None,
        })
        .collect();
    let Some(parsed) = analysis.parsed.get(file.0 as usize) else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for item in &parsed.items {
        let ItemKind::Campaign(campaign) = &item.kind else {
            continue;
        };
        let Some(from) = &campaign.from else {
            continue;
        };
        let Some(template) = templates.get(from.template.text.as_str()) else {
            continue;
        };
        for argument in &from.arguments {
            let Some(parameter) = template
                .parameters
                .iter()
                .find(|parameter| parameter.name.text == argument.name.text)
            else {
                continue;
            };
            let declared = analysis.sources.slice(camp_core::source::Span {
                start: parameter.ty.span.start,
                ..parameter.span
            });
            hints.push(lsp::InlayHint {
                position: lines::position_in(source, argument.span.end as usize, encoding),
                label: lsp::Label::String(declared.to_string()),
                kind: Some(lsp::InlayHintKind::Type),
                tooltip: Some(lsp::Tooltip::String(format!(
                    "parameter `{}` of template `{}`",
                    parameter.name.text, template.name.text
                ))),
                padding_left: Some(true),
                text_edits: None,
                padding_right: None,
                data: None,
            });
        }
    }
    hints
}

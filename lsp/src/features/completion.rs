//! Completion: fields by block, values by field, rollout stages and new
//! items.

use camp_core::package::Analysis;
use camp_core::syntax::ast::{ItemKind, SchemaKind};
use gen_lsp_types as lsp;

use super::place::{Block, place_of};

/// The fields of a campaign or template, with what they take.
pub(super) const FIELDS: [(&str, &str); 15] = [
    ("title", "title: \"${1}\""),
    ("owner", "owner: \"${1:team}\""),
    ("fund", "fund: ${1}"),
    ("scenes", "scenes: [${1}]"),
    ("categories", "categories: [${1}]"),
    ("regions", "regions: [${1}]"),
    ("segments", "segments: [${1}]"),
    (
        "window",
        "window: ${1:2027-01-01 00:00} to ${2:2027-01-31 00:00} ${3:Asia/Shanghai}",
    ),
    ("reward", "reward: ${1:15%} off, cap ${2:CNY 20.00}"),
    ("budget", "budget: ${1:CNY 100_000.00}"),
    ("limit", "limit: ${1:1} per ${2:user}"),
    (
        "rollout",
        "rollout {\n  stage segment ${1:qa_accounts} for 30min\n  stage 1% for 2h\n  stage 100%\n}",
    ),
    (
        "guard",
        "guard: halt when spend > ${1:CNY 5_000.00} per 1min",
    ),
    ("stacking", "stacking: ${1:exclusive}"),
    ("expected_peak", "expected_peak: ${1:1_000} per 1s"),
];

/// The fields of a fund.
pub(super) const FUND_FIELDS: [(&str, &str); 6] = [
    ("payer", "payer: ${1:platform}"),
    ("scenes", "scenes: [${1}]"),
    ("categories", "categories: [${1}]"),
    ("requires", "requires: [${1}]"),
    ("max_rate", "max_rate: ${1:20%}"),
    ("max_per_use", "max_per_use: ${1:CNY 500.00}"),
];

/// The fields of the policy.
pub(super) const POLICY_FIELDS: [(&str, &str); 4] = [
    ("currencies", "currencies: [${1:CNY}]"),
    ("max_rate", "max_rate: ${1:50%}"),
    ("approvals", "approvals: ${1:1} up_to ${2:CNY 100_000.00}"),
    ("capacity", "capacity: ${1:20_000} per 1s"),
];

/// Fields that may be written more than once.
const REPEATABLE: [&str; 3] = ["limit", "guard", "approvals"];

fn rollout_stages() -> Vec<lsp::CompletionItem> {
    vec![
        item(
            "stage segment",
            lsp::CompletionItemKind::Snippet,
            "a stage for one segment",
            Some("stage segment ${1:qa_accounts} for ${2:30min}"),
        ),
        item(
            "stage %",
            lsp::CompletionItemKind::Snippet,
            "a stage for a share of users",
            Some("stage ${1:1}% for ${2:2h}"),
        ),
        item(
            "stage 100%",
            lsp::CompletionItemKind::Snippet,
            "the last stage",
            Some("stage 100%"),
        ),
    ]
}
/// The fields a template sets (a campaign made from it may not).
fn fields_of_template(analysis: &Analysis, name: &str) -> Vec<String> {
    analysis
        .parsed
        .iter()
        .flat_map(|parsed| &parsed.items)
        .find_map(|item| match &item.kind {
            ItemKind::Template(template) if template.name.text == name => Some(
                template
                    .body
                    .entries
                    .iter()
                    .map(|entry| entry.key.text.clone())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

fn item(
    label: &str,
    kind: lsp::CompletionItemKind,
    detail: &str,
    snippet: Option<&str>,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        insert_text: snippet.map(String::from),
        insert_text_format: snippet.map(|_| lsp::InsertTextFormat::Snippet),
        ..lsp::CompletionItem::default()
    }
}

/// Every zone a window accepts, the ones Camp's users live in first,
/// then a UTC offset, then the rest of the bundled tz database.
fn time_zones() -> Vec<lsp::CompletionItem> {
    const FIRST: [&str; 4] = ["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "+08:00"];
    let names = camp_core::check::campaign::time_zone_names();
    FIRST
        .iter()
        .enumerate()
        .map(|(rank, zone)| (format!("0{rank}"), *zone))
        .chain(
            names
                .iter()
                .filter(|name| !FIRST.contains(&name.as_str()))
                .map(|name| (format!("1{name}"), name.as_str())),
        )
        .map(|(sort_text, zone)| lsp::CompletionItem {
            sort_text: Some(sort_text),
            ..item(zone, lsp::CompletionItemKind::Value, "time zone", None)
        })
        .collect()
}

/// Completion from what the line says before the cursor.
pub fn completion(analysis: &Analysis, text: &str, offset: usize) -> Vec<lsp::CompletionItem> {
    let before = text.get(..offset).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    let trimmed = line.trim_start();
    let indented = trimmed.len() != line.len();
    let schema = &analysis.model.schema;
    let names = |kind: SchemaKind| -> Vec<lsp::CompletionItem> {
        let (detail, names): (&str, Vec<&String>) = match kind {
            SchemaKind::Scene => ("scene", schema.scenes.keys().collect()),
            SchemaKind::Category => ("category", schema.categories.keys().collect()),
            SchemaKind::Region => ("region", schema.regions.keys().collect()),
            SchemaKind::Segment => ("segment", schema.segments.keys().collect()),
        };
        names
            .into_iter()
            .map(|name| item(name, lsp::CompletionItemKind::EnumMember, detail, None))
            .collect()
    };
    let field = trimmed.split(':').next().unwrap_or("");
    if trimmed.contains(':') {
        let words = |words: &[&str], detail: &str| -> Vec<lsp::CompletionItem> {
            words
                .iter()
                .map(|word| item(word, lsp::CompletionItemKind::EnumMember, detail, None))
                .collect()
        };
        return match field {
            "payer" => words(&camp_core::ir::types::Payer::ALL, "payer"),
            "requires" => words(&camp_core::ir::types::Requirement::ALL, "requirement"),
            "fund" => schema
                .funds
                .values()
                .map(|fund| {
                    item(
                        &fund.id,
                        lsp::CompletionItemKind::Struct,
                        fund.payer.as_str(),
                        None,
                    )
                })
                .collect(),
            "scenes" => {
                let mut items = names(SchemaKind::Scene);
                items.push(item(
                    "any",
                    lsp::CompletionItemKind::Keyword,
                    "every declared scene",
                    None,
                ));
                items
            }
            "categories" => names(SchemaKind::Category),
            "regions" => names(SchemaKind::Region),
            "segments" => names(SchemaKind::Segment),
            "stacking" => vec![
                item(
                    "exclusive",
                    lsp::CompletionItemKind::Keyword,
                    "stacks with nothing",
                    None,
                ),
                item(
                    "stacks_with",
                    lsp::CompletionItemKind::Keyword,
                    "stacks with these campaigns",
                    Some("stacks_with [${1}]"),
                ),
            ],
            "reward" => vec![
                item(
                    "fixed",
                    lsp::CompletionItemKind::Snippet,
                    "a fixed amount",
                    Some("${1:CNY 5.00} off"),
                ),
                item(
                    "percentage",
                    lsp::CompletionItemKind::Snippet,
                    "a rate with its cap",
                    Some("${1:15%} off, cap ${2:CNY 20.00}"),
                ),
                item(
                    "tiers",
                    lsp::CompletionItemKind::Snippet,
                    "spend thresholds",
                    Some(
                        "tiers { spend ${1:CNY 100.00} => ${2:CNY 10.00} off; spend ${3:CNY 300.00} => ${4:CNY 40.00} off }",
                    ),
                ),
                item(
                    "random",
                    lsp::CompletionItemKind::Snippet,
                    "a random amount",
                    Some("random ${1:CNY 0.10} to ${2:CNY 8.88} off"),
                ),
            ],
            "limit" => [
                "1 per user",
                "1 per user per day",
                "CNY 100.00 per user",
                "5_000 per day",
                "CNY 10_000.00 per hour",
            ]
            .iter()
            .map(|form| item(form, lsp::CompletionItemKind::Value, "a limit", None))
            .collect(),
            "window" => time_zones(),
            _ => currencies(analysis),
        };
    }
    if trimmed.starts_with("stage segment") {
        return names(SchemaKind::Segment);
    }
    let place = place_of(text, offset);
    match place.block {
        Block::TopLevel => {}
        Block::Rollout => return rollout_stages(),
        Block::Other => return Vec::new(),
        Block::Fund | Block::Policy | Block::Campaign | Block::Template => {
            let (fields, detail): (&[(&str, &str)], &str) = match place.block {
                Block::Fund => (&FUND_FIELDS, "fund field"),
                Block::Policy => (&POLICY_FIELDS, "policy field"),
                Block::Template => (&FIELDS, "template field"),
                _ => (&FIELDS, "campaign field"),
            };
            let fixed = place
                .template
                .map(|template| fields_of_template(analysis, template))
                .unwrap_or_default();
            return fields
                .iter()
                // A field the template sets may not be set again, even a
                // repeatable one (E0705).
                .filter(|(name, _)| {
                    !fixed.iter().any(|fixed| fixed == name)
                        && (REPEATABLE.contains(name) || !place.written.contains(name))
                })
                .map(|(name, snippet)| {
                    item(name, lsp::CompletionItemKind::Field, detail, Some(snippet))
                })
                .collect();
        }
    }
    if indented {
        return Vec::new();
    }
    vec![
        item(
            "campaign",
            lsp::CompletionItemKind::Snippet,
            "a new campaign",
            Some(
                "campaign ${1:name} {\n  title: \"${2}\"\n  owner: \"${3:team}\"\n  fund: ${4}\n  scenes: [${5}]\n  window: ${6:2027-01-01 00:00} to ${7:2027-01-31 00:00} Asia/Shanghai\n  reward: ${8:CNY 5.00} off, min_spend ${9:CNY 50.00}\n  budget: ${10:CNY 100_000.00}\n  limit: 1 per user\n  rollout {\n    stage segment ${11:qa_accounts} for 30min\n    stage 100%\n  }\n  guard: halt when spend > ${12:CNY 5_000.00} per 1min\n}",
            ),
        ),
        item(
            "template",
            lsp::CompletionItemKind::Snippet,
            "a new template",
            Some(
                "template ${1:name}(${2:rate}: Rate in ${3:5%}..${4:20%}) {\n  reward: ${2:rate} off, cap ${5:CNY 20.00}\n}",
            ),
        ),
    ]
}

fn currencies(analysis: &Analysis) -> Vec<lsp::CompletionItem> {
    match analysis
        .model
        .schema
        .policy
        .as_ref()
        .and_then(|policy| policy.currencies.as_ref())
    {
        Some((currencies, _)) => currencies
            .iter()
            .map(|currency| {
                item(
                    currency.code(),
                    lsp::CompletionItemKind::Unit,
                    currency.name(),
                    None,
                )
            })
            .collect(),
        None => Vec::new(),
    }
}

//! The editor features, as functions of an analysis and a file: symbols,
//! folding, references and rename, formatting, code actions, completion
//! and inlay hints.

use std::collections::HashMap;

use camp_core::package::Analysis;
use camp_core::source::{FileId, SourceFile, Span};
use camp_core::syntax::ast::{EntryValue, Item, ItemKind, SchemaKind};
use gen_lsp_types as lsp;

use crate::index::occurrences;
use crate::lines::{self, LineIndex};
use crate::position::{self, Encoding};

/// The range of a span, through the file's line table: many of these make
/// a whole-document answer, so each costs a binary search and its own line,
/// not a scan from the file's start.
pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> lsp::Range {
    lines::range_in(file, span, encoding)
}

fn item_name_and_kind(item: &Item) -> Option<(String, Span, lsp::SymbolKind, &'static str)> {
    Some(match &item.kind {
        ItemKind::Schema(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::EnumMember,
            match decl.kind {
                SchemaKind::Scene => "scene",
                SchemaKind::Category => "category",
                SchemaKind::Region => "region",
                SchemaKind::Segment => "segment",
            },
        ),
        ItemKind::Fund(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Struct,
            "fund",
        ),
        ItemKind::Policy(decl) => (
            String::from("policy"),
            decl.keyword,
            lsp::SymbolKind::Namespace,
            "policy",
        ),
        ItemKind::Template(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Function,
            "template",
        ),
        ItemKind::Campaign(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            lsp::SymbolKind::Object,
            "campaign",
        ),
        ItemKind::Test(test) => (
            format!("test {}", test.campaign.text),
            test.campaign.span,
            lsp::SymbolKind::Method,
            "test",
        ),
    })
}

fn body_of(item: &Item) -> Option<&camp_core::syntax::ast::Body> {
    match &item.kind {
        ItemKind::Schema(decl) => decl.body.as_ref(),
        ItemKind::Fund(decl) => Some(&decl.body),
        ItemKind::Policy(decl) => Some(&decl.body),
        ItemKind::Template(decl) => Some(&decl.body),
        ItemKind::Campaign(decl) => Some(&decl.body),
        ItemKind::Test(_) => None,
    }
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
                if matches!(entry.value, EntryValue::Rollout(_) | EntryValue::Reward(_)) {
                    add(entry.span);
                }
            }
        }
    }
    ranges
}

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

const RESERVED: [&str; 13] = [
    "scene", "category", "region", "segment", "fund", "policy", "campaign", "template", "test",
    "from", "any", "true", "false",
];

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
    if RESERVED.contains(&new_name) {
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

/// The whole document, formatted; `None` if it does not parse or is
/// already formatted.
pub fn formatting(text: &str, encoding: Encoding) -> Option<Vec<lsp::TextEdit>> {
    let formatted = camp_core::format::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![lsp::TextEdit {
        range: lsp::Range {
            start: lsp::Position {
                line: 0,
                character: 0,
            },
            end: position::position(text, text.len(), encoding),
        },
        new_text: formatted,
    }])
}

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

/// The fields of a campaign or template, with what they take.
const FIELDS: [(&str, &str); 15] = [
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
const FUND_FIELDS: [(&str, &str); 6] = [
    ("payer", "payer: ${1:platform}"),
    ("scenes", "scenes: [${1}]"),
    ("categories", "categories: [${1}]"),
    ("requires", "requires: [${1}]"),
    ("max_rate", "max_rate: ${1:20%}"),
    ("max_per_use", "max_per_use: ${1:CNY 500.00}"),
];

/// The fields of the policy.
const POLICY_FIELDS: [(&str, &str); 4] = [
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

/// A field's type and allowed values, for hover: by block, as the
/// language defines them (`docs/language.md`).
const CAMPAIGN_FIELD_DOCS: [(&str, &str); 15] = [
    ("title", "`title: \"TEXT\"` (required): the name users see."),
    (
        "owner",
        "`owner: \"TEAM\"` (required): the team answerable for the campaign.",
    ),
    (
        "fund",
        "`fund: FUND` (required): who pays; the fund's contract (scenes, categories, `requires`, `max_rate`, `max_per_use`) is checked against the campaign.",
    ),
    (
        "scenes",
        "`scenes: [SCENE, …]` or `scenes: any` (required, not empty): the payment scenes; a money-movement scene only if the fund lists it.",
    ),
    (
        "categories",
        "`categories: [CATEGORY, …]` (optional): empty or absent means any category.",
    ),
    (
        "regions",
        "`regions: [REGION, …]` (optional): empty or absent means any region.",
    ),
    (
        "segments",
        "`segments: [SEGMENT, …]` (optional): empty or absent means any user segment.",
    ),
    (
        "window",
        "`window: START to END ZONE` (required): instants `YYYY-MM-DD HH:MM`, ZONE an IANA name, `UTC` or an offset such as `+08:00`; END after START; END itself is outside the window.",
    ),
    (
        "reward",
        "`reward:` (required) one of `MONEY off`, `RATE off, cap MONEY` (the cap is mandatory), `random MONEY to MONEY off`, `tiers { spend MONEY => MONEY off; … }`; any form may add `, min_spend MONEY`. The discount is rounded down to the currency's minor unit and never exceeds the payment.",
    ),
    (
        "budget",
        "`budget: MONEY` (required): the most the campaign may spend, in the campaign's one currency.",
    ),
    (
        "limit",
        "`limit: N per DIM [per PERIOD]` or `limit: MONEY per DIM [per PERIOD]` (repeatable), DIM `user`, `device`, `ip`, `merchant` or `region`, PERIOD `hour`, `day` or `week`; `limit: N per PERIOD` limits the whole campaign. Without a period a limit spans the whole window.",
    ),
    (
        "rollout",
        "`rollout { stage segment SEGMENT for DURATION; stage N% for DURATION; …; stage 100% }` (optional): who sees the campaign, stage by stage.",
    ),
    (
        "guard",
        "`guard: halt when spend > MONEY per DURATION` or `guard: halt when redemptions > N per DURATION` (repeatable): the runtime halts the campaign above that rate.",
    ),
    (
        "stacking",
        "`stacking: exclusive` (the default) or `stacking: stacks_with [CAMPAIGN, …]`: which campaigns may apply to the same payment.",
    ),
    (
        "expected_peak",
        "`expected_peak: N per DURATION` (optional): the payments per second expected at peak, checked against the policy's `capacity`.",
    ),
];

const FUND_FIELD_DOCS: [(&str, &str); 6] = [
    (
        "payer",
        "`payer: government | platform | merchant | bank`: who pays.",
    ),
    (
        "scenes",
        "`scenes: [SCENE, …]`: the only scenes a campaign on this fund may target.",
    ),
    (
        "categories",
        "`categories: [CATEGORY, …]`: the only categories a campaign on this fund may target.",
    ),
    (
        "requires",
        "`requires: [REQUIREMENT, …]`: what every campaign on this fund must set: `regions`, `segments`, `categories`, `per_user_limit`, `budget`, `min_spend`, `rollout`, `guard`, `expected_peak`.",
    ),
    (
        "max_rate",
        "`max_rate: RATE`: the largest percentage reward a campaign on this fund may give.",
    ),
    (
        "max_per_use",
        "`max_per_use: MONEY, …`: the most one payment may be discounted, one amount per currency.",
    ),
];

const POLICY_FIELD_DOCS: [(&str, &str); 4] = [
    (
        "currencies",
        "`currencies: [CURRENCY, …]`: the ISO 4217 currencies campaigns may use.",
    ),
    (
        "max_rate",
        "`max_rate: RATE`: the largest percentage reward of any campaign.",
    ),
    (
        "approvals",
        "`approvals: N up_to MONEY, …` (repeatable, increasing), then `approvals: N` above the last tier: how many approvals a campaign's worst-case exposure needs.",
    ),
    (
        "capacity",
        "`capacity: N per DURATION`: the payments the platform can take; `expected_peak` is checked against it.",
    ),
];

/// Hover on a field name: its type and allowed values in that block.
pub fn field_hover(text: &str, offset: usize, word: &str) -> Option<String> {
    // The word must be the field name at the start of its line.
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = text.get(line_start..)?.split('\n').next()?;
    let rest = line.trim_start().strip_prefix(word)?;
    if !(rest.trim_start().starts_with(':') || rest.trim_start().starts_with('{')) {
        return None;
    }
    let docs: &[(&str, &str)] = match place_of(text, line_start).block {
        Block::Campaign | Block::Template => &CAMPAIGN_FIELD_DOCS,
        Block::Fund => &FUND_FIELD_DOCS,
        Block::Policy => &POLICY_FIELD_DOCS,
        _ => return None,
    };
    docs.iter()
        .find(|(name, _)| *name == word)
        .map(|(_, doc)| doc.to_string())
}

/// What kind of block the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    TopLevel,
    Campaign,
    Template,
    Fund,
    Policy,
    Rollout,
    /// A schema declaration's block, a reward's `tiers { … }`, a test.
    Other,
}

#[derive(Debug)]
struct Place<'t> {
    block: Block,
    /// The fields already written in the item's own block, the line being
    /// typed excepted.
    written: Vec<&'t str>,
    /// `campaign … from TEMPLATE(…)`: the template's name.
    template: Option<&'t str>,
}

/// Where the cursor is, from the text (usually half-typed, so not from the
/// syntax tree): the item is the last line before the cursor that starts
/// in column 0 with a name, as items do; braces are counted from there,
/// skipping strings and comments.
fn place_of(text: &str, offset: usize) -> Place<'_> {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let item_start = before
        .match_indices('\n')
        .map(|(at, _)| at + 1)
        .chain(std::iter::once(0))
        .filter(|start| {
            text.get(*start..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|first| first.is_ascii_lowercase())
        })
        .max()
        .unwrap_or(0);
    // The item runs to the next line that starts in column 0 with a name.
    let item_end = text
        .get(offset..)
        .and_then(|rest| {
            rest.match_indices('\n')
                .map(|(at, _)| offset + at + 1)
                .find(|start| {
                    text.get(*start..)
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(|first| first.is_ascii_lowercase())
                })
        })
        .unwrap_or(text.len());
    let item = text.get(item_start..item_end).unwrap_or("");
    let cursor = offset - item_start;
    let keyword = item
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
        .next()
        .unwrap_or("");
    let header = item.split('{').next().unwrap_or("");
    let template = (keyword == "campaign")
        .then(|| header.split_once(" from "))
        .flatten()
        .and_then(|(_, rest)| {
            rest.trim_start()
                .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
                .next()
        })
        .filter(|name| !name.is_empty());

    // Walk the item: a stack of the word before each open `{`.
    let mut stack: Vec<&str> = Vec::new();
    let mut block_at_cursor = None;
    let mut written = Vec::new();
    let mut line_start = 0;
    let mut in_string = false;
    let mut chars = item.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        if at >= cursor && block_at_cursor.is_none() {
            block_at_cursor = Some(stack.clone());
        }
        match ch {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '\n' => {
                in_string = false;
                line_start = at + 1;
                // A field written at the item's own depth.
                if stack.len() == 1 {
                    let line = item.get(line_start..).unwrap_or("");
                    let line = line.split('\n').next().unwrap_or("");
                    let on_cursor_line = (line_start..=line_start + line.len()).contains(&cursor);
                    // `name: …`, or `name {` for a block such as `rollout`.
                    let field = line
                        .trim_start()
                        .split_once(':')
                        .or_else(|| line.trim_start().split_once(" {"));
                    if let Some((name, _)) = field
                        && !on_cursor_line
                        && !name.is_empty()
                        && name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
                    {
                        written.push(name);
                    }
                }
            }
            '/' if !in_string && item.get(at..).is_some_and(|rest| rest.starts_with("//")) => {
                // Skip to the end of the line (the newline is seen next).
                while chars.peek().is_some_and(|(_, next)| *next != '\n') {
                    chars.next();
                }
            }
            '{' if !in_string => {
                let opener = item
                    .get(line_start..at)
                    .unwrap_or("")
                    .split_whitespace()
                    .last()
                    .unwrap_or("");
                stack.push(opener);
            }
            '}' if !in_string => {
                stack.pop();
            }
            _ => {}
        }
    }
    let stack_at_cursor = block_at_cursor.unwrap_or(stack);
    let block = match stack_at_cursor.as_slice() {
        [] => Block::TopLevel,
        [_] => match keyword {
            "campaign" => Block::Campaign,
            "template" => Block::Template,
            "fund" => Block::Fund,
            "policy" => Block::Policy,
            _ => Block::Other,
        },
        [_, "rollout"] if keyword == "campaign" || keyword == "template" => Block::Rollout,
        _ => Block::Other,
    };
    Place {
        block,
        written,
        template,
    }
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
    hints
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

/// The semantic token types, in legend order.
pub const TOKEN_TYPES: [&str; 11] = [
    "keyword",
    "type",
    "enumMember",
    "struct",
    "function",
    "class",
    "property",
    "variable",
    "string",
    "number",
    "comment",
];

const WORDS: [&str; 38] = [
    "scene",
    "category",
    "region",
    "segment",
    "fund",
    "policy",
    "campaign",
    "template",
    "test",
    "from",
    "in",
    "off",
    "cap",
    "min_spend",
    "tiers",
    "spend",
    "random",
    "to",
    "per",
    "halt",
    "when",
    "stage",
    "for",
    "rollout",
    "exclusive",
    "stacks_with",
    "up_to",
    "any",
    "true",
    "false",
    "pay",
    "at",
    "no",
    "discount",
    "user",
    "day",
    "hour",
    "week",
];

/// Semantic tokens for a whole document, from the regions scanner and the
/// analysis's names: keywords, declared names by kind, field names,
/// literals, strings and comments.
pub fn semantic_tokens(
    analysis: Option<&Analysis>,
    text: &str,
    encoding: Encoding,
) -> Vec<lsp::SemanticToken> {
    use camp_core::syntax::regions::{Region, regions};
    // The token type of each declared name, the first declaration winning
    // (as in hover and definition), looked up once per word.
    let mut kinds: HashMap<&str, u32> = HashMap::new();
    for (name, _, kind, _) in analysis.into_iter().flat_map(crate::declarations) {
        kinds.entry(name).or_insert(match kind {
            "fund" => 3,
            "template" => 4,
            "campaign" => 5,
            _ => 2,
        });
    }
    // (byte start, byte end, type) of each token, in order.
    let mut tokens: Vec<(usize, usize, u32)> = Vec::new();
    let mut chars = regions(text).peekable();
    while let Some((start, ch, region)) = chars.next() {
        match region {
            Region::String | Region::Comment => {
                let mut end = start + ch.len_utf8();
                while let Some((offset, next, next_region)) = chars.peek().copied() {
                    if next_region != region || next == '\n' {
                        break;
                    }
                    end = offset + next.len_utf8();
                    chars.next();
                }
                tokens.push((start, end, if region == Region::String { 8 } else { 10 }));
            }
            Region::Code if ch.is_ascii_alphanumeric() || ch == '_' => {
                let mut end = start + ch.len_utf8();
                while let Some((offset, next, Region::Code)) = chars.peek().copied() {
                    let continues = next.is_ascii_alphanumeric()
                        || next == '_'
                        || (ch.is_ascii_digit() && matches!(next, '.' | '%' | '-' | ':'));
                    if !continues {
                        break;
                    }
                    end = offset + next.len_utf8();
                    chars.next();
                }
                let word = text.get(start..end).unwrap_or("");
                let after = text
                    .get(end..)
                    .unwrap_or("")
                    .trim_start_matches([' ', '\t']);
                let token_type = if ch.is_ascii_digit() {
                    9
                } else if ch.is_ascii_uppercase() {
                    1
                } else if after.starts_with(':') && !after.starts_with("::") {
                    6
                } else if WORDS.contains(&word) {
                    0
                } else {
                    kinds.get(word).copied().unwrap_or(7)
                };
                tokens.push((start, end, token_type));
            }
            Region::Code => {}
        }
    }
    let lines = LineIndex::new(text);
    let mut data = Vec::with_capacity(tokens.len());
    let mut previous = lsp::Position {
        line: 0,
        character: 0,
    };
    for (start, end, token_type) in tokens {
        let at = lines.position(start, encoding);
        let length = lines
            .position(end, encoding)
            .character
            .saturating_sub(at.character);
        let delta_line = at.line - previous.line;
        let delta_start = if delta_line == 0 {
            at.character - previous.character
        } else {
            at.character
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type,
            token_modifiers_bitset: 0,
        });
        previous = at;
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Completion reads half-typed text: any text, any offset (even
        /// inside a character or past the end), never a panic.
        #[test]
        fn completion_never_panics(
            text in "(campaign|fund|template|policy|rollout|stage| |\\{|\\}|\\n|\"|//|:|[a-z_]{1,6}|规|😀){0,40}",
            offset in 0usize..200,
        ) {
            let analysis = Analysis::default();
            let _ = completion(&analysis, &text, offset);
            let _ = place_of(&text, offset);
        }
    }

    /// Every field completion offers has hover docs, and the docs name
    /// every payer and requirement the checker knows.
    #[test]
    fn every_field_is_documented() {
        for (fields, docs) in [
            (&FIELDS[..], &CAMPAIGN_FIELD_DOCS[..]),
            (&FUND_FIELDS[..], &FUND_FIELD_DOCS[..]),
            (&POLICY_FIELDS[..], &POLICY_FIELD_DOCS[..]),
        ] {
            let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            let documented: Vec<&str> = docs.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, documented);
        }
        let doc = |name: &str| {
            FUND_FIELD_DOCS
                .iter()
                .find(|(field, _)| *field == name)
                .map(|(_, doc)| *doc)
                .unwrap_or("")
        };
        for payer in camp_core::ir::types::Payer::ALL {
            assert!(doc("payer").contains(payer), "{payer}");
        }
        for requirement in camp_core::ir::types::Requirement::ALL {
            assert!(
                doc("requires").contains(&format!("`{requirement}`")),
                "{requirement}"
            );
        }
    }

    /// A package of one file: 16,384 declarations (about 900 KB), each
    /// with a comment and a body.
    fn large_file() -> (Analysis, String) {
        let text: String = (0..16_384)
            .map(|index| {
                format!("// 规则 {index}\nregion region_{index:05} {{ code: \"R{index}\" }}\n")
            })
            .collect();
        let input = camp_core::package::PackageInput {
            name: None,
            files: vec![camp_core::package::InputFile {
                path: String::from("large.camp"),
                relative_path: String::from("large.camp"),
                bytes: text.clone().into_bytes(),
            }],
            lints: Default::default(),
        };
        (camp_core::package::analyze(input), text)
    }

    /// Semantic tokens and document symbols of a 16,384-declaration file
    /// convert every position through a line table, reading each byte a
    /// bounded number of times: linear work, not a scan from the file's
    /// start per token (which read about 2 GB for this file).
    #[test]
    fn whole_document_answers_are_linear() {
        let (analysis, text) = large_file();
        let (tokens, work) =
            lines::work::measure(|| semantic_tokens(Some(&analysis), &text, Encoding::Utf16));
        // Per declaration: the comment, `region`, the name, `code`, the string.
        assert_eq!(tokens.len(), 5 * 16_384);
        assert_eq!(work.conversions, 2 * tokens.len());
        assert!(work.bytes <= 2 * text.len(), "{work:?}");
        let last_line: u32 = tokens.iter().map(|token| token.delta_line).sum();
        assert_eq!(last_line, 2 * 16_384 - 1);
        // `region_16383` is a region: an enum member.
        let names = tokens.iter().filter(|token| token.token_type == 2).count();
        assert_eq!(names, 16_384);

        let (symbols, work) =
            lines::work::measure(|| document_symbols(&analysis, FileId(0), Encoding::Utf16));
        assert_eq!(symbols.len(), 16_384);
        // Each symbol and each field: a range and a selection range.
        assert_eq!(work.conversions, 4 * 2 * 16_384);
        // The table, then about two passes over each line: symbols and
        // fields go back to their name after their end.
        assert!(work.bytes <= 4 * text.len(), "{work:?}");
        let last = symbols.last().map(|symbol| symbol.selection_range);
        assert_eq!(
            last.map(|range| (range.start.line, range.start.character, range.end.character)),
            Some((2 * 16_384 - 1, 7, 19))
        );

        // The same declarations on one line of about 600 KB: each token
        // counts its characters from the one before, not from the line's
        // start.
        let line: String = (0..16_384)
            .map(|index| format!("region region_{index:05} {{ code: \"规{index}\" }} "))
            .collect();
        let (tokens, work) = lines::work::measure(|| semantic_tokens(None, &line, Encoding::Utf16));
        assert_eq!(tokens.len(), 4 * 16_384);
        assert!(tokens.iter().all(|token| token.delta_line == 0));
        assert!(work.bytes <= 2 * line.len(), "{work:?}");
    }

    #[test]
    fn the_place_follows_braces_strings_and_comments() {
        let text = "campaign a {\n  title: \"{\" // }\n  rollout {\n    \n  }\n  \n}\n";
        let at = |needle: &str, nth: usize| {
            text.match_indices(needle)
                .nth(nth)
                .map(|(at, _)| at + needle.len())
                .unwrap_or(0)
        };
        assert_eq!(
            place_of(text, at("rollout {\n    ", 0)).block,
            Block::Rollout
        );
        let in_campaign = place_of(text, at("  }\n  ", 0));
        assert_eq!(in_campaign.block, Block::Campaign);
        assert_eq!(in_campaign.written, vec!["title", "rollout"]);
        assert_eq!(place_of(text, text.len()).block, Block::TopLevel);
    }
}

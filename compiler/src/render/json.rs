//! The documented JSON output of `campc check --format json`.
//!
//! ```json
//! {
//!   "format_version": "1",
//!   "tool": {"name": "campc", "version": "0.1.0"},
//!   "diagnostics": [{
//!     "severity": "error", "code": "E0203", "message": "unknown fund `…`",
//!     "file": "campaigns/a.camp",
//!     "range": {"start": {"line": 3, "column": 9}, "end": {"line": 3, "column": 20}},
//!     "label": "no fund is named `…`", "help": "did you mean `…`?",
//!     "related": [{"file": …, "range": …, "message": …}],
//!     "fixes": [{"title": "replace with `…`",
//!                "edits": [{"file": …, "range": …, "new_text": "…"}]}]
//!   }],
//!   "summary": {"errors": 1, "warnings": 0, "notes": 0, "files": 4, "campaigns": 6}
//! }
//! ```
//!
//! `summary.ignored_files` is added, after `campaigns`, when ignore rules
//! skipped `.camp` files: how many.
//!
//! Lines and columns are 1-based; columns count Unicode characters; `end`
//! is exclusive. `help` is `null` when no fix is known; `fixes` holds the
//! edits that apply it when it is mechanical. The field order and
//! names are a contract with CI scripts and editors: add, never rename.
//! `format_version` changes only if that contract is ever broken. The
//! types below are the report's JSON Schema ([`json_schema`], checked in
//! as `docs/report.schema.json`).

use schemars::JsonSchema;
use serde::Serialize;

use camp_core::diagnostic::{Diagnostic, Severity, Summary};
use camp_core::source::{LineColumn, SourceMap, Span};

/// The version of the report's format. Fields are only ever added, and
/// adding one keeps the version; it changes only if a field is ever
/// renamed, removed or given another meaning.
pub const FORMAT_VERSION: &str = "1";

/// A stretch of a file: 1-based lines and columns, columns counting
/// characters; `end` is exclusive.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonRange {
    pub start: LineColumn,
    pub end: LineColumn,
}

/// Another place that explains the problem.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonRelated {
    pub file: String,
    pub range: JsonRange,
    pub message: String,
}

/// One error or lint finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    /// An error code (`E0203`) or a lint rule's name (`high-rate`); stable.
    pub code: &'static str,
    pub message: String,
    /// The file of the problem, as `campc` was given it.
    pub file: String,
    /// Where the problem is: the smallest exact stretch.
    pub range: JsonRange,
    /// What the range is, in a few words.
    pub label: String,
    /// What to do, or `null` when no fix is known.
    pub help: Option<String>,
    /// Other places that explain the problem.
    pub related: Vec<JsonRelated>,
    /// Edits that apply the help when it is mechanical.
    pub fixes: Vec<JsonFix>,
}

/// One way to fix a diagnostic: edits to apply together.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonFix {
    pub title: String,
    pub edits: Vec<JsonEdit>,
}

/// Replace the text in `range` (empty to insert) with `new_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonEdit {
    pub file: String,
    pub range: JsonRange,
    pub new_text: String,
}

/// The counts of the run.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonSummary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// `.camp` files checked.
    pub files: usize,
    /// Campaigns that checked without errors.
    pub campaigns: usize,
    /// `.camp` files that ignore rules kept out of the check; present only
    /// when there are some.
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored_files: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// The program that wrote the report.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonTool {
    /// `campc`.
    pub name: &'static str,
    /// Its version, e.g. `0.1.0`.
    pub version: &'static str,
}

/// The report of `campc check --format json` (and `campc build --format
/// json`).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "campc JSON report")]
pub struct JsonReport {
    /// The report format's version, `"1"`: fields are only ever added.
    pub format_version: &'static str,
    pub tool: JsonTool,
    /// Every error and finding reported, sorted by file, position and code.
    pub diagnostics: Vec<JsonDiagnostic>,
    pub summary: JsonSummary,
}

/// `offset` moved to a character boundary of `text`: down for a start,
/// up for an end. A span into bytes that were not UTF-8 (E0101) points
/// into the replacement character shown in their place.
fn on_boundary(text: &str, offset: u32, up: bool) -> u32 {
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        if up {
            offset += 1;
        } else {
            offset -= 1;
        }
    }
    u32::try_from(offset).unwrap_or(u32::MAX)
}

pub fn range(sources: &SourceMap, span: Span) -> (String, JsonRange) {
    match sources.get(span.file) {
        Some(file) => (
            file.path.clone(),
            JsonRange {
                start: file.line_column(on_boundary(&file.text, span.start, false)),
                end: file.line_column(on_boundary(&file.text, span.end, true)),
            },
        ),
        None => (
            String::new(),
            JsonRange {
                start: LineColumn { line: 1, column: 1 },
                end: LineColumn { line: 1, column: 1 },
            },
        ),
    }
}

pub fn diagnostic(diagnostic: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let (file, range_of_primary) = range(sources, diagnostic.primary.span);
    JsonDiagnostic {
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        file,
        range: range_of_primary,
        label: diagnostic.primary.message.clone(),
        help: diagnostic.help.clone(),
        related: diagnostic
            .secondary
            .iter()
            .map(|label| {
                let (file, range) = range(sources, label.span);
                JsonRelated {
                    file,
                    range,
                    message: label.message.clone(),
                }
            })
            .collect(),
        fixes: diagnostic
            .fixes
            .iter()
            .map(|fix| JsonFix {
                title: fix.title.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| {
                        let (file, range) = range(sources, edit.span);
                        JsonEdit {
                            file,
                            range,
                            new_text: edit.new_text.clone(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The report for one or more packages' diagnostics.
pub fn report(items: &[(&Diagnostic, &SourceMap)], files: usize, campaigns: usize) -> JsonReport {
    let diagnostics: Vec<Diagnostic> = items
        .iter()
        .map(|(diagnostic, _)| (*diagnostic).clone())
        .collect();
    let summary = Summary::of(&diagnostics);
    JsonReport {
        format_version: FORMAT_VERSION,
        tool: JsonTool {
            name: "campc",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics: items
            .iter()
            .map(|(item, sources)| diagnostic(item, sources))
            .collect(),
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
            notes: summary.notes,
            files,
            campaigns,
            ignored_files: 0,
        },
    }
}

impl JsonReport {
    /// The report, saying how many `.camp` files ignore rules skipped.
    pub fn with_ignored_files(mut self, ignored_files: usize) -> JsonReport {
        self.summary.ignored_files = ignored_files;
        self
    }
}

/// The JSON Schema of the report, `docs/report.schema.json`: keys sorted,
/// two-space indented, with a final newline.
pub fn json_schema() -> String {
    // The schema of what `campc` writes (the serialize contract): a field
    // left out when empty, such as `ignored_files`, is not required.
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<JsonReport>();
    camp_core::ir::canonical::pretty(&schema).unwrap_or_default()
}

/// Pretty JSON with a final newline.
pub fn to_string(report: &JsonReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|_| String::from("{}"));
    text.push('\n');
    text
}

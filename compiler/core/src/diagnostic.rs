//! The one diagnostic type. Every phase reports typed errors
//! ([`crate::error::CampError`]); they are converted into `Diagnostic` in one
//! place, and rendered only at the edges (terminal, JSON, editors).

use std::cmp::Ordering;

/// Where `docs/` lives, for help URIs.
pub const DEFAULT_DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/");

use serde::Serialize;

use crate::source::{SourceMap, Span};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A span with a short message, shown under the source line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E0203`. Never reused for another meaning.
    pub code: &'static str,
    /// Lowercase, no final period, user text in backticks.
    pub message: String,
    /// The smallest exact span of the problem.
    pub primary: Label,
    /// Other places that explain it (the first declaration of a duplicate,
    /// the template parameter of a bad argument, …). May be in other files.
    pub secondary: Vec<Label>,
    /// What to do, when a fix is known.
    pub help: Option<String>,
    /// Edits that apply the help, when it is mechanical (a misspelled
    /// name replaced by the one meant). Editors offer them as quick fixes.
    pub fixes: Vec<Fix>,
}

/// One way to fix a diagnostic: edits to apply together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, e.g. "replace with `platform_marketing`".
    pub title: String,
    pub edits: Vec<Edit>,
    /// Whether the edits are the whole fix.
    pub kind: FixKind,
}

/// Whether applying a fix's edits finishes the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixKind {
    /// The edits are the whole fix: the text after them is what the
    /// author meant. `campc check --fix` applies it.
    Complete,
    /// The edits leave a value for the author to write (a missing field's
    /// name and `:`): editors offer it, `campc check --fix` does not
    /// apply it, since the file would not parse until the value is there.
    NeedsValue,
}

/// Replace the text at `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Fix {
    /// A fix that replaces the text at `span` with `new_text`.
    pub fn replace(span: Span, new_text: impl Into<String>) -> Fix {
        let new_text = new_text.into();
        Fix {
            title: format!("replace with `{new_text}`"),
            edits: vec![Edit { span, new_text }],
            kind: FixKind::Complete,
        }
    }

    /// Whether `campc check --fix` applies it.
    pub fn is_complete(&self) -> bool {
        match self.kind {
            FixKind::Complete => true,
            FixKind::NeedsValue => false,
        }
    }
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn with_label(mut self, label: Label) -> Diagnostic {
        self.secondary.push(label);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn span(&self) -> Span {
        self.primary.span
    }
}

/// Sorts diagnostics into their reporting order (file path, position, code)
/// and drops exact repeats, so output is the same bytes for the same input
/// whatever order the parallel phases finished in.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) {
    let path_of = |diagnostic: &Diagnostic| {
        sources
            .get(diagnostic.primary.span.file)
            .map(|file| file.path.as_str())
            .unwrap_or("")
    };
    diagnostics.sort_by(|a, b| {
        path_of(a)
            .cmp(path_of(b))
            .then(a.primary.span.start.cmp(&b.primary.span.start))
            .then(a.primary.span.end.cmp(&b.primary.span.end))
            .then(a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| compare_labels(&a.secondary, &b.secondary))
    });
    diagnostics.dedup();
}

fn compare_labels(a: &[Label], b: &[Label]) -> Ordering {
    let key = |labels: &[Label]| {
        labels
            .iter()
            .map(|label| (label.span, label.message.clone()))
            .collect::<Vec<_>>()
    };
    key(a).cmp(&key(b))
}

/// Counts by severity, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut summary = Summary::default();
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        summary
    }
}

//! Human output through miette: the code, the message, the source with
//! labels, and the help line. Labels in other files become "related"
//! notes under the main report.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// How to draw: colour only on a terminal without `NO_COLOR`; a fixed
/// width makes snapshots stable.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
    pub width: usize,
}

impl Style {
    pub fn plain(width: usize) -> Style {
        Style {
            colour: false,
            width,
        }
    }
}

struct Report {
    severity: Severity,
    code: Option<&'static str>,
    message: String,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related
                .iter()
                .map(|report| report as &dyn miette::Diagnostic),
        ))
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::from(span.start as usize..span.end as usize)
}

fn named_source(sources: &SourceMap, span: Span) -> NamedSource<String> {
    match sources.get(span.file) {
        Some(file) => NamedSource::new(&file.path, file.text.to_string()),
        None => NamedSource::new("<unknown>", String::new()),
    }
}

/// How many lines apart a secondary label may be from the primary one and
/// still be drawn in the same snippet; farther ones (a template parameter
/// above its use) become notes, so the snippet starts at the problem.
const NEAR_LINES: u32 = 5;

fn is_near(sources: &SourceMap, primary: Span, other: Span) -> bool {
    if primary.file != other.file {
        return false;
    }
    let Some(file) = sources.get(primary.file) else {
        return true;
    };
    let line = |offset: u32| file.line_column(offset).line;
    let (first, last) = (line(primary.start), line(primary.end));
    let (other_first, other_last) = (line(other.start), line(other.end));
    other_last + NEAR_LINES >= first && other_first <= last + NEAR_LINES
}

fn report(diagnostic: &Diagnostic, sources: &SourceMap) -> Report {
    let primary = &diagnostic.primary;
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(primary.message.clone()),
        source_span(primary.span),
    )];
    let mut related = Vec::new();
    for label in &diagnostic.secondary {
        if is_near(sources, primary.span, label.span) {
            labels.push(LabeledSpan::new_with_span(
                Some(label.message.clone()),
                source_span(label.span),
            ));
        } else {
            related.push(Report {
                severity: Severity::Note,
                code: None,
                message: label.message.clone(),
                help: None,
                source: named_source(sources, label.span),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(label.message.clone()),
                    source_span(label.span),
                )],
                related: Vec::new(),
            });
        }
    }
    Report {
        severity: diagnostic.severity,
        code: Some(diagnostic.code),
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        source: named_source(sources, primary.span),
        labels,
        related,
    }
}

/// Renders diagnostics for a terminal or a log.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = report(diagnostic, sources);
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &report).is_err() {
            rendered = format!(
                "{}[{}]: {}\n",
                diagnostic.severity.as_str(),
                diagnostic.code,
                diagnostic.message
            );
        }
        // miette leaves trailing spaces on some lines (`Advice: `).
        for line in rendered.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

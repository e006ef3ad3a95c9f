//! Human output through miette: the code, the message, the source with
//! labels, and the help line. Labels in other files become "related"
//! notes under the main report.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap, Span};

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
    source: Excerpt,
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

/// Lines longer than this many characters are shown as a window of this
/// many characters around the labels, with `…` where the line is cut. A
/// line of any length is allowed in a file (up to the 8 MiB limit); the
/// report stays readable and miette never sees a column it cannot pad to.
const LONG_LINE: usize = 160;

/// Characters kept before the first label on a cut line.
const LEAD: usize = 40;

/// Lines of context miette shows around a label (its default).
const CONTEXT_LINES: usize = 1;

/// The part of a file a report shows: the lines around its labels, with
/// long lines cut to a window, every line ending as `\n`, and control and
/// bidirectional characters escaped (`\u{1b}`), so that nothing in a file
/// can move the cursor or reorder the text on the reader's terminal.
/// miette reads it through [`SourceCode`], which reports the file's real
/// line numbers and character columns.
struct Excerpt {
    name: String,
    text: String,
    /// The 0-based line of the file where `text` starts.
    first_line: usize,
    /// `(offset in the file, offset in text)` at every character shown,
    /// sorted: a file offset maps to the last point at or before it.
    points: Vec<(usize, usize)>,
    /// `(offset in text, 0-based character column in the file)` of each
    /// label's start, for the `file:line:column` header.
    columns: Vec<(usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `file` that shows `spans`.
    fn new(file: &SourceFile, spans: &[Span]) -> Excerpt {
        let text: &str = &file.text;
        let line_of = |offset: u32| file.line_column(offset).line.saturating_sub(1) as usize;
        let first = spans
            .iter()
            .map(|span| line_of(span.start))
            .min()
            .unwrap_or(0);
        let last = spans
            .iter()
            .map(|span| line_of(span.end))
            .max()
            .unwrap_or(0);
        let first_line = first.saturating_sub(CONTEXT_LINES);
        let last_line = (last + CONTEXT_LINES).min(file.line_count().saturating_sub(1));
        let mut excerpt = Excerpt {
            name: super::escape_controls(&file.path).into_owned(),
            text: String::new(),
            first_line,
            points: Vec::new(),
            columns: Vec::new(),
        };
        // An empty file (or one too large to read) shows no lines.
        let lines = if text.is_empty() {
            0..0
        } else {
            first_line..last_line + 1
        };
        for index in lines {
            let start = file
                .line_start(index)
                .map_or(text.len(), |start| start as usize);
            let next = file
                .line_start(index + 1)
                .map_or(text.len(), |start| start as usize);
            let line = text
                .get(start..next)
                .unwrap_or("")
                .trim_end_matches(['\n', '\r']);
            excerpt.push_line(start, line, spans);
        }
        for span in spans {
            let column = file.line_column(span.start).column.saturating_sub(1) as usize;
            excerpt
                .columns
                .push((excerpt.map(span.start as usize), column));
        }
        excerpt
    }

    /// Adds one line (without its line ending) that starts at `start` in
    /// the file.
    fn push_line(&mut self, start: usize, line: &str, spans: &[Span]) {
        let end = start + line.len();
        let (from, to) = if line.chars().count() <= LONG_LINE {
            (0, line.len())
        } else {
            // Cut around the first label boundary on this line.
            let first_mark = spans
                .iter()
                .flat_map(|span| [span.start as usize, span.end as usize])
                .filter(|offset| (start..=end).contains(offset))
                .min()
                .map_or(0, |offset| offset - start);
            let before = line.get(..first_mark).unwrap_or("").chars().count();
            let skip = before.saturating_sub(LEAD);
            let byte_at = |chars: usize| {
                line.char_indices()
                    .nth(chars)
                    .map_or(line.len(), |(index, _)| index)
            };
            (byte_at(skip), byte_at(skip + LONG_LINE))
        };
        self.points.push((
            start,
            self.text.len() + if from > 0 { '…'.len_utf8() } else { 0 },
        ));
        if from > 0 {
            self.text.push('…');
        }
        for (index, ch) in line.get(from..to).unwrap_or("").char_indices() {
            self.points.push((start + from + index, self.text.len()));
            super::push_escaped(&mut self.text, ch);
        }
        self.points.push((start + to, self.text.len()));
        if to < line.len() {
            self.text.push('…');
            // Offsets past the window, on this line, are after the `…`.
            self.points.push((start + to + 1, self.text.len()));
        }
        self.text.push('\n');
    }

    /// Where a file offset is in the excerpt.
    fn map(&self, offset: usize) -> usize {
        let index = self.points.partition_point(|(file, _)| *file <= offset);
        index
            .checked_sub(1)
            .and_then(|index| self.points.get(index))
            .map_or(0, |(_, shown)| *shown)
    }

    fn source_span(&self, span: Span) -> SourceSpan {
        let start = self.map(span.start as usize);
        let end = self.map(span.end as usize).max(start);
        SourceSpan::from(start..end)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // The header's column: characters from the line's start in the
        // file, as in every other output (not bytes of the excerpt).
        let column = match (
            context_lines_before,
            self.columns.iter().find(|(at, _)| *at == span.offset()),
        ) {
            (0, Some((_, column))) => *column,
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The excerpt of the file `spans` are in, and each span in it.
fn excerpt(sources: &SourceMap, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
    let excerpt = match spans.first().and_then(|span| sources.get(span.file)) {
        Some(file) => Excerpt::new(file, spans),
        None => Excerpt {
            name: String::from("<unknown>"),
            text: String::new(),
            first_line: 0,
            points: Vec::new(),
            columns: Vec::new(),
        },
    };
    let mapped = spans
        .iter()
        .map(|span| excerpt.source_span(*span))
        .collect();
    (excerpt, mapped)
}

/// A message, label or help for the terminal: no raw control characters.
fn clean(text: &str) -> String {
    super::escape_controls(text).replace('\r', "\\u{d}")
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
    let mut shown = vec![(primary, true)];
    let mut related = Vec::new();
    for label in &diagnostic.secondary {
        if is_near(sources, primary.span, label.span) {
            shown.push((label, false));
        } else {
            let (source, spans) = excerpt(sources, &[label.span]);
            related.push(Report {
                severity: Severity::Note,
                code: None,
                message: clean(&label.message),
                help: None,
                source,
                labels: spans
                    .into_iter()
                    .map(|span| {
                        LabeledSpan::new_primary_with_span(Some(clean(&label.message)), span)
                    })
                    .collect(),
                related: Vec::new(),
            });
        }
    }
    let spans: Vec<Span> = shown.iter().map(|(label, _)| label.span).collect();
    let (source, mapped) = excerpt(sources, &spans);
    let labels = shown
        .iter()
        .zip(mapped)
        .map(|((label, is_primary), span)| {
            let message = Some(clean(&label.message));
            if *is_primary {
                LabeledSpan::new_primary_with_span(message, span)
            } else {
                LabeledSpan::new_with_span(message, span)
            }
        })
        .collect();
    Report {
        severity: diagnostic.severity,
        code: Some(diagnostic.code),
        message: clean(&diagnostic.message),
        help: diagnostic.help.as_deref().map(clean),
        source,
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
                clean(&diagnostic.message)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;

    fn shown(text: &str, start: usize, end: usize) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add("a.camp".into(), "a.camp".into(), text.into());
        let diagnostic = Diagnostic::error(
            "E0105",
            "message",
            Label::new(Span::new(file, start, end), "here"),
        );
        render(&[diagnostic], &sources, Style::plain(100))
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_label() {
        let text = format!("{}abc{}\nnext\n", "x".repeat(500), "y".repeat(500));
        let out = shown(&text, 500, 503);
        assert!(out.contains("[a.camp:1:501]"), "{out}");
        let line = out.lines().find(|line| line.contains("abc")).unwrap_or("");
        assert!(line.contains('…') && line.ends_with('…'), "{out}");
        assert!(line.chars().count() < LONG_LINE + 20, "{out}");
        // The underline is under `abc`.
        let column = |text: &str, byte: Option<usize>| {
            text.get(..byte.unwrap_or(0))
                .map(|before| before.chars().count())
        };
        let underline = out.lines().find(|line| line.contains("─┬─")).unwrap_or("");
        assert_eq!(
            column(underline, underline.find('─')),
            column(line, line.find("abc")),
            "{out}"
        );
    }

    #[test]
    fn escaped_characters_keep_the_columns_of_the_file() {
        // The header counts characters of the file (`规` is one, the
        // escape character one), not bytes or escape text.
        let text = "规则 \u{1b}[2J x\n";
        let x = text.find(" x").unwrap_or(0) + 1;
        let out = shown(text, x, x + 1);
        assert!(out.contains("[a.camp:1:9]"), "{out}");
        assert!(out.contains("\\u{1b}[2J"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn every_line_ending_ends_a_shown_line() {
        let text = "a\r// b\rc d\r\n";
        let c = text.find('c').unwrap_or(0);
        let out = shown(text, c, c + 1);
        assert!(out.contains("[a.camp:3:1]"), "{out}");
        assert!(out.contains(" 2 │ // b"), "{out}");
        assert!(!out.contains('\r'), "{out}");
    }
}

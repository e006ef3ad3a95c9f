//! Human output, laid out as rustc lays it out: a header line
//! `error[E0407]: message` (or `warning[high-rate]: …`), the source
//! excerpt with its labels drawn by miette, the help line, and a `note:`
//! with its own excerpt for each label in another file or far away.
//! Diagnostics are separated by a blank line.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::source::{SourceFile, SourceMap, Span};

/// How to draw: with colour or not, and the width to wrap help text at
/// (`None`: no wrapping, for a pipe or a log, as rustc does). Snapshots
/// use [`Style::plain`] with a fixed width.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
    pub width: Option<usize>,
}

impl Style {
    pub fn plain(width: usize) -> Style {
        Style {
            colour: false,
            width: Some(width),
        }
    }
}

/// What miette draws for one excerpt: the source and its labels. The
/// header, the message and the help are written by [`render`] itself, so
/// that the header reads `error[E0407]: …` and a help's code is never
/// broken across lines.
struct Report {
    severity: Severity,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source.name)
    }
}

/// Empty: miette's own message line is dropped (see [`snippet`]).
impl fmt::Display for Report {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
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
pub(super) fn clean(text: &str) -> String {
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

/// A labelled place that gets its own `note:` and excerpt.
struct Note {
    message: String,
    report: Report,
}

/// The main excerpt of a diagnostic (its primary label and the secondary
/// labels near it), and a note for each other label.
fn reports(diagnostic: &Diagnostic, sources: &SourceMap) -> (Report, Vec<Note>) {
    let primary = &diagnostic.primary;
    let mut shown = vec![(primary, true)];
    let mut notes = Vec::new();
    for label in &diagnostic.secondary {
        if is_near(sources, primary.span, label.span) {
            shown.push((label, false));
        } else {
            let (source, spans) = excerpt(sources, &[label.span]);
            notes.push(Note {
                message: clean(&label.message),
                report: Report {
                    severity: Severity::Note,
                    source,
                    labels: spans
                        .into_iter()
                        .map(|span| {
                            LabeledSpan::new_primary_with_span(Some(clean(&label.message)), span)
                        })
                        .collect(),
                },
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
    let report = Report {
        severity: diagnostic.severity,
        source,
        labels,
    };
    (report, notes)
}

/// `text` in `style` when colour is on.
pub(super) fn paint(text: &str, style: anstyle::Style, colour: bool) -> String {
    if colour {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

pub(super) fn severity_style(severity: Severity) -> anstyle::Style {
    let colour = match severity {
        Severity::Error => anstyle::AnsiColor::Red,
        Severity::Warning => anstyle::AnsiColor::Yellow,
        Severity::Note => anstyle::AnsiColor::Green,
    };
    anstyle::Style::new().bold().fg_color(Some(colour.into()))
}

/// `error[E0407]: message`, `warning[high-rate]: message` or
/// `note: message`: one line, never wrapped, so that a log can be
/// searched for it.
fn header(out: &mut String, severity: Severity, code: Option<&str>, message: &str, colour: bool) {
    let name = match code {
        Some(code) => format!("{}[{code}]", severity.as_str()),
        None => severity.as_str().to_string(),
    };
    out.push_str(&paint(&name, severity_style(severity), colour));
    out.push_str(&paint(
        &format!(": {message}"),
        anstyle::Style::new().bold(),
        colour,
    ));
    out.push('\n');
}

/// miette's drawing of the excerpt and its labels, without its message
/// line (the report's message is empty: its first line is only the
/// severity mark) and without trailing spaces.
fn snippet(out: &mut String, handler: &GraphicalReportHandler, report: &Report) {
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, report).is_err() {
        return;
    }
    for line in rendered.lines().skip(1) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Where a help line may break: at spaces, but never inside a `code
/// span`, so that a suggested snippet (`reward: rate off, cap …`, a
/// suppression comment) is always on one line and can be copied whole.
fn code_aware_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut after_space = false;
    for (index, ch) in line.char_indices() {
        if ch == ' ' {
            after_space |= !in_code;
            continue;
        }
        if after_space {
            words.push(textwrap::core::Word::from(
                line.get(start..index).unwrap_or(""),
            ));
            start = index;
            after_space = false;
        }
        if ch == '`' {
            in_code = !in_code;
        }
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(line.get(start..).unwrap_or("")));
    }
    Box::new(words.into_iter())
}

/// `  help: …`, wrapped to the width (when there is one) with the
/// continuation lines under the text, code spans kept whole.
fn help(out: &mut String, help: &str, style: Style) {
    const INDENT: &str = "        ";
    let first = format!(
        "  {} ",
        paint(
            "help:",
            anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Cyan.into())),
            style.colour
        )
    );
    let text = match style.width {
        Some(width) => {
            let options = textwrap::Options::new(width)
                .initial_indent(&first)
                .subsequent_indent(INDENT)
                .break_words(false)
                .word_separator(textwrap::WordSeparator::Custom(code_aware_words))
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
            textwrap::fill(help, options)
        }
        None => {
            let mut text = String::new();
            for (index, line) in help.lines().enumerate() {
                if index > 0 {
                    text.push('\n');
                }
                text.push_str(if index == 0 { &first } else { INDENT });
                text.push_str(line);
            }
            text
        }
    };
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Renders diagnostics for a terminal or a log, a blank line between two.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // miette draws only excerpts and labels, which it never wraps; the
    // text that wraps (help) is wrapped here.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_links(false);
    let mut blocks = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let mut block = String::new();
        let (report, notes) = reports(diagnostic, sources);
        header(
            &mut block,
            diagnostic.severity,
            Some(diagnostic.code),
            &clean(&diagnostic.message),
            style.colour,
        );
        snippet(&mut block, &handler, &report);
        if let Some(text) = &diagnostic.help {
            help(&mut block, &clean(text), style);
        }
        for note in notes {
            header(
                &mut block,
                Severity::Note,
                None,
                &note.message,
                style.colour,
            );
            snippet(&mut block, &handler, &note.report);
        }
        blocks.push(block);
    }
    blocks.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use camp_core::diagnostic::Label;

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
    fn the_header_reads_like_rustc_and_diagnostics_are_apart() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "a.camp".into(),
            "a.camp".into(),
            "scene a\nscene b\n".into(),
        );
        let first = Diagnostic::error("E0201", "first", Label::new(Span::new(file, 6, 7), "here"));
        let mut second = first.clone();
        second.severity = Severity::Warning;
        second.code = "high-rate";
        second.message = String::from("second");
        let out = render(&[first, second], &sources, Style::plain(100));
        assert!(out.starts_with("error[E0201]: first\n"), "{out}");
        assert!(
            out.contains("╰────\n\nwarning[high-rate]: second\n"),
            "{out}"
        );
        assert!(!out.ends_with("\n\n"), "{out}");
    }

    /// A help is wrapped at the width, but never inside a `code span`:
    /// a suggested snippet stays whole, on one line, even when it is
    /// wider than the width left.
    #[test]
    fn help_wraps_between_code_spans_never_inside_them() {
        let help = "add a cap, the most one reward may give, in the campaign's currency: `reward: rate off, cap …`, or write `// camp: allow(high-rate) reason: …` before it";
        for width in [20, 40, 60, 80, 100, 140] {
            let mut out = String::new();
            super::help(&mut out, help, Style::plain(width));
            for snippet in [
                "`reward: rate off, cap …`",
                "`// camp: allow(high-rate) reason: …`",
            ] {
                assert!(out.contains(snippet), "{width}: {out}");
            }
            // A line is wider than the width only when it holds one
            // unbreakable word (a code span) after its indent.
            for line in out.lines() {
                let text = line.trim_start();
                let text = text.strip_prefix("help: ").unwrap_or(text);
                assert!(
                    line.chars().count() <= width || code_aware_words(text).count() == 1,
                    "{width}: {out}"
                );
            }
            let words: Vec<&str> = out.split_whitespace().collect();
            let mut expected = vec!["help:"];
            expected.extend(help.split_whitespace());
            assert_eq!(words, expected, "{width}: nothing lost or added");
        }
        let mut out = String::new();
        super::help(
            &mut out,
            help,
            Style {
                colour: false,
                width: None,
            },
        );
        assert_eq!(out, format!("  help: {help}\n"), "no width, no wrapping");
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

    /// Rendering costs what a diagnostic shows, not what its file holds:
    /// what miette reads for a label deep in a file of 100,000 lines is
    /// the label's line and one line of context each side (no copy of the
    /// file, nothing scanned from its start), and a note far away gets
    /// its own few lines.
    #[test]
    fn an_excerpt_holds_only_the_lines_it_shows() {
        let text: String = (0..100_000).map(|line| format!("line {line}\n")).collect();
        let mut sources = SourceMap::new();
        let file = sources.add("a.camp".into(), "a.camp".into(), text.as_str().into());
        let at = |line: usize| {
            let start = text.find(&format!("line {line}\n")).unwrap_or(0);
            Span::new(file, start, start + 4)
        };
        let (excerpt, spans) = excerpt(&sources, &[at(90_000)]);
        assert_eq!(excerpt.text, "line 89999\nline 90000\nline 90001\n");
        assert_eq!(excerpt.first_line, 89_999);
        assert_eq!(spans, vec![SourceSpan::from(11..15)]);
        let diagnostic = Diagnostic::error("E0201", "twice", Label::new(at(90_000), "again"))
            .with_label(Label::new(at(3), "first"));
        let (report, notes) = reports(&diagnostic, &sources);
        assert_eq!(report.source.text.lines().count(), 3);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes.first().map(|note| note.report.source.text.as_str()),
            Some("line 2\nline 3\nline 4\n")
        );
        let out = render(&[diagnostic], &sources, Style::plain(100));
        assert!(out.contains("[a.camp:90001:1]"), "{out}");
        assert!(out.contains(" 90002 │ line 90001"), "{out}");
        assert!(out.contains("[a.camp:4:1]"), "{out}");
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

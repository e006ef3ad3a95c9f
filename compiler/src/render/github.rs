//! GitHub Actions workflow commands: each diagnostic becomes an annotation
//! on the pull request (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::source::SourceMap;

/// Escapes a property value (`%`, CR, LF, `:` and `,`), and control and
/// bidirectional characters (`\u{1b}`): the workflow log is a terminal too.
fn property(text: &str) -> String {
    super::escape_controls(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Escapes a message (`%`, CR, LF, and control characters).
fn message(text: &str) -> String {
    super::escape_controls(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn report(items: &[(&Diagnostic, &SourceMap)]) -> String {
    let mut out = String::new();
    for (diagnostic, sources) in items {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut text = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            text.push_str("\nhelp: ");
            text.push_str(help);
        }
        match sources.get(diagnostic.primary.span.file) {
            Some(file) => {
                let start = file.line_column(diagnostic.primary.span.start);
                let end = file.line_column(diagnostic.primary.span.end);
                out.push_str(&format!(
                    "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                    property(&file.path),
                    start.line,
                    start.column,
                    end.line,
                    end.column,
                    property(&format!("campc {}", diagnostic.code)),
                    message(&text)
                ));
            }
            None => out.push_str(&format!(
                "::{command} title={}::{}\n",
                property(diagnostic.code),
                message(&text)
            )),
        }
    }
    out
}

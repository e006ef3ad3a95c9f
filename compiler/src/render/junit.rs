//! JUnit XML, for CI systems that show test reports: one test suite per
//! file, one failing test case per diagnostic, and one passing case for a
//! file with none.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// Escapes XML's special characters, and control characters (which XML
/// 1.0 cannot hold at all) and bidirectional ones as `\u{1b}`.
fn escape(text: &str) -> String {
    super::escape_controls(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `files` is every checked file (so that clean files show as passing).
pub fn report(items: &[(&Diagnostic, &SourceMap)], files: &[String]) -> String {
    let mut by_file: BTreeMap<String, Vec<&(&Diagnostic, &SourceMap)>> = files
        .iter()
        .map(|file| (file.clone(), Vec::new()))
        .collect();
    for item in items {
        let path = item
            .1
            .get(item.0.primary.span.file)
            .map(|file| file.path.clone())
            .unwrap_or_default();
        by_file.entry(path).or_default().push(item);
    }
    let failures = items
        .iter()
        .filter(|(diagnostic, _)| diagnostic.severity != Severity::Note)
        .count();
    let tests: usize = by_file.values().map(|found| found.len().max(1)).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"campc check\" tests=\"{tests}\" failures=\"{failures}\">\n"
    );
    for (path, found) in &by_file {
        let failing = found.len();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failing}\">\n",
            escape(path),
            failing.max(1)
        ));
        if found.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"campc check\" classname=\"{}\"/>\n",
                escape(path)
            ));
        }
        for (diagnostic, sources) in found {
            let position = sources
                .get(diagnostic.primary.span.file)
                .map(|file| file.line_column(diagnostic.primary.span.start))
                .map(|at| format!("{}:{}", at.line, at.column))
                .unwrap_or_default();
            let mut body = format!("{path}:{position}: {}", diagnostic.message);
            if let Some(help) = &diagnostic.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            out.push_str(&format!(
                "    <testcase name=\"{} at {}\" classname=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                escape(diagnostic.code),
                escape(&position),
                escape(path),
                diagnostic.severity.as_str(),
                escape(&diagnostic.message),
                escape(&body)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

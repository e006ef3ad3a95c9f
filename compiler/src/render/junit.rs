//! JUnit XML (through `quick-junit`), for CI systems that show test
//! reports: one test suite per file, one failing test case per error or
//! lint finding, and one passing case for a file with none.
//!
//! A test case is named `E0403 at promotion.camp:14:10: message`: the
//! message makes names unique where several findings share a position (a
//! fund's five requirements a campaign breaks), and `(2)`, `(3)`… tell
//! identical findings apart, so that a CI system can follow each one from
//! run to run.

use std::collections::{BTreeMap, HashMap};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::source::SourceMap;

/// Text for the report: control and bidirectional characters written as
/// `\u{1b}` (XML 1.0 cannot hold most of them at all).
fn clean(text: &str) -> String {
    super::escape_controls(text).into_owned()
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
    let mut report = Report::new("campc check");
    for (path, found) in &by_file {
        let mut suite = TestSuite::new(clean(path));
        if found.is_empty() {
            let mut case = TestCase::new(
                clean(&format!("no problems in {path}")),
                TestCaseStatus::success(),
            );
            case.set_classname(clean(path));
            suite.add_test_case(case);
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (diagnostic, sources) in found {
            let (_, range) = super::json::range(sources, diagnostic.primary.span);
            let position = format!("{path}:{}:{}", range.start.line, range.start.column);
            let mut name = format!("{} at {position}: {}", diagnostic.code, diagnostic.message);
            let count = seen.entry(name.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                name.push_str(&format!(" ({count})"));
            }
            let mut body = format!("{position}: {}", diagnostic.message);
            if let Some(help) = &diagnostic.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            let status = match diagnostic.severity {
                Severity::Error | Severity::Warning => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(diagnostic.severity.as_str())
                        .set_message(clean(&diagnostic.message))
                        .set_description(clean(&body));
                    status
                }
                Severity::Note => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(clean(&name), status);
            case.set_classname(clean(path));
            if diagnostic.severity == Severity::Note {
                case.set_system_out(clean(&body));
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    match report.to_string() {
        Ok(mut text) => {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        // Writing XML to memory does not fail; if it ever did, an empty
        // report is still a valid document.
        Err(_) => String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"campc check\" tests=\"0\" failures=\"0\" errors=\"0\"/>\n",
        ),
    }
}

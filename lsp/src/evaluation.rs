//! The package's tests in the editor: after each check of a package with
//! no compile error, its test blocks run with the reference evaluator
//! (`camp_core::testing`, as `campc test` runs them); a failing line is a
//! diagnostic on its expectation, and hover on a `pay` line shows what the
//! evaluator decided for it, campaign by campaign.

use camp_core::diagnostic::{Diagnostic, Label, Severity};
use camp_core::package::Analysis;
use camp_core::source::FileId;
use std::sync::Arc;

use camp_core::testing::{LineResult, RunKey, TestResult, TestRun, run, run_key};
use camp_core::testing_text::{decided_text, expected_text, mismatch_text};

/// The code of a failing test line's diagnostic.
pub const TEST_FAILED: &str = "test-failed";

/// The tests of a package that compiles, run; `None` when it does not
/// compile (no IR, nothing to run) or its IR cannot be evaluated.
pub fn run_tests(analysis: &Analysis) -> Option<TestRun> {
    if analysis.has_compile_errors() || analysis.model.tests.is_empty() {
        return None;
    }
    run(analysis, None).ok()
}

/// A run of a package's tests and what it depended on.
#[derive(Debug, Clone)]
pub struct CachedRun {
    pub key: RunKey,
    pub run: Arc<TestRun>,
}

/// [`run_tests`], unless `previous` ran the same IR and test plans: then
/// its run, not run again (an edit that changes neither, such as a
/// comment or a lint fix, runs no test).
pub fn run_tests_cached(analysis: &Analysis, previous: Option<&CachedRun>) -> Option<CachedRun> {
    if analysis.has_compile_errors() || analysis.model.tests.is_empty() {
        return None;
    }
    let key = run_key(analysis)?;
    if let Some(previous) = previous
        && previous.key == key
    {
        return Some(previous.clone());
    }
    let run = run(analysis, None).ok()?;
    Some(CachedRun {
        key,
        run: Arc::new(run),
    })
}

/// One diagnostic per failing line, on its expectation (after `=>`).
pub fn failures(run: &TestRun) -> Vec<Diagnostic> {
    run.lines()
        .filter(|(_, line)| !line.passed())
        .map(|(test, line)| failure(test, line))
        .collect()
}

fn failure(test: &TestResult, line: &LineResult) -> Diagnostic {
    let why: Vec<String> = line.mismatches.iter().map(mismatch_text).collect();
    Diagnostic {
        severity: Severity::Error,
        code: TEST_FAILED,
        message: format!(
            "test `{}`, line {}: expected {}, decided {}",
            test.plan.name,
            line.line,
            expected_text(&line.expected),
            decided_text(&line.decision)
        ),
        primary: Label::new(line.expected_span, "not what the evaluator decides"),
        secondary: Vec::new(),
        help: (!why.is_empty()).then(|| {
            format!(
                "{}; hover the `pay` line to see why, or fix the expectation if the campaign is right",
                why.join("; ")
            )
        }),
        fixes: Vec::new(),
    }
}

/// Hover on a `pay` line of a test: the evaluator's decision for it, each
/// campaign with what it paid or the first reason it paid nothing.
pub fn decision_hover(run: &TestRun, file: FileId, offset: usize) -> Option<String> {
    let (test, line) = run.lines().find(|(_, line)| {
        line.span.file == file
            && (line.span.start as usize..=line.span.end as usize).contains(&offset)
    })?;
    let verdict = if line.passed() { "passes" } else { "fails" };
    Some(format!(
        "**Test `{}`, line {}** ({verdict}): expected {}, decided {}\n\n```text\n{}```",
        test.plan.name,
        line.line,
        expected_text(&line.expected),
        decided_text(&line.decision),
        line.decision
    ))
}

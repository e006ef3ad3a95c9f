//! `campc test`'s report: each failing line with its payment, what was
//! expected, what was decided and why (`human`), the same as data (`json`),
//! and JUnit XML with one test case per line (`junit`).
//!
//! The JSON report:
//!
//! ```json
//! {
//!   "format_version": "1",
//!   "tool": {"name": "campc", "version": "0.1.0"},
//!   "passed": 12, "failed": 1,
//!   "tests": [{
//!     "name": "sh_2025", "runs": "campaign", "file": "tests/a.camp",
//!     "range": {…},
//!     "lines": [{
//!       "line": 1, "file": "tests/a.camp", "range": {…}, "passed": false,
//!       "payment": "pay CNY 1_000.00 at merchant_purchase, …",
//!       "expected": "CNY 150.00 off", "decided": "no discount",
//!       "mismatches": [{"kind": "total", …}],
//!       "decision": {…the evaluator's decision, with its explanation…}
//!     }]
//!   }]
//! }
//! ```
//!
//! Its JSON Schema is [`json_schema`], checked in as
//! `docs/test-report.schema.json`.

use camp_core::check::tests::ClaimExpectation;
use camp_core::source::SourceMap;
use camp_core::testing::{ClaimDecision, ClaimResult, LineResult, Mismatch, TestResult, TestRun};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use schemars::JsonSchema;
use serde::Serialize;

use super::json::{FORMAT_VERSION, JsonRange, range};

pub use camp_core::testing_text::{decided_text, expected_text, mismatch_text, payment_text};

fn position(sources: &SourceMap, span: camp_core::source::Span) -> String {
    let (file, range) = range(sources, span);
    format!("{file}:{}:{}", range.start.line, range.start.column)
}

fn line_payment(test: &TestResult, line: &LineResult) -> String {
    test.plan
        .lines
        .iter()
        .find(|pay| pay.line == line.line)
        .map(|pay| payment_text(&pay.payment, &line.payment.id))
        .unwrap_or_default()
}

/// One failing line, for people.
fn failure(out: &mut String, sources: &SourceMap, test: &TestResult, line: &LineResult) {
    let name = match test.plan.target {
        camp_core::check::tests::TestTarget::Campaign(_) => test.plan.name.clone(),
        camp_core::check::tests::TestTarget::Package => format!("\"{}\"", test.plan.name),
    };
    out.push_str(&format!(
        "FAIL test {name}, line {} at {}\n",
        line.line,
        position(sources, line.span)
    ));
    out.push_str(&format!("  payment:  {}\n", line_payment(test, line)));
    out.push_str(&format!("  expected: {}\n", expected_text(&line.expected)));
    out.push_str(&format!("  decided:  {}\n", decided_text(&line.decision)));
    for mismatch in &line.mismatches {
        out.push_str(&format!("  differs:  {}\n", mismatch_text(mismatch)));
    }
    out.push_str("  why:\n");
    for why in line.decision.to_string().lines() {
        out.push_str(&format!("    {why}\n"));
    }
    out.push('\n');
}

/// (v2) A `claim` line as written, its time in its zone.
fn claim_line_text(test: &TestResult, claim: &ClaimResult) -> String {
    let time = test
        .plan
        .claims
        .iter()
        .find(|planned| planned.line == claim.line)
        .map(|planned| {
            format!(
                "{} {}",
                planned.local.strftime("%Y-%m-%d %H:%M:%S"),
                planned.zone
            )
        })
        .unwrap_or_default();
    format!(
        "claim {}, user {}, time {time}",
        claim.claim.campaign.as_str(),
        claim.claim.user
    )
}

fn claim_expected_text(expected: &ClaimExpectation) -> String {
    match expected {
        ClaimExpectation::Claimed => String::from("claimed"),
        ClaimExpectation::Refused(reason) => format!("refused: {reason}"),
    }
}

fn claim_decided_text(decision: &ClaimDecision) -> String {
    match decision {
        ClaimDecision::Claimed { .. } => String::from("claimed"),
        ClaimDecision::Refused { reason } => format!("refused: {}", reason.as_str()),
    }
}

/// (v2) One failing `claim` line, for people.
fn claim_failure(out: &mut String, sources: &SourceMap, test: &TestResult, claim: &ClaimResult) {
    let name = match test.plan.target {
        camp_core::check::tests::TestTarget::Campaign(_) => test.plan.name.clone(),
        camp_core::check::tests::TestTarget::Package => format!("\"{}\"", test.plan.name),
    };
    out.push_str(&format!(
        "FAIL test {name}, line {} at {}\n",
        claim.line,
        position(sources, claim.span)
    ));
    out.push_str(&format!("  claim:    {}\n", claim_line_text(test, claim)));
    out.push_str(&format!(
        "  expected: {}\n",
        claim_expected_text(&claim.expected)
    ));
    out.push_str(&format!("  decided:  {}\n", claim.decision));
    out.push('\n');
}

/// The human report: each failing line, then `N passed, M failed`.
pub fn human(runs: &[(&TestRun, &SourceMap)]) -> String {
    let mut out = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for (run, sources) in runs {
        for (test, line) in run.lines() {
            if line.passed() {
                passed += 1;
            } else {
                failed += 1;
                failure(&mut out, sources, test, line);
            }
        }
        for (test, claim) in run.claims() {
            if claim.passed() {
                passed += 1;
            } else {
                failed += 1;
                claim_failure(&mut out, sources, test, claim);
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    super::escape_controls(&out).into_owned()
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonTool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonTestReport {
    pub format_version: &'static str,
    pub tool: JsonTool,
    pub passed: usize,
    pub failed: usize,
    pub tests: Vec<JsonTest>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonTest {
    /// The campaign's name, or the package test's string.
    pub name: String,
    /// `campaign` (that campaign alone) or `package` (every campaign).
    pub runs: &'static str,
    pub file: String,
    pub range: JsonRange,
    pub lines: Vec<JsonLine>,
    /// (v2) The `claim` lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<JsonClaim>,
}

/// (v2) One `claim` line in the JSON report.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonClaim {
    pub line: usize,
    pub file: String,
    pub range: JsonRange,
    pub passed: bool,
    /// The claim as a `claim` line, its time written out.
    pub claim: String,
    pub expected: String,
    pub decided: String,
    /// What the claim got: the coupon and its validity, or the refusal.
    pub decision: ClaimDecision,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonLine {
    /// The line's place in its test, from 1.
    pub line: usize,
    pub file: String,
    pub range: JsonRange,
    pub passed: bool,
    /// The payment as a `pay` line, defaults written out.
    pub payment: String,
    pub expected: String,
    pub decided: String,
    pub mismatches: Vec<Mismatch>,
    /// The evaluator's decision: every campaign, its outcome and why.
    pub decision: camp_core::testing::Decision,
}

/// The JSON Schema of the JSON report, `docs/test-report.schema.json`:
/// keys sorted, two-space indented, with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<JsonTestReport>();
    camp_core::ir::canonical::pretty(&schema).unwrap_or_default()
}

pub fn json(runs: &[(&TestRun, &SourceMap)]) -> JsonTestReport {
    let mut tests = Vec::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for (run, sources) in runs {
        for test in &run.tests {
            let (file, test_range) = range(sources, test.plan.span);
            let mut lines = Vec::new();
            for line in &test.lines {
                if line.passed() {
                    passed += 1;
                } else {
                    failed += 1;
                }
                let (line_file, line_range) = range(sources, line.span);
                lines.push(JsonLine {
                    line: line.line,
                    file: line_file,
                    range: line_range,
                    passed: line.passed(),
                    payment: line_payment(test, line),
                    expected: expected_text(&line.expected),
                    decided: decided_text(&line.decision),
                    mismatches: line.mismatches.clone(),
                    decision: line.decision.clone(),
                });
            }
            let mut claims = Vec::new();
            for claim in &test.claims {
                if claim.passed() {
                    passed += 1;
                } else {
                    failed += 1;
                }
                let (claim_file, claim_range) = range(sources, claim.span);
                claims.push(JsonClaim {
                    line: claim.line,
                    file: claim_file,
                    range: claim_range,
                    passed: claim.passed(),
                    claim: claim_line_text(test, claim),
                    expected: claim_expected_text(&claim.expected),
                    decided: claim_decided_text(&claim.decision),
                    decision: claim.decision.clone(),
                });
            }
            tests.push(JsonTest {
                claims,
                name: test.plan.name.clone(),
                runs: match test.plan.target {
                    camp_core::check::tests::TestTarget::Campaign(_) => "campaign",
                    camp_core::check::tests::TestTarget::Package => "package",
                },
                file,
                range: test_range,
                lines,
            });
        }
    }
    JsonTestReport {
        format_version: FORMAT_VERSION,
        tool: JsonTool {
            name: "campc",
            version: env!("CARGO_PKG_VERSION"),
        },
        passed,
        failed,
        tests,
    }
}

fn clean(text: &str) -> String {
    super::escape_controls(text).into_owned()
}

/// JUnit XML: one test suite per test block, one test case per line
/// (`line 3: pay CNY … => …`), failing with the human report's text.
pub fn junit(runs: &[(&TestRun, &SourceMap)]) -> String {
    let mut report = Report::new("campc test");
    for (run, sources) in runs {
        for test in &run.tests {
            let mut suite = TestSuite::new(clean(&format!(
                "test {} at {}",
                test.plan.name,
                position(sources, test.plan.span)
            )));
            for line in &test.lines {
                let name = format!(
                    "line {}: {} => {}",
                    line.line,
                    line_payment(test, line),
                    expected_text(&line.expected)
                );
                let status = if line.passed() {
                    TestCaseStatus::success()
                } else {
                    let mut body = String::new();
                    failure(&mut body, sources, test, line);
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(clean(&format!(
                        "expected {}, decided {}",
                        expected_text(&line.expected),
                        decided_text(&line.decision)
                    )));
                    status.set_description(clean(&body));
                    status
                };
                let mut case = TestCase::new(clean(&name), status);
                case.set_classname(clean(&test.plan.name));
                suite.add_test_case(case);
            }
            for claim in &test.claims {
                let name = format!(
                    "line {}: {} => {}",
                    claim.line,
                    claim_line_text(test, claim),
                    claim_expected_text(&claim.expected)
                );
                let status = if claim.passed() {
                    TestCaseStatus::success()
                } else {
                    let mut body = String::new();
                    claim_failure(&mut body, sources, test, claim);
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(clean(&format!(
                        "expected {}, decided {}",
                        claim_expected_text(&claim.expected),
                        claim_decided_text(&claim.decision)
                    )));
                    status.set_description(clean(&body));
                    status
                };
                let mut case = TestCase::new(clean(&name), status);
                case.set_classname(clean(&test.plan.name));
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
    }
    report.to_string().unwrap_or_default()
}

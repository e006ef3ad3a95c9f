//! The package's tests in the editor, through the server in-process: a
//! failing `pay` line is a diagnostic on its expectation, gone once the
//! expectation is right; a package with a compile error runs no test; and
//! hover on a `pay` line shows the evaluator's decision.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Client, package};
use serde_json::{Value, json};

/// A campaign and its test: line 1 passes, line 2 expects CNY 20.00 off a
/// payment the per-user limit leaves nothing to (line 17, `CNY 20.00 off`
/// from column 56).
const TESTED: &str = "campaign spring_coupon {
  title: \"Spring\"
  owner: \"growth\"
  fund: platform_marketing
  scenes: [merchant_purchase]
  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai
  reward: 15% off, cap CNY 20.00
  budget: CNY 10_000.00
  limit: 1 per user
}

test spring_coupon {
  pay CNY 100.00 at merchant_purchase, user amy,
    time 2027-03-02 10:00 => CNY 15.00 off
  // The limit: amy's second payment gets nothing.
  pay CNY 200.00 at merchant_purchase,
    user amy, time 2027-03-02 11:00 => CNY 20.00 off
}
";

/// The codes of the errors (the campaign's lint warnings aside).
fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic["severity"] == 1)
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect()
}

#[test]
fn a_failing_test_line_is_a_diagnostic_on_its_expectation() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, TESTED);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["test-failed"], "{diagnostics:?}");
    let failure = diagnostics
        .iter()
        .find(|diagnostic| diagnostic["code"] == "test-failed")
        .unwrap();
    assert_eq!(
        failure["range"],
        json!({"start": {"line": 16, "character": 39}, "end": {"line": 16, "character": 52}})
    );
    assert_eq!(failure["severity"], 1);
    let message = failure["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "test `spring_coupon`, line 2: expected CNY 20.00 off, decided no discount (spring_coupon: limit)"
        ),
        "{message}"
    );
    assert!(
        message.contains("help: the total off: expected CNY 20.00, decided CNY 0.00"),
        "{message}"
    );
    assert!(
        failure["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("language.md#tests"),
        "{failure}"
    );

    // The right expectation: the diagnostic goes.
    let fixed = TESTED.replace(
        "time 2027-03-02 11:00 => CNY 20.00 off",
        "time 2027-03-02 11:00 => no discount: limit",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(codes(&diagnostics).is_empty(), "{diagnostics:?}");
    client.stop();
}

#[test]
fn a_package_with_a_compile_error_runs_no_test() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let broken = TESTED.replace("fund: platform_marketing", "fund: platform_marketng");
    let uri = client.open(&path, &broken);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["E0203"], "{diagnostics:?}");
    // No decision to hover either: the name's hover alone.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 12, "character": 24}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(!text.contains("decided"), "{text}");
    client.stop();
}

#[test]
fn hover_on_a_pay_line_shows_the_decision() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, TESTED);
    client.diagnostics(&uri);
    // On `pay` of line 1 (a keyword: the decision alone).
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 12, "character": 3}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    insta::assert_snapshot!("hover_pay_line_1", text);
    // On the second line of line 2, over `amy`.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 16, "character": 10}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    insta::assert_snapshot!("hover_pay_line_2", text);
    // Outside the test: no decision.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 3}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(!text.contains("decided"), "{text}");
    client.stop();
}

/// The analysis of the prelude and `text`, in memory: the campaign in
/// `coupon.camp`, its test in `coupon_test.camp`.
fn analysis(text: &str) -> camp_core::package::Analysis {
    use camp_core::package::{InputFile, PackageInput, analyze};
    let prelude = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../compiler/tests/fixtures/prelude.camp"),
    )
    .unwrap();
    let file = |path: &str, text: &str| InputFile {
        path: path.to_string(),
        relative_path: path.to_string(),
        bytes: text.into(),
    };
    let (campaign, test) = text.split_at(text.find("test ").unwrap());
    analyze(PackageInput {
        name: Some(String::from("editor")),
        files: vec![
            file("schema.camp", &prelude),
            file("coupon.camp", campaign),
            file("coupon_test.camp", test),
        ],
        lints: Default::default(),
    })
}

/// After a check, the tests run again only when the IR or the test plans
/// changed: a comment after the campaign keeps the run (the tests are in
/// another file, so their lines do not move); a changed reward or a
/// changed test line runs them again.
#[test]
fn tests_run_again_only_when_the_ir_or_the_tests_change() {
    use camp_lsp::evaluation::run_tests_cached;
    use std::sync::Arc;
    let first = run_tests_cached(&analysis(TESTED), None).unwrap();
    assert_eq!(first.run.failed(), 1);

    // The IR records where each campaign and field is: a comment after
    // the campaign moves nothing.
    let commented = TESTED.replace("}\n\ntest", "}\n// Spring only.\n\ntest");
    assert_ne!(commented, TESTED);
    let same = run_tests_cached(&analysis(&commented), Some(&first)).unwrap();
    assert!(
        Arc::ptr_eq(&same.run, &first.run),
        "ran again for a comment"
    );

    let cheaper = TESTED.replace("15% off, cap CNY 20.00", "10% off, cap CNY 20.00");
    let again = run_tests_cached(&analysis(&cheaper), Some(&first)).unwrap();
    assert!(
        !Arc::ptr_eq(&again.run, &first.run),
        "kept the run of another IR"
    );
    assert_eq!(again.run.failed(), 2);

    let fixed = TESTED.replace(
        "time 2027-03-02 11:00 => CNY 20.00 off",
        "time 2027-03-02 11:00 => no discount: limit",
    );
    let rerun = run_tests_cached(&analysis(&fixed), Some(&first)).unwrap();
    assert!(
        !Arc::ptr_eq(&rerun.run, &first.run),
        "kept the run of other tests"
    );
    assert_eq!(rerun.run.failed(), 0);
}

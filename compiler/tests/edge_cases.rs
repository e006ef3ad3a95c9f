//! Inputs that must not crash, hang or overflow the stack: huge numbers,
//! deep nesting, empty and huge files, a 10,000-campaign package, and
//! arbitrary text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use camp_core::package::{InputFile, PackageInput, analyze, analyze_text};
use proptest::prelude::*;

/// Analyzes `text` and renders its diagnostics for a terminal.
fn render(text: &str) -> String {
    let analysis = analyze_text("fuzz.camp", text);
    campc::render::human::render(
        &analysis.diagnostics,
        &analysis.sources,
        campc::render::human::Style::plain(100),
    )
}

fn codes(text: &str) -> Vec<&'static str> {
    analyze_text("edge.camp", text)
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code)
        .collect()
}

/// The zones the editor completes are exactly ones a window accepts.
#[test]
fn every_offered_time_zone_is_accepted() {
    let names = camp_core::check::campaign::time_zone_names();
    assert!(names.len() > 300, "{} zones", names.len());
    let text: String = names
        .iter()
        .enumerate()
        .map(|(index, zone)| {
            format!("campaign zone_{index} {{\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 {zone}\n}}\n\n")
        })
        .collect();
    let analysis = analyze_text("zones.camp", &text);
    let refused: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code.starts_with("E01") || diagnostic.code == "E0208")
        .map(|diagnostic| analysis.sources.slice(diagnostic.primary.span))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

#[test]
fn decimal_overflow_is_an_error() {
    let text = "campaign c {\n  budget: CNY 99999999999999999999999999999.00\n}\n";
    assert!(codes(text).contains(&"E0107"), "{:?}", codes(text));
    assert!(codes("policy { capacity: 99999999999999999999999 per 1s }").contains(&"E0107"));
    // A duration that does not fit is longer than any Camp accepts.
    assert!(codes("campaign c { window: 2025-01-01 00:00 to 2025-01-02 00:00 UTC\n guard: halt when redemptions > 1 per 99999999999999999999d }").contains(&"E0310"));
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    for opener in ["[", "{", "(", "campaign c {"] {
        let text = opener.repeat(200_000);
        let found = codes(&text);
        assert!(found.contains(&"E0105"), "{opener}: {found:?}");
    }
    let text = format!(
        "campaign c {{ scenes: {}a{} }}",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    assert!(codes(&text).contains(&"E0105"));
}

#[test]
fn empty_and_blank_files_are_fine() {
    assert!(codes("").is_empty());
    assert!(codes("\n\n   \n// only a comment\n").is_empty());
    assert!(
        codes("\u{feff}scene a\n").is_empty(),
        "a byte-order mark is harmless"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_parsing() {
    let mut bytes = b"scene a\n".to_vec();
    bytes.resize(camp_core::source::MAX_FILE_BYTES + 1, b' ');
    let analysis = analyze(PackageInput {
        name: None,
        files: vec![InputFile {
            path: String::from("huge.camp"),
            relative_path: String::from("huge.camp"),
            bytes: bytes.into(),
        }],
        ..PackageInput::default()
    });
    let found: Vec<_> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(found, vec!["E0102"]);
}

#[test]
fn ten_thousand_campaigns_check_clean_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let analysis = analyze(camp_core::synthetic::package(10_000));
            (analysis.diagnostics.len(), analysis.model.campaigns.len())
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), (0, 10_000));
}

#[test]
fn a_long_line_of_look_alikes_is_reported_once_per_run() {
    let text = format!("campaign c {{ budget: CNY {} }}", "１".repeat(10_000));
    let found = codes(&text);
    assert_eq!(
        found.iter().filter(|code| **code == "E0103").count(),
        1,
        "{found:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any text, however broken, gives diagnostics and never a panic, nor
    /// does showing them.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        render(&text);
    }

    /// Text made of Camp's own tokens in random order never panics either:
    /// this reaches deep into the parser and checker.
    #[test]
    fn shuffled_camp_tokens_never_panic(tokens in prop::collection::vec(prop::sample::select(vec![
        "campaign", "template", "fund", "scene", "policy", "test", "from", "x", "y", "{", "}", "(", ")",
        "[", "]", ":", ",", ";", "=>", "..", ">", "CNY 1.00", "JPY 5", "15%", "0%", "200%", "30min", "2h",
        "7d", "2025-01-01 00:00", "2025-02-30 25:61", "Asia/Shanghai", "+08:00", "\"t\"", "\"\\q\"",
        "reward:", "off", "cap", "min_spend", "tiers", "spend", "random", "to", "limit:", "per", "user",
        "day", "window:", "guard:", "halt", "when", "rollout", "stage", "segment", "for", "stacking:",
        "stacks_with", "exclusive", "scenes:", "any", "budget:", "title:", "owner:", "payer:", "requires:",
        "max_rate:", "max_per_use:", "approvals:", "up_to", "capacity:", "expected_peak:", "1", "10_000",
        "99999999999999999999999999999", "\n", "///", "//", "２", "：", "\u{0430}",
        "\r", "\r\n", "\u{1b}", "\u{202e}", "\u{9b}", "0x10", "3e6", "cny", "\"\\u{D800}\"", "400d",
        "\u{FEFF}", "\t",
    ]), 0..120)) {
        let text = tokens.join(" ");
        let shown = render(&text);
        // Nothing of the file reaches the terminal raw.
        let raw = shown
            .chars()
            .find(|ch| *ch == '\r' || campc::render::needs_escape(*ch));
        prop_assert!(raw.is_none(), "{raw:?} in\n{shown}");
    }
}

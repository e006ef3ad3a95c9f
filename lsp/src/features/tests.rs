//! The features' unit tests.

use camp_core::package::Analysis;
use camp_core::source::FileId;
use proptest::prelude::*;

use super::place::{Block, place_of};
use super::{completion, document_symbols, semantic_tokens};
use crate::lines;
use crate::position::Encoding;

proptest! {
    /// Completion reads half-typed text: any text, any offset (even
    /// inside a character or past the end), never a panic.
    #[test]
    fn completion_never_panics(
        text in "(campaign|fund|template|policy|rollout|stage| |\\{|\\}|\\n|\"|//|:|[a-z_]{1,6}|规|😀){0,40}",
        offset in 0usize..200,
    ) {
        let analysis = Analysis::default();
        let _ = completion(&analysis, &text, offset);
        let _ = place_of(&text, offset);
    }
}

/// A package of one file: 16,384 declarations (about 900 KB), each
/// with a comment and a body.
fn large_file() -> (Analysis, String) {
    let text: String = (0..16_384)
        .map(|index| {
            format!("// 规则 {index}\nregion region_{index:05} {{ code: \"R{index}\" }}\n")
        })
        .collect();
    let input = camp_core::package::PackageInput {
        name: None,
        files: vec![camp_core::package::InputFile {
            path: String::from("large.camp"),
            relative_path: String::from("large.camp"),
            bytes: text.clone().into_bytes(),
        }],
        lints: Default::default(),
    };
    (camp_core::package::analyze(input), text)
}

/// Semantic tokens and document symbols of a 16,384-declaration file
/// convert every position through a line table, reading each byte a
/// bounded number of times: linear work, not a scan from the file's
/// start per token (which read about 2 GB for this file).
#[test]
fn whole_document_answers_are_linear() {
    let (analysis, text) = large_file();
    let (tokens, work) =
        lines::work::measure(|| semantic_tokens(Some(&analysis), &text, Encoding::Utf16));
    // Per declaration: the comment, `region`, the name, `code`, the string.
    assert_eq!(tokens.len(), 5 * 16_384);
    assert_eq!(work.conversions, 2 * tokens.len());
    assert!(work.bytes <= 2 * text.len(), "{work:?}");
    let last_line: u32 = tokens.iter().map(|token| token.delta_line).sum();
    assert_eq!(last_line, 2 * 16_384 - 1);
    // `region_16383` is a region: an enum member.
    let names = tokens.iter().filter(|token| token.token_type == 2).count();
    assert_eq!(names, 16_384);

    let (symbols, work) =
        lines::work::measure(|| document_symbols(&analysis, FileId(0), Encoding::Utf16));
    assert_eq!(symbols.len(), 16_384);
    // Each symbol and each field: a range and a selection range.
    assert_eq!(work.conversions, 4 * 2 * 16_384);
    // The table, then about two passes over each line: symbols and
    // fields go back to their name after their end.
    assert!(work.bytes <= 4 * text.len(), "{work:?}");
    let last = symbols.last().map(|symbol| symbol.selection_range);
    assert_eq!(
        last.map(|range| (range.start.line, range.start.character, range.end.character)),
        Some((2 * 16_384 - 1, 7, 19))
    );

    // The same declarations on one line of about 600 KB: each token
    // counts its characters from the one before, not from the line's
    // start.
    let line: String = (0..16_384)
        .map(|index| format!("region region_{index:05} {{ code: \"规{index}\" }} "))
        .collect();
    let (tokens, work) = lines::work::measure(|| semantic_tokens(None, &line, Encoding::Utf16));
    assert_eq!(tokens.len(), 4 * 16_384);
    assert!(tokens.iter().all(|token| token.delta_line == 0));
    assert!(work.bytes <= 2 * line.len(), "{work:?}");
}

#[test]
fn the_place_follows_braces_strings_and_comments() {
    let text = "campaign a {\n  title: \"{\" // }\n  rollout {\n    \n  }\n  \n}\n";
    let at = |needle: &str, nth: usize| {
        text.match_indices(needle)
            .nth(nth)
            .map(|(at, _)| at + needle.len())
            .unwrap_or(0)
    };
    assert_eq!(
        place_of(text, at("rollout {\n    ", 0)).block,
        Block::Rollout
    );
    let in_campaign = place_of(text, at("  }\n  ", 0));
    assert_eq!(in_campaign.block, Block::Campaign);
    assert_eq!(in_campaign.written, vec!["title", "rollout"]);
    assert_eq!(place_of(text, text.len()).block, Block::TopLevel);
}

/// The new-item snippets at the top level write only fields the field
/// table declares for that item (`camp_lang::fields`).
#[test]
fn top_level_snippets_write_known_fields() {
    use camp_core::lang::fields::field;
    use camp_core::lang::keyword::Item;

    let items = completion(&Analysis::default(), "", 0);
    assert_eq!(items.len(), 2);
    for item in items {
        let keyword = Item::parse(&item.label);
        assert!(keyword.is_some(), "{}", item.label);
        let snippet = item.insert_text.unwrap_or_default();
        let keys: Vec<&str> = snippet
            .lines()
            .filter_map(|line| line.strip_prefix("  "))
            .filter(|line| line.starts_with(|ch: char| ch.is_ascii_lowercase()))
            .filter_map(|line| line.split([':', ' ']).next())
            .collect();
        assert!(!keys.is_empty(), "{snippet}");
        for key in keys {
            assert!(
                keyword.and_then(|keyword| field(keyword, key)).is_some(),
                "`{key}` in the {keyword:?} snippet"
            );
        }
    }
}

/// The labels completion offers at the end of `line`, the last line of a
/// test block in a package with the prelude's schema.
fn test_line_labels(line: &str) -> Vec<String> {
    let prelude = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../compiler/tests/fixtures/prelude.camp"),
    )
    .unwrap_or_default();
    let analysis = camp_core::package::analyze(camp_core::package::PackageInput {
        name: None,
        files: vec![camp_core::package::InputFile {
            path: String::from("schema.camp"),
            relative_path: String::from("schema.camp"),
            bytes: prelude.into_bytes(),
        }],
        lints: Default::default(),
    });
    let text =
        format!("test spring {{\n  pay CNY 5.00 at utility_bill => no discount\n{line}\n}}\n");
    let offset = text.find(line).unwrap_or(0) + line.len();
    completion(&analysis, &text, offset)
        .into_iter()
        .map(|item| item.label)
        .collect()
}

/// In a test block: the `pay` line, its currency, `at`, the scene, the
/// attributes (the vocabulary's words) and their names, the outcomes and
/// the reasons.
#[test]
fn completion_in_a_test_offers_the_pay_line_words() {
    assert_eq!(test_line_labels("  "), ["pay"]);
    assert_eq!(test_line_labels("  pay "), ["CNY", "HKD", "JPY"]);
    assert_eq!(test_line_labels("  pay CNY 100.00 "), ["at"]);
    let scenes = test_line_labels("  pay CNY 100.00 at ");
    assert!(
        scenes.contains(&String::from("merchant_purchase")),
        "{scenes:?}"
    );
    assert_eq!(test_line_labels("  pay CNY 100.00 at online_pur"), scenes);
    let attributes = [
        "category", "region", "segment", "group", "merchant", "user", "device", "id", "card", "ip",
        "time",
    ];
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase, "),
        attributes
    );
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase, us"),
        attributes
    );
    // A line continuing a `pay` line.
    assert_eq!(test_line_labels("    user amy, "), attributes);
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase, category "),
        ["electronics", "groceries", "home_appliance"]
    );
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase, user amy, region bei"),
        ["beijing", "hong_kong", "shanghai"]
    );
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase, user "),
        Vec::<String>::new()
    );
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase => "),
        [
            "off",
            "no discount",
            "no discount:",
            "refused: conflicting replay"
        ]
    );
    let reasons = test_line_labels("  pay CNY 100.00 at online_purchase => no discount: ");
    assert_eq!(reasons.first().map(String::as_str), Some("currency"));
    assert!(reasons.contains(&String::from("limit")), "{reasons:?}");
    assert_eq!(
        test_line_labels("  pay CNY 100.00 at online_purchase => refused: "),
        ["conflicting replay"]
    );
}

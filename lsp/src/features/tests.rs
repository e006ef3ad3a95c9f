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
            bytes: text.clone().into(),
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
    let claim = "campaign a {\n  claim {\n    \n  }\n}\n";
    assert_eq!(
        place_of(claim, claim.find("{\n    ").unwrap_or(0) + 6).block,
        Block::Claim
    );
    // (v2) In a claim block: the fields written in that block, before
    // and after the cursor, not the campaign's.
    let claim = "campaign a {\n  window: x\n  claim {\n    inventory: 1\n    \n    per_user: 1\n  }\n  title: \"t\"\n}\n";
    let in_claim = place_of(claim, claim.find("1\n    \n").unwrap_or(0) + 6);
    assert_eq!(in_claim.block, Block::Claim);
    assert_eq!(in_claim.written_here, vec!["inventory", "per_user"]);
    assert_eq!(in_claim.written, vec!["window", "claim", "title"]);
    let in_campaign = place_of(text, at("  }\n  ", 0));
    assert_eq!(in_campaign.block, Block::Campaign);
    assert_eq!(in_campaign.written, vec!["title", "rollout"]);
    assert_eq!(in_campaign.written_here, vec!["title", "rollout"]);
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

/// A schedule in the editor: the fields `days` and `hours` are offered in
/// a campaign and hovered; after `days: [` the day words, after `hours:` a
/// time range; and in the tokens, a day is an enum member and a time of
/// day one number.
#[test]
fn schedules_are_completed_hovered_and_highlighted() {
    use super::hover::field_hover;

    let analysis = Analysis::default();
    let text = "campaign a {\n  \n}\n";
    let labels = |text: &str, offset: usize| -> Vec<String> {
        completion(&analysis, text, offset)
            .into_iter()
            .map(|item| item.label)
            .collect()
    };
    let fields = labels(text, "campaign a {\n  ".len());
    assert!(
        fields.contains(&String::from("days")) && fields.contains(&String::from("hours")),
        "{fields:?}"
    );
    let days_text = "campaign a {\n  days: [\n}\n";
    let days = labels(days_text, "campaign a {\n  days: [".len());
    assert_eq!(days, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    let hours_text = "campaign a {\n  hours: \n}\n";
    let hours = labels(hours_text, "campaign a {\n  hours: ".len());
    assert_eq!(hours, ["HH:MM to HH:MM"]);

    let written = "campaign a {\n  days: [mon]\n  hours: 10:00 to 12:00\n  limit: 1 per user per category per month\n  limit: 5 total\n}\n";
    let hover = |word: &str| {
        let at = written.find(&format!("  {word}")).map_or(0, |at| at + 2);
        field_hover(written, at, word).unwrap_or_default()
    };
    assert!(hover("days").contains("`sun`"), "{}", hover("days"));
    assert!(hover("hours").contains("`24:00`"), "{}", hover("hours"));
    assert!(hover("limit").contains("`category`") && hover("limit").contains("`month`"));
    assert!(hover("limit").contains("`limit: N total`"));

    let tokens = semantic_tokens(None, written, Encoding::Utf16);
    // (line, start, length, type), decoded.
    let (mut line, mut start) = (0, 0);
    let mut decoded = Vec::new();
    for token in &tokens {
        if token.delta_line > 0 {
            line += token.delta_line;
            start = token.delta_start;
        } else {
            start += token.delta_start;
        }
        decoded.push((line, start, token.length, token.token_type));
    }
    // `mon` an enum member, `10:00` one number, `category`, `month` and
    // `total` keywords.
    assert!(decoded.contains(&(1, 9, 3, 2)), "{decoded:?}");
    assert!(decoded.contains(&(2, 9, 5, 9)), "{decoded:?}");
    assert!(decoded.contains(&(3, 24, 8, 0)), "{decoded:?}");
    assert!(decoded.contains(&(3, 37, 5, 0)), "{decoded:?}");
    assert!(decoded.contains(&(4, 11, 5, 0)), "{decoded:?}");
}

/// (v2) Merchant groups and instruments are names of the schema, like
/// regions: their declarations and their uses get the schema's token type,
/// their keywords the keyword's.
#[test]
fn merchant_groups_and_instruments_are_schema_names() {
    let text =
        "merchant_group mall { list: \"m\" }\ninstrument card_a { kind: credit_card }\nregion sh\n";
    let input = camp_core::package::PackageInput {
        name: None,
        files: vec![camp_core::package::InputFile {
            path: String::from("a.camp"),
            relative_path: String::from("a.camp"),
            bytes: text.as_bytes().to_vec().into(),
        }],
        lints: Default::default(),
    };
    let analysis = camp_core::package::analyze(input);
    let tokens = semantic_tokens(Some(&analysis), text, Encoding::Utf16);
    // (line, start, length) → token type.
    let (mut line, mut start) = (0, 0);
    let mut decoded = Vec::new();
    for token in &tokens {
        if token.delta_line > 0 {
            line += token.delta_line;
            start = token.delta_start;
        } else {
            start += token.delta_start;
        }
        decoded.push(((line, start, token.length), token.token_type));
    }
    let type_at = |line: u32, start: u32, length: u32| {
        decoded
            .iter()
            .find(|(at, _)| *at == (line, start, length))
            .map(|(_, kind)| *kind)
    };
    let region = type_at(2, 7, 2);
    assert!(region.is_some(), "{decoded:?}");
    assert_eq!(type_at(0, 15, 4), region, "{decoded:?}");
    assert_eq!(type_at(1, 11, 6), region, "{decoded:?}");
    let keyword = type_at(2, 0, 6);
    assert!(keyword.is_some(), "{decoded:?}");
    assert_eq!(type_at(0, 0, 14), keyword, "{decoded:?}");
    assert_eq!(type_at(1, 0, 10), keyword, "{decoded:?}");
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
            bytes: prelude.into(),
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

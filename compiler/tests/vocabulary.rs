//! The language's words are declared once, in `camp-lang` (`compiler/lang`):
//! item keywords, the words of forms, built-in values, the fields with a
//! form of their own, limit dimensions and periods, parameter types and
//! duration units. These tests tie every other file that spells them to it.
//!
//! - The TextMate grammar's (`grammar/camp.tmLanguage.json`) and the
//!   tree-sitter highlights' (`grammar/tree-sitter-camp/queries/
//!   highlights.scm`) word lists are generated from it: run
//!   `UPDATE_VOCABULARY=1 cargo test -p campc --test vocabulary` after
//!   changing the vocabulary, then `UPDATE_EDITOR_QUERIES=1 cargo test -p
//!   tree-sitter-camp --test queries` for the editors' copies of the
//!   highlights, and commit.
//! - `grammar/camp.pest` and the tree-sitter `grammar.js` spell the words
//!   in their rules (the parsers are built from them): every word they
//!   quote is one of the vocabulary's, and every word of the vocabulary is
//!   in them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use camp_core::lang::fields::{FieldSpec, ValueKind, all_fields};
use camp_core::lang::keyword::{
    Item, PAY_ATTRIBUTES, Value, Word, form_words, pay_name_attributes,
};
use camp_core::lang::vocab::{Dimension, DurationUnit, Period, TypeName};

const UPDATE: &str = "UPDATE_VOCABULARY";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

// ---------------------------------------------------------------- the words

/// What editors highlight the name an item declares as.
enum Declares {
    /// `scene merchant_purchase`, `campaign sh_2025`: a type's name.
    Type,
    /// `template city_subsidy(…)`, `test sh_2025`: a function's name.
    Function,
    /// `policy { … }` declares no name.
    Nothing,
}

fn declares(item: Item) -> Declares {
    match item {
        Item::Scene
        | Item::Category
        | Item::Region
        | Item::Segment
        | Item::Fund
        | Item::Campaign
        | Item::MerchantGroup
        | Item::Instrument
        | Item::Pool => Declares::Type,
        Item::Template | Item::Test => Declares::Function,
        Item::Policy => Declares::Nothing,
    }
}

fn items_declaring(wanted: fn(&Declares) -> bool) -> Vec<&'static str> {
    Item::VARIANTS
        .into_iter()
        .filter(|item| wanted(&declares(*item)))
        .map(Item::as_str)
        .collect()
}

/// Whether a built-in value is a boolean (highlighted as one).
fn is_boolean(value: Value) -> bool {
    match value {
        Value::True | Value::False => true,
        Value::Any => false,
    }
}

fn values(boolean: bool) -> Vec<&'static str> {
    Value::VARIANTS
        .into_iter()
        .filter(|value| is_boolean(*value) == boolean)
        .map(Value::as_str)
        .collect()
}

/// The fields with a form of their own (their names are keywords), each
/// name once.
fn form_fields() -> Vec<&'static FieldSpec> {
    all_fields().filter(|spec| spec.kind.is_form()).collect()
}

/// Form fields written `name:` with a keyword of their own in the grammars
/// (`reward`, `limit`…), not through a shared rule (`expected_peak` and
/// `capacity` are one `throughput_key`) and not blocks (`rollout {`).
fn keyed_form_fields() -> Vec<&'static str> {
    form_fields()
        .into_iter()
        .filter(|spec| !spec.kind.is_block() && spec.kind != ValueKind::Throughput)
        .map(|spec| spec.name)
        .collect()
}

fn throughput_fields() -> Vec<&'static str> {
    form_fields()
        .into_iter()
        .filter(|spec| spec.kind == ValueKind::Throughput)
        .map(|spec| spec.name)
        .collect()
}

/// The words highlighted as keywords inside a body: the words of forms and
/// the blocks (`rollout`), which have no `:` to mark them as fields; each
/// once (`claim` is a test word and a block).
fn body_keywords() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Vec::new();
    for word in form_words().chain(
        form_fields()
            .into_iter()
            .filter(|spec| spec.kind.is_block())
            .map(|spec| spec.name),
    ) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// Every word of the language a grammar may quote.
fn every_word() -> BTreeSet<&'static str> {
    Item::ALL
        .into_iter()
        .chain(form_words())
        .chain(form_fields().into_iter().map(|spec| spec.name))
        .chain(DurationUnit::ALL)
        .collect()
}

// ---------------------------------------------------------------- TextMate

/// `\bword\b`, or `\b(?:a|b)\b` for several.
fn word_regex(words: &[&str]) -> String {
    match words {
        [word] => format!("\\b{word}\\b"),
        _ => format!("\\b(?:{})\\b", words.join("|")),
    }
}

/// A declaration keyword and the name after it, as two captures.
fn declaration_regex(words: &[&str]) -> String {
    format!(
        "\\b({})\\b(?:[ \\t]+([a-z_][a-z0-9_]*)\\b)?",
        words.join("|")
    )
}

/// Each generated `match` of the TextMate grammar, by JSON pointer.
fn textmate_matches() -> Vec<(&'static str, String)> {
    let mut keywords = body_keywords();
    keywords.extend(PAY_ATTRIBUTES.map(Item::as_str));
    vec![
        (
            "/repository/declarations/patterns/0/match",
            declaration_regex(&items_declaring(|d| matches!(d, Declares::Type))),
        ),
        (
            "/repository/declarations/patterns/1/match",
            declaration_regex(&items_declaring(|d| matches!(d, Declares::Function))),
        ),
        (
            "/repository/declarations/patterns/2/match",
            word_regex(&items_declaring(|d| matches!(d, Declares::Nothing))),
        ),
        (
            "/repository/from-clause/match",
            declaration_regex(&[Word::From.as_str()]),
        ),
        (
            "/repository/parameter-list/patterns/3/match",
            word_regex(&[Word::In.as_str()]),
        ),
        (
            "/repository/types/patterns/0/match",
            format!("\\b({})\\b", TypeName::ALL.join("|")),
        ),
        (
            "/repository/duration/match",
            format!("\\b([0-9](?:_?[0-9])*)({})\\b", DurationUnit::ALL.join("|")),
        ),
        (
            "/repository/identifiers/patterns/0/match",
            word_regex(&values(true)),
        ),
        (
            "/repository/identifiers/patterns/1/match",
            word_regex(&values(false)),
        ),
        (
            "/repository/identifiers/patterns/2/match",
            format!(
                "\\b({})[ \\t]+(?:({})|({}))\\b",
                Word::Per.as_str(),
                Dimension::ALL.join("|"),
                Period::ALL.join("|")
            ),
        ),
        (
            "/repository/identifiers/patterns/3/match",
            word_regex(&keywords),
        ),
    ]
}

/// The grammar with each generated `match` replaced, the rest of the file
/// (its layout included) as it is.
fn textmate_generated(text: &str) -> String {
    let mut text = text.to_string();
    for (pointer, regex) in textmate_matches() {
        let grammar: serde_json::Value = serde_json::from_str(&text).unwrap();
        let current = grammar
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_else(|| panic!("camp.tmLanguage.json has no string at {pointer}"));
        let written = |regex: &str| format!("\"match\": {}", serde_json::to_string(regex).unwrap());
        let current = written(current);
        assert_eq!(
            text.matches(&current).count(),
            1,
            "{current} is not once in camp.tmLanguage.json"
        );
        text = text.replacen(&current, &written(&regex), 1);
        let grammar: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            grammar.pointer(pointer).and_then(|v| v.as_str()),
            Some(regex.as_str())
        );
    }
    text
}

#[test]
fn textmate_word_lists_are_current() {
    let path = repo().join("grammar/camp.tmLanguage.json");
    let text = std::fs::read_to_string(&path).unwrap();
    common::assert_generated_file_is_current(
        &path,
        &textmate_generated(&text),
        UPDATE,
        "vocabulary",
    );
}

// ---------------------------------------------------------------- tree-sitter highlights

/// `text` with what lies between `start` (which must be there once) and
/// the next `end` replaced by `with`.
fn replace_between(text: &str, start: &str, end: &str, with: &str) -> String {
    assert_eq!(
        text.matches(start).count(),
        1,
        "{start:?} is not once in highlights.scm"
    );
    let from = text.find(start).unwrap() + start.len();
    let to = from + text[from..].find(end).unwrap();
    format!("{}{with}{}", &text[..from], &text[to..])
}

fn quoted(words: &[&str], separator: &str) -> String {
    words
        .iter()
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(separator)
}

/// A `[ … ] @capture` list of anonymous nodes, one a line.
fn node_list(text: &str, capture: &str, words: &[&str]) -> String {
    let end = format!("\n] @{capture}\n");
    assert_eq!(
        text.matches(&end).count(),
        1,
        "{end:?} is not once in highlights.scm"
    );
    let close = text.find(&end).unwrap();
    let open = text[..close].rfind("[\n").unwrap() + 2;
    let lines: String = words.iter().map(|word| format!("  \"{word}\"\n")).collect();
    format!("{}{}{}", &text[..open], lines.trim_end(), &text[close..])
}

/// One highlight pattern per item keyword: the keyword, and the name it
/// declares as a type or a function.
fn declaration_patterns() -> String {
    Item::VARIANTS
        .into_iter()
        .map(|item| {
            let word = item.as_str();
            match declares(item) {
                Declares::Type => {
                    format!("({word}_decl \"{word}\" @keyword.type name: (identifier) @type)\n")
                }
                // A test is named after its campaign, or by a string
                // when it runs the whole package.
                Declares::Function if item == Item::Test => format!(
                    "({word}_decl \"{word}\" @keyword.type name: (identifier) @function)\n\
                     ({word}_decl \"{word}\" @keyword.type name: (string))\n"
                ),
                Declares::Function => {
                    format!("({word}_decl \"{word}\" @keyword.type name: (identifier) @function)\n")
                }
                Declares::Nothing => format!("({word}_decl \"{word}\" @keyword.type)\n"),
            }
        })
        .collect()
}

fn highlights_generated(text: &str) -> String {
    let types = quoted(&TypeName::ALL, " ");
    let mut text = replace_between(
        text,
        "; ---------------------------------------------------------------- declarations\n\n",
        "\n(from_clause",
        &declaration_patterns(),
    );
    text = replace_between(&text, "(#any-of? @type.builtin\n    ", "))", &types);
    text = replace_between(&text, "(#not-any-of? @type\n    ", "))", &types);
    text = node_list(&text, "property", &keyed_form_fields());
    // The attributes that name something are highlighted with their name
    // by the `pay_attribute` pattern below, not by the keyword list.
    let named = pay_name_attributes();
    let keywords: Vec<&str> = body_keywords()
        .into_iter()
        .filter(|word| !named.contains(word))
        .collect();
    text = node_list(&text, "keyword", &keywords);
    text = replace_between(
        &text,
        "(pay_attribute [",
        "]",
        &quoted(&pay_name_attributes(), " "),
    );
    text = replace_between(
        &text,
        "(#any-of? @boolean ",
        "))",
        &quoted(&values(true), " "),
    );
    text = replace_between(
        &text,
        "(#eq? @constant.builtin ",
        "))",
        &quoted(&values(false), " "),
    );
    replace_between(
        &text,
        "(#not-any-of? @variable ",
        "))",
        &quoted(&Value::ALL, " "),
    )
}

#[test]
fn tree_sitter_highlight_word_lists_are_current() {
    let path = repo().join("grammar/tree-sitter-camp/queries/highlights.scm");
    let text = std::fs::read_to_string(&path).unwrap();
    common::assert_generated_file_is_current(
        &path,
        &highlights_generated(&text),
        UPDATE,
        "vocabulary",
    );
}

// ---------------------------------------------------------------- the grammars

/// The lowercase words quoted in a grammar (`"off"`, `'off'`), outside
/// comments, except grammar.js's field labels (`field('name', …)`).
fn quoted_words(text: &str, quote: char, comment: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for line in text.lines() {
        let code = line.split(comment).next().unwrap_or("");
        let mut parts = code.split(quote);
        // Every second part is inside quotes.
        let mut before = parts.next().unwrap_or("");
        while let (Some(inside), Some(after)) = (parts.next(), parts.next()) {
            let is_word = inside.starts_with(|ch: char| ch.is_ascii_lowercase())
                && inside
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_');
            // `field('name', …)` in grammar.js names a child, not a word.
            if is_word && !before.trim_end().ends_with("field(") {
                words.insert(inside.to_string());
            }
            before = after;
        }
    }
    words
}

fn expect_same(file: &str, quoted: &BTreeSet<String>, expected: &BTreeSet<&str>) {
    let quoted: BTreeSet<&str> = quoted.iter().map(String::as_str).collect();
    let unknown: Vec<&&str> = quoted.difference(expected).collect();
    let missing: Vec<&&str> = expected.difference(&quoted).collect();
    assert!(
        unknown.is_empty() && missing.is_empty(),
        "{file} and camp-lang disagree: {file} quotes {unknown:?} that camp-lang does not \
         declare, and lacks {missing:?}"
    );
}

/// camp.pest spells each keyword in a `kw_WORD` rule (or, for the
/// throughput fields, in `throughput_key`), and lists the form fields in
/// `special_key`; every word it quotes is the vocabulary's.
#[test]
fn pest_grammar_spells_the_vocabulary() {
    let text = std::fs::read_to_string(repo().join("grammar/camp.pest")).unwrap();
    expect_same("camp.pest", &quoted_words(&text, '"', "//"), &every_word());

    let rule = |name: &str| -> BTreeSet<String> {
        let line = text
            .lines()
            .find(|line| line.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("camp.pest has no rule `{name}`"));
        quoted_words(line, '"', "//")
    };
    let keywords: BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("kw_"))
        .map(|rest| {
            let name = rest.split_whitespace().next().unwrap();
            let words = quoted_words(rest, '"', "//");
            assert_eq!(words.len(), 1, "kw_{name}");
            assert!(words.contains(name), "kw_{name} spells {words:?}");
            name.to_string()
        })
        .collect();
    let mut expected: BTreeSet<&str> = Item::ALL.into_iter().chain(form_words()).collect();
    expected.extend(keyed_form_fields());
    expected.extend(
        form_fields()
            .into_iter()
            .filter(|spec| spec.kind.is_block())
            .map(|spec| spec.name),
    );
    expect_same("camp.pest's kw_ rules", &keywords, &expected);

    let mut special: BTreeSet<&str> = keyed_form_fields().into_iter().collect();
    special.extend(throughput_fields());
    expect_same("camp.pest's special_key", &rule("special_key"), &special);
    expect_same(
        "camp.pest's throughput_key",
        &rule("throughput_key"),
        &throughput_fields().into_iter().collect(),
    );
    expect_same(
        "camp.pest's duration_unit",
        &rule("duration_unit"),
        &DurationUnit::ALL.into_iter().collect(),
    );
}

/// grammar.js quotes the same words as camp.pest: the vocabulary's.
#[test]
fn tree_sitter_grammar_spells_the_vocabulary() {
    let text = std::fs::read_to_string(repo().join("grammar/tree-sitter-camp/grammar.js")).unwrap();
    let mut words = quoted_words(&text, '\'', "//");
    // The grammar's own name.
    assert!(words.remove("camp"));
    expect_same("grammar.js", &words, &every_word());
}

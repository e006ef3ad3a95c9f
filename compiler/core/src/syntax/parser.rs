//! From text to syntax tree: split into items, parse each with the pest
//! grammar (`grammar/camp.pest`), lower the pest pairs into the AST
//! (`lower.rs`); a chunk that does not parse becomes a friendly syntax
//! error (`syntax_error.rs`).

use pest::Parser;

use std::collections::HashMap;

use super::ast::*;
use super::lower::Lowerer;
use super::shift::Shift;
pub use super::syntax_error::miscased_currency;
use super::syntax_error::syntax_error;
use super::{fast, lookalike, split};
use crate::error::CampError;
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/camp.pest"]
struct CampParser;

/// The result of parsing one file: every item that parsed, and the errors.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    pub file: ParsedFile,
    pub errors: Vec<CampError>,
}

/// Parses a whole file. Never fails: broken items become errors and the
/// other items are still returned.
pub fn parse_file(file: FileId, text: &str) -> ParseOutput {
    parse_items(file, text, None).0
}

/// Items that parsed cleanly, by their exact text (doc comments included),
/// with the byte offset they were parsed at.
pub type ItemCache = HashMap<String, (usize, Item)>;

/// [`parse_file`], re-using from `previous` every item whose text is
/// unchanged (moved to where it now starts), and returning the cache for
/// the next call. An edit to one item re-parses that item only.
/// Also returns how many items were parsed (not re-used).
pub fn parse_file_reusing(
    file: FileId,
    text: &str,
    previous: ItemCache,
) -> (ParseOutput, ItemCache, usize) {
    let (output, cache, parsed) = parse_items(file, text, Some(previous));
    (output, cache.unwrap_or_default(), parsed)
}

/// From this size on, a file's items are parsed in parallel (when nothing
/// is re-used): one big file holding every campaign parses on every core.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// Without `previous`, nothing is looked up or kept (no copies: `campc`).
fn parse_items(
    file: FileId,
    text: &str,
    mut previous: Option<ItemCache>,
) -> (ParseOutput, Option<ItemCache>, usize) {
    use rayon::prelude::*;

    let mut output = ParseOutput::default();
    let (lexical, ranges) = scan_and_split(file, text);
    // The non-blank chunks, each with its range.
    let chunks: Vec<(std::ops::Range<usize>, &str)> = ranges
        .into_iter()
        .filter_map(|mut range| {
            // A byte-order mark is allowed at the start of a file only; the
            // grammar never sees it.
            if range.start == 0 && text.starts_with('\u{FEFF}') {
                range.start = '\u{FEFF}'.len_utf8();
            }
            let chunk = text.get(range.clone())?;
            (!is_blank(chunk)).then_some((range, chunk))
        })
        .collect();
    let Some(previous) = previous.as_mut() else {
        let parse = |(range, chunk): &(std::ops::Range<usize>, &str)| {
            parse_chunk(file, range, chunk, &lexical)
        };
        let parsed: Vec<ChunkParse> = if text.len() >= PARALLEL_FROM_BYTES {
            chunks.par_iter().map(parse).collect()
        } else {
            chunks.iter().map(parse).collect()
        };
        let count = parsed.len();
        let mut items = Vec::with_capacity(count);
        for mut chunk in parsed {
            items.extend(chunk.item);
            output.errors.append(&mut chunk.errors);
        }
        output.file.items = Items::from(items);
        output.errors.extend(lexical);
        return (output, None, count);
    };
    let mut parsed = 0;
    let mut cache = ItemCache::new();
    for (range, chunk) in chunks {
        // The entry moves to the new cache as it is, still at the offset
        // it was parsed at; the copy in the output is moved to `range`.
        if let Some((key, (base, cached))) = previous.remove_entry(chunk) {
            let mut item = cached.clone();
            let by = i64::try_from(range.start).unwrap_or(i64::MAX)
                - i64::try_from(base).unwrap_or(i64::MAX);
            item.shift(by);
            cache.insert(key, (base, cached));
            output.file.items.push(item);
            continue;
        }
        parsed += 1;
        let mut result = parse_chunk(file, &range, chunk, &lexical);
        if let Some(item) = result.item {
            // Only an item that parsed without a word of complaint is
            // re-used: errors are never cached.
            if result.clean {
                cache.insert(chunk.to_string(), (range.start, item.clone()));
            }
            output.file.items.push(item);
        }
        output.errors.append(&mut result.errors);
    }
    output.errors.extend(lexical);
    (output, Some(cache), parsed)
}

/// The look-alike scan of a file and its split into chunks: side by side
/// for a file big enough to parse in parallel (they read the same text
/// and nothing of each other).
fn scan_and_split(file: FileId, text: &str) -> (Vec<CampError>, Vec<std::ops::Range<usize>>) {
    if text.len() >= PARALLEL_FROM_BYTES {
        rayon::join(|| lookalike::scan(file, text), || split::split_items(text))
    } else {
        (lookalike::scan(file, text), split::split_items(text))
    }
}

/// A file parsed with its campaigns left for later
/// ([`crate::package::analyze_lean`]): every other item parsed, a shell in
/// place of each campaign (its item with the name its header gives and no
/// body), and what parsing a campaign later needs.
pub(crate) struct DeferringParse {
    pub output: ParseOutput,
    /// Each campaign left: its place among the items, and its chunk.
    pub deferred: Vec<(usize, std::ops::Range<usize>)>,
    /// The file's look-alike errors (also in `output.errors`): a chunk's
    /// parse says nothing more where one is.
    pub lexical: Vec<CampError>,
}

/// [`parse_file`], but each chunk whose header declares a campaign
/// ([`split::campaign_name`]) is not parsed: a shell stands in its place
/// ([`parse_deferred`] parses it). Gives the same items as
/// [`parse_file`] once each shell is replaced by its chunk's item, when
/// each such chunk parses as the campaign its header names.
pub(crate) fn parse_file_deferring(file: FileId, text: &str) -> DeferringParse {
    use rayon::prelude::*;

    let (lexical, ranges) = scan_and_split(file, text);
    enum Slot<'t> {
        Shell(Item, std::ops::Range<usize>),
        Parse(std::ops::Range<usize>, &'t str),
    }
    let slots: Vec<Slot<'_>> = ranges
        .into_iter()
        .filter_map(|mut range| {
            // As `parse_items`: a byte-order mark is not the grammar's.
            if range.start == 0 && text.starts_with('\u{FEFF}') {
                range.start = '\u{FEFF}'.len_utf8();
            }
            let chunk = text.get(range.clone())?;
            if is_blank(chunk) {
                return None;
            }
            let Some(name) = split::campaign_name(chunk) else {
                return Some(Slot::Parse(range, chunk));
            };
            let name = Ident {
                text: chunk.get(name.clone())?.to_string(),
                span: Span::new(file, range.start + name.start, range.start + name.end),
            };
            let shell = Item {
                docs: Docs::default(),
                kind: ItemKind::Campaign(CampaignDecl {
                    name,
                    from: None,
                    body: Body {
                        entries: Vec::new(),
                        span: Span::new(file, range.start, range.end),
                    },
                }),
                span: Span::new(file, range.start, range.end),
            };
            Some(Slot::Shell(shell, range))
        })
        .collect();
    let parse = |slot: &Slot<'_>| match slot {
        Slot::Parse(range, chunk) => Some(parse_chunk(file, range, chunk, &lexical)),
        Slot::Shell(..) => None,
    };
    let parsed: Vec<Option<ChunkParse>> = if text.len() >= PARALLEL_FROM_BYTES {
        slots.par_iter().map(parse).collect()
    } else {
        slots.iter().map(parse).collect()
    };
    let mut output = ParseOutput::default();
    let mut items = Vec::with_capacity(slots.len());
    let mut deferred = Vec::new();
    for (slot, parse) in slots.into_iter().zip(parsed) {
        match (slot, parse) {
            (Slot::Shell(shell, range), _) => {
                deferred.push((items.len(), range));
                items.push(shell);
            }
            (Slot::Parse(..), Some(mut chunk)) => {
                items.extend(chunk.item);
                output.errors.append(&mut chunk.errors);
            }
            (Slot::Parse(..), None) => {}
        }
    }
    output.file.items = Items::from(items);
    output.errors.extend(lexical.iter().cloned());
    DeferringParse {
        output,
        deferred,
        lexical,
    }
}

/// Parses a chunk [`parse_file_deferring`] left: its item and errors, as
/// [`parse_file`] gives them.
pub(crate) fn parse_deferred(
    file: FileId,
    text: &str,
    range: &std::ops::Range<usize>,
    lexical: &[CampError],
) -> (Option<Item>, Vec<CampError>) {
    let chunk = text.get(range.clone()).unwrap_or("");
    let parsed = parse_chunk(file, range, chunk, lexical);
    (parsed.item, parsed.errors)
}

/// One chunk parsed: its item, if it has one, and the errors in it;
/// `clean` when there are none (not even a look-alike character).
struct ChunkParse {
    item: Option<Item>,
    errors: Vec<CampError>,
    clean: bool,
}

/// Parses one chunk of a file (`range` of its text): the common shapes
/// without pest (`fast.rs`: the same tree), the others with pest. A chunk
/// with a look-alike character (in `lexical`, reported on its own) gets no
/// syntax error of its own.
fn parse_chunk(
    file: FileId,
    range: &std::ops::Range<usize>,
    chunk: &str,
    lexical: &[CampError],
) -> ChunkParse {
    let lexical_error = lexical
        .iter()
        .any(|error| range.contains(&(error.span().start as usize)));
    if let Some(item) = fast::item(file, range.start, chunk) {
        return ChunkParse {
            item: Some(item),
            errors: Vec::new(),
            clean: !lexical_error,
        };
    }
    let mut lowerer = Lowerer {
        file,
        base: range.start,
        errors: Vec::new(),
    };
    match CampParser::parse(Rule::item_only, chunk) {
        Ok(mut pairs) => {
            let item = pairs
                .next()
                .and_then(|item_only| item_only.into_inner().next())
                .and_then(|item| lowerer.item(item));
            ChunkParse {
                item,
                clean: lowerer.errors.is_empty() && !lexical_error,
                errors: lowerer.errors,
            }
        }
        Err(error) => ChunkParse {
            item: None,
            errors: if lexical_error {
                Vec::new()
            } else {
                vec![syntax_error(file, range.start, chunk, &error)]
            },
            clean: false,
        },
    }
}

/// The pest path alone, for the fast path's differential test: the item
/// and the lowering's errors, or `None` on a syntax error.
#[cfg(test)]
pub(super) fn pest_item(
    file: FileId,
    base: usize,
    chunk: &str,
) -> Option<(Option<Item>, Vec<CampError>)> {
    let mut lowerer = Lowerer {
        file,
        base,
        errors: Vec::new(),
    };
    let mut pairs = CampParser::parse(Rule::item_only, chunk).ok()?;
    let item = pairs
        .next()
        .and_then(|item_only| item_only.into_inner().next())
        .and_then(|item| lowerer.item(item));
    Some((item, lowerer.errors))
}

/// Parses one payment written as a `pay` line writes it, without `pay` and
/// without an outcome (`CNY 300.00 at online_purchase, user bob`): the text
/// of `campc explain --pay`, as file `file`. Look-alike characters and
/// syntax errors are reported as in a `.camp` file.
pub fn parse_payment(file: FileId, text: &str) -> Result<PaymentSyntax, Vec<CampError>> {
    parse_one(file, text, Rule::payment_only, Lowerer::payment)
}

/// (v2) Parses the claim `campc explain --claim` gives: a `claim` line's
/// claim, without `claim` and the outcome.
pub fn parse_claim(file: FileId, text: &str) -> Result<ClaimRequestSyntax, Vec<CampError>> {
    parse_one(file, text, Rule::claim_only, Lowerer::claim_request)
}

/// A text of the command line that is one grammar rule (`rule`), lowered
/// by `lower`: look-alike characters and syntax errors as in a `.camp` file.
fn parse_one<T>(
    file: FileId,
    text: &str,
    rule: Rule,
    lower: impl Fn(&mut Lowerer, &pest::iterators::Pair<'_, Rule>) -> Option<T>,
) -> Result<T, Vec<CampError>> {
    let lexical = lookalike::scan(file, text);
    if !lexical.is_empty() {
        return Err(lexical);
    }
    let mut lowerer = Lowerer {
        file,
        base: 0,
        errors: Vec::new(),
    };
    match CampParser::parse(rule, text) {
        Ok(mut pairs) => match pairs.next().and_then(|pair| lower(&mut lowerer, &pair)) {
            Some(parsed) if lowerer.errors.is_empty() => Ok(parsed),
            Some(_) | None => Err(lowerer.errors),
        },
        Err(error) => Err(vec![syntax_error(file, 0, text, &error)]),
    }
}

/// Whether a chunk holds only white space and `//` comments.
fn is_blank(chunk: &str) -> bool {
    crate::source::lines(chunk).all(|line| {
        let line = line.trim_matches([' ', '\t', '\r', '\u{FEFF}']);
        let doc_comment = line.starts_with("///") && !line.starts_with("////");
        line.is_empty() || (line.starts_with("//") && !doc_comment)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{EscapeProblem, Notation};

    fn parse(text: &str) -> ParseOutput {
        parse_file(FileId(0), text)
    }

    /// A file big enough to be parsed in parallel gives what parsing it
    /// item after item (the language server's way, through the item
    /// cache) gives: the same items and errors, in the same order. The
    /// file is every example and fixture written one after another, broken
    /// items, look-alike characters and byte-order marks included.
    #[test]
    fn a_big_file_parses_in_parallel_as_item_after_item() {
        let paths = crate::syntax::example_and_fixture_files();
        let mut text = String::new();
        for path in &paths {
            if let Ok(file) = std::fs::read_to_string(path) {
                text.push_str(&file);
                text.push('\n');
            }
        }
        assert!(paths.len() > 100, "fixtures not found: {}", paths.len());
        while text.len() < PARALLEL_FROM_BYTES {
            text = text.repeat(2);
        }
        let parallel = parse_file(FileId(3), &text);
        let (one_by_one, _, parsed) = parse_file_reusing(FileId(3), &text, ItemCache::new());
        assert!(
            parsed > 500 && !one_by_one.errors.is_empty(),
            "{parsed} items, {} errors",
            one_by_one.errors.len()
        );
        assert_eq!(parallel.file.items, one_by_one.file.items);
        assert_eq!(parallel.errors, one_by_one.errors);
    }

    #[test]
    fn a_broken_item_does_not_hide_the_others() {
        let output = parse("scene a\ncampaign b {\n  title: \n}\nscene c\n");
        assert_eq!(output.file.items.len(), 2);
        assert_eq!(output.errors.len(), 1);
    }

    #[test]
    fn money_keeps_its_written_scale() {
        let output = parse("fund f { max_per_use: CNY 2_000.00 }");
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        let Some(Item {
            kind: ItemKind::Fund(fund),
            ..
        }) = output.file.items.first()
        else {
            unreachable!("not a fund");
        };
        let Some(EntryValue::Generic(clauses)) =
            fund.body.entries.first().map(|entry| &entry.value)
        else {
            unreachable!("not generic");
        };
        let Some(Term::Atom(Atom {
            kind: AtomKind::Money { amount, scale, .. },
            ..
        })) = clauses.first().and_then(|clause| clause.terms.first())
        else {
            unreachable!("not money");
        };
        assert_eq!(amount.to_string(), "2000.00");
        assert_eq!(*scale, 2);
    }

    #[test]
    fn spans_end_where_the_written_text_ends() {
        let text = "fund f {\n  payer: platform   // who pays\n  scenes: [a]\n}\nscene s\n\n";
        let output = parse(text);
        assert!(output.errors.is_empty(), "{:?}", output.errors);
        let spans: Vec<&str> = output
            .file
            .items
            .iter()
            .flat_map(|item| match &item.kind {
                ItemKind::Fund(fund) => fund.body.entries.iter().map(|entry| entry.span).collect(),
                _ => vec![item.span],
            })
            .map(|span| text.get(span.range()).unwrap_or(""))
            .collect();
        assert_eq!(spans, vec!["payer: platform", "scenes: [a]", "scene s"]);
    }

    #[test]
    fn a_missing_colon_is_reported_after_the_field_name() {
        let output = parse("campaign c {\n  budget = CNY 1.00\n}\n");
        match output.errors.as_slice() {
            [
                CampError::Syntax {
                    expected, found, ..
                },
            ] => {
                assert_eq!(found, "=");
                assert_eq!(expected, &vec![String::from("`:`")]);
            }
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn an_unclosed_brace_names_its_item() {
        let output = parse("campaign c {\n  title: \"t\"\n\ncampaign d {\n}\n");
        match output.errors.as_slice() {
            [CampError::Syntax { span, hint, .. }] => {
                assert_eq!(span.start as usize, "campaign c {\n  title: \"t\"".len());
                assert_eq!(
                    hint.as_deref(),
                    Some("`campaign c {` is not closed; add the matching `}`")
                );
            }
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn numbers_in_other_notations_say_what_to_write() {
        let cases = [
            ("0x10", Notation::Hexadecimal, Some("16")),
            ("0xZZ", Notation::Hexadecimal, None),
            ("0o17", Notation::Octal, Some("15")),
            ("0b101", Notation::Binary, Some("5")),
            ("3e6", Notation::Exponent, Some("3_000_000")),
            ("1.5E+3", Notation::Exponent, Some("1_500")),
            ("1e-2", Notation::Exponent, Some("0.01")),
            ("1e999", Notation::Exponent, None),
        ];
        for (number, expected, value) in cases {
            let output = parse(&format!("campaign c {{\n  limit: {number} per user\n}}\n"));
            match output.errors.as_slice() {
                [
                    CampError::NumberNotation {
                        text,
                        notation,
                        decimal,
                        ..
                    },
                ] => {
                    assert_eq!(text, number);
                    assert_eq!(*notation, expected, "{number}");
                    assert_eq!(decimal.as_deref(), value, "{number}");
                }
                other => unreachable!("{number}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_doc_comment_with_nothing_to_document_is_reported_at_itself() {
        let cases = [
            ("/// dangling\n", "/// dangling"),
            ("// header\n\n/// a\n/// b\n\n// x\n", "/// a\n/// b"),
            ("scene a\n/// dangling\n\n", "/// dangling"),
            ("scene a\r/// dangling\r", "/// dangling"),
            ("scene a {\n  /// doc\n  // plain\n}\n", "/// doc"),
        ];
        for (text, doc) in cases {
            let output = parse(text);
            match output.errors.as_slice() {
                [CampError::DanglingDoc { span }] => {
                    assert_eq!(text.get(span.range()), Some(doc), "{text:?}");
                }
                other => unreachable!("{text:?}: {other:?}"),
            }
        }
        // A doc comment before a declaration that does not parse is not
        // the problem.
        let output = parse("/// doc\ncampaing c {}\n");
        assert!(matches!(
            output.errors.as_slice(),
            [CampError::Syntax { .. }]
        ));
    }

    #[test]
    fn a_currency_code_not_in_capitals_is_named() {
        for text in [
            "campaign c {\n  reward: cny 5.00 off\n}\n",
            "campaign c {\n  limit: Cny 5.00 per user\n}\n",
            "campaign c {\n  reward: tiers { spend cny 100.00 => CNY 1.00 off }\n}\n",
        ] {
            assert!(
                matches!(
                    output_errors(text).as_slice(),
                    [CampError::LowercaseCurrency { written, .. }] if written.eq_ignore_ascii_case("cny")
                ),
                "{text:?}: {:?}",
                output_errors(text)
            );
        }
        // A name that is not a currency stays a plain syntax error, and so
        // does a currency-like word in a string or a comment.
        for text in [
            "campaign c {\n  limit: abc 5 per user\n}\n",
            "campaign c {\n  limit: x 5 \"cny 5\" // cny 5\n}\n",
        ] {
            assert!(
                matches!(output_errors(text).as_slice(), [CampError::Syntax { .. }]),
                "{text:?}"
            );
        }
    }

    fn output_errors(text: &str) -> Vec<CampError> {
        parse(text).errors
    }

    #[test]
    fn escapes_quote_only_themselves() {
        let cases = [
            ("\\u{D800}abc def", "\\u{D800}", EscapeProblem::Surrogate),
            ("\\u{110000}", "\\u{110000}", EscapeProblem::AboveUnicode),
            ("\\u{12 x", "\\u{12", EscapeProblem::Malformed),
            ("\\u12", "\\u", EscapeProblem::Malformed),
            ("\\u{}", "\\u{}", EscapeProblem::Malformed),
            ("\\q", "\\q", EscapeProblem::Unknown),
        ];
        for (written, quoted, expected) in cases {
            let text = format!("scene s {{ code: \"{written}\" }}");
            match output_errors(&text).as_slice() {
                [
                    CampError::InvalidEscape {
                        escape, problem, ..
                    },
                ] => {
                    assert_eq!(escape, quoted);
                    assert_eq!(*problem, expected, "{written}");
                }
                other => unreachable!("{written}: {other:?}"),
            }
        }
    }

    #[test]
    fn overflowing_numbers_are_errors_not_panics() {
        let output = parse("campaign c { budget: CNY 99999999999999999999999999999.00 }");
        assert!(
            output
                .errors
                .iter()
                .any(|error| matches!(error, CampError::NumberTooLarge { .. }))
        );
    }
}

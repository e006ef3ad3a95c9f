//! Semantic tokens.

use std::collections::HashMap;

use camp_core::lang::fields::field;
use camp_core::lang::keyword::{Item, Value, is_form_word};
use camp_core::lang::vocab::{Day, Dimension, Period};
use camp_core::package::Analysis;
use gen_lsp_types as lsp;

use crate::lines::LineIndex;
use crate::position::Encoding;

/// The semantic token types, in legend order.
pub const TOKEN_TYPES: [&str; 11] = [
    "keyword",
    "type",
    "enumMember",
    "struct",
    "function",
    "class",
    "property",
    "variable",
    "string",
    "number",
    "comment",
];

/// Whether a word is highlighted as a keyword: an item keyword, a word of
/// a form, a block (`rollout`), a built-in value, or a limit's dimension or
/// period (wherever it stands: the tokens do not look at the word before).
fn is_keyword(word: &str) -> bool {
    Item::parse(word).is_some()
        || is_form_word(word)
        || Value::parse(word).is_some()
        || Dimension::parse(word).is_some()
        || Period::parse(word).is_some()
        || field(Item::Campaign, word).is_some_and(|spec| spec.kind.is_block())
}

/// Semantic tokens for a whole document, from the regions scanner and the
/// analysis's names: keywords, declared names by kind, field names,
/// literals, strings and comments.
pub fn semantic_tokens(
    analysis: Option<&Analysis>,
    text: &str,
    encoding: Encoding,
) -> Vec<lsp::SemanticToken> {
    use camp_core::syntax::regions::{Region, regions};
    // The token type of each declared name, the first declaration winning
    // (as in hover and definition), looked up once per word.
    let mut kinds: HashMap<&str, u32> = HashMap::new();
    for (name, _, kind, _) in analysis.into_iter().flat_map(crate::declarations) {
        kinds.entry(name).or_insert(match Item::parse(kind) {
            Some(Item::Fund | Item::Pool) => 3,
            Some(Item::Template) => 4,
            Some(Item::Campaign) => 5,
            Some(
                Item::Scene
                | Item::Category
                | Item::Region
                | Item::Segment
                | Item::MerchantGroup
                | Item::Instrument
                | Item::Policy
                | Item::Test,
            )
            | None => 2,
        });
    }
    // (byte start, byte end, type) of each token, in order.
    let mut tokens: Vec<(usize, usize, u32)> = Vec::new();
    let mut chars = regions(text).peekable();
    while let Some((start, ch, region)) = chars.next() {
        match region {
            Region::String | Region::Comment => {
                let mut end = start + ch.len_utf8();
                while let Some((offset, next, next_region)) = chars.peek().copied() {
                    if next_region != region || next == '\n' {
                        break;
                    }
                    end = offset + next.len_utf8();
                    chars.next();
                }
                tokens.push((start, end, if region == Region::String { 8 } else { 10 }));
            }
            Region::Code if ch.is_ascii_alphanumeric() || ch == '_' => {
                let mut end = start + ch.len_utf8();
                while let Some((offset, next, Region::Code)) = chars.peek().copied() {
                    let continues = next.is_ascii_alphanumeric()
                        || next == '_'
                        || (ch.is_ascii_digit() && matches!(next, '.' | '%' | '-' | ':'));
                    if !continues {
                        break;
                    }
                    end = offset + next.len_utf8();
                    chars.next();
                }
                let word = text.get(start..end).unwrap_or("");
                let after = text
                    .get(end..)
                    .unwrap_or("")
                    .trim_start_matches([' ', '\t']);
                let token_type = if ch.is_ascii_digit() {
                    9
                } else if ch.is_ascii_uppercase() {
                    1
                } else if after.starts_with(':') && !after.starts_with("::") {
                    6
                } else if is_keyword(word) {
                    0
                } else {
                    // A declared name first; a day of a schedule (`mon`) is
                    // an enum member too.
                    kinds
                        .get(word)
                        .copied()
                        .unwrap_or(if Day::parse(word).is_some() { 2 } else { 7 })
                };
                tokens.push((start, end, token_type));
            }
            Region::Code => {}
        }
    }
    let lines = LineIndex::new(text);
    let mut data = Vec::with_capacity(tokens.len());
    let mut previous = lsp::Position {
        line: 0,
        character: 0,
    };
    for (start, end, token_type) in tokens {
        let at = lines.position(start, encoding);
        let length = lines
            .position(end, encoding)
            .character
            .saturating_sub(at.character);
        let delta_line = at.line - previous.line;
        let delta_start = if delta_line == 0 {
            at.character - previous.character
        } else {
            at.character
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type,
            token_modifiers_bitset: 0,
        });
        previous = at;
    }
    data
}

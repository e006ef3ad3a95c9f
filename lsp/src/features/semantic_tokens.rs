//! Semantic tokens.

use std::collections::HashMap;

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

const WORDS: [&str; 51] = [
    "scene",
    "category",
    "region",
    "segment",
    "fund",
    "policy",
    "campaign",
    "template",
    "test",
    "from",
    "in",
    "off",
    "cap",
    "min_spend",
    "tiers",
    "spend",
    "random",
    "to",
    "per",
    "halt",
    "when",
    "stage",
    "for",
    "rollout",
    "exclusive",
    "stacks_with",
    "up_to",
    "any",
    "true",
    "false",
    "pay",
    "at",
    "no",
    "discount",
    "back",
    "refused",
    "conflicting",
    "replay",
    "claim",
    "claimed",
    "merchant",
    "group",
    "device",
    "card",
    "ip",
    "time",
    "id",
    "user",
    "day",
    "hour",
    "week",
];

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
        kinds.entry(name).or_insert(match kind {
            "fund" => 3,
            "template" => 4,
            "campaign" => 5,
            _ => 2,
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
                } else if WORDS.contains(&word) {
                    0
                } else {
                    kinds.get(word).copied().unwrap_or(7)
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

//! Hover on a field name: its type and allowed values in its block, as the
//! field table (`camp_lang::fields`) documents them.

use super::place::place_of;

/// Hover on a field name: its type and allowed values in that block.
pub fn field_hover(text: &str, offset: usize, word: &str) -> Option<String> {
    // The word must be the field name at the start of its line.
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = text.get(line_start..)?.split('\n').next()?;
    let rest = line.trim_start().strip_prefix(word)?;
    if !(rest.trim_start().starts_with(':') || rest.trim_start().starts_with('{')) {
        return None;
    }
    let fields = place_of(text, line_start).block.fields()?;
    fields
        .iter()
        .find(|spec| spec.name == word)
        .map(|spec| spec.docs.to_string())
}

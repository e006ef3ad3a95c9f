//! Where the cursor is in half-typed text, for completion and hover.

use camp_core::lang::fields::{ValueKind, field};
use camp_core::lang::keyword::{Item, Word};

/// What kind of block the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Block {
    TopLevel,
    Campaign,
    Template,
    Fund,
    Policy,
    Rollout,
    /// (v2) `merchant_group x { … }`, `instrument x { … }`.
    MerchantGroup,
    Instrument,
    /// (v2) A pool's block.
    Pool,
    /// A schema declaration's block, a reward's `tiers { … }`.
    Other,
    /// A test's block: its `pay` lines.
    Test,
    /// (v2) A campaign's `claim { … }` block.
    Claim,
}

impl Block {
    /// The item whose fields the block holds, for the blocks whose fields
    /// completion and hover offer.
    pub(super) fn item(self) -> Option<Item> {
        match self {
            Block::Campaign => Some(Item::Campaign),
            Block::Template => Some(Item::Template),
            Block::Fund => Some(Item::Fund),
            Block::Policy => Some(Item::Policy),
            Block::MerchantGroup => Some(Item::MerchantGroup),
            Block::Instrument => Some(Item::Instrument),
            Block::Pool => Some(Item::Pool),
            Block::TopLevel | Block::Rollout | Block::Other | Block::Test | Block::Claim => None,
        }
    }

    /// The fields of the block: its item's, or (v2) a claim block's own.
    pub(super) fn fields(self) -> Option<&'static [camp_core::lang::fields::FieldSpec]> {
        match self {
            Block::Claim => Some(&camp_core::lang::fields::CLAIM),
            Block::TopLevel
            | Block::Campaign
            | Block::Template
            | Block::Fund
            | Block::Policy
            | Block::Rollout
            | Block::MerchantGroup
            | Block::Instrument
            | Block::Pool
            | Block::Other
            | Block::Test => self.item().map(camp_core::lang::fields::fields),
        }
    }
}

#[derive(Debug)]
pub(super) struct Place<'t> {
    pub(super) block: Block,
    /// The fields already written in the item's own block, the line being
    /// typed excepted.
    pub(super) written: Vec<&'t str>,
    /// (v2) The fields already written in the block the cursor is in (for
    /// a nested block such as `claim { … }`: that block's own), the line
    /// being typed excepted.
    pub(super) written_here: Vec<&'t str>,
    /// `campaign … from TEMPLATE(…)`: the template's name.
    pub(super) template: Option<&'t str>,
}

/// Where the cursor is, from the text (usually half-typed, so not from the
/// syntax tree): the item is the last line before the cursor that starts
/// in column 0 with a name, as items do; braces are counted from there,
/// skipping strings and comments.
pub(super) fn place_of(text: &str, offset: usize) -> Place<'_> {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let item_start = before
        .match_indices('\n')
        .map(|(at, _)| at + 1)
        .chain(std::iter::once(0))
        .filter(|start| {
            text.get(*start..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|first| first.is_ascii_lowercase())
        })
        .max()
        .unwrap_or(0);
    // The item runs to the next line that starts in column 0 with a name.
    let item_end = text
        .get(offset..)
        .and_then(|rest| {
            rest.match_indices('\n')
                .map(|(at, _)| offset + at + 1)
                .find(|start| {
                    text.get(*start..)
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(|first| first.is_ascii_lowercase())
                })
        })
        .unwrap_or(text.len());
    let item = text.get(item_start..item_end).unwrap_or("");
    let cursor = offset - item_start;
    let keyword = item
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
        .next()
        .unwrap_or("");
    let header = item.split('{').next().unwrap_or("");
    let item_keyword = Item::parse(keyword);
    let from = format!(" {} ", Word::From.as_str());
    let template = (item_keyword == Some(Item::Campaign))
        .then(|| header.split_once(from.as_str()))
        .flatten()
        .and_then(|(_, rest)| {
            rest.trim_start()
                .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
                .next()
        })
        .filter(|name| !name.is_empty());

    // Walk the item: a stack of the word before each open `{`, and of
    // each open block's number (in the order they open), for the fields
    // written in the cursor's block.
    let mut stack: Vec<&str> = Vec::new();
    let mut block_at_cursor = None;
    let mut written = Vec::new();
    let mut numbers: Vec<usize> = Vec::new();
    let mut opened = 0usize;
    let mut number_at_cursor = None;
    let mut written_by_block: Vec<(usize, &str)> = Vec::new();
    let mut line_start = 0;
    let mut in_string = false;
    let mut chars = item.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        if at >= cursor && block_at_cursor.is_none() {
            block_at_cursor = Some(stack.clone());
            number_at_cursor = Some(numbers.last().copied());
        }
        match ch {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '\n' => {
                in_string = false;
                line_start = at + 1;
                let line = item.get(line_start..).unwrap_or("");
                let line = line.split('\n').next().unwrap_or("");
                let on_cursor_line = (line_start..=line_start + line.len()).contains(&cursor);
                // `name: …`, or `name {` for a block such as `rollout`.
                let field = line
                    .trim_start()
                    .split_once(':')
                    .or_else(|| line.trim_start().split_once(" {"));
                if let Some((name, _)) = field
                    && !on_cursor_line
                    && !name.is_empty()
                    && name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
                    && let Some(number) = numbers.last()
                {
                    written_by_block.push((*number, name));
                    // A field written at the item's own depth.
                    if stack.len() == 1 {
                        written.push(name);
                    }
                }
            }
            '/' if !in_string && item.get(at..).is_some_and(|rest| rest.starts_with("//")) => {
                // Skip to the end of the line (the newline is seen next).
                while chars.peek().is_some_and(|(_, next)| *next != '\n') {
                    chars.next();
                }
            }
            '{' if !in_string => {
                let opener = item
                    .get(line_start..at)
                    .unwrap_or("")
                    .split_whitespace()
                    .last()
                    .unwrap_or("");
                stack.push(opener);
                numbers.push(opened);
                opened += 1;
            }
            '}' if !in_string => {
                stack.pop();
                numbers.pop();
            }
            _ => {}
        }
    }
    let number_at_cursor = number_at_cursor.unwrap_or(numbers.last().copied());
    let written_here = written_by_block
        .into_iter()
        .filter(|(number, _)| Some(*number) == number_at_cursor)
        .map(|(_, name)| name)
        .collect();
    let stack_at_cursor = block_at_cursor.unwrap_or(stack);
    let block = match stack_at_cursor.as_slice() {
        [] => Block::TopLevel,
        [_] => match item_keyword {
            Some(Item::Campaign) => Block::Campaign,
            Some(Item::Template) => Block::Template,
            Some(Item::Fund) => Block::Fund,
            Some(Item::Policy) => Block::Policy,
            Some(Item::MerchantGroup) => Block::MerchantGroup,
            Some(Item::Instrument) => Block::Instrument,
            Some(Item::Pool) => Block::Pool,
            Some(Item::Test) => Block::Test,
            Some(Item::Scene | Item::Category | Item::Region | Item::Segment) | None => {
                Block::Other
            }
        },
        // `rollout { … }` in a campaign or a template.
        [_, opener]
            if matches!(item_keyword, Some(Item::Campaign | Item::Template))
                && field(Item::Campaign, opener)
                    .is_some_and(|spec| spec.kind == ValueKind::Rollout) =>
        {
            Block::Rollout
        }
        // (v2) `claim { … }` in a campaign or a template.
        [_, opener]
            if matches!(item_keyword, Some(Item::Campaign | Item::Template))
                && field(Item::Campaign, opener)
                    .is_some_and(|spec| spec.kind == ValueKind::Claim) =>
        {
            Block::Claim
        }
        _ => Block::Other,
    };
    Place {
        block,
        written,
        written_here,
        template,
    }
}

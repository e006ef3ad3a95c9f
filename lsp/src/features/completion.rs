//! Completion: fields by block, values by field, rollout stages and new
//! items. The fields, their snippets and the words a value may be are the
//! language's tables (`camp_lang`); the names are the analysis's.

use camp_core::lang::fields::{ValueKind, all_fields, fields};
use camp_core::lang::keyword::{Item, Value, Word};
use camp_core::lang::reward::RewardKind;
use camp_core::lang::vocab::{CreditKind, Day, InstrumentKind, LIMIT_EXAMPLES, Payer, Requirement};
use camp_core::package::Analysis;
use camp_core::syntax::ast::{ItemKind, SchemaKind};
use camp_core::testing::Reason;
use gen_lsp_types as lsp;

use super::place::{Block, place_of};

fn rollout_stages() -> Vec<lsp::CompletionItem> {
    vec![
        item(
            "stage segment",
            lsp::CompletionItemKind::Snippet,
            "a stage for one segment",
            Some("stage segment ${1:qa_accounts} for ${2:30min}"),
        ),
        item(
            "stage %",
            lsp::CompletionItemKind::Snippet,
            "a stage for a share of users",
            Some("stage ${1:1}% for ${2:2h}"),
        ),
        item(
            "stage 100%",
            lsp::CompletionItemKind::Snippet,
            "the last stage",
            Some("stage 100%"),
        ),
    ]
}
/// The fields a template sets (a campaign made from it may not).
fn fields_of_template(analysis: &Analysis, name: &str) -> Vec<String> {
    analysis
        .parsed
        .iter()
        .flat_map(|parsed| &parsed.items)
        .find_map(|item| match &item.kind {
            ItemKind::Template(template) if template.name.text == name => Some(
                template
                    .body
                    .entries
                    .iter()
                    .map(|entry| entry.key.text.clone())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

fn item(
    label: &str,
    kind: lsp::CompletionItemKind,
    detail: &str,
    snippet: Option<&str>,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        insert_text: snippet.map(String::from),
        insert_text_format: snippet.map(|_| lsp::InsertTextFormat::Snippet),
        ..lsp::CompletionItem::default()
    }
}

/// Every zone a window accepts, the ones Camp's users live in first,
/// then a UTC offset, then the rest of the bundled tz database.
fn time_zones() -> Vec<lsp::CompletionItem> {
    const FIRST: [&str; 4] = ["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "+08:00"];
    let names = camp_core::check::campaign::time_zone_names();
    FIRST
        .iter()
        .enumerate()
        .map(|(rank, zone)| (format!("0{rank}"), *zone))
        .chain(
            names
                .iter()
                .filter(|name| !FIRST.contains(&name.as_str()))
                .map(|name| (format!("1{name}"), name.as_str())),
        )
        .map(|(sort_text, zone)| lsp::CompletionItem {
            sort_text: Some(sort_text),
            ..item(zone, lsp::CompletionItemKind::Value, "time zone", None)
        })
        .collect()
}

/// Completion from what the line says before the cursor.
pub fn completion(analysis: &Analysis, text: &str, offset: usize) -> Vec<lsp::CompletionItem> {
    let before = text.get(..offset).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    let trimmed = line.trim_start();
    let indented = trimmed.len() != line.len();
    let schema = &analysis.model.schema;
    let names = |kind: SchemaKind| -> Vec<lsp::CompletionItem> {
        let (detail, names): (&str, Vec<&String>) = match kind {
            SchemaKind::Scene => (Item::Scene.as_str(), schema.scenes.keys().collect()),
            SchemaKind::Category => (Item::Category.as_str(), schema.categories.keys().collect()),
            SchemaKind::Region => (Item::Region.as_str(), schema.regions.keys().collect()),
            SchemaKind::Segment => (Item::Segment.as_str(), schema.segments.keys().collect()),
            SchemaKind::MerchantGroup => (
                Item::MerchantGroup.as_str(),
                schema.merchant_groups.keys().collect(),
            ),
            SchemaKind::Instrument => (
                Item::Instrument.as_str(),
                schema.instruments.keys().collect(),
            ),
        };
        names
            .into_iter()
            .map(|name| item(name, lsp::CompletionItemKind::EnumMember, detail, None))
            .collect()
    };
    let place = place_of(text, offset);
    if matches!(place.block, Block::Test) {
        return test_line(analysis, trimmed, &names);
    }
    // The field before the first `:`; in a one-line body
    // (`instrument x { kind: …`), the part after the `{`.
    let field = trimmed.split(':').next().unwrap_or("");
    let field = field.rsplit('{').next().unwrap_or(field).trim();
    if trimmed.contains(':') {
        let words = |words: &[&str], detail: &str| -> Vec<lsp::CompletionItem> {
            words
                .iter()
                .map(|word| item(word, lsp::CompletionItemKind::EnumMember, detail, None))
                .collect()
        };
        // What a value may be depends on the field's kind; a field name is
        // the same kind in every block that has it.
        let kind = all_fields()
            .chain(camp_core::lang::fields::CLAIM.iter())
            .find(|spec| spec.name == field)
            .map(|spec| spec.kind);
        return match kind {
            Some(ValueKind::Payer) => words(&Payer::ALL, "payer"),
            Some(ValueKind::Requirements) => words(&Requirement::ALL, "requirement"),
            Some(ValueKind::Credit) => words(&CreditKind::ALL, "how a `back` reward is credited"),
            Some(ValueKind::Name(Item::Fund)) => schema
                .funds
                .values()
                .map(|fund| {
                    item(
                        &fund.id,
                        lsp::CompletionItemKind::Struct,
                        fund.payer.as_str(),
                        None,
                    )
                })
                .collect(),
            Some(ValueKind::Name(Item::Pool)) => schema
                .pools
                .values()
                .map(|pool| {
                    item(
                        &pool.id,
                        lsp::CompletionItemKind::Struct,
                        &format!("pool of `{}`", pool.fund),
                        None,
                    )
                })
                .collect(),
            Some(ValueKind::Names(Item::Scene)) => {
                let mut items = names(SchemaKind::Scene);
                items.push(item(
                    Value::Any.as_str(),
                    lsp::CompletionItemKind::Keyword,
                    "every declared scene",
                    None,
                ));
                items
            }
            Some(ValueKind::Names(Item::Category)) => names(SchemaKind::Category),
            Some(ValueKind::Names(Item::Region)) => names(SchemaKind::Region),
            Some(ValueKind::Names(Item::Segment)) => names(SchemaKind::Segment),
            Some(ValueKind::Names(Item::MerchantGroup)) => names(SchemaKind::MerchantGroup),
            Some(ValueKind::Names(Item::Instrument)) => names(SchemaKind::Instrument),
            Some(ValueKind::InstrumentKind) => words(&InstrumentKind::ALL, "instrument kind"),
            Some(ValueKind::Stacking) => vec![
                item(
                    Word::Exclusive.as_str(),
                    lsp::CompletionItemKind::Keyword,
                    "stacks with nothing",
                    None,
                ),
                item(
                    Word::StacksWith.as_str(),
                    lsp::CompletionItemKind::Keyword,
                    "stacks with these campaigns",
                    Some(&format!("{} [${{1}}]", Word::StacksWith.as_str())),
                ),
            ],
            Some(ValueKind::Reward) => RewardKind::VARIANTS
                .into_iter()
                .map(|kind| {
                    let spec = kind.spec();
                    item(
                        kind.as_str(),
                        lsp::CompletionItemKind::Snippet,
                        spec.detail,
                        Some(spec.snippet),
                    )
                })
                .collect(),
            Some(ValueKind::Limit) => LIMIT_EXAMPLES
                .iter()
                .map(|form| item(form, lsp::CompletionItemKind::Value, "a limit", None))
                .collect(),
            Some(ValueKind::Window) => time_zones(),
            Some(ValueKind::Days) => words(&Day::ALL, "day"),
            Some(ValueKind::Hours) => vec![item(
                "HH:MM to HH:MM",
                lsp::CompletionItemKind::Snippet,
                "a time range of the day, half-open, in the window's zone",
                Some("${1:HH:MM} to ${2:HH:MM}"),
            )],
            Some(
                ValueKind::Text
                | ValueKind::Bool
                | ValueKind::Name(
                    Item::Scene
                    | Item::Category
                    | Item::Region
                    | Item::Segment
                    | Item::Policy
                    | Item::Campaign
                    | Item::Template
                    | Item::Test
                    | Item::MerchantGroup
                    | Item::Instrument,
                )
                | ValueKind::Names(
                    Item::Fund
                    | Item::Policy
                    | Item::Campaign
                    | Item::Template
                    | Item::Test
                    | Item::Pool,
                )
                | ValueKind::Money
                | ValueKind::AmountPerCurrency
                | ValueKind::Rate
                | ValueKind::Currencies
                | ValueKind::Rollout
                | ValueKind::Guard
                | ValueKind::Throughput
                | ValueKind::Approvals
                | ValueKind::Bins,
            )
            | None => currencies(analysis),
            // (v2) A count, a duration or the claim block: no name or word
            // to complete.
            Some(ValueKind::Count | ValueKind::Duration | ValueKind::Claim) => Vec::new(),
        };
    }
    if trimmed.starts_with("stage segment") {
        return names(SchemaKind::Segment);
    }
    match place.block {
        Block::TopLevel => {}
        Block::Rollout => return rollout_stages(),
        // (v2) The claim block's own fields not yet written in it.
        Block::Claim => {
            return camp_core::lang::fields::CLAIM
                .iter()
                .filter(|spec| spec.repeatable || !place.written_here.contains(&spec.name))
                .map(|spec| {
                    item(
                        spec.name,
                        lsp::CompletionItemKind::Field,
                        "claim field",
                        Some(spec.snippet),
                    )
                })
                .collect();
        }
        Block::Other | Block::Test => return Vec::new(),
        Block::Fund
        | Block::Policy
        | Block::Campaign
        | Block::Template
        | Block::MerchantGroup
        | Block::Instrument
        | Block::Pool => {
            let Some(block) = place.block.item() else {
                return Vec::new();
            };
            let detail = format!("{} field", block.as_str());
            let fixed = place
                .template
                .map(|template| fields_of_template(analysis, template))
                .unwrap_or_default();
            return fields(block)
                .iter()
                // A field the template sets may not be set again, even a
                // repeatable one (E0705).
                .filter(|spec| {
                    !fixed.iter().any(|fixed| fixed == spec.name)
                        && (spec.repeatable || !place.written.contains(&spec.name))
                })
                .map(|spec| {
                    item(
                        spec.name,
                        lsp::CompletionItemKind::Field,
                        &detail,
                        Some(spec.snippet),
                    )
                })
                .collect();
        }
    }
    if indented {
        return Vec::new();
    }
    vec![
        item(
            Item::Campaign.as_str(),
            lsp::CompletionItemKind::Snippet,
            "a new campaign",
            Some(
                "campaign ${1:name} {\n  title: \"${2}\"\n  owner: \"${3:team}\"\n  fund: ${4}\n  scenes: [${5}]\n  window: ${6:2027-01-01 00:00} to ${7:2027-01-31 00:00} Asia/Shanghai\n  reward: ${8:CNY 5.00} off, min_spend ${9:CNY 50.00}\n  budget: ${10:CNY 100_000.00}\n  limit: 1 per user\n  rollout {\n    stage segment ${11:qa_accounts} for 30min\n    stage 100%\n  }\n  guard: halt when spend > ${12:CNY 5_000.00} per 1min\n}",
            ),
        ),
        item(
            Item::Template.as_str(),
            lsp::CompletionItemKind::Snippet,
            "a new template",
            Some(
                "template ${1:name}(${2:rate}: Rate in ${3:5%}..${4:20%}) {\n  reward: ${2:rate} off, cap ${5:CNY 20.00}\n}",
            ),
        ),
    ]
}

/// Completion in a test's block, from the line before the cursor: a `pay`
/// line, its currency, `at` and the scene, its attributes (`category`,
/// `user`, `time`, … — the vocabulary's words) and their names, and after
/// `=>` the outcomes and the reasons.
fn test_line(
    analysis: &Analysis,
    line: &str,
    names: &dyn Fn(SchemaKind) -> Vec<lsp::CompletionItem>,
) -> Vec<lsp::CompletionItem> {
    let keyword =
        |word: &str, detail: &str| item(word, lsp::CompletionItemKind::Keyword, detail, None);
    let pay = Word::Pay.as_str();
    let at = Word::At.as_str();
    if let Some((_, outcome)) = line.split_once("=>") {
        let outcome = outcome.trim_start();
        let no_discount = format!("{} {}", Word::No.as_str(), Word::Discount.as_str());
        if outcome.starts_with(&no_discount) && outcome.contains(':') {
            return Reason::ALL
                .iter()
                .map(|reason| keyword(reason.as_str(), "why a campaign paid nothing"))
                .collect();
        }
        if outcome.starts_with(Word::Refused.as_str()) && outcome.contains(':') {
            return vec![keyword(
                &format!("{} {}", Word::Conflicting.as_str(), Word::Replay.as_str()),
                "the id was decided for another payment",
            )];
        }
        return vec![
            item(
                "off",
                lsp::CompletionItemKind::Snippet,
                "the total the payment gets off",
                Some("${1:CNY 10.00} off"),
            ),
            keyword(&no_discount, "no campaign pays"),
            item(
                &format!("{no_discount}:"),
                lsp::CompletionItemKind::Snippet,
                "no campaign pays, for this reason",
                Some(&format!("{no_discount}: ${{1:limit}}")),
            ),
            keyword(
                &format!(
                    "{}: {} {}",
                    Word::Refused.as_str(),
                    Word::Conflicting.as_str(),
                    Word::Replay.as_str()
                ),
                "the id was decided for another payment",
            ),
        ];
    }
    let words: Vec<&str> = line
        .split(|ch: char| ch.is_whitespace() || ch == ',')
        .filter(|word| !word.is_empty())
        .collect();
    // The word being typed (none after a space or a comma).
    let typing = !line.ends_with([' ', ',']);
    let complete: &[&str] = match (typing, words.split_last()) {
        (true, Some((_, before))) => before,
        (true, None) | (false, _) => &words,
    };
    match complete {
        [] => vec![item(
            pay,
            lsp::CompletionItemKind::Snippet,
            "a payment and what it gets",
            Some(&format!(
                "{pay} ${{1:CNY 100.00}} {at} ${{2:scene}}, {} ${{3:amy}} => ${{4:no discount}}",
                Word::User.as_str()
            )),
        )],
        [first] if *first == pay => currencies(analysis),
        [first, _, _] if *first == pay => vec![keyword(at, "the payment's scene")],
        [first, _, _, word] if *first == pay && *word == at => names(SchemaKind::Scene),
        [first, ..] if *first == pay && complete.len() < 5 => Vec::new(),
        // After the scene, or on a line continuing a `pay` line.
        [.., last] => {
            // After an attribute's word, before its value: the names it
            // may take; otherwise the attributes.
            let after_comma = line
                .rsplit(',')
                .next()
                .map(|part| part.split_whitespace().count())
                .unwrap_or(0);
            let value_next = (!typing && after_comma == 1) || (typing && after_comma == 2);
            match (value_next, Item::parse(last)) {
                (true, Some(Item::Category)) => names(SchemaKind::Category),
                (true, Some(Item::Region)) => names(SchemaKind::Region),
                (true, Some(Item::Segment)) => names(SchemaKind::Segment),
                (true, _) => Vec::new(),
                (false, _) => camp_core::lang::keyword::pay_name_attributes()
                    .into_iter()
                    .chain([Word::Card.as_str(), Word::Ip.as_str(), Word::Time.as_str()])
                    .map(|word| keyword(word, "an attribute of the payment"))
                    .collect(),
            }
        }
    }
}

fn currencies(analysis: &Analysis) -> Vec<lsp::CompletionItem> {
    match analysis
        .model
        .schema
        .policy
        .as_ref()
        .and_then(|policy| policy.currencies.as_ref())
    {
        Some((currencies, _)) => currencies
            .iter()
            .map(|currency| {
                item(
                    currency.code(),
                    lsp::CompletionItemKind::Unit,
                    currency.name(),
                    None,
                )
            })
            .collect(),
        None => Vec::new(),
    }
}

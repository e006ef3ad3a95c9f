//! The names a package declares: where each is declared, with its kind
//! and docs, for definition, references and rename, and the hover text
//! that says what the checker knows of one.

use camp_core::lang::keyword::Item as Keyword;
use camp_core::package::Analysis;
use camp_core::source::Span;
use camp_core::syntax::ast::{ItemKind, SchemaKind};

/// Where a name is declared, with its kind and doc comment.
pub(crate) fn declaration(
    analysis: &Analysis,
    name: &str,
) -> Option<(Span, &'static str, Option<String>)> {
    declarations(analysis)
        .find(|(declared, _, _, _)| *declared == name)
        .map(|(_, span, kind, item)| (span, kind, item.docs.text()))
}

/// Every declared name of a package, in file and item order, with where
/// it is declared, its kind and its item.
pub(crate) fn declarations(
    analysis: &Analysis,
) -> impl Iterator<Item = (&str, Span, &'static str, &camp_core::syntax::ast::Item)> {
    analysis
        .parsed
        .iter()
        .flat_map(|file| &file.items)
        .filter_map(|item| {
            let (name, kind) = match &item.kind {
                ItemKind::Schema(decl) => (
                    &decl.name,
                    match decl.kind {
                        SchemaKind::Scene => Keyword::Scene,
                        SchemaKind::Category => Keyword::Category,
                        SchemaKind::Region => Keyword::Region,
                        SchemaKind::Segment => Keyword::Segment,
                        SchemaKind::MerchantGroup => Keyword::MerchantGroup,
                        SchemaKind::Instrument => Keyword::Instrument,
                    }
                    .as_str(),
                ),
                ItemKind::Fund(decl) => (&decl.name, Keyword::Fund.as_str()),
                ItemKind::Template(decl) => (&decl.name, Keyword::Template.as_str()),
                ItemKind::Campaign(decl) => (&decl.name, Keyword::Campaign.as_str()),
                ItemKind::Pool(decl) => (&decl.name, Keyword::Pool.as_str()),
                ItemKind::Policy(_) | ItemKind::Test(_) => return None,
            };
            Some((name.text.as_str(), name.span, kind, item))
        })
}

/// Hover text for a declared name: its kind and docs, and what the checker
/// knows of it (a fund's contract, a campaign's exposure and window).
pub(crate) fn describe(analysis: &Analysis, name: &str) -> Option<String> {
    let (_, kind, docs) = declaration(analysis, name)?;
    let mut text = format!("```camp\n{kind} {name}\n```\n");
    if let Some(docs) = docs {
        text.push('\n');
        text.push_str(&docs);
        text.push('\n');
    }
    let schema = &analysis.model.schema;
    if let Some(fund) = schema.funds.get(name) {
        let mut clauses = vec![
            format!("payer `{}`", fund.payer.as_str()),
            format!(
                "scenes {}",
                fund.scenes
                    .iter()
                    .map(|scene| format!("`{scene}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ];
        if let Some(categories) = &fund.categories {
            clauses.push(format!(
                "categories {}",
                categories
                    .iter()
                    .map(|category| format!("`{category}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some((rate, _)) = fund.max_rate {
            clauses.push(format!("max rate {rate}"));
        }
        if !fund.max_per_use.is_empty() {
            clauses.push(format!(
                "max per use {}",
                fund.max_per_use
                    .iter()
                    .map(|money| format!("`{money}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !fund.requires.is_empty() {
            clauses.push(format!(
                "requires {}",
                fund.requires
                    .iter()
                    .map(|(requirement, _)| format!("`{}`", requirement.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        text.push_str(&format!("\n**Contract**: {}.\n", clauses.join("; ")));
    }
    if let Some(pool) = schema.pools.get(name) {
        text.push_str(&pool_hover(analysis, pool));
    }
    if let Some(scene) = schema.scenes.get(name)
        && scene.money_movement
    {
        text.push_str("\nMoney movement: never discounted unless a fund lists it.\n");
    }
    if let Some(campaign) = analysis
        .model
        .campaigns
        .iter()
        .find(|campaign| campaign.id == name)
    {
        text.push_str(&format!(
            "\n**Worst-case exposure** `{}` — approvals required: {}\n\n**Window (UTC)** {} to {}\n",
            campaign.exposure.amount,
            campaign.approvals_required,
            campaign.window.start,
            campaign.window.end
        ));
    }
    Some(text)
}

/// (v2) A pool's hover: its fund and budget, the campaigns that draw from
/// it, and its exposure and approvals per currency.
fn pool_hover(analysis: &Analysis, pool: &camp_core::check::model::PoolDef) -> String {
    let quoted = |items: Vec<String>| {
        items
            .iter()
            .map(|item| format!("`{item}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "\n**Pool** of fund `{}`; budget {}.\n",
        pool.fund,
        quoted(pool.budget.iter().map(ToString::to_string).collect())
    );
    let campaigns: Vec<String> = analysis
        .model
        .campaigns
        .iter()
        .filter(|campaign| campaign.pool.as_deref() == Some(pool.id.as_str()))
        .map(|campaign| campaign.id.clone())
        .collect();
    if campaigns.is_empty() {
        text.push_str("\n**Campaigns**: none yet.\n");
    } else {
        text.push_str(&format!("\n**Campaigns**: {}.\n", quoted(campaigns)));
    }
    if let Some(model) = analysis
        .model
        .pools
        .iter()
        .find(|model| model.id == pool.id)
    {
        text.push_str(&format!(
            "\n**Worst-case exposure** {} — approvals required: {}\n",
            quoted(
                model
                    .exposures
                    .iter()
                    .map(|exposure| exposure.amount.to_string())
                    .collect()
            ),
            model.approvals_required
        ));
    }
    text
}

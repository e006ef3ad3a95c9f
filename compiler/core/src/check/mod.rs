//! The checker: names across all files of a package, the schema, templates,
//! then every campaign (in parallel), then tests.

pub mod campaign;
pub mod exposure;
pub mod fields;
pub mod model;
pub mod payment;
pub mod pools;
pub mod schema;
pub mod template;
pub mod tests;
pub mod values;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use self::campaign::{CampaignInput, check_campaign};
use self::model::{CampaignModel, Model, Schema, Stacking};
use self::template::{TemplateInfo, check_template, instantiate};
use self::values::{Ctx, Symbol, Symbols};
use crate::error::{CampError, NameKind, OtherSide};
use crate::source::Span;
use crate::syntax::ast::{CampaignDecl, Docs, Item, ItemKind, Items, ParsedFile, SchemaKind};

/// What the checker found: every error, and the model of everything that
/// checked cleanly. The model is complete only when `errors` is empty.
#[derive(Debug, Default)]
pub struct CheckOutput {
    pub errors: Vec<CampError>,
    pub model: Model,
}

fn name_of(item: &Item) -> Option<(&str, Span, NameKind)> {
    match &item.kind {
        ItemKind::Schema(decl) => {
            let kind = match decl.kind {
                SchemaKind::Scene => NameKind::Scene,
                SchemaKind::Category => NameKind::Category,
                SchemaKind::Region => NameKind::Region,
                SchemaKind::Segment => NameKind::Segment,
                SchemaKind::MerchantGroup => NameKind::MerchantGroup,
                SchemaKind::Instrument => NameKind::Instrument,
            };
            Some((decl.name.text.as_str(), decl.name.span, kind))
        }
        ItemKind::Fund(decl) => Some((decl.name.text.as_str(), decl.name.span, NameKind::Fund)),
        ItemKind::Template(decl) => {
            Some((decl.name.text.as_str(), decl.name.span, NameKind::Template))
        }
        ItemKind::Campaign(decl) => {
            Some((decl.name.text.as_str(), decl.name.span, NameKind::Campaign))
        }
        ItemKind::Pool(decl) => Some((decl.name.text.as_str(), decl.name.span, NameKind::Pool)),
        ItemKind::Policy(_) | ItemKind::Test(_) => None,
    }
}

/// Checks a whole package, given its parsed files in a stable order.
pub fn check_package(files: &[ParsedFile]) -> CheckOutput {
    check_package_with(files, None)
}

/// The checks of a package's campaigns, kept between [`check_package_cached`]
/// calls: a language server re-checks only the campaigns an edit can
/// change.
///
/// A campaign's check depends on its own item (text, spans, doc comments),
/// the package's declared names (with their kinds and spans: suggestions
/// and "declared here" labels), and the items that are not campaigns
/// (schema, funds, pools, templates, the policy, tests). The cache keeps
/// the last two as they were; when either differs, every campaign is
/// checked again. Otherwise a campaign whose item is unchanged keeps its
/// result, shared (`Arc`), not copied. What the names and the other items
/// give (symbols, schema, their errors) is kept for the same context too.
/// The package-wide rules (stacking consent, pools, tests) are recomputed
/// every time: they are cheap.
#[derive(Debug, Default)]
pub struct CheckCache {
    names: Vec<(String, Span, NameKind)>,
    others: Vec<Item>,
    /// What the names and the items that are not campaigns give (see
    /// [`Prelude`]), for the context above: re-used while it is the same.
    prelude: Option<Arc<Prelude>>,
    /// By position: hashed with `foldhash`, as every edit looks up each one.
    campaigns: HashMap<(crate::source::FileId, u32), CachedCampaign, foldhash::fast::RandomState>,
    /// Campaigns checked by the last call (the others were re-used).
    last_checked: usize,
}

#[derive(Debug)]
struct CachedCampaign {
    /// Its item, as the `index`-th of its file's items (shared, not a
    /// copy: an unchanged file's items are the very same next time);
    /// `None` when there is no cache to keep it in.
    item: Option<(Items, usize)>,
    /// Shared with every model the check is part of: re-using it copies
    /// nothing.
    model: Option<Arc<CampaignModel>>,
    errors: Vec<CampError>,
}

impl CheckCache {
    /// How many campaigns the last [`check_package_cached`] call checked.
    pub fn last_checked(&self) -> usize {
        self.last_checked
    }

    /// Whether the names and non-campaign items are those of the last
    /// call; if not, remembers these and forgets every campaign.
    fn same_context(&mut self, items: &[&Item]) -> bool {
        let names = items.iter().filter_map(|item| name_of(item));
        let same_names = names.clone().count() == self.names.len()
            && names.zip(&self.names).all(|((name, span, kind), known)| {
                known.0 == name && known.1 == span && known.2 == kind
            });
        let others = items
            .iter()
            .filter(|item| !matches!(item.kind, ItemKind::Campaign(_)));
        let same_others = others.clone().count() == self.others.len()
            && others.zip(&self.others).all(|(item, known)| *item == known);
        if same_names && same_others {
            return true;
        }
        self.names = items
            .iter()
            .filter_map(|item| name_of(item))
            .map(|(name, span, kind)| (name.to_string(), span, kind))
            .collect();
        self.others = items
            .iter()
            .filter(|item| !matches!(item.kind, ItemKind::Campaign(_)))
            .map(|item| (*item).clone())
            .collect();
        self.campaigns.clear();
        false
    }
}

/// [`check_package`], re-using from `cache` the check of every campaign an
/// edit cannot have changed (see [`CheckCache`]). The result is the same
/// as [`check_package`]'s.
pub fn check_package_cached(files: &[ParsedFile], cache: &mut CheckCache) -> CheckOutput {
    check_package_with(files, Some(cache))
}

/// Steps 1 to 3 of a package's check: names, the policy, the schema.
fn check_prelude(items: &[&Item]) -> Prelude {
    let mut errors = Vec::new();
    // 1. Names: one namespace for the package; the first declaration wins.
    let mut symbols = Symbols::default();
    for item in items {
        let Some((name, span, kind)) = name_of(item) else {
            continue;
        };
        if let Some(first) = symbols.by_name.get(name) {
            errors.push(CampError::DuplicateDeclaration {
                name: name.to_string(),
                span,
                first: first.span,
            });
            continue;
        }
        symbols
            .by_name
            .insert(name.to_string(), Symbol { kind, span });
        symbols
            .names_of_kind
            .entry(kind)
            .or_default()
            .push(name.to_string());
    }
    for names in symbols.names_of_kind.values_mut() {
        names.sort();
    }
    let is_first =
        |name: &str, span: Span| symbols.get(name).is_some_and(|symbol| symbol.span == span);

    // 2. The policy, at most one. Every policy is checked on its own; with
    // more than one, none applies (which one was meant is unknown), so the
    // error is not echoed by checks against the wrong policy.
    let mut schema = Schema::default();
    let mut policy_span: Option<Span> = None;
    let mut policies = 0usize;
    for item in items {
        if let ItemKind::Policy(decl) = &item.kind {
            policies += 1;
            if let Some(first) = policy_span {
                errors.push(CampError::SecondPolicy {
                    span: decl.keyword,
                    first,
                });
            } else {
                policy_span = Some(decl.keyword);
            }
            let mut ctx = Ctx::new(&symbols, None);
            let policy = schema::policy(&mut ctx, decl);
            if policies == 1 {
                schema.policy = Some(policy);
            }
            errors.append(&mut ctx.errors);
        }
    }
    if policies > 1 {
        schema.policy = None;
    }

    // 3. Scenes, categories, regions, segments, merchant groups,
    // instruments, funds.
    let policy = schema.policy.clone();
    let mut ctx = Ctx::new(&symbols, policy.as_ref());
    for item in items {
        match &item.kind {
            ItemKind::Schema(decl) => {
                let first = is_first(&decl.name.text, decl.name.span);
                match decl.kind {
                    SchemaKind::Scene => {
                        let scene = schema::scene(&mut ctx, decl, &item.docs);
                        if first {
                            schema.scenes.insert(scene.id.clone(), scene);
                        }
                    }
                    SchemaKind::MerchantGroup => {
                        let group = schema::merchant_group(&mut ctx, decl, &item.docs);
                        if first && let Some(group) = group {
                            schema.merchant_groups.insert(group.id.clone(), group);
                        }
                    }
                    SchemaKind::Instrument => {
                        let instrument = schema::instrument(&mut ctx, decl, &item.docs);
                        if first && let Some(instrument) = instrument {
                            schema.instruments.insert(instrument.id.clone(), instrument);
                        }
                    }
                    kind @ (SchemaKind::Category | SchemaKind::Region | SchemaKind::Segment) => {
                        let def = schema::simple(&mut ctx, decl, &item.docs);
                        let map = match kind {
                            SchemaKind::Category => &mut schema.categories,
                            SchemaKind::Region => &mut schema.regions,
                            _ => &mut schema.segments,
                        };
                        if first {
                            map.insert(def.id.clone(), def);
                        }
                    }
                }
            }
            ItemKind::Fund(decl) => {
                if let Some(fund) = schema::fund(&mut ctx, decl, &item.docs)
                    && is_first(&decl.name.text, decl.name.span)
                {
                    schema.funds.insert(fund.id.clone(), fund);
                }
            }
            _ => {}
        }
    }
    schema::check_bins_overlap(&mut ctx, &schema);
    // (v2) Pools, which name funds.
    for item in items {
        if let ItemKind::Pool(decl) = &item.kind
            && let Some(pool) = schema::pool(&mut ctx, decl, &item.docs)
            && is_first(&decl.name.text, decl.name.span)
        {
            schema.pools.insert(pool.id.clone(), pool);
        }
    }
    errors.append(&mut ctx.errors);

    Prelude {
        symbols,
        schema,
        errors,
    }
}

/// What a package's names and its items that are not campaigns give,
/// before any campaign is checked: the symbols, the schema (the policy,
/// scenes, funds, pools, …) and the errors found on the way. It depends on
/// nothing else, so a [`CheckCache`] keeps it while they stay the same.
#[derive(Debug)]
struct Prelude {
    symbols: Symbols,
    schema: Schema,
    errors: Vec<CampError>,
}

fn check_package_with(files: &[ParsedFile], mut cache: Option<&mut CheckCache>) -> CheckOutput {
    let items: Vec<&Item> = files.iter().flat_map(|file| file.items.iter()).collect();
    // With a cache: the campaigns whose check is known, by position.
    // The checks are re-used only while the context stays the same: after
    // a change of names (typing a campaign's name, an item that stops
    // parsing) every campaign is checked again, and its check (shared, not
    // copied) is kept for the next call, as is the prelude.
    let mut known = HashMap::default();
    let caching = cache.is_some();
    let prelude = match cache.as_deref_mut() {
        Some(cache) => {
            let same = cache.same_context(&items);
            if same {
                known = std::mem::take(&mut cache.campaigns);
            }
            match &cache.prelude {
                Some(prelude) if same => Arc::clone(prelude),
                _ => {
                    let prelude = Arc::new(check_prelude(&items));
                    cache.prelude = Some(Arc::clone(&prelude));
                    prelude
                }
            }
        }
        None => Arc::new(check_prelude(&items)),
    };
    let mut errors = prelude.errors.clone();

    // 4. Templates.
    let templates = check_templates(&items, &prelude, &mut errors);

    // 5. Campaigns, in parallel; results keep the campaigns' order.
    // Each campaign with its item, as the `index`-th of its file's items.
    type Input<'a> = (&'a CampaignDecl, &'a Docs, Span, (&'a Items, usize));
    let campaigns: Vec<(Input<'_>, &Item)> = files
        .iter()
        .flat_map(|file| {
            let owner = &file.items;
            owner
                .iter()
                .enumerate()
                .map(move |(at, item)| (item, (owner, at)))
        })
        .filter_map(|(item, place)| match &item.kind {
            ItemKind::Campaign(decl) => Some(((decl, &item.docs, item.span, place), item)),
            _ => None,
        })
        .collect();
    let inputs: Vec<(Input<'_>, Option<CachedCampaign>)> = campaigns
        .into_iter()
        .map(|((decl, docs, span, (owner, at)), item)| {
            // The same items of an unchanged file need no comparison.
            let entry = known
                .remove(&(span.file, span.start))
                .filter(|entry| {
                    entry.item.as_ref().is_some_and(|(known, index)| {
                        (known.same(owner) && *index == at) || known.get(*index) == Some(item)
                    })
                })
                .map(|entry| CachedCampaign {
                    item: Some((owner.clone(), at)),
                    ..entry
                });
            ((decl, docs, span, (owner, at)), entry)
        })
        .collect();
    let check = |(decl, docs, span): (&CampaignDecl, &Docs, Span)| {
        check_campaign_alone(&prelude, &templates, decl, docs, span)
    };
    // Each campaign's errors and model, in order; a model is large, and
    // is moved as few times as can be.
    let models: Vec<Arc<CampaignModel>> = match cache {
        // Without a cache (`campc`), the models are collected in the
        // memory the parallel check wrote them to.
        None => {
            let checked: Vec<(Option<Arc<CampaignModel>>, Vec<CampError>)> = inputs
                .into_par_iter()
                .map(|((decl, docs, span, _), _)| check((decl, docs, span)))
                .collect();
            checked
                .into_iter()
                .filter_map(|(model, mut list)| {
                    errors.append(&mut list);
                    model
                })
                .collect()
        }
        Some(cache) => {
            let checked: Vec<(CachedCampaign, bool)> = inputs
                .into_par_iter()
                .map(|((decl, docs, span, (owner, at)), entry)| match entry {
                    Some(entry) => (entry, false),
                    None => {
                        let (model, errors) = check((decl, docs, span));
                        let entry = CachedCampaign {
                            item: caching.then(|| (owner.clone(), at)),
                            model,
                            errors,
                        };
                        (entry, true)
                    }
                })
                .collect();
            cache.last_checked = checked.iter().filter(|(_, fresh)| *fresh).count();
            let mut models = Vec::with_capacity(checked.len());
            cache.campaigns.reserve(checked.len());
            for (entry, _) in checked {
                match entry
                    .item
                    .as_ref()
                    .and_then(|(owner, at)| owner.get(*at))
                    .map(|item| item.span)
                {
                    Some(span) => {
                        errors.extend(entry.errors.iter().cloned());
                        models.extend(entry.model.clone());
                        cache.campaigns.insert((span.file, span.start), entry);
                    }
                    None => {
                        errors.extend(entry.errors);
                        models.extend(entry.model);
                    }
                }
            }
            models
        }
    };
    finish(&prelude, &items, models, errors)
}

/// Step 4: every template, checked; those declared first, by name.
fn check_templates<'a>(
    items: &[&'a Item],
    prelude: &Prelude,
    errors: &mut Vec<CampError>,
) -> HashMap<&'a str, TemplateInfo<'a>> {
    let symbols = &prelude.symbols;
    let schema = &prelude.schema;
    let is_first =
        |name: &str, span: Span| symbols.get(name).is_some_and(|symbol| symbol.span == span);
    let mut templates: HashMap<&str, TemplateInfo<'_>> = HashMap::new();
    for item in items {
        if let ItemKind::Template(decl) = &item.kind {
            let mut ctx = Ctx::new(symbols, schema.policy.as_ref());
            let info = check_template(&mut ctx, schema, decl);
            errors.append(&mut ctx.errors);
            if is_first(&decl.name.text, decl.name.span) {
                templates.insert(decl.name.text.as_str(), info);
            }
        }
    }
    templates
}

/// What follows the campaigns' checks: stacking consent, pools and tests,
/// over the checked campaigns (in any order; sorted here by id).
fn finish(
    prelude: &Prelude,
    items: &[&Item],
    mut models: Vec<Arc<CampaignModel>>,
    mut errors: Vec<CampError>,
) -> CheckOutput {
    let schema = &prelude.schema;
    models.sort_by(|a, b| a.id.cmp(&b.id));
    check_stacking_consent(&mut models, &mut errors);
    // (v2) Each pool's exposure and approvals, from its campaigns'.
    let pools = pools::pool_models(schema, &models, &mut errors);

    // 6. Tests: names, amounts, times and expectations; the plans that
    // `campc test` runs.
    let mut ctx = Ctx::new(&prelude.symbols, schema.policy.as_ref());
    let tests = tests::check_tests(&mut ctx, items, &models);
    errors.append(&mut ctx.errors);

    CheckOutput {
        errors,
        model: Model {
            schema: schema.clone(),
            campaigns: models,
            tests,
            pools,
        },
    }
}

/// A campaign [`check_package_deferred`] parses when it checks it: its
/// place among its file's items, where a shell stands (the campaign's name
/// alone), and the caller's handle to parse it by.
pub(crate) struct Deferred<T> {
    pub file: usize,
    pub index: usize,
    pub handle: T,
}

/// What [`check_package_deferred`] gives: the check, the errors of the
/// deferred campaigns' parses, and each deferred campaign's item without
/// its body (in the order of `deferred`).
pub(crate) type DeferredCheck = (CheckOutput, Vec<CampError>, Vec<Item>);

/// How [`check_package_deferred`] parses a deferred campaign: its item (if
/// the chunk parses) and the errors in it.
pub(crate) type ParseDeferred<'a, T> = dyn Fn(&T) -> (Option<Item>, Vec<CampError>) + Sync + 'a;

/// [`check_package`] for a package whose campaigns are not all parsed:
/// in `files`, each of `deferred` is a shell (a campaign item holding the
/// name its header gives, with no body). Each deferred campaign is parsed
/// (`parse`), checked and its syntax tree dropped in one step, so that
/// the trees of a whole package never live at once: for `campc check`,
/// whose memory is otherwise mostly syntax trees.
///
/// The result is [`check_package`]'s on the files with every campaign
/// parsed, as long as each deferred chunk parses as the campaign its shell
/// names (same name, same place). When one does not (a syntax error, a
/// header read wrongly), `None`: the caller checks the package the usual
/// way.
pub(crate) fn check_package_deferred<T: Sync>(
    files: &[ParsedFile],
    deferred: &[Deferred<T>],
    parse: &ParseDeferred<'_, T>,
) -> Option<DeferredCheck> {
    let items: Vec<&Item> = files.iter().flat_map(|file| file.items.iter()).collect();
    let prelude = check_prelude(&items);
    let mut errors = prelude.errors.clone();
    let templates = check_templates(&items, &prelude, &mut errors);
    let check = |decl: &CampaignDecl, docs: &Docs, span: Span| {
        check_campaign_alone(&prelude, &templates, decl, docs, span)
    };
    // `deferred` is in the files' order: a shell is found by bisection.
    debug_assert!(deferred.is_sorted_by_key(|campaign| (campaign.file, campaign.index)));
    let is_shell = |file: usize, index: usize| {
        deferred
            .binary_search_by(|campaign| (campaign.file, campaign.index).cmp(&(file, index)))
            .is_ok()
    };
    // The campaigns parsed with their files.
    let kept: Vec<(&CampaignDecl, &Docs, Span)> = files
        .iter()
        .enumerate()
        .flat_map(|(file, parsed)| {
            parsed
                .items
                .iter()
                .enumerate()
                .filter_map(move |(index, item)| match &item.kind {
                    ItemKind::Campaign(decl) if !is_shell(file, index) => {
                        Some((decl, &item.docs, item.span))
                    }
                    _ => None,
                })
        })
        .collect();
    let checked: Vec<(Option<Arc<CampaignModel>>, Vec<CampError>)> = kept
        .into_par_iter()
        .map(|(decl, docs, span)| check(decl, docs, span))
        .collect();
    let parsed: Vec<Option<DeferredResult>> = deferred
        .par_iter()
        .map(|campaign| {
            let shell = files.get(campaign.file)?.items.get(campaign.index)?;
            let ItemKind::Campaign(expected) = &shell.kind else {
                return None;
            };
            let (item, parse_errors) = parse(&campaign.handle);
            let mut item = item?;
            let ItemKind::Campaign(decl) = &mut item.kind else {
                return None;
            };
            if decl.name != expected.name {
                return None;
            }
            let (model, check_errors) = check(decl, &item.docs, item.span);
            // The tree is dropped here; its item stays, without a body.
            decl.body.entries = Vec::new();
            Some((model, check_errors, parse_errors, item))
        })
        .collect();
    let mut models = Vec::with_capacity(checked.len() + parsed.len());
    for (model, mut list) in checked {
        errors.append(&mut list);
        models.extend(model);
    }
    let mut parse_errors = Vec::new();
    let mut items_left = Vec::with_capacity(parsed.len());
    for result in parsed {
        let (model, mut check_errors, mut parsing, item) = result?;
        errors.append(&mut check_errors);
        parse_errors.append(&mut parsing);
        models.extend(model);
        items_left.push(item);
    }
    Some((
        finish(&prelude, &items, models, errors),
        parse_errors,
        items_left,
    ))
}

/// A deferred campaign's model, check errors, parse errors and item.
type DeferredResult = (
    Option<Arc<CampaignModel>>,
    Vec<CampError>,
    Vec<CampError>,
    Item,
);

/// Stacking needs the consent of both campaigns: one that lists another in
/// `stacks_with` without being listed back is an error (E0511) at the name
/// it lists, and leaves the model like any campaign with an error (so it
/// is not linted). A partner with errors of its own is not judged: its
/// `stacking` may be the very thing being fixed. Linear in the number of
/// `stacks_with` names (a binary search in the sorted campaigns for each).
fn check_stacking_consent(models: &mut Vec<Arc<CampaignModel>>, errors: &mut Vec<CampError>) {
    let mut one_sided = vec![false; models.len()];
    for (index, campaign) in models.iter().enumerate() {
        let Stacking::StacksWith(partners) = &campaign.stacking else {
            continue;
        };
        for partner in partners {
            let Some(other) = models
                .binary_search_by(|model| model.id.as_str().cmp(&partner.id))
                .ok()
                .and_then(|found| models.get(found))
            else {
                continue;
            };
            if other.stacking.lists(&campaign.id) {
                continue;
            }
            let (other_span, other_side) = match (&other.stacking, other.spans.stacking) {
                (Stacking::StacksWith(_), span) => {
                    (span.unwrap_or(other.name_span), OtherSide::OtherPartners)
                }
                (Stacking::Exclusive, Some(span)) => (span, OtherSide::Exclusive),
                (Stacking::Exclusive, None) => (other.name_span, OtherSide::ExclusiveByDefault),
            };
            errors.push(CampError::OneSidedStacking {
                span: partner.span,
                campaign: campaign.id.clone(),
                other: other.id.clone(),
                other_span,
                other_side,
            });
            if let Some(flag) = one_sided.get_mut(index) {
                *flag = true;
            }
        }
    }
    let mut flags = one_sided.into_iter();
    models.retain(|_| !flags.next().unwrap_or(false));
}

/// One campaign checked in a context of its own (what the parallel
/// checks run): its model, shared, and its errors.
fn check_campaign_alone(
    prelude: &Prelude,
    templates: &HashMap<&str, TemplateInfo<'_>>,
    decl: &CampaignDecl,
    docs: &Docs,
    span: Span,
) -> (Option<Arc<CampaignModel>>, Vec<CampError>) {
    let mut ctx = Ctx::new(&prelude.symbols, prelude.schema.policy.as_ref());
    let model = check_one_campaign(&mut ctx, &prelude.schema, templates, decl, docs, span);
    (model.map(Arc::new), ctx.errors)
}

fn check_one_campaign(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    templates: &HashMap<&str, TemplateInfo<'_>>,
    decl: &CampaignDecl,
    docs: &Docs,
    span: Span,
) -> Option<CampaignModel> {
    let input = |entries, template| CampaignInput {
        id: &decl.name.text,
        name_span: decl.name.span,
        span,
        body_span: decl.body.span,
        docs,
        entries,
        template,
    };
    match &decl.from {
        None => check_campaign(ctx, schema, input(&decl.body.entries, None)),
        Some(from) => {
            ctx.expect_ident(&from.template, NameKind::Template)?;
            let template = templates.get(from.template.text.as_str())?;
            let instance = instantiate(ctx, template, from, &decl.body.entries)?;
            let mut inner = Ctx::new(ctx.symbols, ctx.policy);
            inner.params = Some(&instance.unresolved);
            let model = check_campaign(
                &mut inner,
                schema,
                input(&instance.entries, Some(instance.used)),
            );
            // An error found in the template's fields says which campaign it is about.
            for error in inner.errors {
                let primary = error.span();
                let within = |outer: Span| {
                    primary.file == outer.file
                        && primary.start >= outer.start
                        && primary.end <= outer.end
                };
                // A kind of error the template already has, arising from its
                // fields (or from arguments substituted into them), was
                // reported once for the template.
                if !within(decl.body.span)
                    && template
                        .body_errors
                        .iter()
                        .any(|(code, _)| *code == error.code())
                {
                    continue;
                }
                let inside = within(span);
                ctx.error(if inside {
                    error
                } else {
                    CampError::InCampaign {
                        campaign: decl.name.text.clone(),
                        template: template.decl.name.text.clone(),
                        campaign_span: decl.name.span,
                        error: Box::new(error),
                    }
                });
            }
            model.filter(|_| instance.complete)
        }
    }
}

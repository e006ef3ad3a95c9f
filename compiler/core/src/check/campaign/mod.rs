//! Checking one campaign (or, in template mode, one template body): each
//! field on its own, then the campaign as a whole against its fund's
//! contract and the policy, then its exposure and approvals.
//!
//! One file per concern: `scope` (the window and its time zone),
//! `limits`, `rollout` (stages and guards), `contract` (the fund's
//! contract); the reward, with its bounds by the fund's and the policy's
//! `max_rate`, is `crate::reward`, the slice that also holds a reward's
//! syntax. This file drives them and holds the fields.

mod claim;
mod contract;
mod limits;
mod rollout;
pub(crate) mod schedule;
pub(crate) mod scope;

pub use self::scope::time_zone_names;

use self::contract::check_contract;
use self::limits::check_limit;
use self::rollout::{check_guard, check_rollout};
use self::schedule::check_schedule;
use self::scope::check_window;
use super::exposure::{self, Approvals};
use super::fields::{Fields, single_atom, single_term};
use super::model::{
    CampaignModel, CampaignSpans, Guard, Limit, Money, Reward, Schema, Stacking, Stage,
    TemplateUse, Window,
};
use super::schema::throughput;
use super::values::Ctx;
use crate::error::{CampError, NameKind};
use crate::reward::{RewardSpans, check_effective_rate, check_reward, check_verb_and_credit};
use crate::source::Span;
use crate::syntax::ast::{AtomKind, Docs, Entry, EntryValue, StackingSyntax};
use camp_lang::keyword::Item;

/// What is being checked.
pub struct CampaignInput<'a> {
    pub id: &'a str,
    pub name_span: Span,
    pub span: Span,
    /// The campaign's own `{ … }`.
    pub body_span: Span,
    pub docs: &'a Docs,
    /// The effective fields: a template's (parameters substituted) and the
    /// campaign's own.
    pub entries: &'a [Entry],
    pub template: Option<TemplateUse>,
}

/// Checks a template body: every field on its own, with the parameters in
/// scope (`ctx.params`). Whole-campaign rules wait for a campaign using it.
pub fn check_template_body(ctx: &mut Ctx<'_>, schema: &Schema, entries: &[Entry]) {
    ctx.single_currency = true;
    let fields = Fields::of(ctx, entries, Item::Template);
    let _ = FieldValues::check(ctx, schema, &fields, None);
}

/// Checks a campaign; `Some` only if it has no errors at all.
pub fn check_campaign(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    input: CampaignInput<'_>,
) -> Option<CampaignModel> {
    ctx.single_currency = true;
    let errors_before = ctx.errors.len();
    let fields = Fields::of(ctx, input.entries, Item::Campaign);
    let values = FieldValues::check(ctx, schema, &fields, Some(input.id));

    // The required fields (the field table's, with its help); `budget` is
    // one, so a campaign that checks is always bounded by it: one without
    // a budget is told so (E0206), whatever its limits.
    fields.report_missing(ctx, Item::Campaign, input.name_span, input.body_span);

    let fund = values.fund.as_ref().and_then(|id| schema.funds.get(id));
    if let Some(fund) = fund {
        check_contract(ctx, schema, fund, &values, &fields, input.name_span);
    }
    // (v2) The pool: of the campaign's fund, with a budget in its currency.
    let pool_budget = match &values.pool {
        Some(Some((id, at))) => schema.pools.get(id).and_then(|pool| {
            let fund_at = values.fund.as_deref().zip(
                fields
                    .one("fund")
                    .map(|entry| entry.span)
                    .or(Some(input.name_span)),
            );
            super::pools::check_campaign_pool(ctx, pool, *at, fund_at)
        }),
        Some(None) | None => None,
    };
    if let Some(reward) = &values.reward {
        check_effective_rate(ctx, schema, fund, reward, &values.reward_spans);
    }

    // Exposure: needs the reward (for the largest single reward) and the window.
    // An uncapped `every` is bounded by the fund's `max_per_use` alone.
    let largest_single_reward = values.reward.as_ref().and_then(|reward| {
        let max = reward
            .form
            .currency()
            .and_then(|currency| fund.and_then(|fund| fund.max_per_use_in(currency)));
        match (Reward::largest_single(reward), max) {
            (Some(largest), Some(max)) if max.amount < largest.amount => Some(max),
            (Some(largest), _) => Some(largest),
            (None, max) => max,
        }
    });
    let exposure = match (largest_single_reward, &values.window) {
        (Some(largest), Some(window)) => {
            let schedule = values.schedule.as_ref().and_then(Option::as_ref);
            exposure::worst_case(values.budget, &values.limits, largest, window, schedule)
        }
        _ => None,
    };
    // (v2) The claim inventory times the largest single reward.
    let exposure = match (exposure, &values.claim) {
        (Some(exposure), Some(Some(claim))) => {
            Some(exposure::bound_by_claim(exposure, claim.inventory))
        }
        (exposure, _) => exposure,
    };
    let exposure = match (exposure, pool_budget) {
        (Some(exposure), Some(pool_budget)) => Some(exposure::bound_by_pool(exposure, pool_budget)),
        (exposure, _) => exposure,
    };

    let approvals_required = match (&exposure, schema.policy.as_ref()) {
        (Some(exposure), Some(policy)) => {
            match exposure::approvals_required(exposure.amount, &policy.approvals) {
                Approvals::Required(count) => Some(count),
                Approvals::TierMissingCurrency(index) => {
                    // With `currencies`, the policy itself reports a tier
                    // that leaves one out (or the campaign's currency is
                    // not allowed at all): not again for every campaign.
                    if policy.currencies.is_none() {
                        let tier_span = policy
                            .approvals
                            .get(index)
                            .map(|tier| tier.span)
                            .unwrap_or(policy.span);
                        ctx.error(CampError::BoundMissingCurrency {
                            span: input.name_span,
                            currency: exposure.amount.code().to_string(),
                            bound: "approvals",
                            bound_span: tier_span,
                        });
                    }
                    None
                }
                Approvals::AboveAllTiers => {
                    let top = policy
                        .approvals
                        .last()
                        .and_then(|tier| {
                            tier.up_to
                                .iter()
                                .find(|amount| amount.currency == exposure.amount.currency)
                        })
                        .map(|amount| amount.to_string())
                        .unwrap_or_default();
                    ctx.error(CampError::ExposureAboveApprovals {
                        span: input.name_span,
                        exposure: exposure.amount.to_string(),
                        top,
                        approvals: policy.approvals_span,
                    });
                    None
                }
            }
        }
        (Some(_), None) => Some(1),
        (None, _) => None,
    };

    if ctx.errors.len() != errors_before {
        return None;
    }
    let effective_rate_span = values
        .reward
        .as_ref()
        .and_then(|reward| values.reward_spans.effective_rate(reward));
    Some(CampaignModel {
        id: input.id.to_string(),
        doc: input.docs.text(),
        file: input.name_span.file,
        span: input.span,
        name_span: input.name_span,
        title: values.title?,
        owner: values.owner?,
        template: input.template.map(Box::new),
        currency: ctx.currency.map(|(currency, _)| currency)?,
        fund: values.fund?,
        scenes: values.scenes?.into_iter().map(|(scene, _)| scene).collect(),
        categories: values.categories?,
        regions: values.regions?,
        segments: values.segments?,
        window: values.window?,
        reward: values.reward?,
        budget: values.budget?,
        limits: values.limits,
        rollout: values.rollout?,
        guards: values.guards,
        stacking: values.stacking?,
        expected_peak: values.expected_peak?,
        exposure: exposure?,
        approvals_required: approvals_required?,
        spans: CampaignSpans {
            reward: fields
                .one("reward")
                .map(|entry| entry.span)
                .unwrap_or(input.name_span),
            rate: values.reward_spans.rate,
            largest_reward: values.reward_spans.largest,
            effective_rate: effective_rate_span,
            budget: fields
                .one("budget")
                .map(|entry| entry.span)
                .unwrap_or(input.name_span),
            window: fields
                .one("window")
                .map(|entry| entry.span)
                .unwrap_or(input.name_span),
            rollout: fields.one("rollout").map(|entry| entry.key.span),
            first_stage: fields.one("rollout").and_then(|entry| match &entry.value {
                EntryValue::Rollout(stages) => stages.first().map(|stage| stage.span),
                _ => None,
            }),
            stacking: fields.one("stacking").map(|entry| entry.span),
            expected_peak: fields.one("expected_peak").map(|entry| entry.span),
        },
        merchants: values.merchants?,
        instruments: values.instruments?,
        schedule: values.schedule?.map(Box::new),
        pool: values.pool?.map(|(id, _)| id),
        claim: values.claim?.map(Box::new),
    })
}

/// The typed value of each field; `None` where absent or in error.
/// Optional fields use `Option<Option<_>>`: outer `None` is an error.
struct FieldValues {
    title: Option<String>,
    owner: Option<String>,
    fund: Option<String>,
    /// Each scene with the span that named it (`any` names them all).
    scenes: Option<Vec<(String, Span)>>,
    scenes_any: Option<Span>,
    categories: Option<Option<Vec<String>>>,
    category_spans: Vec<Span>,
    regions: Option<Option<Vec<String>>>,
    segments: Option<Option<Vec<String>>>,
    merchants: Option<Option<Vec<String>>>,
    merchant_spans: Vec<Span>,
    instruments: Option<Option<Vec<String>>>,
    window: Option<Window>,
    reward: Option<Reward>,
    reward_spans: RewardSpans,
    budget: Option<Money>,
    limits: Vec<Limit>,
    rollout: Option<Option<Vec<Stage>>>,
    guards: Vec<Guard>,
    stacking: Option<Stacking>,
    expected_peak: Option<Option<super::model::Throughput>>,
    schedule: Option<Option<super::model::Schedule>>,
    /// (v2) The pool and where it is named.
    pool: Option<Option<(String, Span)>>,
    /// (v2) The claim block.
    claim: Option<Option<super::model::Claim>>,
}

impl FieldValues {
    fn check(
        ctx: &mut Ctx<'_>,
        schema: &Schema,
        fields: &Fields<'_>,
        campaign_id: Option<&str>,
    ) -> FieldValues {
        // The budget first, so that its currency is the campaign's.
        let budget = fields
            .one("budget")
            .and_then(|entry| single_atom(ctx, entry))
            .and_then(|atom| ctx.expect_positive_money(atom, "budget"));
        let title = fields
            .one("title")
            .and_then(|entry| single_atom(ctx, entry))
            .and_then(|atom| ctx.expect_text(atom));
        let owner = fields
            .one("owner")
            .and_then(|entry| single_atom(ctx, entry))
            .and_then(|atom| ctx.expect_text(atom));
        let fund = fields
            .one("fund")
            .and_then(|entry| single_atom(ctx, entry))
            .and_then(|atom| ctx.expect_name(atom, NameKind::Fund));

        let mut scenes_any = None;
        let scenes = fields.one("scenes").and_then(|entry| {
            let term = single_term(ctx, entry)?;
            match ctx.expect_names(term, NameKind::Scene, "scenes")? {
                None => {
                    scenes_any = Some(term.span());
                    Some(
                        schema
                            .scenes
                            .keys()
                            .map(|scene| (scene.clone(), term.span()))
                            .collect::<Vec<_>>(),
                    )
                }
                Some(list) => {
                    if list.is_empty() {
                        ctx.error(CampError::EmptyList {
                            span: term.span(),
                            field: String::from("scenes"),
                        });
                        return None;
                    }
                    Some(list)
                }
            }
        });

        let mut category_spans = Vec::new();
        let names_field =
            |ctx: &mut Ctx<'_>, name: &str, kind: NameKind, spans: Option<&mut Vec<Span>>| {
                let Some(entry) = fields.one(name) else {
                    return Some(None);
                };
                let term = single_term(ctx, entry)?;
                let names = ctx.expect_names(term, kind, name)?;
                match names {
                    // `any`: every name, as when the field is left out.
                    None => Some(None),
                    // "Only these, of which there are none" or "any"? An
                    // author who means any leaves the field out; `[]`
                    // (also through a template's list argument) is an
                    // error rather than a silent "anywhere".
                    Some(names) if names.is_empty() => {
                        ctx.error(CampError::EmptyList {
                            span: term.span(),
                            field: name.to_string(),
                        });
                        None
                    }
                    Some(names) => {
                        if let Some(spans) = spans {
                            spans.extend(names.iter().map(|(_, span)| *span));
                        }
                        Some(Some(names.into_iter().map(|(name, _)| name).collect()))
                    }
                }
            };
        let categories = names_field(
            ctx,
            "categories",
            NameKind::Category,
            Some(&mut category_spans),
        );
        let regions = names_field(ctx, "regions", NameKind::Region, None);
        let segments = names_field(ctx, "segments", NameKind::Segment, None);
        let mut merchant_spans = Vec::new();
        let merchants = names_field(
            ctx,
            "merchants",
            NameKind::MerchantGroup,
            Some(&mut merchant_spans),
        );
        let instruments = names_field(ctx, "instruments", NameKind::Instrument, None);

        let window = fields.one("window").and_then(|entry| match &entry.value {
            EntryValue::Window(window) => check_window(ctx, window, entry.span),
            _ => None,
        });

        let schedule = check_schedule(ctx, fields, window.as_ref());

        let mut reward_spans = RewardSpans::default();
        // What an uncapped percentage's quick fix caps it at.
        let contract_cap = fund
            .as_ref()
            .and_then(|id| schema.funds.get(id))
            .zip(ctx.currency)
            .and_then(|(fund, (currency, _))| fund.max_per_use_in(currency));
        let reward = fields.one("reward").and_then(|entry| match &entry.value {
            EntryValue::Reward(reward) => {
                let checked =
                    check_reward(ctx, reward, entry.span, contract_cap, &mut reward_spans);
                // The verb with `credit:` (`back` needs one, `off` none).
                let credit = check_verb_and_credit(ctx, reward, entry.span, fields.one("credit"));
                match (checked, credit) {
                    (Some(checked), Some(credit)) => Some(Reward { credit, ..checked }),
                    _ => None,
                }
            }
            _ => None,
        });

        let limits = fields
            .all("limit")
            .filter_map(|entry| check_limit(ctx, entry))
            .collect();

        let rollout = match fields.one("rollout") {
            None => Some(None),
            Some(entry) => match &entry.value {
                EntryValue::Rollout(stages) => check_rollout(ctx, stages, entry.key.span).map(Some),
                _ => None,
            },
        };

        let guards = fields
            .all("guard")
            .filter_map(|entry| check_guard(ctx, entry))
            .collect();

        let stacking = match fields.one("stacking") {
            None => Some(Stacking::Exclusive),
            Some(entry) => match &entry.value {
                EntryValue::Stacking(StackingSyntax::Exclusive(_)) => Some(Stacking::Exclusive),
                EntryValue::Stacking(StackingSyntax::StacksWith(list)) => {
                    let mut partners: Vec<super::model::StackPartner> = Vec::new();
                    let mut complete = true;
                    for item in &list.items {
                        if let (Some(id), AtomKind::Name(name)) = (campaign_id, &item.kind)
                            && name == id
                        {
                            ctx.error(CampError::StacksWithItself { span: item.span });
                            complete = false;
                            continue;
                        }
                        match ctx.expect_name(item, NameKind::Campaign) {
                            Some(name) if !partners.iter().any(|partner| partner.id == name) => {
                                partners.push(super::model::StackPartner {
                                    id: name,
                                    span: item.span,
                                });
                            }
                            Some(name) => ctx.error(CampError::DuplicateListItem {
                                name,
                                span: item.span,
                                first: item.span,
                            }),
                            None => complete = false,
                        }
                    }
                    partners.sort_by(|a, b| a.id.cmp(&b.id));
                    complete.then_some(Stacking::StacksWith(partners))
                }
                _ => None,
            },
        };

        let expected_peak = match fields.one("expected_peak") {
            None => Some(None),
            Some(entry) => throughput(ctx, entry, "expected peak").map(Some),
        };

        // (v2) `pool: NAME`, a declared pool.
        let pool = match fields.one("pool") {
            None => Some(None),
            Some(entry) => single_atom(ctx, entry).and_then(|atom| {
                ctx.expect_name(atom, NameKind::Pool)
                    .map(|name| Some((name, atom.span)))
            }),
        };

        // (v2) `claim { … }`, against the campaign's window.
        let claim = match fields.one("claim") {
            None => Some(None),
            Some(entry) => match &entry.value {
                EntryValue::Claim(body) => {
                    self::claim::check_claim(ctx, entry, body, window.as_ref()).map(Some)
                }
                _ => None,
            },
        };

        FieldValues {
            claim,
            title,
            owner,
            fund,
            scenes,
            scenes_any,
            categories,
            category_spans,
            regions,
            segments,
            merchants,
            merchant_spans,
            instruments,
            window,
            reward,
            reward_spans,
            budget,
            limits,
            rollout,
            guards,
            stacking,
            expected_peak,
            schedule,
            pool,
        }
    }
}

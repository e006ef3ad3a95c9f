//! Checking one campaign (or, in template mode, one template body): each
//! field on its own, then the campaign as a whole against its fund's
//! contract and the policy, then its exposure and approvals.

use rust_decimal::Decimal;

use super::exposure::{self, Approvals};
use super::fields::{FieldSpec, Fields, field, repeatable, single_atom, single_term};
use super::model::{
    CampaignModel, CampaignSpans, Dimension, EffectiveRate, FundDef, Guard, GuardMetric, Limit,
    LimitAmount, Money, Period, Rate, Requirement, Reward, RewardForm, Schema, Stacking, Stage,
    StageTarget, TemplateUse, Window, largest_amount_within, smallest_spend_within,
};
use super::schema::throughput;
use super::values::{BaseType, Ctx, describe_atom, suggest};
use crate::error::{CampError, NameKind, RateExcess};
use crate::source::Span;
use crate::syntax::ast::{
    Atom, AtomKind, Docs, Entry, EntryValue, InstantSyntax, RewardFormSyntax, RewardOptionKind,
    RewardSyntax, StackingSyntax, StageSyntax, StageTarget as StageTargetSyntax, WindowSyntax,
};

pub const CAMPAIGN_FIELDS: [FieldSpec; 15] = [
    field("title"),
    field("owner"),
    field("fund"),
    field("scenes"),
    field("categories"),
    field("regions"),
    field("segments"),
    field("window"),
    field("reward"),
    field("budget"),
    repeatable("limit"),
    field("rollout"),
    repeatable("guard"),
    field("stacking"),
    field("expected_peak"),
];

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
    let fields = Fields::collect(ctx, entries, &CAMPAIGN_FIELDS, "template");
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
    let fields = Fields::collect(ctx, input.entries, &CAMPAIGN_FIELDS, "campaign");
    let values = FieldValues::check(ctx, schema, &fields, Some(input.id));

    for (name, help) in [
        ("title", "add `title: \"…\"` with the name customers see"),
        (
            "owner",
            "add `owner: \"…\"` with the team that answers for this campaign",
        ),
        ("fund", "add `fund: …` with the fund that pays for it"),
        (
            "scenes",
            "add `scenes: […]` with the scenes the campaign applies to",
        ),
        (
            "window",
            "add `window: START to END ZONE`: when the campaign starts and ends (`YYYY-MM-DD HH:MM`), and the time zone they are in",
        ),
        (
            "reward",
            "add `reward: … off` with what one payment gets: an amount, a capped rate, tiers or a random range",
        ),
    ] {
        if !fields.written(name) {
            ctx.error(CampError::MissingField {
                field: name,
                span: input.name_span,
                body: input.body_span,
                owner: "campaign",
                help,
            });
        }
    }

    let fund = values.fund.as_ref().and_then(|id| schema.funds.get(id));
    if let Some(fund) = fund {
        check_contract(ctx, schema, fund, &values, &fields, input.name_span);
    }
    if let Some(reward) = &values.reward {
        check_effective_rate(ctx, schema, fund, reward, &values.reward_spans);
    }

    // Exposure: needs the reward (for the largest single reward) and the window.
    let largest_single_reward =
        values
            .reward
            .as_ref()
            .and_then(Reward::largest_single)
            .map(
                |largest| match fund.and_then(|fund| fund.max_per_use_in(largest.currency)) {
                    Some(max) if max.amount < largest.amount => max,
                    _ => largest,
                },
            );
    // `budget` is required, so a campaign that checks is always bounded by
    // it; one without a budget is told so (E0206), whatever its limits.
    if !fields.written("budget") {
        ctx.error(CampError::MissingField {
            field: "budget",
            span: input.name_span,
            body: input.body_span,
            owner: "campaign",
            help: "add `budget: …` with the most the campaign may pay in all; it bounds the worst-case payout",
        });
    }
    let exposure = match (largest_single_reward, &values.window) {
        (Some(largest), Some(window)) => {
            exposure::worst_case(values.budget, &values.limits, largest, window)
        }
        _ => None,
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
        template: input.template,
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
    })
}

/// Where the parts of a reward are written (substituted template values
/// point at their arguments).
#[derive(Debug, Default)]
struct RewardSpans {
    /// A percentage's rate.
    rate: Option<Span>,
    /// The amount that bounds one reward (fixed amount, cap, largest tier,
    /// random maximum).
    largest: Option<Span>,
    /// A fixed amount, or a random reward's high end.
    amount: Option<Span>,
    /// Each tier's reward, in order.
    tiers: Vec<Span>,
    min_spend: Option<Span>,
}

impl RewardSpans {
    /// What sets the reward's effective rate (the first tier of those with
    /// the highest rate).
    fn effective_rate(&self, reward: &Reward) -> Option<Span> {
        match &reward.form {
            RewardForm::Percent { .. } => self.rate,
            RewardForm::Fixed(_) | RewardForm::Random { .. } => self.amount,
            RewardForm::Tiers(tiers) => {
                let highest = reward.effective_rate();
                tiers
                    .iter()
                    .position(|(spend, tier_reward)| {
                        reward.tier_rate(*spend, *tier_reward) == highest
                    })
                    .and_then(|index| self.tiers.get(index).copied())
            }
        }
    }
}

/// The fund's and the policy's `max_rate` bound the effective rate of
/// every form of reward. Above both, only the lower bound is reported (it
/// is the fix; the fund on a tie). Tiers are checked one by one, each
/// against the smallest payment that reaches it.
fn check_effective_rate(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    fund: Option<&FundDef>,
    reward: &Reward,
    spans: &RewardSpans,
) {
    let fund_max = fund.and_then(|fund| fund.max_rate.map(|max| (fund, max)));
    let policy_max = schema.policy.as_ref().and_then(|policy| policy.max_rate);
    // The lower bound the rate is above, if any.
    let report = |ctx: &mut Ctx<'_>,
                  rate: EffectiveRate,
                  span: Span,
                  excess: &dyn Fn(Rate) -> RateExcess| {
        let above_fund = fund_max.filter(|(_, (max, _))| rate.exceeds(*max));
        let above_policy = policy_max.filter(|(max, _)| rate.exceeds(*max));
        match (above_fund, above_policy) {
            (Some((fund, (max, fund_span))), policy)
                if policy.is_none_or(|(policy_max, _)| max <= policy_max) =>
            {
                ctx.error(CampError::RateAboveFund {
                    span,
                    excess: Box::new(excess(max)),
                    max: max.to_string(),
                    fund: fund.id.clone(),
                    fund_max: fund_span,
                });
            }
            (_, Some((max, policy_span))) => ctx.error(CampError::RateAbovePolicy {
                span,
                excess: Box::new(excess(max)),
                max: max.to_string(),
                policy: policy_span,
            }),
            (_, None) => {}
        }
    };
    let min_spend = reward
        .min_spend
        .zip(spans.min_spend)
        .map(|(money, span)| (money.to_string(), span));
    match &reward.form {
        RewardForm::Percent { rate, .. } => report(
            ctx,
            reward.effective_rate(),
            spans.rate.unwrap_or(reward.span),
            &|_| RateExcess::Percent {
                rate: rate.to_string(),
            },
        ),
        RewardForm::Fixed(amount) => report(
            ctx,
            reward.effective_rate(),
            spans.amount.unwrap_or(reward.span),
            &|max| {
                amount_excess(
                    reward,
                    format!("{amount} off"),
                    *amount,
                    None,
                    max,
                    &min_spend,
                )
            },
        ),
        RewardForm::Random { low, high } => report(
            ctx,
            reward.effective_rate(),
            spans.amount.unwrap_or(reward.span),
            &|max| {
                let written = format!("random {low} to {high} off");
                amount_excess(reward, written, *high, Some(*low), max, &min_spend)
            },
        ),
        RewardForm::Tiers(tiers) => {
            for (index, (spend, tier_reward)) in tiers.iter().enumerate() {
                let rate = reward.tier_rate(*spend, *tier_reward);
                let reached_from = reward
                    .min_spend
                    .filter(|min_spend| min_spend.amount > spend.amount);
                report(
                    ctx,
                    rate,
                    spans.tiers.get(index).copied().unwrap_or(reward.span),
                    &|max| RateExcess::Tier {
                        tier: format!("spend {spend} => {tier_reward} off"),
                        reached_from: reached_from
                            .zip(spans.min_spend)
                            .map(|(money, span)| (money.to_string(), span)),
                        effective: rate.to_string(),
                        largest_reward: largest_amount_within(reached_from.unwrap_or(*spend), max)
                            .map(|amount| amount.to_string()),
                    },
                );
            }
        }
    }
}

/// A fixed amount, or a random reward's high end (above `low`), above
/// `max`: what keeps it within, from the author's own values.
fn amount_excess(
    reward: &Reward,
    written: String,
    amount: Money,
    low: Option<Money>,
    max: Rate,
    min_spend: &Option<(String, Span)>,
) -> RateExcess {
    RateExcess::Amount {
        reward: written,
        amount: amount.to_string(),
        random: low.is_some(),
        min_spend: min_spend.clone(),
        effective: reward.effective_rate().to_string(),
        smallest_min_spend: smallest_spend_within(amount, max).map(|spend| spend.to_string()),
        largest_amount: reward
            .min_spend
            .and_then(|min_spend| largest_amount_within(min_spend, max))
            .filter(|largest| low.is_none_or(|low| largest.amount > low.amount))
            .map(|largest| largest.to_string()),
    }
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
    window: Option<Window>,
    reward: Option<Reward>,
    reward_spans: RewardSpans,
    budget: Option<Money>,
    limits: Vec<Limit>,
    rollout: Option<Option<Vec<Stage>>>,
    guards: Vec<Guard>,
    stacking: Option<Stacking>,
    expected_peak: Option<Option<super::model::Throughput>>,
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

        let window = fields.one("window").and_then(|entry| match &entry.value {
            EntryValue::Window(window) => check_window(ctx, window, entry.span),
            _ => None,
        });

        let mut reward_spans = RewardSpans::default();
        // What an uncapped percentage's quick fix caps it at.
        let contract_cap = fund
            .as_ref()
            .and_then(|id| schema.funds.get(id))
            .zip(ctx.currency)
            .and_then(|(fund, (currency, _))| fund.max_per_use_in(currency));
        let reward = fields.one("reward").and_then(|entry| match &entry.value {
            EntryValue::Reward(reward) => {
                check_reward(ctx, reward, entry.span, contract_cap, &mut reward_spans)
            }
            _ => None,
        });

        let limits = fields
            .all("limit")
            .iter()
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
            .iter()
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

        FieldValues {
            title,
            owner,
            fund,
            scenes,
            scenes_any,
            categories,
            category_spans,
            regions,
            segments,
            window,
            reward,
            reward_spans,
            budget,
            limits,
            rollout,
            guards,
            stacking,
            expected_peak,
        }
    }
}

/// Every clause of the fund's contract, and money-movement scenes.
fn check_contract(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    fund: &FundDef,
    values: &FieldValues,
    fields: &Fields<'_>,
    name_span: Span,
) {
    if let Some(scenes) = &values.scenes {
        // Scenes outside the fund, split into money movement and others.
        let mut movement: Vec<(String, Span, Span)> = Vec::new();
        let mut others: Vec<(String, Span)> = Vec::new();
        for (scene, span) in scenes {
            if fund.scenes.contains(scene) {
                continue;
            }
            match schema.scenes.get(scene) {
                Some(declared) if declared.money_movement => {
                    movement.push((scene.clone(), *span, declared.span));
                }
                _ => others.push((scene.clone(), *span)),
            }
        }
        let via_any = values.scenes_any.is_some();
        match values.scenes_any {
            // `scenes: any`: one error for all it adds, the money movement
            // first; listing the fund's scenes fixes both.
            Some(any) => {
                if !movement.is_empty() {
                    ctx.error(CampError::MoneyMovementScene {
                        span: any,
                        scenes: movement
                            .into_iter()
                            .map(|(scene, _, declared)| (scene, declared))
                            .collect(),
                        fund: fund.id.clone(),
                        via_any,
                        allowed: fund.scenes.clone(),
                    });
                } else if !others.is_empty() {
                    ctx.error(CampError::SceneNotInFund {
                        span: any,
                        scenes: others.into_iter().map(|(scene, _)| scene).collect(),
                        fund: fund.id.clone(),
                        fund_scenes: fund.scenes_span,
                        via_any,
                        allowed: fund.scenes.clone(),
                    });
                }
            }
            None => {
                for (scene, span, declared) in movement {
                    ctx.error(CampError::MoneyMovementScene {
                        span,
                        scenes: vec![(scene, declared)],
                        fund: fund.id.clone(),
                        via_any,
                        allowed: fund.scenes.clone(),
                    });
                }
                for (scene, span) in others {
                    ctx.error(CampError::SceneNotInFund {
                        span,
                        scenes: vec![scene],
                        fund: fund.id.clone(),
                        fund_scenes: fund.scenes_span,
                        via_any,
                        allowed: fund.scenes.clone(),
                    });
                }
            }
        }
    }

    if let (Some(allowed), Some(categories)) = (&fund.categories, &values.categories) {
        match categories {
            None if fields.misspelled("categories") => {}
            None => ctx.error(CampError::CategoryNotInFund {
                span: fields
                    .one("categories")
                    .map(|entry| entry.span)
                    .unwrap_or(name_span),
                category: None,
                fund: fund.id.clone(),
                fund_categories: fund.categories_span,
            }),
            Some(categories) => {
                for (category, span) in categories.iter().zip(values.category_spans.iter()) {
                    if !allowed.contains(category) {
                        ctx.error(CampError::CategoryNotInFund {
                            span: *span,
                            category: Some(category.clone()),
                            fund: fund.id.clone(),
                            fund_categories: fund.categories_span,
                        });
                    }
                }
            }
        }
    }

    for (requirement, requires_span) in &fund.requires {
        let (present, help) = match requirement {
            Requirement::Regions => (
                matches!(values.regions, Some(Some(_))) || values.regions.is_none(),
                "add `regions: […]` with the regions the campaign is limited to",
            ),
            Requirement::Segments => (
                matches!(values.segments, Some(Some(_))) || values.segments.is_none(),
                "add `segments: […]` with the user segments that may redeem",
            ),
            Requirement::Categories => (
                matches!(values.categories, Some(Some(_))) || values.categories.is_none(),
                "add `categories: […]`",
            ),
            Requirement::PerUserLimit => (
                fields.all("limit").iter().any(|entry| {
                    matches!(&entry.value, EntryValue::Limit(limit)
                        if limit.per.first().is_some_and(|word| word.text == "user"))
                }),
                "add `limit: … per user` with a count or an amount per user",
            ),
            // A missing budget is already an error of its own (E0206).
            Requirement::Budget => (true, "add `budget: …`"),
            Requirement::Rollout => (fields.has("rollout"), "add a `rollout { … }` with a canary first stage"),
            Requirement::Guard => (fields.has("guard"), "add `guard: halt when spend > … per …`"),
            // A tiered reward has one: its lowest threshold.
            Requirement::MinSpend => (
                fields.one("reward").is_some_and(|entry| {
                    matches!(&entry.value, EntryValue::Reward(reward)
                        if matches!(reward.form, RewardFormSyntax::Tiers { .. })
                            || reward.options.iter().any(|option| option.kind == RewardOptionKind::MinSpend))
                }),
                "add `, min_spend …` to the reward",
            ),
            Requirement::ExpectedPeak => (fields.has("expected_peak"), "add `expected_peak: … per 1s`"),
        };
        let field = match requirement {
            Requirement::PerUserLimit => "limit",
            Requirement::MinSpend => "reward",
            other => other.as_str(),
        };
        if !present && !fields.misspelled(field) {
            ctx.error(CampError::FundRequires {
                span: name_span,
                requirement: requirement.as_str().to_string(),
                fund: fund.id.clone(),
                requires: *requires_span,
                help,
            });
        }
    }

    if let Some(reward) = &values.reward
        && !fund.max_per_use.is_empty()
        && let Some(largest) = reward.largest_single()
    {
        match fund.max_per_use_in(largest.currency) {
            None => ctx.error(CampError::BoundMissingCurrency {
                span: values.reward_spans.largest.unwrap_or(reward.span),
                currency: largest.code().to_string(),
                bound: "max_per_use",
                bound_span: fund.max_per_use_span,
            }),
            Some(max) if largest.amount > max.amount => {
                ctx.error(CampError::RewardAboveMaxPerUse {
                    span: values.reward_spans.largest.unwrap_or(reward.span),
                    reward: largest.to_string(),
                    max: max.to_string(),
                    fund: fund.id.clone(),
                    fund_max: fund.max_per_use_span,
                })
            }
            Some(_) => {}
        }
    }
}

fn check_window(ctx: &mut Ctx<'_>, syntax: &WindowSyntax, entry_span: Span) -> Option<Window> {
    let time_zone = resolve_zone(ctx, &syntax.zone)?;
    let start_local = civil(ctx, &syntax.start);
    let end_local = civil(ctx, &syntax.end);
    let (start_local, end_local) = (start_local?, end_local?);
    let start = to_timestamp(
        ctx,
        &time_zone,
        start_local,
        &syntax.start,
        &syntax.zone.text,
    );
    let end = to_timestamp(ctx, &time_zone, end_local, &syntax.end, &syntax.zone.text);
    let (start, end) = (start?, end?);
    if end <= start {
        ctx.error(CampError::EmptyWindow {
            span: syntax.start.span.to(syntax.end.span),
            start: start_local.strftime("%Y-%m-%d %H:%M").to_string(),
            end: end_local.strftime("%Y-%m-%d %H:%M").to_string(),
        });
        return None;
    }
    Some(Window {
        start,
        end,
        zone: syntax.zone.text.clone(),
        start_local,
        end_local,
        time_zone,
        span: entry_span,
        end_span: syntax.end.span,
        end_has_seconds: syntax.end.has_seconds,
    })
}

fn resolve_zone(ctx: &mut Ctx<'_>, zone: &crate::syntax::ast::Ident) -> Option<jiff::tz::TimeZone> {
    let text = zone.text.as_str();
    if let Some(rest) = text.strip_prefix(['+', '-']) {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = rest.split_once(':')?;
        let hours: i32 = hours.parse().ok()?;
        let minutes: i32 = minutes.parse().ok()?;
        if hours <= 14
            && minutes < 60
            && let Ok(offset) =
                jiff::tz::Offset::from_seconds(sign * (hours * 3_600 + minutes * 60))
        {
            return Some(jiff::tz::TimeZone::fixed(offset));
        }
        ctx.error(CampError::UnknownTimeZone {
            zone: text.to_string(),
            span: zone.span,
            suggestion: None,
        });
        return None;
    }
    let database = jiff::tz::db();
    match database.get(text) {
        Ok(time_zone) if time_zone.iana_name() == Some(text) => Some(time_zone),
        found => {
            // Names people write for the zones Camp's users live in.
            let alias = match text {
                "Asia/Beijing" | "Asia/Peking" | "Beijing" | "Asia/China" | "China" => {
                    Some("Asia/Shanghai")
                }
                "Asia/HongKong" | "HongKong" | "Hong_Kong" => Some("Asia/Hong_Kong"),
                _ => None,
            };
            let canonical = found
                .ok()
                .and_then(|time_zone| time_zone.iana_name().map(String::from))
                .or_else(|| alias.map(String::from));
            let suggestion = canonical.or_else(|| {
                let names: Vec<String> =
                    database.available().map(|name| name.to_string()).collect();
                suggest(text, names.iter().map(String::as_str))
            });
            ctx.error(CampError::UnknownTimeZone {
                zone: text.to_string(),
                span: zone.span,
                suggestion,
            });
            None
        }
    }
}

/// The instant as written: with its seconds when it has them.
fn instant_text(instant: &InstantSyntax) -> String {
    let mut text = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        instant.year, instant.month, instant.day, instant.hour, instant.minute
    );
    if instant.has_seconds {
        text.push_str(&format!(":{:02}", instant.second));
    }
    text
}

fn civil(ctx: &mut Ctx<'_>, instant: &InstantSyntax) -> Option<jiff::civil::DateTime> {
    match jiff::civil::DateTime::new(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        0,
    ) {
        Ok(datetime) => Some(datetime),
        Err(error) => {
            // `24:00` and `23:59:60` both mean the end of the day: the next
            // day's midnight, written as the author writes instants.
            let day_end = || {
                let next = jiff::civil::Date::new(instant.year, instant.month, instant.day)
                    .ok()?
                    .tomorrow()
                    .ok()?;
                let format = if instant.has_seconds {
                    "%Y-%m-%d 00:00:00"
                } else {
                    "%Y-%m-%d 00:00"
                };
                Some(format!(
                    "for the end of the day, write the next day's midnight, `{}`",
                    next.strftime(format)
                ))
            };
            let mut help = None;
            let reason = if jiff::civil::Date::new(instant.year, instant.month, 1).is_err() {
                format!("there is no month {}", instant.month)
            } else if jiff::civil::Date::new(instant.year, instant.month, instant.day).is_err() {
                format!(
                    "{:04}-{:02} has no day {}",
                    instant.year, instant.month, instant.day
                )
            } else if instant.hour == 24 && instant.minute == 0 && instant.second == 0 {
                help = day_end();
                String::from("hours go from 00 to 23")
            } else if instant.hour > 23 {
                String::from("hours go from 00 to 23")
            } else if instant.minute > 59 {
                String::from("minutes go from 00 to 59")
            } else if instant.second == 60 {
                if instant.hour == 23 && instant.minute == 59 {
                    help = day_end();
                }
                String::from("leap seconds are not supported; seconds go from 00 to 59")
            } else if instant.second > 59 {
                String::from("seconds go from 00 to 59")
            } else {
                error.to_string()
            };
            ctx.error(CampError::InvalidInstant {
                span: instant.span,
                text: instant_text(instant),
                reason,
                help,
            });
            None
        }
    }
}

fn to_timestamp(
    ctx: &mut Ctx<'_>,
    zone: &jiff::tz::TimeZone,
    local: jiff::civil::DateTime,
    instant: &InstantSyntax,
    zone_name: &str,
) -> Option<jiff::Timestamp> {
    let ambiguous = zone.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        jiff::tz::AmbiguousOffset::Gap { .. } => {
            ctx.error(CampError::NonexistentLocalTime {
                span: instant.span,
                text: instant_text(instant),
                zone: zone_name.to_string(),
            });
            None
        }
        // In a fold (clocks set back), the earlier of the two instants.
        _ => ambiguous.earlier().ok(),
    }
}

/// Every time zone name a window accepts: the IANA names of the tz
/// database bundled into Camp, each exactly as the checker wants it
/// written, sorted. Computed once.
pub fn time_zone_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let database = jiff::tz::db();
        let mut names: Vec<String> = database
            .available()
            .map(|name| name.to_string())
            .filter(|name| {
                database
                    .get(name)
                    .is_ok_and(|zone| zone.iana_name() == Some(name.as_str()))
            })
            .collect();
        names.sort();
        names
    })
}

fn check_reward(
    ctx: &mut Ctx<'_>,
    syntax: &RewardSyntax,
    span: Span,
    contract_cap: Option<Money>,
    spans: &mut RewardSpans,
) -> Option<Reward> {
    let RewardSpans {
        rate: rate_span,
        largest: largest_span,
        amount: amount_span,
        tiers: tier_spans,
        min_spend: min_spend_span,
    } = spans;
    let mut cap: Option<&Atom> = None;
    let mut min_spend_atom: Option<&Atom> = None;
    for option in &syntax.options {
        let (slot, name) = match option.kind {
            RewardOptionKind::Cap => (&mut cap, "cap"),
            RewardOptionKind::MinSpend => (&mut min_spend_atom, "min_spend"),
        };
        match slot {
            Some(first) => ctx.error(CampError::DuplicateField {
                field: name.to_string(),
                span: option.keyword,
                first: first.span,
            }),
            None => *slot = Some(&option.value),
        }
    }
    *min_spend_span = min_spend_atom.map(|atom| atom.span);
    let min_spend = min_spend_atom.map(|atom| ctx.expect_positive_money(atom, "min_spend"));

    let form = match &syntax.form {
        RewardFormSyntax::Off(atom) => {
            if let Some(cap_atom) = cap {
                *largest_span = Some(cap_atom.span);
            } else {
                *largest_span = Some(atom.span);
            }
            match &atom.kind {
                AtomKind::Money { .. } => {
                    *amount_span = Some(atom.span);
                    let amount = ctx.expect_positive_money(atom, "reward");
                    if let Some(cap_atom) = cap {
                        ctx.error(CampError::TypeMismatch {
                            span: cap_atom.span,
                            expected: String::from("no cap on a fixed amount"),
                            found: String::from("a cap"),
                            help: Some(String::from(
                                "remove the cap; a fixed reward is already its own cap",
                            )),
                        });
                    }
                    amount.map(RewardForm::Fixed)
                }
                AtomKind::Rate(_) => {
                    *rate_span = Some(atom.span);
                    let rate = ctx.expect_rate(atom);
                    match cap {
                        None => {
                            ctx.error(CampError::UncappedPercentage {
                                span: atom.span,
                                rate: rate.map(|rate| rate.to_string()).unwrap_or_default(),
                                contract_cap: contract_cap.map(|cap| {
                                    let end = Span {
                                        start: span.end,
                                        ..span
                                    };
                                    (end, cap.to_string())
                                }),
                            });
                            None
                        }
                        Some(cap) => {
                            let cap = ctx.expect_positive_money(cap, "cap");
                            Some(RewardForm::Percent {
                                rate: rate?,
                                cap: cap?,
                            })
                        }
                    }
                }
                _ => {
                    // A template parameter may stand for either form.
                    if let Some(params) = ctx.params
                        && let AtomKind::Name(name) = &atom.kind
                        && let Some((ty, _)) = params.get(name)
                        && !ty.list
                        && matches!(
                            ty.base,
                            BaseType::Money | BaseType::Rate | BaseType::Unknown
                        )
                    {
                        match cap {
                            Some(cap) => {
                                let _ = ctx.expect_positive_money(cap, "cap");
                            }
                            // A rate parameter with no cap can never compile.
                            None if ty.base == BaseType::Rate => {
                                ctx.error(CampError::UncappedPercentage {
                                    span: atom.span,
                                    rate: name.clone(),
                                    contract_cap: None,
                                })
                            }
                            None => {}
                        }
                        return None;
                    }
                    ctx.error(CampError::TypeMismatch {
                        span: atom.span,
                        expected: String::from("an amount like `CNY 5.00` or a rate like `15%`"),
                        found: describe_atom(atom),
                        help: match atom.kind {
                            AtomKind::Number { value, .. } => Some(format!(
                                "write `{value}%` for a percentage, or an amount with its currency such as `{}`",
                                ctx.example_money(value)
                            )),
                            _ => None,
                        },
                    });
                    None
                }
            }
        }
        RewardFormSyntax::Random { low, high, span } => {
            *largest_span = Some(high.span);
            *amount_span = Some(high.span);
            let low_money = ctx.expect_positive_money(low, "reward");
            let high_money = ctx.expect_positive_money(high, "reward");
            if let Some(cap) = cap {
                ctx.error(CampError::TypeMismatch {
                    span: cap.span,
                    expected: String::from("no cap on a random reward"),
                    found: String::from("a cap"),
                    help: Some(String::from(
                        "remove the cap; the high end of the range is the cap",
                    )),
                });
            }
            let (low_money, high_money) = (low_money?, high_money?);
            if low_money.amount >= high_money.amount {
                ctx.error(CampError::InvalidRandomRange {
                    span: *span,
                    low: low_money.to_string(),
                    high: high_money.to_string(),
                });
                return None;
            }
            Some(RewardForm::Random {
                low: low_money,
                high: high_money,
            })
        }
        RewardFormSyntax::Tiers { tiers, span } => {
            if tiers.is_empty() {
                ctx.error(CampError::EmptyTiers { span: *span });
                return None;
            }
            if let Some(cap) = cap {
                ctx.error(CampError::TypeMismatch {
                    span: cap.span,
                    expected: String::from("no cap on tiers"),
                    found: String::from("a cap"),
                    help: Some(String::from("remove the cap; the largest tier is the cap")),
                });
            }
            let mut checked: Vec<(Money, Money)> = Vec::new();
            let mut complete = true;
            let mut previous: Option<(Money, Span)> = None;
            for tier in tiers {
                let spend = ctx.expect_positive_money(&tier.spend, "tier spend");
                let reward = ctx.expect_positive_money(&tier.reward, "tier reward");
                let (Some(spend), Some(reward)) = (spend, reward) else {
                    complete = false;
                    continue;
                };
                if let Some((previous_spend, previous_span)) = previous
                    && spend.amount <= previous_spend.amount
                {
                    ctx.error(CampError::TiersNotIncreasing {
                        span: tier.spend.span,
                        previous: previous_span,
                    });
                    complete = false;
                }
                if reward.amount >= spend.amount {
                    ctx.error(CampError::TierRewardNotBelowSpend {
                        span: tier.reward.span,
                        reward: reward.to_string(),
                        spend: spend.to_string(),
                    });
                    complete = false;
                }
                if checked
                    .last()
                    .is_none_or(|(_, largest)| reward.amount >= largest.amount)
                {
                    *largest_span = Some(tier.reward.span);
                }
                previous = Some((spend, tier.spend.span));
                checked.push((spend, reward));
                tier_spans.push(tier.reward.span);
            }
            complete.then_some(RewardForm::Tiers(checked))
        }
    };
    let min_spend = match min_spend {
        None => None,
        Some(None) => return None,
        Some(Some(money)) => Some(money),
    };
    Some(Reward {
        form: form?,
        min_spend,
        span,
    })
}

fn check_limit(ctx: &mut Ctx<'_>, entry: &Entry) -> Option<Limit> {
    let EntryValue::Limit(limit) = &entry.value else {
        return None;
    };
    let amount = match &limit.amount.kind {
        AtomKind::Money { .. } => ctx
            .expect_positive_money(&limit.amount, "limit")
            .map(LimitAmount::Money),
        AtomKind::Number { .. } => ctx
            .expect_count(&limit.amount, "limit")
            .map(LimitAmount::Count),
        // Already reported (a number too large, a bad escape).
        AtomKind::Invalid => None,
        AtomKind::Name(name)
            if ctx
                .params
                .and_then(|params| params.get(name))
                .is_some_and(|(ty, _)| {
                    !ty.list
                        && matches!(
                            ty.base,
                            BaseType::Money | BaseType::Count | BaseType::Unknown
                        )
                }) =>
        {
            None
        }
        _ => {
            ctx.error(CampError::TypeMismatch {
                span: limit.amount.span,
                expected: String::from("a count like `1` or an amount like `CNY 100.00`"),
                found: describe_atom(&limit.amount),
                help: None,
            });
            None
        }
    };
    let (dimension, period) = match limit.per.as_slice() {
        [word] => match (Dimension::parse(&word.text), Period::parse(&word.text)) {
            (Some(dimension), _) => (Some(Some(dimension)), Some(None)),
            (_, Some(period)) => (Some(None), Some(Some(period))),
            _ => {
                ctx.error(CampError::UnknownWord {
                    word: word.text.clone(),
                    span: word.span,
                    what: "limit dimension or period",
                    allowed: &LIMIT_WORDS,
                    suggestion: suggest(&word.text, LIMIT_WORDS),
                });
                (None, None)
            }
        },
        [first, second] => {
            let dimension = match Dimension::parse(&first.text) {
                Some(dimension) => Some(Some(dimension)),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: first.text.clone(),
                        span: first.span,
                        what: "limit dimension",
                        allowed: &Dimension::ALL,
                        suggestion: suggest(&first.text, Dimension::ALL),
                    });
                    None
                }
            };
            let period = match Period::parse(&second.text) {
                Some(period) => Some(Some(period)),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: second.text.clone(),
                        span: second.span,
                        what: "limit period",
                        allowed: &Period::ALL,
                        suggestion: suggest(&second.text, Period::ALL),
                    });
                    None
                }
            };
            (dimension, period)
        }
        _ => (None, None),
    };
    Some(Limit {
        amount: amount?,
        dimension: dimension?,
        period: period?,
        span: entry.span,
    })
}

const LIMIT_WORDS: [&str; 8] = [
    "user", "device", "ip", "merchant", "region", "hour", "day", "week",
];

/// Stages: segment stages first, then increasing percentages; every stage
/// but the last runs for a duration; the last is `stage 100%`.
fn check_rollout(ctx: &mut Ctx<'_>, stages: &[StageSyntax], keyword: Span) -> Option<Vec<Stage>> {
    let Some(last_index) = stages.len().checked_sub(1) else {
        ctx.error(CampError::InvalidRollout {
            span: keyword,
            problem: String::from("it has no stages"),
            label: "empty rollout",
            help: String::from(
                "add stages: canaries (`stage segment …`) and growing shares, each `for` a duration, then `stage 100%`",
            ),
        });
        return None;
    };
    let mut checked = Vec::new();
    let mut complete = true;
    let mut previous_percent: Option<(Rate, Span)> = None;
    for (index, stage) in stages.iter().enumerate() {
        let is_last = index == last_index;
        let target = match &stage.target {
            StageTargetSyntax::Segment(segment) => {
                if previous_percent.is_some() {
                    ctx.error(CampError::InvalidRollout {
                        span: stage.span,
                        problem: String::from("a segment stage comes after a percentage stage"),
                        label: "segment stage after a percentage stage",
                        help: String::from(
                            "put segment stages (canaries) before the percentage stages",
                        ),
                    });
                    complete = false;
                }
                ctx.expect_ident(segment, NameKind::Segment)
                    .map(StageTarget::Segment)
            }
            StageTargetSyntax::Share(atom) => {
                let rate = ctx.expect_rate(atom);
                if let Some(rate) = rate {
                    if let Some((previous, _)) = previous_percent
                        && rate <= previous
                    {
                        ctx.error(CampError::InvalidRollout {
                            span: atom.span,
                            problem: format!(
                                "stage `{rate}` does not grow from the previous `{previous}`"
                            ),
                            label: "not above the previous stage",
                            help: String::from(
                                "each percentage stage must reach more users than the one before",
                            ),
                        });
                        complete = false;
                    }
                    previous_percent = Some((rate, atom.span));
                }
                rate.map(StageTarget::Percent)
            }
        };
        let duration = match &stage.duration {
            Some(atom) => ctx.expect_duration(atom, "stage duration").map(Some),
            None => Some(None),
        };
        if is_last {
            let full = matches!(target, Some(StageTarget::Percent(rate)) if rate.0 == Decimal::ONE_HUNDRED);
            if target.is_some() && !full {
                ctx.error(CampError::InvalidRollout {
                    span: match &stage.target {
                        StageTargetSyntax::Share(atom) => atom.span,
                        StageTargetSyntax::Segment(_) => stage.span,
                    },
                    problem: String::from("the last stage does not reach everyone"),
                    label: "the last stage must be `100%`",
                    help: String::from("end the rollout with `stage 100%`"),
                });
                complete = false;
            }
            if stage.duration.is_some() {
                ctx.error(CampError::InvalidRollout {
                    span: stage
                        .duration
                        .as_ref()
                        .map(|atom| atom.span)
                        .unwrap_or(stage.span),
                    problem: String::from("the last stage has a duration"),
                    label: "the last stage runs until the window ends",
                    help: String::from(
                        "the last stage runs until the window ends: write `stage 100%`",
                    ),
                });
                complete = false;
            }
        } else if stage.duration.is_none() {
            ctx.error(CampError::InvalidRollout {
                span: stage.span,
                problem: String::from("a stage before the last has no duration"),
                label: "no `for …` duration",
                help: String::from(
                    "say how long it runs before the next stage: `for` and a duration",
                ),
            });
            complete = false;
        }
        match (target, duration) {
            (Some(target), Some(duration_seconds)) => checked.push(Stage {
                target,
                duration_seconds,
            }),
            _ => complete = false,
        }
    }
    complete.then_some(checked)
}

fn check_guard(ctx: &mut Ctx<'_>, entry: &Entry) -> Option<Guard> {
    let EntryValue::Guard(guard) = &entry.value else {
        return None;
    };
    let metric = match guard.metric.text.as_str() {
        "spend" => ctx
            .expect_positive_money(&guard.threshold, "guard threshold")
            .map(GuardMetric::Spend),
        "redemptions" => ctx
            .expect_count(&guard.threshold, "guard threshold")
            .map(GuardMetric::Redemptions),
        other => {
            ctx.error(CampError::UnknownWord {
                word: other.to_string(),
                span: guard.metric.span,
                what: "guard metric",
                allowed: &["spend", "redemptions"],
                suggestion: suggest(other, ["spend", "redemptions"]),
            });
            None
        }
    };
    let per_seconds = ctx.expect_duration(&guard.per, "guard period");
    Some(Guard {
        metric: metric?,
        per_seconds: per_seconds?,
        span: entry.span,
    })
}

//! A campaign against its fund's contract (scenes, categories,
//! requirements, the largest single reward). The fund's and the policy's
//! bounds on the effective rate depend on the reward's form: they are
//! `reward.rs`'s.

use super::FieldValues;
use crate::check::fields::Fields;
use crate::check::model::{Dimension, FundDef, Requirement, Schema};
use crate::check::values::Ctx;
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{EntryValue, RewardFormSyntax, RewardOptionKind};

/// Every clause of the fund's contract, and money-movement scenes.
pub(super) fn check_contract(
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

    check_fund_merchants(ctx, fund, values, fields, name_span);

    for (requirement, requires_span) in &fund.requires {
        let present = match requirement {
            Requirement::Regions => {
                matches!(values.regions, Some(Some(_))) || values.regions.is_none()
            }
            Requirement::Segments => {
                matches!(values.segments, Some(Some(_))) || values.segments.is_none()
            }
            Requirement::Categories => {
                matches!(values.categories, Some(Some(_))) || values.categories.is_none()
            }
            // Any limit that counts by user, alone or with other
            // dimensions (`per user per category`).
            Requirement::PerUserLimit => fields.all("limit").any(|entry| {
                matches!(&entry.value, EntryValue::Limit(limit)
                    if limit.per.iter().any(|word| Dimension::parse(&word.text) == Some(Dimension::User)))
            }),
            // A missing budget is already an error of its own (E0206).
            Requirement::Budget => true,
            Requirement::Rollout => fields.has("rollout"),
            Requirement::Guard => fields.has("guard"),
            // A tiered reward has one: its lowest threshold.
            Requirement::MinSpend => fields.one("reward").is_some_and(|entry| {
                matches!(&entry.value, EntryValue::Reward(reward)
                    if matches!(reward.form, RewardFormSyntax::Tiers { .. })
                        || reward.options.iter().any(|option| option.kind == RewardOptionKind::MinSpend))
            }),
            Requirement::ExpectedPeak => fields.has("expected_peak"),
            Requirement::Merchants => {
                matches!(values.merchants, Some(Some(_))) || values.merchants.is_none()
            }
            Requirement::Instruments => {
                matches!(values.instruments, Some(Some(_))) || values.instruments.is_none()
            }
            Requirement::PerCardLimit => fields.all("limit").any(|entry| {
                matches!(&entry.value, EntryValue::Limit(limit)
                    if limit.per.first().is_some_and(|word| Dimension::parse(&word.text) == Some(Dimension::Card)))
            }),
            // (v2) A claim block: only a held coupon pays.
            Requirement::Claim => fields.has("claim"),
        };
        let field = requirement.field();
        if !present && !fields.misspelled(field) {
            ctx.error(CampError::FundRequires {
                span: name_span,
                requirement: requirement.as_str().to_string(),
                fund: fund.id.clone(),
                requires: *requires_span,
                help: requirement.help(),
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

/// (v2) The campaign's merchant groups within the fund's `merchants`, as
/// its categories within the fund's categories.
fn check_fund_merchants(
    ctx: &mut Ctx<'_>,
    fund: &FundDef,
    values: &FieldValues,
    fields: &Fields<'_>,
    name_span: Span,
) {
    let (Some(allowed), Some(merchants)) = (&fund.merchants, &values.merchants) else {
        return;
    };
    match merchants {
        None if fields.misspelled("merchants") => {}
        None => ctx.error(CampError::MerchantGroupNotInFund {
            span: fields
                .one("merchants")
                .map(|entry| entry.span)
                .unwrap_or(name_span),
            group: None,
            fund: fund.id.clone(),
            fund_merchants: fund.merchants_span,
        }),
        Some(merchants) => {
            for (group, span) in merchants.iter().zip(values.merchant_spans.iter()) {
                if !allowed.contains(group) {
                    ctx.error(CampError::MerchantGroupNotInFund {
                        span: *span,
                        group: Some(group.clone()),
                        fund: fund.id.clone(),
                        fund_merchants: fund.merchants_span,
                    });
                }
            }
        }
    }
}

//! (v2) Pools: a campaign's `pool:` against the pool's fund and budget
//! currencies, and each pool's own exposure and approvals, from the
//! exposures of the campaigns that draw from it.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::exposure::{self, Approvals};
use super::model::{CampaignModel, Money, PoolBound, PoolDef, PoolExposure, PoolModel, Schema};
use super::values::Ctx;
use crate::error::CampError;
use crate::source::Span;

/// A campaign's `pool: NAME` (already resolved to a pool): the pool must
/// belong to the campaign's fund and list the campaign's currency.
/// `fund` is the campaign's fund and where `fund:` is written; `at` is the
/// pool's name in `pool:`. Gives the pool's budget in the campaign's
/// currency when it is usable.
pub fn check_campaign_pool(
    ctx: &mut Ctx<'_>,
    pool: &PoolDef,
    at: Span,
    fund: Option<(&str, Span)>,
) -> Option<Money> {
    let mut usable = true;
    if let Some((fund, fund_span)) = fund
        && pool.fund != fund
    {
        ctx.error(CampError::PoolOfOtherFund {
            span: at,
            pool: pool.id.clone(),
            pool_fund: pool.fund.clone(),
            pool_fund_span: pool.fund_span,
            campaign_fund: fund.to_string(),
            campaign_fund_span: fund_span,
        });
        usable = false;
    }
    let (currency, _) = ctx.currency?;
    let budget = pool.budget_in(currency);
    if budget.is_none() {
        ctx.error(CampError::PoolMissingCurrency {
            span: at,
            pool: pool.id.clone(),
            currency: currency.code().to_string(),
            budget_span: pool.budget_span,
        });
    }
    budget.filter(|_| usable)
}

/// Every pool's exposure, per currency of its budget: the smaller of the
/// budget and the sum of the exposures of its campaigns in that currency
/// (zero when none is in it), and the approvals the policy's tiers ask for
/// it. A pool's approvals are the most any of its currencies needs.
pub fn pool_models(
    schema: &Schema,
    campaigns: &[Arc<CampaignModel>],
    errors: &mut Vec<CampError>,
) -> Vec<PoolModel> {
    let mut models = Vec::with_capacity(schema.pools.len());
    for pool in schema.pools.values() {
        let members: Vec<&CampaignModel> = campaigns
            .iter()
            .filter(|campaign| campaign.pool.as_deref() == Some(pool.id.as_str()))
            .map(|campaign| &**campaign)
            .collect();
        let mut exposures = Vec::with_capacity(pool.budget.len());
        let mut complete = true;
        for budget in &pool.budget {
            let sum = members
                .iter()
                .filter(|campaign| campaign.currency == budget.currency)
                .try_fold(Decimal::ZERO, |sum, campaign| {
                    sum.checked_add(campaign.exposure.amount.amount)
                });
            let (amount, bound) = match sum {
                Some(sum) if sum < budget.amount => (
                    Money {
                        amount: sum,
                        currency: budget.currency,
                    },
                    PoolBound::Campaigns,
                ),
                Some(_) | None => (*budget, PoolBound::Budget),
            };
            let Some(approvals_required) = pool_approvals(schema, pool, amount, errors) else {
                complete = false;
                continue;
            };
            exposures.push(PoolExposure {
                amount,
                bound,
                approvals_required,
            });
        }
        if !complete {
            continue;
        }
        models.push(PoolModel {
            id: pool.id.clone(),
            campaigns: members.iter().map(|campaign| campaign.id.clone()).collect(),
            approvals_required: exposures
                .iter()
                .map(|exposure| exposure.approvals_required)
                .max()
                .unwrap_or(1),
            exposures,
        });
    }
    models
}

/// The approvals one currency's exposure of a pool needs; `None` (and an
/// error) when the tiers cannot say.
fn pool_approvals(
    schema: &Schema,
    pool: &PoolDef,
    exposure: Money,
    errors: &mut Vec<CampError>,
) -> Option<u32> {
    let Some(policy) = schema.policy.as_ref() else {
        return Some(1);
    };
    match exposure::approvals_required(exposure, &policy.approvals) {
        Approvals::Required(count) => Some(count),
        Approvals::TierMissingCurrency(index) => {
            // With `currencies`, the policy itself reports a tier that
            // leaves one out, and a budget in a currency it does not
            // allow is an error of the budget: not again here.
            if policy.currencies.is_none() {
                errors.push(CampError::PoolTierMissingCurrency {
                    span: pool.budget_span,
                    pool: pool.id.clone(),
                    currency: exposure.code().to_string(),
                    tier_span: policy
                        .approvals
                        .get(index)
                        .map(|tier| tier.span)
                        .unwrap_or(policy.span),
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
                        .find(|amount| amount.currency == exposure.currency)
                })
                .map(|amount| amount.to_string())
                .unwrap_or_default();
            errors.push(CampError::PoolExposureAboveApprovals {
                span: pool.span,
                pool: pool.id.clone(),
                exposure: exposure.to_string(),
                top,
                approvals: policy.approvals_span,
            });
            None
        }
    }
}

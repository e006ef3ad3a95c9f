//! A campaign's reward: its form (an amount, a capped rate, a random range
//! or tiers) and options, where each part is written, and its effective
//! rate against the fund's and the policy's `max_rate` (what each form
//! reports above them): everything the checker does by reward form.

use camp_lang::reward::RewardWord;

use crate::check::model::{
    EffectiveRate, FundDef, Money, Rate, Reward, RewardForm, Schema, largest_amount_within,
    smallest_spend_within,
};
use crate::check::values::{BaseType, Ctx, describe_atom};
use crate::error::{CampError, RateExcess};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, RewardFormSyntax, RewardOptionKind, RewardSyntax};

/// Where the parts of a reward are written (substituted template values
/// point at their arguments).
#[derive(Debug, Default)]
pub(super) struct RewardSpans {
    /// A percentage's rate.
    pub(super) rate: Option<Span>,
    /// The amount that bounds one reward (fixed amount, cap, largest tier,
    /// random maximum).
    pub(super) largest: Option<Span>,
    /// A fixed amount, or a random reward's high end.
    pub(super) amount: Option<Span>,
    /// Each tier's reward, in order.
    pub(super) tiers: Vec<Span>,
    pub(super) min_spend: Option<Span>,
}

impl RewardSpans {
    /// What sets the reward's effective rate (the first tier of those with
    /// the highest rate).
    pub(super) fn effective_rate(&self, reward: &Reward) -> Option<Span> {
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

pub(super) fn check_reward(
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
            RewardOptionKind::Cap => (&mut cap, RewardWord::Cap.as_str()),
            RewardOptionKind::MinSpend => (&mut min_spend_atom, RewardWord::MinSpend.as_str()),
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

/// The fund's and the policy's `max_rate` bound the effective rate of
/// every form of reward. Above both, only the lower bound is reported (it
/// is the fix; the fund on a tie). Tiers are checked one by one, each
/// against the smallest payment that reaches it.
pub(super) fn check_effective_rate(
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

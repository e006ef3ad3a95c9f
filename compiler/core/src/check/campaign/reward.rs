//! A campaign's reward: its form (an amount, a capped rate, a random range
//! or tiers) and options, and where each part is written.

use crate::check::model::{Money, Reward, RewardForm};
use crate::check::values::{BaseType, Ctx, describe_atom};
use crate::error::CampError;
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

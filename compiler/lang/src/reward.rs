//! What a reward form means, apart from the syntax that writes it and the
//! JSON that carries it: its largest single reward and its effective rate.

use crate::money::{EffectiveRate, Money, Rate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewardForm {
    Fixed(Money),
    Percent {
        rate: Rate,
        cap: Money,
    },
    /// `(spend threshold, reward)`, thresholds strictly increasing.
    Tiers(Vec<(Money, Money)>),
    Random {
        low: Money,
        high: Money,
    },
}

impl RewardForm {
    /// The largest single reward the form itself allows (the fund's
    /// `max_per_use` may lower it further); `None` only for empty tiers.
    pub fn largest_single(&self) -> Option<Money> {
        match self {
            RewardForm::Fixed(amount) => Some(*amount),
            RewardForm::Percent { cap, .. } => Some(*cap),
            RewardForm::Tiers(tiers) => tiers
                .iter()
                .map(|(_, reward)| *reward)
                .max_by(|a, b| a.amount.cmp(&b.amount)),
            RewardForm::Random { high, .. } => Some(*high),
        }
    }

    /// The effective rate: the largest fraction of one payment this
    /// reward can take. A percentage: its rate. A fixed amount, or a random
    /// one's maximum: the amount over `min_spend` (all of the payment
    /// without one). Tiers: the largest of each tier's rate.
    pub fn effective_rate(&self, min_spend: Option<Money>) -> EffectiveRate {
        match self {
            RewardForm::Percent { rate, .. } => EffectiveRate::of_rate(*rate),
            RewardForm::Fixed(amount) => EffectiveRate::of_amount(*amount, min_spend),
            RewardForm::Random { high, .. } => EffectiveRate::of_amount(*high, min_spend),
            RewardForm::Tiers(tiers) => tiers
                .iter()
                .map(|(spend, reward)| tier_rate(*spend, *reward, min_spend))
                .max()
                // Tiers are never empty in a checked reward.
                .unwrap_or(EffectiveRate::FULL),
        }
    }
}

/// One tier's rate: its reward over the smallest payment that reaches
/// it, its threshold or `min_spend` if that is higher.
pub fn tier_rate(spend: Money, reward: Money, min_spend: Option<Money>) -> EffectiveRate {
    let reached_from = match min_spend {
        Some(min_spend) if min_spend.amount > spend.amount => min_spend.amount,
        _ => spend.amount,
    };
    EffectiveRate::new(reward.amount, reached_from)
}

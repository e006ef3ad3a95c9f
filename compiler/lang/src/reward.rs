//! The reward forms, apart from the grammar that parses them and the JSON
//! that carries them: what each means (`RewardForm`: its largest single
//! reward, its effective rate, its amount for one payment), the words a
//! reward is written with (`RewardWord`), how each form is written and
//! offered (`RewardKind`), and the `reward` field's docs. ARCHITECTURE.md
//! lists the other files a new form is written in.

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
    /// `every STEP => REWARD off, cap CAP` (每满减): floor(A / step) ×
    /// reward, never above the cap. Without a cap the fund's `max_per_use`
    /// bounds it (the checker requires one or the other).
    Every {
        step: Money,
        reward: Money,
        cap: Option<Money>,
    },
    /// `price P`: the payment is brought down to `P` (A − P when A > P),
    /// never above the cap.
    Price {
        price: Money,
        cap: Option<Money>,
    },
}

impl RewardForm {
    /// The largest single reward the form itself allows, with the reward's
    /// `max_spend` (the fund's `max_per_use` may lower it further). `None`
    /// for empty tiers and for an uncapped `every` (the fund's
    /// `max_per_use` bounds it) or an uncapped `price` with no `max_spend`.
    pub fn largest_single(&self, max_spend: Option<Money>) -> Option<Money> {
        match self {
            RewardForm::Fixed(amount) => Some(*amount),
            RewardForm::Percent { cap, .. } => Some(*cap),
            RewardForm::Tiers(tiers) => tiers
                .iter()
                .map(|(_, reward)| *reward)
                .max_by(|a, b| a.amount.cmp(&b.amount)),
            RewardForm::Random { high, .. } => Some(*high),
            RewardForm::Every { cap, .. } => *cap,
            RewardForm::Price { price, cap } => {
                // The smaller of the cap and `max_spend − P`.
                let above = max_spend.map(|max_spend| Money {
                    amount: (max_spend.amount - price.amount).max(rust_decimal::Decimal::ZERO),
                    currency: price.currency,
                });
                match (*cap, above) {
                    (Some(cap), Some(above)) => Some(if above.amount < cap.amount {
                        above
                    } else {
                        cap
                    }),
                    (Some(one), None) | (None, Some(one)) => Some(one),
                    (None, None) => None,
                }
            }
        }
    }

    /// The currency the form is written in; `None` only for empty tiers.
    pub fn currency(&self) -> Option<iso_currency::Currency> {
        match self {
            RewardForm::Fixed(amount) => Some(amount.currency),
            RewardForm::Percent { cap, .. } => Some(cap.currency),
            RewardForm::Tiers(tiers) => tiers.first().map(|(spend, _)| spend.currency),
            RewardForm::Random { high, .. } => Some(high.currency),
            RewardForm::Every { step, .. } => Some(step.currency),
            RewardForm::Price { price, .. } => Some(price.currency),
        }
    }

    /// The rate the form is written with: a percentage's; the other forms
    /// have only an effective rate.
    pub fn written_rate(&self) -> Option<Rate> {
        match self {
            RewardForm::Percent { rate, .. } => Some(*rate),
            RewardForm::Fixed(_)
            | RewardForm::Tiers(_)
            | RewardForm::Random { .. }
            | RewardForm::Every { .. }
            | RewardForm::Price { .. } => None,
        }
    }

    /// The effective rate: the largest fraction of one payment this
    /// reward can take. A percentage: its rate. A fixed amount, or a random
    /// one's maximum: the amount over `min_spend` (all of the payment
    /// without one). Tiers: the largest of each tier's rate. Every `X =>
    /// Y`: Y / X. Price `P`: (M − P) / M with `max_spend M`, c / (P + c)
    /// with `cap c`, the smaller of the two (all of the payment with
    /// neither, which the checker refuses).
    pub fn effective_rate(
        &self,
        min_spend: Option<Money>,
        max_spend: Option<Money>,
    ) -> EffectiveRate {
        match self {
            RewardForm::Every { step, reward, .. } => {
                EffectiveRate::new(reward.amount, step.amount)
            }
            RewardForm::Price { price, cap } => {
                let by_max = max_spend.map(|max_spend| {
                    EffectiveRate::new(max_spend.amount - price.amount, max_spend.amount)
                });
                let by_cap = cap.and_then(|cap| {
                    price
                        .amount
                        .checked_add(cap.amount)
                        .map(|spend| EffectiveRate::new(cap.amount, spend))
                });
                match (by_max, by_cap) {
                    (Some(a), Some(b)) => a.min(b),
                    (Some(one), None) | (None, Some(one)) => one,
                    (None, None) => EffectiveRate::FULL,
                }
            }
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

crate::vocab::words! {
    /// The words a reward's forms and options are written with (`to` is
    /// shared with a window's, a [`crate::keyword::Word`]).
    pub enum RewardWord {
        Off = "off",
        Random = "random",
        Tiers = "tiers",
        Spend = "spend",
        Cap = "cap",
        MinSpend = "min_spend",
        Every = "every",
        Price = "price",
        MaxSpend = "max_spend",
    }
}

crate::vocab::words! {
    /// The forms a reward is written in, named as completion offers them.
    /// [`RewardForm::kind`] names a checked reward's form; [`RewardKind::spec`]
    /// says how each is written.
    pub enum RewardKind {
        Fixed = "fixed",
        Percent = "percentage",
        Tiers = "tiers",
        Random = "random",
        Every = "every",
        Price = "price",
    }
}

/// How a reward form is written and offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardFormSpec {
    /// What it gives, in a few words (completion's detail).
    pub detail: &'static str,
    /// How it is written, in the notation of the docs (`MONEY off`); the
    /// reward field's docs list every form's.
    pub syntax: &'static str,
    /// The form as a completion snippet (`${1:…}` tab stops).
    pub snippet: &'static str,
}

impl RewardKind {
    pub const fn spec(self) -> RewardFormSpec {
        match self {
            RewardKind::Fixed => RewardFormSpec {
                detail: "a fixed amount",
                syntax: "MONEY off",
                snippet: "${1:CNY 5.00} off",
            },
            RewardKind::Percent => RewardFormSpec {
                detail: "a rate with its cap",
                syntax: "RATE off, cap MONEY",
                snippet: "${1:15%} off, cap ${2:CNY 20.00}",
            },
            RewardKind::Tiers => RewardFormSpec {
                detail: "spend thresholds",
                syntax: "tiers { spend MONEY => MONEY off; … }",
                snippet: "tiers { spend ${1:CNY 100.00} => ${2:CNY 10.00} off; spend ${3:CNY 300.00} => ${4:CNY 40.00} off }",
            },
            RewardKind::Random => RewardFormSpec {
                detail: "a random amount",
                syntax: "random MONEY to MONEY off",
                snippet: "random ${1:CNY 0.10} to ${2:CNY 8.88} off",
            },
            RewardKind::Every => RewardFormSpec {
                detail: "a repeating threshold with its cap",
                syntax: "every MONEY => MONEY off, cap MONEY",
                snippet: "every ${1:CNY 300.00} => ${2:CNY 50.00} off, cap ${3:CNY 1_000.00}",
            },
            RewardKind::Price => RewardFormSpec {
                detail: "a price override",
                syntax: "price MONEY, max_spend MONEY",
                snippet: "price ${1:CNY 9.90}, max_spend ${2:CNY 40.00}",
            },
        }
    }
}

impl RewardForm {
    /// The form this reward is written in.
    pub fn kind(&self) -> RewardKind {
        match self {
            RewardForm::Fixed(_) => RewardKind::Fixed,
            RewardForm::Percent { .. } => RewardKind::Percent,
            RewardForm::Tiers(_) => RewardKind::Tiers,
            RewardForm::Random { .. } => RewardKind::Random,
            RewardForm::Every { .. } => RewardKind::Every,
            RewardForm::Price { .. } => RewardKind::Price,
        }
    }
}

/// The `reward` field's docs (hover): every form, and what applies to all.
pub const FIELD_DOCS: &str = "`reward:` (required) one of `MONEY off`, `RATE off, cap MONEY` (the cap is mandatory), `random MONEY to MONEY off`, `tiers { spend MONEY => MONEY off; … }`, `every MONEY => MONEY off, cap MONEY` (每满减: the cap, or the fund's `max_per_use`, is mandatory), `price MONEY, max_spend MONEY` (the payment brought down to the price; a cap or a `max_spend` is mandatory); any form may add `, min_spend MONEY` and `, max_spend MONEY` (payments above it get nothing). The discount is rounded down to the currency's minor unit and never exceeds the payment.";

/// The help of a campaign without a `reward`.
pub const MISSING_HELP: &str = "add `reward: … off` with what one payment gets: an amount, a capped rate, tiers, a random range, a repeating threshold or a price";

/// How a form arrived at its amount for one payment: the arithmetic an
/// explanation shows, with the values it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewardArithmetic {
    /// The fixed amount.
    Fixed { amount: Money },
    /// `rate × payment = exact`, then the cap (when `capped`).
    Percent {
        rate: Rate,
        payment: Money,
        exact: rust_decimal::Decimal,
        cap: Money,
        capped: bool,
    },
    /// The highest tier the payment reaches.
    Tier { spend: Money, reward: Money },
    /// `low + k` minor units, `k = draw mod choices`.
    Random {
        low: Money,
        high: Money,
        k: u64,
        choices: u64,
    },
    /// `times = floor(payment / step)`, `times × reward`, then the cap
    /// (when `capped`).
    Every {
        step: Money,
        reward: Money,
        payment: Money,
        times: u64,
        cap: Option<Money>,
        capped: bool,
    },
    /// `payment − price`, then the cap (when `capped`).
    Price {
        price: Money,
        payment: Money,
        cap: Option<Money>,
        capped: bool,
    },
}

/// What a form pays for one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormReward {
    /// This amount, rounded down to the currency's minor unit (possibly
    /// zero, possibly above the payment: the caller bounds it by the
    /// payment and the fund's `max_per_use`).
    Pays {
        amount: Money,
        arithmetic: RewardArithmetic,
    },
    /// Nothing for this amount: below the lowest tier, `lowest`.
    BelowLowestTier { lowest: Money },
    /// Nothing for this amount: below an `every` reward's step.
    BelowStep { step: Money },
    /// Nothing for this amount: at or below a `price`.
    AtOrBelowPrice { price: Money },
}

impl RewardForm {
    /// The form's own reward for a payment of `payment`, rounded down to
    /// the currency's minor unit. `draw` is the random form's 64-bit draw
    /// (the language derives it from the campaign and payment ids); other
    /// forms ignore it. `None` when the arithmetic overflows, when the
    /// random range has more minor units than a `u64` holds, or for empty
    /// tiers.
    pub fn reward_for(&self, payment: Money, draw: u64) -> Option<FormReward> {
        let scale = Money::minor_unit(payment.currency);
        let pays = |amount: rust_decimal::Decimal, arithmetic| FormReward::Pays {
            amount: Money {
                amount: amount
                    .round_dp_with_strategy(scale, rust_decimal::RoundingStrategy::ToZero),
                currency: payment.currency,
            },
            arithmetic,
        };
        Some(match self {
            RewardForm::Fixed(amount) => {
                pays(amount.amount, RewardArithmetic::Fixed { amount: *amount })
            }
            RewardForm::Percent { rate, cap } => {
                let exact = payment.amount.checked_mul(rate.fraction())?;
                let capped = exact > cap.amount;
                pays(
                    exact.min(cap.amount),
                    RewardArithmetic::Percent {
                        rate: *rate,
                        payment,
                        exact,
                        cap: *cap,
                        capped,
                    },
                )
            }
            RewardForm::Tiers(tiers) => {
                match tiers
                    .iter()
                    .rev()
                    .find(|(spend, _)| spend.amount <= payment.amount)
                {
                    Some((spend, reward)) => pays(
                        reward.amount,
                        RewardArithmetic::Tier {
                            spend: *spend,
                            reward: *reward,
                        },
                    ),
                    None => FormReward::BelowLowestTier {
                        lowest: tiers.first().map(|(spend, _)| *spend)?,
                    },
                }
            }
            RewardForm::Random { low, high } => {
                let unit = rust_decimal::Decimal::try_new(1, scale).ok()?;
                let span = high.amount.checked_sub(low.amount)?.checked_div(unit)?;
                let choices = u64::try_from(span.trunc()).ok()?.checked_add(1)?;
                let k = draw.checked_rem(choices)?;
                let amount = rust_decimal::Decimal::from(k)
                    .checked_mul(unit)?
                    .checked_add(low.amount)?;
                pays(
                    amount,
                    RewardArithmetic::Random {
                        low: *low,
                        high: *high,
                        k,
                        choices,
                    },
                )
            }
            RewardForm::Every { step, reward, cap } => {
                if payment.amount < step.amount {
                    return Some(FormReward::BelowStep { step: *step });
                }
                let times = payment.amount.checked_div(step.amount)?.trunc();
                let exact = times.checked_mul(reward.amount)?;
                let capped = cap.is_some_and(|cap| exact > cap.amount);
                let amount = match cap {
                    Some(cap) => exact.min(cap.amount),
                    None => exact,
                };
                pays(
                    amount,
                    RewardArithmetic::Every {
                        step: *step,
                        reward: *reward,
                        payment,
                        times: u64::try_from(times).ok()?,
                        cap: *cap,
                        capped,
                    },
                )
            }
            RewardForm::Price { price, cap } => {
                if payment.amount <= price.amount {
                    return Some(FormReward::AtOrBelowPrice { price: *price });
                }
                let exact = payment.amount.checked_sub(price.amount)?;
                let capped = cap.is_some_and(|cap| exact > cap.amount);
                let amount = match cap {
                    Some(cap) => exact.min(cap.amount),
                    None => exact,
                };
                pays(
                    amount,
                    RewardArithmetic::Price {
                        price: *price,
                        payment,
                        cap: *cap,
                        capped,
                    },
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    fn cny(text: &str) -> Money {
        Money {
            amount: text.parse().unwrap_or_default(),
            currency: Currency::CNY,
        }
    }

    fn rate(text: &str) -> Rate {
        Rate(text.parse().unwrap_or_default())
    }

    fn effective(form: RewardForm, min_spend: Option<&str>) -> EffectiveRate {
        form.effective_rate(min_spend.map(cny), None)
    }

    #[test]
    fn effective_rate_of_every_form() {
        let percent = effective(
            RewardForm::Percent {
                rate: rate("12.5"),
                cap: cny("50.00"),
            },
            Some("100.00"),
        );
        assert_eq!(percent.fraction(), "0.125".parse().unwrap_or_default());
        let fixed = effective(RewardForm::Fixed(cny("2000.00")), None);
        assert!(fixed.is_full());
        let fixed = effective(RewardForm::Fixed(cny("1900.00")), Some("2000.00"));
        assert_eq!(fixed.to_string(), "95%");
        // Never above all of the payment.
        let swapped = effective(RewardForm::Fixed(cny("50.00")), Some("30.00"));
        assert_eq!(swapped.to_string(), "100%");
        let random = effective(
            RewardForm::Random {
                low: cny("0.10"),
                high: cny("8.88"),
            },
            Some("10.00"),
        );
        assert_eq!(random.to_string(), "88.8%");
        let tiers = vec![(cny("100.00"), cny("10.00")), (cny("300.00"), cny("40.00"))];
        let tiered = effective(RewardForm::Tiers(tiers.clone()), None);
        assert_eq!(tiered.to_string(), "13.34%");
        // A `min_spend` above the first threshold is where that tier starts.
        let raised = effective(RewardForm::Tiers(tiers), Some("50.00"));
        assert_eq!(raised.to_string(), "13.34%");
        let raised = effective(
            RewardForm::Tiers(vec![(cny("100.00"), cny("30.00"))]),
            Some("200.00"),
        );
        assert_eq!(raised.to_string(), "15%");
        let every = RewardForm::Every {
            step: cny("300.00"),
            reward: cny("50.00"),
            cap: Some(cny("1000.00")),
        };
        assert_eq!(every.effective_rate(None, None).to_string(), "16.67%");
        // Price: (M − P) / M and c / (P + c), the smaller.
        let price = RewardForm::Price {
            price: cny("9.90"),
            cap: Some(cny("30.10")),
        };
        assert_eq!(price.effective_rate(None, None).to_string(), "75.25%");
        assert_eq!(
            price.effective_rate(None, Some(cny("19.80"))).to_string(),
            "50%"
        );
        assert_eq!(price.largest_single(Some(cny("19.80"))), Some(cny("9.90")));
        assert_eq!(price.largest_single(None), Some(cny("30.10")));
    }

    #[test]
    fn every_and_price_amounts() {
        let every = RewardForm::Every {
            step: cny("300.00"),
            reward: cny("50.00"),
            cap: Some(cny("1650.00")),
        };
        let amount = |form: &RewardForm, paid: &str| match form.reward_for(cny(paid), 0) {
            Some(FormReward::Pays { amount, .. }) => Some(amount.amount.to_string()),
            _ => None,
        };
        // The Double-11 incident: CNY 9,900 gets 33 × 50.
        assert_eq!(amount(&every, "9900.00").as_deref(), Some("1650.00"));
        assert_eq!(amount(&every, "10200.00").as_deref(), Some("1650.00"));
        assert_eq!(amount(&every, "599.99").as_deref(), Some("50.00"));
        assert_eq!(
            every.reward_for(cny("299.99"), 0),
            Some(FormReward::BelowStep {
                step: cny("300.00")
            })
        );
        let price = RewardForm::Price {
            price: cny("9.90"),
            cap: None,
        };
        assert_eq!(amount(&price, "32.00").as_deref(), Some("22.10"));
        assert_eq!(
            price.reward_for(cny("9.90"), 0),
            Some(FormReward::AtOrBelowPrice { price: cny("9.90") })
        );
    }

    /// The reward field's docs show how every form is written.
    #[test]
    fn every_form_is_documented() {
        for kind in RewardKind::VARIANTS {
            let syntax = kind.spec().syntax;
            assert!(FIELD_DOCS.contains(&format!("`{syntax}`")), "{syntax}");
        }
    }
}

//! The hot path's integer shortcuts, precomputed per campaign at load:
//! what a decision without explanations computes in whole minor units
//! instead of decimals, where that gives exactly the decimal the general
//! path gives (the same value and the same scale). Anything else (a
//! percent reward, an amount finer than the minor unit, an overflow)
//! falls back to the general path, so no decision changes; the debug
//! builds the tests run check each shortcut against it.

use super::*;

/// A campaign's precomputed shortcuts.
#[derive(Debug, Clone, Default)]
pub(super) struct Fast {
    /// The form's reward for a payment, when it can be found in integers.
    form: FastForm,
    /// The budget in minor units of the campaign's currency.
    pub(super) budget_minor: Option<u64>,
    /// The fund's `max_per_use` in minor units.
    max_per_use_minor: Option<u64>,
    /// The minor unit's scale of the campaign's currency.
    scale: u32,
    /// Per rollout stage, for a percentage: the buckets below this number
    /// are admitted (the share of [`BUCKETS`], rounded up: a whole bucket
    /// is below the share exactly when it is below that), computed once;
    /// `None` for a segment stage or when it overflows (the general path
    /// decides).
    below: Vec<Option<u64>>,
}

/// The reward forms whose amount needs no decimal arithmetic per payment.
#[derive(Debug, Clone, Default)]
enum FastForm {
    /// The general path: [`FormMeaning::reward_for`].
    #[default]
    General,
    /// A fixed amount: the reward, rounded as the general path rounds it,
    /// and in minor units.
    Fixed(Decimal, u64),
    /// Tiers: per tier, ascending, the threshold in minor units, the
    /// reward rounded and in minor units.
    Tiers(Vec<(u64, Decimal, u64)>),
    /// A random amount: the low end in minor units and the number of
    /// choices (`low + k` minor units, `k` the draw modulo the choices).
    Random { low: u64, choices: u64 },
    /// A percent: the rate as a fraction (computed once, not per payment)
    /// and the cap, multiplied and rounded as the general path does (in
    /// integers where the product is exact: [`percent_in_integers`]).
    Percent { fraction: Decimal, cap: Decimal },
}

/// A money amount rounded down to `scale` decimal places as the reward
/// forms round it ([`FormMeaning::reward_for`]), and in minor units.
fn rounded(amount: Decimal, scale: u32) -> Option<(Decimal, u64)> {
    let rounded = amount.round_dp_with_strategy(scale, rust_decimal::RoundingStrategy::ToZero);
    stacking::minor_units(rounded, scale).map(|minor| (rounded, minor))
}

impl Fast {
    pub(super) fn new(campaign: &Campaign, form: &FormMeaning, max_per_use: Option<Money>) -> Fast {
        let currency = campaign.currency.0;
        let scale = Money::scale(currency);
        let form = match form {
            FormMeaning::Fixed(amount) => rounded(amount.amount, scale)
                .map_or(FastForm::General, |(reward, minor)| {
                    FastForm::Fixed(reward, minor)
                }),
            FormMeaning::Tiers(tiers) => tiers
                .iter()
                .map(|(spend, reward)| {
                    let spend = stacking::minor_units(spend.amount, scale)?;
                    let (reward, minor) = rounded(reward.amount, scale)?;
                    Some((spend, reward, minor))
                })
                .collect::<Option<Vec<_>>>()
                .filter(|tiers| !tiers.is_empty())
                .map_or(FastForm::General, FastForm::Tiers),
            FormMeaning::Random { low, high } => {
                match (
                    stacking::minor_units(low.amount, scale),
                    stacking::minor_units(high.amount, scale),
                ) {
                    (Some(low), Some(high)) if high >= low => high
                        .checked_sub(low)
                        .and_then(|span| span.checked_add(1))
                        .map_or(FastForm::General, |choices| FastForm::Random {
                            low,
                            choices,
                        }),
                    _ => FastForm::General,
                }
            }
            FormMeaning::Percent { rate, cap } => FastForm::Percent {
                fraction: rate.fraction(),
                cap: cap.amount,
            },
            FormMeaning::Every { .. } | FormMeaning::Price { .. } => FastForm::General,
        };
        Fast {
            form,
            budget_minor: stacking::minor_units(campaign.budget.amount, scale),
            max_per_use_minor: max_per_use
                .and_then(|money| stacking::minor_units(money.amount, scale)),
            scale,
            below: campaign
                .rollout
                .iter()
                .flat_map(|stages| stages.as_slice())
                .map(|stage| match &stage.target {
                    StageTarget::Segment { .. } => None,
                    StageTarget::Percent { share } => share
                        .fraction()
                        .checked_mul(Decimal::from(BUCKETS))
                        .and_then(|threshold| u64::try_from(threshold.ceil()).ok()),
                })
                .collect(),
        }
    }
}

/// A percent reward in integers: `amount × fraction`, or the cap when
/// that is above it, rounded toward zero to `scale` places (kept when it
/// has fewer), as the decimal path gives it (the same value and the same
/// scale), and in minor units; `None` when the product would not be exact
/// in a decimal (the decimal path then decides).
fn percent_in_integers(
    amount: Decimal,
    fraction: Decimal,
    cap: Decimal,
    scale: u32,
) -> Option<(Decimal, u64)> {
    if amount.is_sign_negative() || fraction.is_sign_negative() || cap.is_sign_negative() {
        return None;
    }
    let exact_scale = amount.scale().checked_add(fraction.scale())?;
    if exact_scale > 28 || cap.scale() > scale {
        return None;
    }
    let product = u128::try_from(amount.mantissa())
        .ok()?
        .checked_mul(u128::try_from(fraction.mantissa()).ok()?)?;
    // Above 96 bits a decimal product is reduced: the decimal path decides.
    if product >= 1 << 96 {
        return None;
    }
    let ten = |power: u32| 10_u128.checked_pow(power);
    let common = exact_scale.max(cap.scale());
    let exact_at = product.checked_mul(ten(common - exact_scale)?)?;
    let cap_at = u128::try_from(cap.mantissa())
        .ok()?
        .checked_mul(ten(common - cap.scale())?)?;
    if exact_at > cap_at {
        // The cap as it is: no finer than the minor unit, so not rounded.
        return Some((cap, stacking::minor_units(cap, scale)?));
    }
    let (mantissa, kept) = if exact_scale > scale {
        (product / ten(exact_scale - scale)?, scale)
    } else {
        (product, exact_scale)
    };
    let value = Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, kept).ok()?;
    let minor = u64::try_from(mantissa.checked_mul(ten(scale - kept)?)?).ok()?;
    Some((value, minor))
}

impl Fast {
    pub(super) fn scale(&self) -> u32 {
        self.scale
    }

    /// Whether the percentage stage at `stage` admits a user, without an
    /// explanation: every bucket when the share covers all of them (no
    /// hash), otherwise the user's bucket compared in integers; `None`
    /// when the general path must decide.
    pub(super) fn admits(&self, stage: usize, bucket: impl FnOnce() -> u64) -> Option<bool> {
        let below = (*self.below.get(stage)?)?;
        Some(below >= BUCKETS || bucket() < below)
    }
}

impl Live {
    /// Step 2 without an explanation, in integers: the reward
    /// [`Live::reward`] gives (the same decimal, scale included), or
    /// `None` when the shortcut does not apply and the general path must
    /// compute it. `minor`: the payment's amount in minor units.
    pub(super) fn fast_reward(&self, payment: &Payment, minor: Option<u64>) -> Option<Money> {
        let paid = minor?;
        let currency = payment.amount.currency;
        let scale = self.fast.scale;
        let (amount, amount_minor) = match &self.fast.form {
            FastForm::General => return None,
            FastForm::Fixed(amount, amount_minor) => (*amount, *amount_minor),
            FastForm::Tiers(tiers) => {
                let (_, amount, amount_minor) =
                    tiers.iter().rev().find(|(spend, _, _)| *spend <= paid)?;
                (*amount, *amount_minor)
            }
            FastForm::Random { low, choices } => {
                let draw = first_u64(&[self.campaign.id.as_str(), &payment.id]);
                let amount_minor = low.checked_add(draw.checked_rem(*choices)?)?;
                let amount =
                    Decimal::try_from_i128_with_scale(i128::from(amount_minor), scale).ok()?;
                (amount, amount_minor)
            }
            FastForm::Percent { fraction, cap } => {
                match percent_in_integers(payment.amount.amount, *fraction, *cap, scale) {
                    Some(found) => found,
                    None => {
                        let exact = payment.amount.amount.checked_mul(*fraction)?;
                        let amount = exact
                            .min(*cap)
                            .round_dp_with_strategy(scale, rust_decimal::RoundingStrategy::ToZero);
                        (amount, stacking::minor_units(amount, scale)?)
                    }
                }
            }
        };
        // At most the payment, then at most the fund's `max_per_use`, as
        // the general path cuts it (the same decimals are kept).
        let (mut reward, mut reward_minor) = (amount, amount_minor);
        if reward_minor > paid {
            reward = payment.amount.amount;
            reward_minor = paid;
        }
        match (self.max_per_use, self.fast.max_per_use_minor) {
            (Some(max), Some(max_minor)) if reward_minor > max_minor => reward = max.amount,
            (Some(_), None) => return None,
            (Some(_), Some(_)) | (None, _) => {}
        }
        Some(Money::new(reward, currency))
    }

    /// Whether the budget fits `reward` more, in minor units; `None` when
    /// an amount is not a whole number of them (the general path decides).
    pub(super) fn fast_budget(&self, reward: Money) -> Option<bool> {
        let scale = self.fast.scale;
        let budget = self.fast.budget_minor?;
        let spent = self.state.spent_minor?;
        let reward = stacking::minor_units(reward.amount, scale)?;
        Some(
            spent
                .checked_add(reward)
                .is_some_and(|total| total <= budget),
        )
    }
}

//! Exact money and rates: amounts in one currency at most at its minor unit,
//! rates as percent numbers, and the effective rate a reward takes of a
//! payment. Checked decimal arithmetic only; rounding is always explicit.

use std::fmt;

use iso_currency::Currency;
use rust_decimal::Decimal;

/// An exact amount in one currency, at most the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn minor_unit(currency: Currency) -> u32 {
        u32::from(currency.exponent().unwrap_or(0))
    }

    /// The amount at exactly the currency's scale (`2000.00` for CNY).
    pub fn scaled_amount(&self) -> Decimal {
        let mut amount = self.amount;
        amount.rescale(Money::minor_unit(self.currency));
        amount
    }

    pub fn code(&self) -> &'static str {
        self.currency.code()
    }
}

impl fmt::Display for Money {
    /// `CNY 2_000.00`, the way an author writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.code(),
            group_digits(&self.scaled_amount().to_string())
        )
    }
}

/// Inserts `_` every three digits of the integer part: `2000.00` → `2_000.00`.
pub fn group_digits(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (integer, fraction) = match rest.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (rest, None),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = integer.chars().collect();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('_');
        }
        grouped.push(*digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A rate as its percent number: `15%` is `Rate(15)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub Decimal);

impl Rate {
    /// The rate as a fraction: `15%` → `0.15`. Exactly the rate over a
    /// hundred, normalized: two more decimal places when they fit (no
    /// division, the evaluator asks for it once per payment and campaign),
    /// otherwise the division.
    pub fn fraction(self) -> Decimal {
        let scale = self.0.scale().saturating_add(2);
        if scale <= Decimal::MAX_SCALE {
            let mut fraction = self.0;
            if fraction.set_scale(scale).is_ok() {
                return fraction.normalize();
            }
        }
        (self.0 / Decimal::ONE_HUNDRED).normalize()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

/// The largest fraction of one payment a reward can take, over every
/// amount it applies to (the brief's "effective rate"): exactly
/// `reward / spend`, never above 100% (a reward is never more than the
/// payment). Comparisons are exact; [`EffectiveRate::fraction`] and the
/// display round up, so a rate is never shown below what it is.
#[derive(Debug, Clone, Copy)]
pub struct EffectiveRate {
    reward: Decimal,
    spend: Decimal,
}

/// Decimal places of [`EffectiveRate::fraction`] (the IR's `effective_rate`).
pub const EFFECTIVE_RATE_DECIMALS: u32 = 10;

impl EffectiveRate {
    /// All of the payment: a fixed or random amount with no `min_spend`.
    pub const FULL: EffectiveRate = EffectiveRate {
        reward: Decimal::ONE,
        spend: Decimal::ONE,
    };

    /// `reward` out of a payment of `spend`; 100% when `reward` is at
    /// least `spend` or `spend` is not above zero.
    pub fn new(reward: Decimal, spend: Decimal) -> EffectiveRate {
        if spend <= Decimal::ZERO || reward >= spend {
            EffectiveRate::FULL
        } else {
            EffectiveRate {
                reward: reward.max(Decimal::ZERO),
                spend,
            }
        }
    }

    /// A percentage reward's own rate.
    pub fn of_rate(rate: Rate) -> EffectiveRate {
        EffectiveRate::new(rate.0, Decimal::ONE_HUNDRED)
    }

    /// A fixed amount (or a random maximum) paid from `min_spend` up.
    pub fn of_amount(amount: Money, min_spend: Option<Money>) -> EffectiveRate {
        match min_spend {
            Some(min_spend) => EffectiveRate::new(amount.amount, min_spend.amount),
            None => EffectiveRate::FULL,
        }
    }

    /// Whether this rate is above `max`, exactly.
    pub fn exceeds(self, max: Rate) -> bool {
        // reward / spend > max / 100  ⇔  reward × 100 > spend × max
        match (
            self.reward.checked_mul(Decimal::ONE_HUNDRED),
            self.spend.checked_mul(max.0),
        ) {
            (Some(left), Some(right)) => left > right,
            _ => self.exact_fraction() > max.fraction(),
        }
    }

    /// The rate as a fraction rounded up to [`EFFECTIVE_RATE_DECIMALS`]
    /// places: exact for every rate that has that many decimals or fewer
    /// (`15%` is `0.15`), and never below the true rate (`1/3` is
    /// `0.3333333334`). Always in (0, 1] for a reward above zero.
    pub fn fraction(self) -> Decimal {
        ceil_div(self.reward, self.spend, EFFECTIVE_RATE_DECIMALS)
            .unwrap_or_else(|| self.exact_fraction())
            .normalize()
    }

    /// The rate as a percentage, rounded up as [`EffectiveRate::fraction`]:
    /// what the stacking rule adds up.
    pub fn as_rate(self) -> Rate {
        Rate(
            self.fraction()
                .checked_mul(Decimal::ONE_HUNDRED)
                .unwrap_or(Decimal::ONE_HUNDRED)
                .normalize(),
        )
    }

    /// Whether this is all of a payment.
    pub fn is_full(self) -> bool {
        self.reward >= self.spend
    }

    fn exact_fraction(self) -> Decimal {
        self.reward
            .checked_div(self.spend)
            .unwrap_or(Decimal::ONE)
            .min(Decimal::ONE)
    }
}

impl PartialEq for EffectiveRate {
    fn eq(&self, other: &EffectiveRate) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for EffectiveRate {}

impl PartialOrd for EffectiveRate {
    fn partial_cmp(&self, other: &EffectiveRate) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EffectiveRate {
    /// Exact: `a / b` against `c / d` as `a × d` against `c × b`.
    fn cmp(&self, other: &EffectiveRate) -> std::cmp::Ordering {
        match (
            self.reward.checked_mul(other.spend),
            other.reward.checked_mul(self.spend),
        ) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => self.exact_fraction().cmp(&other.exact_fraction()),
        }
    }
}

impl fmt::Display for EffectiveRate {
    /// As a percentage: exact when it has at most four decimals (`95%`,
    /// `12.345%`), otherwise rounded up to two (`33.34%` for 1/3), so that
    /// a rate above a maximum never reads as equal to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = self
            .reward
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|numerator| match divide(numerator, self.spend, 4)? {
                (quotient, true) => Some(quotient),
                (_, false) => ceil_div(numerator, self.spend, 2),
            });
        match percent {
            Some(percent) => write!(f, "{}%", percent.normalize()),
            None => write!(f, "{}", self.as_rate()),
        }
    }
}

/// `numerator / denominator` truncated to `decimals` places, exactly, and
/// whether nothing was cut off. `None` for a denominator not above zero, a
/// negative numerator, or on overflow.
fn divide(numerator: Decimal, denominator: Decimal, decimals: u32) -> Option<(Decimal, bool)> {
    if denominator <= Decimal::ZERO || numerator < Decimal::ZERO {
        return None;
    }
    let scale = Decimal::try_from_i128_with_scale(10_i128.checked_pow(decimals)?, 0).ok()?;
    let scaled = numerator.checked_mul(scale)?;
    // The integer part of the quotient, corrected for the division's own
    // rounding at 28 significant digits.
    let mut quotient = scaled.checked_div(denominator)?.trunc();
    while quotient.checked_mul(denominator)? > scaled {
        quotient = quotient.checked_sub(Decimal::ONE)?;
    }
    while quotient
        .checked_add(Decimal::ONE)?
        .checked_mul(denominator)?
        <= scaled
    {
        quotient = quotient.checked_add(Decimal::ONE)?;
    }
    let exact = quotient.checked_mul(denominator)? == scaled;
    Some((quotient.checked_div(scale)?, exact))
}

/// `numerator / denominator` rounded up to `decimals` places, exactly.
pub fn ceil_div(numerator: Decimal, denominator: Decimal, decimals: u32) -> Option<Decimal> {
    let (quotient, exact) = divide(numerator, denominator, decimals)?;
    if exact {
        return Some(quotient);
    }
    quotient.checked_add(Decimal::try_new(1, decimals).ok()?)
}

/// `numerator / denominator` rounded down to `decimals` places, exactly.
pub fn floor_div(numerator: Decimal, denominator: Decimal, decimals: u32) -> Option<Decimal> {
    divide(numerator, denominator, decimals).map(|(quotient, _)| quotient)
}

/// The smallest payment of which `amount` is at most `max`, rounded up to
/// the currency's minor unit: the `min_spend` that keeps a fixed amount
/// within a maximum rate.
pub fn smallest_spend_within(amount: Money, max: Rate) -> Option<Money> {
    let numerator = amount.amount.checked_mul(Decimal::ONE_HUNDRED)?;
    ceil_div(numerator, max.0, Money::minor_unit(amount.currency)).map(|spend| Money {
        amount: spend,
        currency: amount.currency,
    })
}

/// The largest amount that is at most `max` of `spend`, rounded down to
/// the currency's minor unit; `None` when that is nothing.
pub fn largest_amount_within(spend: Money, max: Rate) -> Option<Money> {
    let numerator = spend.amount.checked_mul(max.0)?;
    floor_div(
        numerator,
        Decimal::ONE_HUNDRED,
        Money::minor_unit(spend.currency),
    )
    .filter(|amount| *amount > Decimal::ZERO)
    .map(|amount| Money {
        amount,
        currency: spend.currency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(text: &str) -> Money {
        Money {
            amount: text.parse().unwrap_or_default(),
            currency: Currency::CNY,
        }
    }

    fn rate(text: &str) -> Rate {
        Rate(text.parse().unwrap_or_default())
    }

    #[test]
    fn a_rate_as_a_fraction_is_the_rate_over_a_hundred() {
        for text in [
            "0",
            "1",
            "15",
            "12.5",
            "100",
            "0.01",
            "7.25",
            "33.333",
            "99.9999",
            "150",
            "0.0000000000000000000000001",
            "1.0000000000000000000000000001",
        ] {
            let rate = rate(text);
            let divided = (rate.0 / Decimal::ONE_HUNDRED).normalize();
            let fraction = rate.fraction();
            assert_eq!(fraction, divided, "{text}");
            // The same digits and scale, not only the same value.
            assert_eq!(fraction.to_string(), divided.to_string(), "{text}");
        }
        assert_eq!(rate("15").fraction().to_string(), "0.15");
    }

    #[test]
    fn money_displays_at_the_currency_scale_with_grouping() {
        let money = Money {
            amount: Decimal::new(2000, 0),
            currency: Currency::CNY,
        };
        assert_eq!(money.to_string(), "CNY 2_000.00");
        let yen = Money {
            amount: Decimal::new(1234567, 0),
            currency: Currency::JPY,
        };
        assert_eq!(yen.to_string(), "JPY 1_234_567");
    }

    #[test]
    fn a_third_is_compared_exactly_and_shown_rounded_up() {
        let third = EffectiveRate::new(Decimal::ONE, Decimal::from(3));
        assert_eq!(third.to_string(), "33.34%");
        assert_eq!(third.fraction(), "0.3333333334".parse().unwrap_or_default());
        assert!(third.exceeds(rate("33.33")));
        assert!(!third.exceeds(rate("33.34")));
        let exactly = EffectiveRate::new(Decimal::from(20), Decimal::from(100));
        assert!(!exactly.exceeds(rate("20")));
        assert!(exactly < third);
        assert_eq!(exactly, EffectiveRate::of_rate(rate("20")));
        assert_eq!(exactly.as_rate(), rate("20"));
    }

    #[test]
    fn what_keeps_an_amount_within_a_rate() {
        // X / max, rounded up; min_spend × max, rounded down.
        assert_eq!(
            smallest_spend_within(cny("2000.00"), rate("20")),
            Some(cny("10000.00"))
        );
        assert_eq!(
            smallest_spend_within(cny("19.00"), rate("30")),
            Some(cny("63.34"))
        );
        assert_eq!(
            largest_amount_within(cny("33.33"), rate("30")),
            Some(cny("9.99"))
        );
        assert_eq!(largest_amount_within(cny("0.01"), rate("20")), None);
        assert_eq!(ceil_div(Decimal::ONE, Decimal::ZERO, 2), None);
        assert_eq!(
            floor_div(Decimal::from(2), Decimal::from(3), 2),
            Some("0.66".parse().unwrap_or_default())
        );
    }
}

//! Generated packages and payment streams, for the property and
//! differential tests: small Camp sources made from templates (random
//! amounts, rates, tiers, limits, budgets, windows in several zones, CNY
//! and HKD, guards, rollouts, stacking), and streams of payments over a few
//! users, devices and ips around the windows, with replays and conflicting
//! replays.

use std::fmt::Write as _;

use camp_eval::Payment;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The schema every generated package is compiled beside.
pub const SCHEMA: &str = include_str!("../schema.camp");

// ------------------------------------------------------------------ packages

#[derive(Debug, Clone)]
pub enum Form {
    Fixed(u32),
    Percent {
        percent: u32,
        cap: u32,
    },
    Tiers {
        spend: (u32, u32),
        reward: (u32, u32),
    },
    Random {
        low: u32,
        high: u32,
    },
}

#[derive(Debug, Clone)]
pub struct Spec {
    /// `HKD` rather than `CNY`: every amount of the campaign is in it.
    pub hkd: bool,
    pub form: Form,
    pub min_spend: Option<u32>,
    pub scenes: bool,
    pub categories: bool,
    pub zone: &'static str,
    pub days: u32,
    pub budget: u32,
    pub limits: Vec<usize>,
    pub guard: Option<usize>,
    pub rollout: Option<usize>,
    pub stacks: bool,
    /// `regions: [shanghai]` (`Some(true)`) or `[shanghai, beijing]`.
    pub regions: Option<bool>,
    /// `segments: [verified]`.
    pub segments: bool,
    /// In the fund `goods` (categories `groceries` and `home_appliance`)
    /// rather than `marketing` (any category).
    pub goods: bool,
}

/// `CNY` and cents.
pub fn cny(cents: u32) -> String {
    format!("CNY {}.{:02}", cents / 100, cents % 100)
}

/// `CNY` or `HKD`, and cents.
fn money(hkd: bool, cents: u32) -> String {
    format!(
        "{} {}.{:02}",
        if hkd { "HKD" } else { "CNY" },
        cents / 100,
        cents % 100
    )
}

pub const ZONES: [&str; 4] = ["UTC", "Asia/Shanghai", "+05:30", "America/New_York"];

/// The limit lines a campaign may have (index into this list).
pub const LIMITS: [&str; 10] = [
    "limit: 2 per user",
    "limit: 3 per user per day",
    "limit: CNY 20.00 per user per week",
    "limit: 5 per hour",
    "limit: CNY 30.00 per day",
    "limit: 2 per device",
    "limit: 1 per ip per hour",
    "limit: 4 per merchant",
    "limit: 3 per region per day",
    "limit: CNY 12.34 per user per hour",
];

pub const GUARDS: [&str; 2] = [
    "guard: halt when spend > CNY 25.00 per 1min",
    "guard: halt when redemptions > 2 per 10s",
];

pub const ROLLOUTS: [&str; 2] = [
    "rollout {\n    stage segment qa_accounts for 2h\n    stage 40% for 6h\n    stage 100%\n  }",
    "rollout {\n    stage 25% for 1d\n    stage 100%\n  }",
];

/// Cents, at most the fund's `max_per_use` (CNY 50.00).
pub fn reward_cents() -> impl Strategy<Value = u32> {
    prop_oneof![1_u32..=5_000, Just(1_u32), Just(5_000_u32), 100_u32..=1_000]
}

pub fn form() -> impl Strategy<Value = Form> {
    prop_oneof![
        reward_cents().prop_map(Form::Fixed),
        (1_u32..=100, reward_cents()).prop_map(|(percent, cap)| Form::Percent { percent, cap }),
        (reward_cents(), 1_u32..=5_000, 1_u32..=20_000, 1_u32..=5_000).prop_map(
            |(first_reward, first_gap, second_gap, second_reward)| {
                let first_spend = first_reward + first_gap;
                Form::Tiers {
                    spend: (first_spend, first_spend + second_gap),
                    reward: (
                        first_reward,
                        second_reward.min(first_spend + second_gap - 1),
                    ),
                }
            }
        ),
        (1_u32..=4_999, 1_u32..=5_000).prop_map(|(low, gap)| Form::Random {
            low,
            high: (low + gap).min(5_000).max(low + 1),
        }),
    ]
}

pub fn spec() -> impl Strategy<Value = Spec> {
    (
        form(),
        proptest::option::weighted(
            0.4,
            prop_oneof![1_u32..=20_000, (1_u32..=200).prop_map(|yuan| yuan * 100)],
        ),
        any::<bool>(),
        any::<bool>(),
        0..ZONES.len(),
        1_u32..=4,
        prop_oneof![100_u32..=50_000, 1_u32..=2_000],
        proptest::collection::btree_set(0..LIMITS.len(), 0..=3),
        proptest::option::weighted(0.3, 0..GUARDS.len()),
        proptest::option::weighted(0.3, 0..ROLLOUTS.len()),
        any::<bool>(),
    )
        .prop_flat_map(|spec| {
            (
                Just(spec),
                proptest::bool::weighted(0.2),
                proptest::option::weighted(0.3, 1_u32..=6),
                (
                    proptest::option::weighted(0.3, any::<bool>()),
                    proptest::bool::weighted(0.15),
                    proptest::bool::weighted(0.25),
                ),
            )
        })
        .prop_map(
            |(
                (
                    form,
                    min_spend,
                    scenes,
                    categories,
                    zone,
                    days,
                    budget,
                    limits,
                    guard,
                    rollout,
                    stacks,
                ),
                hkd,
                rewards_in_budget,
                (regions, segments, goods),
            )| Spec {
                hkd,
                // Sometimes a budget of exactly k fixed rewards, so that
                // the payment that fills it and the one after come up.
                budget: match (&form, rewards_in_budget) {
                    (Form::Fixed(amount), Some(k)) => amount.saturating_mul(k),
                    _ => budget,
                },
                form,
                min_spend,
                scenes,
                categories,
                zone: ZONES[zone],
                days,
                limits: limits.into_iter().collect(),
                guard,
                rollout,
                stacks,
                regions,
                segments,
                goods,
            },
        )
}

/// The package's campaigns, `c0`, `c1`, …: those with `stacks` set stack
/// with each other when there are at least two of them in one currency.
pub fn source(specs: &[Spec]) -> String {
    let stacking: Vec<(String, bool)> = specs
        .iter()
        .enumerate()
        .filter(|(_, spec)| spec.stacks)
        .map(|(index, spec)| (format!("c{index}"), spec.hkd))
        .collect();
    let mut text = String::new();
    if specs.iter().any(|spec| spec.goods) {
        text.push_str(
            "fund goods {\n  payer: platform\n  scenes: [merchant_purchase, online_purchase]\n  categories: [groceries, home_appliance]\n  max_per_use: CNY 50.00, HKD 60.00\n}\n\n",
        );
    }
    for (index, spec) in specs.iter().enumerate() {
        let cny = |cents: u32| money(spec.hkd, cents);
        let reward = match &spec.form {
            Form::Fixed(amount) => format!("{} off", cny(*amount)),
            Form::Percent { percent, cap } => format!("{percent}% off, cap {}", cny(*cap)),
            Form::Tiers { spend, reward } => format!(
                "tiers {{ spend {} => {} off; spend {} => {} off }}",
                cny(spend.0),
                cny(reward.0),
                cny(spend.1),
                cny(reward.1)
            ),
            Form::Random { low, high } => format!("random {} to {} off", cny(*low), cny(*high)),
        };
        let reward = match spec.min_spend {
            Some(min_spend) => format!("{reward}, min_spend {}", cny(min_spend)),
            None => reward,
        };
        writeln!(text, "campaign c{index} {{").unwrap();
        writeln!(
            text,
            "  title: \"generated\"\n  owner: \"props\"\n  fund: {}",
            if spec.goods { "goods" } else { "marketing" }
        )
        .unwrap();
        if spec.scenes {
            writeln!(text, "  scenes: [merchant_purchase, online_purchase]").unwrap();
        } else {
            writeln!(text, "  scenes: [online_purchase]").unwrap();
        }
        if spec.categories {
            writeln!(text, "  categories: [groceries]").unwrap();
        } else if spec.goods {
            // A fund restricted to categories needs a campaign restricted
            // to some of them.
            writeln!(text, "  categories: [groceries, home_appliance]").unwrap();
        }
        match spec.regions {
            None => {}
            Some(true) => writeln!(text, "  regions: [shanghai]").unwrap(),
            Some(false) => writeln!(text, "  regions: [shanghai, beijing]").unwrap(),
        }
        if spec.segments {
            writeln!(text, "  segments: [verified]").unwrap();
        }
        writeln!(
            text,
            "  window: 2025-03-08 00:00 to 2025-03-{:02} 00:00 {}",
            8 + spec.days,
            spec.zone
        )
        .unwrap();
        writeln!(text, "  reward: {reward}\n  budget: {}", cny(spec.budget)).unwrap();
        for limit in &spec.limits {
            let limit = LIMITS[*limit];
            let limit = if spec.hkd {
                limit.replace("CNY", "HKD")
            } else {
                limit.to_string()
            };
            writeln!(text, "  {limit}").unwrap();
        }
        if let Some(guard) = spec.guard {
            let guard = GUARDS[guard];
            let guard = if spec.hkd {
                guard.replace("CNY", "HKD")
            } else {
                guard.to_string()
            };
            writeln!(text, "  {guard}").unwrap();
        }
        if let Some(rollout) = spec.rollout {
            writeln!(text, "  {}", ROLLOUTS[rollout]).unwrap();
        }
        let me = format!("c{index}");
        let partners: Vec<&str> = stacking
            .iter()
            .filter(|(other, hkd)| *other != me && *hkd == spec.hkd)
            .map(|(other, _)| other.as_str())
            .collect();
        if spec.stacks && !partners.is_empty() {
            writeln!(text, "  stacking: stacks_with [{}]", partners.join(", ")).unwrap();
        }
        writeln!(text, "}}\n").unwrap();
    }
    text
}

// ------------------------------------------------------------------ payments

#[derive(Debug, Clone)]
pub enum Step {
    Pay(PaySpec),
    /// Replays the payment `n` steps back (modulo), unchanged.
    Replay(usize),
    /// Replays it with another amount: a conflicting replay.
    Conflict(usize),
}

#[derive(Debug, Clone)]
pub struct PaySpec {
    pub cents: u32,
    /// Seconds after 2025-03-07T12:00:00Z.
    pub seconds: u32,
    pub online: bool,
    pub category: Option<bool>,
    pub region: Option<bool>,
    pub user: Option<u8>,
    pub device: Option<u8>,
    pub ip: Option<u8>,
    pub merchant: Option<u8>,
    pub segments: (bool, bool),
    /// In `HKD` rather than `CNY`.
    pub hkd: bool,
}

pub fn pay_spec() -> impl Strategy<Value = PaySpec> {
    (
        // Some amounts on the grid of whole yuan that `min_spend` also
        // uses, so that a payment equal to a campaign's `min_spend` comes up.
        prop_oneof![
            1_u32..=30_000,
            1_u32..=500,
            Just(5_000_u32),
            (1_u32..=200).prop_map(|yuan| yuan * 100)
        ],
        // Spread over the days around the windows, or in bursts a few
        // seconds apart (guards, hourly limits).
        prop_oneof![
            3 => 0_u32..(6 * 86_400),
            1 => (0_u32..4, 0_u32..30).prop_map(|(day, k)| 86_400 * (day + 1) + 43_200 + 2 * k),
        ],
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::weighted(0.9, 0_u8..4),
        proptest::option::weighted(0.8, 0_u8..3),
        proptest::option::weighted(0.8, 0_u8..2),
        proptest::option::weighted(0.8, 0_u8..2),
        (any::<bool>(), any::<bool>(), proptest::bool::weighted(0.2)),
    )
        .prop_map(
            |(
                cents,
                seconds,
                online,
                category,
                region,
                user,
                device,
                ip,
                merchant,
                (first, second, hkd),
            )| {
                PaySpec {
                    hkd,
                    segments: (first, second),
                    cents,
                    seconds,
                    online,
                    category,
                    region,
                    user,
                    device,
                    ip,
                    merchant,
                }
            },
        )
}

pub fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            8 => pay_spec().prop_map(Step::Pay),
            1 => (1_usize..10).prop_map(Step::Replay),
            1 => (1_usize..10).prop_map(Step::Conflict),
        ],
        1..80,
    )
    .prop_map(|mut steps| {
        // Time moves forward within a stream, with bursts at one instant.
        let mut seconds: Vec<u32> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Pay(pay) => Some(pay.seconds),
                Step::Replay(_) | Step::Conflict(_) => None,
            })
            .collect();
        seconds.sort_unstable();
        let mut sorted = seconds.into_iter();
        for step in &mut steps {
            if let Step::Pay(pay) = step {
                pay.seconds = sorted.next().unwrap();
            }
        }
        steps
    })
}

pub fn payment(number: usize, pay: &PaySpec) -> Payment {
    let instant = jiff::Timestamp::from_second(
        "2025-03-07T12:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
            + i64::from(pay.seconds),
    )
    .unwrap();
    let mut payment = Payment::new(
        format!("pay-{number}"),
        super::money(&money(pay.hkd, pay.cents)),
        camp_core::ir::types::Instant(instant),
        super::id(if pay.online {
            "online_purchase"
        } else {
            "merchant_purchase"
        }),
    );
    payment.category = pay.category.map(|groceries| {
        super::id(if groceries {
            "groceries"
        } else {
            "home_appliance"
        })
    });
    payment.region = pay
        .region
        .map(|shanghai| super::id(if shanghai { "shanghai" } else { "beijing" }));
    payment.user = pay.user.map(|user| format!("user{user}"));
    payment.device = pay.device.map(|device| format!("device{device}"));
    payment.ip = pay.ip.map(|ip| format!("10.0.0.{ip}"));
    payment.merchant = pay.merchant.map(|merchant| format!("merchant{merchant}"));
    if pay.segments.0 {
        payment.segments.insert(super::id("qa_accounts"));
    }
    if pay.segments.1 {
        payment.segments.insert(super::id("verified"));
    }
    payment
}

/// The payments of a stream, replays included.
pub fn stream(steps: &[Step]) -> Vec<Payment> {
    let mut payments: Vec<Payment> = Vec::new();
    for (number, step) in steps.iter().enumerate() {
        match step {
            Step::Pay(pay) => payments.push(payment(number, pay)),
            Step::Replay(back) | Step::Conflict(back) if !payments.is_empty() => {
                let mut replayed =
                    payments[payments.len() - 1 - (back - 1) % payments.len()].clone();
                if let Step::Conflict(_) = step {
                    replayed.amount.amount += Decimal::new(1, 2);
                }
                payments.push(replayed);
            }
            Step::Replay(_) | Step::Conflict(_) => {}
        }
    }
    payments
}

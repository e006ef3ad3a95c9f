//! Generated packages and payment streams, for the property and
//! differential tests: small Camp sources made from templates (random
//! amounts, rates, tiers, limits, budgets, windows in several zones, CNY
//! and HKD, guards, rollouts, stacking, pools shared by several campaigns),
//! and streams of payments over a few
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
    /// `every step => reward off[, cap]`: without a cap the fund's
    /// `max_per_use` bounds it.
    Every {
        step: u32,
        reward: u32,
        cap: Option<u32>,
    },
    /// `price P[, cap]`: without a cap the spec's `max_spend` is set.
    Price {
        price: u32,
        cap: Option<u32>,
    },
}

#[derive(Debug, Clone)]
pub struct Spec {
    /// `HKD` rather than `CNY`: every amount of the campaign is in it.
    pub hkd: bool,
    pub form: Form,
    pub min_spend: Option<u32>,
    /// At least `min_spend`; above a price.
    pub max_spend: Option<u32>,
    pub scenes: bool,
    pub categories: bool,
    pub zone: &'static str,
    pub days: u32,
    pub budget: u32,
    pub limits: Vec<usize>,
    pub guard: Option<usize>,
    pub rollout: Option<usize>,
    pub stacks: bool,
    /// (v2) `merchants: [mall]`, paid from `mall_marketing` (whose
    /// contract lists `mall`) rather than `marketing`.
    pub merchants: bool,
    /// (v2) `instruments: [pearl_card]`.
    pub instruments: bool,
    pub schedule: Option<usize>,
    /// (v2) The pool (index into [`POOLS`]) it draws from.
    pub pool: Option<usize>,
    /// Credited later (`back`, `credit: …`) rather than off at payment;
    /// never for a price, which has no verb.
    pub back: bool,
    /// `regions: [shanghai]` (`Some(true)`) or `[shanghai, beijing]`.
    pub regions: Option<bool>,
    /// `segments: [verified]`.
    pub segments: bool,
    /// In the fund `goods` (categories `groceries` and `home_appliance`)
    /// rather than `marketing` (any category); never with `merchants`
    /// (a campaign has one fund).
    pub goods: bool,
    /// (v2) A claim block: only users holding a claimed coupon are paid.
    pub claim: Option<ClaimSpec>,
}

/// (v2) A generated claim block: a small inventory (so that streams run
/// it out), coupons per user, a validity in hours (or none: until the
/// window's end) and a claim window overlapping the campaign's.
#[derive(Debug, Clone)]
pub struct ClaimSpec {
    pub inventory: u32,
    pub per_user: u32,
    pub valid_for_hours: Option<u32>,
    /// The claim window: from 2025-03-28 12:00 plus `start` hours (0 or
    /// 18), for `hours` hours (13 to 72), so it always overlaps the
    /// campaign's window, which starts 2025-03-29 00:00 and lasts a day or
    /// more. `None`: the campaign's window.
    pub window: Option<(u32, u32)>,
}

pub fn claim_spec() -> impl Strategy<Value = ClaimSpec> {
    (
        1_u32..=4,
        1_u32..=2,
        proptest::option::weighted(0.7, 1_u32..=48),
        proptest::option::weighted(0.5, (prop_oneof![Just(0_u32), Just(18_u32)], 13_u32..=72)),
    )
        .prop_map(|(inventory, per_user, valid_for_hours, window)| ClaimSpec {
            inventory,
            per_user: per_user.min(inventory),
            valid_for_hours,
            window,
        })
}

/// (v2) The pools every generated package declares (of fund `marketing`,
/// budgets in CNY and HKD), small enough that streams run them out.
pub const POOLS: [&str; 2] = [
    "pool p0 {\n  fund: marketing\n  budget: CNY 40.00, HKD 55.55\n}\n",
    "pool p1 {\n  fund: marketing\n  budget: CNY 123.45, HKD 20.00\n}\n",
];

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
pub const LIMITS: [&str; 17] = [
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
    "limit: CNY 15.00 per card",
    "limit: 2 per card per day",
    "limit: 1 per user per category",
    "limit: CNY 25.00 per user per month",
    "limit: 6 total",
    "limit: 2 per category per day",
    "limit: 2 per user per merchant per day",
];

/// The schedules a campaign may have (index into this list). Every one
/// holds part of the first day of every generated window (a Saturday), so
/// none is empty.
pub const SCHEDULES: [&str; 4] = [
    "days: [sat, mon, tue]",
    "hours: 10:00 to 12:00\n  hours: 20:00 to 24:00",
    "days: [sun, sat]\n  hours: 00:00 to 09:30",
    "days: [wed, sat]\n  hours: 08:00 to 18:00\n  hours: 18:00 to 18:30",
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
        (
            prop_oneof![1_u32..=20_000, (1_u32..=100).prop_map(|yuan| yuan * 100)],
            1_u32..=10_000,
            proptest::option::weighted(0.6, reward_cents()),
        )
            .prop_map(|(step, reward, cap)| Form::Every {
                step: step.max(2),
                reward: reward.min(step.max(2) - 1),
                cap,
            }),
        (
            prop_oneof![1_u32..=20_000, (1_u32..=100).prop_map(|yuan| yuan * 100)],
            proptest::option::weighted(0.5, reward_cents()),
        )
            .prop_map(|(price, cap)| Form::Price { price, cap }),
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
                proptest::bool::weighted(0.3),
                proptest::bool::weighted(0.3),
                proptest::option::weighted(0.4, 0..SCHEDULES.len()),
                // Mostly `p0`, so that campaigns share it (and stack
                // within it) often.
                proptest::option::weighted(
                    0.6,
                    prop_oneof![3 => Just(0_usize), 1 => Just(1_usize)],
                ),
                proptest::option::weighted(
                    0.3,
                    prop_oneof![0_u32..=20_000, (0_u32..=200).prop_map(|yuan| yuan * 100)],
                ),
                proptest::bool::weighted(0.25),
                // Regions, segments, the fund `goods`: seldom enough that,
                // with the v2 scopes, schedules and pools, two campaigns
                // still meet on one payment often (reason `stacking`).
                (
                    proptest::option::weighted(0.2, any::<bool>()),
                    proptest::bool::weighted(0.1),
                    proptest::bool::weighted(0.2),
                    proptest::option::weighted(0.15, claim_spec()),
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
                merchants,
                instruments,
                schedule,
                pool,
                max_spend_gap,
                back,
                (regions, segments, goods, claim),
            )| Spec {
                claim,
                back: back && !matches!(form, Form::Price { .. }),
                // `max_spend` at least `min_spend`; a price needs one above
                // it when it has no cap, and never one at or below it, nor
                // one whose reward (max_spend − price) passes the fund's
                // `max_per_use` (CNY 50.00), which is an error (E0405).
                max_spend: max_spend(&form, min_spend, max_spend_gap),
                min_spend: match max_spend(&form, min_spend, max_spend_gap) {
                    Some(max) => min_spend.map(|min| min.min(max)),
                    None => min_spend,
                },
                hkd,
                // Sometimes a budget of exactly k fixed rewards, so that
                // the payment that fills it and the one after come up.
                budget: match (&form, rewards_in_budget) {
                    (Form::Fixed(amount), Some(k)) => amount.saturating_mul(k),
                    _ => budget,
                },
                form,
                scenes,
                categories,
                zone: ZONES[zone],
                days,
                limits: limits.into_iter().collect(),
                guard,
                rollout,
                stacks,
                merchants,
                instruments,
                schedule,
                // Stacking campaigns with a pool share `p0`, so that two
                // of one pool stack on one payment.
                // The pools are `marketing`'s: a campaign of `goods` or
                // `mall_marketing` has none.
                pool: if goods || merchants {
                    None
                } else if stacks {
                    pool.map(|_| 0)
                } else {
                    pool
                },
                regions,
                segments,
                goods: goods && !merchants,
            },
        )
}

/// (v2) Two to four campaigns that all draw from pool `p0` and stack with
/// each other, in CNY, with no limit, guard or rollout in the way, so that
/// campaigns of one pool often pay on one payment and run the pool out
/// between them (the general [`spec`] reaches that seldom).
pub fn pooled_specs() -> impl Strategy<Value = Vec<Spec>> {
    proptest::collection::vec(
        (
            form(),
            1_u32..=4,
            0..ZONES.len(),
            prop_oneof![100_u32..=50_000, 1_u32..=2_000],
        )
            .prop_map(|(form, days, zone, budget)| Spec {
                hkd: false,
                min_spend: None,
                scenes: true,
                categories: false,
                zone: ZONES[zone],
                days,
                budget,
                limits: Vec::new(),
                guard: None,
                rollout: None,
                stacks: true,
                merchants: false,
                instruments: false,
                schedule: None,
                pool: Some(0),
                back: false,
                regions: None,
                segments: false,
                goods: false,
                claim: None,
                // A price needs a bound; the others need none.
                max_spend: max_spend(&form, None, None),
                form,
            }),
        2..=4,
    )
}

/// A spec's `max_spend` (see [`spec`]).
fn max_spend(form: &Form, min_spend: Option<u32>, gap: Option<u32>) -> Option<u32> {
    let max_spend = gap.map(|gap| min_spend.unwrap_or(1) + gap);
    match form {
        Form::Price { price, cap } => {
            let highest = match cap {
                Some(_) => u32::MAX,
                None => price + 5_000,
            };
            match (max_spend, cap) {
                (None, Some(_)) => None,
                (Some(max), _) => Some(max.clamp(price + 1, highest.max(price + 1))),
                (None, None) => Some((price + 1).max(min_spend.unwrap_or(0)).min(highest)),
            }
        }
        Form::Fixed(_)
        | Form::Percent { .. }
        | Form::Tiers { .. }
        | Form::Random { .. }
        | Form::Every { .. } => max_spend,
    }
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
    let mut text: String = POOLS.concat();
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
            Form::Every { step, reward, cap } => {
                let every = format!("every {} => {} off", cny(*step), cny(*reward));
                match cap {
                    Some(cap) => format!("{every}, cap {}", cny(*cap)),
                    None => every,
                }
            }
            Form::Price { price, cap } => match cap {
                Some(cap) => format!("price {}, cap {}", cny(*price), cny(*cap)),
                None => format!("price {}", cny(*price)),
            },
        };
        // `back` in place of every `off` (each tier's too).
        let reward = if spec.back {
            reward.replace(" off", " back")
        } else {
            reward
        };
        let reward = match spec.min_spend {
            Some(min_spend) => format!("{reward}, min_spend {}", cny(min_spend)),
            None => reward,
        };
        let reward = match spec.max_spend {
            Some(max_spend) => format!("{reward}, max_spend {}", cny(max_spend)),
            None => reward,
        };
        writeln!(text, "campaign c{index} {{").unwrap();
        writeln!(
            text,
            "  title: \"generated\"\n  owner: \"props\"\n  fund: {}",
            if spec.merchants {
                "mall_marketing"
            } else if spec.goods {
                "goods"
            } else {
                "marketing"
            }
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
        if spec.merchants {
            writeln!(text, "  merchants: [mall]").unwrap();
        }
        if spec.instruments {
            writeln!(text, "  instruments: [pearl_card]").unwrap();
        }
        if spec.back {
            writeln!(
                text,
                "  credit: points after {}d, point_value {}",
                1 + index % 30,
                cny(1)
            )
            .unwrap();
        }
        writeln!(
            text,
            "  window: 2025-03-29 00:00 to {} 00:00 {}",
            // From a Saturday, across the week's end on Monday and, from
            // three days, into April: weeks and months both turn.
            match 29 + spec.days {
                day @ ..=31 => format!("2025-03-{day:02}"),
                day => format!("2025-04-{:02}", day - 31),
            },
            spec.zone
        )
        .unwrap();
        writeln!(text, "  reward: {reward}\n  budget: {}", cny(spec.budget)).unwrap();
        if let Some(pool) = spec.pool {
            writeln!(text, "  pool: p{pool}").unwrap();
        }
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
        if let Some(schedule) = spec.schedule {
            writeln!(text, "  {}", SCHEDULES[schedule]).unwrap();
        }
        if let Some(rollout) = spec.rollout {
            writeln!(text, "  {}", ROLLOUTS[rollout]).unwrap();
        }
        if let Some(claim) = &spec.claim {
            writeln!(text, "  claim {{").unwrap();
            if let Some((start, hours)) = claim.window {
                let from: jiff::civil::DateTime = "2025-03-28T12:00".parse().unwrap();
                let start = from + jiff::Span::new().hours(i64::from(start));
                let end = start + jiff::Span::new().hours(i64::from(hours));
                writeln!(
                    text,
                    "    window: {} to {} {}",
                    start.strftime("%Y-%m-%d %H:%M"),
                    end.strftime("%Y-%m-%d %H:%M"),
                    spec.zone
                )
                .unwrap();
            }
            writeln!(
                text,
                "    inventory: {}\n    per_user: {}",
                claim.inventory, claim.per_user
            )
            .unwrap();
            if let Some(hours) = claim.valid_for_hours {
                writeln!(text, "    valid_for: {hours}h").unwrap();
            }
            writeln!(text, "  }}").unwrap();
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
    /// (v2) A user claims a coupon of a claim campaign.
    Claim(ClaimStep),
}

/// (v2) A claim: the `n`-th claim campaign of the package (modulo), by
/// `user{user}`, at `seconds` after 2025-03-28T12:00:00Z.
#[derive(Debug, Clone)]
pub struct ClaimStep {
    pub campaign: u8,
    pub user: u8,
    pub seconds: u32,
}

#[derive(Debug, Clone)]
pub struct PaySpec {
    pub cents: u32,
    /// Seconds after 2025-03-28T12:00:00Z.
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
    /// (v2) The merchant's groups: `mall`, `outlet`.
    pub groups: (bool, bool),
    /// (v2) The card: `pearl_card` (or `wallet`), and its identity (or
    /// the default, one per user and instrument).
    pub card: Option<(bool, Option<u8>)>,
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
        (
            (any::<bool>(), proptest::bool::weighted(0.3)),
            proptest::option::weighted(
                0.7,
                (
                    proptest::bool::weighted(0.8),
                    proptest::option::weighted(0.5, 0_u8..3),
                ),
            ),
        ),
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
                (groups, card),
            )| {
                PaySpec {
                    groups,
                    card,
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
            1 => (0_u8..4, 0_u8..4, 0_u32..(5 * 86_400)).prop_map(|(campaign, user, seconds)| {
                Step::Claim(ClaimStep { campaign, user, seconds })
            }),
        ],
        1..80,
    )
    .prop_map(|mut steps| {
        // Time moves forward within a stream, with bursts at one instant.
        let mut seconds: Vec<u32> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Pay(pay) => Some(pay.seconds),
                Step::Claim(claim) => Some(claim.seconds),
                Step::Replay(_) | Step::Conflict(_) => None,
            })
            .collect();
        seconds.sort_unstable();
        let mut sorted = seconds.into_iter();
        for step in &mut steps {
            match step {
                Step::Pay(pay) => pay.seconds = sorted.next().unwrap(),
                Step::Claim(claim) => claim.seconds = sorted.next().unwrap(),
                Step::Replay(_) | Step::Conflict(_) => {}
            }
        }
        steps
    })
}

pub fn payment(number: usize, pay: &PaySpec) -> Payment {
    let instant = jiff::Timestamp::from_second(
        "2025-03-28T12:00:00Z"
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
    if pay.groups.0 {
        payment.merchant_groups.insert(super::id("mall"));
    }
    if pay.groups.1 {
        payment.merchant_groups.insert(super::id("outlet"));
    }
    payment.card = pay.card.map(|(pearl, identity)| {
        let instrument = super::id(if pearl { "pearl_card" } else { "wallet" });
        match identity {
            Some(identity) => camp_eval::Card {
                instrument,
                id: format!("card{identity}"),
            },
            None => camp_eval::Card::of_user(instrument, payment.user.as_deref()),
        }
    });
    payment
}

/// The payments of a stream, replays included (without its claims).
pub fn stream(steps: &[Step]) -> Vec<Payment> {
    events(steps, &[])
        .into_iter()
        .filter_map(|event| match event {
            Event::Pay(payment) => Some(payment),
            Event::Claim(_) => None,
        })
        .collect()
}

/// (v2) One event of a stream: a payment or a claim.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // test data, a few dozen per stream
pub enum Event {
    Pay(Payment),
    Claim(camp_eval::Claim),
}

/// (v2) The payments and claims of a stream, in order: a claim step
/// claims a coupon of the package's claim campaigns (`specs`' with a
/// claim block, by index modulo their number; none: no claim).
pub fn events(steps: &[Step], specs: &[Spec]) -> Vec<Event> {
    let claimable: Vec<usize> = specs
        .iter()
        .enumerate()
        .filter(|(_, spec)| spec.claim.is_some())
        .map(|(index, _)| index)
        .collect();
    let mut events: Vec<Event> = Vec::new();
    let mut payments: Vec<Payment> = Vec::new();
    for (number, step) in steps.iter().enumerate() {
        match step {
            Step::Claim(claim) => {
                if claimable.is_empty() {
                    continue;
                }
                let campaign = claimable[usize::from(claim.campaign) % claimable.len()];
                let instant = jiff::Timestamp::from_second(
                    "2025-03-28T12:00:00Z"
                        .parse::<jiff::Timestamp>()
                        .unwrap()
                        .as_second()
                        + i64::from(claim.seconds),
                )
                .unwrap();
                events.push(Event::Claim(camp_eval::Claim {
                    campaign: super::id(&format!("c{campaign}")),
                    user: format!("user{}", claim.user),
                    instant: camp_core::ir::types::Instant(instant),
                }));
                continue;
            }
            Step::Pay(_) | Step::Replay(_) | Step::Conflict(_) => {}
        }
        let before = payments.len();
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
            Step::Replay(_) | Step::Conflict(_) | Step::Claim(_) => {}
        }
        if payments.len() > before
            && let Some(payment) = payments.last()
        {
            events.push(Event::Pay(payment.clone()));
        }
    }
    events
}

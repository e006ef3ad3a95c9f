//! A generated package of 1,000 live campaigns and a stream of payments
//! over many users, shared by the criterion benchmark (`decide.rs`) and
//! the latency percentiles (`latency.rs`). Deterministic: a fixed
//! pseudo-random sequence, no clock.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::str::FromStr;

use camp_core::ir::types::{CampaignDocument, Id, Instant, Manifest, Money};
use camp_eval::{Evaluator, Payment};
use rust_decimal::Decimal;

pub const CAMPAIGNS: usize = 1_000;
const SCENES: usize = 24;
const CATEGORIES: usize = 12;
const REGIONS: usize = 8;

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn schema() -> String {
    let mut text = String::new();
    for scene in 0..SCENES {
        writeln!(text, "scene s{scene}").unwrap();
    }
    for category in 0..CATEGORIES {
        writeln!(text, "category k{category}").unwrap();
    }
    for region in 0..REGIONS {
        writeln!(text, "region r{region}").unwrap();
    }
    text.push_str("segment verified\nsegment qa_accounts\n");
    let scenes: Vec<String> = (0..SCENES).map(|scene| format!("s{scene}")).collect();
    writeln!(
        text,
        "fund marketing {{\n  payer: platform\n  scenes: [{}]\n  max_per_use: CNY 50.00, HKD 60.00\n}}",
        scenes.join(", ")
    )
    .unwrap();
    text.push_str("policy {\n  currencies: [CNY, HKD]\n}\n");
    text
}

/// 1,000 campaigns, all live through March 2025: 1 to 3 scenes each (so
/// some 80 per scene), restricted categories, regions and segments on some,
/// every reward form, limits per user, device, hour and day, guards,
/// rollouts, and stacking groups of four; one in ten in HKD.
fn campaigns(rng: &mut Rng) -> String {
    let mut text = String::new();
    for index in 0..CAMPAIGNS {
        let hkd = index % 10 == 9;
        let code = if hkd { "HKD" } else { "CNY" };
        let money = |cents: u64| format!("{code} {}.{:02}", cents / 100, cents % 100);
        writeln!(text, "campaign c{index:04} {{").unwrap();
        text.push_str("  title: \"generated\"\n  owner: \"bench\"\n  fund: marketing\n");
        let mut scenes: Vec<usize> = (0..=rng.below(3)).map(|_| rng.below(SCENES)).collect();
        scenes.sort_unstable();
        scenes.dedup();
        let scenes: Vec<String> = scenes.iter().map(|scene| format!("s{scene}")).collect();
        writeln!(text, "  scenes: [{}]", scenes.join(", ")).unwrap();
        if rng.chance(40) {
            writeln!(text, "  categories: [k{}]", rng.below(CATEGORIES)).unwrap();
        }
        if rng.chance(25) {
            let first = rng.below(REGIONS);
            let second = (first + 1 + rng.below(REGIONS - 1)) % REGIONS;
            writeln!(text, "  regions: [r{first}, r{second}]").unwrap();
        }
        if rng.chance(10) {
            text.push_str("  segments: [verified]\n");
        }
        text.push_str("  window: 2025-03-01 00:00 to 2025-04-01 00:00 Asia/Shanghai\n");
        let reward = match rng.below(4) {
            0 => format!("{} off", money(100 + rng.next() % 2_000)),
            1 => format!(
                "{}% off, cap {}",
                1 + rng.next() % 20,
                money(500 + rng.next() % 3_000)
            ),
            2 => format!(
                "tiers {{ spend {} => {} off; spend {} => {} off }}",
                money(5_000),
                money(300),
                money(20_000),
                money(1_500)
            ),
            _ => format!(
                "random {} to {} off",
                money(100),
                money(100 + rng.next() % 900)
            ),
        };
        let reward = if rng.chance(30) {
            format!("{reward}, min_spend {}", money(1_000 + rng.next() % 5_000))
        } else {
            reward
        };
        writeln!(text, "  reward: {reward}").unwrap();
        writeln!(
            text,
            "  budget: {}",
            money(100_000_000 + rng.next() % 100_000_000)
        )
        .unwrap();
        if rng.chance(70) {
            writeln!(text, "  limit: {} per user per day", 1 + rng.next() % 3).unwrap();
        }
        if rng.chance(30) {
            writeln!(text, "  limit: {} per user per week", money(5_000)).unwrap();
        }
        if rng.chance(20) {
            text.push_str("  limit: 5 per device\n");
        }
        if rng.chance(20) {
            text.push_str("  limit: 100_000 per hour\n");
        }
        if rng.chance(25) {
            writeln!(
                text,
                "  guard: halt when spend > {} per 1min",
                money(10_000_000)
            )
            .unwrap();
        }
        if rng.chance(25) {
            text.push_str("  rollout {\n    stage segment qa_accounts for 1h\n    stage 50% for 1d\n    stage 100%\n  }\n");
        }
        // Groups of four in one currency stack with each other.
        if index % 40 < 20 {
            let group = index / 4 * 4;
            let partners: Vec<String> = (group..group + 4)
                .filter(|other| *other != index && (*other % 10 == 9) == hkd)
                .map(|other| format!("c{other:04}"))
                .collect();
            if !partners.is_empty() {
                writeln!(text, "  stacking: stacks_with [{}]", partners.join(", ")).unwrap();
            }
        }
        text.push_str("}\n\n");
    }
    text
}

/// The IR of the generated package, compiled as the tests compile theirs.
pub fn package() -> (Manifest, Vec<CampaignDocument>) {
    let mut rng = Rng::new(2025);
    let schema = schema();
    let campaigns = campaigns(&mut rng);
    common::compile(&[("schema.camp", &schema), ("campaigns.camp", &campaigns)])
        .unwrap_or_else(|errors| panic!("{errors}"))
}

pub fn evaluator() -> Evaluator {
    let (manifest, documents) = package();
    let evaluator = Evaluator::new(&manifest, documents).unwrap();
    assert_eq!(evaluator.campaigns().count(), CAMPAIGNS);
    evaluator
}

fn id(text: String) -> Id {
    Id::try_from(text).unwrap()
}

/// `count` payments, ids `p0`, `p1`, …, over `users` users, spread over
/// March 2025 in time order, at every
/// scene, with categories, regions, devices and segments; one in ten in
/// HKD.
pub fn payments(seed: u64, count: usize, users: usize) -> Vec<Payment> {
    let mut rng = Rng::new(seed);
    let start = jiff::Timestamp::from_str("2025-03-01T00:00:00+08:00").unwrap();
    let span = 30 * 86_400_i64;
    let cny = iso_currency::Currency::CNY;
    let hkd = iso_currency::Currency::HKD;
    (0..count)
        .map(|number| {
            let offset = span * number as i64 / count.max(1) as i64;
            let instant = Instant(
                start
                    .checked_add(jiff::SignedDuration::from_secs(offset))
                    .unwrap(),
            );
            let cents = 100 + rng.next() % 50_000;
            let currency = if rng.chance(10) { hkd } else { cny };
            let mut payment = Payment::new(
                format!("p{seed}-{number}"),
                Money::new(Decimal::new(cents as i64, 2), currency),
                instant,
                id(format!("s{}", rng.below(SCENES))),
            );
            if rng.chance(80) {
                payment.category = Some(id(format!("k{}", rng.below(CATEGORIES))));
            }
            if rng.chance(80) {
                payment.region = Some(id(format!("r{}", rng.below(REGIONS))));
            }
            payment.user = Some(format!("u{}", rng.below(users)));
            if rng.chance(70) {
                payment.device = Some(format!("d{}", rng.below(users)));
            }
            payment.merchant = Some(format!("m{}", rng.below(5_000)));
            if rng.chance(30) {
                payment.segments.insert(id(String::from("verified")));
            }
            payment
        })
        .collect()
}

//! The counter configuration of a rate-limiting and budget service: for
//! each campaign, the counters that every payment it pays must fit in (its
//! budget and its limits) and the trailing-rate counters that halt it (its
//! guards).
//!
//! A counter is named by a key pattern: `camp/<campaign>/<measure>`, then
//! `/<dimension>/{<dimension>}` for each dimension of a limit per user,
//! device, ip, merchant, region or category (several for a limit per user
//! per category), then `/<period>/{<period>}` for a limit per hour, day,
//! week or month.
//! The runtime fills `{user}`… with the payment's attribute and `{day}`…
//! with the payment's instant in the window's zone, formatted with the
//! reset's `period_key` (strftime; `%G-W%V` is the ISO week, which starts
//! on Monday, as Camp's weeks do). A payment is paid only if every counter,
//! with this payment added (a count by 1, an amount by the reward), stays at
//! or below its `max`; a guard halts the campaign when its trailing sum goes
//! above `halt_above`. Two bounds on the same counter become one counter
//! with the smaller bound, and `from` says which of the IR's fields it comes
//! from. (v2) A campaign with a pool also counts into
//! `camp/pool/<pool>/<currency>/amount`, the one counter every campaign of
//! the pool shares, bounded by the pool's budget in that currency.

use std::collections::BTreeMap;

use camp_ir::canonical;
use camp_ir::types::{Campaign, GuardMetric, IrError, LimitAmount, Money, Period, Window};
use serde::{Serialize, Serializer};

use crate::IrPackage;

/// The format of the file this generator writes.
pub const FORMAT: &str = "camp-gen-limits/1";

/// The whole configuration: one entry per campaign, in the manifest's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitsConfig {
    pub format: &'static str,
    /// `[package] name` from `camp.toml`.
    pub package: Option<String>,
    /// The manifest this configuration was made from.
    pub manifest_sha256: String,
    pub campaigns: Vec<CampaignCounters>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignCounters {
    pub campaign: String,
    /// The campaign document this entry was made from.
    pub sha256: String,
    /// Every amount counter counts in this currency.
    pub currency: String,
    /// Counters count from `start`; after `end` they can be dropped.
    pub window: ActiveWindow,
    /// Sorted by key.
    pub counters: Vec<Counter>,
    /// Sorted by key.
    pub guards: Vec<GuardCounter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveWindow {
    pub start: String,
    pub end: String,
    pub zone: String,
}

/// What a counter adds up per paid payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 1 per paid redemption.
    Count,
    /// The reward paid, in the campaign's currency.
    Amount,
}

/// The most a counter may hold: a count, or an amount at exactly its
/// currency's scale. Written as a decimal string, never a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Count(u64),
    Amount(Money),
}

impl Bound {
    fn measure(self) -> Measure {
        match self {
            Bound::Count(_) => Measure::Count,
            Bound::Amount(_) => Measure::Amount,
        }
    }

    /// The smaller of two bounds of the same counter (same measure).
    fn tighter(self, other: Bound) -> Bound {
        match (self, other) {
            (Bound::Count(a), Bound::Count(b)) => Bound::Count(a.min(b)),
            (Bound::Amount(a), Bound::Amount(b)) => {
                if b.amount < a.amount {
                    Bound::Amount(b)
                } else {
                    Bound::Amount(a)
                }
            }
            // A key names its measure, so two bounds of one key never mix.
            (Bound::Count(_), Bound::Amount(_)) | (Bound::Amount(_), Bound::Count(_)) => self,
        }
    }

    fn text(self) -> String {
        match self {
            Bound::Count(count) => count.to_string(),
            Bound::Amount(money) => {
                let mut amount = money.amount;
                amount.rescale(Money::scale(money.currency));
                amount.to_string()
            }
        }
    }
}

impl Serialize for Bound {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// When a counter goes back to zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reset {
    /// Never: it counts over the whole window.
    Window,
    /// At each calendar period's start in `zone`: hours at `:00`, days at
    /// midnight, weeks on Monday at midnight.
    Calendar {
        period: &'static str,
        zone: String,
        /// How to write the period of an instant (in `zone`) into the key.
        period_key: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counter {
    pub key: String,
    pub measure: Measure,
    pub max: Bound,
    /// The dimensions the counter is kept per; empty for the whole campaign.
    pub per: Vec<&'static str>,
    pub reset: Reset,
    /// The IR fields that bound it: `budget`, `limits[0]`…
    pub from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardCounter {
    pub key: String,
    pub measure: Measure,
    pub halt_above: Bound,
    pub trailing_seconds: u64,
    /// `guards[0]`…
    pub from: Vec<String>,
}

/// The strftime pattern of a period's key. Camp's periods are calendar
/// periods of the window's zone; a new period must say how it is keyed.
fn period_key(period: Period) -> &'static str {
    match period {
        Period::Hour => "%Y-%m-%dT%H",
        Period::Day => "%Y-%m-%d",
        Period::Week => "%G-W%V",
        Period::Month => "%Y-%m",
    }
}

fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Count => "count",
        Measure::Amount => "amount",
    }
}

fn add_counter(counters: &mut BTreeMap<String, Counter>, counter: Counter) {
    match counters.get_mut(&counter.key) {
        Some(existing) => {
            existing.max = existing.max.tighter(counter.max);
            existing.from.extend(counter.from);
        }
        None => {
            counters.insert(counter.key.clone(), counter);
        }
    }
}

fn campaign_counters(campaign: &Campaign, sha256: &str) -> CampaignCounters {
    let id = campaign.id.as_str();
    let Window {
        start, end, zone, ..
    } = &campaign.window;
    let mut counters = BTreeMap::new();
    add_counter(
        &mut counters,
        Counter {
            key: format!("camp/{id}/amount"),
            measure: Measure::Amount,
            max: Bound::Amount(campaign.budget),
            per: Vec::new(),
            reset: Reset::Window,
            from: vec![String::from("budget")],
        },
    );
    // (v2) The pool's counter: one key per pool and currency, so every
    // campaign of the pool counts into the same one.
    if let Some(pool) = &campaign.pool {
        add_counter(
            &mut counters,
            Counter {
                key: format!(
                    "camp/pool/{}/{}/amount",
                    pool.id.as_str(),
                    pool.budget.currency.code()
                ),
                measure: Measure::Amount,
                max: Bound::Amount(pool.budget),
                per: Vec::new(),
                reset: Reset::Window,
                from: vec![String::from("pool")],
            },
        );
    }
    for (index, limit) in campaign.limits.iter().enumerate() {
        let max = match &limit.amount {
            LimitAmount::Count { count } => Bound::Count(*count),
            LimitAmount::Money { money } => Bound::Amount(*money),
        };
        let mut key = format!("camp/{id}/{}", measure_name(max.measure()));
        let mut per = Vec::new();
        for dimension in limit.dimensions() {
            let name = dimension.as_str();
            key.push_str(&format!("/{name}/{{{name}}}"));
            per.push(name);
        }
        let reset = match limit.period {
            Some(period) => {
                let name = period.as_str();
                key.push_str(&format!("/{name}/{{{name}}}"));
                Reset::Calendar {
                    period: name,
                    zone: zone.clone(),
                    period_key: period_key(period),
                }
            }
            None => Reset::Window,
        };
        add_counter(
            &mut counters,
            Counter {
                key,
                measure: max.measure(),
                max,
                per,
                reset,
                from: vec![format!("limits[{index}]")],
            },
        );
    }
    let mut guards: BTreeMap<String, GuardCounter> = BTreeMap::new();
    for (index, guard) in campaign.guards.iter().enumerate() {
        let above = match &guard.metric {
            GuardMetric::Spend { above } => Bound::Amount(*above),
            GuardMetric::Redemptions { above } => Bound::Count(*above),
        };
        let key = format!(
            "camp/{id}/guard/{}/{}s",
            measure_name(above.measure()),
            guard.per_seconds
        );
        let from = format!("guards[{index}]");
        match guards.get_mut(&key) {
            Some(existing) => {
                existing.halt_above = existing.halt_above.tighter(above);
                existing.from.push(from);
            }
            None => {
                guards.insert(
                    key.clone(),
                    GuardCounter {
                        key,
                        measure: above.measure(),
                        halt_above: above,
                        trailing_seconds: guard.per_seconds,
                        from: vec![from],
                    },
                );
            }
        }
    }
    CampaignCounters {
        campaign: id.to_string(),
        sha256: sha256.to_string(),
        currency: campaign.currency.0.code().to_string(),
        window: ActiveWindow {
            start: String::from(*start),
            end: String::from(*end),
            zone: zone.clone(),
        },
        counters: counters.into_values().collect(),
        guards: guards.into_values().collect(),
    }
}

/// The configuration of a loaded package.
pub fn limits(package: &IrPackage) -> LimitsConfig {
    LimitsConfig {
        format: FORMAT,
        package: package.manifest.package.name.clone(),
        manifest_sha256: package.manifest.sha256.clone(),
        campaigns: package
            .campaigns
            .iter()
            .map(|document| campaign_counters(&document.campaign, &document.sha256))
            .collect(),
    }
}

/// The configuration as a file: canonical JSON (keys sorted, two-space
/// indent, final newline), so the same IR gives the same bytes.
pub fn render(config: &LimitsConfig) -> Result<String, IrError> {
    canonical::pretty(config)
}

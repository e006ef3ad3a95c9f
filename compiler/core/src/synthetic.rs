//! Synthetic packages for benchmarks and scale tests: a fixed schema and
//! `n` campaigns, one per file, each about 560 bytes, all valid. The same
//! `n` always gives the same bytes.

use crate::package::{InputFile, PackageInput};

const SCHEMA: &str = r#"/// Purchases at a merchant.
scene merchant_purchase
scene online_purchase
scene p2p_transfer { money_movement: true }
category groceries
category electronics
region shanghai { code: "CN-SH" }
region beijing { code: "CN-BJ" }
segment new_user
segment staff_canary

/// The platform's marketing budget.
fund platform_marketing {
  payer: platform
  scenes: [merchant_purchase, online_purchase]
  requires: [per_user_limit, budget]
  max_rate: 30%
  max_per_use: CNY 500.00
}

policy {
  currencies: [CNY]
  max_rate: 50%
  approvals: 1 up_to CNY 100_000.00
  approvals: 2 up_to CNY 10_000_000.00
  approvals: 3
  capacity: 20_000 per 1s
}
"#;

/// The values that vary from one synthetic campaign to the next, so that
/// a benchmark can write the same campaign in another language (JSON,
/// Pkl: `compiler/examples/generate_peers.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignFields {
    pub index: usize,
    /// Day of the month the window starts (in March) and ends (in April).
    pub day: usize,
    pub region: &'static str,
    /// The reward's rate, in percent.
    pub rate: usize,
    /// The owner is `growth-{team}`.
    pub team: usize,
    /// The budget, in thousands of CNY.
    pub budget_thousands: usize,
}

/// The varying values of synthetic campaign number `index`.
pub fn campaign_fields(index: usize) -> CampaignFields {
    CampaignFields {
        index,
        day: index % 28 + 1,
        region: if index.is_multiple_of(2) {
            "shanghai"
        } else {
            "beijing"
        },
        rate: 5 + index % 20,
        team: index % 7,
        budget_thousands: 10 + index % 90,
    }
}

/// The schema every synthetic campaign refers to.
pub fn schema_text() -> &'static str {
    SCHEMA
}

/// The text of synthetic campaign number `index`.
pub fn campaign_text(index: usize) -> String {
    let CampaignFields {
        index,
        day,
        region,
        rate,
        team,
        budget_thousands: budget,
    } = campaign_fields(index);
    format!(
        r#"/// Synthetic campaign {index}.
campaign synthetic_campaign_{index:05} {{
  title: "周末满减 {index}"
  owner: "growth-{team}"
  fund: platform_marketing
  scenes: [merchant_purchase, online_purchase]
  categories: [groceries]
  regions: [{region}]
  window: 2027-03-{day:02} 00:00 to 2027-04-{day:02} 00:00 Asia/Shanghai
  reward: {rate}% off, cap CNY 20.00, min_spend CNY 50.00
  budget: CNY {budget}_000.00
  limit: 1 per user per day
  limit: 5_000 per day
  rollout {{
    stage segment staff_canary for 1h
    stage 10% for 6h
    stage 100%
  }}
  guard: halt when spend > CNY 5_000.00 per 1min
}}
"#
    )
}

/// A package of `campaigns` campaigns, one per file, plus the schema.
pub fn package(campaigns: usize) -> PackageInput {
    let mut files = Vec::with_capacity(campaigns + 1);
    files.push(InputFile {
        path: String::from("schema.camp"),
        relative_path: String::from("schema.camp"),
        bytes: SCHEMA.into(),
    });
    for index in 0..campaigns {
        let path = format!("campaigns/c{index:05}.camp");
        files.push(InputFile {
            path: path.clone(),
            relative_path: path,
            bytes: campaign_text(index).into(),
        });
    }
    PackageInput {
        name: Some(String::from("synthetic")),
        files,
        lints: crate::lint::LintConfig::default(),
    }
}

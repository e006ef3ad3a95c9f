//! The closed vocabularies of the language: who pays, what a fund requires,
//! what a limit counts by and over which period. The checker parses them,
//! the IR writes them as they are (snake_case), the evaluator reads them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Government,
    Platform,
    Merchant,
    Bank,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Regions,
    Segments,
    Categories,
    PerUserLimit,
    Budget,
    Rollout,
    Guard,
    MinSpend,
    ExpectedPeak,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    User,
    Device,
    Ip,
    Merchant,
    Region,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Hour,
    Day,
    Week,
}

impl Payer {
    pub const ALL: [&'static str; 4] = ["government", "platform", "merchant", "bank"];

    pub fn parse(word: &str) -> Option<Payer> {
        match word {
            "government" => Some(Payer::Government),
            "platform" => Some(Payer::Platform),
            "merchant" => Some(Payer::Merchant),
            "bank" => Some(Payer::Bank),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Government => "government",
            Payer::Platform => "platform",
            Payer::Merchant => "merchant",
            Payer::Bank => "bank",
        }
    }
}

impl Requirement {
    pub const ALL: [&'static str; 9] = [
        "regions",
        "segments",
        "categories",
        "per_user_limit",
        "budget",
        "rollout",
        "guard",
        "min_spend",
        "expected_peak",
    ];

    pub fn parse(word: &str) -> Option<Requirement> {
        Some(match word {
            "regions" => Requirement::Regions,
            "segments" => Requirement::Segments,
            "categories" => Requirement::Categories,
            "per_user_limit" => Requirement::PerUserLimit,
            "budget" => Requirement::Budget,
            "rollout" => Requirement::Rollout,
            "guard" => Requirement::Guard,
            "min_spend" => Requirement::MinSpend,
            "expected_peak" => Requirement::ExpectedPeak,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Regions => "regions",
            Requirement::Segments => "segments",
            Requirement::Categories => "categories",
            Requirement::PerUserLimit => "per_user_limit",
            Requirement::Budget => "budget",
            Requirement::Rollout => "rollout",
            Requirement::Guard => "guard",
            Requirement::MinSpend => "min_spend",
            Requirement::ExpectedPeak => "expected_peak",
        }
    }
}

impl Dimension {
    pub const ALL: [&'static str; 5] = ["user", "device", "ip", "merchant", "region"];

    pub fn parse(word: &str) -> Option<Dimension> {
        Some(match word {
            "user" => Dimension::User,
            "device" => Dimension::Device,
            "ip" => Dimension::Ip,
            "merchant" => Dimension::Merchant,
            "region" => Dimension::Region,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::User => "user",
            Dimension::Device => "device",
            Dimension::Ip => "ip",
            Dimension::Merchant => "merchant",
            Dimension::Region => "region",
        }
    }
}

impl Period {
    pub const ALL: [&'static str; 3] = ["hour", "day", "week"];

    pub fn parse(word: &str) -> Option<Period> {
        Some(match word {
            "hour" => Period::Hour,
            "day" => Period::Day,
            "week" => Period::Week,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
        }
    }
}

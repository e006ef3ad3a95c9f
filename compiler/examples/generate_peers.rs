//! Writes the synthetic campaigns of `generate_package` three ways, for
//! the side-by-side benchmark `bench/peers.sh`:
//! `cargo run --release -p campc --example generate_peers -- DIR 10000`
//!
//! - `DIR/camp-files/`: the Camp package, one campaign per file;
//! - `DIR/camp-one/`: the same package with every campaign in one file
//!   (several files of at most 8 MiB, the limit of a `.camp` file, when
//!   the campaigns do not fit in one);
//! - `DIR/json-files/` and `DIR/json-one/`: the same campaigns as JSON,
//!   one per file or all in one array, with a JSON Schema (draft-07) for
//!   `ajv validate`;
//! - `DIR/pkl-files/` and `DIR/pkl-one/`: the same campaigns as Pkl
//!   modules typed by a Pkl class, for `pkl eval`.
//!
//! The JSON Schema and the Pkl class check what they can express of what
//! `campc check` checks: the fields and their types, the names a campaign
//! refers to (fund, scenes, categories, regions, segments), the rate
//! against the fund's maximum (30%), amounts and times by pattern. Every
//! campaign is valid in all three, so each tool does its whole work.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use camp_core::synthetic::{CampaignFields, campaign_fields, campaign_text, schema_text};
use serde_json::{Value, json};

const MANIFEST: &str = "[package]\nname = \"synthetic\"\n";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: generate_peers DIR [CAMPAIGNS]");
        return ExitCode::from(2);
    };
    let count: usize = count.and_then(|count| count.parse().ok()).unwrap_or(10_000);
    match write_all(&PathBuf::from(dir), count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

fn write_all(root: &Path, count: usize) -> std::io::Result<()> {
    let fields: Vec<CampaignFields> = (0..count).map(campaign_fields).collect();

    // Camp: one file per campaign, and all in one (or a few) files.
    let files = root.join("camp-files");
    write(&files.join("camp.toml"), MANIFEST.as_bytes())?;
    write(&files.join("schema.camp"), schema_text().as_bytes())?;
    let one = root.join("camp-one");
    write(&one.join("camp.toml"), MANIFEST.as_bytes())?;
    write(&one.join("schema.camp"), schema_text().as_bytes())?;
    let mut part = String::new();
    let mut parts = 0;
    for campaign in &fields {
        let text = campaign_text(campaign.index);
        write(
            &files.join(format!("campaigns/c{:05}.camp", campaign.index)),
            text.as_bytes(),
        )?;
        if part.len() + text.len() > camp_core::source::MAX_FILE_BYTES {
            parts += 1;
            write(
                &one.join(format!("campaigns-{parts:02}.camp")),
                part.as_bytes(),
            )?;
            part.clear();
        }
        part.push_str(&text);
    }
    parts += 1;
    let name = if parts == 1 {
        String::from("campaigns.camp")
    } else {
        format!("campaigns-{parts:02}.camp")
    };
    write(&one.join(name), part.as_bytes())?;

    // JSON and its schema.
    let campaign_schema = campaign_schema();
    let files = root.join("json-files");
    let mut schema = campaign_schema.clone();
    if let Value::Object(map) = &mut schema {
        map.insert(
            "$schema".into(),
            "http://json-schema.org/draft-07/schema#".into(),
        );
    }
    write(&files.join("campaign.schema.json"), &pretty(&schema)?)?;
    let mut all = Vec::with_capacity(count);
    for campaign in &fields {
        let value = campaign_json(campaign);
        write(
            &files.join(format!("campaigns/c{:05}.json", campaign.index)),
            &pretty(&value)?,
        )?;
        all.push(value);
    }
    let one = root.join("json-one");
    let array_schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "array",
        "items": campaign_schema,
    });
    write(&one.join("campaigns.schema.json"), &pretty(&array_schema)?)?;
    write(&one.join("campaigns.json"), &pretty(&Value::Array(all))?)?;

    // Pkl: a module of types, and the campaigns typed by it.
    let files = root.join("pkl-files");
    write(&files.join("types.pkl"), PKL_TYPES.as_bytes())?;
    let one = root.join("pkl-one");
    write(&one.join("types.pkl"), PKL_TYPES.as_bytes())?;
    let mut big =
        String::from("import \"types.pkl\"\n\ncampaigns: Listing<types.Campaign> = new {\n");
    for campaign in &fields {
        let mut module = String::from("import \"../types.pkl\"\n\ncampaign: types.Campaign = ");
        pkl_campaign(&mut module, campaign, "");
        write(
            &files.join(format!("campaigns/c{:05}.pkl", campaign.index)),
            module.as_bytes(),
        )?;
        big.push_str("  ");
        pkl_campaign(&mut big, campaign, "  ");
    }
    big.push_str("}\n");
    write(&one.join("campaigns.pkl"), big.as_bytes())?;

    println!(
        "wrote {count} campaigns as Camp ({} file(s) in one), JSON and Pkl to {}",
        parts,
        root.display()
    );
    Ok(())
}

fn pretty(value: &Value) -> std::io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn money(amount: &str) -> Value {
    json!({ "currency": "CNY", "amount": amount })
}

/// One campaign as JSON: the same values as its Camp text.
fn campaign_json(campaign: &CampaignFields) -> Value {
    let CampaignFields {
        index,
        day,
        region,
        rate,
        team,
        budget_thousands,
    } = campaign;
    json!({
        "id": format!("synthetic_campaign_{index:05}"),
        "doc": format!("Synthetic campaign {index}."),
        "title": format!("周末满减 {index}"),
        "owner": format!("growth-{team}"),
        "fund": "platform_marketing",
        "scenes": ["merchant_purchase", "online_purchase"],
        "categories": ["groceries"],
        "regions": [region],
        "window": {
            "start": format!("2027-03-{day:02} 00:00"),
            "end": format!("2027-04-{day:02} 00:00"),
            "zone": "Asia/Shanghai",
        },
        "reward": {
            "rate_percent": rate,
            "cap": money("20.00"),
            "min_spend": money("50.00"),
        },
        "budget": money(&format!("{budget_thousands}000.00")),
        "limits": [
            { "count": 1, "per_user": true, "period": "day" },
            { "count": 5000, "per_user": false, "period": "day" },
        ],
        "rollout": [
            { "segment": "staff_canary", "for": "1h" },
            { "percent": 10, "for": "6h" },
            { "percent": 100 },
        ],
        "guards": [
            { "halt_when_spend_over": money("5000.00"), "per": "1min" },
        ],
    })
}

/// The JSON Schema of one campaign.
fn campaign_schema() -> Value {
    let names = |names: &[&str]| json!({ "type": "array", "minItems": 1, "uniqueItems": true, "items": { "enum": names } });
    let money = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["currency", "amount"],
        "properties": {
            "currency": { "enum": ["CNY"] },
            "amount": { "type": "string", "pattern": "^[0-9]+\\.[0-9]{2}$" },
        },
    });
    let local =
        json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$" });
    let duration = json!({ "type": "string", "pattern": "^[0-9]+(s|min|h|d)$" });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "title", "owner", "fund", "scenes", "window", "reward", "budget"],
        "properties": {
            "id": { "type": "string", "pattern": "^[a-z][a-z0-9_]*$" },
            "doc": { "type": "string" },
            "title": { "type": "string", "minLength": 1 },
            "owner": { "type": "string", "minLength": 1 },
            "fund": { "enum": ["platform_marketing"] },
            "scenes": names(&["merchant_purchase", "online_purchase"]),
            "categories": names(&["groceries", "electronics"]),
            "regions": names(&["shanghai", "beijing"]),
            "window": {
                "type": "object",
                "additionalProperties": false,
                "required": ["start", "end", "zone"],
                "properties": {
                    "start": local,
                    "end": local,
                    "zone": { "type": "string", "minLength": 1 },
                },
            },
            "reward": {
                "type": "object",
                "additionalProperties": false,
                "required": ["rate_percent", "cap"],
                "properties": {
                    "rate_percent": { "type": "integer", "minimum": 1, "maximum": 30 },
                    "cap": money,
                    "min_spend": money,
                },
            },
            "budget": money,
            "limits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["count", "per_user", "period"],
                    "properties": {
                        "count": { "type": "integer", "minimum": 1 },
                        "per_user": { "type": "boolean" },
                        "period": { "enum": ["hour", "day", "week", "month"] },
                    },
                },
            },
            "rollout": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "segment": { "enum": ["new_user", "staff_canary"] },
                        "percent": { "type": "integer", "minimum": 1, "maximum": 100 },
                        "for": duration,
                    },
                },
            },
            "guards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["halt_when_spend_over", "per"],
                    "properties": {
                        "halt_when_spend_over": money,
                        "per": duration,
                    },
                },
            },
        },
    })
}

/// The Pkl types: the same checks as the JSON Schema.
const PKL_TYPES: &str = r##"/// The types of the synthetic campaigns (see compiler/examples/generate_peers.rs).
module types

typealias Scene = "merchant_purchase"|"online_purchase"|"p2p_transfer"
typealias Category = "groceries"|"electronics"
typealias Region = "shanghai"|"beijing"
typealias Segment = "new_user"|"staff_canary"
typealias Fund = "platform_marketing"
typealias Period = "hour"|"day"|"week"|"month"
typealias Amount = String(matches(Regex(#"[0-9]+\.[0-9]{2}"#)))
typealias Local = String(matches(Regex(#"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"#)))

class Money {
  currency: "CNY"
  amount: Amount
}

class Window {
  start: Local
  end: Local
  zone: String(!isEmpty)
}

class Reward {
  rate_percent: Int(isBetween(1, 30))
  cap: Money
  min_spend: Money?
}

class Limit {
  count: Int(isPositive)
  per_user: Boolean
  period: Period
}

class Stage {
  segment: Segment?
  percent: Int(isBetween(1, 100))?
  duration: Duration?
}

class Guard {
  halt_when_spend_over: Money
  per: Duration
}

class Campaign {
  id: String(matches(Regex(#"[a-z][a-z0-9_]*"#)))
  doc: String?
  title: String(!isEmpty)
  owner: String(!isEmpty)
  fund: Fund
  scenes: Listing<Scene>(!isEmpty, isDistinct)
  categories: Listing<Category>(isDistinct)
  regions: Listing<Region>(isDistinct)
  window: Window
  reward: Reward
  budget: Money
  limits: Listing<Limit>
  rollout: Listing<Stage>
  guards: Listing<Guard>
}
"##;

/// One campaign as a Pkl object (`new { … }`), its lines indented by
/// `indent`.
fn pkl_campaign(out: &mut String, campaign: &CampaignFields, indent: &str) {
    let CampaignFields {
        index,
        day,
        region,
        rate,
        team,
        budget_thousands,
    } = campaign;
    let money = |amount: &str| format!("new {{ currency = \"CNY\"; amount = \"{amount}\" }}");
    let lines = [
        "new {".to_string(),
        format!("  id = \"synthetic_campaign_{index:05}\""),
        format!("  doc = \"Synthetic campaign {index}.\""),
        format!("  title = \"周末满减 {index}\""),
        format!("  owner = \"growth-{team}\""),
        "  fund = \"platform_marketing\"".to_string(),
        "  scenes { \"merchant_purchase\"; \"online_purchase\" }".to_string(),
        "  categories { \"groceries\" }".to_string(),
        format!("  regions {{ \"{region}\" }}"),
        format!(
            "  window {{ start = \"2027-03-{day:02} 00:00\"; end = \"2027-04-{day:02} 00:00\"; zone = \"Asia/Shanghai\" }}"
        ),
        format!(
            "  reward {{ rate_percent = {rate}; cap = {}; min_spend = {} }}",
            money("20.00"),
            money("50.00")
        ),
        format!("  budget = {}", money(&format!("{budget_thousands}000.00"))),
        "  limits {".to_string(),
        "    new { count = 1; per_user = true; period = \"day\" }".to_string(),
        "    new { count = 5000; per_user = false; period = \"day\" }".to_string(),
        "  }".to_string(),
        "  rollout {".to_string(),
        "    new { segment = \"staff_canary\"; duration = 1.h }".to_string(),
        "    new { percent = 10; duration = 6.h }".to_string(),
        "    new { percent = 100 }".to_string(),
        "  }".to_string(),
        format!(
            "  guards {{ new {{ halt_when_spend_over = {}; per = 1.min }} }}",
            money("5000.00")
        ),
        "}".to_string(),
    ];
    for (number, line) in lines.iter().enumerate() {
        if number > 0 {
            out.push_str(indent);
        }
        let _ = writeln!(out, "{line}");
    }
}

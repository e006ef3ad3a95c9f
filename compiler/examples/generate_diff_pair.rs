//! Writes two versions of a synthetic package, for the `campc diff`
//! benchmark (`bench/diff-10k.sh`): `DIR/old` and `DIR/new`, each the
//! synthetic package of CAMPAIGNS campaigns (`camp_core::synthetic`) in
//! which the first 1,000 are made from one template; `new` differs from
//! `old` only in that template's reward (5% to 6%), so 1,000 campaigns
//! change in meaning.
//! `cargo run --release -p campc --example generate_diff_pair -- DIR 10000`

use std::path::Path;
use std::process::ExitCode;

/// How many campaigns the template makes.
const FROM_TEMPLATE: usize = 1_000;

fn template(rate: &str) -> String {
    format!(
        r#"/// The weekend promotion every city team fills in.
template weekend(city: Region) {{
  fund: platform_marketing
  scenes: [merchant_purchase, online_purchase]
  categories: [groceries]
  regions: [city]
  reward: {rate} off, cap CNY 20.00, min_spend CNY 50.00
  budget: CNY 50_000.00
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

fn from_template(index: usize) -> String {
    let day = index % 28 + 1;
    let city = if index.is_multiple_of(2) {
        "shanghai"
    } else {
        "beijing"
    };
    format!(
        r#"/// Synthetic campaign {index}, from the weekend template.
campaign synthetic_campaign_{index:05} from weekend(city: {city}) {{
  title: "周末满减 {index}"
  owner: "growth-{team}"
  window: 2027-03-{day:02} 00:00 to 2027-04-{day:02} 00:00 Asia/Shanghai
}}
"#,
        team = index % 7
    )
}

fn write(root: &Path, campaigns: usize, rate: &str) -> Result<(), std::io::Error> {
    let package = camp_core::synthetic::package(campaigns);
    for (position, file) in package.files.iter().enumerate() {
        let path = root.join(&file.relative_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // The schema is first; campaign `index` is file `index + 1`.
        let index = position.wrapping_sub(1);
        if position > 0 && index < FROM_TEMPLATE {
            std::fs::write(&path, from_template(index))?;
        } else {
            std::fs::write(&path, &*file.bytes)?;
        }
    }
    std::fs::create_dir_all(root.join("templates"))?;
    std::fs::write(root.join("templates/weekend.camp"), template(rate))?;
    std::fs::write(root.join("camp.toml"), "[package]\nname = \"synthetic\"\n")
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: generate_diff_pair DIR [CAMPAIGNS]");
        return ExitCode::from(2);
    };
    let count: usize = count.and_then(|count| count.parse().ok()).unwrap_or(10_000);
    let root = Path::new(&dir);
    for (side, rate) in [("old", "5%"), ("new", "6%")] {
        if let Err(error) = write(&root.join(side), count, rate) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    }
    println!(
        "wrote {}/old and {}/new, {count} campaigns each",
        root.display(),
        root.display()
    );
    ExitCode::SUCCESS
}

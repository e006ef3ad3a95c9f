//! Compiling Camp sources into IR in-process, and payments from a compact
//! test form.

#![allow(dead_code)]

pub mod generate;

use std::str::FromStr;

use camp_core::ir::types::{CampaignDocument, Id, Instant, Manifest, Money};
use camp_core::package::{InputFile, PackageInput, analyze};
use camp_eval::{Evaluator, Payment};
use rust_decimal::Decimal;

/// The IR of a package made of `files` (path, text), or the compiler's
/// error messages.
pub fn compile(files: &[(&str, &str)]) -> Result<(Manifest, Vec<CampaignDocument>), String> {
    let analysis = analyze(PackageInput {
        name: Some(String::from("eval-test")),
        files: files
            .iter()
            .map(|(path, text)| InputFile {
                path: path.to_string(),
                relative_path: path.to_string(),
                bytes: text.as_bytes().to_vec().into(),
            })
            .collect(),
        lints: Default::default(),
    });
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(|diagnostic| format!("{}: {}", diagnostic.code, diagnostic.message))
        .collect();
    let built = camp_core::ir::build(&analysis)
        .map_err(|error| error.to_string())?
        .ok_or_else(|| errors.join("\n"))?;
    let mut documents = Vec::new();
    for (path, bytes) in &built.files {
        if path != "manifest.json" {
            let document: CampaignDocument =
                serde_json::from_slice(bytes).map_err(|error| format!("{path}: {error}"))?;
            documents.push(document);
        }
    }
    Ok((built.manifest, documents))
}

pub fn evaluator(files: &[(&str, &str)]) -> Evaluator {
    let (manifest, documents) = compile(files).unwrap_or_else(|errors| panic!("{errors}"));
    Evaluator::new(&manifest, documents).unwrap()
}

/// `"CNY 100.00"`.
pub fn money(text: &str) -> Money {
    let (code, amount) = text.split_once(' ').unwrap();
    Money::new(
        Decimal::from_str(amount).unwrap(),
        iso_currency::Currency::from_code(code).unwrap(),
    )
}

/// `"2025-02-03T10:30:00+08:00"`.
pub fn instant(text: &str) -> Instant {
    Instant(jiff::Timestamp::from_str(text).unwrap())
}

pub fn id(text: &str) -> Id {
    Id::try_from(text.to_string()).unwrap()
}

pub fn payment(id: &str, amount: &str, time: &str, scene: &str) -> Payment {
    Payment::new(id, money(amount), instant(time), self::id(scene))
}

/// The calendar period a limit counts in, recomputed with jiff's own
/// calendar arithmetic: the oracles' version, not the evaluator's.
pub fn period_start(
    zone: &jiff::tz::TimeZone,
    at: jiff::Timestamp,
    period: camp_core::ir::types::Period,
) -> jiff::civil::DateTime {
    use camp_core::ir::types::Period;
    let zoned = at.to_zoned(zone.clone());
    let date = zoned.date();
    match period {
        Period::Hour => date.at(zoned.hour(), 0, 0, 0),
        Period::Day => date.at(0, 0, 0, 0),
        Period::Week => {
            let mut day = date;
            while day.weekday() != jiff::civil::Weekday::Monday {
                day = day.yesterday().unwrap();
            }
            day.at(0, 0, 0, 0)
        }
        Period::Month => jiff::civil::date(date.year(), date.month(), 1).at(0, 0, 0, 0),
    }
}

/// Whether an instant is on the campaign's schedule, recomputed here: the
/// local weekday's name among the days, the local time of day in a range.
pub fn on_schedule(
    campaign: &camp_core::ir::types::Campaign,
    zone: &jiff::tz::TimeZone,
    at: jiff::Timestamp,
) -> bool {
    let Some(schedule) = &campaign.schedule else {
        return true;
    };
    let zoned = at.to_zoned(zone.clone());
    let weekday = format!("{:?}", zoned.weekday()).to_lowercase();
    let minute = u32::from(zoned.hour() as u8) * 60 + u32::from(zoned.minute() as u8);
    schedule
        .days
        .as_slice()
        .iter()
        .any(|day| weekday.starts_with(day.as_str()))
        && schedule.hours.as_slice().iter().any(|range| {
            u32::from(range.start_minute) <= minute && minute < u32::from(range.end_minute)
        })
}

/// The value a limit counts by, for the oracles.
pub fn dimension(payment: &Payment, dimension: camp_core::ir::types::Dimension) -> Option<String> {
    use camp_core::ir::types::Dimension;
    match dimension {
        Dimension::User => payment.user.clone(),
        Dimension::Device => payment.device.clone(),
        Dimension::Ip => payment.ip.clone(),
        Dimension::Merchant => payment.merchant.clone(),
        Dimension::Region => payment.region.as_ref().map(|id| id.as_str().to_string()),
        Dimension::Card => payment.card.as_ref().map(|card| card.id.clone()),
        Dimension::Category => payment.category.as_ref().map(|id| id.as_str().to_string()),
    }
}

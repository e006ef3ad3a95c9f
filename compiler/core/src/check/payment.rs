//! One payment outside any test: the text of `campc explain PATH --pay
//! "CNY 300.00 at online_purchase, user bob, time 2026-12-12 10:00"`,
//! checked against a package that checked cleanly, as a `pay` line of a
//! package test is ([`super::tests`]): the same attributes, names and
//! times. Two things differ, since there is no test around it: without
//! `time` the payment is at `now` (the caller's clock); and a time without
//! a zone is in the zone of the package's campaigns in the payment's
//! currency when they all have one, else E0909.

use std::collections::BTreeMap;

use super::campaign::scope::{civil, resolve_zone, to_timestamp};
use super::model::Model;
use super::tests::{PayAttributes, TestPayment, resolve_attributes};
use super::values::{Ctx, Symbol, Symbols};
use crate::error::{CampError, NameKind};
use crate::syntax::ast::{ParsedFile, PaymentSyntax};

/// The payment `syntax` describes, every name resolved against the
/// package (its parsed files and checked model), or the errors.
pub fn check_payment(
    files: &[ParsedFile],
    model: &Model,
    syntax: &PaymentSyntax,
    now: jiff::Timestamp,
) -> Result<TestPayment, Vec<CampError>> {
    let symbols = symbols(files);
    let mut ctx = Ctx::new(&symbols, model.schema.policy.as_ref());
    let amount = ctx.expect_positive_money(&syntax.amount, "payment");
    let scene = ctx.expect_ident(&syntax.scene, NameKind::Scene);
    let (resolved, attributes) = resolve_attributes(&mut ctx, &syntax.attributes);
    let PayAttributes {
        category,
        region,
        segments,
        merchant,
        user,
        device,
        ip,
        id,
        time,
        merchant_groups,
        card,
    } = attributes;
    let placed = match (amount, time) {
        (_, None) => {
            let zone = jiff::tz::TimeZone::UTC;
            Some((now, zone.to_datetime(now), String::from("UTC")))
        }
        (Some(amount), Some((instant, zone))) => {
            let named = match zone {
                Some(zone) => resolve_zone(&mut ctx, zone).map(|tz| (zone.text.clone(), tz)),
                None => {
                    let zones: BTreeMap<&str, &jiff::tz::TimeZone> = model
                        .campaigns
                        .iter()
                        .filter(|campaign| campaign.currency == amount.currency)
                        .map(|campaign| (campaign.window.zone.as_str(), &campaign.window.time_zone))
                        .collect();
                    match zones.iter().next() {
                        Some((name, tz)) if zones.len() == 1 => {
                            Some((name.to_string(), (*tz).clone()))
                        }
                        Some(_) | None => {
                            ctx.error(CampError::PaymentTimeWithoutZone {
                                span: instant.span,
                                currency: amount.code().to_string(),
                                zones: zones.keys().map(|name| name.to_string()).collect(),
                            });
                            None
                        }
                    }
                }
            };
            let local = civil(&mut ctx, instant);
            match (named, local) {
                (Some((name, tz)), Some(local)) => {
                    to_timestamp(&mut ctx, &tz, local, instant, &name)
                        .map(|timestamp| (timestamp, local, name))
                }
                _ => None,
            }
        }
        // The amount did not check: its error is enough.
        (None, Some(_)) => None,
    };
    match (amount, scene, placed, resolved && ctx.errors.is_empty()) {
        (Some(amount), Some(scene), Some((instant, local, zone)), true) => Ok(TestPayment {
            id,
            amount,
            instant,
            local,
            zone,
            scene,
            category,
            region,
            segments,
            merchant,
            user,
            device,
            ip,
            merchant_groups,
            card,
        }),
        _ => Err(ctx.errors),
    }
}

/// The package's declared names (one namespace; it checked cleanly, so
/// each is declared once).
fn symbols(files: &[ParsedFile]) -> Symbols {
    let mut symbols = Symbols::default();
    for item in files.iter().flat_map(|file| file.items.iter()) {
        let Some((name, span, kind)) = super::name_of(item) else {
            continue;
        };
        if symbols.by_name.contains_key(name) {
            continue;
        }
        symbols
            .by_name
            .insert(name.to_string(), Symbol { kind, span });
        symbols
            .names_of_kind
            .entry(kind)
            .or_default()
            .push(name.to_string());
    }
    for names in symbols.names_of_kind.values_mut() {
        names.sort();
    }
    symbols
}

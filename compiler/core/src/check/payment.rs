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
use crate::syntax::ast::{
    ClaimRequestSyntax, InstantSyntax, ParsedFile, PayAttributeValue, PaymentSyntax,
};

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
            place(&mut ctx, instant, named)
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

/// (v2) A claim outside any test (`campc explain --claim`), resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequest {
    pub campaign: String,
    pub user: String,
    pub instant: jiff::Timestamp,
    /// The instant in the zone it was written in (or defaulted to), and
    /// that zone as written.
    pub local: jiff::civil::DateTime,
    pub zone: String,
}

/// (v2) The claim `syntax` describes, made before `payment` is decided: a
/// `claim` line's claim ([`super::tests`]: a campaign with a claim block,
/// `user` and `time` only). Without `user`, the payment's user claims;
/// without `time`, the claim is at the payment's instant; a time without a
/// zone is in the claimed campaign's zone.
pub fn check_claim(
    files: &[ParsedFile],
    model: &Model,
    syntax: &ClaimRequestSyntax,
    payment: &TestPayment,
) -> Result<ClaimRequest, Vec<CampError>> {
    let symbols = symbols(files);
    let mut ctx = Ctx::new(&symbols, model.schema.policy.as_ref());
    let name = ctx.expect_ident(&syntax.campaign, NameKind::Campaign);
    let claimed = name.as_deref().and_then(|id| {
        model
            .campaigns
            .iter()
            .find(|campaign| campaign.id.as_str() == id)
    });
    if let Some(campaign) = claimed
        && campaign.claim.is_none()
    {
        ctx.error(CampError::ClaimWithoutBlock {
            span: syntax.campaign.span,
            campaign: campaign.id.clone(),
            declared: campaign.name_span,
        });
    }
    let mut user = None;
    let mut time = None;
    for attribute in &syntax.attributes {
        match &attribute.value {
            PayAttributeValue::User(ident) => {
                user = Some(ident.text.clone());
                continue;
            }
            PayAttributeValue::Time { instant, zone } => {
                time = Some((instant, zone.as_ref()));
                continue;
            }
            PayAttributeValue::Schema(..)
            | PayAttributeValue::Group(_)
            | PayAttributeValue::Merchant(_)
            | PayAttributeValue::Device(_)
            | PayAttributeValue::Id(_)
            | PayAttributeValue::Card { .. }
            | PayAttributeValue::Ip(_) => {}
        }
        ctx.error(CampError::ClaimAttribute {
            span: attribute.span(),
            attribute: attribute.value.word().to_string(),
        });
    }
    let user = user.or_else(|| payment.user.clone());
    if user.is_none() {
        ctx.error(CampError::ClaimWithoutUser {
            span: syntax.campaign.span,
        });
    }
    let placed = match time {
        None => Some((payment.instant, payment.local, payment.zone.clone())),
        Some((instant, zone)) => {
            let named = match (zone, claimed) {
                (Some(zone), _) => resolve_zone(&mut ctx, zone).map(|tz| (zone.text.clone(), tz)),
                (None, Some(campaign)) => Some((
                    campaign.window.zone.clone(),
                    campaign.window.time_zone.clone(),
                )),
                // The campaign's name did not resolve: its error is enough.
                (None, None) => None,
            };
            place(&mut ctx, instant, named)
        }
    };
    match (name, user, placed, ctx.errors.is_empty()) {
        (Some(campaign), Some(user), Some((instant, local, zone)), true) => Ok(ClaimRequest {
            campaign,
            user,
            instant,
            local,
            zone,
        }),
        _ => Err(ctx.errors),
    }
}

/// A written time in a zone (its name and rules): the instant, the local
/// date-time and the zone's name; `None` when the time or the zone did not
/// check (their errors are in `ctx`) or the local time does not exist there.
fn place(
    ctx: &mut Ctx<'_>,
    instant: &InstantSyntax,
    named: Option<(String, jiff::tz::TimeZone)>,
) -> Option<(jiff::Timestamp, jiff::civil::DateTime, String)> {
    let local = civil(ctx, instant);
    match (named, local) {
        (Some((name, tz)), Some(local)) => {
            to_timestamp(ctx, &tz, local, instant, &name).map(|timestamp| (timestamp, local, name))
        }
        (None, _) | (_, None) => None,
    }
}

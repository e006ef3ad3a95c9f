//! Test blocks: names resolved, amounts typed, times placed, and
//! expectations that no evaluation could meet refused (`E09xx`). What is
//! left is a [`TestPlan`] per test, the lines in order with every attribute
//! resolved, for `campc test` to run with the reference evaluator.
//!
//! Times, as the contract says: a line without `time` is at the previous
//! line's time, or at the window's start for the first line of a campaign
//! test; without a zone a time is in the campaign's window zone. A package
//! test (named by a string) has no one window: its first line gives a time
//! (E0906) and every time names its zone (E0905). Times never go backwards
//! (E0904).

use std::collections::BTreeSet;
use std::sync::Arc;

use super::campaign::scope::{civil, instant_text, resolve_zone, to_timestamp};
use super::model::{CampaignModel, Money};
use super::values::Ctx;
use crate::error::{CampError, NameKind};
use crate::source::Span;
use crate::syntax::ast::{
    AtomKind, ClaimOutcomeSyntax, ClaimSyntax, DiscountKind, ExpectedSyntax, InstantSyntax, Item,
    ItemKind, List, PayAttribute, PayAttributeValue, PaySyntax, SchemaKind, TestDecl, TestLine,
    TestName,
};

/// The reasons a campaign pays nothing, in the contract's order: the words
/// a test may write after `no discount:`.
pub const REASONS: [&str; 14] = [
    "currency",
    "window",
    "schedule",
    "scope",
    "min_spend",
    "max_spend",
    "reward",
    "rollout",
    "claim",
    "guard",
    "limit",
    "budget",
    "pool",
    "stacking",
];

/// The words after `claim …, … => refused:`.
pub const CLAIM_REFUSALS: [&str; 3] = ["inventory", "per_user", "window"];

/// One checked test block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPlan {
    /// The campaign's name, or the string as written.
    pub name: String,
    pub target: TestTarget,
    /// The test's name as written.
    pub span: Span,
    /// The `pay` lines in order.
    pub lines: Vec<TestPay>,
    /// (v2) The `claim` lines in order; each runs before the `pay` lines
    /// written after it (by `line`).
    pub claims: Vec<TestClaim>,
}

/// What a test runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestTarget {
    /// That campaign alone.
    Campaign(String),
    /// Every campaign of the package.
    Package,
}

/// One `pay` line, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPay {
    /// Its place among the test's lines, from 1.
    pub line: usize,
    /// The whole line.
    pub span: Span,
    /// The expectation, after `=>`.
    pub expected_span: Span,
    pub payment: TestPayment,
    pub expected: Expectation,
}

/// The payment of a line, every default applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPayment {
    /// `id NAME`, or `None` for a fresh id.
    pub id: Option<String>,
    pub amount: Money,
    pub instant: jiff::Timestamp,
    /// The instant in the zone it was written in (or defaulted to), and
    /// that zone as written: for showing the line.
    pub local: jiff::civil::DateTime,
    pub zone: String,
    pub scene: String,
    pub category: Option<String>,
    pub region: Option<String>,
    pub segments: BTreeSet<String>,
    pub merchant: Option<String>,
    pub user: Option<String>,
    pub device: Option<String>,
    pub ip: Option<String>,
    /// (v2) `group NAME`, repeatable.
    pub merchant_groups: BTreeSet<String>,
    /// (v2) `card INSTRUMENT ["ID"]`: the instrument and the identity.
    pub card: Option<(String, Option<String>)>,
}

/// (v2) One `claim` line, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestClaim {
    /// Its place among the test's lines, from 1.
    pub line: usize,
    /// The whole line, and its expectation after `=>`.
    pub span: Span,
    pub expected_span: Span,
    pub campaign: String,
    pub user: String,
    pub instant: jiff::Timestamp,
    /// The instant in the zone it was written in (or defaulted to), and
    /// that zone as written.
    pub local: jiff::civil::DateTime,
    pub zone: String,
    pub expected: ClaimExpectation,
}

/// (v2) What a `claim` line expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimExpectation {
    /// `=> claimed`
    Claimed,
    /// `=> refused: inventory | per_user | window`
    Refused(String),
}

/// What a line expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// `=> MONEY off [from [a, b]]`: the total off, and with `from`, exactly
    /// the campaigns that paid.
    Discount {
        amount: Money,
        from: Option<BTreeSet<String>>,
        /// `=> MONEY back`: credited later by `back` campaigns.
        back: bool,
    },
    /// `=> no discount[: REASON [from [a]]]`: nothing paid; with a reason,
    /// the reason of the campaigns `from` names (or, without `from`, of the
    /// test's campaign, or in a package test of every campaign in the
    /// payment's currency).
    NoDiscount {
        reason: Option<String>,
        from: Option<BTreeSet<String>>,
    },
    /// `=> refused: conflicting replay`
    ConflictingReplay,
}

/// Where the previous line's time came from, for E0904.
#[derive(Clone, Copy)]
struct Previous {
    instant: jiff::Timestamp,
    local: jiff::civil::DateTime,
    zone_index: usize,
    span: Span,
}

/// Checks every test of the package; `campaigns` are the checked campaigns,
/// sorted by id. Returns the plans of the tests that checked cleanly.
pub(super) fn check_tests(
    ctx: &mut Ctx<'_>,
    items: &[&Item],
    campaigns: &[Arc<CampaignModel>],
) -> Vec<TestPlan> {
    let mut plans = Vec::new();
    for item in items {
        if let ItemKind::Test(test) = &item.kind {
            let before = ctx.errors.len();
            let plan = check_test(ctx, test, campaigns);
            if ctx.errors.len() == before {
                plans.extend(plan);
            }
        }
    }
    plans
}

fn find<'m>(campaigns: &'m [Arc<CampaignModel>], id: &str) -> Option<&'m CampaignModel> {
    campaigns
        .binary_search_by(|campaign| campaign.id.as_str().cmp(id))
        .ok()
        .and_then(|index| campaigns.get(index))
        .map(|campaign| &**campaign)
}

fn check_test(
    ctx: &mut Ctx<'_>,
    test: &TestDecl,
    campaigns: &[Arc<CampaignModel>],
) -> Option<TestPlan> {
    // The campaign a campaign test runs, when it checked cleanly; `None`
    // for a package test.
    let (target, campaign) = match &test.name {
        TestName::Campaign(ident) => {
            let resolved = ctx.expect_ident(ident, NameKind::Campaign);
            (
                TestTarget::Campaign(ident.text.clone()),
                resolved.and_then(|id| find(campaigns, &id)),
            )
        }
        TestName::Package { .. } => (TestTarget::Package, None),
    };
    let mut complete = match &target {
        TestTarget::Campaign(_) => campaign.is_some(),
        TestTarget::Package => true,
    };
    // The zones written in the test, so that a previous time is shown in
    // its own zone.
    let mut zones: Vec<(String, jiff::tz::TimeZone)> = Vec::new();
    let mut previous: Option<Previous> = campaign.map(|campaign| {
        zones.push((
            campaign.window.zone.clone(),
            campaign.window.time_zone.clone(),
        ));
        Previous {
            instant: campaign.window.start,
            local: campaign.window.start_local,
            zone_index: 0,
            span: campaign.window.span,
        }
    });
    let mut lines = Vec::new();
    let mut claims = Vec::new();
    for (index, line) in test.lines.iter().enumerate() {
        match line {
            TestLine::Pay(pay) => {
                let planned = check_pay(
                    ctx,
                    test,
                    &target,
                    campaign,
                    campaigns,
                    pay,
                    &mut previous,
                    &mut zones,
                );
                match planned {
                    Some((payment, expected)) => lines.push(TestPay {
                        line: index.saturating_add(1),
                        span: pay.span,
                        expected_span: pay.expected.span(),
                        payment,
                        expected,
                    }),
                    None => complete = false,
                }
            }
            TestLine::Claim(claim) => {
                match check_claim_line(
                    ctx,
                    test,
                    &target,
                    campaign,
                    campaigns,
                    claim,
                    &mut previous,
                    &mut zones,
                ) {
                    Some(mut planned) => {
                        planned.line = index.saturating_add(1);
                        claims.push(planned);
                    }
                    None => complete = false,
                }
            }
        }
    }
    if !complete {
        return None;
    }
    Some(TestPlan {
        name: test.name.text().to_string(),
        target,
        span: test.name.span(),
        lines,
        claims,
    })
}

/// (v2) A `claim` line: a campaign with a claim block that the test runs,
/// a user, and an instant placed as a `pay` line's is.
#[allow(clippy::too_many_arguments)]
fn check_claim_line(
    ctx: &mut Ctx<'_>,
    test: &TestDecl,
    target: &TestTarget,
    campaign: Option<&CampaignModel>,
    campaigns: &[Arc<CampaignModel>],
    claim: &ClaimSyntax,
    previous: &mut Option<Previous>,
    zones: &mut Vec<(String, jiff::tz::TimeZone)>,
) -> Option<TestClaim> {
    let mut ok = true;
    let name = ctx.expect_ident(&claim.campaign, NameKind::Campaign);
    let claimed = name.as_deref().and_then(|id| find(campaigns, id));
    if let (TestTarget::Campaign(own), Some(name)) = (target, &name)
        && own != name
    {
        ctx.error(CampError::ClaimOtherCampaign {
            span: claim.campaign.span,
            campaign: name.clone(),
            test: own.clone(),
        });
        ok = false;
    }
    if let Some(model) = claimed
        && model.claim.is_none()
    {
        ctx.error(CampError::ClaimWithoutBlock {
            span: claim.campaign.span,
            campaign: model.id.clone(),
            declared: model.name_span,
        });
        ok = false;
    }
    let mut user = None;
    let mut time = None;
    for attribute in &claim.attributes {
        match &attribute.value {
            PayAttributeValue::User(ident) => user = Some(ident.text.clone()),
            PayAttributeValue::Time { instant, zone } => time = Some((instant, zone.as_ref())),
            other => {
                ctx.error(CampError::ClaimAttribute {
                    span: attribute.span(),
                    attribute: other.word().to_string(),
                });
                ok = false;
            }
        }
    }
    if user.is_none() {
        ctx.error(CampError::ClaimWithoutUser {
            span: claim.keyword.to(claim.campaign.span),
        });
        ok = false;
    }
    let expected = match &claim.expected {
        ClaimOutcomeSyntax::Claimed(_) => Some(ClaimExpectation::Claimed),
        ClaimOutcomeSyntax::Refused(reason) => {
            expect_word(ctx, reason, "claim refusal", &CLAIM_REFUSALS)
                .map(ClaimExpectation::Refused)
        }
    };
    let no_start = claim.keyword.to(claim.campaign.span);
    let placed = place_time(ctx, test, campaign, no_start, time, previous, zones);
    let (instant, local, zone) = placed?;
    if !ok {
        return None;
    }
    let expected_span = match &claim.expected {
        ClaimOutcomeSyntax::Claimed(span) => *span,
        ClaimOutcomeSyntax::Refused(reason) => reason.span,
    };
    Some(TestClaim {
        line: 0,
        span: claim.span,
        expected_span,
        campaign: name?,
        user: user?,
        instant,
        local,
        zone,
        expected: expected?,
    })
}

/// Resolves the names of an attribute that has them: a schema name, a
/// merchant group, a card's instrument.
fn check_attribute_names(ctx: &mut Ctx<'_>, value: &PayAttributeValue) -> Option<String> {
    match value {
        PayAttributeValue::Schema(kind, name) => {
            let kind = match kind {
                SchemaKind::Scene => NameKind::Scene,
                SchemaKind::Category => NameKind::Category,
                SchemaKind::Region => NameKind::Region,
                SchemaKind::Segment => NameKind::Segment,
                SchemaKind::MerchantGroup => NameKind::MerchantGroup,
                SchemaKind::Instrument => NameKind::Instrument,
            };
            ctx.expect_ident(name, kind)
        }
        PayAttributeValue::Group(name) => ctx.expect_ident(name, NameKind::MerchantGroup),
        PayAttributeValue::Card { instrument, .. } => {
            ctx.expect_ident(instrument, NameKind::Instrument)
        }
        PayAttributeValue::Merchant(_)
        | PayAttributeValue::User(_)
        | PayAttributeValue::Device(_)
        | PayAttributeValue::Id(_)
        | PayAttributeValue::Ip(_)
        | PayAttributeValue::Time { .. } => None,
    }
}

fn expect_word(
    ctx: &mut Ctx<'_>,
    word: &crate::syntax::ast::Ident,
    what: &'static str,
    allowed: &'static [&'static str],
) -> Option<String> {
    if allowed.contains(&word.text.as_str()) {
        return Some(word.text.clone());
    }
    ctx.error(CampError::UnknownWord {
        word: word.text.clone(),
        span: word.span,
        what,
        allowed,
        suggestion: super::values::suggest(&word.text, allowed.iter().copied()),
    });
    None
}

#[allow(clippy::too_many_arguments)]
fn check_pay(
    ctx: &mut Ctx<'_>,
    test: &TestDecl,
    target: &TestTarget,
    campaign: Option<&CampaignModel>,
    campaigns: &[Arc<CampaignModel>],
    pay: &PaySyntax,
    previous: &mut Option<Previous>,
    zones: &mut Vec<(String, jiff::tz::TimeZone)>,
) -> Option<(TestPayment, Expectation)> {
    let mut ok = true;
    let amount = ctx.expect_positive_money(&pay.amount, "payment");
    let scene = ctx.expect_ident(&pay.scene, NameKind::Scene);
    ok &= amount.is_some() && scene.is_some();

    let (resolved, attributes) = resolve_attributes(ctx, &pay.attributes);
    ok &= resolved;
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

    // The instant.
    let no_start = Span {
        end: pay.scene.span.end,
        ..pay.span
    };
    let placed = place_time(ctx, test, campaign, no_start, time, previous, zones);
    ok &= placed.is_some();

    let expected = check_expected(ctx, test, target, campaign, campaigns, pay, amount);
    ok &= expected.is_some();

    if !ok {
        return None;
    }
    let (instant, local, zone) = placed?;
    Some((
        TestPayment {
            id,
            amount: amount?,
            instant,
            local,
            zone,
            scene: scene?,
            category,
            region,
            segments,
            merchant,
            user,
            device,
            ip,
            merchant_groups,
            card,
        },
        expected?,
    ))
}

/// A payment's attributes after `at SCENE`, resolved: names checked,
/// each attribute given at most once.
pub(super) struct PayAttributes<'a> {
    pub category: Option<String>,
    pub region: Option<String>,
    pub segments: BTreeSet<String>,
    pub merchant: Option<String>,
    pub user: Option<String>,
    pub device: Option<String>,
    pub ip: Option<String>,
    pub id: Option<String>,
    pub time: Option<(&'a InstantSyntax, Option<&'a crate::syntax::ast::Ident>)>,
    pub merchant_groups: BTreeSet<String>,
    pub card: Option<(String, Option<String>)>,
}

/// Resolves the attributes of a `pay` line (or of `campc explain --pay`);
/// `false` when one of them has an error.
pub(super) fn resolve_attributes<'a>(
    ctx: &mut Ctx<'_>,
    attributes: &'a [PayAttribute],
) -> (bool, PayAttributes<'a>) {
    let mut ok = true;
    let mut category = None;
    let mut region = None;
    let mut segments = BTreeSet::new();
    let mut merchant_groups = BTreeSet::new();
    let mut card = None;
    let mut merchant = None;
    let mut user = None;
    let mut device = None;
    let mut ip = None;
    let mut id = None;
    let mut time: Option<(&InstantSyntax, Option<&crate::syntax::ast::Ident>)> = None;
    // The first span of each attribute that may be given once.
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    for attribute in attributes {
        let span = attribute.span();
        let once = |ctx: &mut Ctx<'_>, seen: &mut Vec<(&'static str, Span)>, name: &'static str| {
            if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == name) {
                ctx.error(CampError::DuplicateField {
                    field: name.to_string(),
                    span,
                    first: *first,
                });
                false
            } else {
                seen.push((name, span));
                true
            }
        };
        match &attribute.value {
            PayAttributeValue::Schema(kind, _) => {
                let resolved = check_attribute_names(ctx, &attribute.value);
                ok &= resolved.is_some();
                match kind {
                    SchemaKind::Segment => segments.extend(resolved),
                    SchemaKind::Category => {
                        ok &= once(ctx, &mut seen, "category");
                        category = resolved;
                    }
                    SchemaKind::Region => {
                        ok &= once(ctx, &mut seen, "region");
                        region = resolved;
                    }
                    // The grammar writes the scene after `at`, never as an
                    // attribute; merchant groups and instruments have their
                    // own words (`group`, `card`).
                    SchemaKind::Scene | SchemaKind::MerchantGroup | SchemaKind::Instrument => {
                        ok = false
                    }
                }
            }
            PayAttributeValue::Group(_) => {
                let resolved = check_attribute_names(ctx, &attribute.value);
                ok &= resolved.is_some();
                merchant_groups.extend(resolved);
            }
            PayAttributeValue::Card { identity, .. } => {
                ok &= once(ctx, &mut seen, "card");
                let resolved = check_attribute_names(ctx, &attribute.value);
                ok &= resolved.is_some();
                card = resolved.map(|instrument| {
                    (instrument, identity.as_ref().map(|text| text.text.clone()))
                });
            }
            PayAttributeValue::Merchant(name) => {
                ok &= once(ctx, &mut seen, "merchant");
                merchant = Some(name.text.clone());
            }
            PayAttributeValue::User(name) => {
                ok &= once(ctx, &mut seen, "user");
                user = Some(name.text.clone());
            }
            PayAttributeValue::Device(name) => {
                ok &= once(ctx, &mut seen, "device");
                device = Some(name.text.clone());
            }
            PayAttributeValue::Id(name) => {
                ok &= once(ctx, &mut seen, "id");
                id = Some(name.text.clone());
            }
            PayAttributeValue::Ip(text) => {
                ok &= once(ctx, &mut seen, "ip");
                ip = Some(text.text.clone());
            }
            PayAttributeValue::Time { instant, zone } => {
                ok &= once(ctx, &mut seen, "time");
                time = Some((instant, zone.as_ref()));
            }
        }
    }

    (
        ok,
        PayAttributes {
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
        },
    )
}

/// The line's instant, its local time and zone, from its `time` or the
/// previous line's; updates `previous`.
fn place_time(
    ctx: &mut Ctx<'_>,
    test: &TestDecl,
    campaign: Option<&CampaignModel>,
    no_start: Span,
    time: Option<(&InstantSyntax, Option<&crate::syntax::ast::Ident>)>,
    previous: &mut Option<Previous>,
    zones: &mut Vec<(String, jiff::tz::TimeZone)>,
) -> Option<(jiff::Timestamp, jiff::civil::DateTime, String)> {
    let package = matches!(test.name, TestName::Package { .. });
    let Some((instant, zone)) = time else {
        // No time: the previous line's, or the window's start.
        let Some(previous) = *previous else {
            if package {
                ctx.error(CampError::TestWithoutStart {
                    span: no_start,
                    test: test.name.text().to_string(),
                });
            }
            return None;
        };
        let zone = zones.get(previous.zone_index)?.0.clone();
        return Some((previous.instant, previous.local, zone));
    };
    let (zone_name, time_zone) = match zone {
        Some(zone) => (zone.text.clone(), resolve_zone(ctx, zone)),
        None => match campaign {
            Some(campaign) => (
                campaign.window.zone.clone(),
                Some(campaign.window.time_zone.clone()),
            ),
            None => {
                if package {
                    ctx.error(CampError::TestTimeWithoutZone {
                        span: instant.span,
                        test: test.name.text().to_string(),
                    });
                }
                (String::new(), None)
            }
        },
    };
    let local = civil(ctx, instant);
    let (time_zone, local) = (time_zone?, local?);
    let timestamp = to_timestamp(ctx, &time_zone, local, instant, &zone_name)?;
    if let Some(previous) = *previous
        && timestamp < previous.instant
    {
        let (previous_zone, _) = zones.get(previous.zone_index)?;
        ctx.error(CampError::TestTimeBackwards {
            span: instant.span,
            time: format!("{} {zone_name}", instant_text(instant)),
            previous: format!("{} {previous_zone}", local_text(previous.local)),
            previous_span: previous.span,
        });
        return None;
    }
    let zone_index = match zones.iter().position(|(name, _)| *name == zone_name) {
        Some(index) => index,
        None => {
            zones.push((zone_name.clone(), time_zone));
            zones.len().saturating_sub(1)
        }
    };
    *previous = Some(Previous {
        instant: timestamp,
        local,
        zone_index,
        span: instant.span,
    });
    Some((timestamp, local, zone_name))
}

/// Campaign names of a `from [...]`, resolved; E0908 for a name a
/// campaign test does not run.
fn check_from(ctx: &mut Ctx<'_>, test: &TestDecl, list: &List) -> Option<Vec<(String, Span)>> {
    let mut names = Vec::new();
    let mut ok = true;
    for atom in &list.items {
        let Some(name) = ctx.expect_name(atom, NameKind::Campaign) else {
            ok = false;
            continue;
        };
        if let TestName::Campaign(ident) = &test.name
            && ident.text != name
        {
            ctx.error(CampError::TestCampaignNotRun {
                span: atom.span,
                campaign: name,
                test: ident.text.clone(),
                test_span: ident.span,
            });
            ok = false;
            continue;
        }
        if let Some((_, first)) = names
            .iter()
            .find(|(seen, _): &&(String, Span)| *seen == name)
        {
            ctx.error(CampError::DuplicateListItem {
                name,
                span: atom.span,
                first: *first,
            });
            ok = false;
            continue;
        }
        names.push((name, atom.span));
    }
    ok.then_some(names)
}

fn check_expected(
    ctx: &mut Ctx<'_>,
    test: &TestDecl,
    target: &TestTarget,
    campaign: Option<&CampaignModel>,
    campaigns: &[Arc<CampaignModel>],
    pay: &PaySyntax,
    payment: Option<Money>,
) -> Option<Expectation> {
    match &pay.expected {
        ExpectedSyntax::Discount {
            amount,
            kind,
            keyword: _,
            from,
            span: _,
        } => {
            // `back`: the amount credited later by `back` campaigns;
            // `off`: the amount off at payment.
            let back = match kind {
                DiscountKind::Off => false,
                DiscountKind::Back => true,
            };
            let expected = ctx.expect_money(amount);
            let from = match from {
                Some(list) => check_from(ctx, test, list).map(Some),
                None => Some(None),
            };
            let (Some(expected), Some(payment), Some(from)) = (expected, payment, from) else {
                return None;
            };
            let currency_span = match &amount.kind {
                AtomKind::Money { currency_span, .. } => *currency_span,
                _ => amount.span,
            };
            if expected.currency != payment.currency {
                ctx.error(CampError::TestDiscountCurrency {
                    span: currency_span,
                    expected: expected.code().to_string(),
                    payment: payment.code().to_string(),
                    payment_span: pay.amount.span,
                });
                return None;
            }
            if expected.amount > payment.amount {
                ctx.error(CampError::TestDiscountAbovePayment {
                    span: amount.span,
                    expected: expected.to_string(),
                    payment: payment.to_string(),
                    payment_span: pay.amount.span,
                });
                return None;
            }
            // The campaigns expected to pay: those `from` names, or the
            // test's own campaign. Only a discount above zero needs one.
            if expected.amount > rust_decimal::Decimal::ZERO {
                let payers: Vec<(&CampaignModel, Span)> = match (&from, target) {
                    (Some(names), _) => names
                        .iter()
                        .filter_map(|(name, span)| {
                            find(campaigns, name).map(|model| (model, *span))
                        })
                        .collect(),
                    (None, TestTarget::Campaign(_)) => campaign
                        .map(|model| (model, amount.span))
                        .into_iter()
                        .collect(),
                    (None, TestTarget::Package) => Vec::new(),
                };
                for (model, span) in payers {
                    if model.currency != payment.currency {
                        ctx.error(CampError::TestCampaignCurrency {
                            span,
                            campaign: model.id.clone(),
                            campaign_currency: model.currency.code().to_string(),
                            payment: payment.code().to_string(),
                            campaign_span: model.name_span,
                        });
                        return None;
                    }
                }
            }
            Some(Expectation::Discount {
                amount: expected,
                from: from.map(|names| names.into_iter().map(|(name, _)| name).collect()),
                back,
            })
        }
        ExpectedSyntax::NoDiscount {
            reason,
            from,
            span: _,
        } => {
            let reason = match reason {
                Some(reason) => Some(expect_word(ctx, reason, "reason", &REASONS)?),
                None => None,
            };
            let from = match from {
                Some(list) => Some(check_from(ctx, test, list)?),
                None => None,
            };
            Some(Expectation::NoDiscount {
                reason,
                from: from.map(|names| names.into_iter().map(|(name, _)| name).collect()),
            })
        }
        ExpectedSyntax::ConflictingReplay { span: _ } => Some(Expectation::ConflictingReplay),
    }
}

/// A local time as an author writes it: seconds only when there are some.
pub fn local_text(local: jiff::civil::DateTime) -> String {
    if local.second() == 0 {
        local.strftime("%Y-%m-%d %H:%M").to_string()
    } else {
        local.strftime("%Y-%m-%d %H:%M:%S").to_string()
    }
}

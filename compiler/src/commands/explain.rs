//! `campc explain PATH --pay "CNY 300.00 at online_purchase, user bob, time
//! 2026-12-12 10:00" [--claim "spring_coupon, user bob"]…`: the package's
//! IR built in memory, the claims made in order, then one payment decided
//! by the reference evaluator over every campaign, and each campaign's
//! outcome with the arithmetic behind it.

use std::path::PathBuf;
use std::process::ExitCode;

use camp_core::check::payment::ClaimRequest;
use camp_core::check::tests::TestPayment;
use camp_core::diagnostic::Diagnostic;
use camp_core::explain::{read_claims, read_payment};
use camp_core::package::Analysis;
use camp_core::source::SourceMap;
use camp_core::testing::{Claim, ClaimDecision, Payment, package_evaluator, payment_from};
use campc::render::{self, human, json};

use super::args::{ExplainFormat, InputArgs};
use super::check::{analyze_packages, now};
use crate::{Failure, report_width, write_stdout};

/// The id of the payment explained, unless `--pay` gives one with `id`.
pub(crate) const EXPLAIN_ID: &str = "explain";

pub(crate) fn explain(
    path: PathBuf,
    pay: &str,
    claims: &[String],
    format: ExplainFormat,
    colour: bool,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let checked = analyze_packages(vec![path.clone()], input)?;
    let [analysis] = checked.analyses.as_slice() else {
        return Err(format!(
            "`{}` holds {} packages; explain one package at a time",
            camp_fs::display(&path),
            checked.analyses.len()
        )
        .into());
    };
    // A package that does not compile has no IR to decide with.
    if analysis.has_compile_errors() {
        let errors: Vec<Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .cloned()
            .collect();
        print_errors(&errors, &analysis.sources, format, colour, analysis);
        if format == ExplainFormat::Human {
            eprintln!("nothing explained: fix the problems above first");
        }
        return Ok(ExitCode::from(1));
    }
    let mut read = read_payment(analysis, pay, now());
    let planned = match read.payment {
        Ok(planned) => planned,
        Err(errors) => {
            print_errors(&errors, &read.sources, format, colour, analysis);
            return Ok(ExitCode::from(1));
        }
    };
    let requests = match read_claims(analysis, &mut read.sources, claims, &planned) {
        Ok(requests) => requests,
        Err(errors) => {
            print_errors(&errors, &read.sources, format, colour, analysis);
            return Ok(ExitCode::from(1));
        }
    };
    let mut evaluator = package_evaluator(analysis)?;
    // The claims first, in order: the coupons the payment may use.
    let mut claimed = Vec::with_capacity(requests.len());
    for request in &requests {
        let claim = Claim {
            campaign: camp_core::ir::types::Id::try_from(request.campaign.clone())
                .map_err(|error| error.to_string())?,
            user: request.user.clone(),
            instant: camp_core::ir::types::Instant(request.instant),
        };
        let decision = evaluator.claim(&claim).map_err(|error| error.to_string())?;
        claimed.push((request, decision));
    }
    let payment = payment_from(&planned, EXPLAIN_ID.to_string())?;
    let decision = evaluator.decide(&payment);
    let text = match format {
        ExplainFormat::Human => {
            let mut text = String::new();
            for (request, decision) in &claimed {
                text.push_str(&describe_claim(request, decision));
                text.push('\n');
            }
            text.push_str(&format!("{}\n\n{decision}", describe(&planned, &payment)));
            text
        }
        ExplainFormat::Json => render::explain::to_string(&render::explain::JsonExplained {
            package: analysis.name.as_deref(),
            claims: claimed
                .iter()
                .map(|(request, decision)| render::explain::JsonClaimed {
                    campaign: &request.campaign,
                    user: &request.user,
                    instant: String::from(camp_core::ir::types::Instant(request.instant)),
                    decision,
                })
                .collect(),
            payment: &payment,
            decision: &decision,
        })?,
    };
    write_stdout(&text);
    Ok(ExitCode::SUCCESS)
}

fn print_errors(
    errors: &[Diagnostic],
    sources: &SourceMap,
    format: ExplainFormat,
    colour: bool,
    analysis: &Analysis,
) {
    let text = match format {
        ExplainFormat::Human => human::render(
            errors,
            sources,
            human::Style {
                colour,
                width: report_width(),
            },
        ),
        ExplainFormat::Json => {
            let items: Vec<(&Diagnostic, &SourceMap)> =
                errors.iter().map(|error| (error, sources)).collect();
            json::to_string(&json::report(
                &items,
                analysis.sources.files().len(),
                analysis.model.campaigns.len(),
            ))
        }
    };
    write_stdout(&text);
}

/// (v2) A claim and what it got, in an author's words: `claim
/// `spring_coupon` by `bob`, time 2026-12-01 10:00 Asia/Shanghai
/// (2026-12-01T02:00:00Z): claimed: a coupon valid from … until …`.
fn describe_claim(request: &ClaimRequest, decision: &ClaimDecision) -> String {
    let ClaimRequest {
        campaign,
        user,
        instant,
        local,
        zone,
    } = request;
    campc::render::escape_controls(&format!(
        "claim `{campaign}` by `{user}`, time {} {zone} ({instant}): {decision}",
        camp_core::check::tests::local_text(*local),
    ))
    .into_owned()
}

/// The payment as the evaluator reads it, in an author's words:
/// `payment `explain`: CNY 300.00 at `online_purchase`, user `bob`, time
/// 2026-12-12 10:00 Asia/Shanghai (2026-12-12T02:00:00Z)`.
fn describe(planned: &TestPayment, payment: &Payment) -> String {
    let TestPayment {
        id: _,
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
        card: _,
    } = planned;
    let mut parts = vec![format!("{amount} at `{scene}`")];
    let mut named = |word: &str, value: &Option<String>| {
        if let Some(value) = value {
            parts.push(format!("{word} `{value}`"));
        }
    };
    named("category", category);
    named("region", region);
    for segment in segments {
        named("segment", &Some(segment.clone()));
    }
    named("merchant", merchant);
    for group in merchant_groups {
        named("group", &Some(group.clone()));
    }

    named("user", user);
    named("device", device);
    named("ip", ip);
    if let Some(card) = &payment.card {
        parts.push(format!(
            "card `{}` \"{}\"",
            card.instrument.as_str(),
            card.id
        ));
    }
    parts.push(format!(
        "time {} {zone} ({})",
        camp_core::check::tests::local_text(*local),
        instant
    ));
    format!(
        "payment `{}`: {}",
        campc::render::escape_controls(&payment.id),
        campc::render::escape_controls(&parts.join(", "))
    )
}

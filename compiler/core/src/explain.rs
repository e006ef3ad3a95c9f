//! `campc explain PATH --pay "…" [--claim "…"]…`: one payment, written as
//! a `pay` line writes it, and the claims made before it, each written as
//! a `claim` line writes it, read against a package that checked cleanly.
//! Their errors point into each text as into a file named `--pay` or
//! `--claim`. Pure, like the core.

use std::sync::Arc;

use crate::check::payment::{ClaimRequest, check_claim, check_payment};
use crate::check::tests::TestPayment;
use crate::diagnostic::Diagnostic;
use crate::error::CampError;
use crate::package::Analysis;
use crate::source::SourceMap;
use crate::syntax::{parse_claim, parse_payment};

/// The name the `--pay` text has in diagnostics.
pub const PAY_FILE: &str = "--pay";

/// (v2) The name each `--claim` text has in diagnostics.
pub const CLAIM_FILE: &str = "--claim";

/// What reading the `--pay` text gave.
#[derive(Debug, Clone)]
pub struct PaymentRead {
    /// The package's files and, after them, the `--pay` text: what the
    /// diagnostics point into.
    pub sources: SourceMap,
    /// The payment, or the errors in the text (sorted by position).
    pub payment: Result<TestPayment, Vec<Diagnostic>>,
}

/// Reads the payment `text` describes in the package `analysis` checked
/// (which should have no error: its names and campaigns are what the
/// payment is read against). Without `time`, the payment is at `now`.
pub fn read_payment(analysis: &Analysis, text: &str, now: jiff::Timestamp) -> PaymentRead {
    let mut sources = analysis.sources.clone();
    let file = sources.add(
        String::from(PAY_FILE),
        String::from(PAY_FILE),
        Arc::from(text),
    );
    let payment = parse_payment(file, text)
        .and_then(|syntax| check_payment(&analysis.parsed, &analysis.model, &syntax, now))
        .map_err(|errors| {
            let mut diagnostics: Vec<Diagnostic> = errors
                .into_iter()
                .map(crate::error::CampError::into_diagnostic)
                .collect();
            diagnostics.sort_by_key(|diagnostic| {
                (diagnostic.primary.span.start, diagnostic.primary.span.end)
            });
            diagnostics
        });
    PaymentRead { sources, payment }
}

/// (v2) Reads the claims `texts` describe, made in order before `payment`
/// (read by [`read_payment`], whose `sources` each text is added to). A
/// claim without `user` is the payment's user's, without `time` at the
/// payment's instant. The claims, or every error in the texts (sorted by
/// text, then position).
pub fn read_claims(
    analysis: &Analysis,
    sources: &mut SourceMap,
    texts: &[String],
    payment: &TestPayment,
) -> Result<Vec<ClaimRequest>, Vec<Diagnostic>> {
    let mut claims = Vec::with_capacity(texts.len());
    let mut diagnostics = Vec::new();
    for text in texts {
        let file = sources.add(
            String::from(CLAIM_FILE),
            String::from(CLAIM_FILE),
            Arc::from(text.as_str()),
        );
        let claim = parse_claim(file, text)
            .and_then(|syntax| check_claim(&analysis.parsed, &analysis.model, &syntax, payment));
        match claim {
            Ok(claim) => claims.push(claim),
            Err(errors) => {
                let mut errors: Vec<Diagnostic> = errors
                    .into_iter()
                    .map(|error| {
                        // The help of a `claim` line's errors, for the option.
                        let help = match &error {
                            CampError::ClaimWithoutUser { .. } => Some(String::from(
                                "add `, user NAME` to `--claim`, or a user to `--pay` for its user to claim",
                            )),
                            CampError::ClaimWithoutBlock { campaign, .. } => Some(format!(
                                "leave out this `--claim`, or add a `claim {{ … }}` block to `{campaign}` if it is a claim-first coupon"
                            )),
                            CampError::ClaimAttribute { attribute, .. } => Some(format!(
                                "remove `{attribute}`; the payment gives it in `--pay`"
                            )),
                            _ => None,
                        };
                        let mut diagnostic = error.into_diagnostic();
                        if help.is_some() {
                            diagnostic.help = help;
                        }
                        diagnostic
                    })
                    .collect();
                errors.sort_by_key(|diagnostic| {
                    (diagnostic.primary.span.start, diagnostic.primary.span.end)
                });
                diagnostics.extend(errors);
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(claims)
    } else {
        Err(diagnostics)
    }
}

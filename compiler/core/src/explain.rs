//! `campc explain PATH --pay "…"`: one payment, written as a `pay` line
//! writes it, read against a package that checked cleanly. Its errors point
//! into the text as into a file named `--pay`. Pure, like the core.

use std::sync::Arc;

use crate::check::payment::check_payment;
use crate::check::tests::TestPayment;
use crate::diagnostic::Diagnostic;
use crate::package::Analysis;
use crate::source::SourceMap;
use crate::syntax::parse_payment;

/// The name the `--pay` text has in diagnostics.
pub const PAY_FILE: &str = "--pay";

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

//! Running a package's tests: the checked test plans (`check/tests.rs`)
//! against its IR with the reference evaluator (`camp-eval`). Pure, like
//! the rest of the core: an analysis in, every line's decision and verdict
//! out; `campc test` renders them, and an editor may show them.
//!
//! Each test block runs on a fresh evaluator: a test named after a
//! campaign holds that campaign alone, a package test every campaign. A
//! line's payment id is its `id`, or `TEST#LINE`.

use std::collections::{BTreeMap, BTreeSet};

pub use camp_eval::{
    Card, Claim, ClaimDecision, ClaimError, Decided, Decision, EvalError, Evaluator, Payment,
    Reason, Refusal,
};
use camp_ir::types::{CampaignDocument, Id, Instant, Manifest};
use serde::Serialize;

use crate::check::model::Money;
use crate::check::tests::{
    ClaimExpectation, Expectation, TestClaim, TestPay, TestPayment, TestPlan, TestTarget,
};
use crate::package::Analysis;
use crate::source::Span;

/// Why the tests could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The package has compile errors: no IR, nothing to run.
    #[error("the package does not compile")]
    DoesNotCompile,
    #[error("the IR could not be built: {0}")]
    Ir(#[from] camp_ir::types::IrError),
    #[error("the IR could not be read back: {0}")]
    Document(String),
    #[error("the evaluator refused the IR: {0}")]
    Eval(#[from] EvalError),
    #[error("the evaluator refused a claim: {0}")]
    Claim(#[from] ClaimError),
}

/// Every test that ran, in source order.
#[derive(Debug, Clone)]
pub struct TestRun {
    pub tests: Vec<TestResult>,
}

impl TestRun {
    pub fn lines(&self) -> impl Iterator<Item = (&TestResult, &LineResult)> {
        self.tests
            .iter()
            .flat_map(|test| test.lines.iter().map(move |line| (test, line)))
    }

    /// (v2) Every `claim` line that ran, with its test.
    pub fn claims(&self) -> impl Iterator<Item = (&TestResult, &ClaimResult)> {
        self.tests
            .iter()
            .flat_map(|test| test.claims.iter().map(move |claim| (test, claim)))
    }

    /// The lines that passed, `pay` and `claim` lines alike.
    pub fn passed(&self) -> usize {
        self.lines().filter(|(_, line)| line.passed()).count()
            + self.claims().filter(|(_, claim)| claim.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.lines().filter(|(_, line)| !line.passed()).count()
            + self.claims().filter(|(_, claim)| !claim.passed()).count()
    }
}

#[derive(Debug, Clone)]
pub struct TestResult {
    pub plan: TestPlan,
    pub lines: Vec<LineResult>,
    /// (v2) The `claim` lines, in order.
    pub claims: Vec<ClaimResult>,
}

/// (v2) One `claim` line: the claim, what it got, and whether that is
/// what the line expected.
#[derive(Debug, Clone)]
pub struct ClaimResult {
    pub line: usize,
    /// The whole line, and its expectation after `=>`.
    pub span: Span,
    pub expected_span: Span,
    pub claim: Claim,
    pub expected: ClaimExpectation,
    pub decision: ClaimDecision,
}

impl ClaimResult {
    pub fn passed(&self) -> bool {
        match (&self.expected, &self.decision) {
            (ClaimExpectation::Claimed, ClaimDecision::Claimed { .. }) => true,
            (ClaimExpectation::Refused(expected), ClaimDecision::Refused { reason }) => {
                expected == reason.as_str()
            }
            (ClaimExpectation::Claimed, ClaimDecision::Refused { .. })
            | (ClaimExpectation::Refused(_), ClaimDecision::Claimed { .. }) => false,
        }
    }
}

/// (v2) The evaluator's claim for a planned `claim` line.
pub fn claim_of(planned: &TestClaim) -> Result<Claim, RunError> {
    Ok(Claim {
        campaign: Id::try_from(planned.campaign.clone())
            .map_err(|error| RunError::Document(error.to_string()))?,
        user: planned.user.clone(),
        instant: Instant(planned.instant),
    })
}

/// One line: the payment as the evaluator saw it, its decision, and what
/// differs from the expectation (nothing: it passed).
#[derive(Debug, Clone)]
pub struct LineResult {
    pub line: usize,
    /// The whole `pay` line, and its expectation after `=>`.
    pub span: Span,
    pub expected_span: Span,
    pub payment: Payment,
    pub expected: Expectation,
    pub decision: Decision,
    pub mismatches: Vec<Mismatch>,
}

impl LineResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// One way a decision differs from what the line expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "LineMismatch")]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    /// The total off differs.
    Total {
        expected: camp_ir::types::Money,
        decided: camp_ir::types::Money,
    },
    /// Other campaigns paid than `from` names.
    Payers {
        expected: Vec<String>,
        decided: Vec<String>,
    },
    /// A campaign paid nothing for another reason, or paid, or was not
    /// considered.
    Reason {
        campaign: String,
        expected: String,
        decided: DecidedFor,
    },
    /// The payment was refused, but the line expected a decision.
    Refused { refusal: Refusal },
    /// The line expected a conflicting replay, but the payment was decided.
    NotRefused,
}

/// What a campaign got, for [`Mismatch::Reason`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecidedFor {
    Paid {
        amount: camp_ir::types::Money,
    },
    NoDiscount {
        reason: String,
    },
    /// The evaluator did not consider it (not in this test's evaluator).
    NotConsidered,
}

/// The package's IR, built in memory: its manifest and its campaign
/// documents by id.
fn package_ir(
    analysis: &Analysis,
) -> Result<(Manifest, BTreeMap<String, CampaignDocument>), RunError> {
    let Some(ir) = crate::ir::build(analysis)? else {
        return Err(RunError::DoesNotCompile);
    };
    let mut documents: BTreeMap<String, CampaignDocument> = BTreeMap::new();
    for (path, bytes) in &ir.files {
        if path == "manifest.json" {
            continue;
        }
        let document: CampaignDocument = serde_json::from_slice(bytes)
            .map_err(|error| RunError::Document(format!("{path}: {error}")))?;
        documents.insert(document.campaign.id.as_str().to_string(), document);
    }
    Ok((ir.manifest, documents))
}

/// An evaluator over every campaign of a package that compiles, with no
/// payment decided yet (`campc explain`).
pub fn package_evaluator(analysis: &Analysis) -> Result<Evaluator, RunError> {
    let (manifest, documents) = package_ir(analysis)?;
    Ok(Evaluator::new(
        &manifest,
        documents.into_values().collect(),
    )?)
}

/// Runs every test of a checked package whose name `filter` is (all with
/// `None`).
pub fn run(analysis: &Analysis, filter: Option<&str>) -> Result<TestRun, RunError> {
    let (manifest, documents) = package_ir(analysis)?;
    let mut tests = Vec::new();
    for plan in &analysis.model.tests {
        if filter.is_some_and(|name| name != plan.name) {
            continue;
        }
        tests.push(run_test(&manifest, &documents, plan)?);
    }
    Ok(TestRun { tests })
}

/// What a run of a package's tests depends on: the IR (its manifest, which
/// lists every campaign document with its sha256) and the test plans (the
/// lines and their spans). Two analyses with equal keys give equal runs, so
/// an editor runs the tests again only when the key changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunKey {
    manifest: Vec<u8>,
    tests: Vec<TestPlan>,
}

/// The key of the run [`run`] would make of every test of the package;
/// `None` when it does not compile.
pub fn run_key(analysis: &Analysis) -> Option<RunKey> {
    let ir = crate::ir::build(analysis).ok()??;
    let manifest = ir
        .files
        .into_iter()
        .find(|(path, _)| path == "manifest.json")?
        .1;
    Some(RunKey {
        manifest,
        tests: analysis.model.tests.clone(),
    })
}

/// The payment id of a line without `id`: `TEST#LINE`.
pub fn fresh_id(test: &str, line: usize) -> String {
    format!("{test}#{line}")
}

/// The evaluator's payment for a planned line.
pub fn payment_of(plan: &TestPlan, pay: &TestPay) -> Result<Payment, RunError> {
    payment_from(&pay.payment, fresh_id(&plan.name, pay.line))
}

/// The evaluator's payment for a checked payment; its id is the payment's
/// `id`, or `fresh`.
pub fn payment_from(planned: &TestPayment, fresh: String) -> Result<Payment, RunError> {
    let id = |text: &str| {
        Id::try_from(text.to_string()).map_err(|error| RunError::Document(error.to_string()))
    };
    Ok(Payment {
        id: planned.id.clone().unwrap_or(fresh),
        amount: ir_money(planned.amount),
        instant: Instant(planned.instant),
        scene: id(&planned.scene)?,
        category: planned.category.as_deref().map(id).transpose()?,
        region: planned.region.as_deref().map(id).transpose()?,
        merchant: planned.merchant.clone(),
        user: planned.user.clone(),
        segments: planned
            .segments
            .iter()
            .map(|segment| id(segment))
            .collect::<Result<BTreeSet<Id>, RunError>>()?,
        device: planned.device.clone(),
        ip: planned.ip.clone(),
        merchant_groups: planned
            .merchant_groups
            .iter()
            .map(|group| id(group))
            .collect::<Result<BTreeSet<Id>, RunError>>()?,
        card: match &planned.card {
            None => None,
            Some((instrument, Some(identity))) => Some(Card {
                instrument: id(instrument)?,
                id: identity.clone(),
            }),
            Some((instrument, None)) => {
                Some(Card::of_user(id(instrument)?, planned.user.as_deref()))
            }
        },
    })
}

fn ir_money(money: Money) -> camp_ir::types::Money {
    camp_ir::types::Money::new(money.amount, money.currency)
}

fn run_test(
    manifest: &Manifest,
    documents: &BTreeMap<String, CampaignDocument>,
    plan: &TestPlan,
) -> Result<TestResult, RunError> {
    let chosen: Vec<CampaignDocument> = match &plan.target {
        TestTarget::Campaign(id) => documents.get(id).cloned().into_iter().collect(),
        TestTarget::Package => documents.values().cloned().collect(),
    };
    let currencies: BTreeMap<String, iso_currency::Currency> = chosen
        .iter()
        .map(|document| {
            (
                document.campaign.id.as_str().to_string(),
                document.campaign.currency.0,
            )
        })
        .collect();
    let mut evaluator = Evaluator::new(manifest, chosen)?;
    let mut lines = Vec::with_capacity(plan.lines.len());
    // (v2) The claim lines, each run before the first `pay` line after it.
    let mut claims = Vec::with_capacity(plan.claims.len());
    let mut pending = plan.claims.iter().peekable();
    let mut run_claims = |evaluator: &mut Evaluator,
                          before: usize,
                          claims: &mut Vec<ClaimResult>|
     -> Result<(), RunError> {
        while let Some(planned) = pending.next_if(|planned| planned.line < before) {
            let claim = claim_of(planned)?;
            let decision = evaluator.claim(&claim)?;
            claims.push(ClaimResult {
                line: planned.line,
                span: planned.span,
                expected_span: planned.expected_span,
                claim,
                expected: planned.expected.clone(),
                decision,
            });
        }
        Ok(())
    };
    for pay in &plan.lines {
        run_claims(&mut evaluator, pay.line, &mut claims)?;
        let payment = payment_of(plan, pay)?;
        let decision = evaluator.decide(&payment);
        let mismatches = judge(plan, pay, &currencies, &decision);
        lines.push(LineResult {
            line: pay.line,
            span: pay.span,
            expected_span: pay.expected_span,
            payment,
            expected: pay.expected.clone(),
            decision,
            mismatches,
        });
    }
    run_claims(&mut evaluator, usize::MAX, &mut claims)?;
    Ok(TestResult {
        plan: plan.clone(),
        lines,
        claims,
    })
}

/// What differs between the line's expectation and the decision.
fn judge(
    plan: &TestPlan,
    pay: &TestPay,
    currencies: &BTreeMap<String, iso_currency::Currency>,
    decision: &Decision,
) -> Vec<Mismatch> {
    let decided = match (decision, &pay.expected) {
        (Decision::Refused(Refusal::ConflictingReplay { .. }), Expectation::ConflictingReplay) => {
            return Vec::new();
        }
        (Decision::Refused(refusal), _) => {
            return vec![Mismatch::Refused {
                refusal: refusal.clone(),
            }];
        }
        (Decision::Decided(_), Expectation::ConflictingReplay) => {
            return vec![Mismatch::NotRefused];
        }
        (Decision::Decided(decided), _) => decided,
    };
    let mut mismatches = Vec::new();
    let zero = camp_ir::types::Money::new(rust_decimal::Decimal::ZERO, decided.amount.currency);
    let payers: BTreeSet<String> = decided
        .paid()
        .filter(|(_, amount)| amount.amount > rust_decimal::Decimal::ZERO)
        .map(|(id, _)| id.as_str().to_string())
        .collect();
    match &pay.expected {
        Expectation::ConflictingReplay => {}
        Expectation::Discount { amount, from, back } => {
            let expected = ir_money(*amount);
            // The total of the verb the line names: off at payment, or
            // credited back later; a payment may get both.
            let of_verb = decided
                .campaigns
                .iter()
                .filter(|entry| entry.credit.is_some() == *back)
                .filter_map(|entry| entry.outcome.paid())
                .fold(rust_decimal::Decimal::ZERO, |sum, paid| sum + paid.amount);
            let decided_total = camp_ir::types::Money::new(of_verb, decided.total.currency);
            if decided_total.amount != expected.amount
                || decided_total.currency != expected.currency
            {
                mismatches.push(Mismatch::Total {
                    expected,
                    decided: decided_total,
                });
            }
            if let Some(from) = from
                && *from != payers
            {
                mismatches.push(Mismatch::Payers {
                    expected: from.iter().cloned().collect(),
                    decided: payers.iter().cloned().collect(),
                });
            }
        }
        Expectation::NoDiscount { reason, from } => {
            if decided.total.amount != rust_decimal::Decimal::ZERO {
                mismatches.push(Mismatch::Total {
                    expected: zero,
                    decided: decided.total,
                });
            }
            if let Some(reason) = reason {
                for campaign in whose_reason(plan, from.as_ref(), currencies, decided) {
                    let got = match decided.campaign(&campaign) {
                        None => DecidedFor::NotConsidered,
                        Some(entry) => match entry.outcome {
                            camp_eval::Outcome::Paid { amount } => DecidedFor::Paid { amount },
                            camp_eval::Outcome::NoDiscount { reason } => DecidedFor::NoDiscount {
                                reason: reason.as_str().to_string(),
                            },
                        },
                    };
                    let matches =
                        matches!(&got, DecidedFor::NoDiscount { reason: got } if got == reason);
                    if !matches {
                        mismatches.push(Mismatch::Reason {
                            campaign,
                            expected: reason.clone(),
                            decided: got,
                        });
                    }
                }
            }
        }
    }
    mismatches
}

/// The campaigns whose reason `no discount: REASON` names: those of `from`,
/// else the test's campaign, else (a package test) every campaign in the
/// payment's currency, or every campaign when none is.
fn whose_reason(
    plan: &TestPlan,
    from: Option<&BTreeSet<String>>,
    currencies: &BTreeMap<String, iso_currency::Currency>,
    decided: &Decided,
) -> Vec<String> {
    if let Some(from) = from {
        return from.iter().cloned().collect();
    }
    match &plan.target {
        TestTarget::Campaign(id) => vec![id.clone()],
        TestTarget::Package => {
            let same: Vec<String> = currencies
                .iter()
                .filter(|(_, currency)| **currency == decided.amount.currency)
                .map(|(id, _)| id.clone())
                .collect();
            if same.is_empty() {
                currencies.keys().cloned().collect()
            } else {
                same
            }
        }
    }
}

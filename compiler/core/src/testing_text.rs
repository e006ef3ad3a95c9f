//! Test lines in words, for every edge that shows them (`campc test`'s
//! report, the editor's diagnostics and hover): a line's payment as a `pay`
//! line, its expectation, what was decided, and how the two differ. Plain
//! text, no terminal formatting.

use crate::check::model::Money;
use crate::check::tests::{Expectation, TestPayment};
use crate::testing::{DecidedFor, Mismatch};

/// Money as an author writes it: `CNY 2_000.00`.
fn money(money: crate::ir::types::Money) -> String {
    Money {
        amount: money.amount,
        currency: money.currency,
    }
    .to_string()
}

fn names(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let names: Vec<String> = names
        .into_iter()
        .map(|name| name.as_ref().to_string())
        .collect();
    format!("[{}]", names.join(", "))
}

/// The line's payment as a `pay` line, every default written out.
pub fn payment_text(payment: &TestPayment, id: &str) -> String {
    let mut text = format!("pay {} at {}", payment.amount, payment.scene);
    let mut add = |key: &str, value: &str| text.push_str(&format!(", {key} {value}"));
    if let Some(category) = &payment.category {
        add("category", category);
    }
    if let Some(region) = &payment.region {
        add("region", region);
    }
    for segment in &payment.segments {
        add("segment", segment);
    }
    if let Some(merchant) = &payment.merchant {
        add("merchant", merchant);
    }
    for group in &payment.merchant_groups {
        add("group", group);
    }
    if let Some((instrument, identity)) = &payment.card {
        let identity = identity
            .clone()
            .unwrap_or_else(|| default_card_identity(instrument, payment.user.as_deref()));
        add("card", &format!("{instrument} \"{identity}\""));
    }
    if let Some(user) = &payment.user {
        add("user", user);
    }
    if let Some(device) = &payment.device {
        add("device", device);
    }
    if let Some(ip) = &payment.ip {
        add("ip", &format!("\"{ip}\""));
    }
    add(
        "time",
        &format!(
            "{} {}",
            crate::check::tests::local_text(payment.local),
            payment.zone
        ),
    );
    add("id", id);
    text
}

pub fn expected_text(expected: &Expectation) -> String {
    match expected {
        Expectation::Discount { amount, from } => match from {
            Some(from) => format!("{amount} off from {}", names(from)),
            None => format!("{amount} off"),
        },
        Expectation::NoDiscount { reason, from } => match (reason, from) {
            (None, _) => String::from("no discount"),
            (Some(reason), None) => format!("no discount: {reason}"),
            (Some(reason), Some(from)) => format!("no discount: {reason} from {}", names(from)),
        },
        Expectation::ConflictingReplay => String::from("refused: conflicting replay"),
    }
}

pub fn decided_text(decision: &crate::testing::Decision) -> String {
    match decision {
        crate::testing::Decision::Refused(refusal) => match refusal {
            crate::testing::Refusal::ConflictingReplay { .. } => {
                String::from("refused: conflicting replay")
            }
            crate::testing::Refusal::InvalidAmount { .. } => {
                String::from("refused: invalid amount")
            }
        },
        crate::testing::Decision::Decided(decided) => {
            let payers: Vec<String> = decided
                .paid()
                .filter(|(_, amount)| !amount.amount.is_zero())
                .map(|(id, amount)| format!("{}: {}", id.as_str(), money(amount)))
                .collect();
            let replay = if decided.replay { " (a replay)" } else { "" };
            if payers.is_empty() {
                let reasons: Vec<String> = decided
                    .campaigns
                    .iter()
                    .filter_map(|campaign| {
                        campaign
                            .outcome
                            .reason()
                            .map(|reason| format!("{}: {reason}", campaign.campaign.as_str()))
                    })
                    .collect();
                format!("no discount ({}){replay}", reasons.join(", "))
            } else {
                format!(
                    "{} off ({}){replay}",
                    money(decided.total),
                    payers.join(", ")
                )
            }
        }
    }
}

pub fn mismatch_text(mismatch: &Mismatch) -> String {
    match mismatch {
        Mismatch::Total { expected, decided } => format!(
            "the total off: expected {}, decided {}",
            money(*expected),
            money(*decided)
        ),
        Mismatch::Payers { expected, decided } => format!(
            "who paid: expected {}, decided {}",
            names(expected),
            names(decided)
        ),
        Mismatch::Reason {
            campaign,
            expected,
            decided,
        } => {
            let decided = match decided {
                DecidedFor::Paid { amount } => format!("it paid {}", money(*amount)),
                DecidedFor::NoDiscount { reason } => format!("no discount: {reason}"),
                DecidedFor::NotConsidered => String::from("not run by this test"),
            };
            format!("`{campaign}`: expected no discount: {expected}, decided {decided}")
        }
        Mismatch::Refused { refusal } => format!("the payment was refused: {refusal}"),
        Mismatch::NotRefused => {
            String::from("expected the payment refused as a conflicting replay, but it was decided")
        }
    }
}

/// The identity of a card a `pay` line gives without one: one card per
/// user and instrument (the evaluator's [`camp_eval::Card::of_user`]).
fn default_card_identity(instrument: &str, user: Option<&str>) -> String {
    format!("{}/{instrument}", user.unwrap_or(""))
}

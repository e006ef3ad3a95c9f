//! `campc explain PATH --pay "…"` end to end: one payment decided over the
//! fixture package `tests/fixtures/explain/`, each campaign's outcome and
//! arithmetic (human and JSON), and errors in the `--pay` text pointing
//! into it as into a file named `--pay`; (v2) `--claim`s made before the
//! payment, and their errors in files named `--claim`. Snapshots of what the user sees:
//! `INSTA_UPDATE=always cargo test -p campc --test explain`, then read them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `campc explain` on the fixture package with `--pay PAY` and `extra`
/// arguments: the exit code, standard output and standard error.
fn explain(pay: &str, extra: &[&str]) -> String {
    explain_in("compiler/tests/fixtures/explain", pay, extra)
}

/// The standard output part of [`explain_in`]'s text.
fn stdout_of(text: &str) -> &str {
    text.split_once("--- stdout\n")
        .unwrap()
        .1
        .split_once("--- stderr\n")
        .unwrap()
        .0
}

/// `campc explain PACKAGE --pay PAY` and `extra` arguments, from the
/// repository's root, colors off, "now" fixed: the exit code, standard
/// output and standard error.
fn explain_in(package: &str, pay: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(["explain", package, "--pay", pay])
        .args(extra)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        // 2026-11-22 00:00 UTC: "now" for a payment without `time`.
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap()
    )
}

#[test]
fn two_campaigns_stack_and_a_third_is_left_out() {
    insta::assert_snapshot!(explain(
        "CNY 120.00 at online_purchase, user bob, segment new_user, time 2026-12-12 10:00",
        &[]
    ));
}

#[test]
fn the_cap_rounding_min_spend_and_scope() {
    // 15% of 199.99 is 29.9985: capped at CNY 20.00; CNY 45.00 is below
    // the fixed reward's min_spend; a merchant purchase is outside the
    // percentage's scenes.
    insta::assert_snapshot!(explain(
        "CNY 199.99 at online_purchase, user amy, time 2026-12-12 10:00 Asia/Shanghai",
        &[]
    ));
    insta::assert_snapshot!(explain(
        "CNY 45.00 at merchant_purchase, user amy, time 2026-12-12 10:00",
        &[]
    ));
}

#[test]
fn the_json_form() {
    let text = explain(
        "CNY 120.00 at online_purchase, user bob, segment new_user, time 2026-12-12 10:00",
        &["--format", "json"],
    );
    let json = stdout_of(&text);
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["decision"]["total"]["amount"], "23.00");
    insta::assert_snapshot!(text);
}

/// The JSON form's schema is checked in (`docs/explain.schema.json`,
/// current with its types) and real explanations validate against it:
/// stacking, a cap, rounding, min_spend, scope, another currency.
#[test]
fn the_json_form_matches_the_checked_in_schema() {
    let path = repo().join("docs/explain.schema.json");
    let generated = campc::render::explain::json_schema();
    if std::env::var_os("UPDATE_EXPLAIN_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run `UPDATE_EXPLAIN_SCHEMA=1 cargo test -p campc --test explain the_json_form_matches` and commit it",
        path.display()
    );
    let schema: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for pay in [
        "CNY 120.00 at online_purchase, user bob, segment new_user, time 2026-12-12 10:00",
        "CNY 199.99 at online_purchase, user amy, time 2026-12-12 10:00 Asia/Shanghai",
        "CNY 45.00 at merchant_purchase, user amy, time 2026-12-12 10:00",
        "HKD 100.00 at online_purchase, user kit, time 2026-12-12 10:00 Asia/Hong_Kong",
    ] {
        let text = explain(pay, &["--format", "json"]);
        assert!(text.starts_with("exit: 0\n"), "{text}");
        let json = stdout_of(&text);
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{pay}: {errors:?}");
    }
}

#[test]
fn without_time_the_payment_is_now() {
    insta::assert_snapshot!(explain("HKD 100.00 at merchant_purchase, user kit", &[]));
}

#[test]
fn a_time_without_a_zone_in_a_currency_of_several_zones() {
    insta::assert_snapshot!(explain(
        "HKD 100.00 at online_purchase, user kit, time 2026-12-12 10:00",
        &[]
    ));
    // With the zone named, it is decided.
    let named = explain(
        "HKD 100.00 at online_purchase, user kit, time 2026-12-12 10:00 Asia/Hong_Kong",
        &[],
    );
    assert!(named.starts_with("exit: 0\n"), "{named}");
    assert!(named.contains("hk_online: HKD 8.00 off"), "{named}");
}

#[test]
fn errors_point_into_the_pay_text() {
    // Syntax: no `at`.
    insta::assert_snapshot!(explain("CNY 120.00 online_purchase, user bob", &[]));
    // Names: a misspelled scene and segment.
    insta::assert_snapshot!(explain(
        "CNY 120.00 at online_purchases, segment new_users, time 2026-12-12 10:00",
        &[]
    ));
    // The same errors as JSON diagnostics.
    insta::assert_snapshot!(explain(
        "CNY 120.00 at online_purchases, time 2026-12-12 10:00",
        &["--format", "json"]
    ));
}

#[test]
fn a_package_that_does_not_compile_is_not_explained() {
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args([
            "explain",
            "compiler/tests/fixtures/errors/E0203_unknown_fund.camp",
            "--pay",
            "CNY 10.00 at merchant_purchase",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("error[E0203]"), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("nothing explained"), "{stderr}");
}

/// (v2) A merchant's groups and a card: with the bank's card at a
/// trade-in merchant, the card's campaign pays (its limit counted by the
/// card's identity) and the wallet's is out of scope; with the wallet at a
/// merchant of another group, the other way round.
#[test]
fn merchant_groups_and_cards() {
    let explain = |pay: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_campc"))
            .args([
                "explain",
                "compiler/tests/fixtures/explain_cards",
                "--pay",
                pay,
            ])
            .current_dir(repo())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("FORCE_COLOR")
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap()
        )
    };
    insta::assert_snapshot!(explain(
        "CNY 150.00 at merchant_purchase, group tradein_registered, group brand_stores, card pearl_credit_card \"6259650000000001\", user bob, time 2026-12-12 10:00"
    ));
    insta::assert_snapshot!(explain(
        "CNY 150.00 at merchant_purchase, group brand_stores, card wallet_balance, user bob, time 2026-12-12 10:00"
    ));
}

/// (v2) `campc explain` on `tests/fixtures/explain_claims/` (a claim-first
/// coupon and a campaign without a claim block) with `--pay PAY` and
/// `extra` arguments (the `--claim`s).
fn explain_claims(pay: &str, extra: &[&str]) -> String {
    explain_in("compiler/tests/fixtures/explain_claims", pay, extra)
}

const CLAIM_PAY: &str = "CNY 150.00 at qr_payment, user ann, time 2027-03-02 10:00";

/// (v2) Without `--claim` the coupon campaign pays nothing (`claim`); with
/// one, made the day before by the payment's user, the payment uses its
/// coupon.
#[test]
fn a_claim_first_gives_the_coupon_the_payment_uses() {
    let without = explain_claims(CLAIM_PAY, &[]);
    assert!(
        without.contains("shop_coupon: no discount: claim"),
        "{without}"
    );
    let with = explain_claims(
        CLAIM_PAY,
        &["--claim", "shop_coupon, time 2027-03-01 10:05"],
    );
    assert!(with.contains("shop_coupon: CNY 20.00 off"), "{with}");
    insta::assert_snapshot!(with);
}

/// (v2) The claims are made in order, each shown with what it got: the
/// payment's user's at the payment's instant, a second one refused by
/// `per_user`, another user's after the claim window refused by `window`.
#[test]
fn claims_are_made_in_order_and_a_refusal_is_shown() {
    insta::assert_snapshot!(explain_claims(
        CLAIM_PAY,
        &[
            "--claim",
            "shop_coupon",
            "--claim",
            "shop_coupon, user ann",
            "--claim",
            "shop_coupon, user bo, time 2027-03-08 00:00",
        ]
    ));
}

/// (v2) The claims in the JSON form, before the payment, valid against
/// the checked-in schema.
#[test]
fn claims_in_the_json_form() {
    let text = explain_claims(
        CLAIM_PAY,
        &[
            "--claim",
            "shop_coupon, time 2027-03-01 10:05",
            "--claim",
            "shop_coupon",
            "--format",
            "json",
        ],
    );
    let json = stdout_of(&text);
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["claims"][0]["decision"]["decision"], "claimed");
    assert_eq!(value["claims"][1]["decision"]["reason"], "per_user");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/explain.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    insta::assert_snapshot!(text);
}

/// (v2) Errors in a `--claim` point into its text as into a file named
/// `--claim`: a campaign without a claim block, an attribute a claim does
/// not take, no user on the claim or the payment; and a syntax error.
#[test]
fn errors_point_into_the_claim_text() {
    insta::assert_snapshot!(explain_claims(
        "CNY 150.00 at qr_payment, time 2027-03-02 10:00",
        &["--claim", "shop_cashback, merchant m1"]
    ));
    insta::assert_snapshot!(explain_claims(
        CLAIM_PAY,
        &["--claim", "shop_coupon user ann"]
    ));
}

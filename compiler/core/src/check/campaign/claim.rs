//! (v2) A campaign's `claim { … }` block: claim-first coupons. Its fields
//! are a table of their own (`camp_lang::fields::CLAIM`): a window that
//! must overlap the campaign's (the campaign's when left out), a positive
//! inventory and per-user count, and an optional validity from the claim.

use camp_lang::fields::CLAIM;

use super::scope::check_window;
use crate::check::fields::{Fields, single_atom};
use crate::check::model::{Claim, Window};
use crate::check::values::Ctx;
use crate::error::CampError;
use crate::syntax::ast::{Body, Entry, EntryValue};

/// The claim block written as `entry`, checked; `window` is the
/// campaign's (absent in a template, or in error: the claim's window is
/// then checked on its own). `None` when it has an error.
pub(super) fn check_claim(
    ctx: &mut Ctx<'_>,
    entry: &Entry,
    body: &Body,
    window: Option<&Window>,
) -> Option<Claim> {
    let errors_before = ctx.errors.len();
    let fields = Fields::of_table(ctx, &body.entries, &CLAIM, "claim block");
    fields.report_missing_of(ctx, "claim block", entry.key.span, body.span);

    let own_window = match fields.one("window") {
        None => None,
        Some(field) => match &field.value {
            EntryValue::Window(syntax) => Some(check_window(ctx, syntax, field.span)),
            _ => {
                ctx.error(CampError::TypeMismatch {
                    span: field.span,
                    expected: String::from("a window `START to END ZONE`"),
                    found: String::from("a different form"),
                    help: None,
                });
                Some(None)
            }
        },
    };
    let inventory_entry = fields.one("inventory");
    let inventory = inventory_entry
        .and_then(|field| single_atom(ctx, field))
        .and_then(|atom| ctx.expect_count(atom, "claim inventory"));
    let per_user_entry = fields.one("per_user");
    let per_user = per_user_entry
        .and_then(|field| single_atom(ctx, field))
        .and_then(|atom| ctx.expect_count(atom, "coupons per user"));
    let valid_for = match fields.one("valid_for") {
        None => Some(None),
        Some(field) => single_atom(ctx, field)
            .and_then(|atom| ctx.expect_duration(atom, "coupon validity"))
            .map(Some),
    };

    if let (Some(inventory), Some(per_user), Some(inventory_entry), Some(per_user_entry)) =
        (inventory, per_user, inventory_entry, per_user_entry)
        && per_user > inventory
    {
        ctx.error(CampError::ClaimPerUserAboveInventory {
            span: per_user_entry.span,
            per_user,
            inventory,
            inventory_span: inventory_entry.span,
        });
    }
    if let (Some(Some(own)), Some(campaign)) = (&own_window, window)
        && !(own.start < campaign.end && campaign.start < own.end)
    {
        ctx.error(CampError::ClaimWindowOutside {
            span: own.span,
            campaign_window: campaign.span,
        });
    }

    if ctx.errors.len() != errors_before {
        return None;
    }
    let window = match own_window {
        Some(own) => own?,
        None => window?.clone(),
    };
    Some(Claim {
        window,
        inventory: inventory?,
        per_user: per_user?,
        valid_for_seconds: valid_for?,
        span: entry.span,
    })
}

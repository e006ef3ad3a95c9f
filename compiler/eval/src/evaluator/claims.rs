//! (v2) Claim-first coupons: the claims a campaign's users have made and
//! the coupons they hold, a claim's decision, and the coupon a payment
//! uses.
//!
//! A claim at T in the claim window is refused when the user has claimed
//! `per_user` coupons already, or when `inventory` coupons are claimed in
//! all (checked in that order, after the window); otherwise it gives a
//! coupon valid over `[T, T + valid_for)`, cut at the campaign window's
//! end. A payment of a claim campaign is eligible only when its user
//! holds an unused coupon valid at its instant; the campaign uses the one
//! that expires first (of two that expire together, the one claimed
//! first), and only when it pays.

use super::*;
use crate::decision::{Coupon, CouponCheck};

/// What a user asks of a claim campaign: one coupon, at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub campaign: Id,
    pub user: String,
    pub instant: Instant,
}

/// Why a claim gave no coupon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimRefusal {
    /// The instant is outside the claim window.
    Window,
    /// The user has claimed `per_user` coupons already.
    PerUser,
    /// Every coupon of the inventory is claimed.
    Inventory,
}

impl ClaimRefusal {
    /// The word a test writes after `claim …, … => refused:`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimRefusal::Window => "window",
            ClaimRefusal::PerUser => "per_user",
            ClaimRefusal::Inventory => "inventory",
        }
    }
}

/// What a claim got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ClaimDecision {
    /// A coupon, valid over `[claimed, until)`.
    Claimed {
        coupon: Coupon,
    },
    Refused {
        reason: ClaimRefusal,
    },
}

impl fmt::Display for ClaimDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimDecision::Claimed { coupon } => write!(
                f,
                "claimed: a coupon valid from {} until {}",
                String::from(coupon.claimed),
                String::from(coupon.until)
            ),
            ClaimDecision::Refused { reason } => write!(f, "refused: {}", reason.as_str()),
        }
    }
}

/// Why a claim could not be made at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("campaign `{0}` is not one of the evaluator's")]
    UnknownCampaign(String),
    #[error("campaign `{0}` has no claim block: there is nothing to claim")]
    NotClaimable(String),
}

/// A claim campaign's claims: how many coupons are claimed in all, and
/// each user's.
#[derive(Debug, Clone, Default)]
pub(super) struct Coupons {
    claimed: u64,
    by_user: HashMap<Box<str>, Held>,
}

/// One user's claims of one campaign: how many, and the coupons, in claim
/// order.
#[derive(Debug, Clone, Default)]
struct Held {
    claimed: u64,
    coupons: Vec<Held1>,
}

#[derive(Debug, Clone, Copy)]
struct Held1 {
    coupon: Coupon,
    used: bool,
}

impl Coupons {
    /// The coupon a payment of `user` at `instant` would use: its place
    /// among the user's coupons, and how many valid unused ones the user
    /// holds.
    fn usable(&self, user: &str, instant: Instant) -> (Option<usize>, u64) {
        let Some(held) = self.by_user.get(user) else {
            return (None, 0);
        };
        let mut best: Option<(usize, Instant)> = None;
        let mut count = 0_u64;
        for (place, held) in held.coupons.iter().enumerate() {
            if held.used || instant < held.coupon.claimed || instant >= held.coupon.until {
                continue;
            }
            count = count.saturating_add(1);
            if best.is_none_or(|(_, until)| held.coupon.until < until) {
                best = Some((place, held.coupon.until));
            }
        }
        (best.map(|(place, _)| place), count)
    }
}

impl Live {
    /// A claim of this campaign's coupon; `None` when it has no claim
    /// block.
    pub(super) fn claim(&mut self, user: &str, instant: Instant) -> Option<ClaimDecision> {
        let claim = self.campaign.claim.as_ref()?;
        let coupons = &mut self.state.coupons;
        let held = coupons.by_user.get(user).map_or(0, |held| held.claimed);
        let reason = if instant < claim.window.start || instant >= claim.window.end {
            Some(ClaimRefusal::Window)
        } else if held >= claim.per_user {
            Some(ClaimRefusal::PerUser)
        } else if coupons.claimed >= claim.inventory {
            Some(ClaimRefusal::Inventory)
        } else {
            None
        };
        if let Some(reason) = reason {
            return Some(ClaimDecision::Refused { reason });
        }
        let end = self.campaign.window.end;
        let until = claim
            .valid_for_seconds
            .and_then(|seconds| i64::try_from(seconds).ok())
            .and_then(|seconds| {
                instant
                    .0
                    .checked_add(SignedDuration::from_secs(seconds))
                    .ok()
            })
            .map_or(end, |until| Instant(until).min(end));
        let coupon = Coupon {
            claimed: instant,
            until,
        };
        coupons.claimed = coupons.claimed.saturating_add(1);
        let held = coupons.by_user.entry(user.into()).or_default();
        held.claimed = held.claimed.saturating_add(1);
        held.coupons.push(Held1 {
            coupon,
            used: false,
        });
        Some(ClaimDecision::Claimed { coupon })
    }

    /// Step 1's last condition for a claim campaign: the payment's user
    /// holds an unused coupon valid at its instant (always true for a
    /// campaign without a claim block).
    pub(super) fn holds_coupon<const EXPLAIN: bool>(
        &self,
        payment: &Payment,
        explanation: &mut Explanation,
    ) -> bool {
        if self.campaign.claim.is_none() {
            return true;
        }
        let (uses, held) = match payment.user.as_deref() {
            None => (None, 0),
            Some(user) => self.state.coupons.usable(user, payment.instant),
        };
        if EXPLAIN {
            explanation.coupons = Some(CouponCheck {
                user: payment.user.clone(),
                held,
                uses: uses.and_then(|place| {
                    let user = payment.user.as_deref()?;
                    let held = self.state.coupons.by_user.get(user)?;
                    held.coupons.get(place).map(|held| held.coupon)
                }),
            });
        }
        uses.is_some()
    }

    /// Uses the coupon a payment this campaign pays takes.
    pub(super) fn use_coupon(&mut self, payment: &Payment) {
        if self.campaign.claim.is_none() {
            return;
        }
        let Some(user) = payment.user.as_deref() else {
            return;
        };
        let (Some(place), _) = self.state.coupons.usable(user, payment.instant) else {
            return;
        };
        if let Some(held) = self
            .state
            .coupons
            .by_user
            .get_mut(user)
            .and_then(|held| held.coupons.get_mut(place))
        {
            held.used = true;
        }
    }

    /// The coupons claimed in all, for inspection.
    pub(super) fn coupons_claimed(&self) -> u64 {
        self.state.coupons.claimed
    }
}

impl Evaluator {
    /// (v2) A user claims a coupon of a claim campaign: claimed (with the
    /// coupon's validity) or refused (`window`, `per_user`, `inventory`).
    /// Claims ignore rollout stages; the payments that use the coupon obey
    /// them.
    pub fn claim(&mut self, claim: &Claim) -> Result<ClaimDecision, ClaimError> {
        let live = self
            .campaigns
            .binary_search_by(|live| live.campaign.id.cmp(&claim.campaign))
            .ok()
            .and_then(|position| self.campaigns.get_mut(position))
            .ok_or_else(|| ClaimError::UnknownCampaign(claim.campaign.as_str().to_string()))?;
        live.claim(&claim.user, claim.instant)
            .ok_or_else(|| ClaimError::NotClaimable(claim.campaign.as_str().to_string()))
    }
}

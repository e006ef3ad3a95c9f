//! The reference evaluator: the executable meaning of Camp's IR.
//!
//! It reads only the IR (`camp-ir`) and decides, for each payment, what
//! every campaign pays, as the language's decision procedure says
//! (`docs/language.md`, "Meaning: how a payment is decided"; the choices
//! the contract leaves open are in `docs/language-decisions.md`,
//! "Evaluation"):
//!
//! 1. eligibility: currency, window, scope (scene, category, region,
//!    segments, and the fund's scenes and categories), `min_spend`;
//! 2. the reward of the form ([`camp_ir::lang::reward::RewardForm::reward_for`]),
//!    rounded down to the minor unit, at most the payment and the fund's
//!    `max_per_use`; then the rollout stage live at the instant;
//! 3. guards, limits per dimension and calendar period of the window's
//!    zone, and the budget: paid in full or not at all;
//! 4. stacking by mutual consent, the largest reward first;
//! 5. idempotency: a payment id decided once is decided once.
//!
//! A [`Decision`] lists every campaign with what it paid or the first
//! reason it paid nothing, and the checks and arithmetic behind it.

mod decision;
mod evaluator;
mod payment;

pub use decision::{
    Arithmetic, CampaignDecision, Counter, CounterCheck, CounterKey, Coupon, CouponCheck, Credited,
    Decided, Decision, Explanation, GuardCheck, Halt, Mismatch, NotConsidered, Outcome, Quantity,
    Reason, Refusal, RewardExplanation, RolloutCheck, ScopeField, StackingCheck,
};
pub use evaluator::{
    Claim, ClaimDecision, ClaimError, ClaimRefusal, CounterId, Counters, EvalError, Evaluator,
    Outcomes,
};
pub use payment::{Card, Payment};

use crate::check::model::{CampaignModel, Dimension};
use crate::lint::{Finding, LintConfig, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a campaign with no limit per user (`limit: N per user` or
    /// `limit: MONEY per user`). A claim campaign's `per_user` is one: each
    /// coupon pays once, so a user is paid at most `per_user` times.
    ///
    /// ## Why is this bad?
    /// Without one, a single account — or a script — can redeem until the
    /// budget is gone. The budget bounds the loss; a per-user limit bounds
    /// who gets it.
    ///
    /// ## Example
    /// ```camp
    /// budget: CNY 100_000.00
    /// limit: 5_000 per day
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// budget: CNY 100_000.00
    /// limit: 1 per user per day
    /// limit: 5_000 per day
    /// ```
    pub struct MissingPerUserLimit {
        name: "missing-per-user-limit",
        level: Warn,
        summary: "a campaign with no limit per user",
        options: &[],
    }
}

pub fn check(campaign: &CampaignModel, _config: &LintConfig, out: &mut Vec<Finding>) {
    if campaign.claim.is_some() {
        return;
    }
    if campaign.limits.iter().any(|limit| {
        limit
            .dimensions()
            .any(|dimension| dimension == Dimension::User)
    }) {
        return;
    }
    out.push(
        Finding::new(
            &MissingPerUserLimit::META,
            campaign.name_span,
            format!("campaign `{}` has no limit per user", campaign.id),
            "no per-user limit",
        )
        .with_help(
            "add `limit: … per user` with a count or an amount per user (or per user per day)",
        ),
    );
}

//! Moving a parsed item to another place in its file.
//!
//! An item's parse depends only on its own text; where it sits in the file
//! only offsets its spans. So a parse made when the item started at byte
//! `a` is the parse at byte `b` with every span moved by `b - a`. The
//! parse cache (`package::ParseCache`) re-uses items this way when an edit
//! elsewhere in the file moves them.
//!
//! Every span of the syntax tree must be visited: a test parses every
//! example and fixture, moves it, and compares it with a fresh parse of
//! the moved text. So that the compiler sees to it too, each node is
//! destructured with all its fields (no `..`) and each enum matched
//! without a catch-all arm: a new span field, a new field holding spans or
//! a new form fails to compile here until it is shifted.

use super::ast::*;
use crate::source::Span;

/// Moves every span by a signed number of bytes.
pub trait Shift {
    fn shift(&mut self, by: i64);
}

impl Shift for Span {
    fn shift(&mut self, by: i64) {
        let moved = |offset: u32| u32::try_from(i64::from(offset) + by).unwrap_or(u32::MAX);
        self.start = moved(self.start);
        self.end = moved(self.end);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: i64) {
        for item in self {
            item.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: i64) {
        if let Some(item) = self {
            item.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: i64) {
        (**self).shift(by);
    }
}

impl<A: Shift, B: Shift> Shift for (A, B) {
    fn shift(&mut self, by: i64) {
        self.0.shift(by);
        self.1.shift(by);
    }
}

// Each impl below names every field of its node (no `..`) and every
// variant of its enum (no `_`): a new field or form must be handled here.

impl Shift for SchemaKind {
    fn shift(&mut self, _: i64) {
        match self {
            SchemaKind::Scene
            | SchemaKind::Category
            | SchemaKind::Region
            | SchemaKind::Segment
            | SchemaKind::MerchantGroup
            | SchemaKind::Instrument => {}
        }
    }
}

impl Shift for Docs {
    fn shift(&mut self, _: i64) {
        let Docs { lines: _ } = self;
    }
}

impl Shift for Ident {
    fn shift(&mut self, by: i64) {
        let Ident { text: _, span } = self;
        span.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: i64) {
        let Item { docs, kind, span } = self;
        docs.shift(by);
        kind.shift(by);
        span.shift(by);
    }
}

impl Shift for ItemKind {
    fn shift(&mut self, by: i64) {
        match self {
            ItemKind::Schema(decl) => decl.shift(by),
            ItemKind::Fund(decl) => decl.shift(by),
            ItemKind::Policy(decl) => decl.shift(by),
            ItemKind::Template(decl) => decl.shift(by),
            ItemKind::Campaign(decl) => decl.shift(by),
            ItemKind::Test(decl) => decl.shift(by),
            ItemKind::Pool(decl) => decl.shift(by),
        }
    }
}

impl Shift for SchemaDecl {
    fn shift(&mut self, by: i64) {
        let SchemaDecl { kind, name, body } = self;
        kind.shift(by);
        name.shift(by);
        body.shift(by);
    }
}

impl Shift for FundDecl {
    fn shift(&mut self, by: i64) {
        let FundDecl { name, body } = self;
        name.shift(by);
        body.shift(by);
    }
}

impl Shift for PoolDecl {
    fn shift(&mut self, by: i64) {
        let PoolDecl { name, body } = self;
        name.shift(by);
        body.shift(by);
    }
}

impl Shift for PolicyDecl {
    fn shift(&mut self, by: i64) {
        let PolicyDecl { keyword, body } = self;
        keyword.shift(by);
        body.shift(by);
    }
}

impl Shift for TemplateDecl {
    fn shift(&mut self, by: i64) {
        let TemplateDecl {
            name,
            parameters,
            body,
        } = self;
        name.shift(by);
        parameters.shift(by);
        body.shift(by);
    }
}

impl Shift for CampaignDecl {
    fn shift(&mut self, by: i64) {
        let CampaignDecl { name, from, body } = self;
        name.shift(by);
        from.shift(by);
        body.shift(by);
    }
}

impl Shift for TestDecl {
    fn shift(&mut self, by: i64) {
        let TestDecl { name, lines } = self;
        match name {
            TestName::Campaign(ident) => ident.shift(by),
            TestName::Package { text: _, span } => span.shift(by),
        }
        lines.shift(by);
    }
}

impl Shift for TestLine {
    fn shift(&mut self, by: i64) {
        match self {
            TestLine::Pay(pay) => pay.shift(by),
            TestLine::Claim(claim) => claim.shift(by),
        }
    }
}

impl Shift for ClaimSyntax {
    fn shift(&mut self, by: i64) {
        let ClaimSyntax {
            keyword,
            campaign,
            attributes,
            expected,
            span,
        } = self;
        keyword.shift(by);
        campaign.shift(by);
        attributes.shift(by);
        match expected {
            ClaimOutcomeSyntax::Claimed(span) => span.shift(by),
            ClaimOutcomeSyntax::Refused(reason) => reason.shift(by),
        }
        span.shift(by);
    }
}

impl Shift for PayAttribute {
    fn shift(&mut self, by: i64) {
        let PayAttribute { keyword, value } = self;
        keyword.shift(by);
        match value {
            PayAttributeValue::Schema(_, ident)
            | PayAttributeValue::Group(ident)
            | PayAttributeValue::Merchant(ident)
            | PayAttributeValue::User(ident)
            | PayAttributeValue::Device(ident)
            | PayAttributeValue::Id(ident) => ident.shift(by),
            PayAttributeValue::Card {
                instrument,
                identity,
            } => {
                instrument.shift(by);
                identity.shift(by);
            }
            PayAttributeValue::Ip(text) => text.shift(by),
            PayAttributeValue::Time { instant, zone } => {
                instant.shift(by);
                zone.shift(by);
            }
        }
    }
}

impl Shift for TextSyntax {
    fn shift(&mut self, by: i64) {
        let TextSyntax { text: _, span } = self;
        span.shift(by);
    }
}

impl Shift for ExpectedSyntax {
    fn shift(&mut self, by: i64) {
        match self {
            ExpectedSyntax::Discount {
                amount,
                kind: _,
                keyword,
                from,
                span,
            } => {
                amount.shift(by);
                keyword.shift(by);
                from.shift(by);
                span.shift(by);
            }
            ExpectedSyntax::NoDiscount { reason, from, span } => {
                reason.shift(by);
                from.shift(by);
                span.shift(by);
            }
            ExpectedSyntax::ConflictingReplay { span } => span.shift(by),
        }
    }
}

impl Shift for Parameter {
    fn shift(&mut self, by: i64) {
        let Parameter {
            name,
            ty,
            range,
            span,
        } = self;
        name.shift(by);
        ty.shift(by);
        range.shift(by);
        span.shift(by);
    }
}

impl Shift for ParamTypeSyntax {
    fn shift(&mut self, by: i64) {
        let ParamTypeSyntax {
            name,
            list: _,
            span,
        } = self;
        name.shift(by);
        span.shift(by);
    }
}

impl Shift for FromClause {
    fn shift(&mut self, by: i64) {
        let FromClause {
            template,
            arguments,
            span,
        } = self;
        template.shift(by);
        arguments.shift(by);
        span.shift(by);
    }
}

impl Shift for Argument {
    fn shift(&mut self, by: i64) {
        let Argument { name, value, span } = self;
        name.shift(by);
        value.shift(by);
        span.shift(by);
    }
}

impl Shift for Body {
    fn shift(&mut self, by: i64) {
        let Body { entries, span } = self;
        entries.shift(by);
        span.shift(by);
    }
}

impl Shift for Entry {
    fn shift(&mut self, by: i64) {
        let Entry {
            docs,
            key,
            value,
            span,
        } = self;
        docs.shift(by);
        key.shift(by);
        value.shift(by);
        span.shift(by);
    }
}

impl Shift for EntryValue {
    fn shift(&mut self, by: i64) {
        match self {
            EntryValue::Reward(reward) => reward.shift(by),
            EntryValue::Limit(limit) => limit.shift(by),
            EntryValue::Window(window) => window.shift(by),
            EntryValue::Guard(guard) => guard.shift(by),
            EntryValue::Stacking(stacking) => stacking.shift(by),
            EntryValue::Throughput(throughput) => throughput.shift(by),
            EntryValue::Approvals(approvals) => approvals.shift(by),
            EntryValue::Rollout(stages) => stages.shift(by),
            EntryValue::Generic(clauses) => clauses.shift(by),
            EntryValue::Claim(body) => body.shift(by),
            EntryValue::Hours(hours) => {
                let HoursSyntax { start, end } = &mut **hours;
                let ClockSyntax {
                    hour: _,
                    minute: _,
                    span,
                } = start;
                span.shift(by);
                let ClockSyntax {
                    hour: _,
                    minute: _,
                    span,
                } = end;
                span.shift(by);
            }
        }
    }
}

impl Shift for RewardSyntax {
    fn shift(&mut self, by: i64) {
        // A reward's one traversal (`crate::reward`) visits each of its forms.
        self.visit_mut(&mut |atom| atom.shift(by), &mut |span| span.shift(by));
    }
}

impl Shift for LimitSyntax {
    fn shift(&mut self, by: i64) {
        let LimitSyntax { amount, per, total } = self;
        amount.shift(by);
        per.shift(by);
        if let Some(total) = total {
            total.shift(by);
        }
    }
}

impl Shift for WindowSyntax {
    fn shift(&mut self, by: i64) {
        let WindowSyntax { start, end, zone } = self;
        start.shift(by);
        end.shift(by);
        zone.shift(by);
    }
}

impl Shift for InstantSyntax {
    fn shift(&mut self, by: i64) {
        let InstantSyntax {
            year: _,
            month: _,
            day: _,
            hour: _,
            minute: _,
            second: _,
            has_seconds: _,
            span,
        } = self;
        span.shift(by);
    }
}

impl Shift for GuardSyntax {
    fn shift(&mut self, by: i64) {
        let GuardSyntax {
            metric,
            threshold,
            per,
        } = self;
        metric.shift(by);
        threshold.shift(by);
        per.shift(by);
    }
}

impl Shift for StackingSyntax {
    fn shift(&mut self, by: i64) {
        match self {
            StackingSyntax::Exclusive(span) => span.shift(by),
            StackingSyntax::StacksWith(list) => list.shift(by),
        }
    }
}

impl Shift for ThroughputSyntax {
    fn shift(&mut self, by: i64) {
        let ThroughputSyntax { count, per } = self;
        count.shift(by);
        per.shift(by);
    }
}

impl Shift for ApprovalsSyntax {
    fn shift(&mut self, by: i64) {
        let ApprovalsSyntax { count, up_to } = self;
        count.shift(by);
        up_to.shift(by);
    }
}

impl Shift for StageSyntax {
    fn shift(&mut self, by: i64) {
        let StageSyntax {
            target,
            duration,
            span,
        } = self;
        target.shift(by);
        duration.shift(by);
        span.shift(by);
    }
}

impl Shift for StageTarget {
    fn shift(&mut self, by: i64) {
        match self {
            StageTarget::Segment(segment) => segment.shift(by),
            StageTarget::Share(share) => share.shift(by),
        }
    }
}

impl Shift for Clause {
    fn shift(&mut self, by: i64) {
        let Clause { terms, span } = self;
        terms.shift(by);
        span.shift(by);
    }
}

impl Shift for Term {
    fn shift(&mut self, by: i64) {
        match self {
            Term::Atom(atom) => atom.shift(by),
            Term::List(list) => list.shift(by),
        }
    }
}

impl Shift for List {
    fn shift(&mut self, by: i64) {
        let List { items, span } = self;
        items.shift(by);
        span.shift(by);
    }
}

impl Shift for Atom {
    fn shift(&mut self, by: i64) {
        let Atom { kind, span } = self;
        kind.shift(by);
        span.shift(by);
    }
}

impl Shift for AtomKind {
    fn shift(&mut self, by: i64) {
        match self {
            AtomKind::Money {
                currency: _,
                currency_span,
                amount: _,
                scale: _,
            } => currency_span.shift(by),
            AtomKind::Instant(instant) => instant.shift(by),
            AtomKind::Duration { value: _, unit } => match unit {
                DurationUnit::Seconds
                | DurationUnit::Minutes
                | DurationUnit::Hours
                | DurationUnit::Days => {}
            },
            AtomKind::Number {
                value: _,
                integer: _,
            } => {}
            AtomKind::Rate(_)
            | AtomKind::Text(_)
            | AtomKind::Bool(_)
            | AtomKind::Any
            | AtomKind::Name(_)
            | AtomKind::Upper(_)
            | AtomKind::Invalid => {}
        }
    }
}

impl Shift for PaySyntax {
    fn shift(&mut self, by: i64) {
        let PaySyntax {
            amount,
            scene,
            attributes,
            expected,
            span,
        } = self;
        amount.shift(by);
        scene.shift(by);
        attributes.shift(by);
        expected.shift(by);
        span.shift(by);
    }
}

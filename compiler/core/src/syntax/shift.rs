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
//! the moved text.

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

impl Shift for SchemaKind {
    fn shift(&mut self, _: i64) {}
}

impl Shift for Ident {
    fn shift(&mut self, by: i64) {
        self.span.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: i64) {
        self.span.shift(by);
        match &mut self.kind {
            ItemKind::Schema(decl) => {
                decl.name.shift(by);
                decl.body.shift(by);
            }
            ItemKind::Fund(decl) => {
                decl.name.shift(by);
                decl.body.shift(by);
            }
            ItemKind::Policy(decl) => {
                decl.keyword.shift(by);
                decl.body.shift(by);
            }
            ItemKind::Template(decl) => {
                decl.name.shift(by);
                decl.parameters.shift(by);
                decl.body.shift(by);
            }
            ItemKind::Campaign(decl) => {
                decl.name.shift(by);
                decl.from.shift(by);
                decl.body.shift(by);
            }
            ItemKind::Test(decl) => {
                decl.campaign.shift(by);
                decl.payments.shift(by);
            }
        }
    }
}

impl Shift for Parameter {
    fn shift(&mut self, by: i64) {
        self.name.shift(by);
        self.ty.name.shift(by);
        self.ty.span.shift(by);
        self.range.shift(by);
        self.span.shift(by);
    }
}

impl Shift for FromClause {
    fn shift(&mut self, by: i64) {
        self.template.shift(by);
        self.arguments.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Argument {
    fn shift(&mut self, by: i64) {
        self.name.shift(by);
        self.value.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Body {
    fn shift(&mut self, by: i64) {
        self.entries.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Entry {
    fn shift(&mut self, by: i64) {
        self.key.shift(by);
        self.span.shift(by);
        match &mut self.value {
            EntryValue::Reward(reward) => {
                match &mut reward.form {
                    RewardFormSyntax::Off(atom) => atom.shift(by),
                    RewardFormSyntax::Random { low, high, span } => {
                        low.shift(by);
                        high.shift(by);
                        span.shift(by);
                    }
                    RewardFormSyntax::Tiers { tiers, span } => {
                        for tier in tiers {
                            tier.spend.shift(by);
                            tier.reward.shift(by);
                            tier.span.shift(by);
                        }
                        span.shift(by);
                    }
                }
                for option in &mut reward.options {
                    option.keyword.shift(by);
                    option.value.shift(by);
                }
            }
            EntryValue::Limit(limit) => {
                limit.amount.shift(by);
                limit.per.shift(by);
            }
            EntryValue::Window(window) => {
                window.start.span.shift(by);
                window.end.span.shift(by);
                window.zone.shift(by);
            }
            EntryValue::Guard(guard) => {
                guard.metric.shift(by);
                guard.threshold.shift(by);
                guard.per.shift(by);
            }
            EntryValue::Stacking(StackingSyntax::Exclusive(span)) => span.shift(by),
            EntryValue::Stacking(StackingSyntax::StacksWith(list)) => list.shift(by),
            EntryValue::Throughput(throughput) => {
                throughput.count.shift(by);
                throughput.per.shift(by);
            }
            EntryValue::Approvals(approvals) => {
                approvals.count.shift(by);
                approvals.up_to.shift(by);
            }
            EntryValue::Rollout(stages) => {
                for stage in stages {
                    match &mut stage.target {
                        StageTarget::Segment(segment) => segment.shift(by),
                        StageTarget::Share(share) => share.shift(by),
                    }
                    stage.duration.shift(by);
                    stage.span.shift(by);
                }
            }
            EntryValue::Generic(clauses) => {
                for clause in clauses {
                    clause.terms.shift(by);
                    clause.span.shift(by);
                }
            }
        }
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
        self.items.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Atom {
    fn shift(&mut self, by: i64) {
        self.span.shift(by);
        match &mut self.kind {
            AtomKind::Money { currency_span, .. } => currency_span.shift(by),
            AtomKind::Instant(instant) => instant.span.shift(by),
            AtomKind::Rate(_)
            | AtomKind::Duration { .. }
            | AtomKind::Number { .. }
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
        self.amount.shift(by);
        self.scene.shift(by);
        self.attributes.shift(by);
        self.expected.shift(by);
        self.span.shift(by);
    }
}

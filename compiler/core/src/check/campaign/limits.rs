//! A campaign's `limit:` entries: a count or an amount per dimension and
//! period.

use camp_lang::vocab::LIMIT_WORDS;

use crate::check::model::{Dimension, Limit, LimitAmount, Period};
use crate::check::values::{BaseType, Ctx, describe_atom, suggest};
use crate::error::CampError;
use crate::syntax::ast::{AtomKind, Entry, EntryValue};

pub(super) fn check_limit(ctx: &mut Ctx<'_>, entry: &Entry) -> Option<Limit> {
    let EntryValue::Limit(limit) = &entry.value else {
        return None;
    };
    let amount = match &limit.amount.kind {
        AtomKind::Money { .. } => ctx
            .expect_positive_money(&limit.amount, "limit")
            .map(LimitAmount::Money),
        AtomKind::Number { .. } => ctx
            .expect_count(&limit.amount, "limit")
            .map(LimitAmount::Count),
        // Already reported (a number too large, a bad escape).
        AtomKind::Invalid => None,
        AtomKind::Name(name)
            if ctx
                .params
                .and_then(|params| params.get(name))
                .is_some_and(|(ty, _)| {
                    !ty.list
                        && matches!(
                            ty.base,
                            BaseType::Money | BaseType::Count | BaseType::Unknown
                        )
                }) =>
        {
            None
        }
        _ => {
            ctx.error(CampError::TypeMismatch {
                span: limit.amount.span,
                expected: String::from("a count like `1` or an amount like `CNY 100.00`"),
                found: describe_atom(&limit.amount),
                help: None,
            });
            None
        }
    };
    let (dimension, period) = match limit.per.as_slice() {
        [word] => match (Dimension::parse(&word.text), Period::parse(&word.text)) {
            (Some(dimension), _) => (Some(Some(dimension)), Some(None)),
            (_, Some(period)) => (Some(None), Some(Some(period))),
            _ => {
                ctx.error(CampError::UnknownWord {
                    word: word.text.clone(),
                    span: word.span,
                    what: "limit dimension or period",
                    allowed: &LIMIT_WORDS,
                    suggestion: suggest(&word.text, LIMIT_WORDS),
                });
                (None, None)
            }
        },
        [first, second] => {
            let dimension = match Dimension::parse(&first.text) {
                Some(dimension) => Some(Some(dimension)),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: first.text.clone(),
                        span: first.span,
                        what: "limit dimension",
                        allowed: &Dimension::ALL,
                        suggestion: suggest(&first.text, Dimension::ALL),
                    });
                    None
                }
            };
            let period = match Period::parse(&second.text) {
                Some(period) => Some(Some(period)),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: second.text.clone(),
                        span: second.span,
                        what: "limit period",
                        allowed: &Period::ALL,
                        suggestion: suggest(&second.text, Period::ALL),
                    });
                    None
                }
            };
            (dimension, period)
        }
        _ => (None, None),
    };
    Some(Limit {
        amount: amount?,
        dimension: dimension?,
        period: period?,
        span: entry.span,
    })
}

//! A campaign's `limit:` entries: a count or an amount per dimension and
//! period.

use camp_lang::vocab::LIMIT_WORDS;

use crate::check::model::{Dimension, Limit, LimitAmount, Period};
use crate::check::values::{BaseType, Ctx, describe_atom, suggest};
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{AtomKind, Entry, EntryValue, Ident};

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
    let words = if limit.total.is_some() {
        if matches!(limit.amount.kind, AtomKind::Money { .. }) {
            ctx.error(CampError::LimitMoneyTotal { span: entry.span });
            None
        } else {
            Some((Vec::new(), None))
        }
    } else {
        limit_words(ctx, &limit.per)
    };
    let (dimensions, period) = words?;
    let mut dimensions = dimensions.into_iter();
    Some(Limit {
        amount: amount?,
        dimension: dimensions.next(),
        period,
        span: entry.span,
        more_dimensions: dimensions.collect(),
    })
}

/// The words after `per`: the dimensions in order, each once, then at
/// most one period, last. `None` after an error.
fn limit_words(ctx: &mut Ctx<'_>, words: &[Ident]) -> Option<(Vec<Dimension>, Option<Period>)> {
    let mut dimensions: Vec<(Dimension, Span)> = Vec::new();
    let mut period: Option<(Period, Span)> = None;
    let mut complete = true;
    for word in words {
        if let Some(dimension) = Dimension::parse(&word.text) {
            if let Some((_, first)) = dimensions.iter().find(|(other, _)| *other == dimension) {
                ctx.error(CampError::LimitDimensionTwice {
                    span: word.span,
                    dimension: word.text.clone(),
                    first: *first,
                });
                complete = false;
            } else {
                dimensions.push((dimension, word.span));
            }
        } else if let Some(parsed) = Period::parse(&word.text) {
            if let Some((_, first)) = period {
                ctx.error(CampError::LimitTwoPeriods {
                    span: word.span,
                    period: word.text.clone(),
                    first,
                });
                complete = false;
            } else {
                period = Some((parsed, word.span));
            }
        } else {
            ctx.error(CampError::UnknownWord {
                word: word.text.clone(),
                span: word.span,
                what: "limit dimension or period",
                allowed: &LIMIT_WORDS,
                suggestion: suggest(&word.text, LIMIT_WORDS),
            });
            complete = false;
        }
    }
    if let Some((found, span)) = period
        && words
            .iter()
            .any(|word| word.span.start > span.start && Dimension::parse(&word.text).is_some())
    {
        let rewritten = dimensions
            .iter()
            .map(|(dimension, _)| dimension.as_str())
            .chain([found.as_str()])
            .map(|word| format!("per {word}"))
            .collect::<Vec<_>>()
            .join(" ");
        ctx.error(CampError::LimitPeriodNotLast {
            span,
            period: found.as_str().to_string(),
            rewritten,
        });
        complete = false;
    }
    complete.then(|| {
        (
            dimensions
                .into_iter()
                .map(|(dimension, _)| dimension)
                .collect(),
            period.map(|(period, _)| period),
        )
    })
}

//! A campaign's rollout (its stages) and its guards.

use camp_lang::vocab::Metric;
use rust_decimal::Decimal;

use crate::check::model::{Guard, GuardMetric, Rate, Stage, StageTarget};
use crate::check::values::{Ctx, suggest};
use crate::error::{CampError, NameKind};
use crate::source::Span;
use crate::syntax::ast::{Entry, EntryValue, StageSyntax, StageTarget as StageTargetSyntax};

/// Stages: segment stages first, then increasing percentages; every stage
/// but the last runs for a duration; the last is `stage 100%`.
pub(super) fn check_rollout(
    ctx: &mut Ctx<'_>,
    stages: &[StageSyntax],
    keyword: Span,
) -> Option<Vec<Stage>> {
    let Some(last_index) = stages.len().checked_sub(1) else {
        ctx.error(CampError::InvalidRollout {
            span: keyword,
            problem: String::from("it has no stages"),
            label: "empty rollout",
            help: String::from(
                "add stages: canaries (`stage segment …`) and growing shares, each `for` a duration, then `stage 100%`",
            ),
        });
        return None;
    };
    let mut checked = Vec::new();
    let mut complete = true;
    let mut previous_percent: Option<(Rate, Span)> = None;
    for (index, stage) in stages.iter().enumerate() {
        let is_last = index == last_index;
        let target = match &stage.target {
            StageTargetSyntax::Segment(segment) => {
                if previous_percent.is_some() {
                    ctx.error(CampError::InvalidRollout {
                        span: stage.span,
                        problem: String::from("a segment stage comes after a percentage stage"),
                        label: "segment stage after a percentage stage",
                        help: String::from(
                            "put segment stages (canaries) before the percentage stages",
                        ),
                    });
                    complete = false;
                }
                ctx.expect_ident(segment, NameKind::Segment)
                    .map(StageTarget::Segment)
            }
            StageTargetSyntax::Share(atom) => {
                let rate = ctx.expect_rate(atom);
                if let Some(rate) = rate {
                    if let Some((previous, _)) = previous_percent
                        && rate <= previous
                    {
                        ctx.error(CampError::InvalidRollout {
                            span: atom.span,
                            problem: format!(
                                "stage `{rate}` does not grow from the previous `{previous}`"
                            ),
                            label: "not above the previous stage",
                            help: String::from(
                                "each percentage stage must reach more users than the one before",
                            ),
                        });
                        complete = false;
                    }
                    previous_percent = Some((rate, atom.span));
                }
                rate.map(StageTarget::Percent)
            }
        };
        let duration = match &stage.duration {
            Some(atom) => ctx.expect_duration(atom, "stage duration").map(Some),
            None => Some(None),
        };
        if is_last {
            let full = matches!(target, Some(StageTarget::Percent(rate)) if rate.0 == Decimal::ONE_HUNDRED);
            if target.is_some() && !full {
                ctx.error(CampError::InvalidRollout {
                    span: match &stage.target {
                        StageTargetSyntax::Share(atom) => atom.span,
                        StageTargetSyntax::Segment(_) => stage.span,
                    },
                    problem: String::from("the last stage does not reach everyone"),
                    label: "the last stage must be `100%`",
                    help: String::from("end the rollout with `stage 100%`"),
                });
                complete = false;
            }
            if stage.duration.is_some() {
                ctx.error(CampError::InvalidRollout {
                    span: stage
                        .duration
                        .as_ref()
                        .map(|atom| atom.span)
                        .unwrap_or(stage.span),
                    problem: String::from("the last stage has a duration"),
                    label: "the last stage runs until the window ends",
                    help: String::from(
                        "the last stage runs until the window ends: write `stage 100%`",
                    ),
                });
                complete = false;
            }
        } else if stage.duration.is_none() {
            ctx.error(CampError::InvalidRollout {
                span: stage.span,
                problem: String::from("a stage before the last has no duration"),
                label: "no `for …` duration",
                help: String::from(
                    "say how long it runs before the next stage: `for` and a duration",
                ),
            });
            complete = false;
        }
        match (target, duration) {
            (Some(target), Some(duration_seconds)) => checked.push(Stage {
                target,
                duration_seconds,
            }),
            _ => complete = false,
        }
    }
    complete.then_some(checked)
}

pub(super) fn check_guard(ctx: &mut Ctx<'_>, entry: &Entry) -> Option<Guard> {
    let EntryValue::Guard(guard) = &entry.value else {
        return None;
    };
    let metric = match Metric::parse(&guard.metric.text) {
        Some(Metric::Spend) => ctx
            .expect_positive_money(&guard.threshold, "guard threshold")
            .map(GuardMetric::Spend),
        Some(Metric::Redemptions) => ctx
            .expect_count(&guard.threshold, "guard threshold")
            .map(GuardMetric::Redemptions),
        None => {
            let other = &guard.metric.text;
            ctx.error(CampError::UnknownWord {
                word: other.clone(),
                span: guard.metric.span,
                what: "guard metric",
                allowed: &Metric::ALL,
                suggestion: suggest(other, Metric::ALL),
            });
            None
        }
    };
    let per_seconds = ctx.expect_duration(&guard.per, "guard period");
    Some(Guard {
        metric: metric?,
        per_seconds: per_seconds?,
        span: entry.span,
    })
}

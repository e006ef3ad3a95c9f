//! A reward, as one vertical slice of the core: everything the compiler
//! does by reward form, in one file.
//!
//! - Syntax: the syntax tree of a reward, its lowering from the grammar's
//!   pairs, how a syntax error names the rules only a reward uses, and
//!   `visit_mut`, the one traversal of its values and spans that span
//!   shifting (`syntax/shift.rs`) and template substitution
//!   (`check/template.rs`) share. `syntax::ast` re-exports the tree.
//! - Checking: a campaign's reward into a `RewardForm` (an amount, a
//!   capped rate, a random range or tiers) with its options, where each
//!   part is written, and its effective rate against the fund's and the
//!   policy's `max_rate` (what each form reports above them).
//!
//! A new reward form is written in `grammar/camp.pest` (and the
//! tree-sitter grammar), here, in `camp_lang::reward` (its words, how it
//! is written and offered, what it means), in the IR (`camp_ir::types`),
//! in the evaluator's explanation (`camp_eval::decision`) and in
//! `docs/language.md`; ARCHITECTURE.md lists them. Every match over the
//! forms is exhaustive, so the compiler points at each place a new one
//! needs.

use camp_lang::reward::RewardWord;
use pest::iterators::Pair;

use camp_lang::reward::{CREDIT_AFTER, POINT_VALUE};
use camp_lang::vocab::CreditKind;

use crate::check::model::{
    Credit, EffectiveRate, FundDef, Money, Rate, Reward, RewardForm, Schema, floor_div,
    largest_amount_within, smallest_spend_within,
};
use crate::check::values::{BaseType, Ctx, describe_atom};
use crate::error::{CampError, RateExcess};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Entry, EntryValue, Term};
use crate::syntax::lower::Lowerer;
use crate::syntax::parser::Rule;

// ---------------------------------------------------------------- syntax

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardSyntax {
    pub form: RewardFormSyntax,
    pub options: Vec<RewardOption>,
    /// Where each verb is written (`off` or `back`), in order: one for
    /// most forms, one per tier, none for `price`.
    pub verbs: Vec<(RewardVerb, Span)>,
}

/// `off`: an instant discount at payment; `back`: credited after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardVerb {
    Off,
    Back,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewardFormSyntax {
    /// `CNY 5.00 off` or `15% off`
    Off(Atom),
    /// `random CNY 0.10 to CNY 8.88 off`
    Random { low: Atom, high: Atom, span: Span },
    /// `tiers { spend … => … off; … }`
    Tiers { tiers: Vec<TierSyntax>, span: Span },
    /// `every CNY 300.00 => CNY 50.00 off`
    Every {
        step: Atom,
        reward: Atom,
        span: Span,
    },
    /// `price CNY 9.90`
    Price { price: Atom, span: Span },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierSyntax {
    pub spend: Atom,
    pub reward: Atom,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardOptionKind {
    Cap,
    MinSpend,
    MaxSpend,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardOption {
    pub kind: RewardOptionKind,
    pub keyword: Span,
    pub value: Atom,
}

impl RewardSyntax {
    /// Visits every value and every span of the reward in place: the
    /// traversal that span shifting and template substitution share. Each
    /// node is destructured with all its fields and each enum matched
    /// without a catch-all arm, so a new form or a new field fails to
    /// compile here until it is visited.
    pub fn visit_mut(
        &mut self,
        atom: &mut impl FnMut(&mut Atom),
        span: &mut impl FnMut(&mut Span),
    ) {
        let RewardSyntax {
            form,
            options,
            verbs,
        } = self;
        match form {
            RewardFormSyntax::Off(amount) => atom(amount),
            RewardFormSyntax::Random {
                low,
                high,
                span: form_span,
            } => {
                atom(low);
                atom(high);
                span(form_span);
            }
            RewardFormSyntax::Tiers {
                tiers,
                span: form_span,
            } => {
                for TierSyntax {
                    spend,
                    reward,
                    span: tier_span,
                } in tiers
                {
                    atom(spend);
                    atom(reward);
                    span(tier_span);
                }
                span(form_span);
            }
            RewardFormSyntax::Every {
                step,
                reward,
                span: form_span,
            } => {
                atom(step);
                atom(reward);
                span(form_span);
            }
            RewardFormSyntax::Price {
                price,
                span: form_span,
            } => {
                atom(price);
                span(form_span);
            }
        }
        for (verb, verb_span) in verbs {
            match verb {
                RewardVerb::Off | RewardVerb::Back => {}
            }
            span(verb_span);
        }
        for RewardOption {
            kind,
            keyword,
            value,
        } in options
        {
            match kind {
                RewardOptionKind::Cap | RewardOptionKind::MinSpend | RewardOptionKind::MaxSpend => {
                }
            }
            span(keyword);
            atom(value);
        }
    }
}

impl Lowerer {
    pub(crate) fn reward(&mut self, field: &Pair<'_, Rule>) -> Option<RewardSyntax> {
        let form_pair = self.child(field, Rule::reward_form)?.into_inner().next()?;
        // Every alternative of `reward_form` by name: a new reward form
        // must be lowered here; until it is, it is reported, never read as
        // another form.
        let form = match form_pair.as_rule() {
            Rule::amount_off => {
                RewardFormSyntax::Off(self.atom(&self.child(&form_pair, Rule::atom)?))
            }
            Rule::random_reward => {
                let atoms = self.children(&form_pair, Rule::atom);
                let [low, high] = atoms.as_slice() else {
                    self.unexpected(&form_pair);
                    return None;
                };
                RewardFormSyntax::Random {
                    low: self.atom(low),
                    high: self.atom(high),
                    span: self.span(&form_pair),
                }
            }
            Rule::tiers_reward => {
                let mut tiers = Vec::new();
                for tier in self.each(&form_pair, Rule::tier) {
                    let atoms = self.children(&tier, Rule::atom);
                    let [spend, reward] = atoms.as_slice() else {
                        self.unexpected(&tier);
                        continue;
                    };
                    tiers.push(TierSyntax {
                        spend: self.atom(spend),
                        reward: self.atom(reward),
                        span: self.span(&tier),
                    });
                }
                RewardFormSyntax::Tiers {
                    tiers,
                    span: self.span(&form_pair),
                }
            }
            Rule::every_reward => {
                let atoms = self.children(&form_pair, Rule::atom);
                let [step, reward] = atoms.as_slice() else {
                    self.unexpected(&form_pair);
                    return None;
                };
                RewardFormSyntax::Every {
                    step: self.atom(step),
                    reward: self.atom(reward),
                    span: self.span(&form_pair),
                }
            }
            Rule::price_reward => RewardFormSyntax::Price {
                price: self.atom(&self.child(&form_pair, Rule::atom)?),
                span: self.span(&form_pair),
            },
            _ => {
                self.unexpected(&form_pair);
                return None;
            }
        };
        let mut options = Vec::new();
        for option in self.each(field, Rule::reward_option) {
            let Some(inner) = option.into_inner().next() else {
                continue;
            };
            // Every alternative of `reward_option` by name: a new option
            // must be lowered here; until it is, it is reported.
            let kind = match inner.as_rule() {
                Rule::cap_option => RewardOptionKind::Cap,
                Rule::min_spend_option => RewardOptionKind::MinSpend,
                Rule::max_spend_option => RewardOptionKind::MaxSpend,
                _ => {
                    self.unexpected(&inner);
                    continue;
                }
            };
            let mut parts = inner.into_inner();
            let (Some(keyword), Some(value)) = (parts.next(), parts.next()) else {
                continue;
            };
            options.push(RewardOption {
                kind,
                keyword: self.span(&keyword),
                value: self.atom(&value),
            });
        }
        // The verbs, in order: the form's, or each tier's.
        let mut verbs = Vec::new();
        for verb in form_pair
            .clone()
            .into_inner()
            .flat_map(|part| match part.as_rule() {
                Rule::tier => part.into_inner().collect::<Vec<_>>(),
                _ => vec![part],
            })
            .filter(|part| part.as_rule() == Rule::reward_verb)
        {
            let Some(word) = verb.into_inner().next() else {
                continue;
            };
            let kind = match word.as_rule() {
                Rule::kw_off => RewardVerb::Off,
                Rule::kw_back => RewardVerb::Back,
                _ => {
                    self.unexpected(&word);
                    continue;
                }
            };
            verbs.push((kind, self.token_span(&word)));
        }
        Some(RewardSyntax {
            form,
            options,
            verbs,
        })
    }
}

/// `describe_rule` (`syntax_error.rs`) with the arms of the rules only a
/// reward uses: what a syntax error's "expected …" says for each. The
/// match stays exhaustive over the grammar's rules, so a new reward rule
/// fails to compile there until its arm is added here.
macro_rules! match_reward_rules {
    ($rule:expr, { $($other:tt)* }) => {
        match $rule {
            Rule::reward_form | Rule::amount_off => "a reward like `CNY 5.00 off` or `15% off`",
            Rule::reward_verb => "`off` or `back`",
            Rule::every_reward | Rule::kw_every => "a repeating threshold like `every CNY 300.00 => CNY 50.00 off`",
            Rule::price_reward | Rule::kw_price => "a price like `price CNY 9.90`",
            Rule::random_reward | Rule::kw_random => "`random`",
            Rule::tiers_reward | Rule::kw_tiers => "`tiers`",
            Rule::tier | Rule::kw_spend => "a tier like `spend CNY 100.00 => CNY 10.00 off`",
            Rule::reward_option
            | Rule::cap_option
            | Rule::min_spend_option
            | Rule::max_spend_option
            | Rule::kw_cap
            | Rule::kw_min_spend
            | Rule::kw_max_spend => "`cap`, `min_spend` or `max_spend`",
            $($other)*
        }
    };
}

pub(crate) use match_reward_rules;

// ---------------------------------------------------------------- checking

/// Where the parts of a reward are written (substituted template values
/// point at their arguments).
#[derive(Debug, Default)]
pub(crate) struct RewardSpans {
    /// A percentage's rate.
    pub(crate) rate: Option<Span>,
    /// The amount that bounds one reward (fixed amount, cap, largest tier,
    /// random maximum).
    pub(crate) largest: Option<Span>,
    /// A fixed amount, or a random reward's high end.
    pub(crate) amount: Option<Span>,
    /// Each tier's reward, in order.
    pub(crate) tiers: Vec<Span>,
    pub(crate) min_spend: Option<Span>,
    pub(crate) max_spend: Option<Span>,
    /// A cap, when one is written.
    pub(crate) cap: Option<Span>,
}

impl RewardSpans {
    /// What sets the reward's effective rate (the first tier of those with
    /// the highest rate).
    pub(crate) fn effective_rate(&self, reward: &Reward) -> Option<Span> {
        match &reward.form {
            RewardForm::Percent { .. } => self.rate,
            RewardForm::Fixed(_) | RewardForm::Random { .. } | RewardForm::Every { .. } => {
                self.amount
            }
            RewardForm::Price { .. } => self.amount,
            RewardForm::Tiers(tiers) => {
                let highest = reward.effective_rate();
                tiers
                    .iter()
                    .position(|(spend, tier_reward)| {
                        reward.tier_rate(*spend, *tier_reward) == highest
                    })
                    .and_then(|index| self.tiers.get(index).copied())
            }
        }
    }
}

pub(crate) fn check_reward(
    ctx: &mut Ctx<'_>,
    syntax: &RewardSyntax,
    span: Span,
    contract_cap: Option<Money>,
    spans: &mut RewardSpans,
) -> Option<Reward> {
    let RewardSpans {
        rate: rate_span,
        largest: largest_span,
        amount: amount_span,
        tiers: tier_spans,
        min_spend: min_spend_span,
        max_spend: max_spend_span,
        cap: cap_span,
    } = spans;
    let mut cap: Option<&Atom> = None;
    let mut min_spend_atom: Option<&Atom> = None;
    let mut max_spend_atom: Option<&Atom> = None;
    for option in &syntax.options {
        let (slot, name) = match option.kind {
            RewardOptionKind::Cap => (&mut cap, RewardWord::Cap.as_str()),
            RewardOptionKind::MinSpend => (&mut min_spend_atom, RewardWord::MinSpend.as_str()),
            RewardOptionKind::MaxSpend => (&mut max_spend_atom, RewardWord::MaxSpend.as_str()),
        };
        match slot {
            Some(first) => ctx.error(CampError::DuplicateField {
                field: name.to_string(),
                span: option.keyword,
                first: first.span,
            }),
            None => *slot = Some(&option.value),
        }
    }
    *min_spend_span = min_spend_atom.map(|atom| atom.span);
    let min_spend =
        min_spend_atom.map(|atom| ctx.expect_positive_money(atom, RewardWord::MinSpend.as_str()));
    *max_spend_span = max_spend_atom.map(|atom| atom.span);
    *cap_span = cap.map(|atom| atom.span);
    let max_spend =
        max_spend_atom.map(|atom| ctx.expect_positive_money(atom, RewardWord::MaxSpend.as_str()));
    if let (Some(Some(min)), Some(Some(max)), Some(min_atom), Some(max_atom)) =
        (min_spend, max_spend, min_spend_atom, max_spend_atom)
        && max.amount < min.amount
    {
        ctx.error(CampError::MaxSpendBelowMinSpend {
            span: max_atom.span,
            max_spend: max.to_string(),
            min_spend: min.to_string(),
            min_span: min_atom.span,
        });
    }

    let form = match &syntax.form {
        RewardFormSyntax::Off(atom) => {
            if let Some(cap_atom) = cap {
                *largest_span = Some(cap_atom.span);
            } else {
                *largest_span = Some(atom.span);
            }
            match &atom.kind {
                AtomKind::Money { .. } => {
                    *amount_span = Some(atom.span);
                    let amount = ctx.expect_positive_money(atom, "reward");
                    if let Some(cap_atom) = cap {
                        ctx.error(CampError::TypeMismatch {
                            span: cap_atom.span,
                            expected: String::from("no cap on a fixed amount"),
                            found: String::from("a cap"),
                            help: Some(String::from(
                                "remove the cap; a fixed reward is already its own cap",
                            )),
                        });
                    }
                    amount.map(RewardForm::Fixed)
                }
                AtomKind::Rate(_) => {
                    *rate_span = Some(atom.span);
                    let rate = ctx.expect_rate(atom);
                    match cap {
                        None => {
                            ctx.error(CampError::UncappedPercentage {
                                span: atom.span,
                                rate: rate.map(|rate| rate.to_string()).unwrap_or_default(),
                                contract_cap: contract_cap.map(|cap| {
                                    let end = Span {
                                        start: span.end,
                                        ..span
                                    };
                                    (end, cap.to_string())
                                }),
                            });
                            None
                        }
                        Some(cap) => {
                            let cap = ctx.expect_positive_money(cap, RewardWord::Cap.as_str());
                            Some(RewardForm::Percent {
                                rate: rate?,
                                cap: cap?,
                            })
                        }
                    }
                }
                _ => {
                    // A template parameter may stand for either form.
                    if let Some(params) = ctx.params
                        && let AtomKind::Name(name) = &atom.kind
                        && let Some((ty, _)) = params.get(name)
                        && !ty.list
                        && matches!(
                            ty.base,
                            BaseType::Money | BaseType::Rate | BaseType::Unknown
                        )
                    {
                        match cap {
                            Some(cap) => {
                                let _ = ctx.expect_positive_money(cap, RewardWord::Cap.as_str());
                            }
                            // A rate parameter with no cap can never compile.
                            None if ty.base == BaseType::Rate => {
                                ctx.error(CampError::UncappedPercentage {
                                    span: atom.span,
                                    rate: name.clone(),
                                    contract_cap: None,
                                })
                            }
                            None => {}
                        }
                        return None;
                    }
                    ctx.error(CampError::TypeMismatch {
                        span: atom.span,
                        expected: String::from("an amount like `CNY 5.00` or a rate like `15%`"),
                        found: describe_atom(atom),
                        help: match atom.kind {
                            AtomKind::Number { value, .. } => Some(format!(
                                "write `{value}%` for a percentage, or an amount with its currency such as `{}`",
                                ctx.example_money(value)
                            )),
                            _ => None,
                        },
                    });
                    None
                }
            }
        }
        RewardFormSyntax::Random { low, high, span } => {
            *largest_span = Some(high.span);
            *amount_span = Some(high.span);
            let low_money = ctx.expect_positive_money(low, "reward");
            let high_money = ctx.expect_positive_money(high, "reward");
            if let Some(cap) = cap {
                ctx.error(CampError::TypeMismatch {
                    span: cap.span,
                    expected: String::from("no cap on a random reward"),
                    found: String::from("a cap"),
                    help: Some(String::from(
                        "remove the cap; the high end of the range is the cap",
                    )),
                });
            }
            let (low_money, high_money) = (low_money?, high_money?);
            if low_money.amount >= high_money.amount {
                ctx.error(CampError::InvalidRandomRange {
                    span: *span,
                    low: low_money.to_string(),
                    high: high_money.to_string(),
                });
                return None;
            }
            Some(RewardForm::Random {
                low: low_money,
                high: high_money,
            })
        }
        RewardFormSyntax::Tiers { tiers, span } => {
            if tiers.is_empty() {
                ctx.error(CampError::EmptyTiers { span: *span });
                return None;
            }
            if let Some(cap) = cap {
                ctx.error(CampError::TypeMismatch {
                    span: cap.span,
                    expected: String::from("no cap on tiers"),
                    found: String::from("a cap"),
                    help: Some(String::from("remove the cap; the largest tier is the cap")),
                });
            }
            let mut checked: Vec<(Money, Money)> = Vec::new();
            let mut complete = true;
            let mut previous: Option<(Money, Span)> = None;
            for tier in tiers {
                let spend = ctx.expect_positive_money(&tier.spend, "tier spend");
                let reward = ctx.expect_positive_money(&tier.reward, "tier reward");
                let (Some(spend), Some(reward)) = (spend, reward) else {
                    complete = false;
                    continue;
                };
                if let Some((previous_spend, previous_span)) = previous
                    && spend.amount <= previous_spend.amount
                {
                    ctx.error(CampError::TiersNotIncreasing {
                        span: tier.spend.span,
                        previous: previous_span,
                    });
                    complete = false;
                }
                if reward.amount >= spend.amount {
                    ctx.error(CampError::TierRewardNotBelowSpend {
                        span: tier.reward.span,
                        reward: reward.to_string(),
                        spend: spend.to_string(),
                    });
                    complete = false;
                }
                if checked
                    .last()
                    .is_none_or(|(_, largest)| reward.amount >= largest.amount)
                {
                    *largest_span = Some(tier.reward.span);
                }
                previous = Some((spend, tier.spend.span));
                checked.push((spend, reward));
                tier_spans.push(tier.reward.span);
            }
            complete.then_some(RewardForm::Tiers(checked))
        }
        RewardFormSyntax::Every {
            step,
            reward,
            span: form_span,
        } => {
            *largest_span = Some(cap.map_or(reward.span, |cap| cap.span));
            *amount_span = Some(reward.span);
            let step_money = ctx.expect_positive_money(step, "every step");
            let reward_money = ctx.expect_positive_money(reward, "reward");
            let cap_money = cap.map(|cap| ctx.expect_positive_money(cap, RewardWord::Cap.as_str()));
            let (step_money, reward_money) = (step_money?, reward_money?);
            if reward_money.amount >= step_money.amount {
                ctx.error(CampError::EveryRewardNotBelowStep {
                    span: reward.span,
                    reward: reward_money.to_string(),
                    step: step_money.to_string(),
                });
                return None;
            }
            if cap.is_none() && contract_cap.is_none() {
                ctx.error(CampError::UncappedEvery {
                    span: *form_span,
                    written: format!("every {step_money} => {reward_money} off"),
                });
                return None;
            }
            let cap = match cap_money {
                None => None,
                Some(None) => return None,
                Some(Some(cap)) => Some(cap),
            };
            Some(RewardForm::Every {
                step: step_money,
                reward: reward_money,
                cap,
            })
        }
        RewardFormSyntax::Price {
            price,
            span: form_span,
        } => {
            *largest_span = cap.map(|cap| cap.span).or(*max_spend_span);
            *amount_span = *max_spend_span;
            let price_money = ctx.expect_positive_money(price, RewardWord::Price.as_str());
            let cap_money = cap.map(|cap| ctx.expect_positive_money(cap, RewardWord::Cap.as_str()));
            let price_money = price_money?;
            if cap.is_none() && max_spend_atom.is_none() {
                ctx.error(CampError::UnboundedPrice {
                    span: *form_span,
                    price: price_money.to_string(),
                });
                return None;
            }
            if let (Some(Some(max)), Some(max_atom)) = (max_spend, max_spend_atom)
                && max.amount <= price_money.amount
            {
                ctx.error(CampError::MaxSpendNotAbovePrice {
                    span: max_atom.span,
                    max_spend: max.to_string(),
                    price: price_money.to_string(),
                    price_span: price.span,
                });
                return None;
            }
            let cap = match cap_money {
                None => None,
                Some(None) => return None,
                Some(Some(cap)) => Some(cap),
            };
            Some(RewardForm::Price {
                price: price_money,
                cap,
            })
        }
    };
    let min_spend = match min_spend {
        None => None,
        Some(None) => return None,
        Some(Some(money)) => Some(money),
    };
    let max_spend = match max_spend {
        None => None,
        Some(None) => return None,
        Some(Some(money)) => Some(money),
    };
    Some(Reward {
        form: form?,
        min_spend,
        span,
        max_spend,
        credit: None,
    })
}

/// The reward's verb with the campaign's `credit:` field: a `back` reward
/// must say how and when it is credited, an `off` one may not; tiers take
/// one verb. `Some(credit)` when they agree (`None` inside for `off`).
pub(crate) fn check_verb_and_credit(
    ctx: &mut Ctx<'_>,
    syntax: &RewardSyntax,
    reward_span: Span,
    credit: Option<&Entry>,
) -> Option<Option<Credit>> {
    let back = syntax
        .verbs
        .iter()
        .find(|(verb, _)| *verb == RewardVerb::Back)
        .map(|(_, span)| *span);
    let off = syntax
        .verbs
        .iter()
        .find(|(verb, _)| *verb == RewardVerb::Off)
        .map(|(_, span)| *span);
    if let (Some(back), Some(off)) = (back, off) {
        ctx.error(CampError::MixedRewardVerbs { span: back, off });
        return None;
    }
    match (back, credit) {
        (None, None) => Some(None),
        (None, Some(entry)) => {
            ctx.error(CampError::CreditOnOff {
                span: entry.span,
                off: off.unwrap_or(reward_span),
            });
            None
        }
        (Some(back), None) => {
            ctx.error(CampError::BackWithoutCredit { span: back });
            None
        }
        (Some(_), Some(entry)) => check_credit(ctx, entry).map(Some),
    }
}

/// `credit: KIND after DURATION[, point_value MONEY]`.
fn check_credit(ctx: &mut Ctx<'_>, entry: &Entry) -> Option<Credit> {
    let EntryValue::Generic(clauses) = &entry.value else {
        return None;
    };
    let shape = |ctx: &mut Ctx<'_>, span: Span, found: String| {
        ctx.error(CampError::TypeMismatch {
            span,
            expected: String::from(
                "`cash after DURATION`, `points after DURATION, point_value MONEY` or `statement after DURATION`",
            ),
            found,
            help: Some(String::from(
                "write how and when the reward is credited, e.g. `credit: cash after …` with a duration like `30d`",
            )),
        });
    };
    let first = clauses.first()?;
    let atoms: Vec<&Atom> = first
        .terms
        .iter()
        .filter_map(|term| match term {
            Term::Atom(atom) => Some(atom),
            Term::List(_) => None,
        })
        .collect();
    let ([kind, after, delay], true) = (atoms.as_slice(), atoms.len() == first.terms.len()) else {
        shape(ctx, first.span, String::from("something else"));
        return None;
    };
    let kind = match &kind.kind {
        AtomKind::Name(word) => match CreditKind::parse(word) {
            Some(kind) => kind,
            None => {
                ctx.error(CampError::UnknownWord {
                    word: word.clone(),
                    span: kind.span,
                    what: "credit",
                    allowed: &CreditKind::ALL,
                    suggestion: crate::check::values::suggest(word, CreditKind::ALL),
                });
                return None;
            }
        },
        _ => {
            shape(ctx, kind.span, describe_atom(kind));
            return None;
        }
    };
    if !matches!(&after.kind, AtomKind::Name(word) if word == CREDIT_AFTER) {
        shape(ctx, after.span, describe_atom(after));
        return None;
    }
    let after_seconds = ctx.expect_duration(delay, "credit delay")?;
    let mut point_value: Option<(Money, Span)> = None;
    for clause in clauses.iter().skip(1) {
        match clause.terms.as_slice() {
            [Term::Atom(key), Term::Atom(value)] if matches!(&key.kind, AtomKind::Name(word) if word == POINT_VALUE) =>
            {
                let money = ctx.expect_positive_money(value, "point value")?;
                point_value = Some((money, clause.span));
            }
            _ => {
                shape(ctx, clause.span, String::from("something else"));
                return None;
            }
        }
    }
    match (kind, point_value) {
        (CreditKind::Points, None) => {
            ctx.error(CampError::PointsWithoutValue { span: entry.span });
            None
        }
        (CreditKind::Cash | CreditKind::Statement, Some((_, span))) => {
            ctx.error(CampError::PointValueWithoutPoints {
                span,
                kind: kind.as_str(),
            });
            None
        }
        (CreditKind::Points, Some((value, _))) => Some(Credit {
            kind,
            after_seconds,
            point_value: Some(value),
        }),
        (CreditKind::Cash | CreditKind::Statement, None) => Some(Credit {
            kind,
            after_seconds,
            point_value: None,
        }),
    }
}

/// The fund's and the policy's `max_rate` bound the effective rate of
/// every form of reward. Above both, only the lower bound is reported (it
/// is the fix; the fund on a tie). Tiers are checked one by one, each
/// against the smallest payment that reaches it.
pub(crate) fn check_effective_rate(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    fund: Option<&FundDef>,
    reward: &Reward,
    spans: &RewardSpans,
) {
    let fund_max = fund.and_then(|fund| fund.max_rate.map(|max| (fund, max)));
    let policy_max = schema.policy.as_ref().and_then(|policy| policy.max_rate);
    // The lower bound the rate is above, if any.
    let report = |ctx: &mut Ctx<'_>,
                  rate: EffectiveRate,
                  span: Span,
                  excess: &dyn Fn(Rate) -> RateExcess| {
        let above_fund = fund_max.filter(|(_, (max, _))| rate.exceeds(*max));
        let above_policy = policy_max.filter(|(max, _)| rate.exceeds(*max));
        match (above_fund, above_policy) {
            (Some((fund, (max, fund_span))), policy)
                if policy.is_none_or(|(policy_max, _)| max <= policy_max) =>
            {
                ctx.error(CampError::RateAboveFund {
                    span,
                    excess: Box::new(excess(max)),
                    max: max.to_string(),
                    fund: fund.id.clone(),
                    fund_max: fund_span,
                });
            }
            (_, Some((max, policy_span))) => ctx.error(CampError::RateAbovePolicy {
                span,
                excess: Box::new(excess(max)),
                max: max.to_string(),
                policy: policy_span,
            }),
            (_, None) => {}
        }
    };
    // Written out only for an error (every campaign is checked).
    let min_spend = || {
        reward
            .min_spend
            .zip(spans.min_spend)
            .map(|(money, span)| (money.to_string(), span))
    };
    match &reward.form {
        RewardForm::Percent { rate, .. } => report(
            ctx,
            reward.effective_rate(),
            spans.rate.unwrap_or(reward.span),
            &|_| RateExcess::Percent {
                rate: rate.to_string(),
            },
        ),
        RewardForm::Fixed(amount) => report(
            ctx,
            reward.effective_rate(),
            spans.amount.unwrap_or(reward.span),
            &|max| {
                amount_excess(
                    reward,
                    format!("{amount} off"),
                    *amount,
                    None,
                    max,
                    &min_spend(),
                )
            },
        ),
        RewardForm::Random { low, high } => report(
            ctx,
            reward.effective_rate(),
            spans.amount.unwrap_or(reward.span),
            &|max| {
                let written = format!("random {low} to {high} off");
                amount_excess(reward, written, *high, Some(*low), max, &min_spend())
            },
        ),
        RewardForm::Tiers(tiers) => {
            for (index, (spend, tier_reward)) in tiers.iter().enumerate() {
                let rate = reward.tier_rate(*spend, *tier_reward);
                let reached_from = reward
                    .min_spend
                    .filter(|min_spend| min_spend.amount > spend.amount);
                report(
                    ctx,
                    rate,
                    spans.tiers.get(index).copied().unwrap_or(reward.span),
                    &|max| RateExcess::Tier {
                        tier: format!("spend {spend} => {tier_reward} off"),
                        reached_from: reached_from
                            .zip(spans.min_spend)
                            .map(|(money, span)| (money.to_string(), span)),
                        effective: rate.to_string(),
                        largest_reward: largest_amount_within(reached_from.unwrap_or(*spend), max)
                            .map(|amount| amount.to_string()),
                    },
                );
            }
        }
        RewardForm::Every {
            step, reward: each, ..
        } => report(
            ctx,
            reward.effective_rate(),
            spans.amount.unwrap_or(reward.span),
            &|max| RateExcess::Written {
                reward: format!("every {step} => {each} off"),
                effective: reward.effective_rate().to_string(),
                help: match largest_amount_within(*step, max) {
                    Some(largest) => format!(
                        "lower the reward to at most `{largest}` for every `{step}`, or raise the step"
                    ),
                    None => String::from("lower the reward, or raise the step"),
                },
            },
        ),
        RewardForm::Price { price, cap } => report(
            ctx,
            reward.effective_rate(),
            spans.max_spend.or(spans.cap).unwrap_or(reward.span),
            &|max| RateExcess::Written {
                reward: format!("price {price}"),
                effective: reward.effective_rate().to_string(),
                help: price_help(*price, *cap, reward.max_spend, max),
            },
        ),
    }
}

/// What keeps a `price P` within `max`: a `max_spend` of at most
/// P / (1 − max), or a cap of at most P × max / (1 − max), from the
/// author's own price.
fn price_help(price: Money, cap: Option<Money>, max_spend: Option<Money>, max: Rate) -> String {
    let scale = Money::minor_unit(price.currency);
    let rest = rust_decimal::Decimal::ONE_HUNDRED - max.0;
    let money = |amount| Money {
        amount,
        currency: price.currency,
    };
    let largest_max_spend = price
        .amount
        .checked_mul(rust_decimal::Decimal::ONE_HUNDRED)
        .and_then(|numerator| floor_div(numerator, rest, scale))
        .map(money);
    let largest_cap = price
        .amount
        .checked_mul(max.0)
        .and_then(|numerator| floor_div(numerator, rest, scale))
        .filter(|cap| *cap > rust_decimal::Decimal::ZERO)
        .map(money);
    let max_spend_part = largest_max_spend.map(|m| format!("`max_spend` to at most `{m}`"));
    let cap_part = largest_cap.map(|c| format!("the cap to at most `{c}`"));
    let parts: Vec<String> = match (max_spend.is_some(), cap.is_some()) {
        (true, true) => max_spend_part.into_iter().chain(cap_part).collect(),
        (true, false) => max_spend_part.into_iter().collect(),
        (false, true) => cap_part.into_iter().collect(),
        (false, false) => Vec::new(),
    };
    match parts.as_slice() {
        [] => String::from("lower `max_spend` or the cap, or raise the price"),
        [one] => format!("lower {one}, or raise the price"),
        [one, two, ..] => format!("lower {one} or {two}, or raise the price"),
    }
}

/// A fixed amount, or a random reward's high end (above `low`), above
/// `max`: what keeps it within, from the author's own values.
fn amount_excess(
    reward: &Reward,
    written: String,
    amount: Money,
    low: Option<Money>,
    max: Rate,
    min_spend: &Option<(String, Span)>,
) -> RateExcess {
    RateExcess::Amount {
        reward: written,
        amount: amount.to_string(),
        random: low.is_some(),
        min_spend: min_spend.clone(),
        effective: reward.effective_rate().to_string(),
        smallest_min_spend: smallest_spend_within(amount, max).map(|spend| spend.to_string()),
        largest_amount: reward
            .min_spend
            .and_then(|min_spend| largest_amount_within(min_spend, max))
            .filter(|largest| low.is_none_or(|low| largest.amount > low.amount))
            .map(|largest| largest.to_string()),
    }
}

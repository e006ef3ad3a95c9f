//! A reward's syntax, in one place: its syntax tree, its lowering from the
//! grammar's pairs, how a syntax error names its grammar rules, and the one
//! traversal of its values and spans that span shifting (`shift.rs`) and
//! template substitution (`check/template.rs`) share.
//!
//! A new reward form is written in `grammar/camp.pest` (and the tree-sitter
//! grammar), here, in `camp_lang::reward` (its words and meaning), in the
//! checker's `check/campaign/reward.rs` and in the IR (`camp_ir::types`);
//! ARCHITECTURE.md lists the files. Every match over the forms below is
//! exhaustive, so the compiler points at each place a new one needs.

use pest::iterators::Pair;

use super::ast::Atom;
use super::lower::Lowerer;
use super::parser::Rule;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardSyntax {
    pub form: RewardFormSyntax,
    pub options: Vec<RewardOption>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewardFormSyntax {
    /// `CNY 5.00 off` or `15% off`
    Off(Atom),
    /// `random CNY 0.10 to CNY 8.88 off`
    Random { low: Atom, high: Atom, span: Span },
    /// `tiers { spend … => … off; … }`
    Tiers { tiers: Vec<TierSyntax>, span: Span },
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
        let RewardSyntax { form, options } = self;
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
        }
        for RewardOption {
            kind,
            keyword,
            value,
        } in options
        {
            match kind {
                RewardOptionKind::Cap | RewardOptionKind::MinSpend => {}
            }
            span(keyword);
            atom(value);
        }
    }
}

impl Lowerer {
    pub(super) fn reward(&mut self, field: &Pair<'_, Rule>) -> Option<RewardSyntax> {
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
        Some(RewardSyntax { form, options })
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
            Rule::random_reward | Rule::kw_random => "`random`",
            Rule::tiers_reward | Rule::kw_tiers => "`tiers`",
            Rule::tier | Rule::kw_spend => "a tier like `spend CNY 100.00 => CNY 10.00 off`",
            Rule::reward_option
            | Rule::cap_option
            | Rule::min_spend_option
            | Rule::kw_cap
            | Rule::kw_min_spend => "`cap` or `min_spend`",
            $($other)*
        }
    };
}

pub(super) use match_reward_rules;

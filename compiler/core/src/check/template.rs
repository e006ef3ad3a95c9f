//! Templates: typed, ranged parameters; a body checked once with the
//! parameters in scope; and instantiation, which substitutes a campaign's
//! arguments into the body so the campaign is checked like any other, with
//! errors in substituted values pointing at the arguments.

use std::collections::{BTreeMap, HashMap};

use camp_lang::vocab::TypeName;
use rust_decimal::Decimal;

use super::campaign::check_template_body;
use super::model::{Money, Schema, TemplateUse};
use super::values::{BaseType, Ctx, ParamType, Params, describe_atom, suggest};
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{
    ApprovalsSyntax, Atom, AtomKind, Clause, Entry, EntryValue, FromClause, GuardSyntax,
    HoursSyntax, Ident, LimitSyntax, List, StackingSyntax, StageSyntax, StageTarget, TemplateDecl,
    Term, ThroughputSyntax, WindowSyntax,
};

/// A range bound as a comparable number: money in one currency, a rate,
/// a count or a duration in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Money(Money),
    Number(Decimal),
}

impl Bound {
    fn value(self) -> Decimal {
        match self {
            Bound::Money(money) => money.amount,
            Bound::Number(number) => number,
        }
    }
}

#[derive(Debug, Clone)]
struct RangeInfo {
    low: Bound,
    high: Bound,
    low_text: String,
    high_text: String,
    span: Span,
}

/// A checked template.
#[derive(Debug)]
pub struct TemplateInfo<'a> {
    pub decl: &'a TemplateDecl,
    pub params: Params,
    ranges: HashMap<String, RangeInfo>,
    /// Parameters in declaration order.
    order: Vec<String>,
    /// Whether the parameter list itself is sound; if not, campaigns using
    /// the template are not checked further (the template's errors say why).
    pub sound: bool,
    /// The errors of the body itself, by code and place: reported once for
    /// the template, not again for every campaign made from it.
    pub body_errors: Vec<(&'static str, Span)>,
}

pub fn check_template<'a>(
    ctx: &mut Ctx<'_>,
    schema: &Schema,
    decl: &'a TemplateDecl,
) -> TemplateInfo<'a> {
    let mut params = Params::default();
    let mut ranges = HashMap::new();
    let mut order = Vec::new();
    let mut sound = true;
    for parameter in &decl.parameters {
        let name = parameter.name.text.clone();
        if let Some((_, first)) = params.get(&name) {
            ctx.error(CampError::DuplicateArgument {
                name: name.clone(),
                span: parameter.name.span,
                first: *first,
            });
            sound = false;
            continue;
        }
        let Some(base) = BaseType::parse(&parameter.ty.name.text) else {
            let written = parameter.ty.name.text.as_str();
            ctx.error(CampError::UnknownParameterType {
                span: parameter.ty.name.span,
                ty: written.to_string(),
                suggestion: type_alias(written)
                    .map(String::from)
                    .or_else(|| suggest(written, BaseType::NAMES)),
            });
            sound = false;
            // Still a parameter, of a type that accepts any use, so its uses
            // in the body do not repeat this error.
            let ty = ParamType {
                base: BaseType::Unknown,
                list: parameter.ty.list,
            };
            params.insert(name.clone(), (ty, parameter.name.span));
            order.push(name);
            continue;
        };
        let ty = ParamType {
            base,
            list: parameter.ty.list,
        };
        if let Some((low, high)) = &parameter.range {
            match range_info(ctx, ty, low, high) {
                Some(range) => {
                    ranges.insert(name.clone(), range);
                }
                None => sound = false,
            }
        }
        params.insert(name.clone(), (ty, parameter.name.span));
        order.push(name);
    }

    let mut body_ctx = Ctx::new(ctx.symbols, ctx.policy);
    body_ctx.params = Some(&params);
    check_template_body(&mut body_ctx, schema, &decl.body.entries);
    let body_errors = body_ctx
        .errors
        .iter()
        .map(|error| (error.code(), error.span()))
        .collect();
    ctx.errors.append(&mut body_ctx.errors);

    TemplateInfo {
        decl,
        params,
        ranges,
        order,
        sound,
        body_errors,
    }
}

/// The Camp type for type names from other languages.
fn type_alias(written: &str) -> Option<&'static str> {
    let name = match written {
        "Amount" | "Currency" | "Decimal" | "Price" => TypeName::Money,
        "Percent" | "Percentage" | "Discount" => TypeName::Rate,
        "Int" | "Integer" | "Number" | "Quantity" => TypeName::Count,
        "String" | "Str" | "Title" => TypeName::Text,
        "Time" | "Period" => TypeName::Duration,
        "City" => TypeName::Region,
        _ => return None,
    };
    Some(name.as_str())
}

fn range_info(ctx: &mut Ctx<'_>, ty: ParamType, low: &Atom, high: &Atom) -> Option<RangeInfo> {
    let invalid = |ctx: &mut Ctx<'_>, problem: String| {
        ctx.error(CampError::InvalidParameterRange {
            span: low.span.to(high.span),
            problem,
        });
    };
    if ty.list
        || matches!(
            ty.base,
            BaseType::Text | BaseType::Name(_) | BaseType::Unknown
        )
    {
        invalid(
            ctx,
            format!("a `{}` parameter cannot have a range", ty.display()),
        );
        return None;
    }
    let bound = |ctx: &mut Ctx<'_>, atom: &Atom| -> Option<Bound> {
        match ty.base {
            BaseType::Money => ctx.expect_money(atom).map(Bound::Money),
            BaseType::Rate => ctx.expect_rate(atom).map(|rate| Bound::Number(rate.0)),
            BaseType::Count => ctx
                .expect_count(atom, "range bound")
                .map(|count| Bound::Number(count.into())),
            BaseType::Duration => ctx
                .expect_duration(atom, "range bound")
                .map(|seconds| Bound::Number(seconds.into())),
            BaseType::Text | BaseType::Name(_) | BaseType::Unknown => None,
        }
    };
    let (low_bound, high_bound) = (bound(ctx, low)?, bound(ctx, high)?);
    if let (Bound::Money(a), Bound::Money(b)) = (low_bound, high_bound)
        && a.currency != b.currency
    {
        invalid(
            ctx,
            format!("the bounds are in `{}` and `{}`", a.code(), b.code()),
        );
        return None;
    }
    if low_bound.value() > high_bound.value() {
        invalid(ctx, String::from("the low end is above the high end"));
        return None;
    }
    Some(RangeInfo {
        low: low_bound,
        high: high_bound,
        low_text: atom_text(low),
        high_text: atom_text(high),
        span: low.span.to(high.span),
    })
}

/// A value as an author would write it, for messages and the IR.
pub fn atom_text(atom: &Atom) -> String {
    match &atom.kind {
        AtomKind::Money {
            currency, amount, ..
        } => format!(
            "{currency} {}",
            super::model::group_digits(&amount.to_string())
        ),
        AtomKind::Rate(rate) => format!("{}%", rate.normalize()),
        AtomKind::Duration { value, unit } => format!("{value}{}", unit.as_str()),
        AtomKind::Number { value, .. } => super::model::group_digits(&value.to_string()),
        AtomKind::Text(text) => format!("{text:?}"),
        AtomKind::Bool(value) => value.to_string(),
        AtomKind::Any => String::from("any"),
        AtomKind::Name(name) | AtomKind::Upper(name) => name.clone(),
        AtomKind::Instant(instant) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            instant.year, instant.month, instant.day, instant.hour, instant.minute
        ),
        AtomKind::Invalid => String::from("?"),
    }
}

fn term_text(term: &Term) -> String {
    match term {
        Term::Atom(atom) => atom_text(atom),
        Term::List(list) => format!(
            "[{}]",
            list.items
                .iter()
                .map(atom_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Checks the arguments of `campaign … from template(…)` and returns the
/// campaign's effective entries, or `None` if they cannot be formed.
/// A campaign's effective fields after substituting its arguments.
#[derive(Debug)]
pub struct Instance {
    pub entries: Vec<Entry>,
    pub used: TemplateUse,
    /// Parameters whose argument was missing or wrong (already reported):
    /// they stay in the fields as typed unknowns, so that everything that
    /// does not depend on them is still checked.
    pub unresolved: Params,
    /// Whether every argument was valid and no fixed field was set again.
    pub complete: bool,
}

pub fn instantiate(
    ctx: &mut Ctx<'_>,
    template: &TemplateInfo<'_>,
    from: &FromClause,
    own: &[Entry],
) -> Option<Instance> {
    let template_name = &template.decl.name.text;
    let mut arguments: HashMap<&str, &Term> = HashMap::new();
    let mut argument_spans: HashMap<&str, Span> = HashMap::new();
    let mut complete = template.sound;
    let mut misspelled: Vec<String> = Vec::new();
    for argument in &from.arguments {
        let name = argument.name.text.as_str();
        if let Some(first) = argument_spans.get(name) {
            ctx.error(CampError::DuplicateArgument {
                name: name.to_string(),
                span: argument.name.span,
                first: *first,
            });
            complete = false;
            continue;
        }
        argument_spans.insert(name, argument.name.span);
        let Some((ty, param_span)) = template.params.get(name) else {
            let suggestion = suggest(name, template.order.iter().map(String::as_str));
            if let Some(suggestion) = &suggestion {
                misspelled.push(suggestion.clone());
            }
            ctx.error(CampError::UnknownArgument {
                span: argument.name.span,
                name: name.to_string(),
                template: template_name.clone(),
                suggestion,
            });
            complete = false;
            continue;
        };
        if ty.base == BaseType::Unknown {
            // The template's own error says why this cannot be checked.
            complete = false;
            continue;
        }
        if check_argument(
            ctx,
            name,
            *ty,
            *param_span,
            &argument.value,
            template.ranges.get(name),
        ) {
            arguments.insert(name, &argument.value);
        } else {
            complete = false;
        }
    }
    for name in &template.order {
        // Given under a misspelled name (already reported), or not.
        if argument_spans.contains_key(name.as_str()) || misspelled.contains(name) {
            continue;
        }
        if let Some((_, param_span)) = template.params.get(name) {
            ctx.error(CampError::MissingArgument {
                span: from.template.span,
                parameter: name.clone(),
                template: template_name.clone(),
                parameter_span: *param_span,
            });
        }
        complete = false;
    }

    // Fields the template fixes cannot be set again.
    let fixed: HashMap<&str, Span> = template
        .decl
        .body
        .entries
        .iter()
        .map(|entry| (entry.key.text.as_str(), entry.key.span))
        .collect();
    let mut kept = Vec::with_capacity(own.len());
    for entry in own {
        if let Some(fixed_at) = fixed.get(entry.key.text.as_str()) {
            ctx.error(CampError::FieldFixedByTemplate {
                span: entry.key.span,
                field: entry.key.text.clone(),
                template: template_name.clone(),
                fixed_at: *fixed_at,
            });
            complete = false;
        } else {
            kept.push(entry);
        }
    }
    if !template.sound {
        return None;
    }
    let unresolved: Params = template
        .params
        .iter()
        .filter(|(name, _)| !arguments.contains_key(name.as_str()))
        .map(|(name, param)| (name.clone(), *param))
        .collect();

    let mut entries: Vec<Entry> = template
        .decl
        .body
        .entries
        .iter()
        .map(|entry| substitute(entry, &arguments))
        .collect();
    entries.extend(kept.into_iter().cloned());
    let used = TemplateUse {
        id: template_name.clone(),
        arguments: arguments
            .iter()
            .map(|(name, term)| (name.to_string(), term_text(term)))
            .collect::<BTreeMap<_, _>>(),
    };
    Some(Instance {
        entries,
        used,
        unresolved,
        complete,
    })
}

/// Checks one argument's type (E0701), value and range (E0702).
fn check_argument(
    ctx: &mut Ctx<'_>,
    name: &str,
    ty: ParamType,
    param_span: Span,
    value: &Term,
    range: Option<&RangeInfo>,
) -> bool {
    let shape_ok = match (value, ty.list) {
        (Term::List(list), true) => list.items.iter().all(|atom| atom_has_type(atom, ty.base)),
        (Term::Atom(atom), false) => atom_has_type(atom, ty.base),
        _ => false,
    };
    if !shape_ok {
        let found = match value {
            Term::Atom(atom) => describe_atom(atom),
            Term::List(_) if !ty.list => String::from("a list"),
            Term::List(list) => list
                .items
                .iter()
                .find(|atom| !atom_has_type(atom, ty.base))
                .map(describe_atom)
                .map(|found| format!("a list holding {found}"))
                .unwrap_or_else(|| String::from("a list")),
        };
        let help = match (value, ty.base) {
            (
                Term::Atom(Atom {
                    kind: AtomKind::Number { value, .. },
                    ..
                }),
                BaseType::Rate,
            ) => Some(format!("write `{value}%`")),
            (
                Term::Atom(Atom {
                    kind: AtomKind::Number { value, .. },
                    ..
                }),
                BaseType::Money,
            ) => Some(format!(
                "write the amount with its currency, e.g. `{}`",
                ctx.example_money(*value)
            )),
            (
                Term::Atom(Atom {
                    kind: AtomKind::Money { .. },
                    ..
                }),
                BaseType::Rate,
            ) => Some(String::from("a rate is written with `%`, e.g. `15%`")),
            (Term::Atom(_), _) if ty.list => {
                Some(format!("write a list: `{name}: [{}]`", term_text(value)))
            }
            _ => None,
        };
        let expected = if ty.list {
            format!("a list of {}", ty.base.describe())
        } else {
            ty.base.describe()
        };
        ctx.error(CampError::ArgumentType {
            span: value.span(),
            parameter: name.to_string(),
            expected: format!("{expected} (`{}`)", ty.display()),
            found,
            parameter_span: param_span,
            help,
        });
        return false;
    }

    // The value itself: currency, precision, names that exist, …
    let atoms: Vec<&Atom> = match value {
        Term::Atom(atom) => vec![atom],
        Term::List(List { items, .. }) => items.iter().collect(),
    };
    let mut valid = true;
    for atom in atoms {
        let bound = match ty.base {
            BaseType::Money => ctx.expect_money(atom).map(Bound::Money),
            BaseType::Rate => ctx.expect_rate(atom).map(|rate| Bound::Number(rate.0)),
            BaseType::Count => ctx
                .expect_count(atom, "argument")
                .map(|count| Bound::Number(count.into())),
            BaseType::Duration => ctx
                .expect_duration(atom, "argument")
                .map(|seconds| Bound::Number(seconds.into())),
            BaseType::Text => ctx.expect_text(atom).map(|_| Bound::Number(Decimal::ZERO)),
            BaseType::Name(kind) => ctx
                .expect_name(atom, kind)
                .map(|_| Bound::Number(Decimal::ZERO)),
            BaseType::Unknown => None,
        };
        let Some(bound) = bound else {
            valid = false;
            continue;
        };
        if let Some(range) = range {
            let same_unit = match (bound, range.low) {
                (Bound::Money(a), Bound::Money(b)) => a.currency == b.currency,
                _ => true,
            };
            if !same_unit || bound.value() < range.low.value() || bound.value() > range.high.value()
            {
                ctx.error(CampError::ArgumentOutOfRange {
                    span: atom.span,
                    parameter: name.to_string(),
                    value: atom_text(atom),
                    low: range.low_text.clone(),
                    high: range.high_text.clone(),
                    range_span: range.span,
                });
                valid = false;
            }
        }
    }
    valid
}

fn atom_has_type(atom: &Atom, base: BaseType) -> bool {
    matches!(
        (&atom.kind, base),
        (AtomKind::Money { .. }, BaseType::Money)
            | (AtomKind::Rate(_), BaseType::Rate)
            | (AtomKind::Number { integer: true, .. }, BaseType::Count)
            | (AtomKind::Duration { .. }, BaseType::Duration)
            | (AtomKind::Text(_), BaseType::Text)
            | (AtomKind::Name(_), BaseType::Name(_))
            | (AtomKind::Invalid, _)
    )
}

/// The parameter an atom names, if it is a name. Exhaustive over the
/// kinds of values, with no catch-all arm: a new kind that can stand for a
/// parameter must be handled here.
fn parameter_name(kind: &AtomKind) -> Option<&str> {
    match kind {
        AtomKind::Name(name) => Some(name),
        AtomKind::Money { .. }
        | AtomKind::Rate(_)
        | AtomKind::Duration { .. }
        | AtomKind::Number { .. }
        | AtomKind::Text(_)
        | AtomKind::Bool(_)
        | AtomKind::Any
        | AtomKind::Upper(_)
        | AtomKind::Instant(_)
        | AtomKind::Invalid => None,
    }
}

/// The entry with every parameter replaced by its argument.
///
/// Each node is destructured with all its fields (no `..`) and each enum
/// matched without a catch-all arm, so that a new field or form that can
/// hold a value fails to compile here until it is substituted.
fn substitute(entry: &Entry, arguments: &HashMap<&str, &Term>) -> Entry {
    let atom = |atom: &Atom| -> Atom {
        if let Some(name) = parameter_name(&atom.kind)
            && let Some(Term::Atom(argument)) = arguments.get(name)
        {
            return (*argument).clone();
        }
        atom.clone()
    };
    let list = |list: &List| -> List {
        let List {
            items: written,
            span,
        } = list;
        let mut items = Vec::with_capacity(written.len());
        for item in written {
            match parameter_name(&item.kind) {
                Some(name) => match arguments.get(name) {
                    Some(Term::Atom(argument)) => items.push((*argument).clone()),
                    Some(Term::List(argument)) => items.extend(argument.items.iter().cloned()),
                    None => items.push(item.clone()),
                },
                None => items.push(item.clone()),
            }
        }
        List { items, span: *span }
    };
    let Entry {
        docs,
        key,
        value,
        span,
    } = entry;
    let value = match value {
        EntryValue::Reward(reward) => {
            // A reward's one traversal (`crate::reward`) visits each of
            // its forms.
            let mut reward = reward.clone();
            reward.visit_mut(
                &mut |value| {
                    let substituted = atom(value);
                    *value = substituted;
                },
                &mut |_| {},
            );
            EntryValue::Reward(reward)
        }
        EntryValue::Limit(limit) => {
            let LimitSyntax { amount, per, total } = &**limit;
            EntryValue::Limit(Box::new(LimitSyntax {
                amount: atom(amount),
                per: per.clone(),
                total: *total,
            }))
        }
        // Times of day: no value a parameter can stand for.
        EntryValue::Hours(hours) => {
            let HoursSyntax { start, end } = &**hours;
            EntryValue::Hours(Box::new(HoursSyntax {
                start: *start,
                end: *end,
            }))
        }
        // A window holds instants and a zone: no value a parameter can
        // stand for.
        EntryValue::Window(window) => {
            let WindowSyntax { start, end, zone } = &**window;
            EntryValue::Window(Box::new(WindowSyntax {
                start: *start,
                end: *end,
                zone: zone.clone(),
            }))
        }
        EntryValue::Guard(guard) => {
            let GuardSyntax {
                metric,
                threshold,
                per,
            } = &**guard;
            EntryValue::Guard(Box::new(GuardSyntax {
                metric: metric.clone(),
                threshold: atom(threshold),
                per: atom(per),
            }))
        }
        EntryValue::Throughput(throughput) => {
            let ThroughputSyntax { count, per } = &**throughput;
            EntryValue::Throughput(Box::new(ThroughputSyntax {
                count: atom(count),
                per: atom(per),
            }))
        }
        EntryValue::Approvals(approvals) => {
            let ApprovalsSyntax { count, up_to } = &**approvals;
            EntryValue::Approvals(Box::new(ApprovalsSyntax {
                count: atom(count),
                up_to: up_to.iter().map(atom).collect(),
            }))
        }
        EntryValue::Rollout(stages) => EntryValue::Rollout(
            stages
                .iter()
                .map(
                    |StageSyntax {
                         target,
                         duration,
                         span,
                     }| {
                        let target = match target {
                            StageTarget::Share(share) => StageTarget::Share(atom(share)),
                            StageTarget::Segment(segment) => {
                                match arguments.get(segment.text.as_str()) {
                                    Some(Term::Atom(Atom {
                                        kind: AtomKind::Name(name),
                                        span,
                                    })) => StageTarget::Segment(Ident {
                                        text: name.clone(),
                                        span: *span,
                                    }),
                                    _ => StageTarget::Segment(segment.clone()),
                                }
                            }
                        };
                        StageSyntax {
                            target,
                            duration: duration.as_ref().map(atom),
                            span: *span,
                        }
                    },
                )
                .collect(),
        ),
        // (v2) A claim block's fields, each substituted as a field is.
        EntryValue::Claim(body) => {
            let crate::syntax::ast::Body { entries, span } = &**body;
            EntryValue::Claim(Box::new(crate::syntax::ast::Body {
                entries: entries
                    .iter()
                    .map(|entry| substitute(entry, arguments))
                    .collect(),
                span: *span,
            }))
        }
        EntryValue::Stacking(StackingSyntax::StacksWith(names)) => {
            EntryValue::Stacking(StackingSyntax::StacksWith(list(names)))
        }
        EntryValue::Stacking(StackingSyntax::Exclusive(keyword)) => {
            EntryValue::Stacking(StackingSyntax::Exclusive(*keyword))
        }
        EntryValue::Generic(clauses) => EntryValue::Generic(
            clauses
                .iter()
                .map(|Clause { terms, span }| Clause {
                    terms: terms
                        .iter()
                        .map(|term| match term {
                            Term::Atom(original) => match parameter_name(&original.kind) {
                                Some(name) => match arguments.get(name) {
                                    Some(argument) => (*argument).clone(),
                                    None => term.clone(),
                                },
                                None => term.clone(),
                            },
                            Term::List(items) => Term::List(list(items)),
                        })
                        .collect(),
                    span: *span,
                })
                .collect(),
        ),
    };
    Entry {
        docs: docs.clone(),
        key: key.clone(),
        value,
        span: *span,
    }
}

//! Field bookkeeping shared by every item with a body: which fields an item
//! may have (`camp_lang::fields`, the one table), duplicates, missing
//! fields, and the shape of generic values.

use camp_lang::fields::{FieldSpec, Required, fields};
use camp_lang::keyword::Item;

use super::model::group_digits;
use super::values::{Ctx, suggest};
use crate::error::CampError;
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Entry, EntryValue, Term};

/// The known fields of one body, in source order.
///
/// A body has a dozen entries and its table a few dozen fields: a list
/// searched by name costs less than a map built for every body.
#[derive(Debug, Default)]
pub struct Fields<'e> {
    /// The entries of known fields, in source order; of a field that may
    /// not be repeated, only the first.
    entries: Vec<&'e Entry>,
    /// Known fields that an unknown field was suggested as (`budgte` →
    /// `budget`): the author wrote them, so they are not "missing".
    misspelled: Vec<&'static str>,
    /// The body's fields, from the field table.
    specs: &'static [FieldSpec],
}

/// Whether two field names are the same, looking at the first byte before
/// the rest (most names differ there).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl<'e> Fields<'e> {
    /// Sorts the entries of an item's body by field (the item's fields in
    /// the field table), reporting unknown fields (with a suggestion) and
    /// repeats of fields that are not repeatable.
    pub fn of(
        ctx: &mut Ctx<'_>,
        entries: impl IntoIterator<Item = &'e Entry>,
        item: Item,
    ) -> Fields<'e> {
        Fields::of_table(ctx, entries, fields(item), item.as_str())
    }

    /// As [`Fields::of`], for a block with a field table of its own (a
    /// campaign's `claim { … }`), named `owner` in messages.
    pub fn of_table(
        ctx: &mut Ctx<'_>,
        entries: impl IntoIterator<Item = &'e Entry>,
        specs: &'static [FieldSpec],
        owner: &'static str,
    ) -> Fields<'e> {
        let entries = entries.into_iter();
        let mut fields = Fields {
            entries: Vec::with_capacity(entries.size_hint().0),
            specs,
            ..Fields::default()
        };
        for entry in entries {
            let name = entry.key.text.as_str();
            let Some(spec) = specs.iter().find(|spec| same(spec.name, name)) else {
                let suggestion = suggest(name, specs.iter().map(|spec| spec.name));
                if let Some(spec) = suggestion
                    .as_deref()
                    .and_then(|suggestion| specs.iter().find(|spec| spec.name == suggestion))
                {
                    fields.misspelled.push(spec.name);
                }
                ctx.error(CampError::UnknownField {
                    field: name.to_string(),
                    span: entry.key.span,
                    owner,
                    suggestion,
                });
                continue;
            };
            if !spec.repeatable
                && let Some(first) = fields.find(name)
            {
                ctx.error(CampError::DuplicateField {
                    field: name.to_string(),
                    span: entry.key.span,
                    first: first.key.span,
                });
                continue;
            }
            fields.entries.push(entry);
        }
        fields
    }

    fn find(&self, name: &str) -> Option<&'e Entry> {
        self.entries
            .iter()
            .find(|entry| same(&entry.key.text, name))
            .copied()
    }

    /// The checker reads fields by name: each must be in the body's table,
    /// so a field removed from the table points at every place that reads
    /// it (in debug builds, where the tests run).
    fn known(&self, name: &str) {
        debug_assert!(
            self.specs.iter().any(|spec| spec.name == name),
            "`{name}` is not a field of this body in camp_lang::fields"
        );
    }

    pub fn one(&self, name: &str) -> Option<&'e Entry> {
        self.known(name);
        self.find(name)
    }

    /// Every entry of a field, in source order.
    pub fn all<'n>(&self, name: &'n str) -> impl Iterator<Item = &'e Entry> + use<'e, 'n, '_> {
        self.known(name);
        self.entries
            .iter()
            .filter(move |entry| same(&entry.key.text, name))
            .copied()
    }

    pub fn has(&self, name: &str) -> bool {
        self.known(name);
        self.find(name).is_some()
    }

    /// Whether an unknown field was reported as a misspelling of `name`;
    /// checks that `name` is missing stay silent then.
    pub fn misspelled(&self, name: &str) -> bool {
        self.known(name);
        self.misspelled.contains(&name)
    }

    /// Whether `name` is written, correctly or as a reported misspelling.
    pub fn written(&self, name: &str) -> bool {
        self.has(name) || self.misspelled(name)
    }

    /// Reports each field `item` requires that is not written, with the
    /// table's help; `name` is the item's name, `body` its `{ … }`.
    pub fn report_missing(&self, ctx: &mut Ctx<'_>, item: Item, name: Span, body: Span) {
        self.report_missing_of(ctx, item.as_str(), name, body);
    }

    /// As [`Fields::report_missing`], for the body's own table, named
    /// `owner` in messages.
    pub fn report_missing_of(
        &self,
        ctx: &mut Ctx<'_>,
        owner: &'static str,
        name: Span,
        body: Span,
    ) {
        for spec in self.specs {
            match spec.required {
                Required::Yes(help) if !self.written(spec.name) => {
                    ctx.error(CampError::MissingField {
                        field: spec.name,
                        span: name,
                        body,
                        owner,
                        help,
                    });
                }
                Required::Yes(_) | Required::No => {}
            }
        }
    }
}

/// `cny 5.00` (a name and a number) where an amount is written: reports
/// the code not in capitals, and says whether it did.
fn miscased_money(ctx: &mut Ctx<'_>, terms: &[Term]) -> bool {
    let [Term::Atom(code), Term::Atom(number)] = terms else {
        return false;
    };
    let (AtomKind::Name(word) | AtomKind::Upper(word)) = &code.kind else {
        return false;
    };
    let AtomKind::Number { value, .. } = &number.kind else {
        return false;
    };
    if crate::syntax::parser::miscased_currency(word).is_none() {
        return false;
    }
    ctx.error(CampError::LowercaseCurrency {
        written: word.clone(),
        span: code.span,
        amount: group_digits(&value.to_string()),
    });
    true
}

/// The single term of a generic field (`title: "…"`, `scenes: [a, b]`).
pub fn single_term<'e>(ctx: &mut Ctx<'_>, entry: &'e Entry) -> Option<&'e Term> {
    match &entry.value {
        EntryValue::Generic(clauses) => match clauses.as_slice() {
            [clause] => match clause.terms.as_slice() {
                [term] => Some(term),
                terms if miscased_money(ctx, terms) => None,
                _ => {
                    ctx.error(CampError::TypeMismatch {
                        span: clause.span,
                        expected: String::from("a single value"),
                        found: format!("{} values", clause.terms.len()),
                        help: Some(format!("write one value after `{}:`", entry.key.text)),
                    });
                    None
                }
            },
            _ => {
                let span = clauses
                    .first()
                    .map(|first| first.span)
                    .unwrap_or(entry.span);
                let span = clauses
                    .last()
                    .map(|last| span.to(last.span))
                    .unwrap_or(span);
                ctx.error(CampError::TypeMismatch {
                    span,
                    expected: String::from("a single value"),
                    found: format!("{} comma-separated values", clauses.len()),
                    help: Some(String::from("lists are written in brackets, e.g. `[a, b]`")),
                });
                None
            }
        },
        _ => {
            ctx.error(CampError::TypeMismatch {
                span: entry.span,
                expected: format!("a value for `{}`", entry.key.text),
                found: String::from("a different form"),
                help: None,
            });
            None
        }
    }
}

/// The single atom of a generic field (`budget: CNY 1.00`).
pub fn single_atom<'e>(ctx: &mut Ctx<'_>, entry: &'e Entry) -> Option<&'e Atom> {
    match single_term(ctx, entry)? {
        Term::Atom(atom) => Some(atom),
        Term::List(list) => {
            ctx.error(CampError::TypeMismatch {
                span: list.span,
                expected: format!("a single value for `{}`", entry.key.text),
                found: String::from("a list"),
                help: Some(String::from("remove the brackets")),
            });
            None
        }
    }
}

/// Each comma-separated value of a generic field, each a single atom
/// (`max_per_use: CNY 2_000.00, HKD 2_200.00`).
pub fn atoms_of<'e>(ctx: &mut Ctx<'_>, entry: &'e Entry) -> Vec<&'e Atom> {
    let EntryValue::Generic(clauses) = &entry.value else {
        return Vec::new();
    };
    let mut atoms = Vec::new();
    for clause in clauses {
        match clause.terms.as_slice() {
            [Term::Atom(atom)] => atoms.push(atom),
            terms if miscased_money(ctx, terms) => {}
            _ => ctx.error(CampError::TypeMismatch {
                span: clause.span,
                expected: String::from("a single value"),
                found: String::from("several values or a list"),
                help: Some(String::from(
                    "write one amount per currency, separated by commas",
                )),
            }),
        }
    }
    atoms
}

//! Where every declared name is declared and used, from the syntax trees:
//! for references, rename and definition.

use std::collections::BTreeSet;

use camp_core::lang::fields::field;
use camp_core::lang::keyword::Item;
use camp_core::source::Span;
use camp_core::syntax::ast::{
    Atom, AtomKind, Entry, EntryValue, ExpectedSyntax, Ident, ItemKind, ParsedFile,
    PayAttributeValue, StackingSyntax, StageTarget, Term, TestDecl, TestLine, TestName,
};

/// One place a name appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence<'a> {
    pub name: &'a str,
    pub span: Span,
    pub declaration: bool,
}

/// Every occurrence of a declared name in the package, declarations
/// included. Names that a template's parameters shadow are left out.
pub fn occurrences(files: &[ParsedFile]) -> Vec<Occurrence<'_>> {
    let mut found = Vec::new();
    for file in files {
        for item in &file.items {
            match &item.kind {
                ItemKind::Schema(decl) => declared(&mut found, &decl.name),
                ItemKind::Fund(decl) => declared(&mut found, &decl.name),
                ItemKind::Policy(_) => {}
                ItemKind::Template(decl) => {
                    declared(&mut found, &decl.name);
                    let params: BTreeSet<&str> = decl
                        .parameters
                        .iter()
                        .map(|parameter| parameter.name.text.as_str())
                        .collect();
                    for entry in &decl.body.entries {
                        entry_names(&mut found, entry, &params);
                    }
                }
                ItemKind::Campaign(decl) => {
                    declared(&mut found, &decl.name);
                    if let Some(from) = &decl.from {
                        used(&mut found, &from.template);
                        for argument in &from.arguments {
                            term_names(&mut found, &argument.value, &BTreeSet::new());
                        }
                    }
                    for entry in &decl.body.entries {
                        entry_names(&mut found, entry, &BTreeSet::new());
                    }
                }
                ItemKind::Test(test) => test_names(&mut found, test),
                ItemKind::Pool(decl) => {
                    declared(&mut found, &decl.name);
                    for entry in &decl.body.entries {
                        entry_names(&mut found, entry, &BTreeSet::new());
                    }
                }
            }
        }
    }
    found
}

/// The names a test uses: its campaign, scenes, categories, regions,
/// segments, and the campaigns of `from` and `claim`.
fn test_names<'a>(found: &mut Vec<Occurrence<'a>>, test: &'a TestDecl) {
    match &test.name {
        TestName::Campaign(ident) => used(found, ident),
        TestName::Package { .. } => {}
    }
    let no_params = BTreeSet::new();
    for line in &test.lines {
        let attributes = match line {
            TestLine::Pay(pay) => {
                used(found, &pay.scene);
                match &pay.expected {
                    ExpectedSyntax::Discount { from, .. }
                    | ExpectedSyntax::NoDiscount { from, .. } => {
                        for atom in from.iter().flat_map(|list| &list.items) {
                            atom_name(found, atom, &no_params);
                        }
                    }
                    ExpectedSyntax::ConflictingReplay { .. } => {}
                }
                &pay.attributes
            }
            TestLine::Claim(claim) => {
                used(found, &claim.campaign);
                &claim.attributes
            }
        };
        for attribute in attributes {
            if let PayAttributeValue::Schema(_, name) = &attribute.value {
                used(found, name);
            }
        }
    }
}

fn declared<'a>(found: &mut Vec<Occurrence<'a>>, ident: &'a Ident) {
    found.push(Occurrence {
        name: &ident.text,
        span: ident.span,
        declaration: true,
    });
}

fn used<'a>(found: &mut Vec<Occurrence<'a>>, ident: &'a Ident) {
    found.push(Occurrence {
        name: &ident.text,
        span: ident.span,
        declaration: false,
    });
}

fn atom_name<'a>(found: &mut Vec<Occurrence<'a>>, atom: &'a Atom, params: &BTreeSet<&str>) {
    if let AtomKind::Name(name) = &atom.kind
        && !params.contains(name.as_str())
    {
        found.push(Occurrence {
            name,
            span: atom.span,
            declaration: false,
        });
    }
}

fn term_names<'a>(found: &mut Vec<Occurrence<'a>>, term: &'a Term, params: &BTreeSet<&str>) {
    match term {
        Term::Atom(atom) => atom_name(found, atom, params),
        Term::List(list) => {
            for atom in &list.items {
                atom_name(found, atom, params);
            }
        }
    }
}

fn entry_names<'a>(found: &mut Vec<Occurrence<'a>>, entry: &'a Entry, params: &BTreeSet<&str>) {
    match &entry.value {
        // Only the fields that hold declared names (the field table says
        // which): a payer or a requirement that happens to spell a name is
        // not a use of it.
        EntryValue::Generic(clauses)
            if field(Item::Campaign, &entry.key.text)
                .and_then(|spec| spec.kind.names())
                .is_some() =>
        {
            for clause in clauses {
                for term in &clause.terms {
                    term_names(found, term, params);
                }
            }
        }
        EntryValue::Stacking(StackingSyntax::StacksWith(list)) => {
            for atom in &list.items {
                atom_name(found, atom, params);
            }
        }
        EntryValue::Rollout(stages) => {
            for stage in stages {
                if let StageTarget::Segment(segment) = &stage.target
                    && !params.contains(segment.text.as_str())
                {
                    used(found, segment);
                }
            }
        }
        _ => {}
    }
}

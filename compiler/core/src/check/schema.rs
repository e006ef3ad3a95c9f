//! Checking the schema: scenes, categories, regions, segments, funds and
//! the policy.

use camp_lang::keyword::Item;

use super::fields::{Fields, atoms_of, single_atom, single_term};
use super::model::{
    ApprovalTier, FundDef, InstrumentDef, InstrumentKind, MerchantGroupDef, Money, Payer,
    PolicyDef, PoolDef, Requirement, SceneDef, Schema, SimpleDef, Throughput,
};
use super::values::{Ctx, suggest};
use crate::error::{CampError, NameKind};
use crate::source::Span;
use crate::syntax::ast::{
    AtomKind, Docs, Entry, EntryValue, FundDecl, PolicyDecl, PoolDecl, SchemaDecl, SchemaKind, Term,
};
use camp_lang::vocab::BIN_DIGITS;

pub fn scene(ctx: &mut Ctx<'_>, decl: &SchemaDecl, docs: &Docs) -> SceneDef {
    let entries = decl.body.iter().flat_map(|body| body.entries.iter());
    let fields = Fields::of(ctx, entries, Item::Scene);
    let money_movement = fields
        .one("money_movement")
        .and_then(|entry| single_atom(ctx, entry))
        .and_then(|atom| match atom.kind {
            AtomKind::Bool(value) => Some(value),
            _ => {
                ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("`true` or `false`"),
                    found: super::values::describe_atom(atom),
                    help: None,
                });
                None
            }
        })
        .unwrap_or(false);
    SceneDef {
        id: decl.name.text.clone(),
        money_movement,
        doc: docs.text(),
        span: decl.name.span,
    }
}

pub fn simple(ctx: &mut Ctx<'_>, decl: &SchemaDecl, docs: &Docs) -> SimpleDef {
    let entries = decl.body.iter().flat_map(|body| body.entries.iter());
    let item = match decl.kind {
        SchemaKind::Region => Item::Region,
        SchemaKind::Category => Item::Category,
        SchemaKind::Segment => Item::Segment,
        SchemaKind::Scene => Item::Scene,
        SchemaKind::MerchantGroup => Item::MerchantGroup,
        SchemaKind::Instrument => Item::Instrument,
    };
    let fields = Fields::of(ctx, entries, item);
    // Only a region has a `code`.
    let code = match decl.kind {
        SchemaKind::Region => fields
            .one("code")
            .and_then(|entry| single_atom(ctx, entry))
            .and_then(|atom| ctx.expect_text(atom)),
        SchemaKind::Category
        | SchemaKind::Segment
        | SchemaKind::Scene
        | SchemaKind::MerchantGroup
        | SchemaKind::Instrument => None,
    };
    SimpleDef {
        id: decl.name.text.clone(),
        code,
        doc: docs.text(),
        span: decl.name.span,
    }
}

/// (v2) `merchant_group NAME { list: "…" }`: `list` is required and not
/// empty.
pub fn merchant_group(
    ctx: &mut Ctx<'_>,
    decl: &SchemaDecl,
    docs: &Docs,
) -> Option<MerchantGroupDef> {
    let entries = decl.body.iter().flat_map(|body| body.entries.iter());
    let fields = Fields::of(ctx, entries, Item::MerchantGroup);
    let body_span = decl.body.as_ref().map_or(decl.name.span, |body| body.span);
    fields.report_missing(ctx, Item::MerchantGroup, decl.name.span, body_span);
    let list = fields
        .one("list")
        .and_then(|entry| single_atom(ctx, entry))
        .and_then(|atom| {
            let text = ctx.expect_text(atom)?;
            if text.trim().is_empty() {
                ctx.error(CampError::EmptyMerchantList {
                    span: atom.span,
                    group: decl.name.text.clone(),
                });
                return None;
            }
            Some(text)
        })?;
    Some(MerchantGroupDef {
        id: decl.name.text.clone(),
        list,
        doc: docs.text(),
        span: decl.name.span,
    })
}

/// (v2) `instrument NAME { kind: …, bins: ["…"] }`: a kind of the closed
/// list; BIN prefixes only for a card, each of 6 to 8 ASCII digits, each
/// once.
pub fn instrument(ctx: &mut Ctx<'_>, decl: &SchemaDecl, docs: &Docs) -> Option<InstrumentDef> {
    let entries = decl.body.iter().flat_map(|body| body.entries.iter());
    let fields = Fields::of(ctx, entries, Item::Instrument);
    let body_span = decl.body.as_ref().map_or(decl.name.span, |body| body.span);
    fields.report_missing(ctx, Item::Instrument, decl.name.span, body_span);
    let kind = fields.one("kind").and_then(|entry| {
        let atom = single_atom(ctx, entry)?;
        match &atom.kind {
            AtomKind::Name(word) => match InstrumentKind::parse(word) {
                Some(kind) => Some((kind, atom.span)),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: word.clone(),
                        span: atom.span,
                        what: "instrument kind",
                        allowed: &InstrumentKind::ALL,
                        suggestion: suggest(word, InstrumentKind::ALL),
                    });
                    None
                }
            },
            _ => {
                ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("an instrument kind"),
                    found: super::values::describe_atom(atom),
                    help: Some(format!(
                        "the kinds are {}",
                        InstrumentKind::ALL
                            .map(|kind| format!("`{kind}`"))
                            .join(", ")
                    )),
                });
                None
            }
        }
    });
    let mut bins: Vec<(String, Span)> = Vec::new();
    let mut bins_ok = true;
    if let Some(entry) = fields.one("bins") {
        if let Some((kind, kind_span)) = kind
            && !kind.is_card()
        {
            ctx.error(CampError::BinsNotCard {
                span: entry.span,
                instrument: decl.name.text.clone(),
                kind: kind.as_str(),
                kind_span,
            });
            bins_ok = false;
        }
        let atoms = match single_term(ctx, entry) {
            Some(Term::List(list)) => {
                if list.items.is_empty() {
                    ctx.error(CampError::EmptyList {
                        span: list.span,
                        field: String::from("bins"),
                    });
                    bins_ok = false;
                }
                list.items.iter().collect()
            }
            Some(Term::Atom(atom)) => vec![atom],
            None => {
                bins_ok = false;
                Vec::new()
            }
        };
        for atom in atoms {
            let AtomKind::Text(bin) = &atom.kind else {
                ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("a BIN prefix in quotes, like `\"625965\"`"),
                    found: super::values::describe_atom(atom),
                    help: Some(String::from(
                        "write each BIN as a string of digits, so that leading zeros are kept",
                    )),
                });
                bins_ok = false;
                continue;
            };
            if let Some(problem) = bin_problem(bin) {
                ctx.error(CampError::InvalidBin {
                    span: atom.span,
                    bin: bin.clone(),
                    problem,
                });
                bins_ok = false;
                continue;
            }
            if let Some((_, first)) = bins.iter().find(|(existing, _)| existing == bin) {
                ctx.error(CampError::DuplicateListItem {
                    name: bin.clone(),
                    span: atom.span,
                    first: *first,
                });
                bins_ok = false;
                continue;
            }
            bins.push((bin.clone(), atom.span));
        }
    }
    let (kind, _) = kind?;
    bins_ok.then(|| InstrumentDef {
        id: decl.name.text.clone(),
        kind,
        bins,
        doc: docs.text(),
        span: decl.name.span,
    })
}

/// Why a BIN prefix is not one: not only ASCII digits, or not 6 to 8 of
/// them.
fn bin_problem(bin: &str) -> Option<&'static str> {
    if bin.is_empty() {
        Some("is empty")
    } else if !bin.bytes().all(|byte| byte.is_ascii_digit()) {
        Some("has a character that is not a digit `0`–`9`")
    } else if !BIN_DIGITS.contains(&bin.len()) {
        Some("does not have 6 to 8 digits")
    } else {
        None
    }
}

/// (v2) No BIN prefix of one instrument is a prefix of another
/// instrument's (or the same): a card would match both, and which
/// instrument it is would depend on the runtime.
pub fn check_bins_overlap(ctx: &mut Ctx<'_>, schema: &Schema) {
    let mut all: Vec<(&str, Span, &str)> = schema
        .instruments
        .values()
        .flat_map(|instrument| {
            instrument
                .bins
                .iter()
                .map(|(bin, span)| (bin.as_str(), *span, instrument.id.as_str()))
        })
        .collect();
    // Sorted, a prefix comes right before the BINs it starts (a run).
    all.sort_by(|a, b| {
        a.0.cmp(b.0)
            .then(a.1.file.cmp(&b.1.file))
            .then(a.1.start.cmp(&b.1.start))
    });
    for (index, (bin, span, instrument)) in all.iter().enumerate() {
        let earlier = all
            .iter()
            .take(index)
            .rev()
            .find(|(other, _, owner)| owner != instrument && bin.starts_with(other));
        if let Some((other_bin, other_span, other)) = earlier {
            ctx.error(CampError::BinOverlap {
                span: *span,
                bin: (*bin).to_string(),
                instrument: (*instrument).to_string(),
                other_bin: (*other_bin).to_string(),
                other: (*other).to_string(),
                other_span: *other_span,
            });
        }
    }
}

pub fn fund(ctx: &mut Ctx<'_>, decl: &FundDecl, docs: &Docs) -> Option<FundDef> {
    let fields = Fields::of(ctx, &decl.body.entries, Item::Fund);
    fields.report_missing(ctx, Item::Fund, decl.name.span, decl.body.span);

    let payer = match fields.one("payer") {
        Some(entry) => single_atom(ctx, entry).and_then(|atom| match &atom.kind {
            AtomKind::Name(word) => match Payer::parse(word) {
                Some(payer) => Some(payer),
                None => {
                    ctx.error(CampError::UnknownWord {
                        word: word.clone(),
                        span: atom.span,
                        what: "payer",
                        allowed: &Payer::ALL,
                        suggestion: suggest(word, Payer::ALL),
                    });
                    None
                }
            },
            _ => {
                ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("a payer"),
                    found: super::values::describe_atom(atom),
                    help: Some(format!(
                        "the payers are {}",
                        Payer::ALL.map(|payer| format!("`{payer}`")).join(", ")
                    )),
                });
                None
            }
        }),
        None => None,
    };

    let (scenes, scenes_span) = match fields.one("scenes") {
        Some(entry) => {
            let scenes = single_term(ctx, entry).and_then(|term| match term {
                Term::Atom(atom) if matches!(atom.kind, AtomKind::Any) => {
                    ctx.error(CampError::TypeMismatch {
                        span: atom.span,
                        expected: String::from("a list of scene names"),
                        found: String::from("`any`"),
                        help: Some(String::from(
                            "a fund lists the scenes it pays for explicitly, e.g. `scenes: [merchant_purchase]`",
                        )),
                    });
                    None
                }
                _ => ctx.expect_names(term, NameKind::Scene, "scenes").flatten(),
            });
            if let Some(list) = &scenes
                && list.is_empty()
            {
                ctx.error(CampError::EmptyList {
                    span: entry.span,
                    field: String::from("scenes"),
                });
            }
            (scenes, entry.span)
        }
        None => (None, decl.name.span),
    };

    let (categories, categories_span) = match fields.one("categories") {
        Some(entry) => {
            let categories = single_term(ctx, entry).and_then(|term| {
                let names = ctx.expect_names(term, NameKind::Category, "categories")?;
                // As in a campaign: leave the field out to allow any.
                if names.as_ref().is_some_and(Vec::is_empty) {
                    ctx.error(CampError::EmptyList {
                        span: term.span(),
                        field: String::from("categories"),
                    });
                    return None;
                }
                Some(names.map(|names| names.into_iter().map(|(name, _)| name).collect::<Vec<_>>()))
            });
            (categories, entry.span)
        }
        None => (Some(None), decl.name.span),
    };

    let mut requires = Vec::new();
    if let Some(entry) = fields.one("requires")
        && let Some(term) = single_term(ctx, entry)
    {
        let items: Vec<_> = match term {
            Term::List(list) => list.items.iter().collect(),
            Term::Atom(atom) => vec![atom],
        };
        for atom in items {
            let AtomKind::Name(word) = &atom.kind else {
                ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("a requirement"),
                    found: super::values::describe_atom(atom),
                    help: None,
                });
                continue;
            };
            match Requirement::parse(word) {
                Some(requirement) => requires.push((requirement, atom.span)),
                None => ctx.error(CampError::UnknownWord {
                    word: word.clone(),
                    span: atom.span,
                    what: "requirement",
                    allowed: &Requirement::ALL,
                    suggestion: suggest(word, Requirement::ALL),
                }),
            }
        }
    }

    let max_rate = fields.one("max_rate").and_then(|entry| {
        let atom = single_atom(ctx, entry)?;
        ctx.expect_rate(atom).map(|rate| (rate, atom.span))
    });

    let (max_per_use, max_per_use_span) = match fields.one("max_per_use") {
        Some(entry) => (money_per_currency(ctx, entry, "max per use"), entry.span),
        None => (Vec::new(), decl.name.span),
    };

    let (merchants, merchants_span) = match fields.one("merchants") {
        Some(entry) => {
            let merchants = single_term(ctx, entry).and_then(|term| {
                let names = ctx.expect_names(term, NameKind::MerchantGroup, "merchants")?;
                // As for categories: leave the field out to allow any.
                if names.as_ref().is_some_and(Vec::is_empty) {
                    ctx.error(CampError::EmptyList {
                        span: term.span(),
                        field: String::from("merchants"),
                    });
                    return None;
                }
                Some(names.map(|names| names.into_iter().map(|(name, _)| name).collect::<Vec<_>>()))
            });
            (merchants, entry.span)
        }
        None => (Some(None), decl.name.span),
    };

    Some(FundDef {
        id: decl.name.text.clone(),
        doc: docs.text(),
        span: decl.name.span,
        payer: payer?,
        scenes: scenes?.into_iter().map(|(name, _)| name).collect(),
        scenes_span,
        categories: categories?,
        categories_span,
        requires,
        max_rate,
        max_per_use,
        max_per_use_span,
        merchants: merchants?,
        merchants_span,
    })
}

/// (v2) `pool NAME { fund: FUND, budget: MONEY, … }`: its fund, and a
/// positive budget per currency (one amount per currency, as
/// `max_per_use`).
pub fn pool(ctx: &mut Ctx<'_>, decl: &PoolDecl, docs: &Docs) -> Option<PoolDef> {
    let fields = Fields::of(ctx, &decl.body.entries, Item::Pool);
    fields.report_missing(ctx, Item::Pool, decl.name.span, decl.body.span);
    let fund_entry = fields.one("fund");
    let fund = fund_entry
        .and_then(|entry| single_atom(ctx, entry))
        .and_then(|atom| ctx.expect_name(atom, NameKind::Fund));
    let budget_entry = fields.one("budget");
    let budget = budget_entry.map(|entry| money_per_currency(ctx, entry, "pool budget"));
    Some(PoolDef {
        id: decl.name.text.clone(),
        doc: docs.text(),
        span: decl.name.span,
        fund: fund?,
        fund_span: fund_entry?.span,
        budget: budget.filter(|budget| !budget.is_empty())?,
        budget_span: budget_entry?.span,
    })
}

/// `CNY 2_000.00, HKD 2_200.00`: positive amounts, one per currency.
fn money_per_currency(ctx: &mut Ctx<'_>, entry: &Entry, what: &'static str) -> Vec<Money> {
    let mut amounts: Vec<(Money, crate::source::Span)> = Vec::new();
    for atom in atoms_of(ctx, entry) {
        let Some(money) = ctx.expect_positive_money(atom, what) else {
            continue;
        };
        if let Some((_, first)) = amounts
            .iter()
            .find(|(existing, _)| existing.currency == money.currency)
        {
            let first = *first;
            ctx.error(CampError::DuplicateListItem {
                name: money.code().to_string(),
                span: atom.span,
                first,
            });
            continue;
        }
        amounts.push((money, atom.span));
    }
    amounts.into_iter().map(|(money, _)| money).collect()
}

pub fn policy(ctx: &mut Ctx<'_>, decl: &PolicyDecl) -> PolicyDef {
    let fields = Fields::of(ctx, &decl.body.entries, Item::Policy);
    let mut policy = PolicyDef {
        span: decl.keyword,
        approvals_span: decl.keyword,
        ..PolicyDef::default()
    };

    if let Some(entry) = fields.one("currencies")
        && let Some(term) = single_term(ctx, entry)
    {
        let items: Vec<_> = match term {
            Term::List(list) => list.items.iter().collect(),
            Term::Atom(atom) => vec![atom],
        };
        let mut currencies = Vec::new();
        for atom in items {
            match &atom.kind {
                AtomKind::Upper(code) => {
                    if let Some(currency) = ctx.currency(code, atom.span) {
                        if currencies.contains(&currency) {
                            ctx.error(CampError::DuplicateListItem {
                                name: code.clone(),
                                span: atom.span,
                                first: atom.span,
                            });
                        } else {
                            currencies.push(currency);
                        }
                    }
                }
                _ => ctx.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: String::from("a currency code"),
                    found: super::values::describe_atom(atom),
                    help: Some(String::from(
                        "list ISO 4217 codes, e.g. `currencies: [CNY, HKD]`",
                    )),
                }),
            }
        }
        if currencies.is_empty() {
            ctx.error(CampError::EmptyList {
                span: entry.span,
                field: String::from("currencies"),
            });
        } else {
            policy.currencies = Some((currencies, entry.span));
        }
    }

    policy.max_rate = fields.one("max_rate").and_then(|entry| {
        let atom = single_atom(ctx, entry)?;
        ctx.expect_rate(atom).map(|rate| (rate, atom.span))
    });

    // The policy's own currencies apply to its approval tiers too.
    let tiers_currency_policy = PolicyDef {
        currencies: policy.currencies.clone(),
        ..PolicyDef::default()
    };
    let mut tier_ctx = Ctx::new(ctx.symbols, Some(&tiers_currency_policy));
    let approvals: Vec<&Entry> = fields.all("approvals").collect();
    if let (Some(first), Some(last)) = (approvals.first(), approvals.last()) {
        policy.approvals_span = first.span.to(last.span);
    }
    for entry in approvals {
        let EntryValue::Approvals(approvals) = &entry.value else {
            continue;
        };
        let (count, up_to) = (&approvals.count, &approvals.up_to);
        let Some(approvals) = tier_ctx.expect_count(count, "number of approvals") else {
            continue;
        };
        let mut amounts: Vec<Money> = Vec::new();
        for atom in up_to {
            if let Some(money) = tier_ctx.expect_positive_money(atom, "approval tier amount") {
                if amounts
                    .iter()
                    .any(|existing| existing.currency == money.currency)
                {
                    tier_ctx.error(CampError::DuplicateListItem {
                        name: money.code().to_string(),
                        span: atom.span,
                        first: atom.span,
                    });
                } else {
                    amounts.push(money);
                }
            }
        }
        policy.approvals.push(ApprovalTier {
            approvals: u32::try_from(approvals).unwrap_or(u32::MAX),
            up_to: amounts,
            span: entry.span,
        });
    }
    ctx.errors.append(&mut tier_ctx.errors);
    check_approval_tiers(ctx, &policy.approvals);
    if let Some((currencies, _)) = &policy.currencies {
        check_tier_currencies(ctx, &policy.approvals, currencies);
    }

    policy.capacity = fields
        .one("capacity")
        .and_then(|entry| throughput(ctx, entry, "capacity"));
    policy.span = decl.keyword;
    policy
}

/// Tiers: `up_to` strictly increasing in every currency, approvals
/// increasing, and only the last tier may be open.
fn check_approval_tiers(ctx: &mut Ctx<'_>, tiers: &[ApprovalTier]) {
    let mut previous: Option<&ApprovalTier> = None;
    for (index, tier) in tiers.iter().enumerate() {
        if tier.up_to.is_empty() && index + 1 != tiers.len() {
            ctx.error(CampError::InvalidApprovalTiers {
                span: tier.span,
                problem: String::from("only the last tier may leave out `up_to`"),
                help: None,
            });
        }
        if let Some(previous) = previous {
            if tier.approvals <= previous.approvals {
                ctx.error(CampError::InvalidApprovalTiers {
                    span: tier.span,
                    problem: format!(
                        "{} approvals is not more than the previous tier's {}",
                        tier.approvals, previous.approvals
                    ),
                    help: None,
                });
            }
            for amount in &tier.up_to {
                if let Some(before) = previous
                    .up_to
                    .iter()
                    .find(|before| before.currency == amount.currency)
                    && amount.amount <= before.amount
                {
                    ctx.error(CampError::InvalidApprovalTiers {
                        span: tier.span,
                        problem: format!(
                            "`up_to {amount}` is not above the previous tier's `{before}`"
                        ),
                        help: None,
                    });
                }
            }
        }
        previous = Some(tier);
    }
}

/// Every tier with `up_to` lists every currency the policy allows: a
/// campaign in a currency a tier leaves out could not be approved once its
/// exposure reached that tier (Camp never converts).
fn check_tier_currencies(
    ctx: &mut Ctx<'_>,
    tiers: &[ApprovalTier],
    currencies: &[iso_currency::Currency],
) {
    for tier in tiers.iter().filter(|tier| !tier.up_to.is_empty()) {
        let missing: Vec<&str> = currencies
            .iter()
            .filter(|currency| {
                !tier
                    .up_to
                    .iter()
                    .any(|amount| amount.currency == **currency)
            })
            .map(|currency| currency.code())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let listed = missing
            .iter()
            .map(|code| format!("`{code}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let noun = if missing.len() == 1 {
            "a currency"
        } else {
            "currencies"
        };
        ctx.error(CampError::InvalidApprovalTiers {
            span: tier.span,
            problem: format!("this tier has no `up_to` amount in {listed}, {noun} the policy allows"),
            help: Some(format!(
                "add an `up_to` amount in {listed} to this tier; otherwise a campaign in {listed} could be approved while small and fail once its exposure reaches this tier (Camp never converts)"
            )),
        });
    }
}

/// `N per DURATION`
pub fn throughput(ctx: &mut Ctx<'_>, entry: &Entry, what: &'static str) -> Option<Throughput> {
    let EntryValue::Throughput(throughput) = &entry.value else {
        return None;
    };
    let (count, per) = (&throughput.count, &throughput.per);
    let count = ctx.expect_count(count, what);
    let per_seconds = ctx.expect_duration(per, "period");
    Some(Throughput {
        count: count?,
        per_seconds: per_seconds?,
    })
}

//! The campaigns' scopes as numbers: names numbered at load, a payment's
//! looked up once, and the match of one against the other.

use super::*;

impl Symbols {
    pub(super) fn number(&mut self, id: &Id) -> u32 {
        let next = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
        *self.numbers.entry(id.clone()).or_insert(next)
    }

    pub(super) fn numbers<'a>(&mut self, ids: impl IntoIterator<Item = &'a Id>) -> Vec<u32> {
        let mut numbers: Vec<u32> = ids.into_iter().map(|id| self.number(id)).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    pub(super) fn scope(&mut self, scope: &Scope) -> Option<Vec<u32>> {
        match scope {
            Scope::Any => None,
            Scope::Only { ids } => Some(self.numbers(ids.as_slice())),
        }
    }

    pub(super) fn find(&self, id: &Id) -> Option<u32> {
        self.numbers.get(id).copied()
    }
}

impl CompiledScope {
    pub(super) fn new(campaign: &Campaign, symbols: &mut Symbols) -> CompiledScope {
        let mut scope = CompiledScope {
            scenes: symbols.numbers(campaign.scenes.as_slice().iter().map(|scene| &scene.id)),
            fund_scenes: symbols.numbers(campaign.fund.scenes.as_slice()),
            categories: symbols.scope(&campaign.categories),
            fund_categories: symbols.scope(&campaign.fund.categories),
            regions: symbols.scope(&campaign.regions),
            segments: symbols.scope(&campaign.segments),
            merchants: symbols.scope(&campaign.merchants),
            fund_merchants: symbols.scope(&campaign.fund.merchants),
            instruments: symbols.scope(&campaign.instruments),
            unindexed: false,
        };
        scope.unindexed = walk::ORDER
            .iter()
            .any(|(field, indexed)| !indexed && walk::ScopeLists::list(&scope, *field).is_some());
        scope
    }
}

impl PaymentScope {
    pub(super) fn fill(&mut self, symbols: &Symbols, zones: usize, payment: &Payment) {
        self.scene = symbols.find(&payment.scene);
        self.category = payment.category.as_ref().and_then(|id| symbols.find(id));
        self.region = payment.region.as_ref().and_then(|id| symbols.find(id));
        self.segments.clear();
        self.segments
            .extend(payment.segments.iter().filter_map(|id| symbols.find(id)));
        self.segments.sort_unstable();
        self.merchant_groups.clear();
        self.merchant_groups.extend(
            payment
                .merchant_groups
                .iter()
                .filter_map(|id| symbols.find(id)),
        );
        self.merchant_groups.sort_unstable();
        self.instrument = payment
            .card
            .as_ref()
            .and_then(|card| symbols.find(&card.instrument));
        self.locals.clear();
        self.locals.resize(zones, None);
        self.periods.clear();
        self.periods.resize(zones.saturating_mul(4), None);
        self.minor =
            stacking::minor_units(payment.amount.amount, Money::scale(payment.amount.currency));
    }

    /// The payment's instant in `zone`, the zone at `slot`.
    pub(super) fn local(&mut self, slot: usize, zone: &TimeZone, at: Timestamp) -> DateTime {
        match self.locals.get_mut(slot) {
            Some(Some(local)) => *local,
            Some(cached) => *cached.insert(zone.to_datetime(at)),
            None => zone.to_datetime(at),
        }
    }

    /// The start of the `period` holding the payment's instant in `zone`,
    /// the zone at `slot`, and its number ([`counters::period_code`]).
    pub(super) fn period_start(
        &mut self,
        slot: usize,
        zone: &TimeZone,
        at: Timestamp,
        period: Period,
    ) -> (DateTime, u32) {
        let place = slot.saturating_mul(4).saturating_add(period_place(period));
        if let Some(Some(known)) = self.periods.get(place) {
            return *known;
        }
        let start = period_start(self.local(slot, zone, at), period);
        let code = counters::period_code(start);
        if let Some(cached) = self.periods.get_mut(place) {
            *cached = Some((start, code));
        }
        (start, code)
    }
}

/// A period's place among a zone's four in [`PaymentScope::periods`].
pub(super) fn period_place(period: Period) -> usize {
    match period {
        Period::Hour => 0,
        Period::Day => 1,
        Period::Week => 2,
        Period::Month => 3,
    }
}

impl CompiledScope {
    /// The first scope the payment falls outside, in the contract's order
    /// ([`walk::ORDER`], the walk [`NamedScope::mismatch`] takes too):
    /// the campaign's scenes, the fund's scenes, the campaign's and the
    /// fund's categories, the regions, the segments, then (v2) the
    /// merchant groups and the instrument. `considered`: the index
    /// considers the campaign for the payment, so it is within the scopes
    /// the index narrows by (scenes, the fund's scenes, categories,
    /// regions) and those are not checked again; the segments, merchant
    /// groups and instrument are not indexed and are always checked.
    pub(super) fn mismatch(&self, payment: &PaymentScope, considered: bool) -> Option<ScopeField> {
        if considered && !self.unindexed {
            return None;
        }
        let fields = if considered {
            walk::Fields::NotIndexed
        } else {
            walk::Fields::All
        };
        walk::first_outside(self, payment, fields)
    }
}

/// The payment's value for a scope it fell outside, as an explanation
/// shows it; `None` when it has none.
pub(super) fn scope_value(field: ScopeField, payment: &Payment) -> Option<String> {
    named_value(field, NamedPayment::of(payment))
}

/// [`scope_value`] from the payment's scope attributes.
pub(super) fn named_value(field: ScopeField, payment: NamedPayment<'_>) -> Option<String> {
    let name = |id: Option<&Id>| id.map(|id| id.as_str().to_string());
    match field {
        ScopeField::Scene | ScopeField::FundScene => Some(payment.scene.as_str().to_string()),
        ScopeField::Category | ScopeField::FundCategory => name(payment.category),
        ScopeField::Region => name(payment.region),
        ScopeField::Segments => names_of(payment.segments),
        ScopeField::Merchants | ScopeField::FundMerchants => names_of(payment.merchant_groups),
        ScopeField::Instruments => name(payment.instrument),
    }
}

/// Names, joined with `, `; `None` for none.
fn names_of(ids: &std::collections::BTreeSet<Id>) -> Option<String> {
    if ids.is_empty() {
        None
    } else {
        let names: Vec<&str> = ids.iter().map(Id::as_str).collect();
        Some(names.join(", "))
    }
}

//! The index: which campaigns a payment considers. A campaign is
//! considered when the payment is in its currency, at one of its scenes
//! that its fund's scenes hold, and, for each of category and region the
//! campaign (or its fund) restricts, the payment's value is one it lists.
//! So a campaign considered is within every scope but perhaps the
//! segments and (v2) the merchant groups and instrument, which are not
//! indexed ([`CompiledScope::mismatch`]). Every other campaign
//! pays nothing for a reason the catalog alone gives ([`Entry`]).

use super::*;

/// The number standing for "any" (a campaign that does not restrict the
/// attribute) in an index key.
const ANY: u32 = u32::MAX;

/// Campaign positions by currency, scene, category and region (each of
/// the last two a symbol's number or [`ANY`]), ascending.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    lists: HashMap<(CurrencyCode, u32, u32, u32), Vec<usize>>,
}

/// The values a restricted scope admits as index keys: `[ANY]` when it
/// restricts nothing; both scopes' common values when both restrict.
fn keys(first: Option<&[u32]>, second: Option<&[u32]>) -> Vec<u32> {
    match (first, second) {
        (None, None) => vec![ANY],
        (Some(only), None) | (None, Some(only)) => only.to_vec(),
        (Some(first), Some(second)) => first
            .iter()
            .copied()
            .filter(|value| second.binary_search(value).is_ok())
            .collect(),
    }
}

impl Index {
    /// The index of `campaigns`, sorted by id, whose scopes are numbered.
    pub(super) fn new(campaigns: &[Live]) -> Index {
        let mut lists: HashMap<(CurrencyCode, u32, u32, u32), Vec<usize>> = HashMap::default();
        for (position, live) in campaigns.iter().enumerate() {
            let scope = &live.scope;
            let categories = keys(
                scope.categories.as_deref(),
                scope.fund_categories.as_deref(),
            );
            let regions = keys(scope.regions.as_deref(), None);
            for scene in keys(Some(&scope.scenes), Some(&scope.fund_scenes)) {
                for category in &categories {
                    for region in &regions {
                        let list = lists
                            .entry((live.campaign.currency, scene, *category, *region))
                            .or_default();
                        if list.last() != Some(&position) {
                            list.push(position);
                        }
                    }
                }
            }
        }
        Index { lists }
    }

    /// The campaigns `payment` considers, into `into` (cleared first),
    /// ascending. Each is in exactly one of the four lists looked up (its
    /// category key is the payment's or `ANY`, and so is its region key),
    /// so merging them needs no deduplication.
    pub(super) fn considered(
        &self,
        currency: CurrencyCode,
        scope: &PaymentScope,
        into: &mut Vec<usize>,
    ) {
        into.clear();
        let Some(scene) = scope.scene else {
            return;
        };
        let lists = [
            self.list(currency, scene, Some(ANY), Some(ANY)),
            self.list(currency, scene, scope.category, Some(ANY)),
            self.list(currency, scene, Some(ANY), scope.region),
            self.list(currency, scene, scope.category, scope.region),
        ];
        merge(lists, into);
    }
}

/// The positions of four ascending lists, no position in two, into `into`,
/// ascending: each step takes the smallest of the lists' heads.
fn merge(mut lists: [&[usize]; 4], into: &mut Vec<usize>) {
    into.reserve(lists.iter().map(|list| list.len()).sum());
    loop {
        let mut smallest: Option<(usize, usize)> = None;
        for (place, list) in lists.iter().enumerate() {
            if let Some(head) = list.first()
                && smallest.is_none_or(|(_, least)| *head < least)
            {
                smallest = Some((place, *head));
            }
        }
        let Some((place, head)) = smallest else {
            return;
        };
        into.push(head);
        if let Some(list) = lists.get_mut(place) {
            *list = list.get(1..).unwrap_or(&[]);
        }
    }
}

impl Index {
    fn list(
        &self,
        currency: CurrencyCode,
        scene: u32,
        category: Option<u32>,
        region: Option<u32>,
    ) -> &[usize] {
        match (category, region) {
            (Some(category), Some(region)) => self
                .lists
                .get(&(currency, scene, category, region))
                .map_or(&[], Vec::as_slice),
            (None, _) | (_, None) => &[],
        }
    }
}

/// A campaign's scope by name, as the catalog keeps it to say why a
/// payment does not consider the campaign.
#[derive(Debug, Clone, Default)]
pub(crate) struct NamedScope {
    pub(crate) scenes: Vec<Id>,
    pub(crate) fund_scenes: Vec<Id>,
    pub(crate) categories: Option<Vec<Id>>,
    pub(crate) fund_categories: Option<Vec<Id>>,
    pub(crate) regions: Option<Vec<Id>>,
    pub(crate) segments: Option<Vec<Id>>,
    /// (v2) Not indexed.
    pub(crate) merchants: Option<Vec<Id>>,
    pub(crate) fund_merchants: Option<Vec<Id>>,
    pub(crate) instruments: Option<Vec<Id>>,
}

/// A payment's scope attributes by name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NamedPayment<'a> {
    pub(crate) scene: &'a Id,
    pub(crate) category: Option<&'a Id>,
    pub(crate) region: Option<&'a Id>,
    pub(crate) segments: &'a std::collections::BTreeSet<Id>,
    /// (v2)
    pub(crate) merchant_groups: &'a std::collections::BTreeSet<Id>,
    /// (v2) The instrument of the payment's card.
    pub(crate) instrument: Option<&'a Id>,
}

impl<'a> NamedPayment<'a> {
    pub(crate) fn of(payment: &'a Payment) -> NamedPayment<'a> {
        NamedPayment {
            scene: &payment.scene,
            category: payment.category.as_ref(),
            region: payment.region.as_ref(),
            segments: &payment.segments,
            merchant_groups: &payment.merchant_groups,
            instrument: payment.card.as_ref().map(|card| &card.instrument),
        }
    }
}

impl NamedScope {
    pub(super) fn new(campaign: &Campaign) -> NamedScope {
        let only = |scope: &Scope| match scope {
            Scope::Any => None,
            Scope::Only { ids } => Some(ids.as_slice().to_vec()),
        };
        NamedScope {
            scenes: campaign
                .scenes
                .as_slice()
                .iter()
                .map(|scene| scene.id.clone())
                .collect(),
            fund_scenes: campaign.fund.scenes.as_slice().to_vec(),
            categories: only(&campaign.categories),
            fund_categories: only(&campaign.fund.categories),
            regions: only(&campaign.regions),
            segments: only(&campaign.segments),
            merchants: only(&campaign.merchants),
            fund_merchants: only(&campaign.fund.merchants),
            instruments: only(&campaign.instruments),
        }
    }

    /// Whether the index lists the campaign for the payment's scene,
    /// category and region: the rule [`Index`] follows, by name.
    pub(crate) fn indexed(&self, payment: NamedPayment<'_>) -> bool {
        walk::first_outside(self, &payment, walk::Fields::Indexed).is_none()
    }

    /// The first scope the payment falls outside, in the contract's order
    /// ([`walk::ORDER`], the walk [`CompiledScope::mismatch`] takes too).
    pub(crate) fn mismatch(&self, payment: NamedPayment<'_>) -> Option<ScopeField> {
        walk::first_outside(self, &payment, walk::Fields::All)
    }
}

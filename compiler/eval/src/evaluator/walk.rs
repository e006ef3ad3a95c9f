//! The one ordered walk over a campaign's scope fields: which field a
//! payment falls outside first, in the contract's order, whatever the
//! representation (names in the catalog, [`NamedScope`]; numbers on the
//! hot path, [`CompiledScope`]). Adding a scope field is one line of
//! [`ORDER`]; the exhaustive matches of each representation then ask for
//! its list and the payment's value.

use super::*;

/// The scope fields in the order the contract checks them (the first the
/// payment falls outside is the one a decision names), each with whether
/// the index narrows by it (so a campaign the index considers is within
/// it).
pub(super) const ORDER: [(ScopeField, bool); 9] = [
    (ScopeField::Scene, true),
    (ScopeField::FundScene, true),
    (ScopeField::Category, true),
    (ScopeField::FundCategory, true),
    (ScopeField::Region, true),
    (ScopeField::Segments, false),
    // (v2) The merchant groups, the campaign's then the fund's, and the
    // instrument.
    (ScopeField::Merchants, false),
    (ScopeField::FundMerchants, false),
    (ScopeField::Instruments, false),
];

/// Which of the fields a walk checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    All,
    /// Only those the index narrows by.
    Indexed,
    /// Only those it does not (for a campaign the index considers).
    NotIndexed,
}

impl Fields {
    fn checks(self, indexed: bool) -> bool {
        match self {
            Fields::All => true,
            Fields::Indexed => indexed,
            Fields::NotIndexed => !indexed,
        }
    }
}

/// A campaign's scope in one representation: its list for each field.
pub(super) trait ScopeLists {
    type Item;
    /// The campaign's (or its fund's) list for `field`; `None`: it does
    /// not restrict the field.
    fn list(&self, field: ScopeField) -> Option<&[Self::Item]>;
}

/// A payment's scope attributes in the same representation.
pub(super) trait ScopeValues<T> {
    /// Whether `list` holds the payment's value for `field` (for the
    /// segments and merchant groups: one of its values); `false` when it
    /// has none.
    fn listed(&self, field: ScopeField, list: &[T]) -> bool;
}

/// The first field of `fields` the payment falls outside, in [`ORDER`].
pub(super) fn first_outside<S, P>(scope: &S, payment: &P, fields: Fields) -> Option<ScopeField>
where
    S: ScopeLists,
    P: ScopeValues<S::Item>,
{
    ORDER
        .iter()
        .filter(|(_, indexed)| fields.checks(*indexed))
        .map(|(field, _)| *field)
        .find(|field| {
            scope
                .list(*field)
                .is_some_and(|list| !payment.listed(*field, list))
        })
}

/// The list of `field` among a scope's lists, the same for both
/// representations: the scenes always restrict; the others when given.
macro_rules! scope_list {
    ($scope:expr, $field:expr) => {
        match $field {
            ScopeField::Scene => Some($scope.scenes.as_slice()),
            ScopeField::FundScene => Some($scope.fund_scenes.as_slice()),
            ScopeField::Category => $scope.categories.as_deref(),
            ScopeField::FundCategory => $scope.fund_categories.as_deref(),
            ScopeField::Region => $scope.regions.as_deref(),
            ScopeField::Segments => $scope.segments.as_deref(),
            ScopeField::Merchants => $scope.merchants.as_deref(),
            ScopeField::FundMerchants => $scope.fund_merchants.as_deref(),
            ScopeField::Instruments => $scope.instruments.as_deref(),
        }
    };
}

impl ScopeLists for CompiledScope {
    type Item = u32;
    fn list(&self, field: ScopeField) -> Option<&[u32]> {
        scope_list!(self, field)
    }
}

impl ScopeLists for NamedScope {
    type Item = Id;
    fn list(&self, field: ScopeField) -> Option<&[Id]> {
        scope_list!(self, field)
    }
}

/// Numbers: the campaign's lists are ascending.
impl ScopeValues<u32> for PaymentScope {
    fn listed(&self, field: ScopeField, list: &[u32]) -> bool {
        let one =
            |value: Option<u32>| value.is_some_and(|value| list.binary_search(&value).is_ok());
        let any = |values: &[u32]| values.iter().any(|value| list.binary_search(value).is_ok());
        match field {
            ScopeField::Scene | ScopeField::FundScene => one(self.scene),
            ScopeField::Category | ScopeField::FundCategory => one(self.category),
            ScopeField::Region => one(self.region),
            ScopeField::Segments => any(&self.segments),
            ScopeField::Merchants | ScopeField::FundMerchants => any(&self.merchant_groups),
            ScopeField::Instruments => one(self.instrument),
        }
    }
}

/// Names: the campaign's lists as written.
impl ScopeValues<Id> for NamedPayment<'_> {
    fn listed(&self, field: ScopeField, list: &[Id]) -> bool {
        let one = |value: Option<&Id>| value.is_some_and(|value| list.contains(value));
        let any =
            |values: &std::collections::BTreeSet<Id>| list.iter().any(|id| values.contains(id));
        match field {
            ScopeField::Scene | ScopeField::FundScene => one(Some(self.scene)),
            ScopeField::Category | ScopeField::FundCategory => one(self.category),
            ScopeField::Region => one(self.region),
            ScopeField::Segments => any(self.segments),
            ScopeField::Merchants | ScopeField::FundMerchants => any(self.merchant_groups),
            ScopeField::Instruments => one(self.instrument),
        }
    }
}

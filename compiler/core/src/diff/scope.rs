//! A campaign's scope per dimension, and how it moved. A new scope
//! dimension is one variant of
//! [`ScopeDimension`], one entry of `ALL` and one arm of
//! [`ScopeDimension::of`]; the comparison, the flags and the renderers
//! follow.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ScopeMovement;
use crate::ir::types::{Campaign, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeDimension {
    Scenes,
    Categories,
    Regions,
    Segments,
    Merchants,
    Instruments,
}

/// What a campaign reaches on one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "match", content = "ids", rename_all = "snake_case")]
pub enum ScopeSet {
    /// Every declared name.
    Any,
    /// Only these, sorted.
    Only(BTreeSet<String>),
}

impl ScopeDimension {
    pub const ALL: [ScopeDimension; 6] = [
        ScopeDimension::Scenes,
        ScopeDimension::Categories,
        ScopeDimension::Regions,
        ScopeDimension::Segments,
        ScopeDimension::Merchants,
        ScopeDimension::Instruments,
    ];

    /// The field's name: `scenes`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeDimension::Scenes => "scenes",
            ScopeDimension::Categories => "categories",
            ScopeDimension::Regions => "regions",
            ScopeDimension::Segments => "segments",
            ScopeDimension::Merchants => "merchants",
            ScopeDimension::Instruments => "instruments",
        }
    }

    /// The campaign's scope on this dimension.
    pub fn of(self, campaign: &Campaign) -> ScopeSet {
        match self {
            ScopeDimension::Scenes => ScopeSet::Only(
                campaign
                    .scenes
                    .as_slice()
                    .iter()
                    .map(|scene| scene.id.as_str().to_string())
                    .collect(),
            ),
            ScopeDimension::Categories => ScopeSet::of(&campaign.categories),
            ScopeDimension::Regions => ScopeSet::of(&campaign.regions),
            ScopeDimension::Segments => ScopeSet::of(&campaign.segments),
            ScopeDimension::Merchants => ScopeSet::of(&campaign.merchants),
            ScopeDimension::Instruments => ScopeSet::of(&campaign.instruments),
        }
    }
}

impl ScopeSet {
    pub fn of(scope: &Scope) -> ScopeSet {
        match scope {
            Scope::Any => ScopeSet::Any,
            Scope::Only { ids } => ScopeSet::Only(
                ids.as_slice()
                    .iter()
                    .map(|id| id.as_str().to_string())
                    .collect(),
            ),
        }
    }

    /// `any`, or the names in backticks: `` `a`, `b` ``.
    pub fn text(&self) -> String {
        match self {
            ScopeSet::Any => String::from("any"),
            ScopeSet::Only(ids) => {
                format!("[{}]", ids.iter().cloned().collect::<Vec<_>>().join(", "))
            }
        }
    }
}

/// How the scope moved, or `None` when it reaches the same.
pub fn movement(before: &ScopeSet, after: &ScopeSet) -> Option<ScopeMovement> {
    match (before, after) {
        (ScopeSet::Any, ScopeSet::Any) => None,
        (ScopeSet::Only(_), ScopeSet::Any) => Some(ScopeMovement::Widened),
        (ScopeSet::Any, ScopeSet::Only(_)) => Some(ScopeMovement::Narrowed),
        (ScopeSet::Only(was), ScopeSet::Only(now)) => {
            let gained = now.difference(was).next().is_some();
            let lost = was.difference(now).next().is_some();
            match (gained, lost) {
                (false, false) => None,
                (true, false) => Some(ScopeMovement::Widened),
                (false, true) => Some(ScopeMovement::Narrowed),
                (true, true) => Some(ScopeMovement::Replaced),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(names: &[&str]) -> ScopeSet {
        ScopeSet::Only(names.iter().map(|name| name.to_string()).collect())
    }

    #[test]
    fn each_way_a_scope_moves() {
        assert_eq!(movement(&ScopeSet::Any, &ScopeSet::Any), None);
        assert_eq!(movement(&only(&["a"]), &only(&["a"])), None);
        assert_eq!(
            movement(&only(&["a"]), &ScopeSet::Any),
            Some(ScopeMovement::Widened)
        );
        assert_eq!(
            movement(&ScopeSet::Any, &only(&["a"])),
            Some(ScopeMovement::Narrowed)
        );
        assert_eq!(
            movement(&only(&["a"]), &only(&["a", "b"])),
            Some(ScopeMovement::Widened)
        );
        assert_eq!(
            movement(&only(&["a", "b"]), &only(&["b"])),
            Some(ScopeMovement::Narrowed)
        );
        assert_eq!(
            movement(&only(&["a"]), &only(&["b"])),
            Some(ScopeMovement::Replaced)
        );
    }
}

//! Baselines, for adopting Camp on a repository that already has findings:
//! `campc check --write-baseline FILE` records how many findings each
//! (package, file, rule) has; `campc check --baseline FILE` then reports
//! only what goes beyond those counts, and says which entries can be
//! lowered or removed once findings are fixed.
//!
//! Only lint findings are recorded: errors stop a build whatever a baseline
//! says. Within a (package, file, rule) group over its count, the findings
//! reported are the last ones in the file, so the report is the same on
//! every run.
//!
//! An entry names its file by the path relative to its package's root
//! (version 2), and its package by its `[package] name`, so a baseline
//! works from any folder and whether the package is named alone or found
//! in a folder of packages. Version 1 baselines named the file as `campc`
//! showed it, relative to the folder it ran in: they are still read, and
//! still match only from that folder ([`Baseline::note`] says how to
//! rewrite one). Entries of packages a run does not check are left alone:
//! a baseline written for a folder of packages serves a check of one.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::package::Analysis;

/// The baseline version `--write-baseline` writes.
pub const VERSION: u32 = 2;

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The package's `[package] name`; absent for a package without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Version 2: the path relative to the package root, with `/`.
    /// Version 1: the path as `campc` showed it.
    pub file: String,
    pub rule: String,
    pub count: usize,
}

/// An entry whose findings went down: it can be lowered, or removed at 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    pub package: Option<String>,
    pub file: String,
    pub rule: String,
    pub recorded: usize,
    pub now: usize,
}

impl StaleEntry {
    /// The note `campc` prints about the entry.
    pub fn note(&self) -> String {
        let package = self
            .package
            .as_ref()
            .map(|name| format!(" in package `{name}`"))
            .unwrap_or_default();
        let entry = format!("baseline entry `{}`{package} / `{}`", self.file, self.rule);
        if self.now == 0 {
            format!("{entry} can be removed: no findings left")
        } else {
            format!(
                "{entry} can be lowered from {} to {}",
                self.recorded, self.now
            )
        }
    }
}

/// What an entry is keyed by: package, file and rule.
type Key = (Option<String>, String, String);

fn is_lint(diagnostic: &Diagnostic) -> bool {
    crate::lint::find_rule(diagnostic.code).is_some()
}

/// Every diagnostic of `analyses`, in the order `campc` reports them
/// (package by package, each in its diagnostics' order), numbered in
/// that order, with the key of each lint finding (`None` for an error)
/// as a baseline of `version` names it.
fn keyed(analyses: &[Analysis], version: u32) -> impl Iterator<Item = (usize, Option<Key>)> + '_ {
    analyses
        .iter()
        .flat_map(move |analysis| {
            analysis.diagnostics.iter().map(move |diagnostic| {
                is_lint(diagnostic).then(|| {
                    let file = analysis.sources.get(diagnostic.primary.span.file);
                    if version == 1 {
                        let path = file.map(|file| file.path.clone());
                        (None, path.unwrap_or_default(), diagnostic.code.to_string())
                    } else {
                        let path = file.map(|file| file.relative_path.clone());
                        (
                            analysis.name.clone(),
                            path.unwrap_or_default(),
                            diagnostic.code.to_string(),
                        )
                    }
                })
            })
        })
        .enumerate()
}

impl Baseline {
    /// The counts of the lint findings of `analyses`.
    pub fn record(analyses: &[Analysis]) -> Baseline {
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for (_, key) in keyed(analyses, VERSION) {
            if let Some(key) = key {
                *counts.entry(key).or_default() += 1;
            }
        }
        Baseline {
            version: VERSION,
            entries: counts
                .into_iter()
                .map(|((package, file, rule), count)| BaselineEntry {
                    package,
                    file,
                    rule,
                    count,
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}"));
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|error| error.to_string())?;
        match baseline.version {
            1 | VERSION => Ok(baseline),
            version => Err(format!(
                "baseline version {version} is not one this `campc` reads (1 and {VERSION}); \
                 a newer `campc` wrote it"
            )),
        }
    }

    /// What to tell the user about the baseline itself: a version 1
    /// baseline matches only from the folder it was written in.
    pub fn note(&self, shown_path: &str) -> Option<String> {
        (self.version == 1).then(|| {
            format!(
                "`{shown_path}` is a version 1 baseline: its paths match only when `campc` runs \
                 from the folder that wrote it; `campc check --write-baseline {shown_path}` there \
                 rewrites it with paths from each package's root, which match from any folder"
            )
        })
    }

    /// Which diagnostics of `analyses` to report, as indexes in the order
    /// `campc` reports them (package by package, each in its diagnostics'
    /// order), and the entries that can be lowered. Errors are always
    /// reported. An entry of a package not among `analyses` is not stale:
    /// that package was not checked (a baseline may cover a folder of
    /// packages, and one of them be checked alone).
    pub fn filter(&self, analyses: &[Analysis]) -> (Vec<usize>, Vec<StaleEntry>) {
        let checked: BTreeSet<Option<&str>> = analyses
            .iter()
            .map(|analysis| analysis.name.as_deref())
            .collect();
        let allowed: BTreeMap<Key, usize> = self
            .entries
            .iter()
            .map(|entry| (entry_key(entry), entry.count))
            .collect();
        // Group lint findings; each package's arrive sorted by file and
        // position.
        let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        let mut keep = Vec::new();
        for (index, key) in keyed(analyses, self.version) {
            match key {
                Some(key) => groups.entry(key).or_default().push(index),
                None => keep.push(index),
            }
        }
        for (key, indexes) in &groups {
            let allowance = allowed.get(key).copied().unwrap_or(0);
            keep.extend(indexes.iter().skip(allowance));
        }
        keep.sort_unstable();
        let stale = self
            .entries
            .iter()
            .filter(|entry| self.version == 1 || checked.contains(&entry.package.as_deref()))
            .filter_map(|entry| {
                let now = groups.get(&entry_key(entry)).map(Vec::len).unwrap_or(0);
                (now < entry.count).then(|| StaleEntry {
                    package: entry.package.clone(),
                    file: entry.file.clone(),
                    rule: entry.rule.clone(),
                    recorded: entry.count,
                    now,
                })
            })
            .collect();
        (keep, stale)
    }
}

fn entry_key(entry: &BaselineEntry) -> Key {
    (
        entry.package.clone(),
        entry.file.clone(),
        entry.rule.clone(),
    )
}

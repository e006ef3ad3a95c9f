//! Baselines, for adopting Camp on a repository that already has findings:
//! `campc check --write-baseline FILE` records how many findings each
//! (file, rule) has; `campc check --baseline FILE` then reports only what
//! goes beyond those counts, and says which entries can be lowered or
//! removed once findings are fixed.
//!
//! Only lint findings are recorded: errors stop a build whatever a baseline
//! says. Within a (file, rule) group over its count, the findings reported
//! are the last ones in the file, so the report is the same on every run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// The baseline file format, version 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub file: String,
    pub rule: String,
    pub count: usize,
}

/// An entry whose findings went down: it can be lowered, or removed at 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    pub file: String,
    pub rule: String,
    pub recorded: usize,
    pub now: usize,
}

fn is_lint(diagnostic: &Diagnostic) -> bool {
    crate::lint::find_rule(diagnostic.code).is_some()
}

fn file_of(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    sources
        .get(diagnostic.primary.span.file)
        .map(|file| file.path.clone())
        .unwrap_or_default()
}

impl Baseline {
    /// The counts of the lint findings given.
    pub fn record(items: &[(&Diagnostic, &SourceMap)]) -> Baseline {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (diagnostic, sources) in items.iter().filter(|(diagnostic, _)| is_lint(diagnostic)) {
            *counts
                .entry((file_of(diagnostic, sources), diagnostic.code.to_string()))
                .or_default() += 1;
        }
        Baseline {
            version: 1,
            entries: counts
                .into_iter()
                .map(|((file, rule), count)| BaselineEntry { file, rule, count })
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
        if baseline.version != 1 {
            return Err(format!(
                "baseline version {} is not the supported 1",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Which of `items` to report (by index), and the entries that can be
    /// lowered. Errors are always reported.
    pub fn filter(&self, items: &[(&Diagnostic, &SourceMap)]) -> (Vec<usize>, Vec<StaleEntry>) {
        let allowed: BTreeMap<(&str, &str), usize> = self
            .entries
            .iter()
            .map(|entry| ((entry.file.as_str(), entry.rule.as_str()), entry.count))
            .collect();
        // Group lint findings; items arrive sorted by file and position.
        let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        let mut keep = Vec::new();
        for (index, (diagnostic, sources)) in items.iter().enumerate() {
            if is_lint(diagnostic) {
                groups
                    .entry((file_of(diagnostic, sources), diagnostic.code.to_string()))
                    .or_default()
                    .push(index);
            } else {
                keep.push(index);
            }
        }
        for ((file, rule), indexes) in &groups {
            let allowance = allowed
                .get(&(file.as_str(), rule.as_str()))
                .copied()
                .unwrap_or(0);
            keep.extend(indexes.iter().skip(allowance));
        }
        keep.sort_unstable();
        let stale = self
            .entries
            .iter()
            .filter_map(|entry| {
                let now = groups
                    .get(&(entry.file.clone(), entry.rule.clone()))
                    .map(Vec::len)
                    .unwrap_or(0);
                (now < entry.count).then(|| StaleEntry {
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

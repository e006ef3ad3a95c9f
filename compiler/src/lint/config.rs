//! Lint levels and options, from the `[lints]` table of `camp.toml`:
//!
//! ```toml
//! [lints]
//! no-rollout = "deny"
//! high-rate = { level = "deny", threshold = "25%" }
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Level, OptionKind, RuleMeta, all_rules};
use crate::check::model::Rate;
use crate::check::values::suggest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionValue {
    Rate(Rate),
    Count(u64),
}

impl OptionValue {
    fn parse(kind: OptionKind, value: &toml::Value) -> Option<OptionValue> {
        match (kind, value) {
            (OptionKind::Rate, toml::Value::String(text)) => {
                let number = Decimal::from_str(text.strip_suffix('%')?.trim()).ok()?;
                (number > Decimal::ZERO && number <= Decimal::ONE_HUNDRED)
                    .then_some(OptionValue::Rate(Rate(number)))
            }
            (OptionKind::Count, toml::Value::Integer(count)) => {
                u64::try_from(*count).ok().map(OptionValue::Count)
            }
            _ => None,
        }
    }

    pub fn as_rate(self) -> Option<Rate> {
        match self {
            OptionValue::Rate(rate) => Some(rate),
            OptionValue::Count(_) => None,
        }
    }

    pub fn as_count(self) -> Option<u64> {
        match self {
            OptionValue::Count(count) => Some(count),
            OptionValue::Rate(_) => None,
        }
    }
}

/// The levels and options in force, and the time "now" is (for rules
/// about the calendar; `None` turns them off, which tests rely on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    levels: BTreeMap<&'static str, Level>,
    options: BTreeMap<(&'static str, &'static str), OptionValue>,
    pub now: Option<jiff::Timestamp>,
}

impl LintConfig {
    /// Reads a `[lints]` table. Every problem is returned, each a sentence
    /// naming the key: unknown rules and options, levels and values of the
    /// wrong kind.
    pub fn from_table(table: &toml::Table) -> Result<LintConfig, Vec<String>> {
        let mut config = LintConfig::default();
        let mut problems = Vec::new();
        let names: Vec<&'static str> = all_rules().iter().map(|rule| rule.name).collect();
        for (key, value) in table {
            let Some(rule) = all_rules().into_iter().find(|rule| rule.name == key) else {
                let hint = suggest(key, names.iter().copied())
                    .map(|name| format!("; did you mean `{name}`?"))
                    .unwrap_or_else(|| String::from("; `campc rules` lists them"));
                problems.push(format!(
                    "`[lints]` names `{key}`, which is not a lint rule{hint}"
                ));
                continue;
            };
            match value {
                toml::Value::String(level) => match Level::parse(level) {
                    Some(level) => {
                        config.levels.insert(rule.name, level);
                    }
                    None => problems.push(level_problem(key, level)),
                },
                toml::Value::Table(settings) => {
                    for (setting, value) in settings {
                        if setting == "level" {
                            match value.as_str().and_then(Level::parse) {
                                Some(level) => {
                                    config.levels.insert(rule.name, level);
                                }
                                None => problems.push(level_problem(key, &value.to_string())),
                            }
                            continue;
                        }
                        let Some(option) = rule.options.iter().find(|option| option.name == setting) else {
                            let known: Vec<&str> = rule.options.iter().map(|option| option.name).collect();
                            problems.push(if known.is_empty() {
                                format!("lint `{key}` has no option `{setting}`; it takes only `level`")
                            } else {
                                format!(
                                    "lint `{key}` has no option `{setting}`; its options are `level`, {}",
                                    known.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                                )
                            });
                            continue;
                        };
                        match OptionValue::parse(option.kind, value) {
                            Some(parsed) => {
                                config.options.insert((rule.name, option.name), parsed);
                            }
                            None => problems.push(format!(
                                "`{key}.{setting}` must be {}, like `{}`; found `{value}`",
                                match option.kind {
                                    OptionKind::Rate => "a rate in quotes, above 0% and at most 100%",
                                    OptionKind::Count => "a whole number",
                                },
                                option.default
                            )),
                        }
                    }
                }
                other => problems.push(format!(
                    "`[lints]` `{key}` must be a level (\"warn\") or a table ({{ level = \"deny\" }}); found `{other}`"
                )),
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Every rule off: errors only (the error fixtures use it).
    pub fn errors_only() -> LintConfig {
        let mut config = LintConfig::default();
        for rule in all_rules() {
            config.levels.insert(rule.name, Level::Allow);
        }
        config
    }

    pub fn level(&self, rule: &RuleMeta) -> Level {
        self.levels
            .get(rule.name)
            .copied()
            .unwrap_or(rule.default_level)
    }

    pub fn set_level(&mut self, rule: &'static RuleMeta, level: Level) {
        self.levels.insert(rule.name, level);
    }

    /// The option's value: configured, or the rule's default.
    pub fn option(&self, rule: &RuleMeta, name: &str) -> Option<OptionValue> {
        let option = rule.options.iter().find(|option| option.name == name)?;
        if let Some(value) = self.options.get(&(rule.name, option.name)) {
            return Some(*value);
        }
        let default = match option.kind {
            OptionKind::Rate => toml::Value::String(option.default.to_string()),
            OptionKind::Count => toml::Value::Integer(option.default.parse().ok()?),
        };
        OptionValue::parse(option.kind, &default)
    }
}

fn level_problem(key: &str, found: &str) -> String {
    format!(
        "`[lints]` `{key}` has level `{found}`; the levels are `allow`, `warn`, `deny`, `forbid`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap_or_default()
    }

    #[test]
    fn levels_and_options_are_read_and_checked() {
        let config = LintConfig::from_table(&table(
            "no-rollout = \"deny\"\nhigh-rate = { level = \"forbid\", threshold = \"25%\" }\n",
        ));
        let Ok(config) = config else {
            unreachable!("valid config refused: {config:?}");
        };
        let high_rate = crate::lint::find_rule("high-rate");
        let no_rollout = crate::lint::find_rule("no-rollout");
        assert_eq!(no_rollout.map(|rule| config.level(rule)), Some(Level::Deny));
        assert_eq!(
            high_rate.map(|rule| config.level(rule)),
            Some(Level::Forbid)
        );
        assert_eq!(
            high_rate.and_then(|rule| config.option(rule, "threshold")),
            Some(OptionValue::Rate(Rate(Decimal::from(25))))
        );
    }

    #[test]
    fn mistakes_are_named() {
        let problems = LintConfig::from_table(&table(
            "hihg-rate = \"deny\"\nno-rollout = \"loud\"\nhigh-rate = { threshold = 30 }\nlong-window = { days = 3 }\n",
        ))
        .err()
        .unwrap_or_default();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|problem| problem.contains("did you mean `high-rate`"))
        );
    }
}

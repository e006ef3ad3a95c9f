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
                let number = text.strip_suffix('%')?.trim();
                if !is_camp_number(number) {
                    return None;
                }
                let number = Decimal::from_str(&number.replace('_', "")).ok()?;
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

    /// The same levels and options, with every option of `rules` that is
    /// not set given its default: [`LintConfig::option`] answers the same,
    /// without parsing a default on each call (a one-campaign rule asks
    /// once per campaign).
    pub(crate) fn with_defaults<'r>(
        &self,
        rules: impl Iterator<Item = &'r RuleMeta>,
    ) -> LintConfig {
        let mut filled = self.clone();
        for rule in rules {
            for option in rule.options {
                if let Some(value) = self.option(rule, option.name) {
                    filled.options.insert((rule.name, option.name), value);
                }
            }
        }
        filled
    }
}

/// Whether `text` is a number as a `.camp` file writes one: digits, `_`
/// only between two digits, and a fraction after one `.` (`12.5`,
/// `2_000`); no sign, exponent or bare dot. [`RATE_PATTERN`] says the same.
fn is_camp_number(text: &str) -> bool {
    let digits = |part: &str| {
        part.starts_with(|ch: char| ch.is_ascii_digit())
            && part.ends_with(|ch: char| ch.is_ascii_digit())
            && part.chars().all(|ch| ch.is_ascii_digit() || ch == '_')
            && !part.contains("__")
    };
    match text.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(text),
    }
}

/// The JSON Schema of the `[lints]` table of `camp.toml`, made from the
/// rule registry so that it names every rule and option there is: a
/// property per rule, whose value is a level or a table of `level` and the
/// rule's options. (For `schemars`: `Manifest::lints`, whose doc comment
/// is the table's description.)
pub fn lints_json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = |description: String| {
        serde_json::json!({
            "description": description,
            "type": "string",
            "enum": Level::NAMES,
        })
    };
    let mut properties = serde_json::Map::new();
    for rule in all_rules() {
        let default = rule.default_level.as_str();
        let mut settings = serde_json::Map::new();
        settings.insert(
            String::from("level"),
            level(format!(
                "How loud `{}` is: `allow` (off), `warn`, `deny` (fails `campc check`) or \
                 `forbid` (like `deny`, and no suppression silences it). Default: `{default}`.",
                rule.name
            )),
        );
        for option in rule.options {
            let schema = match option.kind {
                OptionKind::Rate => serde_json::json!({
                    "description": format!(
                        "{} (a rate in quotes, above 0% and at most 100%; default `\"{}\"`)",
                        option.description, option.default
                    ),
                    "type": "string",
                    "pattern": RATE_PATTERN,
                    "default": option.default,
                }),
                OptionKind::Count => serde_json::json!({
                    "description": format!(
                        "{} (a whole number; default `{}`)",
                        option.description, option.default
                    ),
                    "type": "integer",
                    "minimum": 0,
                    "default": option.default.parse::<u64>().ok(),
                }),
            };
            settings.insert(option.name.to_string(), schema);
        }
        properties.insert(
            rule.name.to_string(),
            serde_json::json!({
                "description": format!(
                    "{} (default level `{default}`; `campc rule {}` shows its documentation)",
                    rule.summary, rule.name
                ),
                "anyOf": [
                    level(format!(
                        "`allow` (off), `warn`, `deny` (fails `campc check`) or `forbid` \
                         (like `deny`, and no suppression silences it). Default: `{default}`."
                    )),
                    {
                        "type": "object",
                        "properties": settings,
                        "additionalProperties": false,
                    },
                ],
            }),
        );
    }
    let schema = serde_json::json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    schemars::Schema::try_from(schema).unwrap_or_default()
}

/// A rate option as `camp.toml` writes it, `"25%"`: a number as a `.camp`
/// file writes one ([`is_camp_number`]), then `%`. Its range, above 0% and
/// at most 100%, is in the option's description: a pattern cannot say it
/// for every way of writing a number.
const RATE_PATTERN: &str = r"^\s*[0-9](_?[0-9])*(\.[0-9](_?[0-9])*)?\s*%$";

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

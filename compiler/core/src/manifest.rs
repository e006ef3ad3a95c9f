//! `camp.toml`, the file that marks a package's root: reading its text
//! into the package's name and lint configuration, and every problem in it
//! into a diagnostic (`E08xx`) placed on its key or value, so that every
//! edge (terminal, JSON, SARIF, the language server) shows it like any
//! other. No IO: the text comes from a [`crate::package::FileSource`].

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::error::CampError;
use crate::lint::{self, LintConfig};
use crate::source::{FileId, Span};

/// The manifest file that marks a package root.
pub const MANIFEST: &str = "camp.toml";

/// `camp.toml`: the file that marks a Camp package's root folder. Every
/// `.camp` file in that folder and below belongs to the package.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "camp.toml")]
pub struct Manifest {
    /// The package.
    #[serde(default)]
    pub package: PackageSection,
    /// Lint levels and options, by rule name: a level (`"deny"`) or a
    /// table (`{ level = "deny", threshold = "25%" }`). `campc rules` lists
    /// the rules.
    #[serde(default)]
    #[schemars(schema_with = "crate::lint::config::lints_json_schema")]
    pub lints: toml::Table,
    /// `campc diff`'s flag levels, by flag name (`"deny"`, `"warn"`,
    /// `"allow"`). `campc diff` reads the old side's: a change cannot
    /// silence its own flags.
    #[serde(default)]
    #[schemars(schema_with = "crate::diff::flags::diff_json_schema")]
    pub diff: toml::Table,
}

/// The `[package]` table.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSection {
    /// The package's name: it names the package in baselines
    /// (`--write-baseline`) and in the IR's manifest.
    // TOML has no null: the key is there, a string, or not at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub name: Option<String>,
}

/// The keys `camp.toml` holds at its top level, and in `[package]`.
const TOP_KEYS: [&str; 3] = ["package", "lints", "diff"];
const PACKAGE_KEYS: [&str; 1] = ["name"];

/// What is wrong in `camp.toml`: the `E08xx` errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestProblem {
    /// E0801: not UTF-8, or not TOML (the TOML reader's message).
    NotToml { message: String },
    /// E0802: a key `camp.toml` has no use for, at its top level
    /// (`table` is `None`) or in `[package]`.
    UnknownKey {
        table: Option<&'static str>,
        key: String,
        suggestion: Option<&'static str>,
    },
    /// E0803: `[package]`, `[lints]` or `name` of the wrong TOML type.
    WrongType {
        key: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    /// E0804: `[lints]` names no lint rule (the linter's sentence).
    UnknownRule { message: String },
    /// E0805: a rule's level or option that is not one (the linter's
    /// sentence).
    LintSetting { message: String },
}

impl ManifestProblem {
    /// The problem's stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ManifestProblem::NotToml { .. } => "E0801",
            ManifestProblem::UnknownKey { .. } => "E0802",
            ManifestProblem::WrongType { .. } => "E0803",
            ManifestProblem::UnknownRule { .. } => "E0804",
            ManifestProblem::LintSetting { .. } => "E0805",
        }
    }
}

/// A package's `camp.toml` as read: its text (for showing problems) and
/// the problems, as diagnostics in [`FileId::MANIFEST`].
#[derive(Debug, Clone)]
pub struct ManifestFile {
    /// The path for messages.
    pub path: String,
    pub text: Arc<str>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// What `camp.toml` sets: the package's name and its lint levels and
/// options. With any problem in the file, neither: the package gets no
/// name and the default lint levels, and is checked all the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub name: Option<String>,
    pub lints: LintConfig,
    /// `[diff]`: `campc diff`'s flag levels.
    pub diff: crate::diff::DiffConfig,
}

/// Reads `camp.toml` (`path` for messages, its bytes): the settings, and
/// the file with its problems.
pub fn read(path: &str, bytes: &[u8]) -> (Settings, ManifestFile) {
    let (text, problems, settings) = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let (settings, problems) = read_text(text);
            (text.to_string(), problems, settings)
        }
        Err(error) => {
            let at = error.valid_up_to();
            let problem = ManifestProblem::NotToml {
                message: String::from("the file is not valid UTF-8"),
            };
            (
                String::from_utf8_lossy(bytes).into_owned(),
                vec![(at..at + '\u{FFFD}'.len_utf8(), problem)],
                None,
            )
        }
    };
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(range, problem)| {
            CampError::Manifest {
                span: Span::new(FileId::MANIFEST, range.start, range.end),
                problem,
            }
            .into_diagnostic()
        })
        .collect();
    diagnostics.sort_by_key(|diagnostic| (diagnostic.primary.span, diagnostic.code));
    let settings = match settings {
        Some(settings) if diagnostics.is_empty() => settings,
        _ => Settings::default(),
    };
    (
        settings,
        ManifestFile {
            path: path.to_string(),
            text: Arc::from(text),
            diagnostics,
        },
    )
}

type Problems = Vec<(std::ops::Range<usize>, ManifestProblem)>;

/// The settings of a `camp.toml` that is UTF-8, or its problems, each
/// with its byte range.
fn read_text(text: &str) -> (Option<Settings>, Problems) {
    let mut problems = Problems::new();
    let document = match toml::de::DeTable::parse(text) {
        Ok(document) => document,
        Err(error) => {
            let mut range = error.span().unwrap_or(0..0);
            // At least the character it is at, as every Camp error marks.
            if range.is_empty()
                && let Some(next) = text.get(range.start..).and_then(|rest| rest.chars().next())
                && next != '\n'
                && next != '\r'
            {
                range.end = range.start + next.len_utf8();
            }
            problems.push((
                range,
                ManifestProblem::NotToml {
                    message: error.message().trim_end().to_string(),
                },
            ));
            return (None, problems);
        }
    };
    // The same text as values, for the linter's reading of `[lints]`.
    let Ok(values) = toml::from_str::<toml::Table>(text) else {
        return (None, problems);
    };
    let mut name = None;
    let mut lints = LintConfig::default();
    let mut diff = crate::diff::DiffConfig::default();
    for (key, value) in document.get_ref() {
        let key_text: &str = key.get_ref();
        match key_text {
            "package" => {
                let toml::de::DeValue::Table(package) = value.get_ref() else {
                    problems.push(wrong_type(value, "package", "a table (`[package]`)"));
                    continue;
                };
                for (key, value) in package {
                    let key_text: &str = key.get_ref();
                    if key_text != "name" {
                        problems.push(unknown_key(key, Some("package"), &PACKAGE_KEYS));
                        continue;
                    }
                    match value.get_ref() {
                        toml::de::DeValue::String(written) => name = Some(written.to_string()),
                        _ => problems.push(wrong_type(value, "name", "a string in quotes")),
                    }
                }
            }
            "lints" => {
                let toml::de::DeValue::Table(table) = value.get_ref() else {
                    problems.push(wrong_type(value, "lints", "a table (`[lints]`)"));
                    continue;
                };
                match values.get("lints") {
                    Some(toml::Value::Table(values)) => {
                        lints = read_lints(table, values, &mut problems);
                    }
                    _ => continue,
                }
            }
            "diff" => {
                let toml::de::DeValue::Table(table) = value.get_ref() else {
                    problems.push(wrong_type(value, "diff", "a table (`[diff]`)"));
                    continue;
                };
                if let Some(toml::Value::Table(values)) = values.get("diff") {
                    diff = read_diff(table, values, &mut problems);
                }
            }
            _ => problems.push(unknown_key(key, None, &TOP_KEYS)),
        }
    }
    (Some(Settings { name, lints, diff }), problems)
}

fn unknown_key(
    key: &toml::Spanned<toml::de::DeString<'_>>,
    table: Option<&'static str>,
    known: &[&'static str],
) -> (std::ops::Range<usize>, ManifestProblem) {
    let written: &str = key.get_ref();
    let suggestion = crate::check::values::suggest(written, known.iter().copied());
    (
        key.span(),
        ManifestProblem::UnknownKey {
            table,
            key: written.to_string(),
            suggestion: known
                .iter()
                .copied()
                .find(|known| suggestion.as_deref() == Some(*known)),
        },
    )
}

fn wrong_type(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    key: &'static str,
    expected: &'static str,
) -> (std::ops::Range<usize>, ManifestProblem) {
    (
        value.span(),
        ManifestProblem::WrongType {
            key,
            expected,
            found: value.get_ref().type_str(),
        },
    )
}

/// `[diff]`: the flags' levels; an unknown flag is an unknown key of the
/// table (`E0802`), a value that is no level a bad setting (`E0805`).
fn read_diff(
    spans: &toml::de::DeTable<'_>,
    values: &toml::Table,
    problems: &mut Problems,
) -> crate::diff::DiffConfig {
    let mut config = crate::diff::DiffConfig::default();
    for (key, value) in spans {
        let flag: &str = key.get_ref();
        let Some(written) = values.get(flag) else {
            continue;
        };
        match config.read_entry(flag, written) {
            Ok(()) => {}
            Err(crate::diff::flags::EntryProblem::UnknownFlag { suggestion }) => problems.push((
                key.span(),
                ManifestProblem::UnknownKey {
                    table: Some("diff"),
                    key: flag.to_string(),
                    suggestion,
                },
            )),
            Err(crate::diff::flags::EntryProblem::Level { message }) => {
                problems.push((value.span(), ManifestProblem::LintSetting { message }));
            }
        }
    }
    config
}

/// `[lints]`: the configuration, and each problem placed where it is: an
/// unknown rule or option on its key, a level or option value that is not
/// one on the value. The sentences are the linter's
/// ([`LintConfig::from_table`]), read one entry at a time.
fn read_lints(
    spans: &toml::de::DeTable<'_>,
    values: &toml::Table,
    problems: &mut Problems,
) -> LintConfig {
    let before = problems.len();
    let one = |rule: &str, value: toml::Value| {
        let mut table = toml::Table::new();
        table.insert(rule.to_string(), value);
        LintConfig::from_table(&table).err().unwrap_or_default()
    };
    for (key, value) in spans {
        let rule: &str = key.get_ref();
        let Some(written) = values.get(rule) else {
            continue;
        };
        if lint::find_rule(rule).is_none() {
            for message in one(rule, written.clone()) {
                problems.push((key.span(), ManifestProblem::UnknownRule { message }));
            }
            continue;
        }
        let (toml::de::DeValue::Table(settings), toml::Value::Table(written)) =
            (value.get_ref(), written)
        else {
            for message in one(rule, written.clone()) {
                problems.push((value.span(), ManifestProblem::LintSetting { message }));
            }
            continue;
        };
        for (setting, setting_value) in settings {
            let name: &str = setting.get_ref();
            let Some(written) = written.get(name) else {
                continue;
            };
            let mut table = toml::Table::new();
            table.insert(name.to_string(), written.clone());
            let known = name == "level"
                || lint::find_rule(rule)
                    .is_some_and(|meta| meta.options.iter().any(|option| option.name == name));
            // An option the rule does not have: its key; a value that is
            // not one: the value.
            let place = if known {
                setting_value.span()
            } else {
                setting.span()
            };
            for message in one(rule, toml::Value::Table(table)) {
                problems.push((place.clone(), ManifestProblem::LintSetting { message }));
            }
        }
    }
    if problems.len() > before {
        return LintConfig::default();
    }
    LintConfig::from_table(values).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        let (_, file) = read("camp.toml", text.as_bytes());
        file.diagnostics
            .iter()
            .map(|diagnostic| {
                let range = diagnostic.primary.span.range();
                (diagnostic.code, text.get(range).unwrap_or("").to_string())
            })
            .collect()
    }

    #[test]
    fn a_good_manifest_sets_the_name_and_levels() {
        let (settings, file) = read(
            "camp.toml",
            b"[package]\nname = \"spring\"\n[lints]\nno-rollout = \"deny\"\n",
        );
        assert!(file.diagnostics.is_empty());
        assert_eq!(settings.name.as_deref(), Some("spring"));
        let rule = lint::find_rule("no-rollout");
        assert_eq!(
            rule.map(|rule| settings.lints.level(rule)),
            Some(lint::Level::Deny)
        );
    }

    #[test]
    fn each_problem_has_its_code_and_place() {
        assert_eq!(
            codes("[package]\nname \"a\"\n"),
            [("E0801", String::from("\""))]
        );
        assert_eq!(
            codes("\u{FEFF}x = \u{1}"),
            [("E0801", String::from("\u{1}"))]
        );
        assert_eq!(
            codes("[pakage]\nname = \"a\"\n"),
            [("E0802", String::from("pakage"))]
        );
        assert_eq!(
            codes("[package]\nnmae = \"a\"\n"),
            [("E0802", String::from("nmae"))]
        );
        assert_eq!(
            codes("[package]\nname = 3\n"),
            [("E0803", String::from("3"))]
        );
        assert_eq!(codes("lints = 1\n"), [("E0803", String::from("1"))]);
        assert_eq!(
            codes("[lints]\nhigh-rat = \"deny\"\n"),
            [("E0804", String::from("high-rat"))]
        );
        assert_eq!(
            codes("[lints]\nhigh-rate = \"loud\"\n"),
            [("E0805", String::from("\"loud\""))]
        );
        assert_eq!(
            codes("[lints]\nhigh-rate = { level = \"deny\", treshold = \"25%\" }\n"),
            [("E0805", String::from("treshold"))]
        );
        assert_eq!(
            codes("[lints]\nhigh-rate = { threshold = \"250%\" }\n"),
            [("E0805", String::from("\"250%\""))]
        );
    }

    #[test]
    fn a_manifest_with_a_problem_sets_nothing() {
        let (settings, file) = read(
            "camp.toml",
            b"[package]\nname = \"spring\"\n[lints]\nno-rolout = \"deny\"\n",
        );
        assert_eq!(file.diagnostics.len(), 1);
        assert_eq!(settings, Settings::default());
        let (settings, file) = read("camp.toml", &[0x5b, 0xff, 0x5d]);
        assert_eq!(file.diagnostics.len(), 1);
        assert_eq!(settings, Settings::default());
        assert_eq!(&*file.text, "[\u{FFFD}]");
    }
}

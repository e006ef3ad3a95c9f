//! `campc`'s descriptions of itself, end to end: the JSON Schema of
//! `camp.toml` (current, agreeing with `campc` on every rule and level, and
//! associated in VS Code), shell completions and the man page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{campc, repo, stderr, stdout};

fn manifest_schema() -> serde_json::Value {
    serde_json::from_str(&camp_fs::manifest_json_schema()).unwrap()
}

fn validates(schema: &jsonschema::Validator, toml_text: &str) -> bool {
    let value: serde_json::Value = toml::from_str(toml_text).unwrap();
    schema.is_valid(&value)
}

#[test]
fn the_camp_toml_schema_is_current() {
    common::assert_generated_file_is_current(
        &repo().join("docs/camp.toml.schema.json"),
        &camp_fs::manifest_json_schema(),
        "UPDATE_CONFIG_SCHEMA",
        "tooling",
    );
    let output = campc(&["config-schema"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        std::fs::read_to_string(repo().join("docs/camp.toml.schema.json")).unwrap()
    );
}

/// Every `camp.toml` in the repository (examples, test packages) is valid
/// under the schema.
#[test]
fn every_camp_toml_in_the_repository_validates() {
    let validator = jsonschema::draft7::new(&manifest_schema()).unwrap();
    let mut found = Vec::new();
    let mut pending = vec![repo().join("examples"), repo().join("compiler/tests")];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|name| name == "camp.toml") {
                found.push(path);
            }
        }
    }
    assert!(found.len() >= 3, "{found:?}");
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = toml::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

/// The schema says yes exactly where `campc` does, for every rule, level
/// and option, and for values of the wrong kind; except a rate option's
/// range (above 0%, at most 100%), which a pattern cannot say for every
/// way of writing a number: the option's description says it, and `campc`
/// refuses the rest with a message.
#[test]
fn the_schema_and_campc_agree_on_lints() {
    let validator = jsonschema::draft7::new(&manifest_schema()).unwrap();
    let out_of_range = ["\"0%\"", "\"0.0%\"", "\"150%\"", "\"100.5%\""];
    let mut range_only = Vec::new();
    let mut cases: Vec<String> = vec![
        String::new(),
        "[package]\nname = \"p\"".into(),
        "[package]\nname = 3".into(),
        "[package]\nversion = \"1\"".into(),
        "[workspace]".into(),
        "[lints]\nhihg-rate = \"deny\"".into(),
    ];
    for rule in camp_core::lint::all_rules() {
        let name = rule.name;
        for level in ["allow", "warn", "deny", "forbid", "loud", "Deny"] {
            cases.push(format!("[lints]\n{name} = \"{level}\""));
            cases.push(format!("[lints]\n{name} = {{ level = \"{level}\" }}"));
        }
        cases.push(format!("[lints]\n{name} = 1"));
        cases.push(format!("[lints]\n{name} = {{}}"));
        cases.push(format!("[lints]\n{name} = {{ nope = 1 }}"));
        for option in rule.options {
            let rate = option.kind == camp_core::lint::OptionKind::Rate;
            let option = option.name;
            for value in [
                "\"25%\"",
                "\"25.5%\"",
                "\" 25 %\"",
                "\"0.5%\"",
                "\"100%\"",
                "\"25\"",
                "\"abc%\"",
                "\"-5%\"",
                "\"0%\"",
                "\"0.0%\"",
                "\"150%\"",
                "\"100.5%\"",
                "\"100.0%\"",
                "\"100.%\"",
                "\"025%\"",
                "\".5%\"",
                "\"5.%\"",
                "\"1_0%\"",
                "\"1__0%\"",
                "\"1_%\"",
                "\"12.5_0%\"",
                "\"+5%\"",
                "\"1e1%\"",
                "\"0.00001%\"",
                "\"00.5%\"",
                "\"99.99%\"",
                "\"%\"",
                "\".%\"",
                "90",
                "0",
                "-1",
                "1.5",
                "true",
            ] {
                let case = format!("[lints]\n{name} = {{ {option} = {value} }}");
                if rate && out_of_range.contains(&value) {
                    range_only.push(case.clone());
                }
                cases.push(case);
            }
        }
    }
    let mut disagree = Vec::new();
    for case in &cases {
        let by_schema = validates(&validator, case);
        let by_campc = toml::from_str::<camp_fs::Manifest>(case)
            .is_ok_and(|manifest| camp_core::lint::LintConfig::from_table(&manifest.lints).is_ok());
        if range_only.contains(case) {
            if !by_schema || by_campc {
                disagree.push(format!(
                    "{case:?}: out of range, schema {by_schema}, campc {by_campc}"
                ));
            }
        } else if by_schema != by_campc {
            disagree.push(format!("{case:?}: schema {by_schema}, campc {by_campc}"));
        }
    }
    assert!(disagree.is_empty(), "\n{}\n", disagree.join("\n"));
    assert!(cases.len() > 300, "{}", cases.len());
    assert!(!range_only.is_empty(), "no rate option");
}

/// The VS Code extension hands the schema to Even Better TOML, from the
/// copy its build makes of `docs/camp.toml.schema.json`.
#[test]
fn the_vscode_extension_associates_the_schema_with_camp_toml() {
    let folder = repo().join("lsp/editors/vscode");
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("package.json")).unwrap())
            .unwrap();
    assert_eq!(
        package["contributes"]["tomlValidation"],
        serde_json::json!([{"fileMatch": "camp.toml", "url": "./schemas/camp.toml.schema.json"}])
    );
    let compile = package["scripts"]["compile"].as_str().unwrap();
    assert!(compile.contains("node scripts/copy-schema.js"), "{compile}");
    let script = std::fs::read_to_string(folder.join("scripts/copy-schema.js")).unwrap();
    assert!(
        script.contains("'docs', 'camp.toml.schema.json'")
            && script.contains("'schemas', 'camp.toml.schema.json'"),
        "{script}"
    );
    let ci = std::fs::read_to_string(folder.join("ci.sh")).unwrap();
    assert!(
        ci.contains("\"extension/schemas/camp.toml.schema.json\""),
        "the .vsix check requires the schema"
    );
}

// ---------------------------------------------------------------------
// Shell completions and the man page (item 15)

#[test]
fn completions_for_every_shell_name_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = campc(&["completions", shell]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        for word in [
            "check",
            "build",
            "fmt",
            "rules",
            "config-schema",
            "completions",
            "man",
            // Fish writes long flags without their dashes.
            "fix",
            "stdin-filepath",
            "write-baseline",
        ] {
            assert!(script.contains(word), "{shell}: no `{word}`");
        }
    }
    let output = campc(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_for_campc() {
    let output = campc(&["man"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.contains(".TH campc 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
    ] {
        assert!(page.contains(section), "no `{section}` in {page}");
    }
    assert!(page.contains("SOURCE_DATE_EPOCH"), "{page}");
    assert_eq!(page.matches(".ds Aq").count(), 2, "one apostrophe preamble");

    let scratch = tempfile::tempdir().unwrap();
    let folder = scratch.path().join("man1");
    let output = campc(&["man", "--out", folder.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(folder.join("campc.1")).unwrap(),
        page
    );
    let check = std::fs::read_to_string(folder.join("campc-check.1")).unwrap();
    assert!(check.contains(".TH campc-check 1"), "{check}");
    assert!(check.contains("\\-\\-fix"), "{check}");
    assert!(folder.join("campc-fmt.1").is_file());
    assert!(!folder.join("campc-help.1").exists());
}

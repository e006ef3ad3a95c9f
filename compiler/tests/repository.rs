//! What a user's clone of the repository must hold and say: the install
//! command, the licence, what git ignores, and CI files (the GitHub
//! Action, the example workflow, the pre-commit hooks) that work from a
//! plain checkout, naming only refs and paths that exist.
//!
//! The YAML files are read line by line: the few keys checked here are
//! simple scalars, and a YAML parser would be a dependency for nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The files users read or copy that name commands, refs and paths.
const USER_FILES: [&str; 5] = [
    "README.md",
    "action.yml",
    "docs/ci/github-workflow.yml",
    ".pre-commit-hooks.yaml",
    "docs/tutorial.md",
];

/// `owner/name` of the repository, from the workspace's `repository` URL.
fn repository_slug() -> String {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let url = manifest["workspace"]["package"]["repository"]
        .as_str()
        .unwrap()
        .to_string();
    url.strip_prefix("https://github.com/")
        .unwrap_or_else(|| panic!("the repository URL `{url}` is not on GitHub"))
        .trim_end_matches('/')
        .to_string()
}

/// The package a `--path` names must build the binary the text says.
fn assert_builds_binary(path: &Path, binary: &str, place: &str) {
    let manifest: toml::Table = toml::from_str(
        &std::fs::read_to_string(path.join("Cargo.toml"))
            .unwrap_or_else(|_| panic!("{place}: `{}` holds no Cargo.toml", path.display())),
    )
    .unwrap();
    let bins = manifest
        .get("bin")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    assert!(
        bins.iter()
            .any(|bin| bin.get("name").and_then(toml::Value::as_str) == Some(binary)),
        "{place}: `{}` builds no `{binary}` binary",
        path.display()
    );
}

#[test]
fn every_cargo_install_is_locked_and_names_a_package_of_the_repository() {
    let mut installs = 0;
    for file in USER_FILES {
        for (index, line) in read(file).lines().enumerate() {
            let Some(at) = line.find("cargo install") else {
                continue;
            };
            let place = format!("{file}:{}", index + 1);
            let command = line[at..].replace("${{ github.action_path }}", "ACTION_PATH");
            // A command may wrap onto the next line in prose; the words
            // that matter are on this one.
            assert!(
                command.contains("--locked"),
                "{place}: `cargo install` without `--locked` builds with whatever versions crates.io has today: `{line}`"
            );
            let path = command
                .split_whitespace()
                .skip_while(|word| *word != "--path")
                .nth(1)
                .unwrap_or_else(|| panic!("{place}: `cargo install` without `--path`: `{line}`"))
                .trim_matches(['"', '`', '.', ',', ')']);
            // The action's checkout is this repository.
            let path = repo().join(path.trim_start_matches("ACTION_PATH/"));
            let binary = if path.ends_with("lsp") {
                "camp-lsp"
            } else {
                "campc"
            };
            assert_builds_binary(&path, binary, &place);
            installs += 1;
        }
    }
    assert!(installs >= 3, "only {installs} install commands found");
    assert!(
        read("README.md").contains("cargo install --locked --path compiler"),
        "the README's install section gives the command"
    );
}

#[test]
fn the_readme_says_how_long_the_first_build_takes() {
    let readme = read("README.md");
    let install = &readme[readme.find("## On a fresh machine").unwrap()..];
    let install = &install[..install.find("\n## ").unwrap()];
    assert!(
        install.contains("two cores") && install.contains("minutes"),
        "the install section says how long the first build takes on two cores:\n{install}"
    );
}

/// The Apache License 2.0, exactly as the Apache Software Foundation
/// publishes it (`LICENSE-2.0.txt`), which `Cargo.toml` declares.
#[test]
fn the_licence_is_the_one_cargo_toml_declares() {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    assert_eq!(
        manifest["workspace"]["package"]["license"].as_str(),
        Some("Apache-2.0")
    );
    let licence = std::fs::read(repo().join("LICENSE")).expect("a LICENSE file at the root");
    assert_eq!(
        format!("{:x}", Sha256::digest(&licence)),
        "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30",
        "LICENSE is not the Apache License 2.0 text"
    );
}

#[test]
fn git_ignores_build_output_and_extension_packages() {
    let root = repo();
    let mut builder = ignore::gitignore::GitignoreBuilder::new(&root);
    assert!(builder.add(root.join(".gitignore")).is_none());
    let gitignore = builder.build().unwrap();
    for (path, is_dir) in [
        ("build", true),
        ("build/ir/manifest.json", false),
        ("lsp/editors/vscode/camp-0.1.0.vsix", false),
        ("camp-0.1.0.vsix", false),
        ("target", true),
    ] {
        assert!(
            gitignore
                .matched_path_or_any_parents(root.join(path), is_dir)
                .is_ignore(),
            "`{path}` is not ignored by .gitignore"
        );
    }
    for kept in ["docs/language.md", "compiler/src/lib.rs", "LICENSE"] {
        assert!(
            !gitignore
                .matched_path_or_any_parents(root.join(kept), false)
                .is_ignore(),
            "`{kept}` must stay tracked"
        );
    }
}

/// Whether `rev` names a commit of this repository: `main`, or a full
/// commit SHA that the history holds (checked when git and the history are
/// there, as in CI's clone).
fn ref_problem(rev: &str) -> Option<String> {
    if rev == "main" {
        return None;
    }
    if rev.len() != 40 || !rev.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Some(format!(
            "`{rev}` is neither `main` nor a full commit SHA (the repository has no release tags)"
        ));
    }
    let known = Command::new("git")
        .args(["cat-file", "-e", &format!("{rev}^{{commit}}")])
        .current_dir(repo())
        .status();
    match known {
        Ok(status) if !status.success() => Some(format!("`{rev}` is no commit of this repository")),
        _ => None,
    }
}

#[test]
fn the_refs_users_are_told_to_use_exist() {
    let slug = repository_slug();
    let uses = format!("{slug}@");
    let mut found = 0;
    for file in USER_FILES {
        let text = read(file);
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let place = format!("{file}:{}", index + 1);
            for (at, _) in line.match_indices(&uses) {
                let rev: String = line[at + uses.len()..]
                    .chars()
                    .take_while(|ch| {
                        ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_' | '/')
                    })
                    .collect();
                if let Some(problem) = ref_problem(&rev) {
                    panic!("{place}: {problem}");
                }
                found += 1;
            }
            // pre-commit: `repo: …/<slug>` followed by `rev: …`.
            if line.contains(&format!("github.com/{slug}"))
                && line
                    .trim_start_matches(['#', ' ', '-'])
                    .starts_with("repo:")
            {
                let rev = lines
                    .get(index + 1)
                    .and_then(|next| next.trim_start_matches(['#', ' ']).strip_prefix("rev:"))
                    .unwrap_or_else(|| panic!("{place}: `repo:` without `rev:` on the next line"))
                    .trim();
                if let Some(problem) = ref_problem(rev) {
                    panic!("{}:{}: {problem}", file, index + 2);
                }
                found += 1;
            }
        }
    }
    assert!(found >= 3, "only {found} references to `{slug}` found");
}

#[test]
fn the_action_builds_campc_from_its_own_checkout_and_checks_formatting() {
    let action = read("action.yml");
    assert!(
        action.contains(r#"cargo install --locked --path "${{ github.action_path }}/compiler""#),
        "the action builds campc from the checkout GitHub made of it"
    );
    let run_lines: Vec<&str> = action
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("campc "))
        .collect();
    for needed in ["campc check ", "campc fmt --check "] {
        assert!(
            run_lines.iter().any(|line| line.starts_with(needed)),
            "the action runs `{}`: {run_lines:?}",
            needed.trim()
        );
    }
    let workflow = read("docs/ci/github-workflow.yml");
    assert!(
        workflow.contains(&format!("uses: {}@", repository_slug())),
        "the example workflow uses the action"
    );
}

#[test]
fn the_pre_commit_hooks_run_commands_campc_has() {
    let hooks = read(".pre-commit-hooks.yaml");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|line| line.trim().strip_prefix("entry:"))
        .map(str::trim)
        .collect();
    assert_eq!(entries, ["campc check", "campc fmt"]);
    for entry in entries {
        let subcommand = entry.split_whitespace().nth(1).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_campc"))
            .args([subcommand, "--help"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`campc {subcommand}` does not exist"
        );
    }
}

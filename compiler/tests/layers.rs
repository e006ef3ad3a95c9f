//! The layers are crates, and these tests keep each one's dependencies
//! within what its layer may use, read from `cargo metadata` (the resolved
//! graph of the lock file for this machine's platform, offline):
//!
//! - `camp-lang` and `camp-ir` are the language's words and the data
//!   format runtimes read: no parser, no diagnostics renderer, no command
//!   line, nothing of the compiler.
//! - `camp-eval`, the reference evaluator, reads the IR (`camp-ir`) and
//!   nothing of the compiler either.
//! - `camp-core` does no IO and makes no program's choices: no command
//!   line, no folder walking, no progress bars, no temporary files, no
//!   allocator, no terminal renderer.
//! - Only `camp-fs` touches the disk; only `campc` parses arguments.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Package name → the names of its normal and build dependencies (not
/// dev-dependencies), from the resolved graph.
///
/// The graph is this machine's platform's (`--filter-platform`): offline,
/// `cargo metadata` can only read packages already downloaded, and a fresh
/// machine that built the workspace has only its own platform's (not,
/// say, `windows-sys`). None of the workspace's crates has
/// platform-specific dependencies of its own.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| String::from("rustc"));
    let host = Command::new(rustc)
        .args(["--print", "host-tuple"])
        .output()
        .unwrap();
    assert!(host.status.success(), "rustc --print host-tuple failed");
    let host = String::from_utf8(host.stdout).unwrap();
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", host.trim()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            (
                package["id"].as_str().unwrap(),
                package["name"].as_str().unwrap(),
            )
        })
        .collect();
    let mut graph = BTreeMap::new();
    for node in metadata["resolve"]["nodes"].as_array().unwrap() {
        let name = names[node["id"].as_str().unwrap()].to_string();
        let deps: BTreeSet<String> = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|dep| {
                dep["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|kind| kind["kind"].as_str() != Some("dev"))
            })
            .map(|dep| names[dep["pkg"].as_str().unwrap()].to_string())
            .collect();
        graph.entry(name).or_insert_with(BTreeSet::new).extend(deps);
    }
    graph
}

/// Every package `root` depends on, directly or not.
fn closure(graph: &BTreeMap<String, BTreeSet<String>>, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_string()];
    while let Some(name) = stack.pop() {
        for dep in graph.get(&name).into_iter().flatten() {
            if seen.insert(dep.clone()) {
                stack.push(dep.clone());
            }
        }
    }
    seen
}

fn forbidden_in(root: &str, forbidden: &[&str]) -> Vec<String> {
    let closure = closure(&graph(), root);
    forbidden
        .iter()
        .filter(|name| closure.contains(**name))
        .map(|name| name.to_string())
        .collect()
}

const COMPILER_CRATES: [&str; 4] = ["camp-core", "camp-fs", "campc", "camp-lsp"];

#[test]
fn the_language_crate_is_below_everything() {
    let mut forbidden = vec!["pest", "pest_derive", "miette", "clap", "camp-ir"];
    forbidden.extend(COMPILER_CRATES);
    assert_eq!(forbidden_in("camp-lang", &forbidden), Vec::<String>::new());
}

#[test]
fn the_ir_crate_has_no_parser_renderer_or_command_line() {
    let mut forbidden = vec!["pest", "pest_derive", "miette", "clap", "ignore"];
    forbidden.extend(COMPILER_CRATES);
    assert_eq!(forbidden_in("camp-ir", &forbidden), Vec::<String>::new());
}

#[test]
fn the_evaluator_reads_only_the_ir() {
    assert!(
        graph()["camp-eval"].contains("camp-ir"),
        "camp-eval should depend on camp-ir"
    );
    let mut forbidden = vec!["pest", "pest_derive", "miette", "clap", "ignore"];
    forbidden.extend(COMPILER_CRATES);
    assert_eq!(forbidden_in("camp-eval", &forbidden), Vec::<String>::new());
}

#[test]
fn the_core_does_no_io_and_makes_no_program_choices() {
    let forbidden = [
        "clap",
        "ignore",
        "indicatif",
        "tempfile",
        "mimalloc",
        "miette",
        "rustix",
        "camp-fs",
        "campc",
        "camp-lsp",
    ];
    assert_eq!(forbidden_in("camp-core", &forbidden), Vec::<String>::new());
}

#[test]
fn only_campc_parses_arguments_and_the_server_is_not_built_on_it() {
    for root in ["camp-fs", "camp-lsp"] {
        assert_eq!(
            forbidden_in(root, &["clap", "campc", "indicatif"]),
            Vec::<String>::new(),
            "{root}"
        );
    }
}

/// The example generator in Rust (`examples/generators/rust`) stands on
/// the IR crate alone, as a runtime team's generator would.
#[test]
fn the_rust_generator_depends_on_the_ir_crate_alone() {
    let graph = graph();
    assert!(
        graph
            .get("camp-gen-limits")
            .is_some_and(|deps| deps.contains("camp-ir")),
        "camp-gen-limits should depend on camp-ir"
    );
    let closure = closure(&graph, "camp-gen-limits");
    let found: Vec<&str> = ["camp-core", "camp-fs", "campc", "camp-lsp", "pest", "clap"]
        .into_iter()
        .filter(|name| closure.contains(*name))
        .collect();
    assert_eq!(found, Vec::<&str>::new());
}

/// The check above must be able to fail: the graph it reads holds the
/// crates it forbids elsewhere.
#[test]
fn the_graph_is_the_real_one() {
    let campc = closure(&graph(), "campc");
    for name in [
        "camp-core",
        "camp-ir",
        "camp-lang",
        "camp-fs",
        "clap",
        "pest",
    ] {
        assert!(campc.contains(name), "campc should depend on {name}");
    }
}

//! The committed `src/` is what `tree-sitter generate` makes of `grammar.js`.
//!
//! Nothing in a build or in CI regenerates the parser, so a `grammar.js`
//! changed without regenerating would go unnoticed by the other tests as
//! long as the old parser still parses the files. This test regenerates into
//! a temporary folder and compares; it needs the tree-sitter CLI
//! (`cargo install tree-sitter-cli --locked`), and where the CLI is not
//! installed (CI) it says so and checks nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

const GENERATED: [&str; 6] = [
    "src/parser.c",
    "src/grammar.json",
    "src/node-types.json",
    "src/tree_sitter/parser.h",
    "src/tree_sitter/alloc.h",
    "src/tree_sitter/array.h",
];

#[test]
fn the_committed_parser_is_generated_from_grammar_js() {
    let cli = std::env::var_os("TREE_SITTER").unwrap_or_else(|| "tree-sitter".into());
    let Ok(version) = Command::new(&cli).arg("--version").output() else {
        println!("skipped: no tree-sitter CLI on PATH, the committed parser is not compared");
        return;
    };
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());

    let grammar = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    for file in ["grammar.js", "tree-sitter.json"] {
        std::fs::copy(grammar.join(file), work.path().join(file)).unwrap();
    }
    let output = Command::new(&cli)
        .arg("generate")
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tree-sitter generate failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let stale: Vec<&str> = GENERATED
        .into_iter()
        .filter(|file| {
            let committed = std::fs::read(grammar.join(file)).unwrap_or_default();
            let generated = std::fs::read(work.path().join(file)).unwrap_or_default();
            committed != generated
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{stale:?} differ from what grammar.js generates: run `tree-sitter generate` in \
         grammar/tree-sitter-camp and commit src/"
    );
}

//! The editor queries and configurations.
//!
//! - Every query file (the canonical ones in `queries/` and every editor's)
//!   compiles against the grammar.
//! - The editor copies are current: Neovim's are identical to `queries/`;
//!   Helix's and Zed's are generated from it with their capture names. Run
//!   `UPDATE_EDITOR_QUERIES=1 cargo test -p tree-sitter-camp --test queries`
//!   after changing `queries/` and commit the result.
//! - The highlights leave no token of a file uncaptured and capture no node
//!   twice (so the order of patterns, which the editors read differently,
//!   does not matter), and their result on `test/samples/every_form.camp`
//!   is a reviewed snapshot.
//! - The Helix and Zed configurations point at files and folders that exist.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Query, QueryCursor, StreamingIterator};

const UPDATE: &str = "UPDATE_EDITOR_QUERIES";

/// The canonical queries, with Neovim's capture names.
const QUERIES: [&str; 4] = ["highlights", "locals", "folds", "indents"];

/// Helix's name for each capture of the canonical highlights and indents
/// (its themes use TextMate-like scopes).
const HELIX: &[(&str, &str)] = &[
    ("boolean", "constant.builtin.boolean"),
    ("comment", "comment.line"),
    ("comment.documentation", "comment.line.documentation"),
    ("constant", "constant"),
    ("constant.builtin", "constant.builtin"),
    ("function", "function"),
    ("function.call", "function"),
    ("keyword", "keyword"),
    ("keyword.type", "keyword.storage.type"),
    ("number", "constant.numeric"),
    ("operator", "operator"),
    ("property", "variable.other.member"),
    ("punctuation.bracket", "punctuation.bracket"),
    ("punctuation.delimiter", "punctuation.delimiter"),
    ("string", "string"),
    ("string.escape", "constant.character.escape"),
    ("string.special", "string.special"),
    ("type", "type"),
    ("type.builtin", "type.builtin"),
    ("variable", "variable"),
    ("variable.parameter", "variable.parameter"),
    // indents.scm
    ("indent.begin", "indent"),
    ("indent.branch", "outdent"),
];

/// Zed's name for each capture of the canonical highlights (the keys of
/// its themes' `syntax` map).
const ZED: &[(&str, &str)] = &[
    ("boolean", "boolean"),
    ("comment", "comment"),
    ("comment.documentation", "comment.doc"),
    ("constant", "constant"),
    ("constant.builtin", "constant.builtin"),
    ("function", "function"),
    ("function.call", "function"),
    ("keyword", "keyword"),
    ("keyword.type", "keyword"),
    ("number", "number"),
    ("operator", "operator"),
    ("property", "property"),
    ("punctuation.bracket", "punctuation.bracket"),
    ("punctuation.delimiter", "punctuation.delimiter"),
    ("string", "string"),
    ("string.escape", "string.escape"),
    ("string.special", "string.special"),
    ("type", "type"),
    ("type.builtin", "type.builtin"),
    ("variable", "variable"),
    ("variable.parameter", "variable.parameter"),
];

fn grammar_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn repository_root() -> PathBuf {
    grammar_dir().join("../..")
}

fn editors() -> PathBuf {
    repository_root().join("lsp/editors")
}

fn language() -> Language {
    tree_sitter_camp::LANGUAGE.into()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn canonical(name: &str) -> String {
    read(&grammar_dir().join(format!("queries/{name}.scm")))
}

/// `text` with every capture `@name` renamed through `map`; panics on a
/// capture the map does not name, so that a new capture needs a decision
/// for every editor.
fn rename_captures(text: &str, map: &[(&str, &str)], file: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        // A capture in a comment line is prose, kept as it is.
        let line_start = out.rfind('\n').map_or(0, |index| index + 1);
        if out[line_start..].trim_start().starts_with(';') || name.starts_with('_') {
            out.push('@');
            out.push_str(name);
        } else {
            let Some((_, renamed)) = map.iter().find(|(from, _)| *from == name) else {
                panic!("{file}: capture `@{name}` has no name for this editor: add it to the map");
            };
            out.push('@');
            out.push_str(renamed);
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

fn generated_header(source: &str, editor: &str) -> String {
    format!(
        "; Generated from grammar/tree-sitter-camp/queries/{source}.scm with {editor}'s\n\
         ; capture names by grammar/tree-sitter-camp/bindings/rust/tests/queries.rs.\n\
         ; Do not edit: change the source and run\n\
         ; `{UPDATE}=1 cargo test -p tree-sitter-camp --test queries`.\n\n"
    )
}

/// Every editor copy of a canonical query: (path, expected content).
fn editor_copies() -> Vec<(PathBuf, String)> {
    let editors = editors();
    let mut copies = Vec::new();
    for name in QUERIES {
        copies.push((
            editors.join(format!("neovim/queries/camp/{name}.scm")),
            canonical(name),
        ));
    }
    for name in ["highlights", "indents"] {
        let text = rename_captures(&canonical(name), HELIX, name);
        copies.push((
            editors.join(format!("helix/runtime/queries/camp/{name}.scm")),
            generated_header(name, "Helix") + &text,
        ));
    }
    let text = rename_captures(&canonical("highlights"), ZED, "highlights");
    copies.push((
        editors.join("zed/languages/camp/highlights.scm"),
        generated_header("highlights", "Zed") + &text,
    ));
    copies
}

#[test]
fn editor_query_copies_are_current() {
    let update = std::env::var_os(UPDATE).is_some();
    let mut stale = Vec::new();
    for (path, expected) in editor_copies() {
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &expected).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != expected {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale editor queries (run `{UPDATE}=1 cargo test -p tree-sitter-camp --test queries` and commit):\n{}",
        stale.join("\n")
    );
}

/// Every `.scm` file below `dir`.
fn query_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            query_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "scm") {
            out.push(path);
        }
    }
}

#[test]
fn every_query_compiles() {
    let mut files = Vec::new();
    query_files(&grammar_dir().join("queries"), &mut files);
    query_files(&editors().join("neovim/queries"), &mut files);
    query_files(&editors().join("helix/runtime/queries"), &mut files);
    query_files(&editors().join("zed/languages"), &mut files);
    files.sort();
    // 4 canonical, 4 Neovim, 2 Helix, and Zed's highlights, brackets,
    // indents and outline.
    assert_eq!(files.len(), 14, "{files:#?}");
    let language = language();
    let mut errors = Vec::new();
    for path in &files {
        if let Err(error) = Query::new(&language, &read(path)) {
            errors.push(format!("{}: {error}", path.display()));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// For each node captured by the highlights: its captures, and the leaf
/// tokens that no capture covers.
struct Highlights {
    captures: BTreeMap<usize, Vec<(tree_sitter::Range, String)>>,
    uncovered: Vec<String>,
}

fn highlights(text: &str) -> Highlights {
    let language = language();
    let query = Query::new(&language, &canonical("highlights")).unwrap();
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language).unwrap();
    let tree = parser.parse(text, None).unwrap();
    let mut cursor = QueryCursor::new();
    let mut captures: BTreeMap<usize, Vec<(tree_sitter::Range, String)>> = BTreeMap::new();
    let mut matches = cursor.matches(&query, tree.root_node(), text.as_bytes());
    while let Some(found) = matches.next() {
        for capture in found.captures() {
            captures.entry(capture.node.id()).or_default().push((
                capture.node.range(),
                query.capture_names()[capture.index as usize].to_string(),
            ));
        }
    }
    // Leaves (and zero-child named nodes) with no capture on them or on an
    // ancestor.
    let mut uncovered = Vec::new();
    let mut stack = vec![(tree.root_node(), false)];
    while let Some((node, covered)) = stack.pop() {
        let covered = covered || captures.contains_key(&node.id());
        if node.child_count() == 0 {
            if !covered && !node.byte_range().is_empty() {
                let at = node.start_position();
                uncovered.push(format!(
                    "{}:{} {:?} ({})",
                    at.row + 1,
                    at.column + 1,
                    &text[node.byte_range()],
                    node.kind()
                ));
            }
            continue;
        }
        let mut walk = node.walk();
        for child in node.children(&mut walk) {
            stack.push((child, covered));
        }
    }
    Highlights {
        captures,
        uncovered,
    }
}

/// Files the highlight checks run on: the examples and the sample.
fn highlighted_files() -> Vec<PathBuf> {
    let root = repository_root();
    let mut files = vec![grammar_dir().join("test/samples/every_form.camp")];
    for folder in ["examples/platform", "examples/incident-2025-01-16"] {
        let mut stack = vec![root.join(folder)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|ext| ext == "camp") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_token_is_highlighted_once() {
    let mut problems = Vec::new();
    for path in highlighted_files() {
        let found = highlights(&read(&path));
        for uncovered in &found.uncovered {
            problems.push(format!("{}: no capture for {uncovered}", path.display()));
        }
        for captures in found.captures.values() {
            let names: BTreeSet<&str> = captures.iter().map(|(_, name)| name.as_str()).collect();
            if captures.len() > 1 {
                let at = captures[0].0.start_point;
                problems.push(format!(
                    "{}:{}:{}: captured by {} patterns: {names:?}",
                    path.display(),
                    at.row + 1,
                    at.column + 1,
                    captures.len()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn highlights_of_every_form() {
    let path = grammar_dir().join("test/samples/every_form.camp");
    let text = read(&path);
    let found = highlights(&text);
    let mut lines: Vec<(tree_sitter::Point, String)> = found
        .captures
        .values()
        .flatten()
        .map(|(range, name)| {
            let snippet = &text[range.start_byte..range.end_byte];
            let snippet = snippet.lines().next().unwrap_or("");
            (
                range.start_point,
                format!(
                    "{:>3}:{:<3} {:<28} {snippet}",
                    range.start_point.row + 1,
                    range.start_point.column + 1,
                    format!("@{name}")
                ),
            )
        })
        .collect();
    lines.sort();
    let listing: Vec<String> = lines.into_iter().map(|(_, line)| line).collect();
    insta::assert_snapshot!(listing.join("\n"));
}

// ---------------------------------------------------------------- editor configurations

fn toml_file(path: &Path) -> toml::Table {
    read(path)
        .parse::<toml::Table>()
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn string<'a>(table: &'a toml::Table, key: &str) -> &'a str {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("no string `{key}` in {table:?}"))
}

fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .unwrap_or_else(|| panic!("no array `{key}` in {table:?}"))
        .iter()
        .map(|value| value.as_str().unwrap().to_string())
        .collect()
}

fn is_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// The repository URL the workspace declares.
fn workspace_repository() -> String {
    let workspace = toml_file(&repository_root().join("Cargo.toml"));
    let package = workspace["workspace"]["package"].as_table().unwrap();
    string(package, "repository").to_string()
}

/// The pinned grammar of one editor: (repository, commit, subpath).
fn check_grammar_source(editor: &str, repository: &str, rev: &str, subpath: &str) {
    assert_eq!(
        repository,
        workspace_repository(),
        "{editor}: grammar repository"
    );
    assert!(is_commit(rev), "{editor}: `{rev}` is not a commit");
    assert_eq!(
        subpath, "grammar/tree-sitter-camp",
        "{editor}: grammar subpath"
    );
    let src = repository_root().join(subpath).join("src");
    for file in ["parser.c", "tree_sitter/parser.h"] {
        assert!(
            src.join(file).is_file(),
            "{editor}: no {subpath}/src/{file}"
        );
    }
}

#[test]
fn helix_languages_toml_names_the_server_grammar_and_queries() {
    let helix = editors().join("helix");
    let config = toml_file(&helix.join("languages.toml"));

    let languages = config["language"].as_array().unwrap();
    assert_eq!(languages.len(), 1);
    let camp = languages[0].as_table().unwrap();
    assert_eq!(string(camp, "name"), "camp");
    assert_eq!(string(camp, "scope"), "source.camp");
    assert_eq!(strings(camp, "file-types"), ["camp"]);
    assert_eq!(strings(camp, "roots"), ["camp.toml"]);
    assert_eq!(string(camp, "comment-token"), "//");
    assert_eq!(strings(camp, "language-servers"), ["camp-lsp"]);

    let server = config["language-server"]["camp-lsp"].as_table().unwrap();
    assert_eq!(string(server, "command"), "camp-lsp");

    let grammars = config["grammar"].as_array().unwrap();
    assert_eq!(grammars.len(), 1);
    let grammar = grammars[0].as_table().unwrap();
    assert_eq!(string(grammar, "name"), "camp");
    let source = grammar["source"].as_table().unwrap();
    check_grammar_source(
        "helix",
        string(source, "git"),
        string(source, "rev"),
        string(source, "subpath"),
    );

    // Helix looks for `runtime/queries/<language name>/`.
    for query in ["highlights", "indents"] {
        let path = helix.join(format!("runtime/queries/camp/{query}.scm"));
        assert!(path.is_file(), "no {}", path.display());
    }
}

#[test]
fn zed_extension_names_the_server_grammar_and_language() {
    let zed = editors().join("zed");
    let extension = toml_file(&zed.join("extension.toml"));
    assert_eq!(string(&extension, "id"), "camp");
    assert_eq!(string(&extension, "repository"), workspace_repository());

    let grammar = extension["grammars"]["camp"].as_table().unwrap();
    check_grammar_source(
        "zed",
        string(grammar, "repository"),
        string(grammar, "rev"),
        string(grammar, "path"),
    );

    let server = extension["language_servers"]["camp-lsp"]
        .as_table()
        .unwrap();
    assert_eq!(strings(server, "languages"), ["Camp"]);

    let language = toml_file(&zed.join("languages/camp/config.toml"));
    assert_eq!(string(&language, "name"), "Camp");
    assert_eq!(string(&language, "grammar"), "camp");
    assert_eq!(strings(&language, "path_suffixes"), ["camp"]);
    assert_eq!(strings(&language, "line_comments"), ["// "]);

    // The extension's crate launches the server by the name it declares.
    let lib = read(&zed.join("src/lib.rs"));
    assert!(
        lib.contains("\"camp-lsp\""),
        "src/lib.rs does not look for camp-lsp"
    );
    let cargo = toml_file(&zed.join("Cargo.toml"));
    assert!(cargo["dependencies"].get("zed_extension_api").is_some());
    assert_eq!(
        cargo["lib"]["crate-type"].as_array().unwrap()[0].as_str(),
        Some("cdylib")
    );
}

/// The pinned commit's node types are the current ones, so the queries
/// shipped to Helix and Zed match the parser those editors build. When the
/// commit is not in this clone (a shallow clone, no git), says so and
/// checks nothing more.
#[test]
fn the_pinned_grammar_has_the_current_node_types() {
    let zed = toml_file(&editors().join("zed/extension.toml"));
    let rev = string(zed["grammars"]["camp"].as_table().unwrap(), "rev");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(repository_root())
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
    };
    if git(&["cat-file", "-e", &format!("{rev}^{{commit}}")]).is_none() {
        println!("skipped: commit {rev} is not in this clone (or no git)");
        return;
    }
    let pinned = git(&[
        "show",
        &format!("{rev}:grammar/tree-sitter-camp/src/node-types.json"),
    ])
    .unwrap_or_else(|| panic!("commit {rev} has no grammar/tree-sitter-camp"));
    let current = read(&grammar_dir().join("src/node-types.json"));
    assert!(
        String::from_utf8_lossy(&pinned.stdout) == current,
        "the grammar's node types changed since the pinned commit {rev}: once the change is \
         committed, set `rev` in lsp/editors/helix/languages.toml and lsp/editors/zed/extension.toml \
         to that commit"
    );
}

#[test]
fn helix_and_zed_pin_the_same_grammar_commit() {
    let helix = toml_file(&editors().join("helix/languages.toml"));
    let zed = toml_file(&editors().join("zed/extension.toml"));
    let helix_rev = string(
        helix["grammar"].as_array().unwrap()[0]["source"]
            .as_table()
            .unwrap(),
        "rev",
    );
    let zed_rev = string(zed["grammars"]["camp"].as_table().unwrap(), "rev");
    assert_eq!(helix_rev, zed_rev);
}

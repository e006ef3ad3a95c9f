//! The tree-sitter grammar against `campc`'s own parser, on every `.camp`
//! file of the repository.
//!
//! The invariant: a file that the compiler's parser (camp.pest) accepts
//! parses here with no ERROR or MISSING node. "Accepts" means no error from
//! decoding, the look-alike pre-scan or the grammar (E0101–E0105, E0108);
//! E0106 (an unknown escape) and E0107 (a number too large) are errors in
//! values the grammar accepted, so their files are held to the invariant.
//!
//! A file campc parses with no error at all has as many top-level
//! declarations here as campc has items.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r`: each file campc accepts is
//! checked again with every line ending turned into a lone `\r`.
//!
//! The other way round, as a guard against a grammar that accepts anything:
//! a file whose text campc refuses (E0103 look-alike, E0104 non-ASCII
//! outside a string, E0105 syntax, and the E0207 that names a currency code
//! not in capitals, `cny 5.00`, which campc reports for a grammar error;
//! E0207 for an unknown code in capitals comes from the checker) has an
//! error in its tree here too. Files
//! with only a control character (E0108) are left out of both: the
//! pre-scan hides whether the grammar accepted them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use camp_core::error::CampError;
use camp_core::package::decode_source;
use camp_core::source::FileId;
use camp_core::syntax::parser::parse_file;

/// The folders whose `.camp` files are checked, from the repository root.
const ROOTS: [&str; 5] = [
    "examples",
    "grammar/tree-sitter-camp/test",
    "compiler/tests/fixtures",
    "lsp/tests/fixtures",
    "lsp/editors/vscode/test/grammar",
];

/// Errors that mean campc refused the text itself.
const REFUSED: [&str; 3] = ["E0103", "E0104", "E0105"];

/// Errors that hide whether the grammar accepted the text.
const UNKNOWN: [&str; 3] = ["E0101", "E0102", "E0108"];

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn camp_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "node_modules") {
                camp_files(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "camp") {
            out.push(path);
        }
    }
}

fn parser() -> tree_sitter::Parser {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_camp::LANGUAGE.into())
        .unwrap();
    parser
}

/// The first ERROR or MISSING node, as `line:column kind`, in document order.
fn first_error(tree: &tree_sitter::Tree) -> Option<String> {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let at = node.start_position();
            let what = if node.is_missing() {
                format!("MISSING {}", node.kind())
            } else {
                String::from("ERROR")
            };
            return Some(format!("{}:{} {what}", at.row + 1, at.column + 1));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

/// The top-level declarations (`scene_decl`, `campaign_decl`, …).
fn declarations(tree: &tree_sitter::Tree) -> usize {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .filter(|node| node.kind().ends_with("_decl"))
        .count()
}

/// What campc makes of one file.
enum Verdict {
    /// With the number of items, when campc reported no error at all.
    Accepted(Option<usize>),
    Refused(&'static str),
    Unknown(&'static str),
}

fn campc_verdict(bytes: &[u8]) -> (Verdict, Option<String>) {
    let text = match decode_source(FileId(0), bytes) {
        Ok(text) => text,
        Err(error) => return (Verdict::Unknown(error.code()), None),
    };
    let parsed = parse_file(FileId(0), &text);
    let codes: Vec<&'static str> = parsed.errors.iter().map(|error| error.code()).collect();
    let refused = parsed.errors.iter().find(|error| {
        REFUSED.contains(&error.code()) || matches!(error, CampError::LowercaseCurrency { .. })
    });
    let verdict = if let Some(error) = refused {
        Verdict::Refused(error.code())
    } else if let Some(code) = codes.iter().find(|code| UNKNOWN.contains(code)) {
        Verdict::Unknown(code)
    } else {
        Verdict::Accepted(codes.is_empty().then_some(parsed.file.items.len()))
    };
    (verdict, Some(text))
}

#[test]
fn every_file_campc_parses_parses_without_error_and_every_file_it_refuses_has_one() {
    let root = repository_root();
    let mut parser = parser();
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    for folder in ROOTS {
        let mut files = Vec::new();
        camp_files(&root.join(folder), &mut files);
        let (mut accepted, mut refused, mut unknown) = (0, 0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let shown = path.strip_prefix(&root).unwrap_or(path).display();
            let (verdict, text) = campc_verdict(&bytes);
            let tree = text.as_ref().map(|text| parser.parse(text, None).unwrap());
            let error = tree.as_ref().and_then(first_error);
            match verdict {
                Verdict::Accepted(items) => {
                    accepted += 1;
                    if let Some(text) = tree.as_ref().and(text.as_deref()) {
                        let cr = text.replace("\r\n", "\r").replace('\n', "\r");
                        let (cr_verdict, _) = campc_verdict(cr.as_bytes());
                        let cr_tree = parser.parse(&cr, None).unwrap();
                        let cr_declarations = declarations(&cr_tree);
                        match (cr_verdict, first_error(&cr_tree)) {
                            (Verdict::Accepted(_), Some(cr_error)) => problems.push(format!(
                                "{shown} with lone `\\r` line endings: campc parses it, tree-sitter has an error at {cr_error}"
                            )),
                            (Verdict::Accepted(Some(items)), None) if cr_declarations != items => {
                                problems.push(format!(
                                    "{shown} with lone `\\r` line endings: campc parses {items} items, tree-sitter {cr_declarations} declarations"
                                ));
                            }
                            _ => {}
                        }
                    }
                    if let Some(error) = error {
                        problems.push(format!(
                            "{shown}: campc parses it, tree-sitter has an error at {error}"
                        ));
                    } else if let (Some(items), Some(tree)) = (items, &tree) {
                        let declarations = declarations(tree);
                        if declarations != items {
                            problems.push(format!(
                                "{shown}: campc parses {items} items, tree-sitter {declarations} declarations"
                            ));
                        }
                    }
                }
                Verdict::Refused(code) => {
                    refused += 1;
                    if error.is_none() {
                        problems.push(format!(
                            "{shown}: campc refuses it ({code}), tree-sitter parses it"
                        ));
                    }
                }
                Verdict::Unknown(code) => {
                    unknown += 1;
                    println!("{shown}: not compared ({code})");
                }
            }
        }
        assert!(
            accepted > 0,
            "no file under {folder} that campc parses: the test would check nothing"
        );
        summary.push(format!(
            "{folder}: {accepted} parsed by both, {refused} refused by both, {unknown} not compared"
        ));
    }
    println!("{}", summary.join("\n"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

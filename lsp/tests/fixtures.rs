//! Editor requests from fixture files, with snapshots of the answers.
//!
//! Each `fixtures/NAME.camp` starts with `// lsp: METHOD` and marks the
//! cursor with `$0` (for requests at a position). It is checked as a file
//! of a package with `compiler/tests/fixtures/prelude.camp`; the answer is
//! snapshotted with the package folder written `$ROOT`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::{Client, package, uri};
use serde_json::{Value, json};

fn cursor(text: &str) -> Option<(u32, u32)> {
    let offset = text.find("$0")?;
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count() as u32;
    Some((line, column))
}

#[test]
fn every_fixture_answers_as_snapshotted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10);
    for fixture in fixtures {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let marked = std::fs::read_to_string(&fixture).unwrap();
        let method = marked
            .lines()
            .next()
            .unwrap()
            .strip_prefix("// lsp: ")
            .expect("a `// lsp: METHOD` line")
            .to_string();
        let at = cursor(&marked);
        let text = marked.replace("$0", "");

        let (scratch, path) = package();
        std::fs::write(&path, &text).unwrap();
        let mut client = Client::start(&["utf-16"]);
        let uri = uri(&path);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": text}}),
        );
        client.diagnostics(&uri);
        let document = json!({"uri": uri});
        let position = at.map(|(line, character)| json!({"line": line, "character": character}));
        let params = match method.as_str() {
            "textDocument/references" => {
                json!({"textDocument": document, "position": position, "context": {"includeDeclaration": true}})
            }
            "textDocument/rename" => {
                json!({"textDocument": document, "position": position, "newName": "renamed"})
            }
            "textDocument/inlayHint" => {
                json!({"textDocument": document, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}})
            }
            "textDocument/formatting" => {
                json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}})
            }
            _ if position.is_some() => json!({"textDocument": document, "position": position}),
            _ => json!({"textDocument": document}),
        };
        let answer = client.request(&method, params);
        client.stop();

        let root = uri.rsplit_once('/').unwrap().0.to_string();
        let shown = serde_json::to_string_pretty(&answer)
            .unwrap()
            .replace(&root, "file://$ROOT");
        let shown = sort_location_lists(&shown);
        insta::assert_snapshot!(name, format!("// {method} at {at:?}\n{shown}"));
        drop(scratch);
    }
}

/// References and rename edits come from a map or in discovery order:
/// sort them so the snapshot does not depend on either.
fn sort_location_lists(text: &str) -> String {
    let mut value: Value = serde_json::from_str(text).unwrap();
    if let Value::Array(items) = &mut value {
        items.sort_by_key(|item| item.to_string());
    }
    if let Some(Value::Object(changes)) = value.get_mut("changes") {
        for edits in changes.values_mut() {
            if let Value::Array(items) = edits {
                items.sort_by_key(|item| item.to_string());
            }
        }
    }
    serde_json::to_string_pretty(&value).unwrap()
}

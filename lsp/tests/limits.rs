//! What the server does not do: answer for a file outside its workspace,
//! walk past the packages it knows on a watched-file event, or take time
//! quadratic in a file's size for a whole-document request.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::{Client, package, uri};
use serde_json::{Value, json};

/// A campaign with one error (E0203, the fund's name misspelled).
const CAMPAIGN: &str = "campaign spring_coupon {\n  title: \"春节立减\"\n  owner: \"growth\"\n  fund: platform_marketng\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n  rollout {\n    stage segment qa_accounts for 30min\n    stage 100%\n  }\n  guard: halt when spend > CNY 500.00 per 1min\n}\n";

/// A package outside the workspace, with a file whose text must not
/// reach the client: its own error, and a name.
fn outside_package() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("camp.toml"),
        "[package]\nname = \"elsewhere\"\n",
    )
    .unwrap();
    let secret = scratch.path().join("secret.camp");
    std::fs::write(&secret, "segment secret_segment\nfund = broken\n").unwrap();
    (scratch, secret)
}

fn is_inside(uri: &str, folder: &Path) -> bool {
    uri.starts_with(&format!("{}/", common::uri(folder)))
}

/// The URIs the server published diagnostics for after notification
/// number `since`.
fn published_since(client: &Client, since: usize) -> Vec<String> {
    client.notifications[since..]
        .iter()
        .filter(|notification| notification.method == "textDocument/publishDiagnostics")
        .map(|notification| notification.params["uri"].as_str().unwrap().to_string())
        .collect()
}

/// Every document request the server handles, for `uri`.
fn document_requests(uri: &str) -> Vec<(&'static str, Value)> {
    let document = json!({"uri": uri});
    let at = json!({"textDocument": document, "position": {"line": 0, "character": 10}});
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}});
    vec![
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        ("textDocument/completion", at.clone()),
        (
            "textDocument/references",
            json!({"textDocument": document, "position": {"line": 0, "character": 10}, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": document, "position": {"line": 0, "character": 10}, "newName": "renamed"}),
        ),
        (
            "textDocument/documentSymbol",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/foldingRange",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": document, "range": range, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": document, "range": range}),
        ),
    ]
}

/// Requests about `/etc/passwd`, `/etc/shadow`, a `.camp` file of another
/// folder (named directly or through `..`) are refused with a reason, and
/// saving or changing them makes the server read or publish nothing; a
/// file of a workspace package never opened is answered.
#[test]
fn only_open_documents_and_workspace_packages_are_served() {
    let (workspace, coupon) = package();
    std::fs::write(&coupon, CAMPAIGN).unwrap();
    // A second package of the workspace, never opened.
    let other = workspace.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("camp.toml"), "[package]\nname = \"other\"\n").unwrap();
    std::fs::write(other.join("words.camp"), "segment loyal_customer\n").unwrap();
    let (outside, secret) = outside_package();
    // A file the server must never open: reading a named pipe with no
    // writer would block it for good.
    let pipe = outside.path().join("pipe.camp");
    #[cfg(unix)]
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap()
            .success()
    );

    let mut client = Client::start_in(&[workspace.path()]);
    let coupon_uri = client.open(&coupon, CAMPAIGN);
    assert_eq!(client.diagnostics(&coupon_uri)[0]["code"], "E0203");
    let since = client.notifications.len();

    let through_the_workspace = format!(
        "{}/../{}/secret.camp",
        uri(workspace.path()),
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    let refused = [
        String::from("file:///etc/passwd"),
        String::from("file:///etc/shadow"),
        format!("{}/../../../../../../../etc/passwd", uri(workspace.path())),
        uri(&secret),
        through_the_workspace,
        uri(&pipe),
        uri(outside.path()),
        String::from("file:///"),
        String::from("untitled:Untitled-1"),
    ];
    for target in &refused {
        // Saved, or changed on disk: nothing is checked or published.
        client.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": target}}),
        );
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": target, "type": 2}]}),
        );
        for (method, params) in document_requests(target) {
            let error = client
                .try_request(method, params)
                .expect_err(&format!("{method} on {target} is answered"));
            assert_eq!(error.code, -32602, "{method} on {target}");
            assert!(
                error.message.contains("camp-lsp answers only for"),
                "{method} on {target}: {}",
                error.message
            );
        }
    }
    let leaked: Vec<String> = published_since(&client, since)
        .into_iter()
        .filter(|published| !is_inside(published, workspace.path()))
        .collect();
    assert_eq!(leaked, Vec::<String>::new());
    let error = client
        .try_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///etc/passwd"}, "position": {"line": 0, "character": 0}}),
        )
        .unwrap_err();
    assert_eq!(
        error.message,
        "`/etc/passwd` is neither an open document nor a `.camp` file of a package in the workspace; camp-lsp answers only for those"
    );

    // A package of the workspace no document of which is open: checked on
    // the first request about it, and answered.
    let words = other.join("words.camp");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&words)}}),
    );
    assert_eq!(symbols[0]["name"], "loyal_customer", "{symbols}");
    client.stop();
}

/// A watched-file event naming the root of the file system, or a folder
/// outside the workspace, checks again only the packages the server
/// knows: nothing outside the workspace is walked, loaded or published.
#[test]
fn a_watched_folder_event_reloads_only_known_packages() {
    let (workspace, coupon) = package();
    std::fs::write(&coupon, CAMPAIGN).unwrap();
    let (outside, secret) = outside_package();
    let mut client = Client::start_in(&[workspace.path()]);
    let coupon_uri = client.open(&coupon, CAMPAIGN);
    assert_eq!(client.diagnostics(&coupon_uri).len(), 1);

    let since = client.notifications.len();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": "file:///", "type": 2},
            {"uri": uri(outside.path()), "type": 1},
            {"uri": uri(&secret), "type": 1},
            {"uri": uri(&outside.path().join("camp.toml")), "type": 1},
        ]}),
    );
    // The known package was checked again (its diagnostics did not
    // change, so nothing is published for it: only what changes is), and
    // nothing else was.
    assert_eq!(client.diagnostics(&coupon_uri).len(), 1);
    let published = published_since(&client, since);
    assert!(!published.contains(&coupon_uri), "{published:?}");
    assert!(
        published
            .iter()
            .all(|published| is_inside(published, workspace.path())),
        "{published:?}"
    );
    // Not loaded: its files are still not served.
    let error = client
        .try_request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri(&secret)}}),
        )
        .unwrap_err();
    assert_eq!(error.code, -32602);

    // A change on disk to a file of the workspace is still seen: the
    // schema now spells the fund as the campaign does.
    let schema = workspace.path().join("schema.camp");
    let renamed = std::fs::read_to_string(&schema)
        .unwrap()
        .replace("platform_marketing", "platform_marketng");
    std::fs::write(&schema, renamed).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&schema), "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&coupon_uri), Vec::<Value>::new());
    client.stop();
}

/// With no workspace folder and no root, the server knows the open
/// documents and their packages only: closing the last open document of
/// a package forgets it and clears what it published.
#[test]
fn without_a_workspace_only_open_documents_and_their_packages_are_known() {
    let (scratch, coupon) = package();
    let schema = scratch.path().join("schema.camp");
    // A lint finding in the schema's package, published for the schema.
    std::fs::write(
        scratch.path().join("extra.camp"),
        CAMPAIGN
            .replace("spring_coupon", "summer_coupon")
            .replace("platform_marketng", "platform_marketing")
            .replace("  guard: halt when spend > CNY 500.00 per 1min\n", ""),
    )
    .unwrap();
    let extra_uri = uri(&scratch.path().join("extra.camp"));
    let mut client = Client::start(&["utf-16"]);
    let symbols = json!({"textDocument": {"uri": uri(&schema)}});
    assert!(
        client
            .try_request("textDocument/documentSymbol", symbols.clone())
            .is_err()
    );
    let coupon_uri = client.open(&coupon, CAMPAIGN);
    client.diagnostics(&coupon_uri);
    assert!(!client.diagnostics(&extra_uri).is_empty());
    // The package of an open document: its other files are answered.
    let answer = client.request("textDocument/documentSymbol", symbols.clone());
    assert!(!answer.as_array().unwrap().is_empty());

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": coupon_uri}}),
    );
    assert!(
        client
            .try_request("textDocument/documentSymbol", symbols)
            .is_err()
    );
    assert_eq!(client.diagnostics(&extra_uri), Vec::<Value>::new());
    client.stop();
}

/// A file of 16,384 declarations (about 400 KB) gets its semantic tokens
/// and document symbols, complete and in place. (That each is linear work
/// is `features::tests::whole_document_answers_are_linear`.)
#[test]
fn a_file_of_16384_declarations_gets_tokens_and_symbols() {
    let (_scratch, path) = package();
    let text: String = (0..16_384)
        .map(|index| format!("category category_{index:06}\n"))
        .collect();
    assert_eq!(text.len(), 400 * 1024);
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let document = json!({"textDocument": {"uri": uri}});

    let tokens = client.request("textDocument/semanticTokens/full", document.clone());
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_u64().unwrap())
        .collect();
    // `category` (keyword) and the name (enum member) on every line.
    assert_eq!(data.len(), 5 * 2 * 16_384);
    for (index, token) in data.chunks(5).enumerate() {
        let expected = if index % 2 == 0 {
            [u64::from(index > 0), 0, 8, 0, 0]
        } else {
            [0, 9, 15, 2, 0]
        };
        assert_eq!(token, expected, "token {index}");
    }

    let symbols = client.request("textDocument/documentSymbol", document);
    let symbols = symbols.as_array().unwrap();
    assert_eq!(symbols.len(), 16_384);
    assert_eq!(symbols[16_383]["name"], "category_016383");
    assert_eq!(
        symbols[16_383]["selectionRange"],
        json!({"start": {"line": 16_383, "character": 9}, "end": {"line": 16_383, "character": 24}})
    );
    client.stop();
}

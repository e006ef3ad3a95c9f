//! The server in-process (`Connection::memory()`), driven like an editor:
//! open a file of a package on disk, edit it, ask for hover and definition.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

struct Client {
    connection: Connection,
    next_id: i32,
    notifications: Vec<Notification>,
    server: Option<std::thread::JoinHandle<()>>,
}

impl Client {
    fn start(encodings: &[&str]) -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            camp_lsp::run(&server).unwrap();
        });
        let mut client = Client {
            connection: client,
            next_id: 0,
            notifications: Vec::new(),
            server: Some(handle),
        };
        let result = client.request(
            "initialize",
            json!({"capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        assert!(result["capabilities"]["hoverProvider"].as_bool().unwrap());
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(20))
                .unwrap()
            {
                Message::Response(response) if response.id == id => {
                    return response.response_result.unwrap();
                }
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    /// The diagnostics last published for a URI, waiting for a
    /// publication after the latest edit (a request flushes the queue).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        self.notifications
            .iter()
            .rev()
            .filter(|notification| notification.method == "textDocument/publishDiagnostics")
            .find(|notification| notification.params["uri"] == uri)
            .map(|notification| {
                notification.params["diagnostics"]
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .unwrap_or_default()
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap();
    }
}

fn uri(path: &Path) -> String {
    camp_lsp::uri::from_path(&std::path::absolute(path).unwrap())
}

/// A package on disk: the shared test prelude and a campaign file.
fn package() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    let prelude = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/fixtures/prelude.camp"),
    )
    .unwrap();
    std::fs::write(
        scratch.path().join("camp.toml"),
        "[package]\nname = \"editor\"\n",
    )
    .unwrap();
    std::fs::write(scratch.path().join("schema.camp"), prelude).unwrap();
    let campaign = scratch.path().join("coupon.camp");
    std::fs::write(&campaign, "").unwrap();
    (scratch, campaign)
}

const CAMPAIGN: &str = "/// 春节立减 😀\ncampaign spring_coupon {\n  title: \"春节立减 😀\"\n  owner: \"growth\"\n  fund: platform_marketng\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n  rollout {\n    stage segment qa_accounts for 30min\n    stage 100%\n  }\n  guard: halt when spend > CNY 500.00 per 1min\n}\n";

#[test]
fn diagnostics_follow_edits() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": CAMPAIGN}}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "E0203");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `platform_marketing`")
    );
    // Line 4 (0-based), `platform_marketng` starts after `  fund: `.
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 4, "character": 8})
    );

    // Fix the typo with an incremental edit: insert `i` before `ng`.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 4, "character": 23}, "end": {"line": 4, "character": 23}}, "text": "i"}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    client.stop();
}

#[test]
fn positions_are_utf16_or_utf8_as_negotiated() {
    let (_scratch, path) = package();
    let text = CAMPAIGN.replace("title: \"春节立减 😀\"", "title: \"春节立减 😀\" =");
    for (encoding, character) in [("utf-16", 19), ("utf-8", 29)] {
        let mut client = Client::start(&[encoding]);
        let uri = uri(&path);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": text}}),
        );
        let diagnostics = client.diagnostics(&uri);
        let syntax = diagnostics.iter().find(|d| d["code"] == "E0105").unwrap();
        assert_eq!(
            syntax["range"]["start"],
            json!({"line": 2, "character": character}),
            "{encoding}"
        );
        client.stop();
    }
}

#[test]
fn hover_and_definition_across_files() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = uri(&path);
    let fixed = CAMPAIGN.replace("platform_marketng", "platform_marketing");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": fixed}}),
    );
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 12}});
    let hover = client.request("textDocument/hover", at.clone());
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("fund platform_marketing"), "{text}");
    assert!(
        text.contains("The platform's own marketing budget."),
        "{text}"
    );
    assert!(text.contains("max rate 30%"), "{text}");

    let definition = client.request("textDocument/definition", at);
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("/schema.camp"),
        "{definition}"
    );
    assert_eq!(definition["range"]["start"]["line"], 38);

    let on_campaign =
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}});
    let hover = client.request("textDocument/hover", on_campaign);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Worst-case exposure") && text.contains("CNY 10_000.00"),
        "{text}"
    );
    assert!(text.contains("2027-02-28T16:00:00Z"), "{text}");
    client.stop();
}

#[test]
fn the_server_reports_exactly_what_campc_check_reports() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for package in ["examples/incident-2025-01-16", "examples/platform"] {
        let root = repo.join(package);
        // What `campc check --format json` says (in-process, same renderer).
        let input = camp_compiler::fs::load_package(&camp_compiler::fs::PackageRoot {
            root: root.clone(),
            only: None,
        })
        .unwrap();
        let mut input = input;
        // The server uses the real time too.
        input.lints.now = Some(jiff::Timestamp::now());
        let analysis = camp_compiler::package::analyze(input);
        let mut expected: Vec<(String, String, u64, u64)> = analysis
            .diagnostics
            .iter()
            .map(|d| {
                let file = analysis.sources.get(d.primary.span.file).unwrap();
                let at = file.line_column(d.primary.span.start);
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                (
                    d.code.to_string(),
                    message,
                    u64::from(at.line - 1),
                    u64::from(at.column - 1),
                )
            })
            .collect();
        expected.sort();

        // What the server publishes with every file of the package open.
        let mut client = Client::start(&["utf-16"]);
        let files = camp_compiler::fs::camp_files(&root).unwrap();
        for file in &files {
            client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri(file), "languageId": "camp", "version": 1,
                       "text": std::fs::read_to_string(file).unwrap()}}),
            );
        }
        let mut published: Vec<(String, String, u64, u64)> = Vec::new();
        for file in &files {
            for d in client.diagnostics(&uri(file)) {
                published.push((
                    d["code"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                ));
            }
        }
        published.sort();
        assert_eq!(published, expected, "{package}");
        client.stop();
    }
}

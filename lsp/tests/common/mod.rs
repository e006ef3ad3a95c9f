//! The test client shared by the server tests: an editor in-process.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, ResponseError};
use serde_json::{Value, json};

pub struct Client {
    pub connection: Connection,
    pub next_id: i32,
    pub notifications: Vec<Notification>,
    server: Option<std::thread::JoinHandle<()>>,
}

impl Client {
    pub fn start(encodings: &[&str]) -> Client {
        Client::start_with(json!({"capabilities": {"general": {"positionEncodings": encodings}}}))
    }

    /// A client that opened `folders` as its workspace.
    pub fn start_in(folders: &[&Path]) -> Client {
        let folders: Vec<Value> = folders
            .iter()
            .map(|folder| json!({"uri": uri(folder), "name": "workspace"}))
            .collect();
        Client::start_with(json!({
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "workspaceFolders": folders,
        }))
    }

    /// A client with these `initialize` parameters.
    pub fn start_with(initialize: Value) -> Client {
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
        let result = client.request("initialize", initialize);
        assert!(result["capabilities"]["hoverProvider"].as_bool().unwrap());
        client.notify("initialized", json!({}));
        client
    }

    /// Opens a file with a text (not necessarily what is on disk).
    pub fn open(&self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": text}}),
        );
        uri
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .unwrap();
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.try_request(method, params).unwrap()
    }

    /// A request's result, or the error the server answered with.
    pub fn try_request(&mut self, method: &str, params: Value) -> Result<Value, ResponseError> {
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
                    return response.response_result;
                }
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    /// The diagnostics last published for a URI, waiting for a
    /// publication after the latest edit (a request flushes the queue).
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        // Answered, or refused for a file the server no longer serves:
        // either way every message before it has been handled.
        let _ = self.try_request(
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

    pub fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap();
    }
}

/// The URI an editor gives a path: absolute, without `..`.
pub fn uri(path: &Path) -> String {
    camp_lsp::uri::from_path(
        &camp_lsp::uri::normalize(&std::path::absolute(path).unwrap()).unwrap(),
    )
    .unwrap()
}

/// A package on disk: the shared test prelude and a campaign file.
pub fn package() -> (tempfile::TempDir, PathBuf) {
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

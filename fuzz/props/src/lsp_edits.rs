//! The `lsp_edits` target: a document and a script of edits and requests,
//! run through the language server in-process.
//!
//! The input is the document's first text, a `0xFF` byte (never part of
//! UTF-8 text), and the script: the bytes after it, read as a sequence of
//! operations by [`arbitrary::Unstructured`]. Seeds are an example file,
//! `0xFF`, and a few bytes; libFuzzer mutates both halves.
//!
//! The whole conversation is queued before the server starts, and the
//! server runs on the calling thread until the queue is empty: no thread,
//! no timeout, the same run every time. (Queued edits to one document are
//! applied together and checked once, as when a fast typist is ahead of
//! the server; a request between them forces a check.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arbitrary::Unstructured;
use camp_core::diagnostic::Severity;
use camp_core::package::analyze;
use camp_fs::{PackageRoot, load_package};
use camp_lsp::position::{self, Encoding};
use gen_lsp_types::Position;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use crate::compile::EXAMPLE_SCHEMA;

/// The package on disk that the edited document belongs to: `camp.toml`,
/// the example platform's schema and templates, and the document itself,
/// empty on disk (the editor's buffer is what counts while it is open).
#[derive(Debug, Clone)]
pub struct LspPackage {
    root: PathBuf,
    document: PathBuf,
    uri: String,
}

impl LspPackage {
    /// Writes the package into `root`, an empty folder that outlives every
    /// [`lsp_edits`] call made with it.
    pub fn create(root: &Path) -> std::io::Result<LspPackage> {
        let root = std::path::absolute(root)?;
        std::fs::write(root.join("camp.toml"), "[package]\nname = \"fuzz\"\n")?;
        for (path, text) in EXAMPLE_SCHEMA {
            let path = root.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
        let document = root.join("fuzzed.camp");
        std::fs::write(&document, "")?;
        Ok(LspPackage {
            uri: camp_lsp::uri::from_path(&document).unwrap(),
            root,
            document,
        })
    }
}

/// At most this many operations per input: longer scripts find nothing
/// shorter ones do not, and cost more per run.
const MAX_OPERATIONS: usize = 48;

/// Bits of Camp, and of trouble, that edits insert.
const SNIPPETS: [&str; 44] = [
    "campaign ",
    "template ",
    "fund ",
    "scene ",
    "policy {\n}\n",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\"",
    "// ",
    "/// ",
    "CNY ",
    "5.00",
    "20%",
    " off",
    ", cap CNY 50.00",
    "limit: 1 per user\n",
    "window: 2025-03-01 00:00 to 2025-03-31 23:59 Asia/Shanghai\n",
    "fund: platform_marketing\n",
    "scenes: [merchant_purchase]\n",
    "reward: ",
    "budget: CNY 100_000.00\n",
    "rollout {\n  stage 1% for 2h\n  stage 100%\n}\n",
    "guard: halt when spend > CNY 1_000.00 per 1min\n",
    "stacking: stacks_with [",
    " from city_subsidy(",
    "campaign c {\n  title: \"t\"\n  owner: \"o\"\n}\n",
    "é",
    "春",
    "😀",
    "\u{202E}",
    "\u{200B}",
    "\u{FEFF}",
    "０",
];

/// How a request may be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A result (possibly `null`).
    Result,
    /// A result, or "cancelled" (a `$/cancelRequest` follows it).
    ResultOrCancelled,
    /// A result, or "invalid params" (rename refuses a bad new name).
    ResultOrRefused,
}

/// The conversation being written, and what the document must then hold.
struct Script<'p> {
    package: &'p LspPackage,
    encoding: Encoding,
    /// The document's text as the editor has it.
    text: String,
    open: bool,
    version: i32,
    next_id: i32,
    messages: Vec<Message>,
    requests: BTreeMap<i32, Expect>,
}

/// Runs `bytes` (see the module documentation) against the server, with
/// the document in `package`; panics if a property fails.
///
/// - The server never panics (libFuzzer aborts on a panic even where the
///   server catches it) and answers every request once, with a result,
///   never an internal error.
/// - After the last operation, the diagnostics last published for each
///   file of the package are those of a fresh analysis of what the editor
///   holds: the server's parse cache and edit handling change nothing.
///   (`past-window` is left out on both sides: it reads the clock.)
pub fn lsp_edits(package: &LspPackage, bytes: &[u8]) {
    let (text, script) = match bytes.iter().position(|byte| *byte == 0xFF) {
        Some(at) => {
            let (text, rest) = bytes.split_at(at);
            (text, rest.get(1..).unwrap_or_default())
        }
        None => (bytes, &[][..]),
    };
    let mut u = Unstructured::new(script);
    let encoding = if u.arbitrary::<bool>().unwrap_or(false) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let mut script = Script {
        package,
        encoding,
        text: String::from_utf8_lossy(text).into_owned(),
        open: true,
        version: 1,
        next_id: 0,
        messages: Vec::new(),
        requests: BTreeMap::new(),
    };
    script.start();
    for _ in 0..MAX_OPERATIONS {
        if u.is_empty() || script.operation(&mut u).is_err() {
            break;
        }
    }
    let received = script.run();
    script.check(&received);
}

fn severity_number(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Note => 3,
    }
}

/// The fields of a published diagnostic that `campc check` decides.
fn comparable(diagnostic: &Value) -> Value {
    json!({
        "range": diagnostic["range"],
        "severity": diagnostic["severity"],
        "code": diagnostic["code"],
        "message": diagnostic["message"],
    })
}

/// `past-window` compares the window with the clock: left out.
fn reads_the_clock(diagnostic: &Value) -> bool {
    diagnostic["code"] == "past-window"
}

impl Script<'_> {
    fn notify(&mut self, method: &str, params: Value) {
        self.messages.push(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn request(&mut self, method: &str, params: Value, expect: Expect) -> i32 {
        self.next_id += 1;
        let id = self.next_id;
        self.messages.push(Message::Request(Request::new(
            RequestId::from(id),
            method.to_string(),
            params,
        )));
        self.requests.insert(id, expect);
        id
    }

    fn start(&mut self) {
        let encodings: Vec<&str> = match self.encoding {
            Encoding::Utf8 => vec!["utf-8", "utf-16"],
            Encoding::Utf16 => vec!["utf-16"],
        };
        self.request(
            "initialize",
            // The package is the editor's workspace, as when an author opens
            // its folder: a closed document stays a file the server answers for.
            json!({
                "capabilities": {"general": {"positionEncodings": encodings}},
                "rootUri": camp_lsp::uri::from_path(&self.package.root).unwrap(),
            }),
            Expect::Result,
        );
        self.notify("initialized", json!({}));
        self.open_document();
    }

    fn open_document(&mut self) {
        self.version += 1;
        let params = json!({"textDocument": {
            "uri": self.package.uri,
            "languageId": "camp",
            "version": self.version,
            "text": self.text,
        }});
        self.notify("textDocument/didOpen", params);
        self.open = true;
    }

    fn document(&self) -> Value {
        json!({"uri": self.package.uri})
    }

    fn position(&self, offset: usize) -> Position {
        position::position(&self.text, offset, self.encoding)
    }

    /// A byte offset on a character boundary of the text.
    fn offset(&self, u: &mut Unstructured) -> arbitrary::Result<usize> {
        let mut at = u.int_in_range(0..=self.text.len())?;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        Ok(at)
    }

    /// A position that may be past the end of its line or of the text.
    fn raw_position(&self, u: &mut Unstructured) -> arbitrary::Result<Position> {
        let lines = u32::try_from(self.text.matches('\n').count()).unwrap_or(u32::MAX);
        Ok(Position {
            line: u.int_in_range(0..=lines.saturating_add(2))?,
            character: u32::from(u.arbitrary::<u8>()?),
        })
    }

    /// A position in the text (mostly) or anywhere.
    fn any_position(&self, u: &mut Unstructured) -> arbitrary::Result<Position> {
        if u.ratio(1u8, 4)? {
            self.raw_position(u)
        } else {
            let at = self.offset(u)?;
            Ok(self.position(at))
        }
    }

    fn snippet(u: &mut Unstructured) -> arbitrary::Result<String> {
        if u.ratio(1u8, 3)? {
            let len = u.int_in_range(0..=12usize)?.min(u.len());
            Ok(String::from_utf8_lossy(u.bytes(len)?).into_owned())
        } else {
            Ok(u.choose(&SNIPPETS)?.to_string())
        }
    }

    /// One change to the model text, as the editor sends it: the range is
    /// computed on the text before the change.
    fn change(&mut self, u: &mut Unstructured) -> arbitrary::Result<Value> {
        match u.int_in_range(0u8..=3)? {
            // Insert.
            0 => {
                let at = self.offset(u)?;
                let text = Script::snippet(u)?;
                Ok(self.replace(at, at, text))
            }
            // Delete a few characters.
            1 => {
                let start = self.offset(u)?;
                let mut end = start;
                for _ in 0..u.int_in_range(1..=8u8)? {
                    end = self
                        .text
                        .get(end..)
                        .and_then(|rest| rest.chars().next())
                        .map_or(end, |ch| end + ch.len_utf8());
                }
                Ok(self.replace(start, end, String::new()))
            }
            // Replace a range.
            2 => {
                let (a, b) = (self.offset(u)?, self.offset(u)?);
                let text = Script::snippet(u)?;
                Ok(self.replace(a.min(b), a.max(b), text))
            }
            // A range that may be past the end, clamped by the server as
            // `position::offset` says.
            _ => {
                let (start, end) = (self.raw_position(u)?, self.raw_position(u)?);
                let text = Script::snippet(u)?;
                let from = position::offset(&self.text, start, self.encoding);
                let to = position::offset(&self.text, end, self.encoding).max(from);
                self.text.replace_range(from..to, &text);
                Ok(json!({"range": {"start": start, "end": end}, "text": text}))
            }
        }
    }

    /// Replaces the text between two offsets, as an editor would: where
    /// the positions it sends say. An offset inside a line ending (between
    /// `\r` and `\n`) has no position of its own: it is sent as the end of
    /// its line, so the edit is made there, where the server makes it.
    fn replace(&mut self, start: usize, end: usize, text: String) -> Value {
        let (start, end) = (self.position(start), self.position(end));
        let from = position::offset(&self.text, start, self.encoding);
        let to = position::offset(&self.text, end, self.encoding).max(from);
        self.text.replace_range(from..to, &text);
        json!({"range": {"start": start, "end": end}, "text": text})
    }

    fn did_change(&mut self, changes: Vec<Value>) {
        self.version += 1;
        let params = json!({
            "textDocument": {"uri": self.package.uri, "version": self.version},
            "contentChanges": changes,
        });
        self.notify("textDocument/didChange", params);
    }

    fn operation(&mut self, u: &mut Unstructured) -> arbitrary::Result<()> {
        match u.int_in_range(0u8..=9)? {
            // One change, the most common operation.
            0..=3 => {
                if self.open {
                    let change = self.change(u)?;
                    self.did_change(vec![change]);
                }
            }
            // Several changes in one notification.
            4 => {
                if self.open {
                    let mut changes = Vec::new();
                    for _ in 0..u.int_in_range(2..=4u8)? {
                        changes.push(self.change(u)?);
                    }
                    self.did_change(changes);
                }
            }
            // The whole text, as a client without incremental sync sends it.
            5 => {
                if self.open {
                    let at = self.offset(u)?;
                    let text = Script::snippet(u)?;
                    self.text.insert_str(at, &text);
                    let whole = json!({"text": self.text});
                    self.did_change(vec![whole]);
                }
            }
            6 => self.feature_request(u)?,
            // Save, or `camp.toml` changed on disk.
            7 => {
                if u.arbitrary::<bool>()? {
                    self.notify(
                        "textDocument/didSave",
                        json!({"textDocument": self.document()}),
                    );
                } else {
                    let manifest =
                        camp_lsp::uri::from_path(&self.package.root.join("camp.toml")).unwrap();
                    self.notify(
                        "workspace/didChangeWatchedFiles",
                        json!({"changes": [{"uri": manifest, "type": 2}]}),
                    );
                }
            }
            // Close, or open again.
            8 => {
                if self.open {
                    self.notify(
                        "textDocument/didClose",
                        json!({"textDocument": self.document()}),
                    );
                    self.open = false;
                } else {
                    self.open_document();
                }
            }
            // A request the client cancels at once.
            _ => {
                let at = self.any_position(u)?;
                let id = self.request(
                    "textDocument/hover",
                    json!({"textDocument": self.document(), "position": at}),
                    Expect::ResultOrCancelled,
                );
                self.notify("$/cancelRequest", json!({"id": id}));
            }
        }
        Ok(())
    }

    fn feature_request(&mut self, u: &mut Unstructured) -> arbitrary::Result<()> {
        let document = self.document();
        let at = self.any_position(u)?;
        let whole =
            json!({"start": {"line": 0, "character": 0}, "end": self.position(self.text.len())});
        match u.int_in_range(0u8..=11)? {
            0 => self.request(
                "textDocument/hover",
                json!({"textDocument": document, "position": at}),
                Expect::Result,
            ),
            1 => self.request(
                "textDocument/definition",
                json!({"textDocument": document, "position": at}),
                Expect::Result,
            ),
            2 => {
                let include = u.arbitrary::<bool>()?;
                self.request(
                    "textDocument/references",
                    json!({"textDocument": document, "position": at, "context": {"includeDeclaration": include}}),
                    Expect::Result,
                )
            }
            3 => {
                let name = Script::snippet(u)?;
                self.request(
                    "textDocument/rename",
                    json!({"textDocument": document, "position": at, "newName": name}),
                    Expect::ResultOrRefused,
                )
            }
            4 => self.request(
                "textDocument/completion",
                json!({"textDocument": document, "position": at}),
                Expect::Result,
            ),
            5 => self.request(
                "textDocument/documentSymbol",
                json!({"textDocument": document}),
                Expect::Result,
            ),
            6 => self.request(
                "textDocument/foldingRange",
                json!({"textDocument": document}),
                Expect::Result,
            ),
            7 => self.request(
                "textDocument/formatting",
                json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}}),
                Expect::Result,
            ),
            8 => {
                // The diagnostics the editor holds: those of the current
                // text, so that the compiler's fixes are offered.
                let diagnostics = self
                    .expected()
                    .remove(&self.package.uri)
                    .unwrap_or_default();
                self.request(
                    "textDocument/codeAction",
                    json!({"textDocument": document, "range": whole, "context": {"diagnostics": diagnostics}}),
                    Expect::Result,
                )
            }
            9 => self.request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": document}),
                Expect::Result,
            ),
            10 => self.request(
                "textDocument/inlayHint",
                json!({"textDocument": document, "range": whole}),
                Expect::Result,
            ),
            _ => {
                let query = Script::snippet(u)?;
                self.request("workspace/symbol", json!({"query": query}), Expect::Result)
            }
        };
        Ok(())
    }

    /// Runs the server on this thread over the queued conversation and
    /// returns everything it sent.
    fn run(&mut self) -> Vec<Message> {
        let (server, client) = Connection::memory();
        let Connection { sender, receiver } = client;
        for message in std::mem::take(&mut self.messages) {
            sender.send(message).unwrap();
        }
        // With the client's side closed, the server stops when the queue is
        // empty.
        drop(sender);
        camp_lsp::run(&server).unwrap_or_else(|error| panic!("the server failed: {error}"));
        drop(server);
        receiver.try_iter().collect()
    }

    /// The diagnostics of a fresh analysis of the package with the editor's
    /// text, by file URI, as the server publishes them (less `past-window`).
    fn expected(&self) -> BTreeMap<String, Vec<Value>> {
        let root = PackageRoot {
            root: self.package.root.clone(),
            only: None,
        };
        let mut input = load_package(&root).unwrap();
        if self.open {
            for file in &mut input.files {
                if std::path::absolute(&file.path).ok().as_ref() == Some(&self.package.document) {
                    file.bytes = self.text.clone().into();
                }
            }
        }
        let analysis = analyze(input);
        let uri =
            |path: &str| camp_lsp::uri::from_path(&std::path::absolute(path).unwrap()).unwrap();
        let mut expected: BTreeMap<String, Vec<Value>> = analysis
            .sources
            .files()
            .iter()
            .map(|file| (uri(&file.path), Vec::new()))
            .collect();
        for diagnostic in &analysis.diagnostics {
            let Some(file) = analysis.sources.get(diagnostic.primary.span.file) else {
                continue;
            };
            let span = diagnostic.primary.span;
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let published = json!({
                "range": {
                    "start": position::position(&file.text, span.start as usize, self.encoding),
                    "end": position::position(&file.text, span.end as usize, self.encoding),
                },
                "severity": severity_number(diagnostic.severity),
                "code": diagnostic.code,
                "message": message,
            });
            if !reads_the_clock(&published) {
                expected.entry(uri(&file.path)).or_default().push(published);
            }
        }
        expected
    }

    fn check(&self, received: &[Message]) {
        let mut answered = BTreeMap::new();
        let mut published: BTreeMap<String, (Option<i64>, Vec<Value>)> = BTreeMap::new();
        for message in received {
            match message {
                Message::Response(response) => {
                    let id: i32 = serde_json::to_value(&response.id)
                        .ok()
                        .and_then(|id| id.as_i64())
                        .and_then(|id| i32::try_from(id).ok())
                        .unwrap_or_else(|| panic!("a response to an unknown id: {response:?}"));
                    let expect = self.requests.get(&id).copied();
                    let allowed = match (&response.response_result, expect) {
                        (_, None) => false,
                        (Ok(_), Some(_)) => true,
                        (Err(error), Some(Expect::ResultOrCancelled)) => error.code == -32800,
                        (Err(error), Some(Expect::ResultOrRefused)) => error.code == -32602,
                        (Err(_), Some(Expect::Result)) => false,
                    };
                    assert!(allowed, "request {id} answered {response:?}");
                    assert!(
                        answered.insert(id, ()).is_none(),
                        "request {id} answered twice"
                    );
                }
                Message::Notification(notification)
                    if notification.method == "textDocument/publishDiagnostics" =>
                {
                    let params = &notification.params;
                    let uri = params["uri"].as_str().unwrap_or_default().to_string();
                    let diagnostics = params["diagnostics"]
                        .as_array()
                        .map(|all| {
                            all.iter()
                                .filter(|diagnostic| !reads_the_clock(diagnostic))
                                .map(comparable)
                                .collect()
                        })
                        .unwrap_or_default();
                    published.insert(uri, (params["version"].as_i64(), diagnostics));
                }
                Message::Notification(_) | Message::Request(_) => {}
            }
        }
        let unanswered: Vec<&i32> = self
            .requests
            .keys()
            .filter(|id| !answered.contains_key(*id))
            .collect();
        assert!(
            unanswered.is_empty(),
            "requests never answered: {unanswered:?}"
        );

        // Only files whose diagnostics changed are published: the last
        // publication of an open document is for a version it has had,
        // not necessarily the latest.
        if self.open {
            let version = published
                .get(&self.package.uri)
                .and_then(|(version, _)| *version);
            assert!(
                version.is_some_and(|version| version <= i64::from(self.version)),
                "the last diagnostics are for version {version:?}, after the document's last ({})",
                self.version
            );
        }
        for (uri, expected) in self.expected() {
            let got = published
                .get(&uri)
                .map(|(_, diagnostics)| diagnostics.as_slice())
                .unwrap_or_default();
            assert_eq!(
                got,
                expected.as_slice(),
                "the server's diagnostics for {uri} are not a fresh analysis's; the text is {:?}",
                self.text
            );
        }
    }
}

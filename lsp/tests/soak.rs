//! The editor soak test: a seeded replay of thousands of random edits to a
//! few open files of the example platform package, with requests between
//! them. The server must never fail, answer every request with a result
//! (or a refusal the request allows), answer in terms of the text the
//! client holds, and publish, at every checkpoint, exactly the diagnostics
//! the core analysis (what `campc check` runs) gives for the same texts.
//!
//! `CAMP_SOAK_EDITS` (default 2,000) sets the number of edits and
//! `CAMP_SOAK_SEED` the seed; a failure prints both, so it replays.
//! `CAMP_SOAK_EDITS=100000 cargo test --release -p camp-lsp --test soak`
//! is the long run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Client, uri};
use lsp_server::{Message, Request, RequestId};
use serde_json::{Value, json};

/// A checkpoint every this many edits, and one at the end.
const CHECKPOINT: usize = 250;

/// The open files, relative to the package.
const OPEN: [&str; 4] = [
    "campaigns/new_users.camp",
    "campaigns/double12.camp",
    "templates/merchant_coupon.camp",
    "schema/funds.camp",
];

/// Characters typed at random: the language's punctuation, names, digits,
/// Chinese, an emoji (two UTF-16 units), full-width and Cyrillic
/// look-alikes. Never `\r`: what ends a line is another change's business,
/// and this client counts lines at `\n`.
const TYPED: &[char] = &[
    'a', 'e', 'i', 'o', 'n', 's', 't', 'r', 'l', '_', 'x', 'z', 'C', 'N', 'Y', '0', '1', '2', '5',
    '9', ' ', ' ', ' ', '\n', '\n', '\t', '{', '}', '[', ']', '(', ')', ':', ',', '.', '%', '"',
    '/', '-', '>', '=', '*', '#', '规', '则', '😀', '：', '２', '０', '％', 'а', 'о', 'е',
];

/// Words pasted at random: keywords, fields and value forms, half-right.
const WORDS: &[&str] = &[
    "campaign ",
    "template ",
    "fund ",
    "policy ",
    "segment ",
    "scene ",
    "test ",
    "from ",
    "  title: \"规则\"\n",
    "  fund: platform_marketing\n",
    "  fund: platform_marketng\n",
    "  scenes: [merchant_purchase]\n",
    "  reward: 15% off, cap CNY 20.00\n",
    "  reward: 20 off\n",
    "  budget: CNY 100_000.00\n",
    "  limit: 1 per user\n",
    "  rollout {\n    stage 1% for 2h\n    stage 100%\n  }\n",
    "  guard: halt when spend > CNY 5_000.00 per 1min\n",
    "  window: 2027-01-01 00:00 to 2027-01-31 00:00 Asia/Shanghai\n",
    "  stacking: exclusive\n",
    "max_rate: 30%",
    "CNY 1.00",
    "JPY 10_000",
    "2027-02-30 00:00",
    "// camp: allow(high-rate) reason: approved\n",
    "/// 春节 😀\n",
    "}\n",
    "{\n",
    "\"",
    "：",
    "ｃａｍｐａｉｇｎ",
];

/// splitmix64: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is `0`).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// The client's own position arithmetic (UTF-16, lines end at `\n`),
/// independent of the server's.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let character = text[line_start..offset].encode_utf16().count() as u32;
    (line, character)
}

/// The lengths of a text's lines in UTF-16 units.
fn line_lengths(text: &str) -> Vec<u32> {
    text.split('\n')
        .map(|line| line.encode_utf16().count() as u32)
        .collect()
}

/// The largest character boundary at or before `offset`.
fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One diagnostic as the client sees it: file, code, severity, message,
/// range and related locations.
type Seen = (
    String,
    String,
    u64,
    String,
    [u64; 4],
    Vec<(String, [u64; 4], String)>,
);

fn lsp_range(range: &Value) -> [u64; 4] {
    [
        range["start"]["line"].as_u64().unwrap(),
        range["start"]["character"].as_u64().unwrap(),
        range["end"]["line"].as_u64().unwrap(),
        range["end"]["character"].as_u64().unwrap(),
    ]
}

/// What the core analysis says of the package, with the open texts over
/// the disk: the library calls `campc check` makes.
fn expected(root: &Path, open: &BTreeMap<PathBuf, String>) -> BTreeMap<String, Vec<Seen>> {
    let packages = camp_fs::find_packages(&[root.to_path_buf()]).unwrap();
    assert_eq!(packages.len(), 1);
    let mut input = camp_fs::load_package(&packages[0]).unwrap();
    input.lints.now = Some(jiff::Timestamp::now());
    for file in &mut input.files {
        if let Some(text) = open.get(&std::path::absolute(&file.path).unwrap()) {
            file.bytes = text.clone().into();
        }
    }
    let mut analysis = camp_core::package::analyze(input);
    // The server runs the tests of a package that compiles: a failing line
    // is one more diagnostic.
    if let Some(run) = camp_lsp::evaluation::run_tests(&analysis) {
        analysis
            .diagnostics
            .extend(camp_lsp::evaluation::failures(&run));
        camp_core::diagnostic::sort_and_dedup(&mut analysis.diagnostics, &analysis.sources);
    }
    let located = |span: camp_core::source::Span| {
        let file = analysis.sources.get(span.file).unwrap();
        let (start_line, start) = position(&file.text, span.start as usize);
        let (end_line, end) = position(&file.text, span.end as usize);
        (
            uri(Path::new(&file.path)),
            [
                u64::from(start_line),
                u64::from(start),
                u64::from(end_line),
                u64::from(end),
            ],
        )
    };
    let mut by_uri: BTreeMap<String, Vec<Seen>> = analysis
        .sources
        .files()
        .iter()
        .map(|file| (uri(Path::new(&file.path)), Vec::new()))
        .collect();
    for diagnostic in &analysis.diagnostics {
        let (file, range) = located(diagnostic.primary.span);
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let severity = match diagnostic.severity {
            camp_core::diagnostic::Severity::Error => 1,
            camp_core::diagnostic::Severity::Warning => 2,
            camp_core::diagnostic::Severity::Note => 3,
        };
        let related = diagnostic
            .secondary
            .iter()
            .map(|label| {
                let (file, range) = located(label.span);
                (file, range, label.message.clone())
            })
            .collect();
        by_uri.entry(file.clone()).or_default().push((
            file,
            diagnostic.code.to_string(),
            severity,
            message,
            range,
            related,
        ));
    }
    by_uri
}

/// The last diagnostics published for each URI, and their version.
fn published(client: &Client) -> BTreeMap<String, (Option<i64>, Vec<Seen>)> {
    let mut last = BTreeMap::new();
    for notification in &client.notifications {
        if notification.method != "textDocument/publishDiagnostics" {
            continue;
        }
        let file = notification.params["uri"].as_str().unwrap().to_string();
        let seen = notification.params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let related = d["relatedInformation"]
                    .as_array()
                    .map(|related| {
                        related
                            .iter()
                            .map(|r| {
                                (
                                    r["location"]["uri"].as_str().unwrap().to_string(),
                                    lsp_range(&r["location"]["range"]),
                                    r["message"].as_str().unwrap().to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    file.clone(),
                    d["code"].as_str().unwrap().to_string(),
                    d["severity"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                    lsp_range(&d["range"]),
                    related,
                )
            })
            .collect();
        last.insert(file, (notification.params["version"].as_i64(), seen));
    }
    last
}

/// One open file, as the client holds it.
struct Open {
    path: PathBuf,
    uri: String,
    text: String,
    version: i64,
    open: bool,
}

struct Soak {
    client: Client,
    rng: Rng,
    root: PathBuf,
    files: Vec<Open>,
    /// Text to paste: every example and fixture file.
    corpus: Vec<String>,
    requests: usize,
}

impl Soak {
    /// A random edit of a file's text: its range and new text.
    fn edit(&mut self, text: &str) -> (usize, usize, String) {
        let at = boundary(text, self.rng.below(text.len() + 1));
        let until = |rng: &mut Rng, most: usize| boundary(text, at + rng.below(most + 1)).max(at);
        match self.rng.below(10) {
            // Type a character.
            0..=2 => (at, at, self.rng.pick(TYPED).to_string()),
            // Delete a few characters, or most of a line.
            3 | 4 => (at, until(&mut self.rng, 12), String::new()),
            // Delete whole lines.
            5 => {
                let start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
                let mut end = at;
                for _ in 0..=self.rng.below(3) {
                    end = text[end..]
                        .find('\n')
                        .map_or(text.len(), |newline| end + newline + 1);
                }
                (start, end, String::new())
            }
            // Paste a word, or replace a few characters with one.
            6 | 7 => {
                let end = if self.rng.chance(30) {
                    until(&mut self.rng, 8)
                } else {
                    at
                };
                (at, end, self.rng.pick(WORDS).to_string())
            }
            // Paste a few lines of another file.
            8 => {
                let source = self.rng.pick(&self.corpus).clone();
                let lines: Vec<&str> = source.split_inclusive('\n').collect();
                let first = self.rng.below(lines.len());
                let count = 1 + self.rng.below(6);
                let fragment: String = lines[first..(first + count).min(lines.len())].concat();
                (at, at, fragment)
            }
            // Swap a letter for its look-alike, or a look-alike back.
            _ => {
                let end = boundary(text, at + 1).max(at);
                let replaced = match &text[at..end] {
                    "a" => "а",
                    "o" => "о",
                    ":" => "：",
                    "%" => "％",
                    other => other,
                };
                (at, end, replaced.to_string())
            }
        }
    }

    /// Sends one or more edits of an open file in one `didChange`.
    fn change(&mut self, index: usize) {
        let mut changes = Vec::new();
        for _ in 0..if self.rng.chance(10) { 3 } else { 1 } {
            let text = self.files[index].text.clone();
            let (start, end, new_text) = self.edit(&text);
            let (start_line, start_character) = position(&text, start);
            let (end_line, end_character) = position(&text, end);
            changes.push(json!({
                "range": {"start": {"line": start_line, "character": start_character},
                          "end": {"line": end_line, "character": end_character}},
                "text": new_text,
            }));
            self.files[index].text.replace_range(start..end, &new_text);
        }
        let file = &mut self.files[index];
        file.version += 1;
        self.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file.uri, "version": file.version}, "contentChanges": changes}),
        );
    }

    /// A whole-document change: back to the file's text on disk, or another
    /// file's text (a paste over everything).
    fn replace(&mut self, index: usize) {
        let text = if self.rng.chance(70) {
            std::fs::read_to_string(&self.files[index].path).unwrap()
        } else {
            self.rng.pick(&self.corpus).clone()
        };
        let file = &mut self.files[index];
        file.text = text;
        file.version += 1;
        self.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file.uri, "version": file.version}, "contentChanges": [{"text": file.text}]}),
        );
    }

    fn close_or_reopen(&mut self, index: usize) {
        let file = &mut self.files[index];
        if file.open {
            self.client.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": file.uri}}),
            );
            file.open = false;
            file.text = std::fs::read_to_string(&file.path).unwrap();
        } else {
            file.version += 1;
            self.client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": file.uri, "languageId": "camp", "version": file.version, "text": file.text}}),
            );
            file.open = true;
        }
    }

    /// Changes a file on disk that is not open, and tells the server so.
    fn change_on_disk(&mut self) {
        let closed: Vec<PathBuf> = camp_fs::camp_files(&self.root)
            .unwrap()
            .into_iter()
            .filter(|path| {
                let path = std::path::absolute(path).unwrap();
                !self.files.iter().any(|file| file.open && file.path == path)
            })
            .collect();
        if closed.is_empty() {
            return;
        }
        let path = self.rng.pick(&closed).clone();
        let text = std::fs::read_to_string(&path).unwrap();
        let (start, end, new_text) = self.edit(&text);
        let mut text = text;
        text.replace_range(start..end, &new_text);
        std::fs::write(&path, &text).unwrap();
        for file in self.files.iter_mut().filter(|file| !file.open) {
            file.text = std::fs::read_to_string(&file.path).unwrap();
        }
        self.client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&path), "type": 2}]}),
        );
    }

    /// A random request about an open file, its answer checked against
    /// the text the client holds.
    fn request(&mut self, index: usize) {
        self.requests += 1;
        let file_uri = self.files[index].uri.clone();
        let lengths = line_lengths(&self.files[index].text);
        // Mostly a real place; sometimes past the end of a line or of the
        // file, or inside an emoji's two units.
        let line = self.rng.below(lengths.len() + 1) as u32;
        let character = match lengths.get(line as usize) {
            Some(length) if !self.rng.chance(10) => self.rng.below(*length as usize + 1) as u32,
            _ => self.rng.below(200) as u32,
        };
        let document = json!({"uri": file_uri});
        let at =
            json!({"textDocument": document, "position": {"line": line, "character": character}});
        let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": lengths.len(), "character": 0}});
        let (method, params) = match self.rng.below(11) {
            0 => ("textDocument/hover", at),
            1 => ("textDocument/completion", at),
            2 => ("textDocument/definition", at),
            3 => (
                "textDocument/references",
                json!({"textDocument": document, "position": {"line": line, "character": character}, "context": {"includeDeclaration": true}}),
            ),
            4 => (
                "textDocument/rename",
                json!({"textDocument": document, "position": {"line": line, "character": character}, "newName": "renamed_name"}),
            ),
            5 => (
                "textDocument/semanticTokens/full",
                json!({"textDocument": document}),
            ),
            6 => (
                "textDocument/documentSymbol",
                json!({"textDocument": document}),
            ),
            7 => (
                "textDocument/foldingRange",
                json!({"textDocument": document}),
            ),
            8 => (
                "textDocument/inlayHint",
                json!({"textDocument": document, "range": whole}),
            ),
            9 => (
                "textDocument/formatting",
                json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}}),
            ),
            _ => (
                "textDocument/codeAction",
                json!({"textDocument": document, "range": whole, "context": {"diagnostics": self.last_diagnostics(&file_uri)}}),
            ),
        };
        let cancel = self.rng.chance(3);
        let answer = if cancel {
            self.cancelled(method, params)
        } else {
            self.client.try_request(method, params)
        };
        let file = &self.files[index];
        match answer {
            Ok(result) => check_answer(method, &result, &file.text),
            Err(error) => {
                let allowed = (method == "textDocument/rename" && error.code == -32602)
                    || (cancel && error.code == -32800);
                assert!(allowed, "{method}: unexpected error {error:?}");
            }
        }
    }

    /// The raw diagnostics last published for a URI.
    fn last_diagnostics(&self, file: &str) -> Value {
        self.client
            .notifications
            .iter()
            .rev()
            .find(|notification| {
                notification.method == "textDocument/publishDiagnostics"
                    && notification.params["uri"] == file
            })
            .map_or(json!([]), |notification| {
                notification.params["diagnostics"].clone()
            })
    }

    /// A request followed at once by its cancellation.
    fn cancelled(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<Value, lsp_server::ResponseError> {
        self.client.next_id += 1;
        let id = RequestId::from(self.client.next_id);
        self.client
            .connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        self.client
            .notify("$/cancelRequest", json!({"id": self.client.next_id}));
        loop {
            match self
                .client
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .unwrap()
            {
                Message::Response(response) if response.id == id => {
                    return response.response_result;
                }
                Message::Notification(notification) => self.client.notifications.push(notification),
                _ => {}
            }
        }
    }

    /// The diagnostics published equal the core analysis's of the same
    /// texts, and every open file's were published for a version it had.
    fn checkpoint(&mut self, edits: usize, seed: u64) {
        // Any request: once answered, every edit before it is handled.
        self.client
            .try_request("workspace/symbol", json!({"query": "no such name"}))
            .unwrap();
        let open: BTreeMap<PathBuf, String> = self
            .files
            .iter()
            .filter(|file| file.open)
            .map(|file| (file.path.clone(), file.text.clone()))
            .collect();
        let expected = expected(&self.root, &open);
        let published = published(&self.client);
        for (file, diagnostics) in &expected {
            let seen = published
                .get(file)
                .map(|(_, seen)| seen.clone())
                .unwrap_or_default();
            assert_eq!(
                &seen, diagnostics,
                "after {edits} edits (CAMP_SOAK_SEED={seed}): {file}"
            );
        }
        // Only files whose diagnostics changed are published: an open
        // file's last publication is of a version it has had (once, when
        // it was opened, at least), not necessarily the latest.
        for file in self.files.iter().filter(|file| file.open) {
            let version = published.get(&file.uri).and_then(|(version, _)| *version);
            assert!(
                version.is_some_and(|version| version <= file.version),
                "after {edits} edits (CAMP_SOAK_SEED={seed}): {} published at {version:?}, now {}",
                file.uri,
                file.version
            );
        }
        // Only what the server published last counts from here on.
        self.client
            .notifications
            .retain(|notification| notification.method == "textDocument/publishDiagnostics");
        let mut latest: BTreeMap<String, lsp_server::Notification> = BTreeMap::new();
        for notification in self.client.notifications.drain(..) {
            latest.insert(
                notification.params["uri"].as_str().unwrap().to_string(),
                notification,
            );
        }
        self.client.notifications = latest.into_values().collect();
    }
}

/// An answer fits the text the client holds: every position the server
/// computed from it is inside it.
fn check_answer(method: &str, result: &Value, text: &str) {
    let lengths = line_lengths(text);
    let inside = |line: u64, character: u64| {
        lengths
            .get(line as usize)
            .is_some_and(|length| character <= u64::from(*length))
    };
    match method {
        "textDocument/semanticTokens/full" => {
            let data: Vec<u64> = result["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|value| value.as_u64().unwrap())
                .collect();
            assert_eq!(data.len() % 5, 0);
            let (mut line, mut start) = (0, 0);
            for token in data.chunks(5) {
                if token[0] > 0 {
                    line += token[0];
                    start = token[1];
                } else {
                    start += token[1];
                }
                assert!(
                    inside(line, start + token[2]) && token[2] > 0,
                    "token {token:?} at {line}:{start} outside the text"
                );
            }
        }
        "textDocument/documentSymbol" => {
            let mut symbols: Vec<&Value> = result.as_array().unwrap().iter().collect();
            while let Some(symbol) = symbols.pop() {
                for range in [&symbol["range"], &symbol["selectionRange"]] {
                    let [start_line, start, end_line, end] = lsp_range(range);
                    assert!(
                        inside(start_line, start) && inside(end_line, end),
                        "symbol {symbol} outside the text"
                    );
                }
                if let Some(children) = symbol["children"].as_array() {
                    symbols.extend(children);
                }
            }
        }
        "textDocument/foldingRange" => {
            for fold in result.as_array().unwrap() {
                let (start, end) = (
                    fold["startLine"].as_u64().unwrap(),
                    fold["endLine"].as_u64().unwrap(),
                );
                assert!(start < end && (end as usize) < lengths.len(), "{fold}");
            }
        }
        "textDocument/inlayHint" => {
            for hint in result.as_array().unwrap() {
                let at = &hint["position"];
                assert!(
                    inside(
                        at["line"].as_u64().unwrap(),
                        at["character"].as_u64().unwrap()
                    ),
                    "{hint}"
                );
            }
        }
        "textDocument/formatting" => {
            // Nothing, or the whole text replaced.
            if let Some(edits) = result.as_array()
                && let Some(edit) = edits.first()
            {
                let [_, _, end_line, end] = lsp_range(&edit["range"]);
                assert_eq!(
                    (end_line as usize, end as u32),
                    (lengths.len() - 1, *lengths.last().unwrap())
                );
            }
        }
        _ => {}
    }
}

#[test]
fn a_seeded_replay_of_random_edits_and_requests() {
    let edits = env_number("CAMP_SOAK_EDITS").unwrap_or(2_000) as usize;
    let seed = env_number("CAMP_SOAK_SEED").unwrap_or(0x00C0_FFEE);
    // Any panic on any thread, caught by the server or not, fails the
    // replay.
    let panics = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&panics);
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, Ordering::SeqCst);
        report(info);
    }));

    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("platform");
    let platform = repo.join("examples/platform");
    for file in camp_fs::camp_files(&platform)
        .unwrap()
        .into_iter()
        .chain([platform.join("camp.toml")])
    {
        let target = root.join(file.strip_prefix(&platform).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
    let mut corpus: Vec<String> = Vec::new();
    for folder in ["examples", "compiler/tests/fixtures"] {
        for file in camp_fs::camp_files(&repo.join(folder)).unwrap() {
            if let Ok(text) = std::fs::read_to_string(&file) {
                corpus.push(text.replace('\r', ""));
            }
        }
    }

    let client = Client::start_in(&[&root]);
    let files = OPEN
        .iter()
        .map(|relative| {
            let path = std::path::absolute(root.join(relative)).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let uri = client.open(&path, &text);
            Open {
                path,
                uri,
                text,
                version: 1,
                open: true,
            }
        })
        .collect();
    let mut soak = Soak {
        client,
        rng: Rng(seed),
        root,
        files,
        corpus,
        requests: 0,
    };
    soak.checkpoint(0, seed);
    for edit in 1..=edits {
        let index = soak.rng.below(soak.files.len());
        match soak.rng.below(200) {
            0 => soak.close_or_reopen(index),
            1 => soak.change_on_disk(),
            2..=7 if soak.files[index].open => soak.replace(index),
            8 if soak.files[index].open => soak.client.notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": soak.files[index].uri}}),
            ),
            _ if soak.files[index].open => soak.change(index),
            _ => soak.close_or_reopen(index),
        }
        // Requests between edits, sometimes none (edits then queue up and
        // only the last is checked), about an open file.
        for _ in 0..soak.rng.below(3) {
            let open: Vec<usize> = (0..soak.files.len())
                .filter(|index| soak.files[*index].open)
                .collect();
            if !open.is_empty() {
                let index = *soak.rng.pick(&open);
                soak.request(index);
            }
        }
        if edit % CHECKPOINT == 0 || edit == edits {
            soak.checkpoint(edit, seed);
        }
    }
    assert!(soak.requests > edits / 2, "{} requests", soak.requests);
    soak.client.stop();
    let _ = std::panic::take_hook();
    assert_eq!(
        panics.load(Ordering::SeqCst),
        0,
        "a panic during the replay (CAMP_SOAK_SEED={seed})"
    );
}

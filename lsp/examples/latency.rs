//! Latency of the server, in-process: edits until their diagnostics are
//! published (p50/p95/p99), then hover and completion round trips, for the
//! two cases of issue 15: one file of 3,000 lines, and a package of 10,000
//! campaigns with one campaign per file. Also the time from opening a
//! document to its first diagnostics (the whole package loaded and checked).
//! `cargo run --release -p camp-lsp --example latency [case ...]`, where a
//! case is `3000-lines`, `20-files`, `100-files`, `10k-files` or
//! `large-file`; all of them when none is named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

// The allocator of the `camp-lsp` binary, so the figures are its figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

fn percentile(samples: &mut [Duration], fraction: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * fraction).round() as usize;
    samples[index]
}

fn campaigns(first: usize, lines: usize) -> (String, usize) {
    // Campaigns of 16 lines each plus a blank line.
    let mut text = String::new();
    let mut index = first;
    while text.lines().count() < lines {
        text.push_str(&format!(
            "campaign coupon_{index:04} {{\n  title: \"满减 {index}\"\n  owner: \"growth\"\n  fund: platform_marketing\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n  rollout {{\n    stage segment qa_accounts for 30min\n    stage 100%\n  }}\n  guard: halt when spend > CNY 500.00 per 1min\n}}\n\n"
        ));
        index += 1;
    }
    (text, index)
}

fn main() {
    let named: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |case: &str| named.is_empty() || named.iter().any(|name| name == case);
    // One file of 3,000 lines, then the same lines over 20 files with one
    // of them edited: the parse of the 19 others is re-used.
    if wanted("3000-lines") {
        measure(1, 3_000, true, 200);
    }
    if wanted("20-files") {
        measure(20, 150, false, 100);
    }
    // A large package: 100 files, about 9,400 campaigns.
    if wanted("100-files") {
        measure(100, 1_600, false, 20);
    }
    // The package: 10,000 campaigns, one per file.
    if wanted("10k-files") {
        measure(
            10_000,
            1,
            false,
            std::env::var("ROUNDS").map_or(100, |r| r.parse().unwrap()),
        );
    }
    // Whole-document requests on one file of 16,384 declarations, and a
    // watched-file event naming the root of the file system.
    if wanted("large-file") {
        large_file();
    }
}

/// The server in-process, initialized, with one file open; the closure
/// sends a request and waits for its answer.
struct Session {
    client: Connection,
    thread: Option<std::thread::JoinHandle<()>>,
    id: i32,
}

impl Session {
    fn start() -> Session {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || camp_lsp::run(&server).unwrap());
        let mut session = Session {
            client,
            thread: Some(thread),
            id: 0,
        };
        session.request("initialize", json!({"capabilities": {}}));
        session.notify("initialized", json!({}));
        session
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.client
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .unwrap();
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.id += 1;
        let request_id = RequestId::from(self.id);
        self.client
            .sender
            .send(Message::Request(Request::new(
                request_id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        loop {
            if let Message::Response(response) = self.client.receiver.recv().unwrap()
                && response.id == request_id
            {
                return response.response_result.unwrap_or_default();
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", serde_json::Value::Null);
        self.notify("exit", serde_json::Value::Null);
        self.thread.take().unwrap().join().unwrap();
    }
}

fn large_file() {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    std::fs::write(root.join("camp.toml"), "[package]\nname = \"large\"\n").unwrap();
    let text: String = (0..16_384)
        .map(|index| format!("category category_{index:05}\n"))
        .collect();
    let path = root.join("vocabulary.camp");
    std::fs::write(&path, &text).unwrap();
    let uri = camp_lsp::uri::from_path(&std::path::absolute(&path).unwrap()).unwrap();
    let mut session = Session::start();
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": text}}),
    );
    let document = json!({"textDocument": {"uri": uri}});
    // The first request waits for the check of the opened file.
    session.request("textDocument/foldingRange", document.clone());
    println!("1 file of {} KB, 16,384 declarations", text.len() / 1024);
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
    ] {
        let start = Instant::now();
        let answer = session.request(method, document.clone());
        let elapsed = start.elapsed();
        let size = answer
            .get("data")
            .or(Some(&answer))
            .and_then(|value| value.as_array())
            .map_or(0, Vec::len);
        println!("{method:34} {elapsed:>10.2?}  ({size} values)");
    }
    let start = Instant::now();
    session.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///", "type": 2}]}),
    );
    session.request("textDocument/foldingRange", document);
    println!(
        "{:34} {:>10.2?}",
        "watched-file event on `file:///`",
        start.elapsed()
    );
    session.stop();
}

fn measure(file_count: usize, lines_per_file: usize, requests: bool, rounds: usize) {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    let prelude = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../compiler/tests/fixtures/prelude.camp"
    ))
    .unwrap();
    std::fs::write(root.join("camp.toml"), "[package]\nname = \"latency\"\n").unwrap();
    std::fs::write(root.join("schema.camp"), prelude).unwrap();
    let mut index = 0;
    let mut text = String::new();
    let mut path = root.to_path_buf();
    for file in 0..file_count {
        let (file_text, next) = campaigns(index, lines_per_file);
        index = next;
        path = root.join(format!("campaigns_{file:05}.camp"));
        std::fs::write(&path, &file_text).unwrap();
        text = file_text;
    }
    // The last file written is the one opened and edited.
    let lines = text.lines().count();
    let uri = camp_lsp::uri::from_path(&std::path::absolute(&path).unwrap()).unwrap();

    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || camp_lsp::run(&server).unwrap());
    let mut id = 0;
    // Diagnostics published (count, bytes) since the last look.
    let published = std::cell::Cell::new((0usize, 0usize));
    let mut request = |client: &Connection, method: &str, params: serde_json::Value| {
        id += 1;
        let request_id = RequestId::from(id);
        client
            .sender
            .send(Message::Request(Request::new(
                request_id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        loop {
            match client.receiver.recv().unwrap() {
                Message::Response(response) if response.id == request_id => return response,
                Message::Notification(notification)
                    if notification.method == "textDocument/publishDiagnostics" =>
                {
                    let (count, bytes) = published.get();
                    published.set((count + 1, bytes + notification.params.to_string().len()));
                }
                _ => {}
            }
        }
    };
    request(&client, "initialize", json!({"capabilities": {}}));
    client
        .sender
        .send(Message::Notification(Notification::new(
            String::from("initialized"),
            json!({}),
        )))
        .unwrap();
    let start = Instant::now();
    client
        .sender
        .send(Message::Notification(Notification::new(
            String::from("textDocument/didOpen"),
            json!({"textDocument": {"uri": uri, "languageId": "camp", "version": 1, "text": text}}),
        )))
        .unwrap();
    // Handled in order: the answer comes once the package is checked and
    // its diagnostics are published.
    request(
        &client,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    let opened = start.elapsed();
    let on_open = published.replace((0, 0));
    let mut edits = Vec::new();
    for round in 0..rounds {
        // Toggle a digit in a title in the middle of the file.
        let line = (lines / 2) as u32;
        let start = Instant::now();
        client
            .sender
            .send(Message::Notification(Notification::new(
                String::from("textDocument/didChange"),
                json!({"textDocument": {"uri": uri, "version": round + 2},
                       "contentChanges": [{"range": {"start": {"line": line, "character": 2}, "end": {"line": line, "character": 2 + round % 2}}, "text": if round % 2 == 0 { " " } else { "" }}]}),
            )))
            .unwrap();
        // The server handles messages in order: once this request is
        // answered, the package has been re-checked and published.
        request(
            &client,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        edits.push(start.elapsed());
    }
    let mut hovers = Vec::new();
    let mut completions = Vec::new();
    for round in 0..if requests { rounds } else { 0 } {
        let line = (round * 17 + 3) as u32 % lines as u32;
        let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 10}});
        let start = Instant::now();
        request(&client, "textDocument/hover", at.clone());
        hovers.push(start.elapsed());
        let start = Instant::now();
        request(&client, "textDocument/completion", at);
        completions.push(start.elapsed());
    }
    println!(
        "{file_count} file(s) of {lines} lines, {index} campaigns, one file edited, {rounds} rounds"
    );
    println!(
        "{:20} {opened:>10.2?}  ({} publication(s), {} KB)",
        "open → diagnostics",
        on_open.0,
        on_open.1 / 1024
    );
    let (count, bytes) = published.get();
    println!(
        "{:20} {} publication(s), {} KB per edit",
        "published",
        count / rounds,
        bytes / 1024 / rounds
    );
    for (name, samples) in [
        ("edit → diagnostics", &mut edits),
        ("hover", &mut hovers),
        ("completion", &mut completions),
    ] {
        if samples.is_empty() {
            continue;
        }
        let median = percentile(samples, 0.5);
        let p95 = percentile(samples, 0.95);
        let p99 = percentile(samples, 0.99);
        println!("{name:20} p50 {median:>10.2?}  p95 {p95:>10.2?}  p99 {p99:>10.2?}");
    }
    request(&client, "shutdown", serde_json::Value::Null);
    client
        .sender
        .send(Message::Notification(Notification::new(
            String::from("exit"),
            serde_json::Value::Null,
        )))
        .unwrap();
    thread.join().unwrap();
}

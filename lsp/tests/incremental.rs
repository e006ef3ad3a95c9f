//! The editor re-checks incrementally (issue 15 item 3): the package is
//! read from disk once and then kept in memory (open buffers, watched-file
//! events), each edit re-parses only the file it changed, and only the
//! files whose diagnostics changed are published. Whatever the server
//! keeps between edits, what the client ends up showing must be what a
//! server started from scratch on the same contents shows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Client, uri};
use lsp_server::Message;
use serde_json::{Value, json};

/// What the client shows: for each URI, the diagnostics last published
/// for it, when there are any (code, line, character, message).
type View = BTreeMap<String, Vec<(String, u64, u64, String)>>;

/// Waits until the server has handled everything sent so far, then reads
/// the client's view from every publication it received.
fn view(client: &mut Client) -> View {
    client.request("workspace/symbol", json!({"query": "zzz_flush"}));
    let mut view = View::new();
    for notification in &client.notifications {
        if notification.method != "textDocument/publishDiagnostics" {
            continue;
        }
        let uri = notification.params["uri"].as_str().unwrap().to_string();
        let diagnostics: Vec<(String, u64, u64, String)> = notification.params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        if diagnostics.is_empty() {
            view.remove(&uri);
        } else {
            view.insert(uri, diagnostics);
        }
    }
    view
}

/// A copy of `examples/platform` in a scratch folder, and its `.camp`
/// files (relative paths, sorted).
fn platform() -> (tempfile::TempDir, Vec<PathBuf>) {
    let scratch = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform");
    let mut files = Vec::new();
    copy(&source, scratch.path(), Path::new(""), &mut files);
    files.sort();
    (scratch, files)
}

fn copy(from: &Path, to: &Path, relative: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(from.join(relative)).unwrap() {
        let entry = entry.unwrap();
        let relative = relative.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(to.join(&relative)).unwrap();
            copy(from, to, &relative, files);
        } else {
            std::fs::copy(entry.path(), to.join(&relative)).unwrap();
            if relative.extension().is_some_and(|ext| ext == "camp") {
                files.push(relative);
            }
        }
    }
}

/// A small deterministic generator (xorshift), so a failing sequence can
/// be replayed from its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

/// One edit to a text: a range of lines replaced, as the client sends it
/// (`None` for the whole document), and the new text.
fn edit(text: &str, random: &mut Random) -> (Option<(usize, usize)>, String, String) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = random.below(lines.len().max(1));
    let whole = |new: String| (None, new.clone(), new);
    match random.below(7) {
        // Delete a line.
        0 if !lines.is_empty() => {
            let mut new = lines.clone();
            new.remove(line);
            (Some((line, line + 1)), String::new(), new.concat())
        }
        // Duplicate a line (a field twice, a declaration twice, …).
        1 if !lines.is_empty() => {
            let copied = lines[line].to_string();
            let mut new = lines.clone();
            new.insert(line, &copied);
            (Some((line, line)), copied.clone(), new.concat())
        }
        // Misspell the first name on a line: an unknown name here, or a
        // declaration gone that other files use.
        2 if !lines.is_empty() => {
            let old = lines[line];
            let new_line = match old.find(|c: char| c.is_ascii_lowercase()) {
                Some(at) => format!("{}x{}", &old[..at], &old[at..]),
                None => old.to_string(),
            };
            let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            new[line] = new_line.clone();
            (Some((line, line + 1)), new_line, new.concat())
        }
        // Cut the text in half: nothing parses after the cut.
        3 => whole(text[..text.floor_char_boundary(text.len() / 2)].to_string()),
        // A stray brace.
        4 => {
            let mut new = lines.clone();
            new.insert(line.min(new.len()), "}\n");
            (Some((line, line)), String::from("}\n"), new.concat())
        }
        // Empty the file.
        5 => whole(String::new()),
        // The whole text again, unchanged or restored by the caller.
        _ => whole(text.to_string()),
    }
}

/// A client and the documents it has open, with their texts.
struct Editor {
    client: Client,
    open: BTreeMap<PathBuf, (String, i32)>,
}

impl Editor {
    fn change(&mut self, path: &Path, range: Option<(usize, usize)>, inserted: &str, new: String) {
        let (text, version) = self.open.get_mut(path).unwrap();
        *version += 1;
        let change = match range {
            Some((start, end)) => json!({
                "range": {"start": {"line": start, "character": 0},
                          "end": {"line": end, "character": 0}},
                "text": inserted,
            }),
            None => json!({"text": inserted}),
        };
        self.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": *version},
                   "contentChanges": [change]}),
        );
        *text = new;
    }
}

/// Makes the server check the workspace's package (a request about one of
/// its files), so that it is known even with no document open.
fn know_the_package(client: &mut Client, root: &Path) {
    client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&root.join("schema/funds.camp"))}}),
    );
}

/// What a server started now shows with the same documents open on the
/// same disk.
fn from_scratch(root: &Path, open: &BTreeMap<PathBuf, (String, i32)>) -> View {
    let mut client = Client::start_in(&[root]);
    for (path, (text, _)) in open {
        client.open(path, text);
    }
    know_the_package(&mut client, root);
    let view = view(&mut client);
    client.stop();
    view
}

/// Random sequences of edits to open documents, of files changed on disk
/// (with their watched-file events), of documents closed and opened: after
/// every step the client shows what a server started from scratch shows.
#[test]
fn incremental_diagnostics_equal_a_check_from_scratch() {
    for seed in [0x9e37_79b9_7f4a_7c15_u64, 0x2545_f491_4f6c_dd1d, 42] {
        let (scratch, files) = platform();
        let root = scratch.path();
        let originals: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|file| {
                (
                    root.join(file),
                    std::fs::read_to_string(root.join(file)).unwrap(),
                )
            })
            .collect();
        let mut random = Random(seed);
        let mut editor = Editor {
            client: Client::start_in(&[root]),
            open: BTreeMap::new(),
        };
        know_the_package(&mut editor.client, root);
        for step in 0..30 {
            let path = root.join(&files[random.below(files.len())]);
            let what = random.below(10);
            let action = if editor.open.contains_key(&path) {
                match what {
                    0 => "close",
                    1 => "restore",
                    _ => "edit",
                }
            } else if what < 6 {
                "open"
            } else {
                "disk"
            };
            match action {
                "open" => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    editor.client.open(&path, &text);
                    editor.open.insert(path.clone(), (text, 1));
                }
                "close" => {
                    editor.open.remove(&path);
                    editor.client.notify(
                        "textDocument/didClose",
                        json!({"textDocument": {"uri": uri(&path)}}),
                    );
                }
                "restore" => {
                    let original = originals[&path].clone();
                    editor.change(&path, None, &original, original.clone());
                }
                "edit" => {
                    let text = editor.open[&path].0.clone();
                    let (range, inserted, new) = edit(&text, &mut random);
                    editor.change(&path, range, &inserted, new);
                }
                _ => {
                    // Written by another program, then announced.
                    let text = std::fs::read_to_string(&path).unwrap();
                    let (_, _, new) = edit(&text, &mut random);
                    let new = if new == text {
                        originals[&path].clone()
                    } else {
                        new
                    };
                    std::fs::write(&path, new).unwrap();
                    editor.client.notify(
                        "workspace/didChangeWatchedFiles",
                        json!({"changes": [{"uri": uri(&path), "type": 2}]}),
                    );
                }
            }
            let incremental = view(&mut editor.client);
            let expected = from_scratch(root, &editor.open);
            assert_eq!(
                incremental,
                expected,
                "seed {seed:#x}, step {step}: {action} {}",
                path.display()
            );
        }
        editor.client.stop();
    }
}

fn publications(client: &Client, from: usize) -> Vec<(String, usize)> {
    client.notifications[from..]
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics")
        .map(|n| {
            (
                n.params["uri"].as_str().unwrap().to_string(),
                n.params["diagnostics"].as_array().unwrap().len(),
            )
        })
        .collect()
}

/// An edit publishes the files whose diagnostics it changed, and only
/// those: a file whose diagnostics went to none is cleared; the others
/// are not sent again.
#[test]
fn only_the_files_whose_diagnostics_changed_are_published() {
    let (scratch, _) = platform();
    let root = scratch.path();
    let funds = root.join("schema/funds.camp");
    let text = std::fs::read_to_string(&funds).unwrap();
    let mut client = Client::start_in(&[root]);
    let funds_uri = client.open(&funds, &text);
    let before = view(&mut client);
    assert!(before.is_empty(), "{before:?}");
    // A comment line: the diagnostics of `funds.camp` would move, but it
    // has none; nothing is published.
    let start = client.notifications.len();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": funds_uri, "version": 2},
               "contentChanges": [{"text": format!("// note\n{text}")}]}),
    );
    view(&mut client);
    assert_eq!(publications(&client, start), []);
    // Every fund gone: the campaigns that use them have errors, each file
    // published once.
    let start = client.notifications.len();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": funds_uri, "version": 3},
               "contentChanges": [{"text": ""}]}),
    );
    let broken = view(&mut client);
    let published = publications(&client, start);
    assert!(!broken.is_empty());
    let mut uris: Vec<&String> = published.iter().map(|(uri, _)| uri).collect();
    uris.sort();
    uris.dedup();
    assert_eq!(uris.len(), published.len(), "{published:?}");
    assert_eq!(uris, broken.keys().collect::<Vec<_>>());
    // Restored: exactly those files are cleared.
    let start = client.notifications.len();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": funds_uri, "version": 4},
               "contentChanges": [{"text": text}]}),
    );
    assert!(view(&mut client).is_empty());
    let cleared = publications(&client, start);
    assert!(cleared.iter().all(|(_, count)| *count == 0), "{cleared:?}");
    let mut cleared: Vec<&String> = cleared.iter().map(|(uri, _)| uri).collect();
    cleared.sort();
    assert_eq!(cleared, broken.keys().collect::<Vec<_>>());
    client.stop();
}

/// The disk is read once: a file written without a watched-file event is
/// not seen by the next edit; its event makes the server read it (and
/// only then).
#[test]
fn a_file_changed_on_disk_is_read_on_its_watched_file_event() {
    let (scratch, _) = platform();
    let root = scratch.path();
    let funds = root.join("schema/funds.camp");
    let campaign = root.join("campaigns/double12.camp");
    let mut client = Client::start_in(&[root]);
    let campaign_uri = client.open(&campaign, &std::fs::read_to_string(&campaign).unwrap());
    assert!(view(&mut client).is_empty());
    std::fs::write(&funds, "").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": campaign_uri, "version": 2},
               "contentChanges": [{"text": std::fs::read_to_string(&campaign).unwrap()}]}),
    );
    assert!(view(&mut client).is_empty());
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&funds), "type": 2}]}),
    );
    let broken = view(&mut client);
    assert!(broken.contains_key(&campaign_uri), "{broken:?}");
    client.stop();
}

/// A client that lets the server register watchers is asked to watch the
/// `.camp` files and `camp.toml`; one that does not is not asked.
#[test]
fn the_server_registers_a_file_watcher_when_the_client_allows_it() {
    for (allowed, expected) in [(true, 1), (false, 0)] {
        let client = Client::start_with(json!({
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": allowed}}},
        }));
        // The test client drops the server's requests: read the messages
        // up to the answer of a request sent after `initialized`.
        let id = lsp_server::RequestId::from(1000);
        client
            .connection
            .sender
            .send(Message::Request(lsp_server::Request::new(
                id.clone(),
                String::from("workspace/symbol"),
                json!({"query": "x"}),
            )))
            .unwrap();
        let mut registrations: Vec<Value> = Vec::new();
        loop {
            match client.connection.receiver.recv().unwrap() {
                Message::Request(request) if request.method == "client/registerCapability" => {
                    registrations.push(request.params);
                }
                Message::Response(response) if response.id == id => break,
                _ => {}
            }
        }
        client.stop();
        assert_eq!(registrations.len(), expected, "{registrations:?}");
        if let Some(registration) = registrations.first() {
            insta::assert_json_snapshot!(registration);
        }
    }
}

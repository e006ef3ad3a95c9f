//! The server in-process (`Connection::memory()`), driven like an editor:
//! open a file of a package on disk, edit it, ask for hover and definition.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Client, package, uri};
use lsp_server::{Message, Request, RequestId};
use serde_json::{Value, json};

const CAMPAIGN: &str = "/// 春节立减 😀\ncampaign spring_coupon {\n  title: \"春节立减 😀\"\n  owner: \"growth\"\n  fund: platform_marketng\n  scenes: [merchant_purchase]\n  window: 2027-03-01 00:00 to 2027-03-08 00:00 Asia/Shanghai\n  reward: CNY 2.00 off, min_spend CNY 20.00\n  budget: CNY 10_000.00\n  limit: 1 per user\n  rollout {\n    stage segment qa_accounts for 30min\n    stage 100%\n  }\n  guard: halt when spend > CNY 500.00 per 1min\n}\n";

#[test]
fn diagnostics_follow_edits() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, CAMPAIGN);
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
        let uri = client.open(&path, &text);
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
    let uri = client.open(&path, &fixed());
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
        let input = camp_fs::load_package(&camp_fs::PackageRoot {
            root: root.clone(),
            only: None,
        })
        .unwrap();
        let mut input = input;
        // The server uses the real time too.
        input.lints.now = Some(jiff::Timestamp::now());
        let analysis = camp_core::package::analyze(input);
        // The very report `campc check --format json` prints.
        let items: Vec<_> = analysis
            .diagnostics
            .iter()
            .map(|d| (d, &analysis.sources))
            .collect();
        let report: Value = serde_json::from_str(&campc::render::json::to_string(
            &campc::render::json::report(&items, 0, 0),
        ))
        .unwrap();
        let mut expected: Vec<(String, String, u64, u64)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let mut message = d["message"].as_str().unwrap().to_string();
                if let Some(help) = d["help"].as_str() {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                (
                    d["code"].as_str().unwrap().to_string(),
                    message,
                    d["range"]["start"]["line"].as_u64().unwrap() - 1,
                    d["range"]["start"]["column"].as_u64().unwrap() - 1,
                )
            })
            .collect();
        expected.sort();

        // What the server publishes with every file of the package open.
        let mut client = Client::start(&["utf-16"]);
        let files = camp_fs::camp_files(&root).unwrap();
        for file in &files {
            client.open(file, &std::fs::read_to_string(file).unwrap());
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

fn fixed() -> String {
    CAMPAIGN.replace("platform_marketng", "platform_marketing")
}

#[test]
fn references_and_rename_across_files() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &fixed());
    // `qa_accounts` in `stage segment qa_accounts` (line 11).
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": 11, "character": 20}, "context": {"includeDeclaration": true}});
    let references = client.request("textDocument/references", at);
    let files: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("/schema.camp"))
            && files.iter().any(|f| f.ends_with("/coupon.camp")),
        "{references}"
    );

    let rename = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": 11, "character": 20}, "newName": "staff_canary"}),
    );
    let changes = rename["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{rename}");
    for edits in changes.values() {
        assert!(
            edits
                .as_array()
                .unwrap()
                .iter()
                .all(|edit| edit["newText"] == "staff_canary")
        );
    }
    // A reserved word is refused with a reason.
    client.next_id += 1;
    let id = RequestId::from(client.next_id);
    client
        .connection
        .sender
        .send(Message::Request(Request::new(
            id.clone(),
            String::from("textDocument/rename"),
            json!({"textDocument": {"uri": uri}, "position": {"line": 11, "character": 20}, "newName": "campaign"}),
        )))
        .unwrap();
    loop {
        if let Message::Response(response) = client
            .connection
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap()
            && response.id == id
        {
            let error = response.response_result.unwrap_err();
            assert!(error.message.contains("reserved"), "{}", error.message);
            break;
        }
    }
    client.stop();
}

#[test]
fn symbols_folding_formatting_hints() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &fixed());
    let document = json!({"textDocument": {"uri": uri}});

    let symbols = client.request("textDocument/documentSymbol", document.clone());
    assert_eq!(symbols[0]["name"], "spring_coupon");
    assert!(
        symbols[0]["children"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "reward")
    );

    let folds = client.request("textDocument/foldingRange", document.clone());
    assert!(
        folds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["startLine"] == 1 && f["endLine"] == 15),
        "{folds}"
    );

    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]), "the fixture is already formatted");

    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
    );
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"exposure CNY 10_000.00 · 1 approval"),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.starts_with("2027-02-28T16:00:00Z")),
        "{labels:?}"
    );

    let symbols = client.request("workspace/symbol", json!({"query": "platform"}));
    assert!(
        symbols
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "platform_marketing"),
        "{symbols}"
    );
    client.stop();
}

#[test]
fn completion_offers_what_fits_the_place() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let text = fixed();
    let uri = client.open(&path, &text);
    let labels = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let items = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // After the second instant of the window (line 6): every zone a window
    // accepts, the common ones first.
    let zones = labels(&mut client, 6, 47);
    assert_eq!(
        zones[..4],
        ["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "+08:00"],
        "{zones:?}"
    );
    assert!(
        zones.len() > 300
            && zones.contains(&String::from("Europe/London"))
            && !zones.contains(&String::from("Asia/Beijing")),
        "{} zones",
        zones.len()
    );
    // After `  fund: ` (line 4): funds only.
    let funds = labels(&mut client, 4, 8);
    assert!(
        funds.contains(&String::from("platform_marketing"))
            && !funds.contains(&String::from("merchant_purchase")),
        "{funds:?}"
    );
    // In `  scenes: [` (line 5): scenes and `any`.
    let scenes = labels(&mut client, 5, 11);
    assert!(
        scenes.contains(&String::from("merchant_purchase"))
            && scenes.contains(&String::from("any")),
        "{scenes:?}"
    );
    // At the start of a field line: the fields.
    let fields = labels(&mut client, 3, 2);
    assert!(
        fields.contains(&String::from("expected_peak")),
        "{fields:?}"
    );
    // After `  reward: ` (line 7): every reward form, the v2 ones included.
    let forms = labels(&mut client, 7, 10);
    assert_eq!(
        forms,
        ["fixed", "percentage", "tiers", "random", "every", "price"],
        "{forms:?}"
    );
    // Hover on `reward` shows how every form is written, `max_spend` too.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 4}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("every MONEY => MONEY off, cap MONEY")
            && text.contains("price MONEY, max_spend MONEY")
            && text.contains(", max_spend MONEY"),
        "{text}"
    );
    // At the top level: snippets for a campaign and a template.
    let top = labels(&mut client, 0, 0);
    assert_eq!(
        top,
        vec![String::from("campaign"), String::from("template")]
    );
    client.stop();
}

/// The code actions offered for `diagnostics` over the first lines of `uri`.
fn code_actions(client: &mut Client, uri: &str, diagnostics: &[Value]) -> Value {
    client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 15, "character": 0}},
               "context": {"diagnostics": diagnostics}}),
    )
}

/// Opens `text` in a new client and returns the one edit of the action
/// titled `title`.
fn edit_of_action(path: &Path, text: &str, title: &str) -> Value {
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(path, text);
    let diagnostics = client.diagnostics(&uri);
    let actions = code_actions(&mut client, &uri, &diagnostics);
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"] == title)
        .unwrap_or_else(|| panic!("no `{title}` in {actions:#}"));
    let edit = action["edit"]["changes"][&uri][0].clone();
    client.stop();
    edit
}

#[test]
fn code_actions_fix_typos_and_suppress_findings() {
    let (_scratch, path) = package();
    let text = CAMPAIGN.replace("  guard: halt when spend > CNY 500.00 per 1min\n", "");
    let fixed_typo = text.replace("platform_marketng", "platform_marketing");

    assert_eq!(
        edit_of_action(&path, &text, "Replace with `platform_marketing`"),
        json!({"range": {"start": {"line": 4, "character": 8}, "end": {"line": 4, "character": 25}},
               "newText": "platform_marketing"})
    );

    // A diagnostic the client holds from an older text (another range) gets
    // no compiler fix: it would land on text that has moved.
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &text);
    let mut stale = client.diagnostics(&uri);
    stale[0]["range"]["start"]["character"] = json!(9);
    assert_eq!(code_actions(&mut client, &uri, &stale), json!([]));
    client.stop();

    // An uncapped percentage is capped at the fund's `max_per_use`, after
    // `  reward: 15% off, min_spend CNY 20.00` (line 7).
    assert_eq!(
        edit_of_action(
            &path,
            &fixed_typo.replace("reward: CNY 2.00 off", "reward: 15% off"),
            "Add a cap at the fund's `max_per_use`, `CNY 500.00`"
        ),
        json!({"range": {"start": {"line": 7, "character": 38}, "end": {"line": 7, "character": 38}},
               "newText": ", cap CNY 500.00"})
    );

    // A missing field: its name is added after `campaign spring_coupon {`
    // (line 1), its value left to the author (no invented amount, owner or
    // window).
    assert_eq!(
        edit_of_action(
            &path,
            &fixed_typo.replace("  owner: \"growth\"\n", ""),
            "Add `owner:` and write its value"
        ),
        json!({"range": {"start": {"line": 1, "character": 24}, "end": {"line": 1, "character": 24}},
               "newText": "\n  owner: "})
    );

    // A lint finding's fix too: a window ending at `23:59` ends at the next
    // day's `00:00` instead (line 6, after `  window: 2027-03-01 00:00 to `).
    assert_eq!(
        edit_of_action(
            &path,
            &fixed_typo.replace("to 2027-03-08 00:00", "to 2027-03-07 23:59"),
            "End the window at `2027-03-08 00:00`"
        ),
        json!({"range": {"start": {"line": 6, "character": 30}, "end": {"line": 6, "character": 46}},
               "newText": "2027-03-08 00:00"})
    );

    // With the typo fixed, the missing guard is a lint finding that can be
    // suppressed.
    let edit = edit_of_action(
        &path,
        &fixed_typo,
        "Suppress `no-spend-guard` here (with a reason)",
    );
    assert_eq!(
        edit["newText"],
        "// camp: allow(no-spend-guard) reason: …\n"
    );
}

#[test]
fn hover_keeps_working_while_the_campaign_does_not_parse() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &fixed());
    client.diagnostics(&uri);
    // Break the reward line: the campaign no longer parses.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 7, "character": 10}, "end": {"line": 7, "character": 14}}, "text": "CNY 2.00 of"}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "E0105"),
        "{diagnostics:?}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Worst-case exposure"),
        "the last good model answers: {text}"
    );
    client.stop();
}

/// Types the campaign one character at a time, asking for hover,
/// completion and diagnostics after every keystroke: the server never
/// fails, and ends with the right diagnostics.
#[test]
fn typing_a_campaign_character_by_character() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, "");
    let mut line = 0u32;
    let mut character = 0u32;
    for (index, ch) in CAMPAIGN.chars().enumerate() {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": index + 2},
                   "contentChanges": [{"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": ch.to_string()}]}),
        );
        if ch == '\n' {
            line += 1;
            character = 0;
        } else {
            character += ch.len_utf16() as u32;
        }
        let at = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        client.request("textDocument/hover", at.clone());
        client.request("textDocument/completion", at);
    }
    let diagnostics = client.diagnostics(&uri);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["E0203"]);
    client.stop();
}

#[test]
fn semantic_tokens_classify_names_by_kind() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let uri = client.open(&path, &fixed());
    client.diagnostics(&uri);
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // Decode to (line, start, length, type).
    let (mut line, mut start) = (0, 0);
    let mut decoded = Vec::new();
    for chunk in data.chunks(5) {
        if chunk[0] > 0 {
            line += chunk[0];
            start = chunk[1];
        } else {
            start += chunk[1];
        }
        decoded.push((line, start, chunk[2], chunk[3]));
    }
    // The doc comment, `campaign` (keyword), `spring_coupon` (class),
    // `fund` (property), `platform_marketing` (struct).
    assert_eq!(decoded[0], (0, 0, 11, 10), "{decoded:?}");
    assert!(decoded.contains(&(1, 0, 8, 0)), "{decoded:?}");
    assert!(decoded.contains(&(1, 9, 13, 5)), "{decoded:?}");
    assert!(decoded.contains(&(4, 2, 4, 6)), "{decoded:?}");
    assert!(decoded.contains(&(4, 8, 18, 3)), "{decoded:?}");
    client.stop();
}

/// (v2) A pool's keyword and name, and the pool named in `pool:`.
#[test]
fn semantic_tokens_classify_a_pool() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    let text = "pool spring_pool {\n  fund: platform_marketing\n  budget: CNY 1_000.00\n}\n\ncampaign c {\n  pool: spring_pool\n}\n";
    let uri = client.open(&path, text);
    client.diagnostics(&uri);
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0, 0);
    let mut decoded = Vec::new();
    for chunk in data.chunks(5) {
        if chunk[0] > 0 {
            line += chunk[0];
            start = chunk[1];
        } else {
            start += chunk[1];
        }
        decoded.push((line, start, chunk[2], chunk[3]));
    }
    // `pool` (keyword), `spring_pool` (struct, as funds), and its use.
    assert!(decoded.contains(&(0, 0, 4, 0)), "{decoded:?}");
    assert!(decoded.contains(&(0, 5, 11, 3)), "{decoded:?}");
    assert!(decoded.contains(&(6, 8, 11, 3)), "{decoded:?}");
    client.stop();
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled() {
    let (_scratch, path) = package();
    let mut client = Client::start(&["utf-16"]);
    // A large file keeps the server busy checking it while the request and
    // its cancellation arrive.
    let big: String = (0..300)
        .map(|index| fixed().replace("spring_coupon", &format!("coupon_{index}")))
        .collect();
    let uri = client.open(&path, &big);
    client.next_id += 1;
    let id = RequestId::from(client.next_id);
    client
        .connection
        .sender
        .send(Message::Request(Request::new(
            id.clone(),
            String::from("textDocument/hover"),
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}}),
        )))
        .unwrap();
    client.notify("$/cancelRequest", json!({"id": client.next_id}));
    loop {
        if let Message::Response(response) = client
            .connection
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap()
            && response.id == id
        {
            assert_eq!(response.response_result.unwrap_err().code, -32800);
            break;
        }
    }
    // The server goes on.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("campaign coupon_0")
    );
    client.stop();
}

//! The Camp language server: a thin shell around the compiler core. It
//! keeps the open documents, re-checks the package an edit belongs to (open
//! buffers over the files on disk, `camp.toml` lints included), publishes
//! exactly the diagnostics `campc check` gives, and answers hover and
//! go-to-definition from the last analysis.
//!
//! Package loading is in `packages.rs`, declared names and hover text in
//! `names.rs`. Only this crate knows LSP types.

mod checked;
pub mod evaluation;
pub mod features;
pub mod index;
pub mod lines;
mod names;
mod packages;
pub mod position;
pub mod uri;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::package::{Analysis, ParseCache};
use camp_core::source::Span;
use camp_fs::PackageRoot;
use gen_lsp_types as lsp;
use lsp_server::{Connection, Message, Notification, Request, Response};

use self::checked::Checked;
use self::names::describe;
pub(crate) use self::names::{declaration, declarations};
use self::position::Encoding;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// One open document.
#[derive(Debug, Clone)]
struct Document {
    text: String,
    version: i32,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    /// The folders the client opened (its workspace folders, or else its
    /// root), resolved on disk. Empty when it named none: then the server
    /// knows only the open documents and their packages.
    workspace: Vec<PathBuf>,
    documents: BTreeMap<PathBuf, Document>,
    /// The last analysis of each package the server knows: a package of
    /// the workspace, or the package of an open document.
    analyses: BTreeMap<PackageRoot, Arc<Checked>>,
    /// The last analysis of each package in which every file parsed: it
    /// answers hover and definition while an edit is half-typed.
    last_good: BTreeMap<PackageRoot, Arc<Checked>>,
    /// Each package's parsed files, so an edit re-parses only the file
    /// it changed.
    parse_caches: BTreeMap<PackageRoot, ParseCache>,
    /// The last run of each package's tests (only while it compiles):
    /// hover on a `pay` line shows its decision.
    test_runs: BTreeMap<PackageRoot, evaluation::CachedRun>,
    /// The diagnostics last published for each URI: a check publishes
    /// only the files whose diagnostics changed, and clears those that
    /// went to none.
    published: BTreeMap<String, Vec<lsp::Diagnostic>>,
    /// Each package's files as last read from disk (see
    /// [`packages::DiskSnapshot`]): an edit reads nothing from disk.
    snapshots: BTreeMap<PackageRoot, packages::DiskSnapshot>,
    /// Whether the client lets the server register a file watcher.
    watch_dynamically: bool,
    /// The URI of each file path a check has seen, computed once.
    uris: HashMap<String, String>,
}

/// Runs the server until the client says `exit`.
pub fn run(connection: &Connection) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start()?;
    let workspace = workspace_folders(&params);
    let watch_dynamically = params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let offers_utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
    let encoding = if offers_utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSync::Kind(
            lsp::TextDocumentSyncKind::Incremental,
        )),
        hover_provider: Some(lsp::HoverProvider::Bool(true)),
        definition_provider: Some(lsp::DefinitionProvider::Bool(true)),
        references_provider: Some(lsp::ReferencesProvider::Bool(true)),
        rename_provider: Some(lsp::RenameProvider::Bool(true)),
        document_symbol_provider: Some(lsp::DocumentSymbolProvider::Bool(true)),
        workspace_symbol_provider: Some(lsp::WorkspaceSymbolProvider::Bool(true)),
        folding_range_provider: Some(lsp::FoldingRangeProvider::Bool(true)),
        document_formatting_provider: Some(lsp::DocumentFormattingProvider::Bool(true)),
        code_action_provider: Some(lsp::CodeActionProvider::Bool(true)),
        inlay_hint_provider: Some(lsp::InlayHintProvider::Bool(true)),
        semantic_tokens_provider: Some(lsp::SemanticTokensProvider::SemanticTokensOptions(
            lsp::SemanticTokensOptions {
                legend: lsp::SemanticTokensLegend {
                    token_types: features::TOKEN_TYPES
                        .iter()
                        .map(|name| name.to_string())
                        .collect(),
                    token_modifiers: Vec::new(),
                },
                range: None,
                full: Some(lsp::Full::Bool(true)),
                work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![String::from(":"), String::from("[")]),
            ..lsp::CompletionOptions::default()
        }),
        ..lsp::ServerCapabilities::default()
    };
    let result = lsp::InitializeResult {
        capabilities,
        server_info: Some(lsp::ServerInfo {
            name: String::from("camp-lsp"),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;

    let mut server = Server {
        connection,
        encoding,
        workspace,
        documents: BTreeMap::new(),
        analyses: BTreeMap::new(),
        last_good: BTreeMap::new(),
        parse_caches: BTreeMap::new(),
        test_runs: BTreeMap::new(),
        published: BTreeMap::new(),
        snapshots: BTreeMap::new(),
        watch_dynamically,
        uris: HashMap::new(),
    };
    // `initialize_finish` has read the client's `initialized`.
    server.watch_files();
    // Messages already received but not yet handled, in order.
    let mut queue: VecDeque<Message> = VecDeque::new();
    loop {
        let message = match queue.pop_front() {
            Some(message) => message,
            None => match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => break,
            },
        };
        // Look at what the client has sent since: a cancellation of this
        // request, or more edits to the same document.
        queue.extend(connection.receiver.try_iter());
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                if let Some(index) = queue
                    .iter()
                    .position(|queued| is_cancellation_of(queued, &id))
                {
                    queue.remove(index);
                    let response = Response::new_err(
                        id,
                        REQUEST_CANCELLED,
                        String::from("cancelled by the client"),
                    );
                    connection.sender.send(Message::Response(response))?;
                    continue;
                }
                // A bug in one handler must not take the server down.
                let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.request(request)
                }))
                .unwrap_or_else(|_| {
                    eprintln!("camp-lsp: a request handler failed; the server goes on");
                    Response::new_err(id, -32603, String::from("internal error in camp-lsp"))
                });
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                // While more edits to the same document are waiting, apply
                // this one without checking: the last edit checks.
                let check = !(notification.method == "textDocument/didChange"
                    && queue
                        .front()
                        .is_some_and(|next| same_document_change(next, &notification)));
                let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.notification(notification, check)
                }));
                if handled.is_err() {
                    eprintln!("camp-lsp: a notification handler failed; the server goes on");
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

impl Server<'_> {
    /// Handles a notification; `check` is false for an edit that another
    /// waiting edit of the same document will follow.
    fn notification(&mut self, notification: Notification, check: bool) {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidOpenTextDocumentParams>(notification.params)
                    && let Some(path) = uri::to_path(&params.text_document.uri.0)
                {
                    self.documents.insert(
                        path.clone(),
                        Document {
                            text: params.text_document.text,
                            version: params.text_document.version,
                        },
                    );
                    // A document just opened always hears back.
                    if let Some(uri) = uri::from_path(&path) {
                        self.published.remove(&uri);
                    }
                    self.recheck(&path);
                }
            }
            "textDocument/didChange" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(notification.params)
                    && let Some(path) =
                        uri::to_path(&params.text_document.text_document_identifier.uri.0)
                    && let Some(document) = self.documents.get_mut(&path)
                {
                    for change in params.content_changes {
                        apply_change(document, change, self.encoding);
                    }
                    document.version = params.text_document.version;
                    if check {
                        self.recheck(&path);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidSaveTextDocumentParams>(notification.params)
                    && let Some(path) = uri::to_path(&params.text_document.uri.0)
                    && (self.servable(&path) || (is_camp(&path) && self.in_workspace(&path)))
                {
                    self.disk_changed(&path);
                    self.recheck(&path);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(notification.params)
                {
                    self.files_changed(
                        params
                            .changes
                            .iter()
                            .filter_map(|change| uri::to_path(&change.uri.0))
                            .collect(),
                    );
                }
            }
            "textDocument/didClose" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(notification.params)
                    && let Some(path) = uri::to_path(&params.text_document.uri.0)
                {
                    self.documents.remove(&path);
                    self.closed(&path);
                }
            }
            _ => {}
        }
    }

    /// Asks the client to tell the server when a `.camp` file or a
    /// `camp.toml` changes on disk, if it lets the server register a
    /// watcher: the server reads the disk once per package and then only
    /// what these events name.
    fn watch_files(&self) {
        if !self.watch_dynamically {
            return;
        }
        let watchers: Vec<serde_json::Value> = ["**/*.camp", "**/camp.toml"]
            .iter()
            .map(|pattern| serde_json::json!({"globPattern": pattern}))
            .collect();
        let params = serde_json::json!({"registrations": [{
            "id": "camp-lsp/watched-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]});
        let _ = self.connection.sender.send(Message::Request(Request::new(
            lsp_server::RequestId::from(String::from("camp-lsp/watch")),
            String::from("client/registerCapability"),
            params,
        )));
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        if let Some(refusal) = self.refusal(&request) {
            return Response::new_err(id, INVALID_PARAMS, refusal);
        }
        let params = request.params;
        let encoding = self.encoding;
        let result = match request.method.as_str() {
            "textDocument/hover" => answer(params, |p: lsp::HoverParams| {
                self.hover(&p.text_document_position_params)
            }),
            "textDocument/definition" => answer(params, |p: lsp::DefinitionParams| {
                self.definition(&p.text_document_position_params)
            }),
            "textDocument/references" => answer(params, |p: lsp::ReferenceParams| {
                let (analysis, _, text, offset) = self.locate(&p.text_document_position_params)?;
                let name = word_at(&text, offset)?;
                Some(features::references(
                    analysis,
                    &name,
                    p.context.include_declaration,
                    encoding,
                ))
            }),
            "textDocument/rename" => {
                let outcome = serde_json::from_value::<lsp::RenameParams>(params)
                    .map_err(|error| error.to_string())
                    .and_then(|p| {
                        let (analysis, _, text, offset) = self
                            .locate(&p.text_document_position_params)
                            .ok_or_else(|| String::from("nothing to rename here"))?;
                        let name =
                            word_at(&text, offset).ok_or_else(|| String::from("no name here"))?;
                        features::rename(analysis, &name, &p.new_name, encoding)
                    });
                match outcome {
                    Ok(edit) => serde_json::to_value(edit).unwrap_or_default(),
                    Err(reason) => return Response::new_err(id, INVALID_PARAMS, reason),
                }
            }
            "textDocument/documentSymbol" => answer(params, |p: lsp::DocumentSymbolParams| {
                let (analysis, file) = self.file(&p.text_document.uri.0)?;
                Some(features::document_symbols(analysis, file, encoding))
            }),
            "workspace/symbol" => answer(params, |p: lsp::WorkspaceSymbolParams| {
                Some(
                    self.analyses
                        .values()
                        .flat_map(|analysis| {
                            features::workspace_symbols(analysis, &p.query, encoding)
                        })
                        .collect::<Vec<_>>(),
                )
            }),
            "textDocument/foldingRange" => answer(params, |p: lsp::FoldingRangeParams| {
                let (analysis, file) = self.file(&p.text_document.uri.0)?;
                Some(features::folding_ranges(analysis, file))
            }),
            "textDocument/formatting" => answer(params, |p: lsp::DocumentFormattingParams| {
                let text = self.text_of(&uri::to_path(&p.text_document.uri.0)?)?;
                features::formatting(&text, encoding)
            }),
            "textDocument/codeAction" => answer(params, |p: lsp::CodeActionParams| {
                let text = self.text_of(&uri::to_path(&p.text_document.uri.0)?)?;
                Some(features::code_actions(
                    &p.text_document.uri.0,
                    &text,
                    &p.context.diagnostics,
                    self.file(&p.text_document.uri.0),
                    encoding,
                ))
            }),
            "textDocument/completion" => answer(params, |p: lsp::CompletionParams| {
                let at = &p.text_document_position_params;
                let path = uri::to_path(&at.text_document.uri.0)?;
                let text = self.text_of(&path)?;
                let offset = position::offset(&text, at.position, encoding);
                Some(features::completion(
                    self.analysis_of(&path)?,
                    &text,
                    offset,
                ))
            }),
            "textDocument/semanticTokens/full" => answer(params, |p: lsp::SemanticTokensParams| {
                let path = uri::to_path(&p.text_document.uri.0)?;
                let text = self.text_of(&path)?;
                Some(lsp::SemanticTokens {
                    result_id: None,
                    data: features::semantic_tokens(self.analysis_of(&path), &text, encoding),
                })
            }),
            "textDocument/inlayHint" => answer(params, |p: lsp::InlayHintParams| {
                let (analysis, file) = self.file(&p.text_document.uri.0)?;
                Some(features::inlay_hints(analysis, file, encoding))
            }),
            method => {
                return Response::new_err(
                    id,
                    -32601,
                    format!("camp-lsp does not handle `{method}`"),
                );
            }
        };
        Response::new_ok(id, result)
    }

    /// Why a request about a document is refused: the server answers only
    /// for open documents and the `.camp` files of the packages it knows
    /// (the workspace's, and those of open documents), and never reads
    /// another file. A `.camp` file of the workspace not checked yet gets
    /// its package checked first.
    fn refusal(&mut self, request: &Request) -> Option<String> {
        let uri = request.params.pointer("/textDocument/uri")?.as_str()?;
        let Some(path) = uri::to_path(uri) else {
            return Some(format!(
                "`{uri}` is not the `file://` URI of a local file; camp-lsp answers only for open documents and the `.camp` files of the workspace's packages"
            ));
        };
        if self.servable(&path) {
            return None;
        }
        if is_camp(&path) && self.in_workspace(&path) {
            self.recheck(&path);
            if self.servable(&path) {
                return None;
            }
        }
        Some(format!(
            "`{}` is neither an open document nor a `.camp` file of a package in the workspace; camp-lsp answers only for those",
            path.display()
        ))
    }

    /// Whether requests about a path are answered: an open document, or a
    /// file of a package the server has checked.
    fn servable(&self, path: &Path) -> bool {
        self.documents.contains_key(path)
            || self
                .analyses
                .values()
                .any(|analysis| source_of(analysis, path).is_some())
    }

    /// Whether a path is on disk inside one of the workspace folders (after
    /// symbolic links: a link inside pointing outside is outside).
    fn in_workspace(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| self.workspace.iter().any(|folder| real.starts_with(folder)))
    }

    /// Whether a package belongs to the workspace: inside a workspace
    /// folder, or holding one (a folder opened below its `camp.toml`).
    fn in_workspace_package(&self, package: &PackageRoot) -> bool {
        match &package.only {
            Some(files) => files.iter().all(|file| self.in_workspace(file)),
            None => package.root.canonicalize().is_ok_and(|root| {
                self.workspace
                    .iter()
                    .any(|folder| root.starts_with(folder) || folder.starts_with(&root))
            }),
        }
    }

    fn publish(&mut self, analysis: &Checked) {
        // Only the files that can hear back are visited, not every file of
        // the package: those with diagnostics now, those the client holds
        // diagnostics for, and the open documents.
        let mut by_uri: BTreeMap<String, Vec<lsp::Diagnostic>> = BTreeMap::new();
        // Diagnostics come sorted by file and position: one line table per
        // file converts them all in one pass.
        let mut lines = lines::SourceLines::new(&analysis.sources);
        for diagnostic in &analysis.diagnostics {
            let id = diagnostic.primary.span.file;
            if let Some(file) = analysis.sources.get(id) {
                let uri = match analysis.uri(id) {
                    Some(uri) => uri.to_string(),
                    // `camp.toml`.
                    None => self.uri_of(&file.path),
                };
                let converted = self.to_lsp(diagnostic, analysis, &mut lines);
                by_uri.entry(uri).or_default().push(converted);
            }
        }
        // `camp.toml` too: a problem fixed there is cleared.
        let manifest = analysis
            .sources
            .manifest()
            .map(|file| self.uri_of(&file.path));
        let in_package =
            |uri: &str| analysis.file_with_uri(uri).is_some() || manifest.as_deref() == Some(uri);
        let open: BTreeSet<String> = self
            .documents
            .keys()
            .filter_map(|path| uri::from_path(path))
            .collect();
        for uri in self.published.keys().chain(&open) {
            if in_package(uri) && !by_uri.contains_key(uri) {
                by_uri.insert(uri.clone(), Vec::new());
            }
        }
        for (uri, diagnostics) in by_uri {
            // Only what changed is published: a file whose diagnostics are
            // those the client has is left alone. A document just opened
            // hears back even when clean; another file only when it has
            // something or had something.
            match self.published.get(&uri) {
                Some(last) if *last == diagnostics => continue,
                Some(_) => {}
                None => {
                    if diagnostics.is_empty() && !open.contains(&uri) {
                        continue;
                    }
                }
            }
            let document = uri::to_path(&uri).and_then(|path| self.documents.get(&path));
            let version = document.map(|document| document.version);
            // An open document's empty set is kept, so it is not sent
            // again; another file's is forgotten once cleared.
            if diagnostics.is_empty() && document.is_none() {
                self.published.remove(&uri);
            } else {
                self.published.insert(uri.clone(), diagnostics.clone());
            }
            self.send_diagnostics(uri, version, diagnostics);
        }
    }

    /// A file's URI ([`file_uri`]), computed once per path.
    fn uri_of(&mut self, path: &str) -> String {
        if let Some(uri) = self.uris.get(path) {
            return uri.clone();
        }
        let uri = file_uri(path);
        self.uris.insert(path.to_string(), uri.clone());
        uri
    }

    fn send_diagnostics(
        &self,
        uri: String,
        version: Option<i32>,
        diagnostics: Vec<lsp::Diagnostic>,
    ) {
        let params = lsp::PublishDiagnosticsParams {
            uri: lsp::Uri(uri),
            version,
            diagnostics,
        };
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(
                String::from("textDocument/publishDiagnostics"),
                params,
            )));
    }

    fn range(&self, analysis: &Analysis, span: Span) -> Option<(String, lsp::Range)> {
        let file = analysis.sources.get(span.file)?;
        Some((
            file_uri(&file.path),
            lines::range_in(file, span, self.encoding),
        ))
    }

    fn to_lsp(
        &self,
        diagnostic: &Diagnostic,
        analysis: &Analysis,
        lines: &mut lines::SourceLines,
    ) -> lsp::Diagnostic {
        let range = lines
            .range(diagnostic.primary.span, self.encoding)
            .unwrap_or_default();
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
            .secondary
            .iter()
            .filter_map(|label| {
                let file = analysis.sources.get(label.span.file)?;
                let uri = file_uri(&file.path);
                let range = lines.range(label.span, self.encoding)?;
                Some(lsp::DiagnosticRelatedInformation {
                    location: lsp::Location {
                        uri: lsp::Uri(uri),
                        range,
                    },
                    message: label.message.clone(),
                })
            })
            .collect();
        lsp::Diagnostic {
            range,
            severity: Some(match diagnostic.severity {
                Severity::Error => lsp::DiagnosticSeverity::Error,
                Severity::Warning => lsp::DiagnosticSeverity::Warning,
                Severity::Note => lsp::DiagnosticSeverity::Information,
            }),
            code: Some(lsp::Code::String(diagnostic.code.to_string())),
            code_description: Some(lsp::CodeDescription {
                href: lsp::Uri(docs_link(diagnostic.code)),
            }),
            source: Some(String::from("campc")),
            message: lsp::Message::String(message),
            related_information: (!related.is_empty()).then_some(related),
            ..lsp::Diagnostic::default()
        }
    }

    /// The analyses to answer from: the latest, then the last in which
    /// every file parsed.
    fn candidates(&self) -> impl Iterator<Item = &Checked> {
        self.analyses
            .values()
            .chain(self.last_good.values())
            .map(|analysis| &**analysis)
    }

    /// The latest analysis holding a file, and the file's id.
    fn file(&self, uri: &str) -> Option<(&Analysis, camp_core::source::FileId)> {
        let path = uri::to_path(uri)?;
        self.analyses.values().find_map(|analysis| {
            let file = source_of(analysis, &path)?;
            Some((analysis.analysis(), file.id))
        })
    }

    /// The latest analysis holding a path.
    fn analysis_of(&self, path: &Path) -> Option<&Analysis> {
        self.candidates()
            .find(|analysis| source_of(analysis, path).is_some())
            .map(Checked::analysis)
    }

    /// The current text of a file: the open buffer, or the text the last
    /// check of its package read. A request never reads the disk.
    fn text_of(&self, path: &Path) -> Option<String> {
        match self.documents.get(path) {
            Some(document) => Some(document.text.clone()),
            None => self
                .analyses
                .values()
                .find_map(|analysis| source_of(analysis, path))
                .map(|file| file.text.to_string()),
        }
    }

    /// The analysis that knows the name under a position (the latest, or
    /// the last good one while an item does not parse), the file's id,
    /// the current text and the byte offset.
    fn locate(
        &self,
        at: &lsp::TextDocumentPositionParams,
    ) -> Option<(&Analysis, camp_core::source::FileId, String, usize)> {
        let path = uri::to_path(&at.text_document.uri.0)?;
        let text = self.text_of(&path)?;
        let offset = position::offset(&text, at.position, self.encoding);
        let name = word_at(&text, offset)?;
        let analysis = self
            .candidates()
            .find(|analysis| declaration(analysis, &name).is_some())
            .or_else(|| {
                self.candidates()
                    .find(|analysis| source_of(analysis, &path).is_some())
            })?;
        let file = source_of(analysis, &path)
            .map(|file| file.id)
            .unwrap_or_default();
        Some((analysis.analysis(), file, text, offset))
    }

    fn hover(&self, at: &lsp::TextDocumentPositionParams) -> Option<lsp::Hover> {
        // On a test's `pay` line: the evaluator's decision, then the name.
        let decision = self.decision_hover(at);
        let described = self.locate(at).and_then(|(analysis, _, text, offset)| {
            let word = word_at(&text, offset)?;
            features::field_hover(&text, offset, &word).or_else(|| describe(analysis, &word))
        });
        let markdown = match (decision, described) {
            (Some(decision), Some(described)) => format!("{decision}\n\n---\n\n{described}"),
            (Some(markdown), None) | (None, Some(markdown)) => markdown,
            (None, None) => return None,
        };
        Some(lsp::Hover {
            contents: lsp::Contents::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
    }

    /// The decision of the test line under the position, from the last
    /// test run of the file's package (the text it ran is the open text).
    fn decision_hover(&self, at: &lsp::TextDocumentPositionParams) -> Option<String> {
        let path = uri::to_path(&at.text_document.uri.0)?;
        let (package, file) = self
            .analyses
            .iter()
            .find_map(|(package, analysis)| Some((package, source_of(analysis, &path)?)))?;
        let run = self.test_runs.get(package)?;
        let offset = position::offset(&file.text, at.position, self.encoding);
        evaluation::decision_hover(&run.run, file.id, offset)
    }

    fn definition(&self, at: &lsp::TextDocumentPositionParams) -> Option<lsp::Location> {
        let (analysis, _, text, offset) = self.locate(at)?;
        let word = word_at(&text, offset)?;
        let (span, _, _) = declaration(analysis, &word)?;
        let (uri, range) = self.range(analysis, span)?;
        Some(lsp::Location {
            uri: lsp::Uri(uri),
            range,
        })
    }
}

/// The LSP error code of a request the client cancelled.
const REQUEST_CANCELLED: i32 = -32800;

/// The JSON-RPC error code of a request whose parameters cannot be served.
const INVALID_PARAMS: i32 = -32602;

/// The folders a client opened: its workspace folders, else its root URI,
/// else its (deprecated) root path; resolved on disk where they exist.
fn workspace_folders(params: &serde_json::Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .get("workspaceFolders")
        .and_then(serde_json::Value::as_array)
        .map(|folders| {
            folders
                .iter()
                .filter_map(|folder| folder.get("uri")?.as_str())
                .filter_map(uri::to_path)
                .collect()
        })
        .unwrap_or_default();
    let folders = if folders.is_empty() {
        params
            .get("rootUri")
            .and_then(serde_json::Value::as_str)
            .and_then(uri::to_path)
            .or_else(|| {
                params
                    .get("rootPath")
                    .and_then(serde_json::Value::as_str)
                    .and_then(|path| uri::normalize(Path::new(path)))
            })
            .into_iter()
            .collect()
    } else {
        folders
    };
    folders
        .into_iter()
        .map(|folder| folder.canonicalize().unwrap_or(folder))
        .collect()
}

/// The file of an analysis at a path (absolute), by its index.
fn source_of<'a>(analysis: &'a Checked, path: &Path) -> Option<&'a camp_core::source::SourceFile> {
    analysis.source(path)
}

fn is_camp(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "camp")
}

fn is_cancellation_of(message: &Message, id: &lsp_server::RequestId) -> bool {
    let Message::Notification(notification) = message else {
        return false;
    };
    if notification.method != "$/cancelRequest" {
        return false;
    }
    let cancelled = notification.params.get("id");
    serde_json::to_value(id).is_ok_and(|id| Some(&id) == cancelled)
}

fn same_document_change(message: &Message, change: &Notification) -> bool {
    match message {
        Message::Notification(next) => {
            next.method == "textDocument/didChange"
                && next.params.pointer("/textDocument/uri")
                    == change.params.pointer("/textDocument/uri")
        }
        _ => false,
    }
}

/// Where a code is documented: `docs/rules.md` for a lint rule,
/// `docs/errors.md` for an error (the same links as in SARIF).
fn docs_link(code: &str) -> String {
    let base = camp_core::diagnostic::DEFAULT_DOCS_URL;
    if code == evaluation::TEST_FAILED {
        format!("{base}language.md#tests")
    } else if camp_core::lint::find_rule(code).is_some() {
        format!("{base}rules.md#{code}")
    } else {
        format!("{base}errors.md#{code}")
    }
}

/// Parses a request's parameters and answers; `null` when there is
/// nothing to say.
fn answer<P, R>(
    params: serde_json::Value,
    handler: impl FnOnce(P) -> Option<R>,
) -> serde_json::Value
where
    P: serde::de::DeserializeOwned,
    R: serde::Serialize,
{
    serde_json::from_value::<P>(params)
        .ok()
        .and_then(handler)
        .and_then(|result| serde_json::to_value(result).ok())
        .unwrap_or(serde_json::Value::Null)
}

pub(crate) fn file_uri(path: &str) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| PathBuf::from(path));
    // Only the empty path has no absolute form, and no URI: an empty one,
    // which names no document the client has.
    uri::from_path(&absolute).unwrap_or_default()
}

fn now() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

fn apply_change(
    document: &mut Document,
    change: lsp::TextDocumentContentChangeEvent,
    encoding: Encoding,
) {
    match change {
        lsp::TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(whole) => {
            document.text = whole.text;
        }
        lsp::TextDocumentContentChangeEvent::TextDocumentContentChangePartial(partial) => {
            let positions = position::Positions::new(&document.text);
            let start = positions.offset(partial.range.start, encoding);
            let end = positions.offset(partial.range.end, encoding).max(start);
            document.text.replace_range(start..end, &partial.text);
        }
    }
}

/// The name under (or just before) a byte offset.
fn word_at(text: &str, offset: usize) -> Option<String> {
    let is_name = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_';
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, ch)| is_name(*ch))
        .last()
        .map_or(offset, |(index, _)| index);
    let end = offset
        + text
            .get(offset..)?
            .char_indices()
            .find(|(_, ch)| !is_name(*ch))
            .map_or(text.len() - offset, |(index, _)| index);
    let word = text.get(start..end)?;
    (!word.is_empty()).then(|| word.to_string())
}

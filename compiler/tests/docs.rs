//! The documentation a user's clone can read, checked:
//!
//! - every link in every Markdown file of the repository resolves inside it
//!   (the file exists, a `#fragment` names a heading or an `id` of the
//!   target), and no link leaves it: no web address, nothing above the
//!   repository's root;
//! - the `camp` blocks of `docs/language.md` compile, as one package, and
//!   each block marked `error CODE` or `planned` is refused;
//! - `docs/tutorial.md` is replayed: its files are written, its edits
//!   applied and every `$ campc …` it shows is run, and the output must be
//!   the one shown. `UPDATE_DOCS=1` rewrites the shown output instead;
//!   read the change before committing it.
//!
//! Code blocks are marked by the words after the language:
//!
//! | block | in `language.md` | in `tutorial.md` |
//! |---|---|---|
//! | `camp` | part of the document's package, must check cleanly | — |
//! | `camp fragment` | a piece of an item, not checked | not checked |
//! | `camp error E0xxx` | added to the package, must fail with exactly that code | — |
//! | `camp planned` | a form not implemented yet: must still be refused | — |
//! | `camp file=PATH`, `toml file=PATH` | — | written to `PATH` in the package |
//! | `diff file=PATH` | — | applied to `PATH` (` `, `-` and `+` lines) |
//! | `console` | — | each `$ campc …` is run in the package |
//! | `toml` | must be a valid `camp.toml` | — |
//! | `sh` and others | not checked | not checked |

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::lint::LintConfig;
use camp_core::package::{Analysis, InputFile, PackageInput, analyze};
use campc::render::human::{self, Style};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// 2027-06-01 00:00 UTC: "now" for the examples, whose windows are in 2028.
const NOW_SECONDS: i64 = 1_811_462_400;

// ---------------------------------------------------------------- Markdown

fn parse(text: &str) -> Parser<'_> {
    Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES,
    )
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Every Markdown file of the repository that git would track: the walk
/// honours `.gitignore` (so `target/`, `node_modules/` and build output are
/// skipped) even outside a git checkout.
fn markdown_files() -> Vec<PathBuf> {
    let root = repo();
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| {
            let name = entry.file_name();
            name != ".git" && name != "target" && name != "node_modules"
        })
        .build()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md") && path.is_file())
        .collect();
    files.sort();
    files
}

/// A heading's anchor as GitHub makes it: lowercase, punctuation dropped,
/// spaces turned into hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|ch| ch.is_alphanumeric() || *ch == ' ' || *ch == '-' || *ch == '_')
        .map(|ch| if ch == ' ' { '-' } else { ch })
        .collect()
}

/// Every anchor of a Markdown text: its headings' slugs (a repeated heading
/// gets `-1`, `-2`… as on GitHub) and the `id`s and `name`s of its HTML.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in parse(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().unwrap_or_default());
                let count = seen.entry(base.clone()).or_insert(0);
                anchors.insert(if *count == 0 {
                    base.clone()
                } else {
                    format!("{base}-{count}")
                });
                *count += 1;
            }
            Event::Text(piece) | Event::Code(piece) => {
                if let Some(heading) = &mut heading {
                    heading.push_str(&piece);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for attribute in ["id=\"", "name=\""] {
                    for (start, _) in html.match_indices(attribute) {
                        let rest = &html[start + attribute.len()..];
                        if let Some(end) = rest.find('"') {
                            anchors.insert(rest[..end].to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    anchors
}

/// Every link of a Markdown text, with its line: links and images, and bare
/// web addresses in prose (which GitHub turns into links too).
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_code_block = false;
    for (event, range) in parse(text).into_offset_iter() {
        let line = line_of(text, range.start);
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                found.push((line, dest_url.to_string()));
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(piece) if !in_code_block => {
                for scheme in ["http://", "https://"] {
                    for (start, _) in piece.match_indices(scheme) {
                        let address: String = piece[start..]
                            .chars()
                            .take_while(|ch| !ch.is_whitespace())
                            .collect();
                        found.push((line, address));
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (start, _) in html.match_indices("href=\"") {
                    let rest = &html[start + 6..];
                    if let Some(end) = rest.find('"') {
                        found.push((line, rest[..end].to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `%20` and friends, for paths written percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(hex) = text.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// What is wrong with one link of `file`, if anything.
fn link_problem(root: &Path, file: &Path, target: &str) -> Option<String> {
    let has_scheme = target
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '#', '.']));
    if has_scheme || target.starts_with("//") {
        return Some(String::from(
            "leaves the repository (a user's clone must be enough): link a file of the repository instead",
        ));
    }
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    let path = percent_decode(path);
    if path.starts_with('/') {
        return Some(String::from(
            "is absolute; write it relative to the file that links it",
        ));
    }
    let mut resolved = file.parent().unwrap().to_path_buf();
    for component in Path::new(&path).components() {
        match component {
            Component::ParentDir => {
                if !resolved.pop() || !resolved.starts_with(root) {
                    return Some(String::from("leaves the repository (`..` above its root)"));
                }
            }
            Component::Normal(part) => resolved.push(part),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    if !resolved.starts_with(root) {
        return Some(String::from("leaves the repository"));
    }
    if !resolved.exists() {
        return Some(format!(
            "names `{}`, which does not exist",
            resolved.strip_prefix(root).unwrap().display()
        ));
    }
    if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty())
        && resolved.extension().is_some_and(|ext| ext == "md")
    {
        let text = std::fs::read_to_string(&resolved).unwrap();
        if !anchors(&text).contains(&percent_decode(fragment)) {
            return Some(format!(
                "names `#{fragment}`, which is no heading or id of `{}`",
                resolved.strip_prefix(root).unwrap().display()
            ));
        }
    }
    None
}

#[test]
fn every_link_resolves_inside_the_repository() {
    let root = repo().canonicalize().unwrap();
    let files = markdown_files();
    assert!(
        files.iter().any(|file| file.ends_with("docs/language.md")),
        "the walk found no docs: {files:?}"
    );
    let mut problems = Vec::new();
    for file in &files {
        let file = file.canonicalize().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, target) in links(&text) {
            if let Some(problem) = link_problem(&root, &file, &target) {
                problems.push(format!(
                    "{}:{line}: `{target}` {problem}",
                    file.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_link_check_catches_what_it_should() {
    let root = repo().canonicalize().unwrap();
    let readme = root.join("README.md");
    assert_eq!(link_problem(&root, &readme, "docs/language.md"), None);
    assert_eq!(
        link_problem(&root, &readme, "docs/language.md#rewards"),
        None
    );
    assert_eq!(link_problem(&root, &readme, "docs/errors.md#E0301"), None);
    assert_eq!(link_problem(&root, &readme, "#in-ci"), None);
    for bad in [
        // A path above the repository root, as the old README had.
        "../outside/LANGUAGE.md",
        "https://example.com/camp",
        "mailto:someone@example.com",
        "docs/no-such-file.md",
        "docs/language.md#no-such-heading",
        "/docs/language.md",
    ] {
        assert!(
            link_problem(&root, &readme, bad).is_some(),
            "`{bad}` should be refused"
        );
    }
    let anchors = anchors("# A `code` title!\n\n## Same\n\n## Same\n\n<a id=\"E0101\"></a>\n");
    assert_eq!(
        anchors,
        BTreeSet::from(["a-code-title", "same", "same-1", "E0101"].map(String::from))
    );
}

/// Where an unknown field's help sends the author must exist.
#[test]
fn the_field_help_points_at_sections_that_exist() {
    let root = repo().canonicalize().unwrap();
    for owner in camp_core::lang::keyword::Item::VARIANTS {
        let target = camp_core::lang::fields::docs_section(owner);
        assert_eq!(
            link_problem(&root, &root.join("README.md"), target),
            None,
            "the help for an unknown field of a {owner:?} points at `{target}`"
        );
    }
}

/// SARIF help links and the language server's code descriptions point at
/// `docs/errors.md#CODE` and `docs/rules.md#RULE` on the repository's main
/// branch (the ref the README tells users to use): every code and rule
/// must have its anchor there.
#[test]
fn every_diagnostic_docs_link_has_its_anchor() {
    let root = repo().canonicalize().unwrap();
    let base = camp_core::diagnostic::DEFAULT_DOCS_URL;
    assert!(
        base.ends_with("/blob/main/docs/"),
        "`{base}` should name the docs folder on main"
    );
    let readme = root.join("README.md");
    let mut targets: Vec<String> = camp_core::error::ERROR_CODES
        .iter()
        .map(|row| format!("docs/errors.md#{}", row.code))
        .collect();
    targets.extend(
        camp_core::lint::all_rules()
            .iter()
            .map(|rule| format!("docs/rules.md#{}", rule.name)),
    );
    for target in targets {
        assert_eq!(link_problem(&root, &readme, &target), None, "{target}");
    }
}

// ---------------------------------------------------------------- code blocks

/// A fenced code block: its info words, text, and where its text is.
struct Block {
    info: Vec<String>,
    text: String,
    line: usize,
    range: std::ops::Range<usize>,
}

impl Block {
    fn language(&self) -> &str {
        self.info.first().map(String::as_str).unwrap_or("")
    }

    fn words(&self) -> &[String] {
        self.info.get(1..).unwrap_or(&[])
    }

    fn file(&self) -> Option<&str> {
        self.words()
            .iter()
            .find_map(|word| word.strip_prefix("file="))
    }

    fn place(&self, doc: &str) -> String {
        format!("{doc}:{} (```{})", self.line, self.info.join(" "))
    }
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in parse(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                // The block's text: from the line after the opening fence
                // to the line of the closing one.
                let whole = &text[range.clone()];
                let start = range.start + whole.find('\n').map_or(whole.len(), |at| at + 1);
                let end = range.start
                    + whole
                        .trim_end_matches('\n')
                        .rfind('\n')
                        .map_or(whole.len(), |at| at + 1);
                current = Some(Block {
                    info: info.split_whitespace().map(String::from).collect(),
                    text: String::new(),
                    line: line_of(text, range.start),
                    range: start..end.max(start),
                });
            }
            Event::Text(piece) => {
                if let Some(block) = &mut current {
                    block.text.push_str(&piece);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

fn input(path: &str, text: &str) -> InputFile {
    InputFile {
        path: path.to_string(),
        relative_path: path.to_string(),
        bytes: text.as_bytes().to_vec().into(),
    }
}

/// The lint configuration of `language.md`'s examples: they leave out the
/// rollout, guard and per-user limit for brevity, as the document says.
fn language_lints() -> LintConfig {
    let table: toml::Table = toml::from_str(
        r#"
        no-rollout = "allow"
        no-canary-stage = "allow"
        no-spend-guard = "allow"
        missing-per-user-limit = "allow"
        "#,
    )
    .unwrap();
    let mut lints = LintConfig::from_table(&table).unwrap();
    lints.now = Some(jiff::Timestamp::from_second(NOW_SECONDS).unwrap());
    lints
}

fn check(files: Vec<InputFile>) -> Analysis {
    analyze(PackageInput {
        name: Some(String::from("language")),
        files,
        lints: language_lints(),
    })
}

fn report(analysis: &Analysis, diagnostics: &[&Diagnostic]) -> String {
    let owned: Vec<Diagnostic> = diagnostics
        .iter()
        .map(|&diagnostic| diagnostic.clone())
        .collect();
    human::render(&owned, &analysis.sources, Style::plain(100))
}

/// The diagnostics located in the file at `path`.
fn diagnostics_in<'a>(analysis: &'a Analysis, path: &str) -> Vec<&'a Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            analysis
                .sources
                .get(diagnostic.primary.span.file)
                .is_some_and(|file| file.path == path)
        })
        .collect()
}

#[test]
fn the_language_reference_examples_compile() {
    const DOC: &str = "docs/language.md";
    let text = std::fs::read_to_string(repo().join(DOC)).unwrap();
    let blocks = blocks(&text);
    let mut package = Vec::new();
    let mut others = Vec::new();
    for block in &blocks {
        match (block.language(), block.words()) {
            ("camp", []) => package.push(input(&format!("line-{}.camp", block.line), &block.text)),
            ("camp", [word]) if word == "fragment" => {}
            ("camp", [word, ..]) if word == "error" || word == "planned" => others.push(block),
            ("toml", []) => {
                let manifest: camp_fs::Manifest = toml::from_str(&block.text)
                    .unwrap_or_else(|error| panic!("{}: {error}", block.place(DOC)));
                LintConfig::from_table(&manifest.lints)
                    .unwrap_or_else(|problems| panic!("{}: {problems:?}", block.place(DOC)));
            }
            ("camp" | "toml", _) => panic!("{}: unknown block marks", block.place(DOC)),
            _ => {}
        }
    }
    assert!(
        package.len() >= 10,
        "{DOC} has only {} complete examples",
        package.len()
    );

    let analysis = check(package.clone());
    let all: Vec<&Diagnostic> = analysis.diagnostics.iter().collect();
    assert!(
        all.is_empty(),
        "the examples of {DOC} must check without a finding:\n{}",
        report(&analysis, &all)
    );

    for block in others {
        let path = format!("line-{}.camp", block.line);
        let mut files = package.clone();
        files.push(input(&path, &block.text));
        let analysis = check(files);
        let found = diagnostics_in(&analysis, &path);
        let errors: BTreeSet<&str> = found
            .iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .map(|diagnostic| diagnostic.code)
            .collect();
        match block.words() {
            [word, code] if word == "error" => assert!(
                errors == BTreeSet::from([code.as_str()]),
                "{} must fail with {code} alone:\n{}",
                block.place(DOC),
                report(&analysis, &found)
            ),
            [word] if word == "planned" => assert!(
                !errors.is_empty(),
                "{} compiles now: document the form in its section and drop `planned`",
                block.place(DOC)
            ),
            _ => panic!("{}: write `error CODE` or `planned`", block.place(DOC)),
        }
    }
}

// ---------------------------------------------------------------- the tutorial

/// Applies a diff block: the lines marked ` ` and `-` are found in `text`
/// (exactly once) and replaced by the lines marked ` ` and `+`.
fn apply_diff(text: &str, diff: &str, place: &str) -> String {
    let (mut old, mut new) = (String::new(), String::new());
    for line in diff.lines() {
        let (mark, rest) = line.split_at(line.len().min(1));
        match mark {
            " " => {
                old.push_str(rest);
                old.push('\n');
                new.push_str(rest);
                new.push('\n');
            }
            "-" => {
                old.push_str(rest);
                old.push('\n');
            }
            "+" => {
                new.push_str(rest);
                new.push('\n');
            }
            _ => panic!("{place}: a diff line starts with ` `, `-` or `+`: `{line}`"),
        }
    }
    assert_eq!(
        text.matches(&old).count(),
        1,
        "{place}: the lines to change must appear exactly once in the file"
    );
    text.replacen(&old, &new, 1)
}

/// Runs one `$ campc …` line in `dir`: its standard output, then its
/// standard error, as a terminal shows them.
fn run_campc(dir: &Path, command: &str, place: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(
        words.first(),
        Some(&"campc"),
        "{place}: only `campc` commands are run"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(&words[1..])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", NOW_SECONDS.to_string())
        .output()
        .unwrap();
    let mut shown = String::from_utf8(output.stdout).unwrap();
    shown.push_str(&String::from_utf8(output.stderr).unwrap());
    shown
}

fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut joined = lines.join("\n");
    joined.truncate(joined.trim_end().len());
    joined
}

#[test]
fn the_tutorial_replays() {
    const DOC: &str = "docs/tutorial.md";
    let doc_path = repo().join(DOC);
    let text = std::fs::read_to_string(&doc_path).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let package = temp.path().join("spring-offers");
    std::fs::create_dir(&package).unwrap();

    let mut commands = 0;
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut mismatches = Vec::new();
    for block in blocks(&text) {
        let place = block.place(DOC);
        match (block.language(), block.file()) {
            ("camp" | "toml", Some(file)) => {
                let path = package.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &block.text).unwrap();
            }
            ("diff", Some(file)) => {
                let path = package.join(file);
                let before = std::fs::read_to_string(&path)
                    .unwrap_or_else(|_| panic!("{place}: `{file}` was not written before"));
                std::fs::write(&path, apply_diff(&before, &block.text, &place)).unwrap();
            }
            ("console", None) => {
                let mut shown = String::new();
                let mut actual = String::new();
                for line in block.text.lines() {
                    if let Some(command) = line.strip_prefix("$ ") {
                        commands += 1;
                        shown.push_str(line);
                        shown.push('\n');
                        actual.push_str(line);
                        actual.push('\n');
                        actual.push_str(&run_campc(&package, command, &place));
                    } else {
                        shown.push_str(line);
                        shown.push('\n');
                    }
                }
                let actual = format!("{}\n", trim_lines(&actual));
                if trim_lines(&shown) != trim_lines(&actual) {
                    mismatches.push(format!(
                        "{place} shows:\n{shown}\nbut campc prints:\n{actual}"
                    ));
                    replacements.push((block.range.clone(), actual));
                }
            }
            ("camp" | "toml" | "diff" | "console", _) => {
                panic!(
                    "{place}: `camp`, `toml` and `diff` blocks name their `file=`; `console` blocks do not"
                )
            }
            _ => {}
        }
    }
    assert!(commands >= 4, "{DOC} runs only {commands} commands");
    if mismatches.is_empty() {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let mut updated = text.clone();
        for (range, actual) in replacements.into_iter().rev() {
            updated.replace_range(range, &actual);
        }
        std::fs::write(&doc_path, updated).unwrap();
        return;
    }
    panic!(
        "{}\n(run `UPDATE_DOCS=1 cargo test -p campc --test docs` to rewrite the shown output, then read it)",
        mismatches.join("\n")
    );
}

//! `campc`: the command-line shell around the compiler core.
//!
//! Exit codes: 0 clean, 1 problems found (errors, `deny` findings, or any
//! finding with `--fail-level warn`), 2 usage or IO failure.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use camp_core::diagnostic::Diagnostic;
use camp_core::lint::{self, baseline::Baseline};
use camp_core::package::{Analysis, PackageInput};
use camp_core::source::SourceMap;
use camp_fs::{self as fs, FsError};
use campc::render::{concise, github, human, json, junit, sarif};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

// The checker allocates many small syntax-tree nodes; mimalloc makes that
// markedly cheaper than the system allocator (see bench/check-10k.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Failure = Box<dyn std::error::Error>;

/// A diagnostic with the files it points into.
type Item<'a> = (&'a Diagnostic, &'a SourceMap);

#[derive(Parser)]
#[command(
    name = "campc",
    version,
    about = "The Camp compiler: check campaigns and build their safe IR",
    after_long_help = "Exit status: 0 clean; 1 problems found (errors and `deny` findings, \
                       also warnings with `--fail-level warn`); 2 usage or IO failure."
)]
struct Cli {
    /// When to colour the report: `auto` colours it on a terminal, unless
    /// `NO_COLOR` is set; `CLICOLOR_FORCE` or `FORCE_COLOR` (not `0`)
    /// colour it anywhere, a CI log included.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check packages or files and report every problem.
    Check {
        /// Package folders, folders of packages, or `.camp` files (default: the current folder).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        fix: FixArgs,
    },
    /// Check one package and, if nothing fails, write its IR.
    Build {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// The folder to write `manifest.json` and `campaigns/*.json` into: a new or
        /// empty folder, or an earlier build's IR (it is replaced as a whole).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Format `.camp` files in place: one layout, comments kept.
    Fmt {
        /// Files or folders (default: the current folder); `-` formats standard
        /// input to standard output.
        paths: Vec<PathBuf>,
        /// Change nothing; show a diff and exit 1 if a file would change.
        #[arg(long)]
        check: bool,
        /// With `-`: the file standard input holds, for messages and to find its package.
        #[arg(long, value_name = "PATH")]
        stdin_filepath: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the lint rules with their default levels (or, with `--codes`,
    /// the error codes).
    Rules {
        /// List the error codes with their titles instead.
        #[arg(long)]
        codes: bool,
    },
    /// Print a lint rule's documentation, or explain an error code.
    Rule {
        /// A rule's name, e.g. `high-rate`, or an error code, e.g. `E0701`.
        name: String,
    },
    /// Print the JSON Schema of the IR (`campaign` or `manifest`).
    IrSchema {
        #[arg(value_enum, default_value_t = SchemaKind::Campaign)]
        document: SchemaKind,
    },
    /// Print the JSON Schema of `camp.toml`, for TOML editors.
    ConfigSchema,
    /// Print the shell completion script for SHELL.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into DIR.
    Man {
        /// Write `campc.1`, `campc-check.1`, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: source snippets with labels and help.
    Human,
    /// One line per finding: `path:line:column: severity[code] message`.
    Concise,
    /// The documented JSON report (see the README).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, one test case per finding.
    Junit,
}

impl Format {
    /// Formats for people, which end with a summary line, and beside which
    /// `build` says what it wrote.
    fn is_for_people(self) -> bool {
        match self {
            Format::Human | Format::Concise => true,
            Format::Json | Format::Sarif | Format::Github | Format::Junit => false,
        }
    }
}

/// What makes `campc check` fail (exit 1).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailLevel {
    /// Errors and `deny` lint findings.
    Deny,
    /// Also `warn` lint findings.
    Warn,
}

#[derive(clap::Args)]
struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also print how many findings each rule or error code has.
    #[arg(long)]
    statistics: bool,
    /// What fails the check.
    #[arg(long, value_enum, default_value_t = FailLevel::Deny)]
    fail_level: FailLevel,
    /// Where the rule and error docs are, for SARIF help links.
    #[arg(long, default_value = sarif::DEFAULT_DOCS_URL)]
    docs_url: String,
    /// Report only the lint findings beyond the counts recorded in FILE.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the lint findings' counts per package, file and rule in FILE, and exit.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Whether the report is coloured: `--color`, decided once in `main`.
    #[arg(skip)]
    colour: bool,
}

/// `campc check --fix` and `--diff`.
#[derive(clap::Args)]
struct FixArgs {
    /// Apply the fixes the diagnostics carry (an editor's quick fixes), then
    /// report what remains.
    #[arg(long)]
    fix: bool,
    /// Print the fixes `--fix` would apply as a diff, and write nothing; exit 1
    /// if a fix would apply or problems would remain.
    #[arg(long, conflicts_with_all = ["format", "write_baseline", "statistics"])]
    diff: bool,
}

/// Which files a command reads.
#[derive(clap::Args)]
struct InputArgs {
    /// Also read `.camp` files that `.gitignore`, `.ignore` or
    /// `.git/info/exclude` hide (hidden files are still skipped).
    #[arg(long)]
    no_ignore: bool,
}

impl InputArgs {
    fn ignore_files(&self) -> fs::IgnoreFiles {
        if self.no_ignore {
            fs::IgnoreFiles::Off
        } else {
            fs::IgnoreFiles::Apply
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Campaign,
    Manifest,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = colour_wanted(cli.color);
    let result = match cli.command {
        Command::Check {
            paths,
            mut report,
            input,
            fix,
        } => {
            report.colour = colour;
            check(paths, &report, &input, &fix)
        }
        Command::Build {
            path,
            out,
            mut report,
            input,
        } => {
            report.colour = colour;
            build(path, out, &report, &input)
        }
        Command::Fmt {
            paths,
            check,
            stdin_filepath,
            input,
        } => {
            if paths.iter().any(|path| path.as_os_str() == "-") {
                format_stdin(&paths, stdin_filepath.as_deref(), check)
            } else if stdin_filepath.is_some() {
                Err(Failure::from(
                    "`--stdin-filepath` names the file standard input holds: use it with `-`",
                ))
            } else {
                format_files(paths, check, &input)
            }
        }
        Command::Rules { codes } => {
            if codes {
                list_codes();
            } else {
                list_rules();
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rule { name } => show_rule(&name),
        Command::IrSchema { document } => {
            let wanted = match document {
                SchemaKind::Campaign => "campaign.schema.json",
                SchemaKind::Manifest => "manifest.schema.json",
            };
            for (name, text) in camp_core::ir::json_schemas() {
                if name == wanted {
                    write_stdout(&text);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::ConfigSchema => {
            write_stdout(&fs::manifest_json_schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "campc", &mut script);
            let _ = std::io::stdout().lock().write_all(&script);
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { out } => man(out.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A path named on the command line may hold any character.
            eprintln!(
                "error: {}",
                campc::render::escape_controls(&error.to_string())
            );
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output; a closed pipe (`campc rules | head`) is not
/// an error worth a crash.
fn write_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn list_rules() {
    let rules = lint::all_rules();
    let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for rule in rules {
        text.push_str(&format!(
            "{:width$}  {:6}  {}\n",
            rule.name,
            rule.default_level.as_str(),
            rule.summary
        ));
    }
    write_stdout(&text);
}

fn list_codes() {
    let mut text = String::new();
    for camp_core::error::ErrorCode { code, title, .. } in camp_core::error::ERROR_CODES {
        text.push_str(&format!("{code}  {title}\n"));
    }
    write_stdout(&text);
}

/// Whether `name` is written like an error code: `E` and digits.
fn looks_like_a_code(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case(&'e'))
        && chars.clone().next().is_some()
        && chars.all(|ch| ch.is_ascii_digit())
}

/// `campc rule NAME`: a lint rule's documentation, or an error code's
/// explanation (as `rustc --explain` prints it).
fn show_rule(name: &str) -> Result<ExitCode, Failure> {
    use camp_core::error;
    if looks_like_a_code(name) {
        let code = name.to_ascii_uppercase();
        if let Some(error::ErrorCode {
            title, explanation, ..
        }) = error::error_code(&code)
        {
            write_stdout(&format!("# {code}: {title}\n\n{explanation}"));
            return Ok(ExitCode::SUCCESS);
        }
        if let Some(error::RetiredCode { was, .. }) = error::retired(&code) {
            write_stdout(&format!(
                "# {code} (retired)\n\nThis code is no longer reported, and will never be given another meaning: {was}.\n"
            ));
            return Ok(ExitCode::SUCCESS);
        }
        // A typo in a code is one digit changed or two swapped: offer the
        // codes that close, when there are few enough to be a hint.
        let close: Vec<String> = error::ERROR_CODES
            .iter()
            .filter(|known| strsim::damerau_levenshtein(&code, known.code) <= 1)
            .map(|known| format!("`{}`", known.code))
            .collect();
        let hint = match close.as_slice() {
            [one] => format!("did you mean {one}?"),
            [first @ .., last] if close.len() <= 3 => {
                format!("did you mean {} or {last}?", first.join(", "))
            }
            _ => String::from("`campc rules --codes` lists them"),
        };
        return Err(format!("no error code is `{code}`; {hint}").into());
    }
    let Some(rule) = lint::find_rule(name) else {
        let names = lint::all_rules();
        let hint = camp_core::check::values::suggest(name, names.iter().map(|rule| rule.name))
            .map(|suggestion| format!("; did you mean `{suggestion}`?"))
            .unwrap_or_else(|| {
                String::from(
                    "; `campc rules` lists them, and `campc rule E0203` explains an error code",
                )
            });
        return Err(format!("no lint rule is named `{name}`{hint}").into());
    };
    let mut text = format!(
        "# {}\n\nDefault level: `{}`.\n\n",
        rule.name,
        rule.default_level.as_str()
    );
    for option in rule.options {
        text.push_str(&format!(
            "Option `{}` (default `{}`): {}\n\n",
            option.name, option.default, option.description
        ));
    }
    text.push_str(&lint::rule_docs_markdown(rule, 0));
    write_stdout(&text);
    Ok(ExitCode::SUCCESS)
}

/// Whether the report is coloured. `--color always` and `--color never`
/// decide alone. Otherwise a non-empty `NO_COLOR` turns colour off, then
/// `CLICOLOR_FORCE` or `FORCE_COLOR` set to anything but `0` (or `false`)
/// turns it on, and otherwise it is on when standard output is a terminal.
fn colour_wanted(choice: ColorChoice) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    let forced =
        |name: &str| std::env::var_os(name).is_some_and(|value| value != "0" && value != "false");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

/// The width to wrap help text at: `COLUMNS` when set, else the
/// terminal's, else none (a pipe or a log is not wrapped, as with rustc).
fn report_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|columns| *columns > 0)
    {
        return Some(columns);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(terminal_size::Width(width), _)| usize::from(width))
}

/// The analyses of every package, in sorted order, and how many `.camp`
/// files ignore rules kept out of them.
struct Checked {
    analyses: Vec<Analysis>,
    ignored: usize,
}

/// Finds the packages, loads them, then checks them in parallel; the
/// result keeps the packages' sorted order. A progress bar shows on a
/// terminal when there are many files.
fn analyze_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Checked, FsError> {
    /// Below this many files a check takes a blink: no bar.
    const PROGRESS_FROM_FILES: usize = 2_000;
    let read = read_packages(paths, input)?;
    let inputs = read.packages;
    let files: usize = inputs.iter().map(|input| input.files.len()).sum();
    let bar = if files >= PROGRESS_FROM_FILES && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(u64::try_from(files).unwrap_or(u64::MAX));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} checking {pos}/{len} files {wide_bar} {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let analyses = inputs
        .into_par_iter()
        .map(|input| camp_core::package::analyze_with_progress(input, &|| bar.inc(1)))
        .collect();
    bar.finish_and_clear();
    Ok(Checked {
        analyses,
        ignored: read.ignored,
    })
}

/// Finds and reads the packages the paths lead to (the current folder when
/// there are none), with "now" set for the rules about the calendar.
fn read_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<fs::Read, FsError> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let mut read = fs::read_packages(&paths, input.ignore_files())?;
    let now = now();
    for input in &mut read.packages {
        input.lints.now = Some(now);
    }
    Ok(read)
}

/// The packages after `--fix`: each with its fixes applied (see
/// `camp_core::fix`), and the files that changed, before and after.
struct Fixing {
    checked: Checked,
    applied: usize,
    /// `(shown path, text before, text after)`, in the packages' order.
    changed: Vec<(String, String, String)>,
    converged: bool,
    disk_paths: fs::DiskPaths,
}

fn apply_fixes(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Fixing, FsError> {
    let read = read_packages(paths, input)?;
    let analyze = camp_core::package::analyze;
    let results: Vec<(PackageInput, camp_core::fix::Fixed)> = read
        .packages
        .into_par_iter()
        .map(|package| {
            let analysis = analyze(package.clone());
            let fixed = camp_core::fix::fix_package(package.clone(), analysis, &analyze);
            (package, fixed)
        })
        .collect();
    let mut fixing = Fixing {
        checked: Checked {
            analyses: Vec::with_capacity(results.len()),
            ignored: read.ignored,
        },
        applied: 0,
        changed: Vec::new(),
        converged: true,
        disk_paths: read.disk_paths,
    };
    for (before, fixed) in results {
        // `fix_package` keeps the files in their order.
        for (old, new) in before.files.iter().zip(&fixed.input.files) {
            if old.bytes != new.bytes {
                fixing.changed.push((
                    new.path.clone(),
                    String::from_utf8_lossy(&old.bytes).into_owned(),
                    String::from_utf8_lossy(&new.bytes).into_owned(),
                ));
            }
        }
        fixing.applied += fixed.applied;
        fixing.converged &= fixed.converged;
        fixing.checked.analyses.push(fixed.analysis);
    }
    Ok(fixing)
}

/// "3 fixes to 2 files".
fn fixes_to_files(fixes: usize, files: usize) -> String {
    format!(
        "{fixes} fix{} to {files} file{}",
        if fixes == 1 { "" } else { "es" },
        plural(files)
    )
}

/// `campc check --fix`: applies the fixes, writes the files they changed
/// (each atomically, keeping its mode and links), and returns the
/// packages as they now are, for the usual report.
fn fix_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Checked, Failure> {
    let fixing = apply_fixes(paths, input)?;
    // Every file's place first: nothing is written unless all can be.
    let mut writes = Vec::with_capacity(fixing.changed.len());
    for (shown, _, after) in &fixing.changed {
        let Some(path) = fixing.disk_paths.get(shown) else {
            return Err(format!(
                "cannot write the fixes to `{shown}`: two files show as that path; rename one"
            )
            .into());
        };
        writes.push((path, after));
    }
    for (path, after) in writes {
        fs::write_file_atomically(path, after.as_bytes())?;
    }
    if fixing.applied == 0 {
        eprintln!("no fixes to apply");
    } else {
        eprintln!(
            "applied {}",
            fixes_to_files(fixing.applied, fixing.changed.len())
        );
    }
    if !fixing.converged {
        eprintln!(
            "warning: fixes still apply after {} rounds; run `campc check --fix` again",
            camp_core::fix::MAX_ROUNDS
        );
    }
    Ok(fixing.checked)
}

/// `campc check --diff`: the fixes `--fix` would apply, as a unified diff
/// per file on standard output, and a summary of what would remain on
/// standard error. Nothing is written. Exit 1 when a fix would change a
/// file (as `fmt --check`: the files as they are need fixing) or when
/// problems would remain after the fixes; so a CI step running `--diff`
/// never passes a package that `campc check` fails.
fn show_fixes(
    paths: Vec<PathBuf>,
    report: &ReportArgs,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let fixing = apply_fixes(paths, input)?;
    let mut text = String::new();
    for (shown, before, after) in &fixing.changed {
        let diff = similar::TextDiff::from_lines(before, after);
        text.push_str(
            &diff
                .unified_diff()
                .context_radius(2)
                .header(shown, &format!("{shown} (fixed)"))
                .to_string(),
        );
    }
    write_stdout(&text);
    let items = reported(&fixing.checked.analyses, report)?;
    let errors = items
        .iter()
        .filter(|(diagnostic, _)| diagnostic.is_error())
        .count();
    let warnings = items.len() - errors;
    let remain = format!(
        "{errors} error{} and {warnings} warning{} would remain",
        plural(errors),
        plural(warnings)
    );
    if fixing.applied == 0 {
        eprintln!("no fixes to apply; {remain}");
    } else {
        eprintln!(
            "would apply {}; {remain}",
            fixes_to_files(fixing.applied, fixing.changed.len())
        );
    }
    if !fixing.converged {
        eprintln!(
            "warning: fixes would still apply after {} rounds",
            camp_core::fix::MAX_ROUNDS
        );
    }
    Ok(if fixing.applied > 0 || failed(&items, report.fail_level) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// "Now", for rules about the calendar (`past-window`): the current time,
/// or `SOURCE_DATE_EPOCH` (seconds since 1970) when set, so that a run can
/// be reproduced byte for byte.
fn now() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

fn all_items(analyses: &[Analysis]) -> Vec<Item<'_>> {
    analyses
        .iter()
        .flat_map(|analysis| {
            analysis
                .diagnostics
                .iter()
                .map(move |diagnostic| (diagnostic, &analysis.sources))
        })
        .collect()
}

/// Every diagnostic of every package, less what the baseline allows;
/// notes which baseline entries can be lowered or removed.
fn reported<'a>(analyses: &'a [Analysis], report: &ReportArgs) -> Result<Vec<Item<'a>>, Failure> {
    let items = all_items(analyses);
    let Some(path) = &report.baseline else {
        return Ok(items);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read `{}`: {error}", fs::display(path)))?;
    let baseline = Baseline::from_json(&text)
        .map_err(|error| format!("`{}` is not a Camp baseline: {error}", fs::display(path)))?;
    if let Some(note) = baseline.note(&fs::display(path)) {
        eprintln!("note: {note}");
    }
    let (keep, stale) = baseline.filter(analyses);
    for entry in stale {
        eprintln!("note: {}", entry.note());
    }
    Ok(keep
        .into_iter()
        .filter_map(|index| items.get(index).copied())
        .collect())
}

/// Whether the reported findings fail the run at this level.
fn failed(items: &[Item<'_>], level: FailLevel) -> bool {
    items.iter().any(|(diagnostic, _)| match level {
        FailLevel::Deny => diagnostic.is_error(),
        FailLevel::Warn => true,
    })
}

fn print_report(checked: &Checked, report: &ReportArgs, items: &[Item<'_>]) {
    let analyses = checked.analyses.as_slice();
    let files: usize = analyses
        .iter()
        .map(|analysis| analysis.sources.files().len())
        .sum();
    let campaigns: usize = analyses
        .iter()
        .map(|analysis| analysis.model.campaigns.len())
        .sum();
    let text = match report.format {
        Format::Human => {
            let style = human::Style {
                colour: report.colour,
                width: report_width(),
            };
            let mut blocks = Vec::new();
            for analysis in analyses {
                let shown: Vec<Diagnostic> = items
                    .iter()
                    .filter(|(_, sources)| std::ptr::eq(*sources, &analysis.sources))
                    .map(|(diagnostic, _)| (*diagnostic).clone())
                    .collect();
                if !shown.is_empty() {
                    blocks.push(human::render(&shown, &analysis.sources, style));
                }
            }
            // A blank line between two diagnostics, and before the summary.
            let mut text = blocks.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&summary_line(items, files, checked.ignored, campaigns));
            text
        }
        Format::Concise => {
            let mut text = concise::render(items, report.colour);
            text.push_str(&summary_line(items, files, checked.ignored, campaigns));
            text
        }
        Format::Json => json::to_string(
            &json::report(items, files, campaigns).with_ignored_files(checked.ignored),
        ),
        Format::Sarif => sarif::report(items, &report.docs_url),
        Format::Github => github::report(items),
        Format::Junit => {
            let paths: Vec<String> = analyses
                .iter()
                .flat_map(|analysis| {
                    analysis
                        .sources
                        .files()
                        .iter()
                        .map(|file| file.path.clone())
                })
                .collect();
            junit::report(items, &paths)
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if report.statistics {
        let mut counts: std::collections::BTreeMap<&str, (usize, &str)> =
            std::collections::BTreeMap::new();
        for (diagnostic, _) in items {
            counts
                .entry(diagnostic.code)
                .or_insert((0, diagnostic.severity.as_str()))
                .0 += 1;
        }
        let mut lines = String::new();
        for (code, (count, severity)) in &counts {
            lines.push_str(&format!("{count:6}  {code:30}  {severity}\n"));
        }
        // Machine formats keep stdout for the report itself.
        if report.format.is_for_people() {
            let _ = stdout.write_all(lines.as_bytes());
        } else {
            eprint!("{lines}");
        }
    }
}

/// `checked 2 files: 10 errors, 0 warnings`, or `…: no problems, 10
/// campaigns ready`.
fn summary_line(items: &[Item<'_>], files: usize, ignored: usize, campaigns: usize) -> String {
    let errors = items
        .iter()
        .filter(|(diagnostic, _)| diagnostic.is_error())
        .count();
    let warnings = items.len() - errors;
    let checked_files = format!(
        "checked {files} file{}{}",
        plural(files),
        ignored_note(ignored, "checks")
    );
    if items.is_empty() {
        format!(
            "{checked_files}: no problems, {campaigns} campaign{} ready\n",
            plural(campaigns)
        )
    } else {
        format!(
            "{checked_files}: {errors} error{}, {warnings} warning{}\n",
            plural(errors),
            plural(warnings)
        )
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// " (2 `.camp` files skipped by ignore rules; `--no-ignore` checks them)",
/// or nothing when ignore rules hid nothing.
fn ignored_note(ignored: usize, verb: &str) -> String {
    match ignored {
        0 => String::new(),
        1 => format!(" (1 `.camp` file skipped by ignore rules; `--no-ignore` {verb} it)"),
        _ => {
            format!(" ({ignored} `.camp` files skipped by ignore rules; `--no-ignore` {verb} them)")
        }
    }
}

fn check(
    paths: Vec<PathBuf>,
    report: &ReportArgs,
    input: &InputArgs,
    fix: &FixArgs,
) -> Result<ExitCode, Failure> {
    if fix.diff {
        return show_fixes(paths, report, input);
    }
    let checked = if fix.fix {
        fix_packages(paths, input)?
    } else {
        analyze_packages(paths, input)?
    };
    let analyses = &checked.analyses;
    if let Some(path) = &report.write_baseline {
        let baseline = Baseline::record(analyses);
        std::fs::write(path, baseline.to_json())
            .map_err(|error| format!("cannot write `{}`: {error}", fs::display(path)))?;
        let count = baseline.entries.len();
        eprintln!(
            "wrote a baseline of {count} entr{} to {}",
            if count == 1 { "y" } else { "ies" },
            fs::display(path)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let items = reported(analyses, report)?;
    print_report(&checked, report, &items);
    let failed = failed(&items, report.fail_level);
    // The process ends here: freeing every syntax-tree node one by one
    // would only delay the exit (about 10% of a large check).
    drop(items);
    std::mem::forget(checked);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn build(
    path: Option<PathBuf>,
    out: PathBuf,
    report: &ReportArgs,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    // Before any work: `--out` is replaced as a whole, so it must be ours.
    let target = fs::ir_folder::IrFolder::check(&out, &path)?;
    let checked = analyze_packages(vec![path.clone()], input)?;
    let analyses = &checked.analyses;
    let [analysis] = analyses.as_slice() else {
        return Err(format!(
            "`{}` holds {} packages; build one package at a time",
            fs::display(&path),
            analyses.len()
        )
        .into());
    };
    // Errors and `deny` findings stop the build (any finding does with
    // `--fail-level warn`); warnings are shown and the IR is written.
    let items = reported(analyses, report)?;
    let ir = if failed(&items, report.fail_level) {
        None
    } else {
        camp_core::ir::build(analysis)?
    };
    let Some(ir) = ir else {
        print_report(&checked, report, &items);
        if report.format.is_for_people() {
            eprintln!("no IR written: fix the problems above first");
        }
        return Ok(ExitCode::from(1));
    };
    for folder in target.write(&ir.files)? {
        eprintln!(
            "warning: left `{}` in place: it holds files `campc build` did not write",
            fs::display(&folder)
        );
    }
    if report.format.is_for_people() {
        if !items.is_empty() {
            print_report(&checked, report, &items);
        }
        let campaigns = ir.files.len().saturating_sub(1);
        write_stdout(&format!(
            "wrote {campaigns} campaign{} and manifest.json to {}{}\n",
            plural(campaigns),
            fs::display(&out),
            ignored_note(checked.ignored, "builds")
        ));
    } else {
        print_report(&checked, report, &items);
    }
    Ok(ExitCode::SUCCESS)
}

/// `campc fmt`: formats every `.camp` file named or found below a folder.
/// With `--check`, prints a diff per file that would change and exits 1.
/// A file that does not parse is reported and left alone (exit 1). A
/// rewritten file keeps its permissions and line endings, and a named
/// symbolic link its target (see `fs::write_file_atomically`).
fn format_files(paths: Vec<PathBuf>, check: bool, input: &InputArgs) -> Result<ExitCode, Failure> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let (files, ignored) = fs::files_to_format(&paths, input.ignore_files())?;
    let mut changed = 0usize;
    let mut unparsable = 0usize;
    for file in &files {
        let shown = fs::display(file);
        let text = std::fs::read_to_string(file)
            .map_err(|error| format!("cannot read `{shown}`: {error}"))?;
        let Ok(formatted) = camp_core::format::format(&text) else {
            eprintln!("error: `{shown}` does not parse; run `campc check` on it, then format it");
            unparsable += 1;
            continue;
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            let diff = similar::TextDiff::from_lines(&text, &formatted);
            let diff = diff
                .unified_diff()
                .context_radius(2)
                .header(&shown, &format!("{shown} (formatted)"))
                .to_string();
            write_stdout(&diff);
        } else {
            fs::write_file_atomically(file, formatted.as_bytes())?;
        }
    }
    let verb = if check {
        "would reformat"
    } else {
        "reformatted"
    };
    eprintln!(
        "{verb} {changed} of {} file{}{}",
        files.len(),
        plural(files.len()),
        ignored_note(ignored, "formats")
    );
    Ok(if unparsable > 0 || (check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `campc fmt -`: formats standard input to standard output, for editors
/// that format through a command. `--stdin-filepath` names the file the
/// text is from, for messages and to find its package, as for a file
/// named on the command line. Text that does not parse is not formatted:
/// its errors go to standard error, nothing to standard output, exit 1.
/// With `--check`, prints a diff instead and exits 1 if the text would
/// change.
fn format_stdin(
    paths: &[PathBuf],
    stdin_filepath: Option<&Path>,
    check: bool,
) -> Result<ExitCode, Failure> {
    if paths.len() > 1 {
        return Err("`-` (standard input) is formatted alone: name no other path with it".into());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read standard input: {error}"))?;
    let shown = stdin_filepath
        .map(fs::display)
        .unwrap_or_else(|| String::from("<stdin>"));
    // Its path in its package, as `campc check` would give it.
    let relative = stdin_filepath
        .and_then(|path| {
            let root = fs::package_root_of(path)?;
            fs::path_in_package(path, &root)
        })
        .unwrap_or_else(|| shown.clone());
    match camp_core::format::format_bytes(&shown, &relative, &bytes) {
        Ok(formatted) => {
            if !check {
                write_stdout(&formatted);
                return Ok(ExitCode::SUCCESS);
            }
            let text = String::from_utf8_lossy(&bytes);
            if formatted == text {
                return Ok(ExitCode::SUCCESS);
            }
            let diff = similar::TextDiff::from_lines(text.as_ref(), formatted.as_str());
            write_stdout(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&shown, &format!("{shown} (formatted)"))
                    .to_string(),
            );
            Ok(ExitCode::from(1))
        }
        Err(unparsed) => {
            let style = human::Style {
                colour: std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
                width: report_width(),
            };
            eprint!(
                "{}",
                human::render(&unparsed.diagnostics, &unparsed.sources, style)
            );
            eprintln!("error: `{shown}` is not formatted: fix the errors above first");
            Ok(ExitCode::from(1))
        }
    }
}

/// `campc man`: the man page on standard output, or with `--out DIR`
/// that page as `campc.1` and one page per command (`campc-check.1`, …)
/// written into `DIR`.
fn man(out: Option<&Path>) -> Result<ExitCode, Failure> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let page =
        man_page(&command).map_err(|error| format!("cannot render the man page: {error}"))?;
    let Some(folder) = out else {
        let _ = std::io::stdout().lock().write_all(&page);
        return Ok(ExitCode::SUCCESS);
    };
    let written = |error: std::io::Error| {
        format!(
            "cannot write man pages to `{}`: {error}",
            fs::display(folder)
        )
    };
    std::fs::create_dir_all(folder).map_err(written)?;
    fs::write_file_atomically(&folder.join("campc.1"), &page)?;
    for subcommand in command.get_subcommands() {
        let mut page = Vec::new();
        let man = clap_mangen::Man::new(subcommand.clone())
            .source(format!("campc {}", env!("CARGO_PKG_VERSION")));
        man.render(&mut page).map_err(written)?;
        fs::write_file_atomically(&folder.join(man.get_filename()), &page)?;
    }
    eprintln!("wrote the man pages to {}", fs::display(folder));
    Ok(ExitCode::SUCCESS)
}

/// The page of `campc` itself: clap's sections, with the exit status and
/// the environment variables in place of the `--help` text's last lines.
fn man_page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    use clap_mangen::roff::{Roff, bold, roman};
    let man = clap_mangen::Man::new(command.clone());
    let mut extra = Roff::new();
    extra.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        (
            "0",
            "No problems (warnings are allowed unless --fail-level warn).",
        ),
        (
            "1",
            "Problems found: errors and deny findings, also warnings with --fail-level warn; \
             for fmt --check, a file that would change; for fmt, a file that does not parse.",
        ),
        (
            "2",
            "Usage or IO failure: a missing folder, an unreadable file, a bad camp.toml, \
             a path with no .camp files to read.",
        ),
    ] {
        extra.control("TP", []);
        extra.text([bold(code)]);
        extra.text([roman(meaning)]);
    }
    extra.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in [
        (
            "NO_COLOR",
            "When set and not empty, human output has no colour (it has none off a terminal).",
        ),
        (
            "SOURCE_DATE_EPOCH",
            "Seconds since 1970 to use as now, for rules about the calendar, so that a run \
             can be reproduced.",
        ),
    ] {
        extra.control("TP", []);
        extra.text([bold(name)]);
        extra.text([roman(meaning)]);
    }
    let mut sections: Vec<Vec<u8>> = Vec::new();
    let mut section = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut text = Vec::new();
        let result = render(&mut text);
        sections.push(text);
        result
    };
    section(&|out| man.render_title(out))?;
    section(&|out| man.render_name_section(out))?;
    section(&|out| man.render_synopsis_section(out))?;
    section(&|out| man.render_description_section(out))?;
    section(&|out| man.render_options_section(out))?;
    section(&|out| man.render_subcommands_section(out))?;
    section(&|out| extra.to_writer(out))?;
    section(&|out| man.render_version_section(out))?;
    // Each section starts with roff's definition of the apostrophe: once
    // is enough.
    let preamble = Roff::new().render().into_bytes();
    let mut page = Vec::new();
    for (index, text) in sections.iter().enumerate() {
        let text = if index > 0 {
            text.strip_prefix(preamble.as_slice()).unwrap_or(text)
        } else {
            text
        };
        page.extend_from_slice(text);
    }
    Ok(page)
}

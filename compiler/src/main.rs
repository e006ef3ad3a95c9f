//! `campc`: the command-line shell around the compiler core.
//!
//! Exit codes: 0 clean, 1 problems found (errors, `deny` findings, or any
//! finding with `--fail-level warn`), 2 usage or IO failure.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use camp_compiler::diagnostic::Diagnostic;
use camp_compiler::fs::{self, FsError};
use camp_compiler::lint::{self, baseline::Baseline};
use camp_compiler::package::Analysis;
use camp_compiler::render::{concise, github, human, json, junit, sarif};
use camp_compiler::source::SourceMap;
use clap::{Parser, Subcommand, ValueEnum};
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
    about = "The Camp compiler: check campaigns and build their safe IR"
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
        /// Files or folders (default: the current folder).
        paths: Vec<PathBuf>,
        /// Change nothing; show a diff and exit 1 if a file would change.
        #[arg(long)]
        check: bool,
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
    /// Record the lint findings' counts per file and rule in FILE, and exit.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Whether the report is coloured: `--color`, decided once in `main`.
    #[arg(skip)]
    colour: bool,
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
        } => {
            report.colour = colour;
            check(paths, &report, &input)
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
            input,
        } => format_files(paths, check, &input),
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
            for (name, text) in camp_compiler::ir::json_schemas() {
                if name == wanted {
                    write_stdout(&text);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A path named on the command line may hold any character.
            eprintln!(
                "error: {}",
                camp_compiler::render::escape_controls(&error.to_string())
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
    for (code, title) in camp_compiler::error::ERROR_CODES {
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
    use camp_compiler::error;
    if looks_like_a_code(name) {
        let code = name.to_ascii_uppercase();
        if let (Some(title), Some(explanation)) = (error::title(&code), error::explanation(&code)) {
            write_stdout(&format!("# {code}: {title}\n\n{explanation}"));
            return Ok(ExitCode::SUCCESS);
        }
        if let Some((_, was)) = error::RETIRED_CODES
            .iter()
            .find(|(retired, _)| *retired == code)
        {
            write_stdout(&format!(
                "# {code} (retired)\n\nThis code is no longer reported, and will never be given another meaning: {was}.\n"
            ));
            return Ok(ExitCode::SUCCESS);
        }
        // A typo in a code is one digit changed or two swapped: offer the
        // codes that close, when there are few enough to be a hint.
        let close: Vec<String> = error::ERROR_CODES
            .iter()
            .filter(|(known, _)| strsim::damerau_levenshtein(&code, known) <= 1)
            .map(|(known, _)| format!("`{known}`"))
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
        let hint = camp_compiler::check::values::suggest(name, names.iter().map(|rule| rule.name))
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
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let read = fs::read_packages(&paths, input.ignore_files())?;
    let now = now();
    let mut inputs = read.packages;
    for input in &mut inputs {
        input.lints.now = Some(now);
    }
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
        .map(|input| camp_compiler::package::analyze_with_progress(input, &|| bar.inc(1)))
        .collect();
    bar.finish_and_clear();
    Ok(Checked {
        analyses,
        ignored: read.ignored,
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
    let (keep, stale) = baseline.filter(&items);
    for entry in stale {
        if entry.now == 0 {
            eprintln!(
                "note: baseline entry `{}` / `{}` can be removed: no findings left",
                entry.file, entry.rule
            );
        } else {
            eprintln!(
                "note: baseline entry `{}` / `{}` can be lowered from {} to {}",
                entry.file, entry.rule, entry.recorded, entry.now
            );
        }
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

fn check(paths: Vec<PathBuf>, report: &ReportArgs, input: &InputArgs) -> Result<ExitCode, Failure> {
    let checked = analyze_packages(paths, input)?;
    let analyses = &checked.analyses;
    if let Some(path) = &report.write_baseline {
        let baseline = Baseline::record(&all_items(analyses));
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
        camp_compiler::ir::build(analysis)?
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
        let Ok(formatted) = camp_compiler::format::format(&text) else {
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

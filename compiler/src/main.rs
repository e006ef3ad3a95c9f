//! `campc`: the command-line shell around the compiler core.
//!
//! Exit codes: 0 clean, 1 errors found, 2 usage or IO failure.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use camp_compiler::fs::{self, FsError, PackageRoot};
use camp_compiler::package::{Analysis, analyze};
use camp_compiler::render::{human, json};
use clap::{Parser, Subcommand, ValueEnum};

// The checker allocates many small syntax-tree nodes; mimalloc makes that
// markedly cheaper than the system allocator (see bench/check-10k.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "campc",
    version,
    about = "The Camp compiler: check campaigns and build their safe IR"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check packages or files and report every problem.
    Check {
        /// Package folders or `.camp` files (default: the current folder).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check one package and, if it has no errors, write its IR.
    Build {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// The folder to write `manifest.json` and `campaigns/*.json` into.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// List the lint rules with their default levels.
    Rules,
    /// Print a lint rule's documentation.
    Rule {
        /// The rule's name, e.g. `high-rate`.
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
    /// The documented JSON report (see the README).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, one test case per finding.
    Junit,
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
    #[arg(long, default_value = camp_compiler::render::sarif::DEFAULT_DOCS_URL)]
    docs_url: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Campaign,
    Manifest,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { paths, report } => check(paths, &report),
        Command::Build { path, out, report } => build(path, out, &report),
        Command::Rules => {
            let rules = camp_compiler::lint::all_rules();
            let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
            for rule in rules {
                println!(
                    "{:width$}  {:6}  {}",
                    rule.name,
                    rule.default_level.as_str(),
                    rule.summary
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rule { name } => match camp_compiler::lint::find_rule(&name) {
            Some(rule) => {
                println!(
                    "# {}

Default level: `{}`.
",
                    rule.name,
                    rule.default_level.as_str()
                );
                for option in rule.options {
                    println!(
                        "Option `{}` (default `{}`): {}
",
                        option.name, option.default, option.description
                    );
                }
                print!("{}", camp_compiler::lint::rule_docs_markdown(rule, 0));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let names = camp_compiler::lint::all_rules();
                let hint = camp_compiler::check::values::suggest(
                    &name,
                    names.iter().map(|rule| rule.name),
                )
                .map(|suggestion| format!("; did you mean `{suggestion}`?"))
                .unwrap_or_else(|| String::from("; `campc rules` lists them"));
                Err(format!("no lint rule is named `{name}`{hint}").into())
            }
        },
        Command::IrSchema { document } => {
            let schemas = camp_compiler::ir::json_schemas();
            let wanted = match document {
                SchemaKind::Campaign => "campaign.schema.json",
                SchemaKind::Manifest => "manifest.schema.json",
            };
            for (name, text) in schemas {
                if name == wanted {
                    print!("{text}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn colour_wanted() -> bool {
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

fn analyze_packages(paths: Vec<PathBuf>) -> Result<Vec<Analysis>, FsError> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let roots: Vec<PackageRoot> = fs::find_packages(&paths)?;
    let now = now();
    let mut analyses = Vec::with_capacity(roots.len());
    for root in &roots {
        let mut input = fs::load_package(root)?;
        input.lints.now = Some(now);
        analyses.push(analyze(input));
    }
    Ok(analyses)
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

fn print_report(analyses: &[Analysis], report: &ReportArgs) {
    let mut stdout = std::io::stdout().lock();
    let items: Vec<_> = analyses
        .iter()
        .flat_map(|analysis| {
            analysis
                .diagnostics
                .iter()
                .map(move |diagnostic| (diagnostic, &analysis.sources))
        })
        .collect();
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
                colour: colour_wanted(),
                width: 100,
            };
            let mut text = String::new();
            for analysis in analyses {
                text.push_str(&human::render(
                    &analysis.diagnostics,
                    &analysis.sources,
                    style,
                ));
            }
            let errors: usize = analyses
                .iter()
                .map(|analysis| analysis.summary().errors)
                .sum();
            let warnings: usize = analyses
                .iter()
                .map(|analysis| analysis.summary().warnings)
                .sum();
            text.push_str(&if errors == 0 && warnings == 0 {
                format!(
                    "checked {files} file{}: no problems, {campaigns} campaign{} ready\n",
                    plural(files),
                    plural(campaigns)
                )
            } else {
                format!(
                    "checked {files} file{}: {errors} error{}, {warnings} warning{}\n",
                    plural(files),
                    plural(errors),
                    plural(warnings)
                )
            });
            text
        }
        Format::Json => json::to_string(&json::report(&items, files, campaigns)),
        Format::Sarif => camp_compiler::render::sarif::report(&items, &report.docs_url),
        Format::Github => camp_compiler::render::github::report(&items),
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
            camp_compiler::render::junit::report(&items, &paths)
        }
    };
    let _ = stdout.write_all(text.as_bytes());
    if report.statistics {
        let mut counts: std::collections::BTreeMap<&str, (usize, &str)> =
            std::collections::BTreeMap::new();
        for (diagnostic, _) in &items {
            let entry = counts
                .entry(diagnostic.code)
                .or_insert((0, diagnostic.severity.as_str()));
            entry.0 += 1;
        }
        let mut lines = String::new();
        for (code, (count, severity)) in &counts {
            lines.push_str(&format!("{count:6}  {code:30}  {severity}\n"));
        }
        // Machine formats keep stdout for the report itself.
        if report.format == Format::Human {
            let _ = stdout.write_all(lines.as_bytes());
        } else {
            eprint!("{lines}");
        }
    }
}

/// Whether the findings fail the run at this level.
fn failed(analyses: &[Analysis], level: FailLevel) -> bool {
    analyses.iter().any(|analysis| match level {
        FailLevel::Deny => analysis.has_errors(),
        FailLevel::Warn => analysis.summary().errors + analysis.summary().warnings > 0,
    })
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn check(paths: Vec<PathBuf>, report: &ReportArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let analyses = analyze_packages(paths)?;
    print_report(&analyses, report);
    let failed = failed(&analyses, report.fail_level);
    // The process ends here: freeing every syntax-tree node one by one
    // would only delay the exit (about 10% of a large check).
    std::mem::forget(analyses);
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
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    let analyses = analyze_packages(vec![path.clone()])?;
    let [analysis] = analyses.as_slice() else {
        return Err(format!(
            "`{}` holds {} packages; build one package at a time",
            fs::display(&path),
            analyses.len()
        )
        .into());
    };
    // Warnings are shown; errors (and `deny` findings) stop the build, as
    // does any finding with `--fail-level warn`.
    let ir = if failed(&analyses, report.fail_level) {
        None
    } else {
        camp_compiler::ir::build(analysis)?
    };
    let Some(ir) = ir else {
        print_report(&analyses, report);
        if report.format == Format::Human {
            eprintln!("no IR written: fix the problems above first");
        }
        return Ok(ExitCode::from(1));
    };
    fs::write_tree_atomically(&out, &ir.files)?;
    if report.format == Format::Human {
        if !analysis.diagnostics.is_empty() {
            print_report(&analyses, report);
        }
        println!(
            "wrote {} campaign{} and manifest.json to {}",
            ir.files.len() - 1,
            plural(ir.files.len() - 1),
            fs::display(&out)
        );
    } else {
        print_report(&analyses, report);
    }
    Ok(ExitCode::SUCCESS)
}

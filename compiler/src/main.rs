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
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check one package and, if it has no errors, write its IR.
    Build {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// The folder to write `manifest.json` and `campaigns/*.json` into.
        #[arg(long)]
        out: PathBuf,
        /// Output format for diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Campaign,
    Manifest,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { paths, format } => check(paths, format),
        Command::Build { path, out, format } => build(path, out, format),
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

fn print_report(analyses: &[Analysis], format: Format) {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Human => {
            let style = human::Style {
                colour: colour_wanted(),
                width: 100,
            };
            for analysis in analyses {
                let _ = stdout.write_all(
                    human::render(&analysis.diagnostics, &analysis.sources, style).as_bytes(),
                );
            }
            let files: usize = analyses
                .iter()
                .map(|analysis| analysis.sources.files().len())
                .sum();
            let campaigns: usize = analyses
                .iter()
                .map(|analysis| analysis.model.campaigns.len())
                .sum();
            let errors: usize = analyses
                .iter()
                .map(|analysis| analysis.summary().errors)
                .sum();
            let warnings: usize = analyses
                .iter()
                .map(|analysis| analysis.summary().warnings)
                .sum();
            let line = if errors == 0 && warnings == 0 {
                format!(
                    "checked {files} file{}: no problems, {campaigns} campaign{} ready",
                    plural(files),
                    plural(campaigns)
                )
            } else {
                format!(
                    "checked {files} file{}: {errors} error{}, {warnings} warning{}",
                    plural(files),
                    plural(errors),
                    plural(warnings)
                )
            };
            let _ = writeln!(stdout, "{line}");
        }
        Format::Json => {
            let items: Vec<_> = analyses
                .iter()
                .flat_map(|analysis| {
                    analysis
                        .diagnostics
                        .iter()
                        .map(move |diagnostic| (diagnostic, &analysis.sources))
                })
                .collect();
            let files = analyses
                .iter()
                .map(|analysis| analysis.sources.files().len())
                .sum();
            let campaigns = analyses
                .iter()
                .map(|analysis| analysis.model.campaigns.len())
                .sum();
            let report = json::report(&items, files, campaigns);
            let _ = stdout.write_all(json::to_string(&report).as_bytes());
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn check(paths: Vec<PathBuf>, format: Format) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let analyses = analyze_packages(paths)?;
    print_report(&analyses, format);
    let failed = analyses.iter().any(Analysis::has_errors);
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
    format: Format,
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
    let Some(ir) = camp_compiler::ir::build(analysis)? else {
        print_report(&analyses, format);
        if matches!(format, Format::Human) {
            eprintln!("no IR written: fix the errors above first");
        }
        return Ok(ExitCode::from(1));
    };
    fs::write_tree_atomically(&out, &ir.files)?;
    match format {
        Format::Human => println!(
            "wrote {} campaign{} and manifest.json to {}",
            ir.files.len() - 1,
            plural(ir.files.len() - 1),
            fs::display(&out)
        ),
        Format::Json => print_report(&analyses, format),
    }
    Ok(ExitCode::SUCCESS)
}

//! `campc`: the command-line shell around the compiler core.
//!
//! Exit codes: 0 clean, 1 problems found (errors, `deny` findings, or any
//! finding with `--fail-level warn`), 2 usage or IO failure.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use camp_core::diagnostic::Diagnostic;
use camp_core::source::SourceMap;
use camp_fs::{self as fs};
use clap::{CommandFactory, Parser};

mod commands;

use commands::args::{Cli, ColorChoice, Command, SchemaKind};
use commands::check::{build, check};
use commands::diff::diff;
use commands::explain::explain;
use commands::fmt::{format_files, format_stdin};
use commands::man::man;
use commands::rules::{list_codes, list_rules, show_rule};
use commands::test::test;

// The checker allocates many small syntax-tree nodes; mimalloc makes that
// markedly cheaper than the system allocator (see bench/check-10k.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub(crate) type Failure = Box<dyn std::error::Error>;

/// A diagnostic with the files it points into.
pub(crate) type Item<'a> = (&'a Diagnostic, &'a SourceMap);

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
        Command::Explain {
            path,
            pay,
            claim,
            format,
            input,
        } => explain(
            path.unwrap_or_else(|| std::path::PathBuf::from(".")),
            &pay,
            &claim,
            format,
            colour,
            &input,
        ),
        Command::Test {
            path,
            filter,
            format,
            input,
        } => test(path, filter.as_deref(), format, colour, &input),
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
        Command::Diff {
            old,
            new,
            format,
            docs_url,
            input,
        } => diff(old, new, format, &docs_url, &input),
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
pub(crate) fn write_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
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
pub(crate) fn report_width() -> Option<usize> {
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

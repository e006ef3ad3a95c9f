//! `camp-lsp`: the Camp language server, on standard input and output.

use std::process::ExitCode;

// Every edit re-checks a package: many small syntax-tree and model nodes
// allocated and freed. mimalloc, as in `campc`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
camp-lsp: the Camp language server

Usage: camp-lsp [--stdio]

Speaks the Language Server Protocol on standard input and output; an
editor starts it. It answers for open documents and the `.camp` files of
the packages in the editor's workspace.

Options:
  --stdio        talk on standard input and output (the default)
  -h, --help     print this help and exit
  -V, --version  print the version and exit
";

fn main() -> ExitCode {
    // Editors pass `--stdio`; anything else is for a person at a terminal.
    for argument in std::env::args_os().skip(1) {
        match argument.to_str() {
            Some("--stdio") => {}
            Some("--version" | "-V") => {
                println!("camp-lsp {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            Some("--help" | "-h") => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!(
                    "camp-lsp: unknown argument `{}`; `camp-lsp --help` lists the options",
                    argument.to_string_lossy()
                );
                return ExitCode::from(2);
            }
        }
    }
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let result = camp_lsp::run(&connection);
    drop(connection);
    let joined = io_threads.join();
    match (result, joined) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(error), _) => {
            eprintln!("camp-lsp: {error}");
            ExitCode::FAILURE
        }
        (_, Err(error)) => {
            eprintln!("camp-lsp: {error}");
            ExitCode::FAILURE
        }
    }
}

//! `camp-lsp`: the Camp language server, on standard input and output.

use std::process::ExitCode;

// Every edit re-checks a package: many small syntax-tree and model nodes
// allocated and freed. mimalloc, as in `campc`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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

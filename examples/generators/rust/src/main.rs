//! `camp-gen-limits IR_DIR [--out FILE]`: the counter configuration of a
//! built package (`campc build PACKAGE --out IR_DIR`), on standard output or
//! in FILE. Exit 0 when written, 1 when a file of the IR is refused, 2 on a
//! usage or output error.

use std::path::PathBuf;
use std::process::ExitCode;

use camp_gen_limits::{limits, load};

const USAGE: &str = "usage: camp-gen-limits IR_DIR [--out FILE]

Writes the counter configuration (budgets, limits, guards) of the Camp IR
that `campc build PACKAGE --out IR_DIR` wrote. Every document is verified
first: a file that is invalid or does not match its sha256 is refused.";

enum Args {
    Help,
    Run { dir: PathBuf, out: Option<PathBuf> },
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut dir = None;
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Args::Help),
            "-o" | "--out" => match args.next() {
                Some(file) => out = Some(PathBuf::from(file)),
                None => return Err(format!("`{arg}` needs a file")),
            },
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`: give one IR folder")),
        }
    }
    match dir {
        Some(dir) => Ok(Args::Run { dir, out }),
        None => Err(String::from("give the IR folder `campc build` wrote")),
    }
}

fn main() -> ExitCode {
    let (dir, out) = match parse_args(std::env::args().skip(1)) {
        Ok(Args::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Args::Run { dir, out }) => (dir, out),
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let package = match load(&dir) {
        Ok(package) => package,
        Err(refusal) => {
            eprintln!("error: {refusal}");
            eprintln!("no configuration written: rebuild the IR with `campc build`");
            return ExitCode::from(1);
        }
    };
    let text = match limits::render(&limits::limits(&package)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let written = match &out {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|error| format!("cannot write `{}`: {error}", path.display())),
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|error| format!("cannot write to standard output: {error}"))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

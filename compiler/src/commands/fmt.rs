//! `campc fmt`: files in place, or standard input to standard output.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use camp_fs::{self as fs};
use campc::render::human;

use super::args::*;
use super::report::*;
use crate::{Failure, report_width, write_stdout};

/// `campc fmt`: formats every `.camp` file named or found below a folder.
/// With `--check`, prints a diff per file that would change and exits 1.
/// A file that does not parse is reported and left alone (exit 1). A
/// rewritten file keeps its permissions and line endings, and a named
/// symbolic link its target (see `fs::write_file_atomically`).
pub(crate) fn format_files(
    paths: Vec<PathBuf>,
    check: bool,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
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
pub(crate) fn format_stdin(
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

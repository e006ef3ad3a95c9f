//! `campc man`: the man pages, from the same `clap` definition.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use camp_fs::{self as fs};
use clap::CommandFactory;

use super::args::*;
use crate::Failure;

/// `campc man`: the man page on standard output, or with `--out DIR`
/// that page as `campc.1` and one page per command (`campc-check.1`, …)
/// written into `DIR`.
pub(crate) fn man(out: Option<&Path>) -> Result<ExitCode, Failure> {
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
pub(crate) fn man_page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
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
            "Usage or IO failure: a missing folder, an unreadable file, \
             a path with no .camp files to read. (A problem in camp.toml is reported \
             like any error: exit 1.)",
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

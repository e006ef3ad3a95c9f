//! The report of a check: the findings less a baseline's, in the chosen
//! format, the summary line, and whether they fail the run.

use std::io::Write;

use camp_core::diagnostic::Diagnostic;
use camp_core::lint::baseline::Baseline;
use camp_core::package::Analysis;
use camp_fs::{self as fs};
use campc::render::{concise, github, human, json, junit, sarif};

use super::args::*;
use super::check::*;
use crate::{Failure, Item, report_width};

/// Whether a package's `camp.toml` has a problem.
pub(crate) fn has_manifest_problem(analysis: &Analysis) -> bool {
    analysis
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.primary.span.file == camp_core::source::FileId::MANIFEST)
}

pub(crate) fn all_items(analyses: &[Analysis]) -> Vec<Item<'_>> {
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
pub(crate) fn reported<'a>(
    analyses: &'a [Analysis],
    report: &ReportArgs,
) -> Result<Vec<Item<'a>>, Failure> {
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
pub(crate) fn failed(items: &[Item<'_>], level: FailLevel) -> bool {
    items.iter().any(|(diagnostic, _)| match level {
        FailLevel::Deny => diagnostic.is_error(),
        FailLevel::Warn => true,
    })
}

pub(crate) fn print_report(checked: &Checked, report: &ReportArgs, items: &[Item<'_>]) {
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
pub(crate) fn summary_line(
    items: &[Item<'_>],
    files: usize,
    ignored: usize,
    campaigns: usize,
) -> String {
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

pub(crate) fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// " (2 `.camp` files skipped by ignore rules; `--no-ignore` checks them)",
/// or nothing when ignore rules hid nothing.
pub(crate) fn ignored_note(ignored: usize, verb: &str) -> String {
    match ignored {
        0 => String::new(),
        1 => format!(" (1 `.camp` file skipped by ignore rules; `--no-ignore` {verb} it)"),
        _ => {
            format!(" ({ignored} `.camp` files skipped by ignore rules; `--no-ignore` {verb} them)")
        }
    }
}

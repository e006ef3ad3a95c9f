//! `campc diff OLD NEW` (two package folders) and `campc diff REV [PATH]`
//! (the package at PATH as git revision REV holds it, against the working
//! tree): each side loaded and checked on its own; if both check, their
//! campaigns' IR compared by `camp_core::diff`, with the old side's
//! `[diff]` levels (a change cannot silence its own flags); rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use camp_core::diagnostic::Diagnostic;
use camp_core::diff::{DiffConfig, Status};
use camp_core::lint::LintConfig;
use camp_core::package::{Analysis, LoadedPackage};
use camp_fs::{self as fs, FsError};
use campc::render::diff::{self as render, DiffReport, DiffSide};

use super::args::{DiffFormat, InputArgs};
use super::check::read_packages;
use crate::{Failure, write_stdout};

/// A failure that can cross threads (the sides load in parallel).
type Sendable = Box<dyn std::error::Error + Send + Sync>;

fn failure(error: Sendable) -> Failure {
    error
}

/// One side: its label, its analysis and the `[diff]` levels its
/// `camp.toml` sets.
struct Side {
    label: String,
    analysis: Analysis,
    config: DiffConfig,
    /// Each file's path as messages show it, by its path in the package.
    shown: BTreeMap<String, String>,
}

pub(crate) fn diff(
    old: String,
    new: Option<PathBuf>,
    format: DiffFormat,
    docs_url: &str,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let old_path = PathBuf::from(&old);
    let (old_side, new_side) = match new {
        // Two folders.
        Some(new) if old_path.is_dir() => {
            let (old_side, new_side) = rayon::join(
                || folder_side(&old_path, input),
                || folder_side(&new, input),
            );
            (old_side.map_err(failure)?, new_side.map_err(failure)?)
        }
        // A revision, against the working tree at PATH.
        new => {
            let path = new.unwrap_or_else(|| PathBuf::from("."));
            let (old_side, new_side) =
                rayon::join(|| git_side(&old, &path), || folder_side(&path, input));
            (old_side.map_err(failure)?, new_side.map_err(failure)?)
        }
    };
    let report = compare(&old_side, &new_side)?;
    let text = match format {
        DiffFormat::Human => render::human(&report),
        DiffFormat::Json => render::json(&report),
        DiffFormat::Markdown => render::markdown(&report),
        DiffFormat::Github => render::github(&report),
        DiffFormat::Sarif => render::sarif(&report, docs_url),
    };
    write_stdout(&text);
    Ok(if report.fails() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn compare(old: &Side, new: &Side) -> Result<DiffReport, Failure> {
    let (old_campaigns, new_campaigns) = rayon::join(|| campaigns(old), || campaigns(new));
    let (old_campaigns, new_campaigns) = (
        old_campaigns.map_err(failure)?,
        new_campaigns.map_err(failure)?,
    );
    let describe = |side: &Side, campaigns: &Option<Vec<_>>| match campaigns {
        Some(list) => DiffSide::checked(side.label.clone(), list.len()),
        None => {
            let errors: Vec<&Diagnostic> = side
                .analysis
                .diagnostics
                .iter()
                .filter(|diagnostic| {
                    diagnostic.is_error()
                        && camp_core::lint::find_rule(diagnostic.code).is_none()
                })
                .collect();
            DiffSide::failed(side.label.clone(), &errors, &side.analysis.sources)
        }
    };
    let old_report = describe(old, &old_campaigns);
    let new_report = describe(new, &new_campaigns);
    let diff = match (&old_campaigns, &new_campaigns) {
        (Some(before), Some(after)) => {
            let mut diff = camp_core::diff::diff(before, after, &old.config);
            // Paths as `campc check` shows them (from the current folder), so
            // that annotations land on the file: the new side's, or the old
            // side's for a removed campaign.
            for campaign in &mut diff.campaigns {
                let side = match campaign.status {
                    Status::Removed => old,
                    Status::Added | Status::Changed => new,
                };
                if let Some(path) = side.shown.get(&campaign.source.file) {
                    campaign.source.file = path.clone();
                }
            }
            Some(diff)
        }
        _ => None,
    };
    Ok(DiffReport::new(old_report, new_report, diff))
}

/// The side's campaigns as IR, or `None` when it does not check.
fn campaigns(side: &Side) -> Result<Option<Vec<camp_core::ir::types::Campaign>>, Sendable> {
    if side.analysis.has_compile_errors() {
        return Ok(None);
    }
    Ok(Some(camp_core::ir::build_campaigns(
        &side.analysis.model,
        &side.analysis.sources,
    )?))
}

/// Checks a loaded package: errors only (the diff reads no lint finding).
fn analyze(label: String, loaded: LoadedPackage) -> Side {
    let LoadedPackage {
        mut input,
        manifest,
        diff,
    } = loaded;
    input.lints = LintConfig::errors_only();
    let shown = input
        .files
        .iter()
        .map(|file| (file.relative_path.clone(), file.path.clone()))
        .collect();
    let mut analysis = camp_core::package::analyze(input);
    analysis.add_manifest(manifest.as_ref());
    Side {
        label,
        analysis,
        config: diff,
        shown,
    }
}

fn folder_side(path: &Path, input: &InputArgs) -> Result<Side, Sendable> {
    let read = read_packages(vec![path.to_path_buf()], input)?;
    let count = read.packages.len();
    let Some(package) = read.packages.into_iter().next().filter(|_| count == 1) else {
        return Err(format!(
            "`{}` holds {count} packages; diff one package at a time",
            fs::display(path)
        )
        .into());
    };
    Ok(analyze(fs::display(path), package))
}

fn git_side(revision: &str, path: &Path) -> Result<Side, Sendable> {
    let roots = fs::find_packages(&[path.to_path_buf()])?;
    let [root] = roots.as_slice() else {
        return Err(format!(
            "`{}` holds {} packages; diff one package at a time",
            fs::display(path),
            roots.len()
        )
        .into());
    };
    let files = fs::git::GitFiles::open(&root.root, revision)?;
    if files.is_empty() {
        return Err(FsError::Git {
            message: format!(
                "no `.camp` files in `{}`: the package is not in that revision",
                files.label()
            ),
        }
        .into());
    }
    let loaded = camp_core::package::load(&files)?;
    Ok(analyze(files.label().to_string(), loaded))
}

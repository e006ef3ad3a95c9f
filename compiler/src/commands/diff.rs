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
use camp_core::ir::types::Campaign;
use camp_core::lint::LintConfig;
use camp_core::package::{LoadedPackage, ParseCache};
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

/// One side, checked: its label, the `[diff]` levels its `camp.toml`
/// sets, where its files are shown, and its campaigns' IR, or the report
/// of a side that does not check.
struct Side {
    label: String,
    config: DiffConfig,
    /// Each file's path as messages show it, by its path in the package.
    shown: BTreeMap<String, String>,
    campaigns: Result<Vec<Campaign>, DiffSide>,
}

pub(crate) fn diff(
    old: String,
    new: Option<PathBuf>,
    format: DiffFormat,
    docs_url: &str,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let old_path = PathBuf::from(&old);
    // The sides are read in parallel, then checked one after the other
    // (each check is parallel) through one parse cache: a file the change
    // did not touch is parsed once, for both.
    let (old_loaded, new_loaded) = match new {
        // Two folders.
        Some(new) if old_path.is_dir() => {
            let (old_loaded, new_loaded) = rayon::join(
                || folder_side(&old_path, input),
                || folder_side(&new, input),
            );
            (old_loaded.map_err(failure)?, new_loaded.map_err(failure)?)
        }
        // A revision, against the working tree at PATH.
        new => {
            let path = new.unwrap_or_else(|| PathBuf::from("."));
            let (old_loaded, new_loaded) =
                rayon::join(|| git_side(&old, &path), || folder_side(&path, input));
            (old_loaded.map_err(failure)?, new_loaded.map_err(failure)?)
        }
    };
    let mut cache = ParseCache::default();
    let old_side = analyze(old_loaded, Cache::Fill(&mut cache)).map_err(failure)?;
    let new_side = analyze(new_loaded, Cache::Consume(cache)).map_err(failure)?;
    let report = compare(old_side, new_side);
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

fn compare(old: Side, new: Side) -> DiffReport {
    let side_report = |side: &Side| match &side.campaigns {
        Ok(campaigns) => DiffSide::checked(side.label.clone(), campaigns.len()),
        Err(report) => DiffSide {
            label: report.label.clone(),
            checked: false,
            campaigns: 0,
            errors: report
                .errors
                .iter()
                .map(|error| render::SideError {
                    file: error.file.clone(),
                    line: error.line,
                    column: error.column,
                    code: error.code.clone(),
                    message: error.message.clone(),
                })
                .collect(),
        },
    };
    let (old_report, new_report) = (side_report(&old), side_report(&new));
    let diff = match (&old.campaigns, &new.campaigns) {
        (Ok(before), Ok(after)) => {
            let mut diff = camp_core::diff::diff(before, after, &old.config);
            // Paths as `campc check` shows them (from the current folder), so
            // that annotations land on the file: the new side's, or the old
            // side's for a removed campaign.
            for campaign in &mut diff.campaigns {
                let side = match campaign.status {
                    Status::Removed => &old,
                    Status::Added | Status::Changed => &new,
                };
                if let Some(path) = side.shown.get(&campaign.source.file) {
                    campaign.source.file.clone_from(path);
                }
            }
            Some(diff)
        }
        _ => None,
    };
    DiffReport::new(old_report, new_report, diff)
}

/// Checks a loaded package: errors only (the diff reads no lint finding).
/// Files are checked under their paths in the package, the same on both
/// sides, so that the parse cache matches them; `shown` gives back the
/// paths messages show.
/// How a side uses the parse cache: the old side fills it, the new side
/// re-uses and consumes it.
enum Cache<'a> {
    Fill(&'a mut ParseCache),
    Consume(ParseCache),
}

fn analyze((label, loaded): (String, LoadedPackage), cache: Cache<'_>) -> Result<Side, Sendable> {
    let LoadedPackage {
        mut input,
        manifest,
        diff,
    } = loaded;
    input.lints = LintConfig::errors_only();
    let shown: BTreeMap<String, String> = input
        .files
        .iter()
        .map(|file| (file.relative_path.clone(), file.path.clone()))
        .collect();
    for file in &mut input.files {
        file.path.clone_from(&file.relative_path);
    }
    let mut analysis = match cache {
        Cache::Fill(cache) => camp_core::package::analyze_cached(input, cache),
        Cache::Consume(cache) => camp_core::package::analyze_consuming_cache(input, cache),
    };
    analysis.add_manifest(manifest.as_ref());
    let campaigns = if analysis.has_compile_errors() {
        let errors: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|diagnostic| {
                diagnostic.is_error() && camp_core::lint::find_rule(diagnostic.code).is_none()
            })
            .collect();
        let mut report = DiffSide::failed(label.clone(), &errors, &analysis.sources);
        for error in &mut report.errors {
            if let Some(path) = shown.get(&error.file) {
                error.file.clone_from(path);
            }
        }
        Err(report)
    } else {
        Ok(camp_core::ir::build_campaigns(
            &analysis.model,
            &analysis.sources,
        )?)
    };
    Ok(Side {
        label,
        config: diff,
        shown,
        campaigns,
    })
}

fn folder_side(path: &Path, input: &InputArgs) -> Result<(String, LoadedPackage), Sendable> {
    let read = read_packages(vec![path.to_path_buf()], input)?;
    let count = read.packages.len();
    let Some(package) = read.packages.into_iter().next().filter(|_| count == 1) else {
        return Err(format!(
            "`{}` holds {count} packages; diff one package at a time",
            fs::display(path)
        )
        .into());
    };
    Ok((fs::display(path), package))
}

fn git_side(revision: &str, path: &Path) -> Result<(String, LoadedPackage), Sendable> {
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
    Ok((files.label().to_string(), loaded))
}

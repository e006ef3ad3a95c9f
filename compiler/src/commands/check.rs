//! `campc check` (with `--fix` and `--diff`) and `campc build`: the
//! packages loaded through `camp_fs` and the core's one loader, checked in
//! parallel.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use camp_core::lint::baseline::Baseline;
use camp_core::package::{Analysis, PackageInput};
use camp_fs::{self as fs, FsError};
use rayon::prelude::*;

use super::args::*;
use super::report::*;
use crate::{Failure, write_stdout};

/// The analyses of every package, in sorted order, and how many `.camp`
/// files ignore rules kept out of them.
pub(crate) struct Checked {
    pub(crate) analyses: Vec<Analysis>,
    pub(crate) ignored: usize,
}

/// Finds the packages, loads them, then checks them in parallel; the
/// result keeps the packages' sorted order. A progress bar shows on a
/// terminal when there are many files.
pub(crate) fn analyze_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Checked, FsError> {
    analyze_packages_as(paths, input, Keep::Syntax)
}

/// Whether an analysis keeps its campaigns' syntax trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Every tree: for what reads them (`explain`, `test`, `build`).
    Syntax,
    /// The diagnostics and the model only (`check`): each campaign's tree
    /// is dropped once it is checked ([`camp_core::package::analyze_lean`]).
    Findings,
}

/// [`analyze_packages`], keeping what `keep` says.
pub(crate) fn analyze_packages_as(
    paths: Vec<PathBuf>,
    input: &InputArgs,
    keep: Keep,
) -> Result<Checked, FsError> {
    /// Below this many files a check takes a blink: no bar.
    const PROGRESS_FROM_FILES: usize = 2_000;
    let read = read_packages(paths, input)?;
    let packages = read.packages;
    let files: usize = packages
        .iter()
        .map(|package| package.input.files.len())
        .sum();
    let bar = if files >= PROGRESS_FROM_FILES && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(u64::try_from(files).unwrap_or(u64::MAX));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} checking {pos}/{len} files {wide_bar} {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let analyses = packages
        .into_par_iter()
        .map(|package| {
            let progress = || bar.inc(1);
            let mut analysis = match keep {
                Keep::Syntax => camp_core::package::analyze_with_progress(package.input, &progress),
                Keep::Findings => camp_core::package::analyze_lean(package.input, &progress),
            };
            // `camp.toml`'s problems are reported with the rest.
            analysis.add_manifest(package.manifest.as_ref());
            analysis
        })
        .collect();
    bar.finish_and_clear();
    Ok(Checked {
        analyses,
        ignored: read.ignored,
    })
}

/// Finds and reads the packages the paths lead to (the current folder when
/// there are none), with "now" set for the rules about the calendar.
pub(crate) fn read_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<fs::Read, FsError> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let mut read = fs::read_packages(&paths, input.ignore_files())?;
    let now = now();
    for package in &mut read.packages {
        package.input.lints.now = Some(now);
    }
    Ok(read)
}

/// The packages after `--fix`: each with its fixes applied (see
/// `camp_core::fix`), and the files that changed, before and after.
pub(crate) struct Fixing {
    pub(crate) checked: Checked,
    pub(crate) applied: usize,
    /// `(shown path, text before, text after)`, in the packages' order.
    pub(crate) changed: Vec<(String, String, String)>,
    pub(crate) converged: bool,
    pub(crate) disk_paths: fs::DiskPaths,
}

pub(crate) fn apply_fixes(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Fixing, FsError> {
    let read = read_packages(paths, input)?;
    let results: Vec<(PackageInput, camp_core::fix::Fixed)> = read
        .packages
        .into_par_iter()
        .map(|package| {
            let manifest = package.manifest;
            // Each round's analysis reports `camp.toml`'s problems too.
            let analyze = |input: PackageInput| {
                let mut analysis = camp_core::package::analyze(input);
                analysis.add_manifest(manifest.as_ref());
                analysis
            };
            let input = package.input;
            let analysis = analyze(input.clone());
            let fixed = camp_core::fix::fix_package(input.clone(), analysis, &analyze);
            (input, fixed)
        })
        .collect();
    let mut fixing = Fixing {
        checked: Checked {
            analyses: Vec::with_capacity(results.len()),
            ignored: read.ignored,
        },
        applied: 0,
        changed: Vec::new(),
        converged: true,
        disk_paths: read.disk_paths,
    };
    for (before, fixed) in results {
        // `fix_package` keeps the files in their order.
        for (old, new) in before.files.iter().zip(&fixed.input.files) {
            if old.bytes != new.bytes {
                fixing.changed.push((
                    new.path.clone(),
                    String::from_utf8_lossy(&old.bytes).into_owned(),
                    String::from_utf8_lossy(&new.bytes).into_owned(),
                ));
            }
        }
        fixing.applied += fixed.applied;
        fixing.converged &= fixed.converged;
        fixing.checked.analyses.push(fixed.analysis);
    }
    Ok(fixing)
}

/// "3 fixes to 2 files".
pub(crate) fn fixes_to_files(fixes: usize, files: usize) -> String {
    format!(
        "{fixes} fix{} to {files} file{}",
        if fixes == 1 { "" } else { "es" },
        plural(files)
    )
}

/// `campc check --fix`: applies the fixes, writes the files they changed
/// (each atomically, keeping its mode and links), and returns the
/// packages as they now are, for the usual report.
pub(crate) fn fix_packages(paths: Vec<PathBuf>, input: &InputArgs) -> Result<Checked, Failure> {
    let fixing = apply_fixes(paths, input)?;
    // Every file's place first: nothing is written unless all can be.
    let mut writes = Vec::with_capacity(fixing.changed.len());
    for (shown, _, after) in &fixing.changed {
        let Some(path) = fixing.disk_paths.get(shown) else {
            return Err(format!(
                "cannot write the fixes to `{shown}`: two files show as that path; rename one"
            )
            .into());
        };
        writes.push((path, after));
    }
    for (path, after) in writes {
        fs::write_file_atomically(path, after.as_bytes())?;
    }
    if fixing.applied == 0 {
        eprintln!("no fixes to apply");
    } else {
        eprintln!(
            "applied {}",
            fixes_to_files(fixing.applied, fixing.changed.len())
        );
    }
    if !fixing.converged {
        eprintln!(
            "warning: fixes still apply after {} rounds; run `campc check --fix` again",
            camp_core::fix::MAX_ROUNDS
        );
    }
    Ok(fixing.checked)
}

/// `campc check --diff`: the fixes `--fix` would apply, as a unified diff
/// per file on standard output, and a summary of what would remain on
/// standard error. Nothing is written. Exit 1 when a fix would change a
/// file (as `fmt --check`: the files as they are need fixing) or when
/// problems would remain after the fixes; so a CI step running `--diff`
/// never passes a package that `campc check` fails.
pub(crate) fn show_fixes(
    paths: Vec<PathBuf>,
    report: &ReportArgs,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let fixing = apply_fixes(paths, input)?;
    let mut text = String::new();
    for (shown, before, after) in &fixing.changed {
        let diff = similar::TextDiff::from_lines(before, after);
        text.push_str(
            &diff
                .unified_diff()
                .context_radius(2)
                .header(shown, &format!("{shown} (fixed)"))
                .to_string(),
        );
    }
    write_stdout(&text);
    let items = reported(&fixing.checked.analyses, report)?;
    let errors = items
        .iter()
        .filter(|(diagnostic, _)| diagnostic.is_error())
        .count();
    let warnings = items.len() - errors;
    let remain = format!(
        "{errors} error{} and {warnings} warning{} would remain",
        plural(errors),
        plural(warnings)
    );
    if fixing.applied == 0 {
        eprintln!("no fixes to apply; {remain}");
    } else {
        eprintln!(
            "would apply {}; {remain}",
            fixes_to_files(fixing.applied, fixing.changed.len())
        );
    }
    if !fixing.converged {
        eprintln!(
            "warning: fixes would still apply after {} rounds",
            camp_core::fix::MAX_ROUNDS
        );
    }
    Ok(if fixing.applied > 0 || failed(&items, report.fail_level) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// "Now", for rules about the calendar (`past-window`): the current time,
/// or `SOURCE_DATE_EPOCH` (seconds since 1970) when set, so that a run can
/// be reproduced byte for byte.
pub(crate) fn now() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

pub(crate) fn check(
    paths: Vec<PathBuf>,
    report: &ReportArgs,
    input: &InputArgs,
    fix: &FixArgs,
) -> Result<ExitCode, Failure> {
    if fix.diff {
        return show_fixes(paths, report, input);
    }
    let checked = if fix.fix {
        fix_packages(paths, input)?
    } else {
        // Only the findings are reported: no syntax tree is kept.
        analyze_packages_as(paths, input, Keep::Findings)?
    };
    let analyses = &checked.analyses;
    if let Some(path) = &report.write_baseline {
        // A `camp.toml` with a problem leaves the package's name and lint
        // levels unknown: a baseline recorded now would not match later.
        if analyses.iter().any(has_manifest_problem) {
            let items = all_items(analyses);
            print_report(&checked, report, &items);
            eprintln!("no baseline written: fix `camp.toml` first");
            return Ok(ExitCode::from(1));
        }
        let baseline = Baseline::record(analyses);
        std::fs::write(path, baseline.to_json())
            .map_err(|error| format!("cannot write `{}`: {error}", fs::display(path)))?;
        let count = baseline.entries.len();
        eprintln!(
            "wrote a baseline of {count} entr{} to {}",
            if count == 1 { "y" } else { "ies" },
            fs::display(path)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let items = reported(analyses, report)?;
    print_report(&checked, report, &items);
    let failed = failed(&items, report.fail_level);
    // The process ends here: freeing every syntax-tree node one by one
    // would only delay the exit (about 10% of a large check).
    drop(items);
    std::mem::forget(checked);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn build(
    path: Option<PathBuf>,
    out: PathBuf,
    report: &ReportArgs,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    // Before any work: `--out` is replaced as a whole, so it must be ours.
    let target = fs::ir_folder::IrFolder::check(&out, &path)?;
    let checked = analyze_packages(vec![path.clone()], input)?;
    let analyses = &checked.analyses;
    let [analysis] = analyses.as_slice() else {
        return Err(format!(
            "`{}` holds {} packages; build one package at a time",
            fs::display(&path),
            analyses.len()
        )
        .into());
    };
    // Errors and `deny` findings stop the build (any finding does with
    // `--fail-level warn`); warnings are shown and the IR is written.
    let items = reported(analyses, report)?;
    let ir = if failed(&items, report.fail_level) {
        None
    } else {
        camp_core::ir::build(analysis)?
    };
    let Some(ir) = ir else {
        print_report(&checked, report, &items);
        if report.format.is_for_people() {
            eprintln!("no IR written: fix the problems above first");
        }
        return Ok(ExitCode::from(1));
    };
    let written = target.write(&ir.files)?;
    for folder in &written.left_behind {
        eprintln!(
            "warning: left `{}` in place: it holds files `campc build` did not write",
            fs::display(folder)
        );
    }
    if report.format.is_for_people() {
        if !items.is_empty() {
            print_report(&checked, report, &items);
        }
        let campaigns = ir.files.len().saturating_sub(1);
        let what = format!(
            "{campaigns} campaign{} and manifest.json",
            plural(campaigns)
        );
        let out = fs::display(&out);
        let ignored = ignored_note(checked.ignored, "builds");
        write_stdout(&if written.up_to_date {
            format!("{out} is up to date: {what}, no file written{ignored}\n")
        } else if written.unchanged == 0 && written.removed == 0 {
            format!("wrote {what} to {out}{ignored}\n")
        } else {
            format!(
                "updated {out} to {what}: {} file{} written, {} deleted, {} unchanged{ignored}\n",
                written.written,
                plural(written.written),
                written.removed,
                written.unchanged
            )
        });
        // (v2) Each pool's exposure: what its campaigns can pay together.
        for pool in &ir.manifest.package.pools {
            let exposures: Vec<String> = pool
                .max_exposure
                .as_slice()
                .iter()
                .map(|exposure| exposure.amount.meaning().to_string())
                .collect();
            write_stdout(&format!(
                "pool {}: exposure {}, {} approval{}\n",
                pool.id.as_str(),
                exposures.join(", "),
                pool.approvals_required,
                plural(pool.approvals_required as usize)
            ));
        }
    } else {
        print_report(&checked, report, &items);
    }
    Ok(ExitCode::SUCCESS)
}

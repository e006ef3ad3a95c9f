//! `campc test [PATH] [--filter NAME] [--format human|json|junit]`: builds
//! each package's IR in memory and runs its test blocks with the reference
//! evaluator (`camp_core::testing`). Exit 0 when every line passes, 1 when
//! a line fails or a package does not compile (its errors are shown), 2 on
//! a usage or IO failure.

use std::path::PathBuf;
use std::process::ExitCode;

use camp_core::source::SourceMap;
use camp_core::testing::{self, RunError, TestRun};
use campc::render::test_report as report;

use super::args::{FailLevel, Format, InputArgs, ReportArgs, TestFormat};
use super::check::analyze_packages;
use super::report::{all_items, print_report};
use crate::{Failure, Item, write_stdout};

pub(crate) fn test(
    path: Option<PathBuf>,
    filter: Option<&str>,
    format: TestFormat,
    colour: bool,
    input: &InputArgs,
) -> Result<ExitCode, Failure> {
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    let checked = analyze_packages(vec![path], input)?;
    // A package that does not compile has no IR to run: its errors (lint
    // findings are `campc check`'s business), in the matching format.
    let errors: Vec<Item<'_>> = all_items(&checked.analyses)
        .into_iter()
        .filter(|(diagnostic, _)| diagnostic.is_error())
        .collect();
    if !errors.is_empty() {
        let args = ReportArgs {
            format: match format {
                TestFormat::Human => Format::Human,
                TestFormat::Json => Format::Json,
                TestFormat::Junit => Format::Junit,
            },
            statistics: false,
            fail_level: FailLevel::Deny,
            docs_url: String::new(),
            baseline: None,
            write_baseline: None,
            colour,
        };
        print_report(&checked, &args, &errors);
        if matches!(format, TestFormat::Human) {
            eprintln!("no tests run: fix the errors above first");
        }
        return Ok(ExitCode::from(1));
    }
    let mut runs: Vec<(TestRun, &SourceMap)> = Vec::new();
    for analysis in &checked.analyses {
        let run = testing::run(analysis, filter).map_err(|error| match error {
            RunError::DoesNotCompile => Failure::from("the package does not compile"),
            other => Failure::from(other.to_string()),
        })?;
        runs.push((run, &analysis.sources));
    }
    if let Some(name) = filter
        && runs.iter().all(|(run, _)| run.tests.is_empty())
    {
        return Err(Failure::from(format!(
            "no test is named `{}`",
            campc::render::escape_controls(name)
        )));
    }
    let borrowed: Vec<(&TestRun, &SourceMap)> =
        runs.iter().map(|(run, sources)| (run, *sources)).collect();
    let text = match format {
        TestFormat::Human => report::human(&borrowed),
        TestFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report::json(&borrowed))?;
            text.push('\n');
            text
        }
        TestFormat::Junit => report::junit(&borrowed),
    };
    write_stdout(&text);
    let failed: usize = runs.iter().map(|(run, _)| run.failed()).sum();
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

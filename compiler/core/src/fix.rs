//! `campc check --fix`: applying the fixes that diagnostics carry, the
//! same edits an editor offers as quick fixes.
//!
//! Only complete fixes are applied ([`FixKind::Complete`]): a fix that
//! leaves a value for the author to write (a missing field's name) is
//! offered in editors and never applied here. Fixes are applied in rounds,
//! as ruff does: each round applies, file by file, every fix whose edits
//! overlap no fix already taken in that round, then checks the package
//! again; a fix left out (it overlapped another) or one that a fix made
//! possible applies in a later round. The rounds stop when no fix applies,
//! or after [`MAX_ROUNDS`].
//!
//! Like the rest of the core this does no IO: it takes a package's input
//! and returns the input with the fixes applied, for `campc` to write.
//!
//! [`FixKind::Complete`]: crate::diagnostic::FixKind::Complete

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Fix};
use crate::package::{Analysis, PackageInput};
use crate::source::SourceMap;

/// The most rounds of fixing. Fixes rarely depend on each other (one
/// misspelled name fixed makes the next check see what it names), so a
/// run that still finds fixes after this many is reported, not looped.
pub const MAX_ROUNDS: usize = 10;

/// A package after fixing.
#[derive(Debug)]
pub struct Fixed {
    /// The package's files with every applied fix in them.
    pub input: PackageInput,
    /// The analysis of `input`: what remains.
    pub analysis: Analysis,
    /// How many fixes were applied, over all rounds.
    pub applied: usize,
    /// `false` when fixes still applied after [`MAX_ROUNDS`] rounds.
    pub converged: bool,
}

/// Applies every complete fix of the package, round after round, checking
/// it with `analyze` after each round (the caller's, so that `campc` can
/// show progress). `input` must be what `analysis` was made from.
pub fn fix_package(
    mut input: PackageInput,
    mut analysis: Analysis,
    analyze: &dyn Fn(PackageInput) -> Analysis,
) -> Fixed {
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let round = apply_round(&mut input, &analysis);
        if round == 0 {
            return Fixed {
                input,
                analysis,
                applied,
                converged: true,
            };
        }
        applied += round;
        analysis = analyze(input.clone());
    }
    let converged = !analysis
        .diagnostics
        .iter()
        .any(|diagnostic| applicable_fix(diagnostic).is_some());
    Fixed {
        input,
        analysis,
        applied,
        converged,
    }
}

/// The fix `--fix` applies for a diagnostic: its first complete one.
pub fn applicable_fix(diagnostic: &Diagnostic) -> Option<&Fix> {
    diagnostic.fixes.iter().find(|fix| fix.is_complete())
}

/// One edit taken in a round: a byte range of one input file and its
/// replacement.
struct Taken<'a> {
    start: usize,
    end: usize,
    new_text: &'a str,
}

/// Applies to `input` the complete fixes of `analysis` (the analysis of
/// `input`) whose edits overlap none taken before them, in reporting
/// order; returns how many were applied. Two edits overlap when their
/// ranges share a byte or touch (an insertion where another edit starts
/// or ends waits for the next round, so the order of the two never
/// matters). A fix is taken whole or not at all. A file whose bytes are
/// not exactly its checked text (one that is not UTF-8) is never edited.
fn apply_round(input: &mut PackageInput, analysis: &Analysis) -> usize {
    let index_of: HashMap<&str, usize> = input
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| (file.path.as_str(), index))
        .collect();
    let mut taken: HashMap<usize, Vec<Taken<'_>>> = HashMap::new();
    let mut applied = 0;
    for diagnostic in &analysis.diagnostics {
        let Some(fix) = applicable_fix(diagnostic) else {
            continue;
        };
        let Some(edits) = resolve(fix, &analysis.sources, input, &index_of) else {
            continue;
        };
        // A fix that would change nothing is no fix (and would come back
        // every round).
        let changes = edits.iter().any(|(file, edit)| {
            input
                .files
                .get(*file)
                .and_then(|file| file.bytes.get(edit.start..edit.end))
                != Some(edit.new_text.as_bytes())
        });
        if !changes {
            continue;
        }
        let overlaps = edits.iter().enumerate().any(|(position, (file, edit))| {
            let clashes = |other: &Taken<'_>| other.start <= edit.end && edit.start <= other.end;
            taken
                .get(file)
                .is_some_and(|others| others.iter().any(clashes))
                || edits
                    .iter()
                    .skip(position + 1)
                    .any(|(other_file, other)| other_file == file && clashes(other))
        });
        if overlaps {
            continue;
        }
        for (file, edit) in edits {
            taken.entry(file).or_default().push(edit);
        }
        applied += 1;
    }
    for (file, mut edits) in taken {
        let Some(target) = input.files.get_mut(file) else {
            continue;
        };
        let Ok(mut text) = String::from_utf8(std::mem::take(&mut target.bytes).into_vec()) else {
            continue;
        };
        // From the end, so that earlier offsets stay true.
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.start));
        for edit in edits {
            text.replace_range(edit.start..edit.end, edit.new_text);
        }
        target.bytes = text.into();
    }
    applied
}

/// A fix's edits as byte ranges of `input`'s files, or `None` when one of
/// them cannot be applied: its file is not one of the input's, its bytes
/// are not its checked text, or its range is not on character boundaries.
fn resolve<'a>(
    fix: &'a Fix,
    sources: &SourceMap,
    input: &PackageInput,
    index_of: &HashMap<&str, usize>,
) -> Option<Vec<(usize, Taken<'a>)>> {
    fix.edits
        .iter()
        .map(|edit| {
            let source = sources.get(edit.span.file)?;
            let index = *index_of.get(source.path.as_str())?;
            let file = input.files.get(index)?;
            if *file.bytes != *source.text.as_bytes() {
                return None;
            }
            let range = edit.span.range();
            source.text.get(range.clone())?;
            Some((
                index,
                Taken {
                    start: range.start,
                    end: range.end,
                    new_text: edit.new_text.as_str(),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintConfig;
    use crate::package::{InputFile, analyze};

    const PRELUDE: &str = include_str!("../../tests/fixtures/prelude.camp");
    const UNKNOWN_FUND: &str = include_str!("../../tests/fixtures/errors/E0203_unknown_fund.camp");
    const MISSING_FIELD: &str =
        include_str!("../../tests/fixtures/errors/E0206_missing_field.camp");

    fn package(files: &[(&str, &str)]) -> PackageInput {
        PackageInput {
            name: None,
            files: files
                .iter()
                .map(|(path, text)| InputFile {
                    path: (*path).to_string(),
                    relative_path: (*path).to_string(),
                    bytes: (*text).into(),
                })
                .collect(),
            lints: LintConfig::errors_only(),
        }
    }

    fn text_of<'a>(input: &'a PackageInput, path: &str) -> &'a str {
        input
            .files
            .iter()
            .find(|file| file.path == path)
            .and_then(|file| std::str::from_utf8(&file.bytes).ok())
            .unwrap_or("")
    }

    fn codes(analysis: &Analysis) -> Vec<&'static str> {
        analysis.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn every_complete_fix_is_applied_and_the_package_checked_again() {
        let twice = format!(
            "{UNKNOWN_FUND}\n{}",
            UNKNOWN_FUND.replace("sh_appliance_subsidy", "bj_appliance_subsidy")
        );
        let input = package(&[("prelude.camp", PRELUDE), ("fund.camp", &twice)]);
        let analysis = analyze(input.clone());
        assert_eq!(codes(&analysis), ["E0203", "E0203"]);
        let fixed = fix_package(input, analysis, &analyze);
        assert_eq!(fixed.applied, 2);
        assert!(fixed.converged);
        assert_eq!(
            text_of(&fixed.input, "fund.camp"),
            twice.replace("goverment_subsidy", "government_subsidy")
        );
        assert_eq!(text_of(&fixed.input, "prelude.camp"), PRELUDE);
        // What remains is the analysis of the fixed text.
        assert_eq!(
            fixed.analysis.diagnostics,
            analyze(fixed.input.clone()).diagnostics
        );
        assert!(
            !codes(&fixed.analysis).contains(&"E0203"),
            "{:?}",
            fixed.analysis.diagnostics
        );
    }

    #[test]
    fn a_fix_that_leaves_a_value_to_write_is_not_applied() {
        let input = package(&[("prelude.camp", PRELUDE), ("campaign.camp", MISSING_FIELD)]);
        let analysis = analyze(input.clone());
        assert_eq!(codes(&analysis), ["E0206"]);
        assert!(
            analysis
                .diagnostics
                .iter()
                .flat_map(|d| &d.fixes)
                .all(|fix| !fix.is_complete()),
            "a missing field's fix leaves its value to the author"
        );
        let fixed = fix_package(input, analysis, &analyze);
        assert_eq!(fixed.applied, 0);
        assert!(fixed.converged);
        assert_eq!(text_of(&fixed.input, "campaign.camp"), MISSING_FIELD);
    }

    #[test]
    fn overlapping_edits_wait_for_the_next_round() {
        let mut input = package(&[("a.camp", "abcdef")]);
        let mut sources = SourceMap::new();
        let file = sources.add("a.camp".into(), "a.camp".into(), "abcdef".into());
        let diagnostics = [(0, 3, "X"), (2, 4, "Y"), (4, 6, "Z"), (6, 6, "!")]
            .into_iter()
            .map(|(start, end, text)| {
                let span = crate::source::Span::new(file, start, end);
                let mut diagnostic =
                    Diagnostic::error("E0203", "test", crate::diagnostic::Label::new(span, "here"));
                diagnostic.fixes.push(Fix::replace(span, text));
                diagnostic
            })
            .collect();
        let analysis = Analysis {
            sources,
            diagnostics,
            ..Analysis::default()
        };
        // `Y` overlaps `X`; `!` touches the end of `Z`.
        assert_eq!(apply_round(&mut input, &analysis), 2);
        assert_eq!(text_of(&input, "a.camp"), "XdZ");
    }

    #[test]
    fn a_fix_that_changes_nothing_is_not_counted() {
        let mut input = package(&[("a.camp", "abc")]);
        let mut sources = SourceMap::new();
        let file = sources.add("a.camp".into(), "a.camp".into(), "abc".into());
        let span = crate::source::Span::new(file, 0, 1);
        let mut diagnostic =
            Diagnostic::error("E0203", "test", crate::diagnostic::Label::new(span, "here"));
        diagnostic.fixes.push(Fix::replace(span, "a"));
        let analysis = Analysis {
            sources,
            diagnostics: vec![diagnostic],
            ..Analysis::default()
        };
        assert_eq!(apply_round(&mut input, &analysis), 0);
        assert_eq!(text_of(&input, "a.camp"), "abc");
    }

    #[test]
    fn a_file_that_is_not_its_checked_text_is_left_alone() {
        let mut input = package(&[("a.camp", "abc")]);
        let mut sources = SourceMap::new();
        // What a file that is not UTF-8 is checked as: its lossy text.
        let file = sources.add("a.camp".into(), "a.camp".into(), "ab\u{FFFD}".into());
        let span = crate::source::Span::new(file, 0, 1);
        let mut diagnostic =
            Diagnostic::error("E0203", "test", crate::diagnostic::Label::new(span, "here"));
        diagnostic.fixes.push(Fix::replace(span, "X"));
        let analysis = Analysis {
            sources,
            diagnostics: vec![diagnostic],
            ..Analysis::default()
        };
        assert_eq!(apply_round(&mut input, &analysis), 0);
        assert_eq!(text_of(&input, "a.camp"), "abc");
    }
}

//! Inline suppressions: `// camp: allow(rule-name) reason: …`, alone on
//! the line before an item or a field. It silences that rule's findings
//! inside that item or field (or, before any other line, on that line).
//! Before a campaign, it also silences that rule's findings about the
//! campaign located in the template it is made from, and only the
//! campaign's: another campaign made from the same template keeps its own.
//!
//! The reason is mandatory, a suppression must silence something, it must
//! name a lint rule (errors are never suppressible), and a `forbid` rule
//! cannot be silenced: each of these is a finding of its own.

use std::sync::Arc;

use super::{Finding, Level, LintConfig, RuleMeta, declare_rule, find_rule};
use crate::check::values::suggest;
use crate::source::{SourceFile, SourceMap, Span};
use crate::syntax::ast::{ItemKind, ParsedFile};

declare_rule! {
    /// ## What it does
    /// Flags a `// camp: allow(…)` suppression that gives no reason.
    ///
    /// ## Why is this bad?
    /// A silenced warning is a decision somebody made about risk. Without
    /// the reason, the next author cannot tell a reviewed exception from a
    /// shortcut, and a reviewer cannot check it.
    ///
    /// ## Example
    /// ```camp
    /// // camp: allow(high-rate)
    /// reward: 40% off, cap CNY 20.00
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// // camp: allow(high-rate) reason: launch promotion approved by risk, RISK-1234
    /// reward: 40% off, cap CNY 20.00
    /// ```
    pub struct SuppressionWithoutReason {
        name: "suppression-without-reason",
        level: Deny,
        summary: "a suppression must say why",
        options: &[],
    }
}

declare_rule! {
    /// ## What it does
    /// Flags a `// camp: allow(rule)` suppression that silences nothing: the
    /// rule has no finding in the item or field below it.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding in the same place,
    /// and its reason no longer describes the code.
    ///
    /// ## Example
    /// ```camp
    /// // camp: allow(high-rate) reason: approved for the launch week
    /// reward: 10% off, cap CNY 20.00
    /// ```
    ///
    /// ## Use instead
    /// Remove the comment.
    pub struct UnusedSuppression {
        name: "unused-suppression",
        level: Warn,
        summary: "a suppression that silences nothing",
        options: &[],
    }
}

declare_rule! {
    /// ## What it does
    /// Flags a `// camp:` comment that is not `allow(rule, …) reason: …`, or
    /// that names something other than a lint rule, such as an error code.
    ///
    /// ## Why is this bad?
    /// A misspelled rule name silences nothing, and errors (type errors,
    /// fund contract breaches, unbounded exposure) can never be suppressed:
    /// the comment only looks like it does something.
    ///
    /// ## Example
    /// ```camp
    /// // camp: allow(hihg-rate) reason: approved
    /// ```
    ///
    /// ## Use instead
    /// ```camp
    /// // camp: allow(high-rate) reason: approved
    /// ```
    pub struct UnknownRule {
        name: "unknown-rule",
        level: Deny,
        summary: "a suppression that names no lint rule",
        options: &[],
    }
}

declare_rule! {
    /// ## What it does
    /// Flags a suppression of a rule that `camp.toml` sets to `forbid`.
    ///
    /// ## Why is this bad?
    /// `forbid` is how a repository says that a rule admits no exceptions
    /// (for instance, no campaign without a spend guard). The finding stays,
    /// and this one explains why the comment did not silence it.
    ///
    /// ## Example
    /// ```toml
    /// [lints]
    /// no-spend-guard = "forbid"
    /// ```
    /// ```camp
    /// // camp: allow(no-spend-guard) reason: small campaign
    /// campaign small_coupon { … }
    /// ```
    ///
    /// ## Use instead
    /// Add the guard, or change the level in `camp.toml` with the owners'
    /// review.
    pub struct ForbiddenSuppression {
        name: "forbidden-suppression",
        level: Deny,
        summary: "a suppression of a forbidden rule",
        options: &[],
    }
}

/// The suppression rules, for the registry and the docs.
pub const RULES: [&RuleMeta; 4] = [
    &SuppressionWithoutReason::META,
    &UnusedSuppression::META,
    &UnknownRule::META,
    &ForbiddenSuppression::META,
];

/// One `// camp:` comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The whole comment.
    pub span: Span,
    /// Each named rule with the span of its name.
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// What it covers: the item or field on the next line.
    pub target: Span,
    /// Set when the comment is not `allow(…)`.
    pub malformed: bool,
}

/// What a previous [`collect_cached`] saw of each file, by the file's
/// place: its text and whether that holds a directive. An unchanged
/// file's text is shared between checks (the same allocation), so a text
/// that is the same allocation as the one seen at its place last time is
/// not searched again. Holding the text keeps the allocation alive, so
/// another text can never take its address.
pub(crate) type Scanned = Vec<(Arc<str>, bool)>;

/// Finds the suppressions of every file.
pub fn collect(sources: &SourceMap, parsed: &[ParsedFile]) -> Vec<Suppression> {
    collect_cached(sources, parsed, None)
}

/// [`collect`], searching only the files whose text `scanned` did not see
/// at their place (and updating it). The result is the same as [`collect`]'s.
pub(crate) fn collect_cached(
    sources: &SourceMap,
    parsed: &[ParsedFile],
    mut scanned: Option<&mut Scanned>,
) -> Vec<Suppression> {
    let mut found = Vec::new();
    // A file is searched with `memmem`, which skips through text without
    // a `/`; in the editor only when its text changed.
    let finder = memchr::memmem::Finder::new("// camp:");
    let search = |file: &SourceFile| finder.find(file.text.as_bytes()).is_some();
    for (place, file) in sources.files().iter().enumerate() {
        let holds = match scanned.as_deref_mut() {
            None => search(file),
            Some(scanned) => match scanned.get_mut(place) {
                Some((text, holds)) if Arc::ptr_eq(text, &file.text) => *holds,
                Some(entry) => {
                    let holds = search(file);
                    *entry = (Arc::clone(&file.text), holds);
                    holds
                }
                None => {
                    let holds = search(file);
                    scanned.push((Arc::clone(&file.text), holds));
                    holds
                }
            },
        };
        if !holds {
            continue;
        }
        let items = parsed.get(file.id.0 as usize);
        let lines: Vec<(usize, &str)> = line_offsets(&file.text);
        for (index, (offset, line)) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let Some(directive) = trimmed.strip_prefix("// camp:") else {
                continue;
            };
            let comment_start = offset + (line.len() - trimmed.len());
            let span = Span::new(file.id, comment_start, offset + line.trim_end().len());
            let directive_start = comment_start + "// camp:".len();
            let mut suppression = parse_directive(file, directive, directive_start, span);
            suppression.target = target_after(file, &lines, index, items).unwrap_or(span);
            found.push(suppression);
        }
    }
    if let Some(scanned) = scanned {
        scanned.truncate(sources.files().len());
    }
    found
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in crate::source::split_lines_inclusive(text) {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    lines
}

/// `allow(a, b) reason: text`
fn parse_directive(file: &SourceFile, directive: &str, start: usize, span: Span) -> Suppression {
    let mut suppression = Suppression {
        span,
        rules: Vec::new(),
        reason: None,
        target: span,
        malformed: true,
    };
    let leading = directive.len() - directive.trim_start().len();
    let body = directive.trim_start();
    let Some(rest) = body.strip_prefix("allow(") else {
        return suppression;
    };
    let Some(close) = rest.find(')') else {
        return suppression;
    };
    suppression.malformed = false;
    let names_start = start + leading + "allow(".len();
    let mut cursor = 0;
    for name in rest.get(..close).unwrap_or("").split(',') {
        let trimmed = name.trim();
        let name_offset = names_start + cursor + (name.len() - name.trim_start().len());
        if !trimmed.is_empty() {
            suppression.rules.push((
                trimmed.to_string(),
                Span::new(file.id, name_offset, name_offset + trimmed.len()),
            ));
        }
        cursor += name.len() + 1;
    }
    let after = rest.get(close + 1..).unwrap_or("").trim();
    if let Some(reason) = after.strip_prefix("reason:") {
        let reason = reason.trim();
        if !reason.is_empty() && reason != "…" && reason != "..." {
            suppression.reason = Some(reason.to_string());
        }
    }
    suppression
}

/// The span of the item or field on the first line after `index` that is
/// not blank or a comment; else that whole line.
fn target_after(
    file: &SourceFile,
    lines: &[(usize, &str)],
    index: usize,
    parsed: Option<&ParsedFile>,
) -> Option<Span> {
    let (offset, line) = lines
        .iter()
        .skip(index + 1)
        .find(|(_, line)| {
            let trimmed = line.trim();
            !trimmed.is_empty() && !trimmed.starts_with("//")
        })
        .copied()?;
    let code_start = offset + (line.len() - line.trim_start().len());
    let starts_here = |span: Span| span.start as usize == code_start;
    if let Some(parsed) = parsed {
        for item in &parsed.items {
            if starts_here(item.span) {
                return Some(item.span);
            }
            let body = match &item.kind {
                ItemKind::Campaign(decl) => Some(&decl.body),
                ItemKind::Template(decl) => Some(&decl.body),
                ItemKind::Fund(decl) => Some(&decl.body),
                ItemKind::Policy(decl) => Some(&decl.body),
                ItemKind::Schema(decl) => decl.body.as_ref(),
                ItemKind::Test(_) => None,
                ItemKind::Pool(decl) => Some(&decl.body),
            };
            if let Some(entry) = body.and_then(|body| {
                body.entries
                    .iter()
                    .find(|entry| starts_here(entry.key.span))
            }) {
                return Some(entry.span);
            }
        }
    }
    Some(Span::new(file.id, code_start, offset + line.len()))
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Silences the findings the suppressions cover; adds the findings about
/// the suppressions themselves; returns what remains.
///
/// A suppression covers a finding located in its target, and one before a
/// campaign also covers every finding about that campaign wherever it is
/// located (in the template the campaign is made from): `campaign_span`
/// gives the item span of a campaign by id.
pub fn apply(
    suppressions: &[Suppression],
    findings: Vec<Finding>,
    config: &LintConfig,
    campaign_span: &dyn Fn(&str) -> Option<Span>,
) -> Vec<Finding> {
    let mut used = vec![Vec::<bool>::new(); suppressions.len()];
    for (index, suppression) in suppressions.iter().enumerate() {
        if let Some(slot) = used.get_mut(index) {
            *slot = vec![false; suppression.rules.len()];
        }
    }
    let mut kept = Vec::with_capacity(findings.len());
    let mut meta = Vec::new();
    for finding in findings {
        let mut silenced = false;
        let campaign = finding.campaign.as_deref().and_then(campaign_span);
        for (index, suppression) in suppressions.iter().enumerate() {
            let covers = contains(suppression.target, finding.span)
                || campaign.is_some_and(|campaign| contains(suppression.target, campaign));
            if !covers {
                continue;
            }
            for (rule_index, (name, name_span)) in suppression.rules.iter().enumerate() {
                if name != finding.rule.name {
                    continue;
                }
                if let Some(flag) = used
                    .get_mut(index)
                    .and_then(|flags| flags.get_mut(rule_index))
                {
                    *flag = true;
                }
                if config.level(finding.rule) == Level::Forbid {
                    meta.push(
                        Finding::new(
                            &ForbiddenSuppression::META,
                            *name_span,
                            format!(
                                "`{name}` is forbidden in this repository and cannot be suppressed"
                            ),
                            "forbidden rule",
                        )
                        .with_help(
                            "fix what the finding says; `camp.toml` sets this rule to `forbid`",
                        ),
                    );
                } else {
                    silenced = true;
                }
            }
        }
        if !silenced {
            kept.push(finding);
        }
    }

    for (index, suppression) in suppressions.iter().enumerate() {
        if suppression.malformed {
            meta.push(
                Finding::new(
                    &UnknownRule::META,
                    suppression.span,
                    "this `// camp:` comment is not a suppression",
                    "not `allow(…) reason: …`",
                )
                .with_help("write `// camp: allow(rule-name) reason: why it is safe here`"),
            );
            continue;
        }
        if suppression.reason.is_none() {
            meta.push(
                Finding::new(
                    &SuppressionWithoutReason::META,
                    suppression.span,
                    "this suppression gives no reason",
                    "no `reason: …`",
                )
                .with_help("add `reason: …` saying why the finding is acceptable here"),
            );
        }
        for (rule_index, (name, name_span)) in suppression.rules.iter().enumerate() {
            match find_rule(name) {
                None => {
                    let is_error_code = name.len() == 5
                        && name.starts_with('E')
                        && name
                            .get(1..)
                            .is_some_and(|digits| digits.chars().all(|ch| ch.is_ascii_digit()));
                    let (message, help) = if is_error_code {
                        (
                            format!("`{name}` is an error code; errors cannot be suppressed"),
                            String::from("fix the error; only lint rules can be allowed"),
                        )
                    } else {
                        let names = super::all_rules();
                        let suggestion = suggest(name, names.iter().map(|rule| rule.name));
                        (
                            format!("`{name}` is not a lint rule"),
                            suggestion
                                .map(|suggestion| format!("did you mean `{suggestion}`?"))
                                .unwrap_or_else(|| String::from("`campc rules` lists the rules")),
                        )
                    };
                    meta.push(
                        Finding::new(&UnknownRule::META, *name_span, message, "unknown rule")
                            .with_help(help),
                    );
                }
                Some(rule) => {
                    let was_used = used
                        .get(index)
                        .and_then(|flags| flags.get(rule_index))
                        .copied()
                        .unwrap_or(false);
                    if !was_used
                        && !super::suppression::RULES
                            .iter()
                            .any(|meta_rule| meta_rule.name == rule.name)
                    {
                        meta.push(
                            Finding::new(
                                &UnusedSuppression::META,
                                *name_span,
                                format!("`allow({name})` silences nothing here"),
                                "no such finding below",
                            )
                            .with_help(
                                "remove it; the item or field below has no finding of this rule",
                            ),
                        );
                    }
                }
            }
        }
    }
    kept.extend(meta);
    kept
}

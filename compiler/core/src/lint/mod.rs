//! The linter: rules that make risky but legal campaigns loud.
//!
//! Each rule lives in its own file under `rules/`, declared with
//! [`declare_rule!`] so that its doc comment (What it does / Why is this
//! bad / Example / Use instead) is also its documentation: `campc rule
//! NAME` prints it and `docs/rules.md` is generated from it (a test keeps
//! the file current). Rules read the checked model only; they run in
//! `campc check` after the checker, on every campaign that checked cleanly.
//!
//! Levels come from `camp.toml` (`[lints]`); a finding can be suppressed
//! with `// camp: allow(rule-name) reason: …` on the line before the item
//! or field, unless its rule is `forbid`den. Errors are never suppressible.

pub mod baseline;
pub mod config;
pub mod rules;
pub mod suppression;

use std::sync::Arc;

use rayon::prelude::*;

use crate::check::model::{CampaignModel, Model};
use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{ItemKind, ParsedFile};

pub use config::{LintConfig, OptionValue};

/// How loud a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Off.
    Allow,
    /// Reported; does not fail `campc check`.
    Warn,
    /// Reported as an error: fails `campc check`.
    Deny,
    /// Like `deny`, and no inline suppression can silence it.
    Forbid,
}

impl Level {
    pub const NAMES: [&'static str; 4] = ["allow", "warn", "deny", "forbid"];

    pub fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "allow" => Level::Allow,
            "warn" => Level::Warn,
            "deny" => Level::Deny,
            "forbid" => Level::Forbid,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
            Level::Forbid => "forbid",
        }
    }
}

/// The type of a rule option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A rate such as `"30%"`.
    Rate,
    /// A whole number such as `90`.
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionMeta {
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, as written in `camp.toml`.
    pub default: &'static str,
    pub description: &'static str,
}

/// What a rule is: its stable name, default level, one-line summary, and
/// its documentation (the rule's doc comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub name: &'static str,
    pub default_level: Level,
    pub summary: &'static str,
    pub options: &'static [OptionMeta],
    pub docs: &'static str,
}

/// Declares a rule: a unit struct whose doc comment is kept as its
/// documentation in `META`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            name: $id:literal,
            level: $level:ident,
            summary: $summary:literal,
            options: $options:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                name: $id,
                default_level: $crate::lint::Level::$level,
                summary: $summary,
                options: $options,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub related: Vec<Label>,
    pub help: Option<String>,
    /// Edits that apply the help, when it is mechanical.
    pub fixes: Vec<Fix>,
    /// The id of the campaign the finding is about, when it is about one.
    /// A suppression before that campaign silences the finding even where
    /// its span is in the template the campaign is made from.
    pub campaign: Option<String>,
}

impl Finding {
    pub fn new(
        rule: &'static RuleMeta,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            message: message.into(),
            span,
            label: label.into(),
            related: Vec::new(),
            help: None,
            fixes: Vec::new(),
            campaign: None,
        }
    }

    /// Says which campaign the finding is about.
    pub fn in_campaign(mut self, campaign: &CampaignModel) -> Finding {
        self.campaign = Some(campaign.id.clone());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fixes.push(fix);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, label: Label) -> Finding {
        self.related.push(label);
        self
    }

    fn into_diagnostic(self, level: Level) -> Diagnostic {
        Diagnostic {
            severity: match level {
                Level::Deny | Level::Forbid => Severity::Error,
                Level::Warn | Level::Allow => Severity::Warning,
            },
            code: self.rule.name,
            message: self.message,
            primary: Label::new(self.span, self.label),
            secondary: self.related,
            help: self.help,
            fixes: self.fixes,
        }
    }
}

/// What a rule sees.
pub struct LintContext<'a> {
    pub model: &'a Model,
    pub config: &'a LintConfig,
}

impl LintContext<'_> {
    pub fn option(&self, rule: &RuleMeta, name: &str) -> Option<OptionValue> {
        self.config.option(rule, name)
    }
}

/// A rule's check, adding findings: over the whole package (a rule that
/// compares campaigns, or reads the schema or the time), or about one
/// campaign at a time, from that campaign and the levels and options
/// alone (which is what lets a language server re-check only the
/// campaigns an edit changed, see [`LintCache`]).
#[derive(Clone, Copy)]
pub enum Check {
    Package(fn(&LintContext<'_>, &mut Vec<Finding>)),
    Campaign(CampaignCheck),
}

/// A one-campaign rule's check ([`Check::Campaign`]).
pub type CampaignCheck = fn(&CampaignModel, &LintConfig, &mut Vec<Finding>);

/// The findings of the one-campaign rules ([`Check::Campaign`]) on each
/// campaign, kept between [`run_cached`] calls: a campaign whose check is
/// the same (the very same `Arc`, which the check cache keeps while its
/// item is unchanged) keeps its findings while the levels and options are
/// the same.
#[derive(Debug, Default)]
pub struct LintCache {
    /// The levels and options the findings were found under (`now` left
    /// out: no one-campaign rule reads it).
    config: LintConfig,
    /// Sorted by campaign id, as the model's campaigns are.
    campaigns: Vec<(Arc<CampaignModel>, RuleFindings)>,
    /// Which files' texts were searched for suppressions, and what was
    /// found (an unchanged file without one is not searched again).
    scanned: suppression::Scanned,
}

/// Findings, each with the index of its rule in [`rules::ALL`].
type RuleFindings = Vec<(usize, Finding)>;

/// Runs every rule that is not `allow`ed, applies the inline
/// suppressions, and returns the findings as diagnostics.
pub fn run(
    model: &Model,
    parsed: &[ParsedFile],
    sources: &SourceMap,
    config: &LintConfig,
) -> Vec<Diagnostic> {
    run_cached(model, parsed, sources, config, None)
}

/// [`run`], re-using from `cache` the one-campaign findings of every
/// campaign whose check has not changed. The result is the same as
/// [`run`]'s.
pub fn run_cached(
    model: &Model,
    parsed: &[ParsedFile],
    sources: &SourceMap,
    config: &LintConfig,
    mut cache: Option<&mut LintCache>,
) -> Vec<Diagnostic> {
    let context = LintContext { model, config };
    let enabled = |meta: &RuleMeta| config.level(meta) != Level::Allow;
    // The package-wide rules, each on its own thread where one is free.
    let package = || -> Vec<RuleFindings> {
        rules::ALL
            .par_iter()
            .enumerate()
            .map(|(index, (meta, check))| match check {
                Check::Package(check) if enabled(meta) => {
                    let mut findings = Vec::new();
                    check(&context, &mut findings);
                    findings
                        .into_iter()
                        .map(|finding| (index, finding))
                        .collect()
                }
                Check::Package(_) | Check::Campaign(_) => Vec::new(),
            })
            .collect()
    };
    // The one-campaign rules in force, with their options' defaults
    // parsed once.
    let campaign_checks: Vec<(usize, CampaignCheck)> = rules::ALL
        .iter()
        .enumerate()
        .filter_map(|(index, (meta, check))| match check {
            Check::Campaign(check) if enabled(meta) => Some((index, *check)),
            Check::Campaign(_) | Check::Package(_) => None,
        })
        .collect();
    let filled = config.with_defaults(rules::ALL.iter().map(|(meta, _)| *meta));
    let of_campaign = |campaign: &CampaignModel| {
        let mut all = Vec::new();
        let mut findings = Vec::new();
        for (index, check) in &campaign_checks {
            check(campaign, &filled, &mut findings);
            // Most campaigns have no finding: nothing to move.
            if !findings.is_empty() {
                all.extend(findings.drain(..).map(|finding| (*index, finding)));
            }
        }
        all
    };
    // Each campaign's findings, in the model's order; the campaigns are
    // linted in parallel, those whose last run the cache still holds not
    // at all.
    let campaigns = || -> Vec<RuleFindings> {
        match cache.as_deref_mut() {
            None => model
                .campaigns
                .par_iter()
                .map(|campaign| of_campaign(campaign))
                .collect(),
            Some(cache) => {
                let mut levels = config.clone();
                levels.now = None;
                if cache.config != levels {
                    cache.config = levels;
                    cache.campaigns.clear();
                }
                // Both sorted by id: one walk finds each campaign's last run.
                let mut last = std::mem::take(&mut cache.campaigns).into_iter().peekable();
                let reused: Vec<Option<RuleFindings>> = model
                    .campaigns
                    .iter()
                    .map(|campaign| {
                        while last.peek().is_some_and(|(known, _)| known.id < campaign.id) {
                            last.next();
                        }
                        last.next_if(|(known, _)| Arc::ptr_eq(known, campaign))
                            .map(|(_, findings)| findings)
                    })
                    .collect();
                let runs: Vec<RuleFindings> = model
                    .campaigns
                    .par_iter()
                    .zip(reused)
                    .map(|(campaign, reused)| reused.unwrap_or_else(|| of_campaign(campaign)))
                    .collect();
                cache.campaigns = model.campaigns.iter().cloned().zip(runs.clone()).collect();
                runs
            }
        }
    };
    let (package, campaigns) = rayon::join(package, campaigns);
    // Each finding with the index of its rule: sorted by it (stably), they
    // come in the order of a run rule by rule over the campaigns in order,
    // whatever the threads did.
    let mut found: RuleFindings = package.into_iter().chain(campaigns).flatten().collect();
    found.sort_by_key(|(index, _)| *index);
    let mut findings: Vec<Finding> = found.into_iter().map(|(_, finding)| finding).collect();
    attribute(model, parsed, &mut findings);
    let mut diagnostics = Vec::new();
    let suppressions =
        suppression::collect_cached(sources, parsed, cache.map(|cache| &mut cache.scanned));
    let campaign_spans = |id: &str| {
        model
            .campaigns
            .binary_search_by(|campaign| campaign.id.as_str().cmp(id))
            .ok()
            .and_then(|index| model.campaigns.get(index))
            .map(|campaign| campaign.span)
    };
    let kept = suppression::apply(&suppressions, findings, config, &campaign_spans);
    for finding in kept {
        let level = config.level(finding.rule);
        if level != Level::Allow {
            diagnostics.push(finding.into_diagnostic(level));
        }
    }
    diagnostics
}

/// Says which campaign each finding is about, where its rule did not, and
/// points from a finding in a template body to the campaign it is about.
///
/// A finding inside a campaign's item is that campaign's. One inside a
/// template's body is about one of the campaigns made from it: the only
/// one, or else the one its message names first (rules name the campaign
/// they report on). Lookups are by binary search over items sorted by
/// where they are written (items never overlap), so this stays linear in
/// the findings on a package of thousands of campaigns.
fn attribute(model: &Model, parsed: &[ParsedFile], findings: &mut [Finding]) {
    let within = |outer: Span, inner: Span| {
        outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
    };
    /// The entry of `sorted` (by span) whose span contains `span`.
    fn containing<T: Copy>(sorted: &[(Span, T)], span: Span) -> Option<(Span, T)> {
        let after =
            sorted.partition_point(|(item, _)| (item.file, item.start) <= (span.file, span.start));
        let (item, value) = *sorted.get(after.checked_sub(1)?)?;
        (item.file == span.file && item.start <= span.start && span.end <= item.end)
            .then_some((item, value))
    }
    let by_id = |id: &str| {
        model
            .campaigns
            .binary_search_by(|campaign| campaign.id.as_str().cmp(id))
            .ok()
            .and_then(|index| model.campaigns.get(index))
            .map(|campaign| &**campaign)
    };
    let mut items: Vec<(Span, usize)> = model
        .campaigns
        .iter()
        .enumerate()
        .map(|(index, campaign)| (campaign.span, index))
        .collect();
    items.sort_unstable();
    let mut templates: Vec<(Span, &str)> = parsed
        .iter()
        .flat_map(|file| &file.items)
        .filter_map(|item| match &item.kind {
            ItemKind::Template(decl) => Some((item.span, decl.name.text.as_str())),
            ItemKind::Schema(_)
            | ItemKind::Fund(_)
            | ItemKind::Policy(_)
            | ItemKind::Campaign(_)
            | ItemKind::Test(_)
            | ItemKind::Pool(_) => None,
        })
        .collect();
    templates.sort_unstable();
    // How many checked campaigns each template made.
    let mut made: std::collections::BTreeMap<&str, (usize, &CampaignModel)> =
        std::collections::BTreeMap::new();
    for campaign in &model.campaigns {
        if let Some(used) = &campaign.template {
            made.entry(used.id.as_str())
                .and_modify(|(count, _)| *count += 1)
                .or_insert((1, campaign));
        }
    }
    let from_template = |campaign: &CampaignModel, template: &str| {
        campaign
            .template
            .as_ref()
            .is_some_and(|used| used.id == template)
    };
    for finding in findings.iter_mut() {
        if finding.campaign.is_none() {
            let chosen = if let Some((_, index)) = containing(&items, finding.span) {
                model.campaigns.get(index).map(|campaign| &**campaign)
            } else if let Some((_, template)) = containing(&templates, finding.span) {
                match made.get(template) {
                    Some((1, only)) => Some(*only),
                    _ => finding
                        .message
                        .split('`')
                        .skip(1)
                        .step_by(2)
                        .filter_map(&by_id)
                        .find(|campaign| from_template(campaign, template)),
                }
            } else {
                None
            };
            finding.campaign = chosen.map(|campaign| campaign.id.clone());
        }
        let Some(campaign) = finding.campaign.as_deref().and_then(by_id) else {
            continue;
        };
        if let Some(used) = &campaign.template
            && !within(campaign.span, finding.span)
            && containing(&templates, finding.span).is_some_and(|(_, template)| template == used.id)
        {
            finding.related.push(Label::new(
                campaign.name_span,
                format!(
                    "in campaign `{}`, made from template `{}`",
                    campaign.id, used.id
                ),
            ));
        }
    }
}

/// Every rule, the suppression rules included, for `campc rules` and docs.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = rules::ALL.iter().map(|(meta, _)| *meta).collect();
    all.extend(suppression::RULES);
    all
}

pub fn find_rule(name: &str) -> Option<&'static RuleMeta> {
    all_rules().into_iter().find(|rule| rule.name == name)
}

/// `docs/rules.md`, generated from the rules' doc comments.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\n<!-- Generated from the rules' doc comments by `UPDATE_RULE_DOCS=1 cargo test -p campc --test lints`. Do not edit. -->\n\n",
    );
    out.push_str("Set a rule's level in `camp.toml`:\n\n```toml\n[lints]\nhigh-rate = \"deny\"                                  # allow | warn | deny | forbid\nlong-window = { level = \"warn\", max_days = 60 }      # with options\n```\n\nSilence one finding with a comment on the line before the item or field; the reason is required:\n\n```camp\n// camp: allow(high-rate) reason: approved by risk, ticket RISK-1234\nreward: 40% off, cap CNY 20.00\n```\n\nBefore a campaign made from a template, the comment also silences that campaign's findings located in the template, and no other campaign's.\n\n");
    out.push_str("| rule | default | summary |\n|---|---|---|\n");
    for rule in all_rules() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            rule.name,
            rule.name,
            rule.default_level.as_str(),
            rule.summary
        ));
    }
    for rule in all_rules() {
        out.push_str(&format!(
            "\n## `{}`\n\nDefault level: `{}`.\n",
            rule.name,
            rule.default_level.as_str()
        ));
        if !rule.options.is_empty() {
            out.push_str("\nOptions:\n\n");
            for option in rule.options {
                out.push_str(&format!(
                    "- `{}` (default `{}`): {}\n",
                    option.name, option.default, option.description
                ));
            }
        }
        out.push('\n');
        out.push_str(&rule_docs_markdown(rule, 1));
    }
    out
}

/// A rule's doc comment as Markdown, its `##` sections pushed `down`
/// levels (for a page where the rule itself is a `##` heading).
pub fn rule_docs_markdown(rule: &RuleMeta, down: usize) -> String {
    let mut out = String::new();
    for line in rule.docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if line.starts_with('#') {
            out.push_str(&"#".repeat(down));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

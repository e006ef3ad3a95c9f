//! `campc diff`'s report, in each format: for people (`human`: a review
//! summary, most dangerous first), `json` (its schema checked in as
//! `docs/diff.schema.json`), `markdown` (a pull-request comment), GitHub
//! annotations and SARIF. The diff itself is `camp_core::diff`'s data.

use camp_core::diagnostic::Diagnostic;
use camp_core::diff::{
    CampaignDiff, Change, ClaimField, Flag, Movement, PackageDiff, PoolSummary, ScheduleMovement,
    ScheduleSummary, ScopeMovement, Status, money_text, percent,
};
use camp_core::lint::Level;
use camp_core::source::SourceMap;
use schemars::JsonSchema;
use serde::Serialize;

use super::escape_controls;
use super::json::JsonTool;

/// `campc diff --format json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "campc diff report")]
pub struct DiffReport {
    /// The report format's version, `"1"`: fields are only ever added.
    pub format_version: &'static str,
    pub tool: JsonTool,
    pub old: DiffSide,
    pub new: DiffSide,
    /// Whether both sides checked and were compared. When one does not,
    /// `campaigns` is empty: a package is never diffed half-way.
    pub compared: bool,
    pub summary: DiffSummary,
    /// Most dangerous first: by the worst flag, then how many flags.
    pub campaigns: Vec<CampaignDiff>,
}

/// One side of the diff.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiffSide {
    /// The folder, or `REV:path/` for a git revision.
    pub label: String,
    /// Whether it checks: no error, so it has an IR.
    pub checked: bool,
    /// How many campaigns it has (checked ones; none when it does not check).
    pub campaigns: usize,
    /// Its errors, when it does not check.
    pub errors: Vec<SideError>,
}

/// An error of a side that does not check.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SideError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// Flags raised at `deny` (or `forbid`): they fail the diff.
    pub deny: usize,
    pub warn: usize,
}

impl DiffSide {
    /// A side that checked, with this many campaigns.
    pub fn checked(label: String, campaigns: usize) -> DiffSide {
        DiffSide {
            label,
            checked: true,
            campaigns,
            errors: Vec::new(),
        }
    }

    /// A side that does not check, with its errors (an error in a template
    /// shows once, not once per campaign made from it).
    pub fn failed(label: String, errors: &[&Diagnostic], sources: &SourceMap) -> DiffSide {
        let mut errors: Vec<SideError> = errors
            .iter()
            .map(|error| {
                let span = error.primary.span;
                let (file, line, column) = match sources.get(span.file) {
                    Some(file) => {
                        let at = file.line_column(span.start);
                        (file.path.to_string(), at.line, at.column)
                    }
                    None => (String::new(), 1, 1),
                };
                SideError {
                    file,
                    line,
                    column,
                    code: error.code.to_string(),
                    message: error.message.clone(),
                }
            })
            .collect();
        errors.dedup_by(|a, b| {
            (&a.file, a.line, a.column, &a.code, &a.message)
                == (&b.file, b.line, b.column, &b.code, &b.message)
        });
        DiffSide {
            label,
            checked: false,
            campaigns: 0,
            errors,
        }
    }
}

impl DiffReport {
    pub fn new(old: DiffSide, new: DiffSide, diff: Option<PackageDiff>) -> DiffReport {
        let compared = diff.is_some();
        let campaigns = diff.map(|diff| diff.campaigns).unwrap_or_default();
        let mut summary = DiffSummary::default();
        for campaign in &campaigns {
            match campaign.status {
                Status::Added => summary.added += 1,
                Status::Removed => summary.removed += 1,
                Status::Changed => summary.changed += 1,
            }
            for flag in &campaign.flags {
                match flag.level {
                    Level::Deny | Level::Forbid => summary.deny += 1,
                    Level::Warn => summary.warn += 1,
                    Level::Allow => {}
                }
            }
        }
        DiffReport {
            format_version: "1",
            tool: JsonTool {
                name: "campc",
                version: env!("CARGO_PKG_VERSION"),
            },
            old,
            new,
            compared,
            summary,
            campaigns,
        }
    }

    /// Whether `campc diff` exits 1: a side does not check, or a flag is
    /// raised at `deny`.
    pub fn fails(&self) -> bool {
        !self.compared || self.summary.deny > 0
    }

    fn failed_sides(&self) -> Vec<(&'static str, &DiffSide)> {
        [("old", &self.old), ("new", &self.new)]
            .into_iter()
            .filter(|(_, side)| !side.checked)
            .collect()
    }

    fn headline(&self) -> String {
        let s = &self.summary;
        if !self.compared {
            return String::from("nothing compared: a side does not check");
        }
        if self.campaigns.is_empty() {
            return String::from("no change in meaning");
        }
        format!(
            "{} changed, {} added, {} removed; {}, {}",
            campaigns(s.changed),
            s.added,
            s.removed,
            count(s.deny, "deny flag"),
            count(s.warn, "warning")
        )
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn campaigns(n: usize) -> String {
    count(n, "campaign")
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Allow => "allow",
        Level::Warn => "warn",
        Level::Deny => "deny",
        Level::Forbid => "forbid",
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
    }
}

fn movement_word(movement: Movement) -> &'static str {
    match movement {
        Movement::Added => "added",
        Movement::Removed => "removed",
        Movement::Loosened => "loosened",
        Movement::Tightened => "tightened",
    }
}

/// One change in a line, in an author's words.
pub fn describe(change: &Change) -> String {
    match change {
        Change::Whole {
            fund,
            reward,
            exposure,
            approvals,
            window,
            schedule,
            pool,
        } => {
            let mut text = format!(
                "fund `{}` ({}); reward {} (effective rate {}); exposure {}, {}; window {}",
                fund.id,
                fund.payer,
                reward.text,
                percent(reward.effective_rate),
                money_text(exposure),
                count(*approvals as usize, "approval"),
                window.text
            );
            if let Some(schedule) = schedule {
                text.push_str(&format!(
                    "; schedule {} ({} a week)",
                    schedule.text,
                    week_text(schedule.weekly_minutes)
                ));
            }
            if let Some(pool) = pool {
                text.push_str(&format!(
                    "; pool `{}` (budget {})",
                    pool.id,
                    money_text(&pool.budget)
                ));
            }
            text
        }
        Change::Currency { before, after } => format!("currency: {before} -> {after}"),
        Change::Fund { before, after } => format!(
            "fund: `{}` ({}) -> `{}` ({})",
            before.id, before.payer, after.id, after.payer
        ),
        Change::FundContract { fund } => {
            format!(
                "fund `{fund}`: its contract changed (scenes, categories, requires, max_rate or max_per_use)"
            )
        }
        Change::Scope {
            dimension,
            movement,
            before,
            after,
        } => format!(
            "{}: {} ({} -> {})",
            dimension.as_str(),
            match movement {
                ScopeMovement::Widened => "widened",
                ScopeMovement::Narrowed => "narrowed",
                ScopeMovement::Replaced => "replaced",
            },
            before.text(),
            after.text()
        ),
        Change::MoneyMovement { scenes } => format!(
            "reaches money-movement {}: {}",
            if scenes.len() == 1 { "scene" } else { "scenes" },
            scenes
                .iter()
                .map(|scene| format!("`{scene}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Change::Reward { before, after } => {
            let mut text = format!(
                "reward: {} -> {} (effective rate {} -> {}",
                before.text,
                after.text,
                percent(before.effective_rate),
                percent(after.effective_rate),
            );
            if before.largest_single != after.largest_single {
                text.push_str(&format!(
                    "; largest reward {} -> {}",
                    money_text(&before.largest_single),
                    money_text(&after.largest_single)
                ));
            }
            text.push(')');
            text
        }
        Change::Exposure {
            before,
            after,
            bound,
        } => format!(
            "exposure: {} -> {} (bounded by the {bound})",
            money_text(before),
            money_text(after)
        ),
        Change::Approvals { before, after } => format!("approvals: {before} -> {after}"),
        Change::Window { before, after } => {
            let length = if after.seconds > before.seconds {
                "lengthened"
            } else if after.seconds < before.seconds {
                "shortened"
            } else {
                "moved"
            };
            format!("window {length}: {} -> {}", before.text, after.text)
        }
        Change::Schedule {
            movement,
            before,
            after,
        } => {
            let schedule = |summary: &Option<ScheduleSummary>| match summary {
                Some(summary) => format!(
                    "{} ({} a week)",
                    summary.text,
                    week_text(summary.weekly_minutes)
                ),
                None => String::from("every instant of the window"),
            };
            format!(
                "schedule {}: {} -> {}",
                match movement {
                    ScheduleMovement::Added => "added (pays at fewer times)",
                    ScheduleMovement::Removed => "removed (pays at every time)",
                    ScheduleMovement::Widened => "widened",
                    ScheduleMovement::Narrowed => "narrowed",
                    ScheduleMovement::Replaced => "replaced",
                },
                schedule(before),
                schedule(after)
            )
        }
        Change::Budget { before, after } => {
            format!("budget: {} -> {}", money_text(before), money_text(after))
        }
        Change::Pool { before, after } => {
            let pool =
                |pool: &PoolSummary| format!("`{}` (budget {})", pool.id, money_text(&pool.budget));
            match (before, after) {
                (Some(before), Some(after)) if before.id == after.id => format!(
                    "pool `{}` budget: {} -> {}",
                    after.id,
                    money_text(&before.budget),
                    money_text(&after.budget)
                ),
                (Some(before), Some(after)) => {
                    format!("pool: {} -> {}", pool(before), pool(after))
                }
                (None, Some(after)) => format!("pool added: {}", pool(after)),
                (Some(before), None) => format!("pool removed: {}", pool(before)),
                (None, None) => String::from("pool: none -> none"),
            }
        }
        Change::Limit {
            movement,
            before,
            after,
        } => side_by_side("limit", *movement, before, after),
        Change::Rollout { before, after, .. } => {
            let stages = |stages: &[String]| {
                if stages.is_empty() {
                    String::from("none (live for everyone)")
                } else {
                    stages.join(", ")
                }
            };
            format!("rollout: {} -> {}", stages(before), stages(after))
        }
        Change::Guard {
            movement,
            before,
            after,
        } => side_by_side("guard", *movement, before, after),
        Change::Stacking { added, removed } => {
            let list = |ids: &[String]| {
                ids.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match (added.is_empty(), removed.is_empty()) {
                (false, true) => format!("stacks with more: {}", list(added)),
                (true, false) => format!("stacks with fewer: {} no longer", list(removed)),
                _ => format!(
                    "stacking partners: {} added, {} removed",
                    list(added),
                    list(removed)
                ),
            }
        }
        Change::ExpectedPeak { before, after } => format!(
            "expected peak: {} -> {}",
            before.as_deref().unwrap_or("none"),
            after.as_deref().unwrap_or("none")
        ),
        Change::Owner { before, after } => format!("owner: \"{before}\" -> \"{after}\""),
        Change::Claim {
            field,
            before,
            after,
        } => {
            let side = |side: &Option<String>, none: &str| {
                side.clone().unwrap_or_else(|| String::from(none))
            };
            match field {
                ClaimField::Block => match (before, after) {
                    (None, Some(after)) => {
                        format!("claim added (pays only with a claimed coupon): {after}")
                    }
                    (Some(before), None) => {
                        format!("claim removed (pays without a coupon): {before}")
                    }
                    (before, after) => {
                        format!("claim: {} -> {}", side(before, "none"), side(after, "none"))
                    }
                },
                ClaimField::ValidFor => format!(
                    "claim valid_for: {} -> {}",
                    side(before, "until the campaign window's end"),
                    side(after, "until the campaign window's end")
                ),
                ClaimField::Window | ClaimField::Inventory | ClaimField::PerUser => format!(
                    "claim {}: {} -> {}",
                    field.as_str(),
                    side(before, "none"),
                    side(after, "none")
                ),
            }
        }
    }
}

/// Minutes of a week in hours: `10h`, `2h30min`.
fn week_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (hours, 0) => format!("{hours}h"),
        (0, minutes) => format!("{minutes}min"),
        (hours, minutes) => format!("{hours}h{minutes}min"),
    }
}

fn side_by_side(
    what: &str,
    movement: Movement,
    before: &Option<String>,
    after: &Option<String>,
) -> String {
    match (before, after) {
        (Some(before), Some(after)) => {
            format!(
                "{what} {}: `{before}` -> `{after}`",
                movement_word(movement)
            )
        }
        (Some(one), None) | (None, Some(one)) => {
            format!("{what} {}: `{one}`", movement_word(movement))
        }
        (None, None) => format!("{what} {}", movement_word(movement)),
    }
}

fn origin(campaign: &CampaignDiff) -> String {
    let mut text = format!("{}:{}", campaign.source.file, campaign.source.start.line);
    if let Some(template) = &campaign.template {
        text.push_str(&format!(", from template `{template}`"));
    }
    text
}

/// The review summary for a terminal.
pub fn human(report: &DiffReport) -> String {
    let mut out = format!("campc diff {} -> {}\n", report.old.label, report.new.label);
    for (which, side) in report.failed_sides() {
        out.push_str(&format!(
            "\nthe {which} side (`{}`) does not check: {}\n",
            side.label,
            count(side.errors.len(), "error")
        ));
        for error in &side.errors {
            out.push_str(&format!(
                "  {}:{}:{}: error[{}] {}\n",
                error.file, error.line, error.column, error.code, error.message
            ));
        }
    }
    if !report.compared {
        out.push_str("\nnothing diffed: a package is compared only when both sides check (`campc check` shows the errors in full)\n");
        return escape_controls(&out).into_owned();
    }
    for campaign in &report.campaigns {
        out.push_str(&format!(
            "\n{} `{}` ({})\n",
            status_word(campaign.status),
            campaign.campaign,
            origin(campaign)
        ));
        for flag in &campaign.flags {
            out.push_str(&format!(
                "  {}[{}] {}\n",
                level_word(flag.level),
                flag.flag.name(),
                flag.message
            ));
        }
        for change in &campaign.changes {
            out.push_str(&format!("  - {}\n", describe(change)));
        }
    }
    out.push_str(&format!("\n{}\n", report.headline()));
    escape_controls(&out).into_owned()
}

/// Escapes what Markdown would read as markup in a table cell or a line.
fn md(text: &str) -> String {
    escape_controls(text)
        .replace(" -> ", " → ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A pull-request comment.
pub fn markdown(report: &DiffReport) -> String {
    let mut out = String::from("## campc diff\n\n");
    out.push_str(&format!(
        "`{}` → `{}`: **{}**\n",
        md(&report.old.label),
        md(&report.new.label),
        md(&report.headline())
    ));
    for (which, side) in report.failed_sides() {
        out.push_str(&format!(
            "\n:x: The {which} side (`{}`) does not check ({}); nothing was compared.\n\n",
            md(&side.label),
            count(side.errors.len(), "error")
        ));
        for error in &side.errors {
            out.push_str(&format!(
                "- `{}:{}:{}` **{}** {}\n",
                md(&error.file),
                error.line,
                error.column,
                error.code,
                md(&error.message)
            ));
        }
    }
    if !report.compared || report.campaigns.is_empty() {
        return out;
    }
    out.push_str("\n| | Campaign | Flags |\n|---|---|---|\n");
    for campaign in &report.campaigns {
        let flags: Vec<String> = campaign
            .flags
            .iter()
            .map(|flag| format!("{} `{}`", level_word(flag.level), flag.flag.name()))
            .collect();
        out.push_str(&format!(
            "| {} | `{}` | {} |\n",
            status_word(campaign.status),
            md(&campaign.campaign),
            if flags.is_empty() {
                String::from("—")
            } else {
                flags.join(", ")
            }
        ));
    }
    for campaign in &report.campaigns {
        out.push_str(&format!(
            "\n### {} `{}`\n\n_{}_\n\n",
            status_word(campaign.status),
            md(&campaign.campaign),
            md(&origin(campaign))
        ));
        for flag in &campaign.flags {
            out.push_str(&format!(
                "- **{} `{}`**: {}\n",
                level_word(flag.level),
                flag.flag.name(),
                md(&flag.message)
            ));
        }
        for change in &campaign.changes {
            out.push_str(&format!("- {}\n", md(&describe(change))));
        }
    }
    out
}

/// GitHub Actions annotations: one per flag, on the campaign; one per
/// error of a side that does not check.
pub fn github(report: &DiffReport) -> String {
    let property = |text: &str| {
        escape_controls(text)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let message = |text: &str| {
        escape_controls(text)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut out = String::new();
    for (which, side) in report.failed_sides() {
        out.push_str(&format!(
            "::error title={}::{}\n",
            property("campc diff"),
            message(&format!(
                "the {which} side (`{}`) does not check: {}; nothing was compared",
                side.label,
                count(side.errors.len(), "error")
            ))
        ));
    }
    for campaign in &report.campaigns {
        for flag in &campaign.flags {
            let command = match flag.level {
                Level::Deny | Level::Forbid => "error",
                Level::Warn | Level::Allow => "warning",
            };
            // A removed campaign's file may be gone: no file property.
            let place = match campaign.status {
                Status::Removed => String::new(),
                Status::Added | Status::Changed => format!(
                    "file={},line={},endLine={},",
                    property(&campaign.source.file),
                    campaign.source.start.line,
                    campaign.source.end.line
                ),
            };
            out.push_str(&format!(
                "::{command} {place}title={}::{}\n",
                property(&format!("campc diff {}", flag.flag.name())),
                message(&flag.message)
            ));
        }
    }
    out
}

/// SARIF 2.1.0: a rule per flag, a result per raised flag.
pub fn sarif(report: &DiffReport, docs_url: &str) -> String {
    let docs = docs_url.trim_end_matches('/');
    let rules: Vec<serde_json::Value> = Flag::ALL
        .iter()
        .map(|flag| {
            let doc = flag.doc();
            serde_json::json!({
                "id": doc.name,
                "name": doc.name,
                "shortDescription": { "text": doc.summary },
                "fullDescription": { "text": doc.explanation },
                "helpUri": format!("{docs}/docs/diff.md#{}", doc.name),
                "defaultConfiguration": {
                    "level": match doc.default_level {
                        Level::Deny | Level::Forbid => "error",
                        Level::Warn => "warning",
                        Level::Allow => "none",
                    }
                },
            })
        })
        .collect();
    let mut results = Vec::new();
    for campaign in &report.campaigns {
        for flag in &campaign.flags {
            let index = Flag::ALL
                .iter()
                .position(|known| *known == flag.flag)
                .unwrap_or_default();
            let mut result = serde_json::json!({
                "ruleId": flag.flag.name(),
                "ruleIndex": index,
                "level": match flag.level {
                    Level::Deny | Level::Forbid => "error",
                    Level::Warn | Level::Allow => "warning",
                },
                "message": { "text": flag.message },
            });
            if campaign.status != Status::Removed
                && let serde_json::Value::Object(map) = &mut result
            {
                map.insert(
                    String::from("locations"),
                    serde_json::json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": campaign.source.file },
                            "region": {
                                "startLine": campaign.source.start.line,
                                "startColumn": campaign.source.start.column,
                                "endLine": campaign.source.end.line,
                                "endColumn": campaign.source.end.column,
                            }
                        }
                    }]),
                );
            }
            results.push(result);
        }
    }
    let mut notifications = Vec::new();
    for (which, side) in report.failed_sides() {
        notifications.push(serde_json::json!({
            "level": "error",
            "message": { "text": format!(
                "the {which} side (`{}`) does not check: {}; nothing was compared",
                side.label,
                count(side.errors.len(), "error")
            ) },
        }));
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "campc diff",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": docs,
                "rules": rules,
            } },
            "invocations": [{
                "executionSuccessful": report.compared,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON report.
pub fn json(report: &DiffReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of the report, `docs/diff.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<DiffReport>();
    camp_core::ir::canonical::pretty(&schema).unwrap_or_default()
}

//! SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others).
//!
//! One run; one rule descriptor per code that appears (error codes and
//! lint rules), with stable `ruleId`s, descriptions and help URIs into the
//! repository's docs; `partialFingerprints` that survive edits elsewhere in
//! the file (the rule, the file, and the text of the flagged span, not its
//! line number).

use std::collections::BTreeMap;

use serde_sarif::sarif;
use sha2::{Digest, Sha256};

use camp_core::diagnostic::{Diagnostic, Severity};
use camp_core::source::{SourceMap, Span};

pub use camp_core::diagnostic::DEFAULT_DOCS_URL;

fn region(sources: &SourceMap, span: Span) -> Option<(String, sarif::Region)> {
    let file = sources.get(span.file)?;
    let start = file.line_column(span.start);
    let end = file.line_column(span.end);
    Some((
        file.path.clone(),
        sarif::Region::builder()
            .start_line(i64::from(start.line))
            .start_column(i64::from(start.column))
            .end_line(i64::from(end.line))
            .end_column(i64::from(end.column))
            .build(),
    ))
}

fn location(sources: &SourceMap, span: Span, message: Option<&str>) -> Option<sarif::Location> {
    let (path, region) = region(sources, span)?;
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(sarif::ArtifactLocation::builder().uri(path).build())
        .region(region)
        .build();
    Some(match message {
        Some(text) => sarif::Location::builder()
            .physical_location(physical)
            .message(sarif::Message::builder().text(text.to_string()).build())
            .build(),
        None => sarif::Location::builder()
            .physical_location(physical)
            .build(),
    })
}

/// A fingerprint of what was flagged, not where: it stays the same when
/// lines are added above.
fn fingerprint(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let file = sources.get(diagnostic.primary.span.file);
    let mut hasher = Sha256::new();
    hasher.update(diagnostic.code.as_bytes());
    hasher.update([0]);
    hasher.update(
        file.map(|file| file.relative_path.as_str())
            .unwrap_or("")
            .as_bytes(),
    );
    hasher.update([0]);
    hasher.update(sources.slice(diagnostic.primary.span).as_bytes());
    hasher.update([0]);
    hasher.update(diagnostic.message.as_bytes());
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn descriptor(code: &str, docs_url: &str) -> sarif::ReportingDescriptor {
    if let Some(rule) = camp_core::lint::find_rule(code) {
        return sarif::ReportingDescriptor::builder()
            .id(rule.name.to_string())
            .name(rule.name.to_string())
            .short_description(
                sarif::MultiformatMessageString::builder()
                    .text(rule.summary.to_string())
                    .build(),
            )
            .full_description(
                sarif::MultiformatMessageString::builder()
                    .text(rule.docs.to_string())
                    .markdown(camp_core::lint::rule_docs_markdown(rule, 0))
                    .build(),
            )
            .help_uri(format!("{docs_url}rules.md#{}", rule.name))
            .default_configuration(
                sarif::ReportingConfiguration::builder()
                    .level(serde_json::Value::String(String::from(
                        match rule.default_level {
                            camp_core::lint::Level::Deny | camp_core::lint::Level::Forbid => {
                                "error"
                            }
                            camp_core::lint::Level::Warn => "warning",
                            camp_core::lint::Level::Allow => "none",
                        },
                    )))
                    .build(),
            )
            .build();
    }
    let title = camp_core::error::title(code).unwrap_or("a Camp error");
    sarif::ReportingDescriptor::builder()
        .id(code.to_string())
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(title.to_string())
                .build(),
        )
        .help_uri(format!("{docs_url}errors.md#{code}"))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::Value::String(String::from("error")))
                .build(),
        )
        .build()
}

/// The SARIF log for diagnostics from one or more packages.
pub fn report(items: &[(&Diagnostic, &SourceMap)], docs_url: &str) -> String {
    let codes: Vec<&str> = items
        .iter()
        .map(|(diagnostic, _)| diagnostic.code)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let rule_index: BTreeMap<&str, i64> = codes
        .iter()
        .enumerate()
        .map(|(index, code)| (*code, i64::try_from(index).unwrap_or(i64::MAX)))
        .collect();
    let rules: Vec<sarif::ReportingDescriptor> = codes
        .iter()
        .map(|code| descriptor(code, docs_url))
        .collect();

    let results: Vec<sarif::Result> = items
        .iter()
        .map(|(diagnostic, sources)| {
            let mut text = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let level = match diagnostic.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
                Severity::Note => sarif::ResultLevel::Note,
            };
            let related: Vec<sarif::Location> = diagnostic
                .secondary
                .iter()
                .filter_map(|label| location(sources, label.span, Some(&label.message)))
                .collect();
            let locations: Vec<sarif::Location> = location(sources, diagnostic.primary.span, None)
                .into_iter()
                .collect();
            // SARIF regions: an insertion is an empty region (start = end).
            let fixes: Vec<sarif::Fix> = diagnostic
                .fixes
                .iter()
                .filter_map(|fix| {
                    let changes = fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let (path, deleted) = region(sources, edit.span)?;
                            let replacement = sarif::Replacement::builder()
                                .deleted_region(deleted)
                                .inserted_content(
                                    sarif::ArtifactContent::builder()
                                        .text(edit.new_text.clone())
                                        .build(),
                                )
                                .build();
                            Some(
                                sarif::ArtifactChange::builder()
                                    .artifact_location(
                                        sarif::ArtifactLocation::builder().uri(path).build(),
                                    )
                                    .replacements(vec![replacement])
                                    .build(),
                            )
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some(
                        sarif::Fix::builder()
                            .description(sarif::Message::builder().text(fix.title.clone()).build())
                            .artifact_changes(changes)
                            .build(),
                    )
                })
                .collect();
            let fingerprints = BTreeMap::from([(
                String::from("campFingerprint/v1"),
                fingerprint(diagnostic, sources),
            )]);
            let mut result = sarif::Result::builder()
                .rule_id(diagnostic.code.to_string())
                .rule_index(rule_index.get(diagnostic.code).copied().unwrap_or(0))
                .level(level)
                .message(sarif::Message::builder().text(text).build())
                .locations(locations)
                .related_locations(related)
                .partial_fingerprints(fingerprints)
                .build();
            result.fixes = (!fixes.is_empty()).then_some(fixes);
            result
        })
        .collect();

    let driver = sarif::ToolComponent::builder()
        .name(String::from("campc"))
        .version(env!("CARGO_PKG_VERSION").to_string())
        .information_uri(env!("CARGO_PKG_REPOSITORY").to_string())
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema(String::from(
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        ))
        .version(serde_json::Value::String(String::from("2.1.0")))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| String::from("{}"));
    text.push('\n');
    text
}

//! The `compile` target: arbitrary bytes as one `.camp` file.

use camp_core::format::format;
use camp_core::ir::types::{CampaignDocument, Manifest};
use camp_core::lint::LintConfig;
use camp_core::package::{Analysis, InputFile, PackageInput, analyze, analyze_lean};
use campc::render::{github, human, json, junit, sarif};

/// The example platform's schema and templates: a fuzzed campaign beside
/// them reaches the checker's every phase (funds, policy, templates,
/// exposure), not just "unknown fund".
pub(crate) const EXAMPLE_SCHEMA: [(&str, &str); 6] = [
    (
        "schema/funds.camp",
        include_str!("../../../examples/platform/schema/funds.camp"),
    ),
    (
        "schema/policy.camp",
        include_str!("../../../examples/platform/schema/policy.camp"),
    ),
    (
        "schema/scenes.camp",
        include_str!("../../../examples/platform/schema/scenes.camp"),
    ),
    (
        "schema/vocabulary.camp",
        include_str!("../../../examples/platform/schema/vocabulary.camp"),
    ),
    (
        "templates/city_subsidy.camp",
        include_str!("../../../examples/platform/templates/city_subsidy.camp"),
    ),
    (
        "templates/merchant_coupon.camp",
        include_str!("../../../examples/platform/templates/merchant_coupon.camp"),
    ),
];

/// The fuzzed file's name in its package.
const FILE: &str = "fuzzed.camp";

/// Where the fuzzed file is checked.
#[derive(Debug, Clone, Copy)]
enum Context {
    /// The only file of its package.
    Alone,
    /// Beside the example platform's schema and templates.
    ExampleSchema,
}

const CONTEXTS: [Context; 2] = [Context::Alone, Context::ExampleSchema];

fn package(context: Context, bytes: &[u8]) -> PackageInput {
    let file = |path: &str, bytes: &[u8]| InputFile {
        path: path.to_string(),
        relative_path: path.to_string(),
        bytes: bytes.to_vec().into(),
    };
    let mut files = vec![file(FILE, bytes)];
    if let Context::ExampleSchema = context {
        files.extend(
            EXAMPLE_SCHEMA
                .iter()
                .map(|(path, text)| file(path, text.as_bytes())),
        );
    }
    PackageInput {
        name: Some(String::from("fuzz")),
        files,
        // No "now": the `past-window` lint stays quiet, so a run is
        // the same whenever it happens.
        lints: LintConfig::default(),
    }
}

/// Checks `bytes` as a `.camp` file; panics if a property fails.
///
/// 1. Analysis, every renderer and the IR builder never panic, alone and
///    beside the example schema.
/// 2. A package without errors builds an IR, and every document of it
///    loads back through the IR loader as the same value.
/// 3. `campc check`'s lean analysis (each campaign's tree dropped once it
///    is checked) gives the same diagnostics and model.
/// 4. If the file parses, formatting it is idempotent and keeps its
///    diagnostics (code, severity, message, help), its number of campaigns
///    and, when it builds, its IR less the source positions: the
///    comparisons of `compiler/tests/format.rs`.
pub fn compile(bytes: &[u8]) {
    let analyses = CONTEXTS.map(|context| {
        let analysis = analyze(package(context, bytes));
        let lean = analyze_lean(package(context, bytes), &|| {});
        assert_eq!(
            lean.diagnostics, analysis.diagnostics,
            "the lean analysis changed the diagnostics ({context:?})"
        );
        assert_eq!(
            lean.model, analysis.model,
            "the lean analysis changed the model ({context:?})"
        );
        render_every_format(&analysis);
        let ir = built_ir(&analysis);
        (analysis, ir)
    });
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(formatted) = format(text) else {
        return;
    };
    assert_eq!(
        format(&formatted).as_ref(),
        Ok(&formatted),
        "formatting twice changes the text"
    );
    for (context, (before, ir_before)) in CONTEXTS.into_iter().zip(analyses) {
        let after = analyze(package(context, formatted.as_bytes()));
        assert_eq!(
            meaning(&before),
            meaning(&after),
            "formatting changed the diagnostics ({context:?})"
        );
        let ir_after = built_ir(&after);
        assert_eq!(
            ir_before, ir_after,
            "formatting changed the IR ({context:?})"
        );
    }
}

/// Renders the diagnostics as `campc` can: human, JSON, SARIF, GitHub,
/// JUnit. Only "does not panic" is checked here; what each says is the
/// business of the renderers' own snapshot tests.
fn render_every_format(analysis: &Analysis) {
    let items: Vec<_> = analysis
        .diagnostics
        .iter()
        .map(|diagnostic| (diagnostic, &analysis.sources))
        .collect();
    let human = human::render(
        &analysis.diagnostics,
        &analysis.sources,
        human::Style::plain(100),
    );
    assert_eq!(
        human.is_empty(),
        analysis.diagnostics.is_empty(),
        "the human report is empty exactly when there is nothing to say"
    );
    let report = json::report(
        &items,
        analysis.sources.files().len(),
        analysis.model.campaigns.len(),
    );
    let text = json::to_string(&report);
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "the JSON report is not JSON"
    );
    let sarif = sarif::report(&items, sarif::DEFAULT_DOCS_URL);
    assert!(
        serde_json::from_str::<serde_json::Value>(&sarif).is_ok(),
        "the SARIF report is not JSON"
    );
    let _ = github::report(&items);
    let paths: Vec<String> = analysis
        .sources
        .files()
        .iter()
        .map(|file| file.path.clone())
        .collect();
    let _ = junit::report(&items, &paths);
}

/// The IR of a package without compile errors (less the source positions
/// and the hashes that cover them), after checking that every document
/// loads back as itself; `None` for a package with errors.
fn built_ir(analysis: &Analysis) -> Option<Vec<serde_json::Value>> {
    let built = camp_core::ir::build(analysis)
        .unwrap_or_else(|error| panic!("a package without errors failed to build: {error}"));
    assert_eq!(
        built.is_some(),
        !analysis.has_compile_errors(),
        "an IR exists exactly when there is no compile error"
    );
    let files = built?;
    let mut values = Vec::with_capacity(files.files.len());
    for (path, bytes) in &files.files {
        if path == "manifest.json" {
            let manifest: Manifest = serde_json::from_slice(bytes)
                .unwrap_or_else(|error| panic!("the built manifest does not load: {error}"));
            assert_eq!(manifest, files.manifest, "the manifest loads as another");
        } else {
            let document: CampaignDocument = serde_json::from_slice(bytes)
                .unwrap_or_else(|error| panic!("built `{path}` does not load: {error}"));
            assert_eq!(
                format!("campaigns/{}.json", document.campaign.id.as_str()),
                *path
            );
        }
        let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        without_positions(&mut value);
        values.push(value);
    }
    Some(values)
}

/// What `compiler/tests/format.rs` removes before comparing IR: the
/// source positions and the hashes over them.
fn without_positions(value: &mut serde_json::Value) {
    if let Some(object) = value.as_object_mut() {
        object.remove("sha256");
    }
    if let Some(campaign) = value.get_mut("campaign").and_then(|c| c.as_object_mut()) {
        campaign.remove("source");
    }
    if let Some(campaigns) = value
        .pointer_mut("/package/campaigns")
        .and_then(|c| c.as_array_mut())
    {
        for campaign in campaigns {
            if let Some(campaign) = campaign.as_object_mut() {
                campaign.remove("sha256");
            }
        }
    }
}

/// What a package means, without where: each diagnostic's code,
/// severity, message and help, sorted, and the number of campaigns.
fn meaning(analysis: &Analysis) -> Vec<String> {
    let mut found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {} / help: {:?}",
                d.code, d.severity, d.message, d.help
            )
        })
        .collect();
    found.sort();
    found.push(format!("{} campaigns", analysis.model.campaigns.len()));
    found
}

//! How long the lint pass takes, on a synthetic package of N campaigns or
//! on a package folder (for shapes the synthetic package lacks, such as
//! many overlapping expected peaks):
//! `cargo run --release -p campc --example lint_timing -- 10000`
//! `cargo run --release -p campc --example lint_timing -- path/to/package`
//! A rule name after it times that rule alone:
//! `cargo run --release -p campc --example lint_timing -- 10000 peak-over-capacity`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let argument = std::env::args().nth(1).unwrap_or_default();
    let mut input = match argument.parse::<usize>() {
        Ok(count) => camp_core::synthetic::package(count),
        Err(_) if !argument.is_empty() => {
            let roots = camp_fs::find_packages(&[std::path::PathBuf::from(&argument)]);
            match roots
                .ok()
                .and_then(|roots| roots.into_iter().next())
                .map(|root| camp_fs::load_package(&root))
            {
                Some(Ok(input)) => input,
                _ => {
                    eprintln!("no package at `{argument}`");
                    std::process::exit(2);
                }
            }
        }
        Err(_) => camp_core::synthetic::package(10_000),
    };
    input.lints = camp_core::lint::LintConfig::errors_only();
    let analysis = camp_core::package::analyze(input);
    let config = match std::env::args().nth(2) {
        None => camp_core::lint::LintConfig::default(),
        Some(only) => {
            let mut table = toml::Table::new();
            for rule in camp_core::lint::all_rules() {
                if rule.name != only {
                    table.insert(rule.name.to_string(), "allow".into());
                }
            }
            camp_core::lint::LintConfig::from_table(&table).unwrap_or_default()
        }
    };
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let found = camp_core::lint::run(
            &analysis.model,
            &analysis.parsed,
            &analysis.sources,
            &config,
        );
        println!("lint pass: {:?}, {} findings", start.elapsed(), found.len());
    }
    std::mem::forget(analysis);
}

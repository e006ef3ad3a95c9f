//! How long the lint pass takes on a synthetic package:
//! `cargo run --release -p camp-compiler --example lint_timing -- 10000`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let mut input = camp_compiler::synthetic::package(count);
    input.lints = camp_compiler::lint::LintConfig::errors_only();
    let analysis = camp_compiler::package::analyze(input);
    let config = camp_compiler::lint::LintConfig::default();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let found = camp_compiler::lint::run(
            &analysis.model,
            &analysis.parsed,
            &analysis.sources,
            &config,
        );
        println!("lint pass: {:?}, {} findings", start.elapsed(), found.len());
    }
    std::mem::forget(analysis);
}

//! Where the time goes on a synthetic package, phase by phase (single
//! thread for parsing, so the figure is stable):
//! `cargo run --release -p campc --example phase_timing -- 10000`

use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let package = camp_core::synthetic::package(count);
    let texts: Vec<String> = package
        .files
        .iter()
        .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
        .collect();
    let mut best = std::time::Duration::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut items = 0;
        for (index, text) in texts.iter().enumerate() {
            let id = camp_core::source::FileId(u32::try_from(index).unwrap_or(u32::MAX));
            let output = camp_core::syntax::parse_file(id, text);
            items += output.file.items.len();
        }
        best = best.min(start.elapsed());
        assert!(items > count);
    }
    println!("parse, one thread, best of {rounds}: {best:?}");
    let start = Instant::now();
    let analysis = camp_core::package::analyze(package);
    println!(
        "analyze, all threads: {:?}, {} diagnostics",
        start.elapsed(),
        analysis.diagnostics.len()
    );
    std::mem::forget(analysis);
}

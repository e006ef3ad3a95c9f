//! Resident memory after each phase of checking a synthetic package:
//! `cargo run --release -p campc --example memory_phases -- 10000`
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

fn rss_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096 / 1_000_000
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let package = camp_core::synthetic::package(count);
    println!("input: {} MB rss", rss_mb());
    let texts: Vec<String> = package
        .files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    let parsed: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| camp_core::syntax::parse_file(camp_core::source::FileId(i as u32), t))
        .collect();
    println!("after parse: {} MB rss", rss_mb());
    let files: Vec<_> = parsed.into_iter().map(|p| p.file).collect();
    let checked = camp_core::check::check_package(&files);
    println!(
        "after check: {} MB rss ({} campaigns)",
        rss_mb(),
        checked.model.campaigns.len()
    );
}

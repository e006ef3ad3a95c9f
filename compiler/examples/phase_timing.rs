//! Prints how long each phase takes on a synthetic package, to see where
//! the time goes: `cargo run --release -p camp-compiler --example phase_timing -- 10000`

use std::time::Instant;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let package = camp_compiler::synthetic::package(count);
    let texts: Vec<String> = package
        .files
        .iter()
        .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
        .collect();
    let start = Instant::now();
    let mut items = 0;
    for (index, text) in texts.iter().enumerate() {
        let output =
            camp_compiler::syntax::parse_file(camp_compiler::source::FileId(index as u32), text);
        items += output.file.items.len();
    }
    println!("parse (1 thread): {:?} for {items} items", start.elapsed());
    let start = Instant::now();
    let analysis = camp_compiler::package::analyze(package);
    println!(
        "analyze (all threads): {:?}, {} diagnostics",
        start.elapsed(),
        analysis.diagnostics.len()
    );
}

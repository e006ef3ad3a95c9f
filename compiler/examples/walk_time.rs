#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use rayon::prelude::*;
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let t0 = std::time::Instant::now();
    let roots =
        camp_compiler::fs::find_packages(&[std::path::PathBuf::from("/tmp/pkg10k")]).unwrap();
    let input = camp_compiler::fs::load_package(&roots[0]).unwrap();
    let t1 = std::time::Instant::now();
    let mut sources = camp_compiler::source::SourceMap::new();
    for f in &input.files {
        sources.add(
            f.path.clone(),
            f.relative_path.clone(),
            std::sync::Arc::from(std::str::from_utf8(&f.bytes).unwrap()),
        );
    }
    let t2 = std::time::Instant::now();
    let outputs: Vec<_> = sources
        .files()
        .par_iter()
        .map(|f| camp_compiler::syntax::parse_file(f.id, &f.text))
        .collect();
    let t3 = std::time::Instant::now();
    let parsed: Vec<_> = outputs.into_iter().map(|o| o.file).collect();
    let checked = camp_compiler::check::check_package(&parsed);
    let t4 = std::time::Instant::now();
    println!(
        "load {:?} sources {:?} parse {:?} check {:?} ({})",
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        checked.errors.len()
    );
    std::mem::forget((parsed, checked, sources));
}

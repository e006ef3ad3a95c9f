//! Text to syntax tree. See `parser.rs` for the entry point.

pub mod ast;
mod fast;
pub mod lookalike;
pub(crate) mod lower;
pub mod parser;
pub mod regions;
pub mod shift;
pub mod split;
mod syntax_error;

pub use parser::{
    ItemCache, ParseOutput, parse_claim, parse_file, parse_file_reusing, parse_payment,
};

/// Every `.camp` file of the examples and the test fixtures, sorted: the
/// texts the syntax tests read.
#[cfg(test)]
pub(crate) fn example_and_fixture_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    for dir in ["examples", "compiler/tests/fixtures"] {
        let mut folders = vec![root.join(dir)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|ext| ext == "camp") {
                    paths.push(path);
                }
            }
        }
    }
    paths.sort();
    paths
}

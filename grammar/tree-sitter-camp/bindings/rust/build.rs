//! Compiles the generated parser (`src/parser.c`, committed) with the
//! platform's C compiler. Nothing is generated here: `tree-sitter generate`
//! is run by hand when `grammar.js` changes (see the README beside it).

fn main() {
    let src = std::path::Path::new("src");
    let mut build = cc::Build::new();
    build.std("c11").include(src).file(src.join("parser.c"));
    #[cfg(target_env = "msvc")]
    build.flag("-utf-8");
    println!("cargo:rerun-if-changed=src/parser.c");
    println!("cargo:rerun-if-changed=src/tree_sitter/parser.h");
    build.compile("tree-sitter-camp");
}

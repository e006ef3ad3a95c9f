//! Writes a synthetic package to a folder, for benchmarks:
//! `cargo run --release -p campc --example generate_package -- DIR 10000`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: generate_package DIR [CAMPAIGNS]");
        return ExitCode::from(2);
    };
    let count: usize = count.and_then(|count| count.parse().ok()).unwrap_or(10_000);
    let root = PathBuf::from(dir);
    let package = camp_core::synthetic::package(count);
    let mut bytes = 0usize;
    for file in &package.files {
        let path = root.join(&file.relative_path);
        if let Some(parent) = path.parent()
            && let Err(error) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        if let Err(error) = std::fs::write(&path, &*file.bytes) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        bytes += file.bytes.len();
    }
    if let Err(error) = std::fs::write(root.join("camp.toml"), "[package]\nname = \"synthetic\"\n")
    {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    println!(
        "wrote {} files, {bytes} bytes, to {}",
        package.files.len(),
        root.display()
    );
    ExitCode::SUCCESS
}

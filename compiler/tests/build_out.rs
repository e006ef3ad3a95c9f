//! `campc build --out` end to end: it replaces only a folder it wrote, never
//! a package or a file it did not write, and the swap is atomic, serialised
//! and cleans up after killed builds. Every test works on a copy of
//! `examples/platform` in a scratch folder.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};

use camp_core::ir::types::Manifest;

fn platform() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/platform")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch folder holding `pkg` (a copy of `examples/platform`) and a
/// sibling file.
fn scratch() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    copy_tree(&platform(), &scratch.path().join("pkg"));
    std::fs::write(scratch.path().join("sibling.txt"), "a neighbour's file\n").unwrap();
    scratch
}

fn campc(current_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_campc"))
        .args(args)
        .current_dir(current_dir)
        // 2026-11-22 00:00 UTC: the examples' windows are in the future.
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    );
}

/// Everything below `root`: each path with the bytes of a file, the
/// target of a link, or nothing for a folder. Links are not followed.
fn tree(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                found.insert(relative, Some(target.into_os_string().into_encoded_bytes()));
            } else if kind.is_dir() {
                pending.push(path);
                found.insert(relative, None);
            } else {
                found.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    found
}

/// The names directly in `folder`, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The manifest at `out`, which must deserialize (and so validate).
fn manifest(out: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// A refused `--out`: exit 2, a message saying why and what to do (the
/// snapshot), and not one byte changed anywhere in the scratch folder.
struct Refusal {
    name: &'static str,
    /// Prepares the scratch folder; returns the folder to run `campc` in
    /// and the arguments after `build`.
    setup: fn(&Path) -> (PathBuf, Vec<&'static str>),
}

const REFUSALS: &[Refusal] = &[
    Refusal {
        name: "out_is_the_package",
        setup: |scratch| (scratch.to_path_buf(), vec!["pkg", "--out", "pkg"]),
    },
    Refusal {
        name: "out_is_the_campaigns_folder_of_the_package",
        setup: |scratch| (scratch.to_path_buf(), vec!["pkg", "--out", "pkg/campaigns"]),
    },
    Refusal {
        name: "out_is_a_new_folder_inside_the_package",
        setup: |scratch| (scratch.to_path_buf(), vec!["pkg", "--out", "pkg/build/ir"]),
    },
    Refusal {
        name: "out_is_the_parent_of_the_package",
        setup: |scratch| (scratch.to_path_buf(), vec!["pkg", "--out", "."]),
    },
    Refusal {
        name: "out_is_dot_inside_the_package",
        setup: |scratch| (scratch.join("pkg"), vec!["--out", "."]),
    },
    Refusal {
        name: "out_is_the_package_named_from_inside_a_subfolder",
        setup: |scratch| (scratch.join("pkg/campaigns"), vec!["--out", ".."]),
    },
    Refusal {
        name: "out_is_inside_another_package",
        setup: |scratch| {
            std::fs::create_dir(scratch.join("other")).unwrap();
            std::fs::write(scratch.join("other/camp.toml"), "").unwrap();
            (scratch.to_path_buf(), vec!["pkg", "--out", "other/ir"])
        },
    },
    Refusal {
        name: "out_is_another_package",
        setup: |scratch| {
            std::fs::create_dir(scratch.join("other")).unwrap();
            std::fs::write(scratch.join("other/camp.toml"), "").unwrap();
            (scratch.to_path_buf(), vec!["pkg", "--out", "other"])
        },
    },
    Refusal {
        name: "out_is_a_file",
        setup: |scratch| {
            std::fs::write(scratch.join("notes.txt"), "my notes\n").unwrap();
            (scratch.to_path_buf(), vec!["pkg", "--out", "notes.txt"])
        },
    },
    Refusal {
        name: "out_holds_unrelated_files",
        setup: |scratch| {
            std::fs::create_dir_all(scratch.join("ir/mine")).unwrap();
            std::fs::write(scratch.join("ir/mine/report.csv"), "a,b\n").unwrap();
            std::fs::write(scratch.join("ir/manifest.json"), "{}").unwrap();
            (scratch.to_path_buf(), vec!["pkg", "--out", "ir"])
        },
    },
    Refusal {
        name: "out_has_a_damaged_marker",
        setup: |scratch| {
            std::fs::create_dir(scratch.join("ir")).unwrap();
            std::fs::write(scratch.join("ir/.campc-ir"), "my own file\n").unwrap();
            (scratch.to_path_buf(), vec!["pkg", "--out", "ir"])
        },
    },
];

#[test]
fn an_out_that_is_not_campc_ir_is_refused_and_nothing_changes() {
    for refusal in REFUSALS {
        let scratch = scratch();
        let (current_dir, args) = (refusal.setup)(scratch.path());
        let before = tree(scratch.path());
        let output = campc(&current_dir, &[&["build"], args.as_slice()].concat());
        assert_eq!(output.status.code(), Some(2), "{}", refusal.name);
        assert_eq!(
            tree(scratch.path()),
            before,
            "{} changed files",
            refusal.name
        );
        insta::assert_snapshot!(refusal.name, stderr(&output));
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_out_is_refused_and_stays_a_link() {
    let scratch = scratch();
    let output = campc(scratch.path(), &["build", "pkg", "--out", "real"]);
    assert_success(&output);
    std::os::unix::fs::symlink("real", scratch.path().join("ir")).unwrap();
    let before = tree(scratch.path());
    for (out, snapshot) in [
        ("ir", "out_is_a_symbolic_link"),
        ("ir/", "out_is_a_symbolic_link_with_a_slash"),
    ] {
        let output = campc(scratch.path(), &["build", "pkg", "--out", out]);
        assert_eq!(output.status.code(), Some(2), "{out}");
        assert_eq!(tree(scratch.path()), before, "{out}");
        insta::assert_snapshot!(snapshot, stderr(&output));
    }
}

#[cfg(unix)]
#[test]
fn a_link_above_out_is_followed_and_kept() {
    let scratch = scratch();
    std::fs::create_dir(scratch.path().join("target")).unwrap();
    std::os::unix::fs::symlink("target", scratch.path().join("link")).unwrap();
    for _ in 0..2 {
        let output = campc(scratch.path(), &["build", "pkg", "--out", "link/ir"]);
        assert_success(&output);
    }
    assert!(
        scratch
            .path()
            .join("link")
            .symlink_metadata()
            .unwrap()
            .is_symlink()
    );
    manifest(&scratch.path().join("target/ir"));
    assert_eq!(names(&scratch.path().join("target")), ["ir"]);
}

#[test]
fn a_rebuild_replaces_the_ir_it_wrote_and_leaves_nothing_beside_it() {
    let scratch = scratch();
    let out = scratch.path().join("build/ir");
    let output = campc(scratch.path(), &["build", "pkg", "--out", "build/ir"]);
    assert_success(&output);
    let first = manifest(&out);
    assert!(out.join("campaigns/hk_year_end_dining_2028.json").is_file());
    let marker = std::fs::read_to_string(out.join(".campc-ir")).unwrap();
    assert!(marker.contains("\nmanifest.json\n"), "{marker}");
    assert!(
        marker.contains("\ncampaigns/hk_year_end_dining_2028.json\n"),
        "{marker}"
    );

    // A campaign removed from the package disappears from the IR.
    std::fs::remove_file(scratch.path().join("pkg/campaigns/hong_kong.camp")).unwrap();
    let output = campc(scratch.path(), &["build", "pkg", "--out", "build/ir"]);
    assert_success(&output);
    let second = manifest(&out);
    assert_ne!(first, second);
    assert!(!out.join("campaigns/hk_year_end_dining_2028.json").exists());
    let marker = std::fs::read_to_string(out.join(".campc-ir")).unwrap();
    assert!(!marker.contains("hk_year_end_dining_2028"), "{marker}");
    assert_eq!(
        names(&scratch.path().join("build")),
        ["ir"],
        "no staging, old or lock left"
    );
    assert_eq!(names(scratch.path()), ["build", "pkg", "sibling.txt"]);
}

#[test]
fn an_empty_existing_folder_may_be_out() {
    let scratch = scratch();
    std::fs::create_dir(scratch.path().join("ir")).unwrap();
    let output = campc(scratch.path(), &["build", "pkg", "--out", "ir"]);
    assert_success(&output);
    manifest(&scratch.path().join("ir"));
    assert_eq!(names(scratch.path()), ["ir", "pkg", "sibling.txt"]);
}

#[test]
fn a_file_added_to_the_ir_stops_the_rebuild_and_is_kept() {
    let scratch = scratch();
    let output = campc(scratch.path(), &["build", "pkg", "--out", "ir"]);
    assert_success(&output);
    std::fs::write(scratch.path().join("ir/campaigns/notes.md"), "mine\n").unwrap();
    let before = tree(scratch.path());
    let output = campc(scratch.path(), &["build", "pkg", "--out", "ir"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(tree(scratch.path()), before);
    insta::assert_snapshot!("out_holds_a_file_campc_did_not_write", stderr(&output));
}

#[test]
fn concurrent_builds_to_one_out_take_turns() {
    const BUILDS: usize = 8;
    const ROUNDS: usize = 5;
    let scratch = scratch();
    for _ in 0..ROUNDS {
        let outputs: Vec<Output> = std::thread::scope(|scope| {
            let builds: Vec<_> = (0..BUILDS)
                .map(|_| scope.spawn(|| campc(scratch.path(), &["build", "pkg", "--out", "ir"])))
                .collect();
            builds
                .into_iter()
                .map(|build| build.join().unwrap())
                .collect()
        });
        for output in &outputs {
            assert_success(output);
        }
        manifest(&scratch.path().join("ir"));
        assert_eq!(
            names(scratch.path()),
            ["ir", "pkg", "sibling.txt"],
            "no staging, old or lock left"
        );
    }
}

#[test]
fn a_reader_always_finds_the_old_or_the_new_ir() {
    const REBUILDS: usize = 40;
    /// A bound on the reader, so the test ends even if a build hangs.
    const MAX_READS: usize = 1_000_000;
    let scratch = scratch();
    let out = scratch.path().join("ir");
    // Two versions of the package, built in turn, so that every rebuild
    // replaces the IR (a rebuild with nothing changed writes nothing).
    let hong_kong = scratch.path().join("pkg/campaigns/hong_kong.camp");
    let source = std::fs::read_to_string(&hong_kong).unwrap();
    let versions = [
        source.clone(),
        source.replace("budget: HKD 800_000.00", "budget: HKD 700_000.00"),
    ];
    assert_ne!(versions[0], versions[1]);
    let mut expected = Vec::new();
    for version in &versions {
        std::fs::write(&hong_kong, version).unwrap();
        assert_success(&campc(scratch.path(), &["build", "pkg", "--out", "ir"]));
        expected.push(std::fs::read(out.join("manifest.json")).unwrap());
    }
    let done = AtomicBool::new(false);
    let (reads, misses) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let (mut reads, mut misses) = (0usize, Vec::new());
            while !done.load(Ordering::Relaxed) && reads < MAX_READS {
                reads += 1;
                match std::fs::read(out.join("manifest.json")) {
                    Ok(bytes) if expected.contains(&bytes) => {}
                    Ok(_) => misses.push(String::from("different bytes")),
                    Err(error) => misses.push(error.to_string()),
                }
            }
            (reads, misses)
        });
        for rebuild in 0..REBUILDS {
            std::fs::write(&hong_kong, &versions[rebuild % 2]).unwrap();
            let output = campc(scratch.path(), &["build", "pkg", "--out", "ir"]);
            assert_success(&output);
            assert!(
                output.stdout.starts_with(b"updated ir to "),
                "{}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        done.store(true, Ordering::Relaxed);
        reader.join().unwrap()
    });
    assert!(reads > 0);
    assert!(
        misses.is_empty(),
        "{} of {reads} reads failed: {:?}",
        misses.len(),
        &misses[..misses.len().min(3)]
    );
}

#[test]
fn the_next_build_deletes_what_a_killed_build_left() {
    let scratch = scratch();
    let root = scratch.path();
    assert_success(&campc(root, &["build", "pkg", "--out", "ir"]));
    // A build killed while staging: the marker and part of the files.
    copy_tree(&root.join("ir"), &root.join(".ir.campc-build-Ab12Cd"));
    std::fs::remove_dir_all(root.join(".ir.campc-build-Ab12Cd/campaigns")).unwrap();
    // A build killed after moving the old IR aside, and one killed right
    // after creating its staging folder.
    copy_tree(&root.join("ir"), &root.join(".ir.campc-old-Xy34Zw"));
    std::fs::create_dir(root.join(".ir.campc-build-Empty1")).unwrap();
    // Its lock file.
    std::fs::write(root.join(".ir.campc-lock"), "").unwrap();
    // Not ours to delete: a look-alike holding a user's file, another
    // `--out`'s staging folder, and a name outside the pattern.
    std::fs::create_dir(root.join(".ir.campc-old-Mine99")).unwrap();
    std::fs::write(root.join(".ir.campc-old-Mine99/keep.txt"), "mine\n").unwrap();
    copy_tree(&root.join("ir"), &root.join(".other.campc-build-Ab12Cd"));
    copy_tree(&root.join("ir"), &root.join(".ir.campc-build-too-long"));

    let output = campc(root, &["build", "pkg", "--out", "ir"]);
    assert_success(&output);
    manifest(&root.join("ir"));
    assert_eq!(
        names(root),
        [
            ".ir.campc-build-too-long",
            ".ir.campc-old-Mine99",
            ".other.campc-build-Ab12Cd",
            "ir",
            "pkg",
            "sibling.txt"
        ]
    );
    assert_eq!(
        names(&root.join(".ir.campc-old-Mine99")),
        ["keep.txt"],
        "the user's file is kept"
    );
    assert!(
        stderr(&output)
            .contains(".ir.campc-old-Mine99` in place: it holds files `campc build` did not write"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_out_in_a_new_folder_is_created_with_its_parents() {
    let scratch = scratch();
    let output = campc(scratch.path(), &["build", "pkg", "--out", "deep/er/ir"]);
    assert_success(&output);
    manifest(&scratch.path().join("deep/er/ir"));
}

/// Each file below `root` with its inode and modification time: the same
/// pair after a rebuild means the rebuild did not write the file again.
#[cfg(unix)]
fn identities(root: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    tree(root)
        .into_iter()
        .filter(|(_, bytes)| bytes.is_some())
        .map(|(relative, _)| {
            let metadata = std::fs::metadata(root.join(&relative)).unwrap();
            (relative, (metadata.ino(), metadata.modified().unwrap()))
        })
        .collect()
}

/// The files whose identity differs between two [`identities`], and those
/// only one of them has.
#[cfg(unix)]
fn rewritten(
    before: &BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
    after: &BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
) -> Vec<String> {
    let mut paths: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|path| before.get(*path) != after.get(*path))
        .map(|path| path.to_string_lossy().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_writes_only_what_changed_and_matches_a_clean_build() {
    let scratch = scratch();
    let root = scratch.path();
    let out = root.join("ir");
    assert_success(&campc(root, &["build", "pkg", "--out", "ir"]));
    let first = identities(&out);
    assert!(first.len() > 3, "{first:?}");

    // Nothing changed: no file is written, the folder is the same one.
    let output = campc(root, &["build", "pkg", "--out", "ir"]);
    assert_success(&output);
    assert_eq!(rewritten(&first, &identities(&out)), Vec::<String>::new());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("ir is up to date: "), "{stdout}");
    assert_eq!(names(root), ["ir", "pkg", "sibling.txt"]);

    // One campaign's budget changes: its file and the manifest (which
    // holds its hash) are written, nothing else.
    let hong_kong = root.join("pkg/campaigns/hong_kong.camp");
    let source = std::fs::read_to_string(&hong_kong).unwrap();
    let changed = source.replace("budget: HKD 800_000.00", "budget: HKD 700_000.00");
    assert_ne!(changed, source);
    std::fs::write(&hong_kong, changed).unwrap();
    let output = campc(root, &["build", "pkg", "--out", "ir"]);
    assert_success(&output);
    let second = identities(&out);
    assert_eq!(
        rewritten(&first, &second),
        ["campaigns/hk_year_end_dining_2028.json", "manifest.json"]
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("updated ir to ") && stdout.contains(": 2 files written, 0 deleted, "),
        "{stdout}"
    );

    // The campaign is removed: its file is deleted, the marker and the
    // manifest are written, nothing else.
    std::fs::remove_file(&hong_kong).unwrap();
    assert_success(&campc(root, &["build", "pkg", "--out", "ir"]));
    assert_eq!(
        rewritten(&second, &identities(&out)),
        [
            ".campc-ir",
            "campaigns/hk_year_end_dining_2028.json",
            "manifest.json"
        ]
    );
    assert!(!out.join("campaigns/hk_year_end_dining_2028.json").exists());
    assert_eq!(
        names(root),
        ["ir", "pkg", "sibling.txt"],
        "nothing left beside"
    );

    // Byte for byte what a build into a new folder writes.
    assert_success(&campc(root, &["build", "pkg", "--out", "clean"]));
    assert_eq!(tree(&out), tree(&root.join("clean")));
}

//! R2: every fuzz corpus file and every crash artifact (`fuzz/corpus/<target>/`,
//! `fuzz/artifacts/<target>/`) replayed through exactly the functions the fuzz targets call
//! (`fuzz/fuzz_targets/common.rs`), so `cargo test` keeps covering them without cargo-fuzz.

use crate::fuzz_common as common;

use std::path::{Path, PathBuf};

/// A fuzz target's body.
type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("import", common::import_all),
    ("decode", common::decode_frame),
    ("recording", common::recording),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(dir: &str, target: &str, run: Target) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let paths = files(&root.join(dir).join(target));
    for path in &paths {
        let bytes = std::fs::read(path).expect("read corpus file");
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(
            outcome.is_ok(),
            "fuzz target {target} fails on {}",
            path.display()
        );
    }
    paths.len()
}

#[test]
fn every_seed_corpus_replays() {
    for (target, run) in TARGETS {
        let n = replay("corpus", target, run);
        assert!(n >= 5, "fuzz/corpus/{target} has only {n} seeds");
    }
}

#[test]
fn every_crash_artifact_replays() {
    for (target, run) in TARGETS {
        replay("artifacts", target, run);
    }
}

#[test]
fn every_seed_goes_through_every_target() {
    // Cheap extra coverage: each target's seeds through the other targets too.
    for (seeds, _) in TARGETS {
        for (target, run) in TARGETS {
            if target != seeds {
                let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
                for path in files(&root.join(seeds)) {
                    let bytes = std::fs::read(&path).unwrap();
                    run(&bytes);
                }
            }
        }
    }
}

//! The frames the importers at scale (Claude Code, OTLP) make from every genuine corpus file,
//! pinned byte for byte: each file's frames (text, line, direction), markers and problems are
//! hashed, and the list of hashes is a snapshot. Work on the importers' speed must leave every
//! hash as it is; a change of behaviour shows here as the files whose frames changed.

use orchscope::core::import::{import_source, Format, Imported};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

/// Every `.jsonl` file under `dir` (sorted, so the snapshot's order is stable).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("corpus dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A session's main file: a transcript named by its session id, or a stream-json capture (not
/// a sub-agent's file, which is read along with its session's).
fn is_session(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let in_subagents = path.components().any(|c| c.as_os_str() == "subagents");
    !in_subagents && (stem.len() == 36 || stem == "stream")
}

/// The hash of everything an import gave, and its frame count.
fn digest(got: &Imported) -> (usize, String) {
    let mut h = Sha256::new();
    for f in &got.frames {
        h.update(format!("{} {:?} ", f.line, f.dir));
        h.update(&f.text);
        h.update("\n");
    }
    for m in &got.marks {
        h.update(format!("mark {} {}\n", m.before, m.text));
    }
    for p in &got.problems {
        h.update(format!("problem {} {}\n", p.line, p.message));
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (got.frames.len(), hex)
}

fn pins(format: Format, dirs: &[&str], keep: fn(&Path) -> bool) -> String {
    let mut lines = Vec::new();
    for dir in dirs {
        for path in files(&Path::new(CORPUS).join(dir)) {
            if !keep(&path) {
                continue;
            }
            let got =
                import_source(format, Some(&path), || std::fs::read(&path), None).expect("import");
            let (n, hex) = digest(&got);
            let name = path.strip_prefix(CORPUS).expect("under the corpus");
            lines.push(format!("{} {n} frames {hex}", name.display()));
        }
    }
    assert!(!lines.is_empty(), "no corpus files found");
    lines.join("\n")
}

#[test]
fn claude_code_frames_are_pinned() {
    let got = pins(Format::ClaudeCode, &["claude-code"], is_session);
    insta::assert_snapshot!("claude_code_pins", got);
}

#[test]
fn otlp_frames_are_pinned() {
    let dirs = ["otlp-genai", "otlp-openinference", "otlp-openllmetry"];
    let got = pins(Format::Otlp, &dirs, |_| true);
    insta::assert_snapshot!("otlp_pins", got);
}

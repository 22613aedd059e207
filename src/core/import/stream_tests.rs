//! A genuine file followed line by line gives the frames, markers and problems it gives
//! imported whole, for every corpus file of the formats read line by line.

use std::path::{Path, PathBuf};

use super::{import, Format, Imported, LineImporter};

/// `text` pushed a line at a time (the last without its line break, as a file being written
/// may end), then closed; what each step gave, joined.
pub(crate) fn streamed(format: Format, text: &str) -> Imported {
    let mut li = LineImporter::new(format).expect("a foreign format");
    let mut all = Imported::default();
    for line in text.split('\n') {
        join(&mut all, li.push(line.strip_suffix('\r').unwrap_or(line)));
    }
    join(&mut all, li.close());
    all
}

fn join(all: &mut Imported, mut part: Imported) {
    let base = all.frames.len();
    all.marks.extend(part.marks.drain(..).map(|mut m| {
        m.before += base;
        m
    }));
    all.frames.append(&mut part.frames);
    all.problems.append(&mut part.problems);
}

/// The corpus files of a format: a producer's own output, not its sub-agents' files (read with
/// their session) and not the generators' notes.
fn corpus(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut stack = vec![root.join(folder)];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() && name != "subagents" {
                stack.push(p);
            } else if name.ends_with(".jsonl") && !name.starts_with("agent-") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn same(format: Format, folder: &str, at_least: usize) {
    let files = corpus(folder);
    assert!(files.len() >= at_least, "{folder}: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a corpus file");
        let whole = import(format, &text);
        let live = streamed(format, &text);
        let shown = file.display();
        assert!(!whole.frames.is_empty(), "{shown}");
        if text.contains("\"isSidechain\":true") {
            // CLI 1.0 side chains in the session's file: live, lines are taken in the file's
            // order; whole, the chains' lines are merged by timestamp. The same frames.
            let sorted = |i: &Imported| {
                let mut t: Vec<String> = i.frames.iter().map(|f| f.text.clone()).collect();
                t.sort();
                t
            };
            assert_eq!(sorted(&live), sorted(&whole), "{shown}");
        } else {
            assert!(live.frames == whole.frames, "{shown}: frames differ");
        }
        assert_eq!(live.marks, whole.marks, "{shown}");
        let mut a = live.problems.clone();
        let mut b = whole.problems.clone();
        a.sort_by(|x, y| (x.line, &x.message).cmp(&(y.line, &y.message)));
        b.sort_by(|x, y| (x.line, &x.message).cmp(&(y.line, &y.message)));
        assert_eq!(a, b, "{shown}");
    }
}

#[test]
fn claude_code_transcripts_and_stream_json_follow_as_they_import() {
    same(Format::ClaudeCode, "claude-code", 11);
}

#[test]
fn codex_exec_output_and_rollouts_follow_as_they_import() {
    same(Format::Codex, "codex", 16);
}

#[test]
fn langgraph_event_streams_follow_as_they_import() {
    same(Format::Langgraph, "langgraph", 11);
}

#[test]
fn openai_agents_exports_are_read_whole_when_the_input_closes() {
    same(Format::OpenaiAgents, "openai-agents-batches", 2);
}

#[test]
fn a_cut_off_last_line_and_a_bad_line_are_reported_as_in_a_whole_file() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/codex/single/exec.jsonl"),
    )
    .expect("a corpus file");
    let lines: Vec<&str> = text.lines().collect();
    // A line broken in the middle, and the file ending in the middle of its last line.
    let last = lines[lines.len() - 1];
    let broken = format!(
        "{}\n{}\n\n{}\n{}",
        lines[0],
        &lines[1][..lines[1].len() / 2],
        lines[2..lines.len() - 1].join("\n"),
        &last[..last.len() / 2]
    );
    let whole = import(Format::Codex, &broken);
    let live = streamed(Format::Codex, &broken);
    assert_eq!(live, whole);
    assert!(whole
        .problems
        .iter()
        .any(|p| p.message.contains("not valid JSON")));
    assert!(whole.problems.iter().any(|p| p.message.contains("cut off")));
}

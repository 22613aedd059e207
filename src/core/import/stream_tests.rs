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

/// Where the frame of `kind` for the call `id` is among `frames`.
fn at(frames: &[super::ImportedFrame], kind: &str, id: &str) -> Option<usize> {
    frames.iter().position(|f| {
        let v: serde_json::Value = serde_json::from_str(&f.text).unwrap_or_default();
        v["type"] == kind && v["payload"]["tool_call_id"] == id
    })
}

#[test]
fn sub_agent_files_linked_before_their_lines_are_read_in_the_order_they_were_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus/claude-code/disk-subagents/projects/-home-dev-project");
    let session = "11111111-1111-4111-8111-111111111111";
    let names = ["agent-a9db5057a6298fa81", "agent-ac2e468d53dbeae0d"];
    let read = |p: PathBuf| -> Vec<String> {
        let text = std::fs::read_to_string(p).expect("corpus file");
        text.lines().map(str::to_string).collect()
    };
    let mut files = vec![read(root.join(format!("{session}.jsonl")))];
    let mut li = LineImporter::new(Format::ClaudeCode).expect("importer");
    for name in names {
        let dir = root.join(session).join("subagents");
        files.push(read(dir.join(format!("{name}.jsonl"))));
        let meta = std::fs::read_to_string(dir.join(format!("{name}.meta.json"))).expect("meta");
        let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta json");
        let tool = meta["toolUseId"].as_str().expect("toolUseId");
        // Linked before any of its lines is read, as a follower finding the meta file first.
        let file = format!("{name}.jsonl");
        join(&mut Imported::default(), li.link_file(&file, tool));
    }
    let mut all = Imported::default();
    for (k, line) in super::Interleaving::default().order(files) {
        let part = match k.checked_sub(1) {
            None => li.push(&line),
            Some(k) => li.push_file(&format!("{}.jsonl", names[k]), &line),
        };
        join(&mut all, part);
    }
    join(&mut all, li.close());
    assert!(all.problems.is_empty(), "{:?}", all.problems);
    // The first sub-agent's call failed after the second's had started (its own Bash call).
    let failed = at(
        &all.frames,
        "tool_completed",
        "toolu_01a208cade69c3f92a8cdca1",
    );
    let other = at(
        &all.frames,
        "tool_executing",
        "toolu_015c47a13afbb64bbc48fe7c",
    );
    assert!(
        other.is_some() && failed > other,
        "{other:?} then {failed:?}"
    );
    let calls = (all.frames.iter()).filter(|f| f.text.contains(r#""type":"tool_executing""#));
    assert_eq!(calls.count(), 5, "each sub-agent's own call is read");
}

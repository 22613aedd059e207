//! Other frameworks' files followed as they grow, and piped in, with the real binary: a genuine
//! corpus file's lines are written to a growing file in steps while `validate --follow` runs,
//! and the session it judges (agents, parents, tool calls and their statuses, verdicts) is the
//! one `validate` finds in the whole file. A Claude Code session's sub-agent transcripts appear
//! mid-way, as the CLI writes it.

use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

fn orchscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
}

/// `validate --format json` of `args`, parsed.
fn validate(args: &[&str], stdin: Option<&Path>) -> Value {
    let mut cmd = orchscope();
    cmd.arg("validate").args(args).args(["--format", "json"]);
    if let Some(p) = stdin {
        cmd.stdin(std::fs::File::open(p).expect("open"));
    }
    let out = cmd.output().expect("run");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// What must not differ between a session followed and read whole: its counts (agents, tool
/// calls, turns, runs) and each rule's verdict. Live frames are timed when they are read, so
/// the rules that judge time (latency, concurrency) are left out.
pub(crate) fn judged(v: &Value) -> (Value, Vec<(String, String)>) {
    let rules = v["rules"].as_array().expect("rules");
    let verdicts = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .filter(|(id, _)| id != "latency" && id != "concurrency")
        .collect();
    (v["counts"].clone(), verdicts)
}

/// The lines of `files` (a session's own file first), each with its file, in the order they
/// were written: each file's own order, the files merged by timestamp (a line without one
/// goes with the line before it).
fn written(files: &[PathBuf]) -> Vec<(usize, String)> {
    let mut lanes: Vec<std::collections::VecDeque<(String, String)>> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("corpus file");
        let mut last = String::new();
        let mut lane = std::collections::VecDeque::new();
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            if let Some(ts) = v["timestamp"].as_str() {
                last = ts.to_string();
            }
            lane.push_back((last.clone(), line.to_string()));
        }
        lanes.push(lane);
    }
    let mut out = Vec::new();
    while let Some(k) = (0..lanes.len())
        .filter(|&k| !lanes[k].is_empty())
        .min_by(|&a, &b| lanes[a][0].0.cmp(&lanes[b][0].0).then(a.cmp(&b)))
    {
        if let Some((_, line)) = lanes[k].pop_front() {
            out.push((k, line));
        }
    }
    out
}

/// Writes `lines` into `targets` in steps while `validate --follow` reads the first target;
/// `before` runs before a target is first written (a meta file put beside it).
fn followed(targets: &[PathBuf], lines: &[(usize, String)], before: impl Fn(usize)) -> Value {
    let main = &targets[0];
    let (first, rest) = lines.split_first().expect("lines");
    std::fs::create_dir_all(main.parent().expect("dir")).expect("mkdir");
    std::fs::write(main, format!("{}\n", first.1)).expect("write");
    let child = orchscope()
        .args(["validate", "--follow"])
        .arg(main)
        .args(["--until-idle", "3", "--timeout", "90", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let step = rest.len().div_ceil(4).max(1);
    let mut seen = vec![false; targets.len()];
    seen[0] = true;
    for chunk in rest.chunks(step) {
        std::thread::sleep(Duration::from_millis(400));
        for (k, line) in chunk {
            if !seen[*k] {
                seen[*k] = true;
                std::fs::create_dir_all(targets[*k].parent().expect("dir")).expect("mkdir");
                before(*k);
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&targets[*k])
                .expect("open");
            writeln!(f, "{line}").expect("append");
        }
    }
    let out = child.wait_with_output().expect("wait");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn one_file(corpus: &str) {
    let src = PathBuf::from(CORPUS).join(corpus);
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("growing.jsonl");
    let lines = written(std::slice::from_ref(&src));
    let live = followed(&[target], &lines, |_| {});
    let whole = validate(&[src.to_str().expect("path")], None);
    assert_eq!(judged(&live), judged(&whole), "{corpus}");
    assert_eq!(live["format"], whole["format"], "{corpus}");
}

#[test]
fn a_codex_exec_stream_followed_is_judged_as_read_whole() {
    one_file("codex/tool-error/exec.jsonl");
}

#[test]
fn a_codex_rollout_followed_is_judged_as_read_whole() {
    one_file("codex/single/sessions/2026/11/27/rollout-2026-11-27T13-54-16-01a21d49-0c33-7131-b172-29e6a8745001.jsonl");
}

#[test]
fn claude_stream_json_followed_is_judged_as_read_whole() {
    one_file("claude-code/stream-json-replay/stream.jsonl");
}

#[test]
fn a_langgraph_event_stream_followed_is_judged_as_read_whole() {
    one_file("langgraph/supervisor/events.jsonl");
}

#[test]
fn a_claude_transcript_whose_sub_agent_files_appear_midway_builds_the_tree_live() {
    let project =
        PathBuf::from(CORPUS).join("claude-code/disk-subagents/projects/-home-dev-project");
    let session = "11111111-1111-4111-8111-111111111111";
    let agents = ["agent-a9db5057a6298fa81", "agent-ac2e468d53dbeae0d"];
    let dir = tempfile::tempdir().expect("tempdir");
    let to = dir.path().join("-home-dev-project");
    let in_dir = |root: &Path, name: &str| root.join(session).join("subagents").join(name);
    // The session's own file first, then each sub-agent's, as the corpus has them all.
    let mut src = vec![project.join(format!("{session}.jsonl"))];
    let mut targets = vec![to.join(format!("{session}.jsonl"))];
    for a in agents {
        src.push(in_dir(&project, &format!("{a}.jsonl")));
        targets.push(in_dir(&to, &format!("{a}.jsonl")));
    }
    let lines = written(&src);
    // The sub-agents' files are not there when following starts.
    assert!(lines[0].0 == 0 && (1..src.len()).all(|k| lines.iter().any(|l| l.0 == k)));
    let live = followed(&targets, &lines, |k| {
        if k > 0 {
            let meta = format!("{}.meta.json", agents[k - 1]);
            let from = in_dir(&project, &meta);
            std::fs::copy(from, in_dir(&to, &meta)).expect("meta");
        }
    });
    let whole = validate(&[src[0].to_str().expect("path")], None);
    assert_eq!(judged(&live), judged(&whole));
    assert_eq!(
        live["counts"]["agents"], 3,
        "main and the two sub-agents, each read from its own file"
    );
    assert_eq!(
        live["counts"]["tool_calls"], 5,
        "each sub-agent's own call too"
    );
}

#[test]
fn a_pipe_of_langgraph_events_is_judged_as_the_file_read_whole() {
    let src = PathBuf::from(CORPUS).join("langgraph/swarm/events.jsonl");
    let live = validate(
        &["--follow", "-", "--until-idle", "3", "--timeout", "90"],
        Some(&src),
    );
    let whole = validate(&[src.to_str().expect("path")], None);
    assert_eq!(judged(&live), judged(&whole));
}

#[test]
fn a_followed_file_not_of_the_named_format_is_one_line_and_exit_2() {
    let src = PathBuf::from(CORPUS).join("codex/single/exec.jsonl");
    let out = orchscope()
        .args(["validate", "--follow"])
        .arg(&src)
        .args(["--format-in", "langgraph", "--timeout", "30"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap_or("");
    assert!(last.contains("not langgraph input"), "{err}");
}

/// A Codex multi-agent session's rollouts (`folder` under the corpus, the root's first by
/// name) written in steps, each child's appearing with its first line.
fn codex_children_followed(folder: &str) {
    let dir = PathBuf::from(CORPUS).join(folder);
    let mut src: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    src.sort();
    // The root is the rollout whose session is its own thread.
    let root = src
        .iter()
        .position(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let first: Value =
                serde_json::from_str(text.lines().next().unwrap_or("")).unwrap_or_default();
            first["payload"]["id"] == first["payload"]["session_id"]
        })
        .expect("a root rollout");
    src.swap(0, root);
    let to = tempfile::tempdir().expect("tempdir");
    let day = to.path().join("2026/11/27");
    let targets: Vec<PathBuf> = (src.iter())
        .map(|p| day.join(p.file_name().expect("name")))
        .collect();
    let lines = written(&src);
    assert!((1..src.len()).all(|k| lines.iter().any(|l| l.0 == k)));
    // Another session's rollout of the same day, already there: left unread.
    let other = PathBuf::from(CORPUS).join("codex/single/sessions/2026/11/27");
    for e in std::fs::read_dir(&other).expect("corpus folder").flatten() {
        std::fs::create_dir_all(&day).expect("mkdir");
        std::fs::copy(e.path(), day.join(e.file_name())).expect("copy");
    }
    let live = followed(&targets, &lines, |_| {});
    let whole = validate(&[src[0].to_str().expect("path")], None);
    assert_eq!(judged(&live), judged(&whole), "{folder}");
    assert!(live["counts"]["agents"].as_u64() > Some(1), "{live:#}");
}

#[test]
fn codex_child_rollouts_appearing_midway_are_followed_with_their_root() {
    codex_children_followed("codex/multi-agent/sessions/2026/11/27");
    codex_children_followed("codex/multi-agent-v2/sessions/2026/11/27");
}

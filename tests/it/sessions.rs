//! `orchscope sessions` and session id prefixes, on the real binary with HOME and CODEX_HOME
//! pointed at a temporary home holding copies of corpus sessions laid out as their producers
//! lay them out: the listing's order, what is not a session (sub-agent transcripts, Codex
//! child threads), the JSON keys, the limit, a broken file, escaping, and prefix resolution
//! through `summary`.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CORPUS: &str = "tests/fixtures/corpus";
const PROJECT: &str = ".claude/projects/-home-dev-project";

const AGENT_ERROR: &str = "99999999-9999-4999-8999-999999999999";
const OLD_CLI: &str = "77777777-7777-4777-8777-777777777777";
const PROMPTS: &str = "33333333-3333-4333-8333-333333333333";
const BROKEN: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const CODEX_V2: &str = "01a21d49-2851-7f10-a6c3-2a00f6ad867a";
const CODEX_SINGLE: &str = "01a21d49-0c33-7131-b172-29e6a8745001";
const CODEX_ERROR: &str = "01a21d49-1ce3-7581-bbb7-fa67f251fa4c";
const CHILDREN: [&str; 2] = [
    "01a21d49-2913-7342-b84e-c1599456a0cf",
    "01a21d49-2967-7512-9a5b-4b95e1b381f7",
];

/// The listing's order, newest first (mtimes set in `home`).
const NEWEST_FIRST: [&str; 6] = [
    AGENT_ERROR,
    CODEX_V2,
    PROMPTS,
    OLD_CLI,
    CODEX_SINGLE,
    CODEX_ERROR,
];

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

fn set_mtime(path: &Path, age_s: u64) {
    let t = SystemTime::now() - Duration::from_secs(age_s);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(t))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn every_file(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        if e.path().is_dir() {
            every_file(&e.path(), out);
        } else {
            out.push(e.path());
        }
    }
}

/// A home with three Claude Code sessions (one with sub-agent files beside it, one with
/// them in its own directory, one whose first prompt holds escape sequences) and three Codex
/// sessions (one with two child threads); sub-agent files and child threads are the newest
/// files of all.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    let corpus = Path::new(ROOT).join(CORPUS);
    for case in ["disk-agent-error", "disk-old-cli"] {
        copy_dir(
            &corpus.join("claude-code").join(case).join("projects"),
            &h.join(".claude/projects"),
        );
    }
    let prompts = fs::read_to_string(
        corpus
            .join("claude-code/disk-multi-prompt/projects/-home-dev-project")
            .join(format!("{PROMPTS}.jsonl")),
    )
    .expect("fixture");
    let hostile = prompts.replace(
        "SCRIPT:turn-1 Print",
        "\\u001b]0;pwned\\u0007\\u001b[31m\\u009b2JSCRIPT:turn-1 Print",
    );
    fs::write(h.join(PROJECT).join(format!("{PROMPTS}.jsonl")), hostile).expect("write");
    for case in ["multi-agent-v2", "single", "tool-error"] {
        copy_dir(
            &corpus.join("codex").join(case).join("sessions"),
            &h.join("codex/sessions"),
        );
    }
    let mut files = Vec::new();
    every_file(h, &mut files);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let age = NEWEST_FIRST
            .iter()
            .position(|id| name.contains(id))
            .map_or(0, |i| 100 * (i as u64 + 1));
        set_mtime(f, age);
    }
    home
}

fn orchscope(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .current_dir(ROOT)
        .env("HOME", home)
        .env("CODEX_HOME", home.join("codex"))
        .env_remove("CLAUDE_CONFIG_DIR")
        .env_remove("ORCHSCOPE_CONFIG")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .expect("run orchscope")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The session ids of a text listing, in order.
fn listed_ids(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().nth(3).unwrap_or("").to_string())
        .collect()
}

fn json(home: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["sessions", "--format", "json"];
    args.extend_from_slice(extra);
    let out = orchscope(home, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    match serde_json::from_slice(&out.stdout) {
        Ok(Value::Array(items)) => items,
        other => panic!("not a JSON array: {other:?}\n{}", stdout(&out)),
    }
}

#[test]
fn sessions_are_listed_newest_first_without_sub_agents_or_child_threads() {
    let home = home();
    let out = orchscope(home.path(), &["sessions"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(listed_ids(&text), NEWEST_FIRST, "{text}");
    for child in CHILDREN {
        assert!(!text.contains(child), "a child thread is listed:\n{text}");
    }
    assert!(
        !text.contains("/agent-") && !text.contains("subagents/"),
        "a sub-agent file is listed:\n{text}"
    );
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    assert!(
        text.contains("2026-11-27 13:54  claude-code    99999999-"),
        "{text}"
    );
    assert!(
        text.contains("  ~/.claude/projects/-home-dev-project/99999999-"),
        "{text}"
    );
}

#[test]
fn json_has_stable_keys_and_the_limit_holds() {
    let home = home();
    let items = json(home.path(), &["--limit", "2"]);
    assert_eq!(items.len(), 2);
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = vec![
        "producer",
        "id",
        "started",
        "prompt",
        "turns",
        "agents",
        "tool_calls",
        "failures",
        "path",
        "error",
    ];
    let mut got = keys.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    let first = &items[0];
    assert_eq!(first["producer"], "claude-code");
    assert_eq!(first["id"], AGENT_ERROR);
    assert!(first["started"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-27T13:5"));
    assert_eq!(
        (first["turns"].clone(), first["agents"].clone()),
        (1.into(), 3.into())
    );
    assert_eq!(
        (first["tool_calls"].clone(), first["failures"].clone()),
        (3.into(), 2.into())
    );
    assert!(first["error"].is_null());
    assert_eq!(items[1]["producer"], "codex");
    assert_eq!(items[1]["id"], CODEX_V2);
    assert_eq!(
        items[1]["prompt"],
        "Use two sub-agents: one counts the lines of README.md, one reads NOTES.md."
    );
}

#[test]
fn a_broken_file_is_listed_with_its_error() {
    let home = home();
    let broken = home.path().join(PROJECT).join(format!("{BROKEN}.jsonl"));
    fs::write(&broken, "this is not JSON\n").expect("write");
    set_mtime(&broken, 0);
    let items = json(home.path(), &[]);
    assert_eq!(items.len(), NEWEST_FIRST.len() + 1);
    assert_eq!(items[0]["id"], BROKEN);
    assert!(items[0]["turns"].is_null());
    let error = items[0]["error"].as_str().expect("an error");
    assert!(error.contains("no importer recognises"), "{error}");
    let text = stdout(&orchscope(home.path(), &["sessions"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].contains(BROKEN) && lines[1].ends_with("  error"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("  error: no importer recognises"),
        "{text}"
    );
    assert_eq!(listed_ids(&text).len(), NEWEST_FIRST.len() + 1);
}

#[test]
fn a_prompt_is_escaped() {
    let home = home();
    let out = orchscope(home.path(), &["sessions"]);
    let text = stdout(&out);
    let raw = |c: char| c.is_control() && c != '\n';
    assert!(!text.chars().any(raw), "{text:?}");
    assert!(
        text.contains("  ␛]0;pwned␇␛[31m\\u{9b}2JSCRIPT:turn-1 Print the first marker."),
        "{text}"
    );
    // JSON: C0 and C1 written as escapes, the prompt read back as the file holds it.
    let json = stdout(&orchscope(home.path(), &["sessions", "--format", "json"]));
    assert!(
        !json.chars().any(raw) && json.contains("\\u009b2J"),
        "{json}"
    );
    let rows: Value = serde_json::from_str(&json).expect("JSON");
    let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[31m\u{9b}2JSCRIPT:turn-1 Print the first marker.";
    assert!(rows
        .as_array()
        .expect("array")
        .iter()
        .any(|r| r["prompt"] == hostile));
}

#[test]
fn no_sessions_is_one_line_saying_where_it_looked() {
    let empty = tempfile::tempdir().expect("tempdir");
    let out = orchscope(empty.path(), &["sessions"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("no sessions found (looked in "), "{text}");
    assert!(
        text.contains(".claude/projects") && text.contains("codex/sessions"),
        "{text}"
    );
}

#[test]
fn other_directories_hold_sessions_of_any_format() {
    let home = home();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::copy(
        Path::new(ROOT).join("recordings/all.jsonl"),
        d.join("all.jsonl"),
    )
    .expect("copy");
    fs::copy(
        Path::new(ROOT).join(CORPUS).join("codex/single/exec.jsonl"),
        d.join("exec.jsonl"),
    )
    .expect("copy");
    fs::write(
        d.join("notes.jsonl"),
        "{\"level\":\"info\",\"msg\":\"hi\"}\n",
    )
    .expect("write");
    set_mtime(&d.join("notes.jsonl"), 0);
    set_mtime(&d.join("all.jsonl"), 10);
    set_mtime(&d.join("exec.jsonl"), 20);
    let items = json(home.path(), &["--dir", d.to_str().unwrap(), "--limit", "3"]);
    let producers: Vec<&str> = items
        .iter()
        .map(|i| i["producer"].as_str().unwrap())
        .collect();
    assert_eq!(
        producers,
        ["orchscope", "codex", "claude-code"],
        "{items:?}"
    );
    assert_eq!(items[1]["id"], CODEX_SINGLE);
    assert!(items.iter().all(|i| i["error"].is_null()), "{items:?}");
}

#[test]
fn an_id_prefix_names_a_session_where_a_file_is_expected() {
    let home = home();
    let h = home.path();
    let out = orchscope(h, &["summary", "9999"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("format claude-code"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(AGENT_ERROR) && err.contains(&format!("{AGENT_ERROR}.jsonl")),
        "{err}"
    );

    let out = orchscope(h, &["summary", "01A21D49-0C33"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("format codex"));

    let out = orchscope(h, &["summary", "01a21d49"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("3 sessions have an id starting with it"),
        "{err}"
    );

    // A child thread is part of its session, not a session of its own.
    for prefix in ["01a21d49-2913", "abcdef"] {
        let out = orchscope(h, &["summary", prefix]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("no such file, and no session id starts with it"),
            "{err}"
        );
    }
    // Not shaped like an id: the usual error.
    let out = orchscope(h, &["summary", "missing.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "orchscope: missing.jsonl: no such file"
    );
}

//! A Claude Code transcript followed as it grows, in the real binary under tmux: the session's
//! file is written in steps (a genuine corpus session), its sub-agents' files appearing beside
//! it as the CLI writes them; the Agents pane shows the main agent first, then each sub-agent
//! under it as its call is read, and both finished once their files are in. LangGraph events
//! held until their invocation ends are told as pending under the tree until it does.
//! Skipped, with a notice, only when tmux is not installed.

use crate::tui_tmux::{have_tmux, Pane};
use std::io::Write as _;
use std::path::{Path, PathBuf};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const PROJECT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/corpus/claude-code/disk-subagents/projects/-home-dev-project"
);
const SESSION: &str = "11111111-1111-4111-8111-111111111111";
const AGENTS: [&str; 2] = ["agent-a9db5057a6298fa81", "agent-ac2e468d53dbeae0d"];

fn append(to: &Path, lines: &[&str]) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(to)
        .expect("open");
    for l in lines {
        writeln!(f, "{l}").expect("append");
    }
}

/// A sub-agent's transcript and its meta file, put beside the session's whole.
fn sub_agent(to: &Path, name: &str) {
    let from = PathBuf::from(PROJECT).join(SESSION).join("subagents");
    for file in [format!("{name}.meta.json"), format!("{name}.jsonl")] {
        std::fs::copy(from.join(&file), to.join(&file)).expect("copy");
    }
}

/// The Agents pane's rows: the left column of the screen, from its title to its bottom.
fn agents(screen: &str) -> Vec<String> {
    (screen.lines())
        .skip_while(|l| !l.contains("Agents"))
        .skip(1)
        .take_while(|l| l.starts_with('│'))
        .map(|l| l.chars().take(30).collect())
        .collect()
}

#[test]
fn a_followed_transcript_grows_its_agent_tree_as_sub_agents_appear() {
    if !have_tmux() {
        return;
    }
    let text = std::fs::read_to_string(PathBuf::from(PROJECT).join(format!("{SESSION}.jsonl")))
        .expect("corpus");
    let lines: Vec<&str> = text.lines().collect();
    // The session's own lines before its first Agent call, through its last, and the rest.
    let spawn = |l: &&str| l.contains(r#""name":"Agent""#);
    let first = lines.iter().position(spawn).expect("an Agent call");
    let last = lines.iter().rposition(spawn).expect("an Agent call");
    let dir = tempfile::tempdir().expect("tempdir");
    let main = dir.path().join(format!("{SESSION}.jsonl"));
    let subs = dir.path().join(SESSION).join("subagents");
    append(&main, &lines[..first]);
    let cmd = format!(
        "{BIN} connect --no-color --no-record --follow {}",
        main.display()
    );
    let p = Pane::start("followtree", &cmd);
    let s = p.wait("the main agent running", |s| {
        agents(s)
            .iter()
            .any(|r| r.contains("main") && r.contains("⟳"))
    });
    assert!(!s.contains("general"), "no sub-agent yet:\n{s}");
    // The sub-agents' calls, the first sub-agent's file with them.
    std::fs::create_dir_all(&subs).expect("mkdir");
    sub_agent(&subs, AGENTS[0]);
    append(&main, &lines[first..=last]);
    p.wait("both sub-agents under main", |s| {
        let rows = agents(s);
        let main_row = rows.iter().position(|r| r.contains("main"));
        let under = rows.iter().position(|r| r.contains("├─general"));
        let last_row = rows.iter().position(|r| r.contains("└─general"));
        main_row < under && under < last_row
    });
    // The rest: the second sub-agent's file and the results.
    sub_agent(&subs, AGENTS[1]);
    append(&main, &lines[last + 1..]);
    let s = p.wait("both sub-agents finished", |s| {
        let rows = agents(s);
        (rows.iter())
            .filter(|r| r.contains("─general") && r.contains('✓'))
            .count()
            == 2
    });
    assert!(s.contains("5 tool") || s.contains("Tools · 5"), "{s}");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

#[test]
fn langgraph_events_held_until_their_invocation_ends_are_shown_as_pending() {
    if !have_tmux() {
        return;
    }
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/corpus/langgraph/supervisor/events.jsonl"
    );
    let text = std::fs::read_to_string(src).expect("corpus");
    let lines: Vec<&str> = text.lines().collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("events.jsonl");
    // The invocation's first events: none ends it, so all are held.
    let (head, rest) = lines.split_at(8);
    append(&file, head);
    let cmd = format!(
        "{BIN} connect --no-color --no-record --follow {}",
        file.display()
    );
    let p = Pane::start("followheld", &cmd);
    let s = p.wait_for("⧗ 8 events pending");
    assert!(agents(&s).iter().all(|r| !r.contains("supervisor")), "{s}");
    append(&file, rest);
    let s = p.wait("the invocation read", |s| {
        !s.contains("events pending") && agents(s).iter().any(|r| r.contains("supervisor"))
    });
    assert!(!s.contains('⧗'), "{s}");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

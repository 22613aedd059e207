//! The real binary under tmux at 80×24: several runs told apart (run lines, the run column,
//! `r` narrowing every list and the header saying to which run, the waterfall's time axis),
//! and tables that use the space (column headers, the status column whole, the filter
//! narrowing as it is typed, `g`/`G` in a list, `:help` scrolled to its end). Skipped, with a
//! notice, only when tmux is not installed.

use crate::tui_tmux::{have_tmux, Pane};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn replay(tag: &str, file: &str) -> Pane {
    // The pane's own tmux (inside it, `tmux` talks to its server) makes it 80×24 first.
    let cmd =
        format!("tmux resize-window -x 80 -y 24; {BIN} replay --speed 64 --no-color {DIR}/{file}");
    Pane::start(tag, &cmd)
}

#[test]
fn several_runs_are_told_apart_and_r_narrows_to_one() {
    if !have_tmux() {
        return;
    }
    let p = replay("runs", "runs/concurrent.jsonl");
    p.wait("the runs, each under its line", |s| {
        s.contains("▾ R1 Forecas") && s.contains("47 ev")
    });
    p.wait("the run column of the timeline", |s| {
        s.contains("│00:0") && s.contains(" R3 ")
    });
    p.keys(&["r"]);
    p.wait("the header naming the run", |s| s.contains("R1 only/3"));
    p.keys(&["r"]);
    let s = p.wait("the second run only", |s| {
        s.contains("R2 only/3") && s.contains("showing run R2 only: Find idle")
    });
    assert!(!s.contains("▾ R1") && !s.contains("▾ R3"), "{s}");
    p.keys(&["2"]);
    let s = p.wait("the waterfall's axis", |s| {
        s.contains("time →") && s.contains("0s")
    });
    assert!(s.contains("▾ R2") && !s.contains("▾ R1"), "{s}");
    p.keys(&["r"]);
    p.wait("the third run", |s| s.contains("R3 only/3"));
    p.keys(&["r"]);
    p.wait("every run", |s| s.contains("showing all 3 runs"));
    let s = p.wait("the three runs on one axis", |s| {
        s.contains("▾ R1") && s.contains("▾ R2") && s.contains("run 1/3")
    });
    assert!(s.contains("⚙ query_cost_metrics"), "{s}");
    p.keys(&["q"]);
    p.wait("the TUI to exit", |s| s.contains("__DONE__ 0"));
}

#[test]
fn tables_have_headers_keep_their_status_and_filter_as_typed() {
    if !have_tmux() {
        return;
    }
    let p = replay("tables", "netra/era-a-session.jsonl");
    p.wait("the whole recording", |s| s.contains("29 ev"));
    p.keys(&["3"]);
    let s = p.wait("the tools table", |s| s.contains("latency status"));
    assert!(s.contains("✗ error") && s.contains("✔ ok"), "{s}");
    p.keys(&["/"]);
    p.keys(&["-l", "status:error"]);
    p.wait("the list narrowed before Enter", |s| {
        s.contains("Tools · 1 · /status:error") && s.contains("Filter")
    });
    p.keys(&["Escape"]);
    p.wait_for("Tools · 3");
    p.keys(&["6"]);
    p.wait("the frames table", |s| {
        s.contains("type") && s.contains("size")
    });
    p.keys(&["g"]);
    let s = p.wait("the first frame selected", |s| s.contains("Detail · frame"));
    assert!(s.contains("29 ev"), "the replay stayed at its end: {s}");
    p.keys(&[":"]);
    p.keys(&["-l", "help"]);
    p.keys(&["Enter"]);
    p.wait_for("↑↓ scroll");
    p.keys(&["G"]);
    p.wait("the help's last line", |s| s.contains(":help · :quit"));
    p.keys(&["x"]);
    p.keys(&["q"]);
    p.wait("the TUI to exit", |s| s.contains("__DONE__ 0"));
}

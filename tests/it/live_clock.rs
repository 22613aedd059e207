//! Time judged live, through the real binary under tmux: a server on 127.0.0.1 starts a run
//! and a tool call, then says nothing more (the socket stays open and answers pings). With
//! no new frame, the agent turns `idle`, the open call shows its age, and once the clock
//! passes `latency.max_gap_s` (set to 2 s here) the header counts the failure and the Rules
//! tab names the silent run.

use crate::tui_tmux::{have_tmux, Pane};
use std::net::TcpListener;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

const FRAMES: [&str; 3] = [
    r#"{"type":"agent_started","payload":{"run_id":"run-1","thread_id":"t-1","agent_name":"supervisor"}}"#,
    r#"{"type":"agent_thinking","payload":{"run_id":"run-1","thread_id":"t-1","agent_name":"supervisor","thought":"Looking it up"}}"#,
    r#"{"type":"tool_executing","payload":{"run_id":"run-1","thread_id":"t-1","agent_name":"supervisor","tool_name":"lookup","tool_call_id":"call-1"}}"#,
];

/// A server that sends [`FRAMES`] to each connection and then only answers pings.
fn hanging_server() -> String {
    use tokio_tungstenite::tungstenite::{accept, Message};
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let Ok(mut ws) = accept(s) else { return };
                for f in FRAMES {
                    if ws.send(Message::text(f)).is_err() {
                        return;
                    }
                }
                // Reading answers the client's pings; nothing else is ever sent.
                while ws.read().is_ok() {}
            });
        }
    });
    format!("ws://127.0.0.1:{port}/ws")
}

#[test]
fn a_hung_run_is_found_when_the_clock_passes_the_limit() {
    if !have_tmux() {
        return;
    }
    let url = hanging_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[validators.latency]\nmax_gap_s = 2\n").expect("config");
    let cmd = format!(
        "{BIN} --config {} connect --no-color --no-record '{url}'",
        config.display()
    );
    let p = Pane::start("liveclock", &cmd);
    let s = p.wait("the agent idle and the run found silent", |s| {
        s.contains("idle ") && s.contains("✗1")
    });
    assert!(s.contains("⟳"), "the agent still runs:\n{s}");
    p.keys(&["3"]);
    let tools = p.wait_for("s… … open");
    assert!(tools.contains("lookup"), "{tools}");
    p.keys(&["5"]);
    p.wait_for("pending");
    p.keys(&["j", "j", "j", "j", "j", "j"]);
    p.wait_for("run run-1 silent for over 2.0 s");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

//! The connection tells you why, through the real binary under tmux against real sockets on
//! 127.0.0.1: a server that closes with 1008 and a reason, a port nobody listens on, an HTTP
//! 401 answer to the upgrade, a `wss://` handshake answered in plain HTTP. The header and the link line under it say why; `connect` that
//! gave up exits 2 naming the reason; a session that never had a frame leaves no recording;
//! one that had frames keeps it, and the header says `REC`; a link that drops and comes back
//! is a row of the Frames tab and of the timeline each time.

use crate::e2e_support as e2e;
use crate::tui_tmux::{have_tmux, Pane};
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

fn connect(tag: &str, url: &str, rec: &Path, extra: &str) -> Pane {
    let cmd = format!(
        "env -u ORCHSCOPE_TOKEN {BIN} connect --no-color --record {} {extra} '{url}'",
        rec.display()
    );
    Pane::start(tag, &cmd)
}

/// A port that was just free: bound, then let go.
fn unused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// A server that answers every upgrade with HTTP 401.
fn refusing_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(
                b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    format!("ws://127.0.0.1:{port}/ws")
}

#[test]
fn a_1008_close_is_shown_with_its_reason_and_connect_exits_2() {
    if !have_tmux() {
        return;
    }
    let url = e2e::server(orchscope::demo::Scenario::Simple, &[], Some("the-Token-7"));
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("never.jsonl");
    let p = connect("why1008", &url, &rec, "--send hi");
    let s = p.wait("the reason on screen", |s| {
        s.contains("✗ gave up: closed by the server (1008: a valid token is required")
    });
    assert!(s.contains("✗ gave up"), "the header says so:\n{s}");
    p.keys(&["q"]);
    let after = p.assert_restored_with(2);
    assert!(
        after.contains("gave up: closed by the server (1008"),
        "{after}"
    );
    assert!(after.contains("no recording left"), "{after}");
    assert!(!rec.exists(), "a session without a frame leaves no file");
}

#[test]
fn a_port_nobody_listens_on_is_refused_and_retried() {
    if !have_tmux() {
        return;
    }
    let url = format!("ws://127.0.0.1:{}/ws", unused_port());
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("refused.jsonl");
    let p = connect("whyrefused", &url, &rec, "");
    let s = p.wait("the refusal and the next attempt", |s| {
        s.contains("RECONNECTING in") && s.contains("connection refused")
    });
    assert!(s.contains("attempt"), "{s}");
    // Retrying is not giving up: quitting is a clean exit, and no empty file is left.
    p.keys(&["q"]);
    p.assert_restored_with(0);
    assert!(
        !rec.exists(),
        "no file for a link that never carried a frame"
    );
}

#[test]
fn an_http_401_upgrade_refusal_is_named() {
    if !have_tmux() {
        return;
    }
    let url = refusing_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("http.jsonl");
    let p = connect("why401", &url, &rec, "--no-reconnect");
    p.wait("the status on screen", |s| {
        s.contains("✗ gave up: connect failed: server answered HTTP 401")
    });
    p.keys(&["q"]);
    let after = p.assert_restored_with(2);
    assert!(after.contains("HTTP 401"), "{after}");
    assert!(!rec.exists());
}

#[test]
fn a_tls_handshake_that_fails_is_named() {
    if !have_tmux() {
        return;
    }
    // A plain HTTP server where `wss://` expects TLS: its answer is not a TLS record.
    let url = refusing_server().replace("ws://", "wss://");
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("tls.jsonl");
    let p = connect("whytls", &url, &rec, "--no-reconnect");
    p.wait("the TLS failure on screen", |s| {
        s.contains("✗ gave up: connect failed: TLS handshake failed")
    });
    p.keys(&["q"]);
    let after = p.assert_restored_with(2);
    assert!(after.contains("TLS handshake failed"), "{after}");
    assert!(!rec.exists());
}

#[test]
fn a_session_with_frames_is_recorded_and_the_header_says_rec() {
    if !have_tmux() {
        return;
    }
    let url = e2e::server(orchscope::demo::Scenario::Simple, &[], None);
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("kept.jsonl");
    let p = connect("whyrec", &url, &rec, "--send hi");
    let s = p.wait("frames and the recording marker", |s| {
        s.contains("● connected") && s.contains("REC") && s.contains("kept.jsonl")
    });
    assert!(s.contains("frames in"), "{s}");
    p.keys(&["q"]);
    p.assert_restored_with(0);
    assert!(rec.exists(), "the recording is kept");
}

#[test]
fn a_dropped_link_is_a_row_of_the_frames_tab() {
    if !have_tmux() {
        return;
    }
    // Every connection is dropped right after the handshake: the link goes down and back.
    let server = crate::hostile_support::start(crate::hostile_support::Behaviour::DropEvery);
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("dropped.jsonl");
    let p = connect("whydrop", &server.url(), &rec, "");
    p.wait_for("LIVE");
    p.keys(&["6"]);
    let s = p.wait("the drop and the return as rows", |s| {
        s.contains("── ○ disconnected") && s.contains("── ● connected again after")
    });
    assert!(s.contains("── ↻ reconnecting"), "{s}");
    // The timeline has the same rows.
    p.keys(&["1"]);
    p.wait("the timeline's link rows", |s| {
        s.contains("Timeline") && s.contains("── ● connected again after")
    });
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

//! A source that gives up is an entry of the log and a line of the recording: live, the entry
//! moves the log's generation the moment it arrives (so the header and the verdicts refresh
//! without waiting for a frame), the recording ends in `{"link":"gave_up","reason":…}`, and
//! the file read back holds the same entry. Against real sockets on 127.0.0.1 and the real
//! binary.

use crate::hostile_support as hostile;
use crate::support::{bounded, config, listener};

use orchscope::core::link::LinkState;
use orchscope::core::load::load;
use orchscope::core::log::{Keep, Log, Logged, Other};
use orchscope::core::recording::{Existing, Header};
use orchscope::source::sink::Sink;
use orchscope::source::websocket::{run, SourceMsg};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::sync::mpsc;

/// The link states a log holds, with their reasons, in order.
fn links(log: &Log) -> Vec<(LinkState, Option<String>)> {
    log.entries()
        .filter_map(|e| match e {
            Logged::Other(Other::Link { state, reason, .. }) => Some((*state, reason.clone())),
            _ => None,
        })
        .collect()
}

/// The `link` lines of a recording, as (value, reason).
fn link_lines(path: &Path) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(path).expect("read recording");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let link = v.get("link")?.as_str()?.to_owned();
            Some((link, v["reason"].as_str().map(str::to_owned)))
        })
        .collect()
}

#[tokio::test]
async fn a_refused_source_gives_up_in_the_log_the_recording_and_the_file_read_back() {
    let (refusing, url) = listener().await;
    drop(refusing);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("refused.jsonl");
    let mut sink = Sink::recording_to(Keep::All, &path, &Header::default(), Existing::Refuse)
        .expect("recording");
    let mut cfg = config(&url);
    cfg.reconnect = false;
    cfg.recorder = sink.recorder();
    let (tx, mut rx) = mpsc::channel(64);
    let (_cmds, cmd_rx) = mpsc::channel(1);
    bounded("the source to give up", run(cfg, tx, cmd_rx)).await;

    let mut moved = None;
    while let Some(msg) = rx.recv().await {
        let gives_up = matches!(
            msg,
            SourceMsg::Link {
                state: LinkState::GaveUp,
                ..
            }
        );
        let before = sink.log.generation();
        sink.accept(msg);
        if gives_up {
            moved = Some(sink.log.generation() > before);
        }
    }
    assert_eq!(moved, Some(true), "the give-up moved the generation");
    let live = links(&sink.log);
    let [(LinkState::Disconnected, Some(why)), (LinkState::GaveUp, Some(because))] = &live[..]
    else {
        panic!("live links: {live:?}");
    };
    assert_eq!(why, because, "giving up says why: the refusal");
    // A connection attempt is no entry; the frames count did not move.
    assert_eq!(sink.log.frames(), 0);

    let lines = link_lines(&path);
    let values: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(values, ["disconnected", "gave_up"], "{lines:?}");
    assert_eq!(lines[1].1.as_deref(), Some(because.as_str()));

    let loaded = load(path.to_str().expect("utf-8 path"), None, Keep::All).expect("load");
    assert_eq!(
        links(&loaded.log),
        live,
        "the file holds what the live log held"
    );
    assert!(
        loaded.log.session().stream.is_empty(),
        "no line was unreadable: {:?}",
        loaded.log.session().stream
    );
}

#[test]
fn record_with_no_reconnect_ends_its_recording_with_the_give_up() {
    let server = hostile::start(hostile::Behaviour::DropEvery);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("dropped.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["record", &server.url(), "--no-reconnect", "-o"])
        .arg(&file)
        .env_remove("ORCHSCOPE_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = crate::e2e_support::wait_bounded(child, Duration::from_secs(30), "record");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Nothing was received: `record`'s one-line failure, after saying it gives up and why.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("giving up: "), "{stderr}");
    let lines = link_lines(&file);
    let values: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        values,
        ["connected", "disconnected", "gave_up"],
        "{lines:?}"
    );
    assert!(lines[2].1.as_deref().is_some_and(|r| !r.is_empty()));
}

#[test]
fn a_reader_skips_a_link_value_it_does_not_know_and_keeps_the_rest() {
    // What an older reader meets in a newer file: a `link` value of a later version. It is
    // reported as one unreadable line and skipped; every other line is read.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("newer.jsonl");
    let lines = [
        r#"{"orchscope_recording":1,"started_at":"2026-11-23T10:00:00.000Z"}"#,
        r#"{"t":0.000,"link":"connected"}"#,
        r#"{"t":0.100,"dir":"in","frame":{"type":"ping"}}"#,
        r#"{"t":0.200,"link":"disconnected","reason":"reset"}"#,
        r#"{"t":0.200,"link":"parked","reason":"a later version's state"}"#,
        r#"{"t":0.300,"link":"gave_up","reason":"reset"}"#,
    ];
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let loaded = load(path.to_str().expect("utf-8 path"), None, Keep::All).expect("load");
    assert_eq!(loaded.log.frames(), 1);
    let states: Vec<LinkState> = links(&loaded.log).into_iter().map(|(s, _)| s).collect();
    let want = [
        LinkState::Connected,
        LinkState::Disconnected,
        LinkState::GaveUp,
    ];
    assert_eq!(states, want);
    let stream = &loaded.log.session().stream;
    assert_eq!(stream.len(), 1, "{stream:?}");
    assert!(format!("{stream:?}").contains("parked"), "{stream:?}");
}

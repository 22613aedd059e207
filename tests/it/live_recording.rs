//! Live and replay are one truth: random source messages (frames both ways and repeated,
//! binary and non-UTF-8 frames, every link event, user marks, demo marks, round-trip times)
//! pushed through the live sink with recording on, then the recording loaded from disk, give
//! the same summary and the same validation report.

use crate::properties::{derived, first_difference, native_frame};
use orchscope::core::import::HeldSpans;
use orchscope::core::link::Dir;
use orchscope::core::link::{LinkState, Retry};
use orchscope::core::load::load;
use orchscope::core::log::Keep;
use orchscope::core::recording::{Existing, Header};
use orchscope::source::message::{Holding, Report};
use orchscope::source::sink::Sink;
use orchscope::source::websocket::SourceMsg;
use proptest::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone)]
enum Op {
    Msg(SourceMsg),
    /// The previous text frame again (a duplicate, unless something broke the sequence).
    Repeat,
    UserMark,
}

fn link(state: LinkState) -> SourceMsg {
    let size = (state == LinkState::Oversize).then_some(70_000_000);
    let reason = matches!(state, LinkState::Disconnected | LinkState::GaveUp)
        .then(|| "closed by peer".to_string());
    SourceMsg::Link {
        t: 0.0,
        state,
        reason,
        size,
    }
}

fn op() -> impl Strategy<Value = Op> {
    let frame = |dir| move |text| Op::Msg(SourceMsg::Frame { t: 0.0, dir, text });
    prop_oneof![
        20 => native_frame().prop_map(frame(Dir::In)),
        2 => native_frame().prop_map(frame(Dir::Out)),
        1 => Just(Op::Msg(SourceMsg::Frame {
            t: 0.0,
            dir: Dir::In,
            text: r#"{"type":"system_message","data":{"event":"demo_mark","text":"act 2"}}"#.into(),
        })),
        1 => Just(Op::Msg(SourceMsg::Frame { t: 0.0, dir: Dir::In, text: "not json".into() })),
        3 => Just(Op::Repeat),
        1 => Just(Op::UserMark),
        1 => Just(Op::Msg(SourceMsg::Binary { t: 0.0, dir: Dir::In, bytes: vec![0, 1, 0xff], invalid_utf8: None })),
        1 => Just(Op::Msg(SourceMsg::Binary { t: 0.0, dir: Dir::In, bytes: b"ab\xffc".to_vec(), invalid_utf8: Some(2) })),
        1 => Just(Op::Msg(SourceMsg::Rtt { t: 0.0, ms: 3.0 })),
        1 => Just(Op::Msg(SourceMsg::Receiver { t: 0.0, report: Report::Dropped { spans: 3, reason: "over the cap".into() } })),
        1 => Just(Op::Msg(SourceMsg::Receiver { t: 0.0, report: Report::Held(Holding { totals: HeldSpans { traces: 1, spans: 2 }, traces: vec![] }) })),
        1 => prop::sample::select(vec![
            LinkState::Connecting,
            LinkState::Connected,
            LinkState::Disconnected,
            LinkState::Reconnecting(Some(Retry { attempt: 1, delay: Duration::from_millis(250) })),
            LinkState::Oversize,
            LinkState::GaveUp,
        ])
        .prop_map(|s| Op::Msg(link(s))),
    ]
}

/// The message with its time set: eighths of a second are exact in a recording's decimals.
fn timed(msg: SourceMsg, t: f64) -> SourceMsg {
    match msg {
        SourceMsg::Frame { dir, text, .. } => SourceMsg::Frame { t, dir, text },
        SourceMsg::Binary {
            dir,
            bytes,
            invalid_utf8,
            ..
        } => SourceMsg::Binary {
            t,
            dir,
            bytes,
            invalid_utf8,
        },
        SourceMsg::Link {
            state,
            reason,
            size,
            ..
        } => SourceMsg::Link {
            t,
            state,
            reason,
            size,
        },
        SourceMsg::Rtt { ms, .. } => SourceMsg::Rtt { t, ms },
        SourceMsg::Receiver { report, .. } => SourceMsg::Receiver { t, report },
    }
}

fn check(ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let path = dir.path().join("live.jsonl");
    let header = Header::default();
    let mut sink = Sink::recording_to(Keep::All, &path, &header, Existing::Refuse)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let recorder = sink
        .recorder()
        .ok_or_else(|| TestCaseError::fail("no recorder"))?;
    let mut last_text: Option<SourceMsg> = None;
    for (i, op) in ops.iter().enumerate() {
        let t = i as f64 / 8.0;
        let msg = match op {
            Op::UserMark => {
                sink.mark(t, &format!("mark {i}"));
                continue;
            }
            Op::Repeat => match &last_text {
                Some(m) => timed(m.clone(), t),
                None => continue,
            },
            Op::Msg(m) => timed(m.clone(), t),
        };
        if matches!(msg, SourceMsg::Frame { .. }) {
            last_text = Some(msg.clone());
        }
        // What the reading task does: record first, then hand it on.
        recorder.record(&msg);
        sink.accept(msg);
    }
    prop_assert_eq!(sink.write_error(), None);
    sink.log.finish();
    let source = path.to_string_lossy().to_string();
    let loaded = load(&source, None, Keep::All).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let frames = sink.log.frames();
    prop_assert_eq!(loaded.log.frames(), frames);
    let (live_summary, live_report) = derived(sink.log.session(), &sink.log.interner, frames);
    let (disk_summary, disk_report) = derived(loaded.log.session(), &loaded.log.interner, frames);
    for (what, live, disk) in [
        ("summary", live_summary, disk_summary),
        ("report", live_report, disk_report),
    ] {
        if let Some(diff) = first_difference(&live, &disk) {
            return Err(TestCaseError::fail(format!(
                "the {what} of the live session differs from its recording's: {diff}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_live_session_and_its_recording_derive_the_same(ops in prop::collection::vec(op(), 1..60)) {
        check(&ops)?;
    }
}

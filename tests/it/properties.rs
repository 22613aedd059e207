//! Properties over arbitrary input: the decoder, the recording reader, loading and the whole
//! pipeline (load → validate → summary → report) never panic on arbitrary bytes or arbitrary
//! JSON built from the keys orchscope reads; decoding is deterministic; and stepping back
//! (`Log::session_at(k)`) gives exactly the session derived from the first k frames afresh.

use crate::fuzz_common as common;

use orchscope::core::carries::Carries;
use orchscope::core::frame::decode;
use orchscope::core::import::Format;
use orchscope::core::intern::Interner;
use orchscope::core::link::{Dir, LinkState};
use orchscope::core::log::{Entry, Keep, Log};
use orchscope::core::report::{self, SourceReport};
use orchscope::core::session::{Pos, Session};
use orchscope::core::summary;
use orchscope::core::validate::{self, Config, Input};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "type",
    "payload",
    "data",
    "run_id",
    "parent_run_id",
    "thread_id",
    "user_id",
    "agent_name",
    "agent_id",
    "parent_agent_id",
    "tool_name",
    "tool_call_id",
    "timestamp",
    "seq",
    "turn",
    "context",
    "context_hash",
    "prev_context_hash",
    "history",
    "user_request",
    "result",
    "results",
    "status",
    "success",
    "error",
    "final_answer",
    "response",
    "duration_ms",
    "subagent_name",
    "subagent_id",
    "parent_agent_name",
    "event",
    "orchscope_recording",
    "t",
    "dir",
    "frame",
    "text",
    "link",
    "mark",
    "binary",
    "x",
];

const TYPES: &[&str] = &[
    "agent_started",
    "agent_thinking",
    "agent_completed",
    "agent_error",
    "agent_fallback",
    "tool_executing",
    "tool_completed",
    "subagent_started",
    "subagent_completed",
    "final_report",
    "partial_result",
    "user_message",
    "start_agent",
    "system_message",
    "connection_established",
    "ping",
    "error",
    "something_else",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(TYPES).prop_map(Value::from),
        prop::sample::select(vec![
            "r1",
            "r2",
            "t1",
            "sup",
            "data",
            "c1",
            "in",
            "out",
            "connected",
            "error",
            "success",
            "2026-11-23T10:00:00.000Z",
            "1790000000.5",
            "sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "\u{0}\u{1b}[2J",
            "",
        ])
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ]
}

/// Arbitrary JSON values whose object keys are mostly ones orchscope reads.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-z_]{0,8}",
    ];
    leaf().prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Lines of input: JSON values, sometimes wrapped as recording lines, sometimes mangled.
fn lines() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => json_value().prop_map(|v| v.to_string().into_bytes()),
        2 => (json_value(), 0u32..100).prop_map(|(v, t)| {
            json!({"t": f64::from(t) / 10.0, "dir": "in", "frame": v}).to_string().into_bytes()
        }),
        1 => Just(br#"{"orchscope_recording":1}"#.to_vec()),
        1 => Just(br#"{"n":1e99999,"i":-99999999999999999999999,"type":"agent_thinking"}"#.to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ];
    (
        prop::collection::vec(line, 0..16),
        any::<bool>(),
        0usize..30,
    )
        .prop_map(|(lines, final_newline, cut)| {
            let mut out = lines.join(&b'\n');
            if final_newline {
                out.push(b'\n');
            } else {
                out.truncate(out.len().saturating_sub(cut));
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        common::decode_frame(&bytes);
        common::recording(&bytes);
        common::import_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let text = value.to_string();
        common::decode_frame(text.as_bytes());
        common::recording(text.as_bytes());
    }

    #[test]
    fn arbitrary_lines_never_panic(input in lines()) {
        common::recording(&input);
        common::import_all(&input);
        for line in input.split(|&b| b == b'\n') {
            common::decode_frame(line);
        }
    }

    #[test]
    fn decoding_is_deterministic(value in json_value()) {
        let text = value.to_string();
        let mut a = Interner::default();
        let mut b = Interner::default();
        let first = decode(&text, &mut a);
        let _ = decode(r#"{"type":"agent_started","run_id":"other","agent_name":"x"}"#, &mut b);
        let again = decode(&text, &mut a);
        prop_assert_eq!(&first, &again);
        // An interner that already holds other names decodes it to the same kind of result.
        let other = decode(&text, &mut b);
        prop_assert_eq!(
            std::mem::discriminant(&first),
            std::mem::discriminant(&other)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Stepping back.

/// One thing pushed into a log.
#[derive(Debug, Clone)]
enum Op {
    Frame(Dir, String),
    Binary,
    Link(LinkState),
    Note,
    Mark,
}

/// A plausible native frame: mostly valid lifecycle and tool events over small pools of runs,
/// agents, calls and threads, so that trees, pairs, turns and findings actually form.
pub(crate) fn native_frame() -> impl Strategy<Value = String> {
    (
        prop::sample::select(TYPES),
        prop::option::weighted(0.8, prop::sample::select(vec!["r1", "r2", "r3"])),
        prop::option::weighted(0.9, prop::sample::select(vec!["sup", "data", "triage"])),
        prop::option::weighted(0.5, prop::sample::select(vec!["q", "search"])),
        prop::option::weighted(0.5, prop::sample::select(vec!["c1", "c2", "c3"])),
        prop::option::weighted(0.5, prop::sample::select(vec!["t1", "t2"])),
        prop::option::weighted(0.3, 1u32..4),
        prop::option::weighted(0.6, 0u32..400),
        prop::option::weighted(0.3, (0usize..3, any::<bool>())),
        prop::option::weighted(0.2, prop::sample::select(vec!["error", "success", "timeout"])),
        prop::option::weighted(0.3, 0u64..40),
    )
        .prop_map(
            |(ty, run, agent, tool, call, thread, turn, ts, ctx, status, seq)| {
                let mut p = Map::new();
                let mut put = |k: &str, v: Value| {
                    p.insert(k.to_string(), v);
                };
                if let Some(v) = run {
                    put("run_id", v.into());
                }
                if let Some(v) = agent {
                    put("agent_name", v.into());
                    if ty == "subagent_started" {
                        put("subagent_name", v.into());
                        put("parent_agent_name", "sup".into());
                    }
                }
                if let Some(v) = tool {
                    put("tool_name", v.into());
                }
                if let Some(v) = call {
                    put("tool_call_id", v.into());
                }
                if let Some(v) = thread {
                    put("thread_id", v.into());
                }
                if let Some(v) = turn {
                    put("turn", v.into());
                }
                if let Some(v) = ts {
                    put("timestamp", (1_790_000_000.0 + f64::from(v) / 10.0).into());
                }
                if let Some((n, changed)) = ctx {
                    let history: Vec<Value> = (0..n)
                        .map(|i| json!({"request": format!("q{i}"), "response": if changed { "b" } else { "a" }}))
                        .collect();
                    put("context", json!({"user_request": "costs", "history": history}));
                }
                if let Some(v) = status {
                    put("status", v.into());
                }
                if let Some(v) = seq {
                    put("seq", v.into());
                }
                json!({"type": ty, "payload": p}).to_string()
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => native_frame().prop_map(|f| Op::Frame(Dir::In, f)),
        1 => native_frame().prop_map(|f| Op::Frame(Dir::Out, f)),
        1 => json_value().prop_map(|v| Op::Frame(Dir::In, v.to_string())),
        1 => Just(Op::Frame(Dir::In, "not json".into())),
        1 => Just(Op::Frame(Dir::In, "not \"json\"\twith escapes".into())),
        1 => Just(Op::Mark),
        1 => Just(Op::Binary),
        1 => prop::sample::select(vec![
            LinkState::Connected,
            LinkState::Disconnected,
            LinkState::Reconnecting(None),
            LinkState::Oversize,
        ])
        .prop_map(Op::Link),
        1 => Just(Op::Note),
    ]
}

fn push(log: &mut Log, op: &Op, i: usize) {
    // Eighths of a second: exact in a recording's three decimals.
    let t = Some(i as f64 / 8.0);
    match op {
        Op::Frame(dir, text) => log.push_frame(t, *dir, text),
        Op::Binary => log.push(Entry::binary(t, Dir::In, &[1, 2, 3])),
        Op::Link(state) => log.push_link(t, *state, None, Some(10)),
        Op::Note => log.push(Entry::note(
            orchscope::core::session::StreamIssue::BadLine {
                line: i,
                error: "bad".into(),
            },
        )),
        Op::Mark => log.push(Entry::mark(t, format!("mark {i}"))),
    }
}

fn is_frame(op: &Op) -> bool {
    matches!(op, Op::Frame(..) | Op::Binary)
}

/// The summary and the validation report of a session, as JSON text.
pub(crate) fn derived(session: &Session, interner: &Interner, frames: usize) -> (String, String) {
    let doc = serde_json::to_string_pretty(&summary::build(session, interner, "s", Format::Jsonl))
        .unwrap();
    let input = Input {
        session,
        interner,
        carries: Carries::ALL,
        now: None,
    };
    let results = validate::run(&input, &Config::default());
    let report = report::json(&[SourceReport {
        source: "s",
        format: "jsonl",
        frames,
        session,
        interner,
        results: &results,
        unknowns: None,
    }]);
    (doc, report)
}

/// The log of `ops` from scratch, stopped after `k` frames (and the non-frame items that
/// follow them, as `session_at` defines).
fn from_scratch(ops: &[Op], k: usize) -> Log {
    let mut log = Log::new(Keep::All);
    let mut frames = 0;
    for (i, op) in ops.iter().enumerate() {
        if is_frame(op) {
            if frames == k {
                break;
            }
            frames += 1;
        }
        push(&mut log, op, i);
    }
    log
}

/// The first differing line of two documents, with its line number, or `None`.
pub(crate) fn first_difference(a: &str, b: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = (0..la.len().max(lb.len()))
        .find(|&i| la.get(i) != lb.get(i))
        .unwrap_or(0);
    Some(format!(
        "line {}: stepped back {:?}, fresh {:?}",
        i + 1,
        la.get(i).copied().unwrap_or("<end>"),
        lb.get(i).copied().unwrap_or("<end>")
    ))
}

/// Fails unless two sessions of `k` frames give the same summary and report.
fn same(
    a: (&Session, &Interner),
    b: (&Session, &Interner),
    k: usize,
    what: &str,
) -> Result<(), TestCaseError> {
    let (da, db) = (derived(a.0, a.1, k), derived(b.0, b.1, k));
    let (ta, tb) = (format!("{}\n{}", da.0, da.1), format!("{}\n{}", db.0, db.1));
    match first_difference(&ta, &tb) {
        Some(diff) => Err(TestCaseError::fail(format!("{what}: {diff}"))),
        None => Ok(()),
    }
}

fn check_step_back(ops: &[Op], ks: &[usize]) -> Result<(), TestCaseError> {
    let mut full = Log::new(Keep::All);
    for (i, op) in ops.iter().enumerate() {
        push(&mut full, op, i);
    }
    let total = full.frames();
    let mut moved: Option<(usize, Session)> = None;
    for &k in ks {
        let k = k % (total + 1);
        let back = full
            .session_at(k)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Moving a session from the previous position (forward by deriving, back from a
        // checkpoint) lands on the same session.
        if let Some((from, mut s)) = moved.take() {
            full.move_session(&mut s, from, k)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let what = format!("moving from {from} to {k}, against session_at({k})");
            same((&s, &full.interner), (&back, &full.interner), k, &what)?;
        }
        moved = Some((k, back.clone()));
        let scratch = from_scratch(ops, k);
        prop_assert_eq!(scratch.frames(), k);
        let (s_back, r_back) = derived(&back, &full.interner, k);
        let (s_new, r_new) = derived(scratch.session(), &scratch.interner, k);
        for (what, back, new) in [("summary", s_back, s_new), ("report", r_back, r_new)] {
            if let Some(diff) = first_difference(&back, &new) {
                return Err(TestCaseError::fail(format!(
                    "{what} of session_at({k}) (of {total} frames) differs from a fresh derivation: {diff}"
                )));
            }
        }
    }
    // Once the log is finished, moving to its end gives the finished session.
    full.finish();
    if let Some((from, mut s)) = moved {
        full.move_session(&mut s, from, total)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let end = full
            .session_at(total)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        same(
            (&s, &full.interner),
            (&end, &full.interner),
            total,
            "moving to the end",
        )?;
    }
    Ok(())
}

/// Writes `ops` as a recording (a note as an unreadable line), loads it twice — keeping the
/// frames' text in the file, and from the same bytes in memory — and checks that every text
/// and every earlier position comes out the same.
/// How `check_file_backed` writes the ops.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Recording,
    /// A recording with a byte-order mark and CRLF line ends.
    CrlfWithBom,
    /// Bare JSONL: only the frames' texts, a line each (after a byte-order mark, CRLF ends).
    Bare,
}

fn check_file_backed(ops: &[Op], ks: &[usize]) -> Result<(), TestCaseError> {
    for shape in [Shape::Recording, Shape::CrlfWithBom, Shape::Bare] {
        check_file_shape(ops, ks, shape)?;
    }
    Ok(())
}

fn check_file_shape(ops: &[Op], ks: &[usize], shape: Shape) -> Result<(), TestCaseError> {
    use orchscope::core::load::{load, load_reader};
    use orchscope::core::recording::{Header, Writer};
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ops.jsonl");
    let header = Header {
        started_at: None,
        source: None,
        title: None,
        meta: None,
    };
    let mut w = Writer::create(&path, &header).unwrap();
    let mut raw = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    for (i, op) in ops.iter().enumerate() {
        let t = i as f64 / 8.0;
        match op {
            Op::Frame(dir, text) => w.frame_text(t, *dir, text).unwrap(),
            Op::Binary => w.frame_binary(t, Dir::In, b"abc").unwrap(),
            Op::Link(state) => w.link(t, *state, None, Some(10)).unwrap(),
            Op::Note => raw.write_all(b"garbage\n").unwrap(),
            Op::Mark => w.mark(t, &format!("mark {i}")).unwrap(),
        }
    }
    drop(w);
    match shape {
        Shape::Recording => {}
        Shape::CrlfWithBom => {
            let text = std::fs::read_to_string(&path).unwrap();
            let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            std::fs::write(&path, crlf).unwrap();
        }
        Shape::Bare => {
            let lines: String = (ops.iter())
                .filter_map(|op| match op {
                    Op::Frame(_, text) => Some(format!("{text}\r\n")),
                    _ => None,
                })
                .collect();
            std::fs::write(&path, format!("\u{feff}{lines}")).unwrap();
        }
    }
    let path = path.to_str().unwrap();
    // Bare lines may start with one that is not JSON: name the format.
    let format = matches!(shape, Shape::Bare).then_some(orchscope::core::import::Format::Jsonl);
    let bytes = std::fs::read(path).unwrap();
    let (file, mem) = match (
        load(path, format, Keep::All),
        load_reader(path, &bytes[..], format, Keep::All),
    ) {
        (Ok(file), Ok(mem)) => (file.log, mem.log),
        // Nothing orchscope can read (no frame of a known type): the same error both ways.
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.to_string(), b.to_string());
            return Ok(());
        }
        (a, b) => {
            prop_assert!(false, "file: {:?}, memory: {:?}", a.err(), b.err());
            unreachable!()
        }
    };
    prop_assert_eq!(file.frames(), mem.frames());
    let total = mem.frames();
    for p in (0..total).map(Pos::new) {
        prop_assert_eq!(
            file.raw(p).unwrap(),
            mem.raw(p).unwrap(),
            "text of frame {}",
            p
        );
    }
    for &k in ks {
        let k = k % (total + 1);
        let a = file.session_at(k).unwrap();
        let b = mem.session_at(k).unwrap();
        let what = format!("{shape:?}: session_at({k}) from the file's text, against memory");
        same((&a, &file.interner), (&b, &mem.interner), k, &what)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn texts_kept_in_the_file_derive_what_texts_in_memory_do(
        ops in prop::collection::vec(op(), 0..80),
        ks in prop::collection::vec(any::<usize>(), 1..4),
    ) {
        check_file_backed(&ops, &ks)?;
    }

    #[test]
    fn session_at_equals_deriving_from_scratch(
        ops in prop::collection::vec(op(), 0..80),
        ks in prop::collection::vec(any::<usize>(), 1..4),
    ) {
        check_step_back(&ops, &ks)?;
    }
}

proptest! {
    // Long logs, so that stepping back starts from checkpoints (every 1,024 frames at first).
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn session_at_equals_deriving_from_scratch_across_checkpoints(
        ops in prop::collection::vec(op(), 2400..2700),
        ks in prop::collection::vec(any::<usize>(), 3),
    ) {
        let mut ks = ks;
        ks.extend([1023, 1024, 1025, 1030, 2048, 2049, 2400, 10]);
        check_step_back(&ops, &ks)?;
        check_file_backed(&ops, &ks)?;
    }
}

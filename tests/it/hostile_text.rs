//! Quality S2 through the real binary, for text from a file: escape sequences (a title change,
//! a screen clear, an OSC 52 clipboard write) and C1 controls in agent names, tool names, call
//! ids, messages, run ids and the file name itself never reach the terminal raw from
//! `validate` (text, json, junit), `summary` (text, json) or an error on stderr; they are shown
//! escaped, and JSON reads back the very text the file held. The same outputs of a file with
//! plain names show those names as they are.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Names as they are written inside the file's JSON strings (JSON escapes), and as decoded.
struct Names {
    run: &'static str,
    agent: &'static str,
    tool: &'static str,
    call: &'static str,
    message: &'static str,
}

const HOSTILE: Names = Names {
    run: r"r\u009b2J",
    agent: r"planner\u001b]0;x\u0007",
    tool: r"search\u001b[2J",
    call: r"c\u001b]52;c;aGVsbG8=\u0007",
    message: r"boom\u0090q\u009d0;t\u009c",
};

const PLAIN: Names = Names {
    run: "r1",
    agent: "planner",
    tool: "search",
    call: "c9",
    message: "boom café ✓",
};

/// A hostile file's name: a title change and a C1 CSI.
const HOSTILE_FILE: &str = "run\u{1b}]0;x\u{7}\u{9b}2J.jsonl";

/// A run that gives the rules something to say about every name: the agent started twice, a
/// tool result that matches no call, an error with a message.
fn events(n: &Names) -> String {
    let p = |extra: &str, ms: u32| {
        format!(
            r#""payload":{{"run_id":"{}","thread_id":"t1","agent_name":"{}"{extra},"timestamp":"2026-11-23T10:00:00.{ms:03}Z"}}"#,
            n.run, n.agent
        )
    };
    let tool = format!(r#","tool_name":"{}""#, n.tool);
    [
        format!(r#"{{"type":"agent_started",{}}}"#, p("", 0)),
        format!(r#"{{"type":"agent_started",{}}}"#, p("", 10)),
        format!(
            r#"{{"type":"tool_completed",{}}}"#,
            p(
                &format!(r#"{tool},"tool_call_id":"{}","status":"error""#, n.call),
                20
            )
        ),
        format!(
            r#"{{"type":"error",{}}}"#,
            p(
                &format!(r#","message":"{}","error":"{}""#, n.message, n.message),
                30
            )
        ),
        format!(
            r#"{{"type":"agent_completed",{}}}"#,
            p(r#","result":{"status":"failed"}"#, 40)
        ),
    ]
    .join("\n")
        + "\n"
}

fn write(dir: &Path, name: &str, n: &Names) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, events(n)).expect("write the fixture");
    path
}

fn orchscope(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env_remove("ORCHSCOPE_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run orchscope")
}

fn run_on(path: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.push(path.as_os_str());
    orchscope(&all)
}

/// No byte a terminal would act on: valid UTF-8 (so no lone 8-bit C1 byte), and no C0
/// control but newline, no DEL, no C1 control.
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let raw = text
        .chars()
        .find(|&c| (c < ' ' && c != '\n') || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c));
    assert!(raw.is_none(), "{what}: raw {raw:?} in {text:?}");
}

fn assert_both_inert(what: &str, out: &Output) {
    assert_inert(&format!("{what} stdout"), &out.stdout);
    assert_inert(&format!("{what} stderr"), &out.stderr);
}

/// Every string in a JSON value, iteratively.
fn strings(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => todo.extend(a),
            Value::Object(o) => {
                out.extend(o.keys().cloned());
                todo.extend(o.values());
            }
            _ => {}
        }
    }
    out
}

fn decoded(json_escaped: &str) -> String {
    serde_json::from_str(&format!("\"{json_escaped}\"")).expect("a JSON string")
}

#[test]
fn validate_and_summary_text_show_hostile_names_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), HOSTILE_FILE, &HOSTILE);
    let validate = run_on(&path, &["validate"]);
    assert_eq!(validate.status.code(), Some(1), "{validate:?}");
    assert_both_inert("validate text", &validate);
    let text = String::from_utf8_lossy(&validate.stdout);
    for shown in [
        "run␛]0;x␇\\u{9b}2J.jsonl",
        "planner␛]0;x␇",
        "c␛]52;c;aGVsbG8=␇",
    ] {
        assert!(
            text.contains(shown),
            "validate text lacks {shown:?}:\n{text}"
        );
    }
    let summary = run_on(&path, &["summary"]);
    assert_eq!(summary.status.code(), Some(0), "{summary:?}");
    assert_both_inert("summary text", &summary);
    let text = String::from_utf8_lossy(&summary.stdout);
    for shown in ["run r\\u{9b}2J", "planner␛]0;x␇", "search␛[2J"] {
        assert!(
            text.contains(shown),
            "summary text lacks {shown:?}:\n{text}"
        );
    }
}

#[test]
fn json_reports_escape_c0_and_c1_and_read_back_the_same_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), HOSTILE_FILE, &HOSTILE);
    for args in [
        &["validate", "--format", "json"][..],
        &["summary", "--format", "json"][..],
    ] {
        let out = run_on(&path, args);
        assert_both_inert(&args.join(" "), &out);
        let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let all = strings(&doc);
        let want = [
            path.to_string_lossy().into_owned(),
            decoded(HOSTILE.run),
            decoded(HOSTILE.agent),
        ];
        for w in want {
            assert!(
                all.iter().any(|s| s.contains(&w)),
                "{args:?}: {w:?} not read back from {doc}"
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(r"\u009b"), "{args:?}: C1 not escaped: {text}");
    }
}

#[test]
fn junit_holds_no_control_character_and_stays_xml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), HOSTILE_FILE, &HOSTILE);
    let out = run_on(&path, &["validate", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_both_inert("junit", &out);
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.contains("testsuite name=\"") && xml.contains("run␛]0;x␇\\u{9b}2J.jsonl"));
    assert!(xml.contains("planner␛]0;x␇"), "{xml}");
    // Markup only where the report puts it: every `<` opens a known element.
    for tag in xml.split('<').skip(1) {
        let known = [
            "?xml",
            "testsuites",
            "/testsuites",
            "testsuite",
            "/testsuite",
        ]
        .iter()
        .chain(&["testcase", "/testcase", "failure", "/failure", "skipped"])
        .chain(&["system-out", "/system-out"])
        .any(|k| tag.starts_with(k));
        assert!(known, "unexpected markup <{tag}");
    }
}

#[test]
fn plain_names_are_shown_as_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "plain café.jsonl", &PLAIN);
    let validate = run_on(&path, &["validate"]);
    assert_both_inert("validate text", &validate);
    let text = String::from_utf8_lossy(&validate.stdout);
    assert!(
        text.contains("plain café.jsonl") && text.contains("planner"),
        "{text}"
    );
    let summary = run_on(&path, &["summary"]);
    let text = String::from_utf8_lossy(&summary.stdout);
    assert!(text.contains("run r1") && text.contains("search"), "{text}");
    let json = run_on(&path, &["summary", "--format", "json"]);
    let text = String::from_utf8_lossy(&json.stdout);
    assert!(
        text.contains("\"planner\"") && !text.contains("\\u"),
        "{text}"
    );
    let junit = run_on(&path, &["validate", "--format", "junit"]);
    let xml = String::from_utf8_lossy(&junit.stdout);
    assert!(xml.contains("plain café.jsonl"), "{xml}");
}

#[test]
fn an_error_quoting_a_hostile_file_name_is_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join(HOSTILE_FILE);
    for command in ["summary", "validate", "replay"] {
        let out = run_on(&missing, &[command]);
        assert_eq!(out.status.code(), Some(2), "{command}: {out:?}");
        assert_both_inert(command, &out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{command}: {err}");
        assert!(err.contains("run␛]0;x␇\\u{9b}2J.jsonl"), "{command}: {err}");
    }
    // A refused argument is quoted by the parser: escaped too.
    let out = orchscope(&["summary", "--format", "\u{1b}]0;x\u{7}", "f"].map(std::ffi::OsStr::new));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_both_inert("a refused argument", &out);
}

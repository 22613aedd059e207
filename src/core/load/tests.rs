//! The loader's tests: bare lines against frames pushed one by one, detection, imports that
//! start over.

use super::pipeline::BATCH;
use super::*;
use crate::core::link::Dir;
use crate::core::session::{Pos, StreamIssue};

fn duplicates(text: &str) -> Vec<Pos> {
    let loaded = load_reader("test", text.as_bytes(), None, Keep::Summary).expect("load");
    loaded
        .log
        .session()
        .stream
        .iter()
        .filter_map(|i| match i {
            StreamIssue::Duplicate { pos } => Some(*pos),
            _ => None,
        })
        .collect()
}

#[test]
fn duplicates_are_found_within_and_across_batches() {
    let mut lines: Vec<String> = (0..BATCH + 10)
        .map(|i| format!(r#"{{"type":"ping","payload":{{"n":{i}}}}}"#))
        .collect();
    // Within a batch, and straddling the first batch boundary.
    lines[11] = lines[10].clone();
    lines[BATCH] = lines[BATCH - 1].clone();
    assert_eq!(
        duplicates(&(lines.join("\n") + "\n")),
        vec![Pos(11), Pos::new(BATCH)]
    );
}

#[test]
fn the_headless_pipeline_derives_what_the_log_derives() {
    let mut text = String::new();
    for run in 0..300 {
        text.push_str(&format!(
            "{{\"type\":\"agent_started\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"context\":{{\"user_request\":\"q\\u00e9{run}\"}}}}}}\n\
             {{\"type\":\"tool_executing\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
             not json {run}\n\
             {{\"type\":\"tool_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
             {{\"type\":\"agent_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\"}}}}\n"
        ));
    }
    let piped = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
    let mut direct = Log::new(Keep::Summary);
    for line in text.lines() {
        direct.push_frame(None, Dir::In, line);
    }
    direct.finish();
    let a =
        crate::core::summary::build(piped.log.session(), &piped.log.interner, "x", Format::Jsonl);
    let b = crate::core::summary::build(direct.session(), &direct.interner, "x", Format::Jsonl);
    assert_eq!(
        serde_json::to_string(&a).ok(),
        serde_json::to_string(&b).ok()
    );
    assert_eq!(piped.log.session().stream.len(), 300);
    assert_eq!(piped.log.session().calls.len(), 300);
}

#[test]
fn an_import_that_starts_over_leaves_the_log_as_one_read_would() {
    // A CLI 1.0 transcript's side chains show only on the way: the import hands on frames
    // (over a sink batch's worth: the session's own lines first, many times), takes them
    // back and reads the file again.
    let v1 = include_str!(concat!(
        "../../../tests/fixtures/corpus/claude-code/disk-v1-cli/projects/-home-dev-project/",
        "88888888-8888-4888-8888-888888888888.jsonl"
    ));
    let own: String = (v1.lines())
        .filter(|l| !l.contains("\"isSidechain\":true"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir
        .path()
        .join("88888888-8888-4888-8888-888888888888.jsonl");
    std::fs::write(&path, own.repeat(60) + v1).expect("write");
    let name = path.to_str().expect("a UTF-8 path");
    let loaded = load(name, None, Keep::All).expect("load");
    let imported = import::import_source(
        Format::ClaudeCode,
        Some(&path),
        || std::fs::read(&path),
        None,
    )
    .expect("import");
    let mut direct = Log::new(Keep::All);
    push_imported(&mut direct, imported);
    direct.finish();
    assert!(direct.frames() > 1024, "{}", direct.frames());
    assert_eq!(loaded.log.frames(), direct.frames());
    let summary = |log: &Log| {
        let s = crate::core::summary::build(log.session(), &log.interner, "x", Format::ClaudeCode);
        serde_json::to_string(&s).ok()
    };
    assert_eq!(summary(&loaded.log), summary(&direct));
    let issues = |log: &Log| format!("{:?}", log.session().stream);
    assert_eq!(issues(&loaded.log), issues(&direct));
}

#[test]
fn an_overlong_first_line_is_skipped_not_held_for_detection() {
    let long = "x".repeat(crate::core::recording::DEFAULT_MAX_LINE + 10);
    let text = format!("{long}\n{{\"type\":\"ping\"}}\n");
    let loaded = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
    assert_eq!(loaded.format, Format::Jsonl);
    assert_eq!(loaded.log.frames(), 1);
    assert!(matches!(
        loaded.log.session().stream.first(),
        Some(StreamIssue::BadLine { line: 1, .. })
    ));
}

#[test]
fn frames_split_by_layout_are_still_checked() {
    let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
    let text = format!(
        "{{\"orchscope_recording\":1}}\n\
         {{\"t\":0.1,\"dir\":\"in\",\"frame\":{{\"type\":\"ping\"}}}}\n\
         {{\"t\":0.2,\"dir\":\"in\",\"frame\":{{\"type\":\"a\u{0}b\"}}}}\n\
         {{\"t\":0.3,\"dir\":\"in\",\"frame\":{{\"type\":\"x\",\"d\":{deep}}}}}\n\
         {{\"t\":0.4,\"dir\":\"out\",\"frame\":{{\"type\":\"user_message\"}}}}\n"
    );
    let loaded = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
    let s = loaded.log.session();
    assert_eq!(
        loaded.log.frames(),
        3,
        "the line with a raw NUL is not a frame"
    );
    assert!(
        s.stream
            .iter()
            .any(|i| matches!(i, StreamIssue::BadLine { line: 3, .. })),
        "{:?}",
        s.stream
    );
    assert!(
        s.stream
            .iter()
            .any(|i| matches!(i, StreamIssue::UnknownType { pos: Pos(1), .. })),
        "{:?}",
        s.stream
    );
    assert_eq!(s.messages.len(), 1);
    assert_eq!(s.facts[2].dir, Dir::Out);
    assert_eq!(s.facts[2].at.recv(), Some(400.0));
}

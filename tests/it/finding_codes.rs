//! The same fault is the same finding wherever it is judged: the demo's `drop-tool-result`
//! fault, received live from the real demo server over a loopback socket and judged as the
//! inspector judges an open session, and the recording of the same scenario judged headless by
//! the real binary, both give `tool-pairing/never-completed` with the same evidence.

use crate::demo_support as support;
use crate::e2e_support as e2e;

use orchscope::core::carries::Carries;
use orchscope::core::link::Dir;
use orchscope::core::log::{Keep, Log};
use orchscope::core::validate::{run, Config, Input};
use orchscope::demo::Fault;

/// The tool-pairing findings (code and evidence) of the frames received, judged unfinished.
fn judged_live(texts: &[String]) -> Vec<(String, Vec<u64>)> {
    let mut log = Log::new(Keep::All);
    for t in texts {
        log.push_frame(None, Dir::In, t);
    }
    let input = Input {
        session: log.session(),
        interner: &log.interner,
        carries: Carries::ALL,
        now: None,
    };
    let results = run(&input, &Config::default());
    let pairing = results.iter().find(|r| r.id == "tool-pairing");
    let findings = pairing.map_or(&[][..], |r| r.findings.as_slice());
    (findings.iter())
        .map(|f| {
            let frames = f.frames.iter().map(|p| u64::from(p.0)).collect();
            (f.code.clone(), frames)
        })
        .collect()
}

/// The same from `validate --format json` of a recording.
fn judged_headless(path: &str) -> Vec<(String, Vec<u64>)> {
    let out = e2e::run(&[
        "validate".into(),
        path.into(),
        "--format".into(),
        "json".into(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let rules = report["sources"][0]["rules"].as_array().cloned();
    let rules = rules.or_else(|| report["rules"].as_array().cloned());
    let rule = (rules.unwrap_or_default().into_iter()).find(|r| r["id"] == "tool-pairing");
    let findings = rule.map(|r| r["findings"].clone()).unwrap_or_default();
    (findings.as_array().cloned().unwrap_or_default().iter())
        .map(|f| {
            let frames = f["frames"].as_array().cloned().unwrap_or_default();
            let frames = frames.iter().filter_map(|p| p.as_u64()).collect();
            (f["code"].as_str().unwrap_or_default().to_string(), frames)
        })
        .collect()
}

#[tokio::test]
async fn a_dropped_tool_result_is_never_completed_live_and_headless() {
    let fault = Fault::DropToolResult;
    let scenario = fault.host_scenario();
    let server = support::start(support::config(scenario, &[fault])).await;
    let seen = support::session(&server.url, scenario).await;
    let live = judged_live(&seen.texts);
    let codes: Vec<&str> = live.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["tool-pairing/never-completed"], "{live:?}");
    assert_eq!(live[0].1.len(), 2, "the call and its agent's end: {live:?}");
    // The recording of the same scenario, written by orchscope, judged headless.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("drop.jsonl");
    let text = seen.texts.join("\n") + "\n";
    std::fs::write(&path, text).expect("write");
    let path = path.to_str().expect("utf-8 path");
    assert_eq!(judged_headless(path), live, "same code, same evidence");
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/recordings/drop-tool-result.jsonl"
    );
    let shipped = judged_headless(shipped);
    let codes: Vec<&str> = shipped.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["tool-pairing/never-completed"], "{shipped:?}");
}

#[test]
fn a_call_still_in_flight_is_no_finding_live() {
    let texts = [
        r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#,
        r#"{"type":"tool_executing","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q","tool_call_id":"c1"}}"#,
    ]
    .map(String::from);
    assert_eq!(judged_live(&texts), []);
}

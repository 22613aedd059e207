//! The shipped example recordings (`recordings/`, demo.md): one per scenario and one per fault,
//! produced by `orchscope record` against the demo server (seed 1, fixed start, speed 1000).
//!
//! `cargo test --test it recordings::` re-produces each one and compares it with the shipped file
//! (the sequence of frames with their direction, link changes and marks; not the receive times
//! `t`, nor the header, whose `started_at` and port differ each run), and validates every
//! shipped file with the binary: a scenario fails no rule, a fault fails exactly its rule.
//!
//! `ORCHSCOPE_REGENERATE=1 cargo test --test it recordings::` rewrites `recordings/*.jsonl`.

use crate::e2e_support as e2e;

use orchscope::demo::{Fault, Scenario};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SCENARIOS: [Scenario; 6] = [
    Scenario::Simple,
    Scenario::MlCost,
    Scenario::MultiTurn,
    Scenario::Recovery,
    Scenario::Concurrent,
    Scenario::All,
];

const REGENERATE: &str = "ORCHSCOPE_REGENERATE=1 cargo test --test it recordings::";

/// One shipped recording: its name, scenario and faults.
struct Case {
    name: &'static str,
    scenario: Scenario,
    fault: Option<Fault>,
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = SCENARIOS
        .iter()
        .map(|&s| Case {
            name: s.name(),
            scenario: s,
            fault: None,
        })
        .collect();
    cases.extend(Fault::ALL.iter().map(|&f| Case {
        name: f.name(),
        scenario: f.host_scenario(),
        fault: Some(f),
    }));
    cases
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings")
}

/// Records `case` with the real binary into `out`.
fn produce(case: &Case, out: &Path) {
    let faults: Vec<Fault> = case.fault.into_iter().collect();
    let url = e2e::server(case.scenario, &faults, None);
    let mut args = vec![
        "record".to_string(),
        url,
        "-o".into(),
        out.to_str().expect("path").into(),
        "--force".into(),
    ];
    args.extend(e2e::sends(case.scenario));
    args.extend(["--until-idle", "1", "--timeout", "120"].map(String::from));
    let run = e2e::run(&args);
    assert!(
        run.status.success(),
        "{}: record failed: {}",
        case.name,
        String::from_utf8_lossy(&run.stderr)
    );
}

/// What must stay the same between runs: every line but the header, without `t`; the frames
/// received with the link changes and marks in their order, then the frames sent in theirs
/// (when a request leaves relative to the server's greeting is up to the scheduler).
fn essence(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `{REGENERATE}`", path.display()));
    let (sent, mut rest): (Vec<String>, Vec<String>) = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let mut v: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {l}", path.display()));
            if v.get("orchscope_recording").is_some() {
                return None;
            }
            if let Some(o) = v.as_object_mut() {
                o.remove("t");
            }
            Some(v.to_string())
        })
        .partition(|l| l.starts_with(r#"{"dir":"out""#));
    rest.push("-- sent --".to_string());
    rest.extend(sent);
    rest
}

#[test]
fn shipped_recordings_match_what_orchscope_records_now() {
    let regenerate = std::env::var_os("ORCHSCOPE_REGENERATE").is_some_and(|v| v == "1");
    let tmp = tempfile::tempdir().expect("tmp");
    let cases = cases();
    // The captures wait on the network most of the time: run them side by side.
    std::thread::scope(|scope| {
        for case in &cases {
            let out = tmp.path().join(format!("{}.jsonl", case.name));
            scope.spawn(move || produce(case, &out));
        }
    });
    if regenerate {
        std::fs::create_dir_all(dir()).expect("recordings/");
    }
    let mut stale = Vec::new();
    for case in &cases {
        let fresh = tmp.path().join(format!("{}.jsonl", case.name));
        let shipped = dir().join(format!("{}.jsonl", case.name));
        if regenerate {
            std::fs::copy(&fresh, &shipped).expect("copy");
            continue;
        }
        if !shipped.exists() {
            stale.push(format!("{}: missing", shipped.display()));
            continue;
        }
        let (a, b) = (essence(&shipped), essence(&fresh));
        if a != b {
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            stale.push(format!(
                "{}: differs from a fresh recording at record {} (shipped {} records, fresh {})\n  shipped: {}\n  fresh:   {}",
                shipped.display(),
                at + 1,
                a.len(),
                b.len(),
                a.get(at).map_or("(end)", String::as_str),
                b.get(at).map_or("(end)", String::as_str),
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "shipped recordings are out of date:\n{}\nregenerate them with `{REGENERATE}`",
        stale.join("\n")
    );
}

#[test]
fn shipped_recordings_validate_as_demo_md_says() {
    if std::env::var_os("ORCHSCOPE_REGENERATE").is_some() {
        return; // being rewritten by the other test
    }
    for case in cases() {
        let path = dir().join(format!("{}.jsonl", case.name));
        assert!(
            path.exists(),
            "{} is missing; run `{REGENERATE}`",
            path.display()
        );
        let out = e2e::run(&[
            "validate".into(),
            path.to_str().expect("path").into(),
            "--format".into(),
            "json".into(),
        ]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: report is not JSON ({e}): {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let fails = e2e::rules_with(&report, "fail");
        match case.fault {
            None => {
                assert!(fails.is_empty(), "{}: {report:#}", path.display());
                assert_eq!(out.status.code(), Some(0), "{}", path.display());
            }
            Some(f) => {
                assert_eq!(
                    fails,
                    vec![f.rule().to_string()],
                    "{}: {report:#}",
                    path.display()
                );
                assert_eq!(out.status.code(), Some(1), "{}", path.display());
            }
        }
    }
}

//! Stories of the demo's `all` recording (nine runs, each asked something else), of a run
//! whose tool failed and was retried, and finding messages without hashes.

use super::*;
use crate::core::load::load;
use crate::core::log::Keep;

fn log_of(name: &str) -> Log {
    let path = format!("{}/tests/fixtures/shown/{name}", env!("CARGO_MANIFEST_DIR"));
    load(&path, None, Keep::All).unwrap().log
}

#[test]
fn every_run_of_the_all_scenario_tells_its_own_request_and_answer() {
    let log = log_of("all.jsonl");
    let s = log.session();
    assert_eq!(s.runs.len(), 9);
    let stories: Vec<RunStory> = (0..9).map(|r| of_run(&log, s, RunIx::new(r))).collect();
    let requests: Vec<&str> = (stories.iter())
        .map(|st| st.request.as_deref().unwrap())
        .collect();
    assert_eq!(
        requests[0],
        "Analyze our ML training infrastructure costs and optimize for 40% reduction"
    );
    let mut distinct = requests.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() >= 8, "runs share requests: {requests:#?}");
    for (i, st) in stories.iter().enumerate() {
        // The request is the one its root agent was handed.
        let root = s.runs[i].root.unwrap();
        let ctx = context_of(&log, s, root).unwrap();
        assert_eq!(
            ctx["user_request"].as_str(),
            st.request.as_deref(),
            "run {i}"
        );
        assert!(
            st.answer.as_deref().is_some_and(|a| !a.is_empty()),
            "run {i}"
        );
        assert_eq!(st.status, Some(AgentStatus::Completed));
        assert!(!st.agents.is_empty());
    }
    assert!(stories[0]
        .answer
        .as_deref()
        .unwrap()
        .starts_with("A 43% reduction plan"));
}

#[test]
fn a_failed_tool_is_named_with_how_it_recovered() {
    let log = log_of("all.jsonl");
    let s = log.session();
    let told: Vec<RunStory> = (0..s.runs.len())
        .map(|r| of_run(&log, s, RunIx::new(r)))
        .collect();
    let failed: Vec<&(String, Option<&str>)> = told.iter().flat_map(|t| &t.failures).collect();
    assert!(!failed.is_empty(), "the all scenario has a recovery run");
    let how = |what: &str| {
        let found = failed.iter().find(|(w, _)| w == what);
        found
            .unwrap_or_else(|| panic!("{what} not in {failed:?}"))
            .1
    };
    // The recovery run: a retry that worked, one that was never retried, and a fallback.
    assert_eq!(
        how("the tool query_gpu_spend failed for data"),
        Some("retried, and the retry succeeded")
    );
    assert_eq!(how("the tool query_billing_export failed for data"), None);
    assert_eq!(
        how("the agent optimization failed"),
        Some("a fallback took over")
    );
    let with_failed_tool = told.iter().find(|t| t.tools.iter().any(|x| x.2 > 0));
    assert!(with_failed_tool.is_some());
}

#[test]
fn plain_words_leave_hashes_out() {
    let drift = "agent run-1/optimization received context sha256:58d216220166 but turn 1 of its thread has sha256:5e34485a093b";
    assert_eq!(
        plain(drift),
        "agent run-1/optimization received one context but turn 1 of its thread has another"
    );
    let reported = "agent a reported context hash sha256:aa but its context hashes to sha256:bb";
    assert_eq!(
        plain(reported),
        "agent a reported one context but its context hashes to another"
    );
    assert_eq!(plain("no hash here"), "no hash here");
}

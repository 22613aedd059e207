//! Comparisons of small sessions built frame by frame: the same session twice, and each kind
//! of difference (inserted, deleted, changed, reordered, slower, context, verdict).

use super::*;
use crate::core::jsondiff::HistoryVerdict;
use crate::core::link::Dir;
use crate::core::log::Keep;
use crate::core::validate::{Finding, Severity, Status};

/// A session written as native frames, one run `r1`, a clock in milliseconds.
#[derive(Default, Clone)]
struct Frames {
    lines: Vec<String>,
    t: f64,
}

impl Frames {
    fn ev(mut self, ty: &str, agent: &str, extra: &str) -> Self {
        self.t += 100.0;
        self.lines.push(format!(
            r#"{{"type":"{ty}","timestamp":{},"payload":{{"run_id":"r1","thread_id":"t1","agent_name":"{agent}"{extra}}}}}"#,
            1_795_000_000_000.0 + self.t
        ));
        self
    }

    fn wait(mut self, ms: f64) -> Self {
        self.t += ms;
        self
    }

    fn start(self, agent: &str) -> Self {
        self.ev("agent_started", agent, "")
    }

    fn done(self, agent: &str) -> Self {
        self.ev(
            "agent_completed",
            agent,
            r#","result":{"status":"completed"}"#,
        )
    }

    fn call(self, agent: &str, tool: &str) -> Self {
        self.ev(
            "tool_executing",
            agent,
            &format!(r#","tool_name":"{tool}""#),
        )
    }

    fn result(self, agent: &str, tool: &str, error: bool) -> Self {
        let e = if error { r#","error":"boom""# } else { "" };
        self.ev(
            "tool_completed",
            agent,
            &format!(r#","tool_name":"{tool}"{e}"#),
        )
    }

    fn tool(self, agent: &str, tool: &str) -> Self {
        self.call(agent, tool).result(agent, tool, false)
    }

    fn log(&self) -> Log {
        let mut log = Log::new(Keep::All);
        for l in &self.lines {
            log.push_frame(None, Dir::In, l);
        }
        log.finish();
        log
    }
}

fn side(log: &Log) -> Side<'_> {
    Side {
        source: "x",
        format: "orchscope",
        log,
        results: &[],
    }
}

fn compare_logs(a: &Log, b: &Log) -> Comparison {
    compare(&side(a), &side(b), Thresholds::default())
}

fn changes(c: &Comparison) -> Vec<(&str, &str, &str, bool)> {
    c.differences
        .iter()
        .map(|d| {
            (
                d.kind.as_str(),
                d.change.as_str(),
                d.name.as_str(),
                d.regression,
            )
        })
        .collect()
}

fn base() -> Frames {
    Frames::default()
        .start("sup")
        .start("data")
        .tool("data", "query")
}

#[test]
fn the_same_session_twice_has_no_difference() {
    let f = base().done("data").done("sup");
    let c = compare_logs(&f.log(), &f.log());
    assert_eq!(c.total(), 0, "{:?}", c.differences);
    assert!(c.context.is_none());
    assert!(!c.regressed());
}

#[test]
fn an_inserted_agent_is_added_and_not_a_regression() {
    let a = base().done("data").done("sup");
    let b = base().done("data").start("extra").done("extra").done("sup");
    let c = compare_logs(&a.log(), &b.log());
    assert_eq!(changes(&c), [("agent", "added", "extra", false)]);
    assert!(!c.regressed());
}

#[test]
fn a_deleted_agent_that_completed_is_missing_and_a_regression() {
    let a = base().done("data").start("extra").done("extra").done("sup");
    let b = base().done("data").done("sup");
    let c = compare_logs(&a.log(), &b.log());
    assert_eq!(changes(&c), [("agent", "missing", "extra", true)]);
    assert!(c.regressed());
}

#[test]
fn a_tool_call_that_was_ok_and_now_failed_changes_status_and_regresses() {
    let a = base().done("data").done("sup");
    let b = Frames::default()
        .start("sup")
        .start("data")
        .call("data", "query")
        .result("data", "query", true)
        .done("data")
        .done("sup");
    let c = compare_logs(&a.log(), &b.log());
    assert_eq!(changes(&c), [("tool_call", "status", "query", true)]);
    let d = &c.differences[0];
    assert_eq!(d.agent.as_deref(), Some("data"));
    assert_eq!(
        (
            d.a.as_ref().map(|i| i.status),
            d.b.as_ref().map(|i| i.status)
        ),
        (Some("ok"), Some("error"))
    );
    // The other way round it is a repair, not a regression.
    let back = compare_logs(&b.log(), &a.log());
    assert_eq!(changes(&back), [("tool_call", "status", "query", false)]);
}

#[test]
fn reordered_agents_keep_the_longest_common_order() {
    let a = Frames::default()
        .start("sup")
        .start("x")
        .done("x")
        .start("y")
        .done("y")
        .done("sup");
    let b = Frames::default()
        .start("sup")
        .start("y")
        .done("y")
        .start("x")
        .done("x")
        .done("sup");
    let c = compare_logs(&a.log(), &b.log());
    let got = changes(&c);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|d| d.1 == "missing") && got.iter().any(|d| d.1 == "added"));
}

#[test]
fn latency_beyond_both_thresholds_is_slower_within_them_is_not() {
    let slow = |ms: f64| {
        Frames::default()
            .start("sup")
            .call("sup", "query")
            .wait(ms)
            .result("sup", "query", false)
            .done("sup")
    };
    let c = compare_logs(&slow(1_000.0).log(), &slow(1_400.0).log());
    assert_eq!(c.total(), 0, "{:?}", c.differences);
    let c = compare_logs(&slow(1_000.0).log(), &slow(3_000.0).log());
    assert!(
        changes(&c).contains(&("tool_call", "slower", "query", true)),
        "{c:?}"
    );
    assert!(c.regressed());
    let c = compare_logs(&slow(3_000.0).log(), &slow(1_000.0).log());
    assert!(changes(&c).contains(&("tool_call", "faster", "query", false)));
    assert!(!c.regressed());
    let th = Thresholds::default();
    assert_eq!(
        th.judge(100.0, 900.0),
        None,
        "under a second is never judged"
    );
    assert_eq!(
        th.judge(10_000.0, 14_000.0),
        None,
        "under 50% is never judged"
    );
}

#[test]
fn the_first_diverging_context_comes_with_its_structural_diff() {
    let ctx = |history: &str| {
        Frames::default()
            .ev(
                "agent_started",
                "sup",
                &format!(r#","context":{{"user_request":"q","history":{history}}}"#),
            )
            .done("sup")
    };
    let a = ctx(r#"[{"request":"q0","response":"r0"}]"#);
    let b = ctx(r#"[{"request":"q0","response":"changed"}]"#);
    let c = compare_logs(&a.log(), &b.log());
    let div = c.context.as_ref().expect("a divergence");
    assert_eq!(div.turn, 1);
    let diff = div.diff.as_ref().expect("a diff");
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(diff.changes[0].path, "history[0].response");
    assert_eq!(diff.changes[0].after.as_deref(), Some("\"changed\""));
    assert_eq!(
        div.history.map(|h| h.verdict),
        Some(HistoryVerdict::Rewritten { first: 0 })
    );
    assert!(compare_logs(&a.log(), &a.log()).context.is_none());
}

fn result(id: &'static str, status: Status, codes: &[(&str, Severity)]) -> RuleResult {
    RuleResult {
        id,
        status,
        reason: None,
        findings: codes
            .iter()
            .map(|(code, severity)| Finding {
                code: code.to_string(),
                severity: *severity,
                message: String::new(),
                run: None,
                agent: None,
                frames: Vec::new(),
            })
            .collect(),
    }
}

#[test]
fn a_worse_verdict_or_a_new_error_code_regresses_a_better_one_does_not() {
    let pass = [result("tool-pairing", Status::Pass, &[])];
    let fail = [result(
        "tool-pairing",
        Status::Fail,
        &[("tool-pairing/never-completed", Severity::Error)],
    )];
    let got = verdicts::changes(&pass, &fail);
    assert_eq!(got.len(), 1);
    assert!(got[0].regression);
    assert_eq!(got[0].new_codes, ["tool-pairing/never-completed"]);
    let got = verdicts::changes(&fail, &pass);
    assert!(!got[0].regression);
    assert_eq!(got[0].gone_codes, ["tool-pairing/never-completed"]);
    assert!(verdicts::changes(&fail, &fail).is_empty());
    let other = [result(
        "tool-pairing",
        Status::Fail,
        &[("tool-pairing/orphan", Severity::Error)],
    )];
    assert!(
        verdicts::changes(&fail, &other)[0].regression,
        "a new kind of failure"
    );
    let info = [result(
        "tool-pairing",
        Status::Pass,
        &[("tool-pairing/inferred", Severity::Info)],
    )];
    assert!(!verdicts::changes(&pass, &info)[0].regression);
}

mod alignment;

#[test]
fn usage_differs_by_run_and_a_partly_priced_cost_is_not_compared() {
    let think = |model: &str, input: u32| {
        format!(r#","usage":{{"model":"{model}","input_tokens":{input},"output_tokens":10}}"#)
    };
    let run = |model: &str, input: u32| {
        Frames::default()
            .start("sup")
            .ev("agent_thinking", "sup", &think(model, input))
            .done("sup")
    };
    let prices = crate::core::usage::pricing::Prices::built_in();
    let (a, same, more) = (
        run("claude-sonnet-4", 100).log(),
        run("claude-sonnet-4", 100).log(),
        run("claude-sonnet-4", 300).log(),
    );
    let (sa, ss, sm) = (side(&a), side(&same), side(&more));
    assert_eq!(usage::differing_runs(&sa, &ss).1, 0);
    let (runs, total) = usage::differing_runs(&sa, &sm);
    assert_eq!((runs.len(), total, runs[0].run), (1, 1, 1));
    // 110 → 310 tokens; $3 in, $15 out per million: 450 → 1050 millionths of a dollar.
    let pct = usage::change_pct(110.0, 310.0).unwrap();
    assert!((pct - 181.818_181_818).abs() < 1e-6);
    let cost = usage::cost_change_pct(&sa, &sm, &prices).unwrap();
    assert!(
        (cost - (1050.0 - 450.0) / 450.0 * 100.0).abs() < 1e-9,
        "{cost}"
    );
    // A model without a price on one side: the costs are not compared.
    let unknown = run("mystery-1", 100).log();
    assert_eq!(usage::cost_change_pct(&sa, &side(&unknown), &prices), None);
    // No usage in A: no change to give.
    let none = Frames::default().start("sup").done("sup").log();
    assert_eq!(usage::change_pct(0.0, 310.0), None);
    assert_eq!(usage::differing_runs(&side(&none), &sm).1, 1);
}

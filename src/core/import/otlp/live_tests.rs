//! The live span holder: when a trace is shown, in what order, and what it refuses.

use super::*;

const T1: &str = "0af7651916cd43dd8448eb211c80319c";
const T2: &str = "1bf7651916cd43dd8448eb211c80319d";

/// An OTLP/JSON span of `trace`: an agent (`invoke_agent`) or a tool call (`execute_tool`).
fn span(trace: &str, id: &str, parent: &str, op: &str, start_ms: u64, end_ms: u64) -> String {
    let name = match op {
        "invoke_agent" => r#"{"key":"gen_ai.agent.name","value":{"stringValue":"planner"}}"#,
        _ => r#"{"key":"gen_ai.tool.name","value":{"stringValue":"search"}}"#,
    };
    format!(
        r#"{{"traceId":"{trace}","spanId":"{id}","parentSpanId":"{parent}","name":"{op}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"{op}"}}}},{name}]}}"#,
        start_ms * 1_000_000,
        end_ms * 1_000_000
    )
}

/// A tool call of `trace` under the agent span `a1` (which is not sent with it).
fn tool_of(trace: &str) -> String {
    span(
        trace,
        "00000000000000b1",
        "00000000000000a1",
        "execute_tool",
        10,
        20,
    )
}

fn request(spans: &[String]) -> String {
    format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    )
}

fn types(ready: &Ready) -> Vec<String> {
    ready
        .frames
        .iter()
        .map(|(_, text)| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            v["type"].as_str().unwrap_or("?").to_string()
        })
        .collect()
}

#[test]
fn a_trace_waits_for_its_root_then_the_window() {
    let mut live = LiveSpans::new(2.0, 300.0, 1000);
    // The tool ends first and is exported first; its agent (the root) comes later.
    let tool = tool_of(T1);
    let taken = live.add(&request(&[tool]), 0.0).unwrap();
    assert_eq!(
        taken,
        Taken {
            accepted: 1,
            late: 0,
            ..Taken::default()
        }
    );
    assert!(
        live.due(100.0).frames.is_empty(),
        "no root yet, not quiet long enough"
    );
    assert_eq!(
        live.open(),
        Open {
            traces: 1,
            spans: 1
        }
    );
    let agent = span(T1, "00000000000000a1", "", "invoke_agent", 0, 30);
    live.add(&request(&[agent]), 101.0).unwrap();
    assert!(
        live.due(102.5).frames.is_empty(),
        "inside the straggler window"
    );
    let ready = live.due(103.0);
    assert_eq!(
        types(&ready),
        [
            "agent_started",
            "tool_executing",
            "tool_completed",
            "agent_completed"
        ]
    );
    assert_eq!(live.open(), Open::default());
}

#[test]
fn a_rootless_trace_is_shown_once_quiet_and_at_the_end() {
    let mut live = LiveSpans::new(2.0, 60.0, 1000);
    let tool = tool_of(T1);
    live.add(&request(std::slice::from_ref(&tool)), 0.0)
        .unwrap();
    assert!(live.due(59.0).frames.is_empty());
    assert!(!live.due(60.0).frames.is_empty());
    let mut other = LiveSpans::new(2.0, 60.0, 1000);
    other.add(&request(&[tool]), 0.0).unwrap();
    assert!(
        !other.drain().frames.is_empty(),
        "the end of input shows everything held"
    );
}

#[test]
fn turns_of_one_conversation_count_across_traces() {
    let conv = r#"{"key":"gen_ai.conversation.id","value":{"stringValue":"c1"}},"#;
    let mut live = LiveSpans::new(0.0, 60.0, 1000);
    for (i, trace) in [T1, T2].iter().enumerate() {
        let s = span(trace, "00000000000000a1", "", "invoke_agent", 0, 5)
            .replace(r#""attributes":["#, &format!(r#""attributes":[{conv}"#));
        live.add(&request(&[s]), i as f64).unwrap();
        let ready = live.due(i as f64);
        let first: serde_json::Value = serde_json::from_str(&ready.frames[0].1).unwrap();
        assert_eq!(first["payload"]["turn"], serde_json::json!(i + 1));
        assert_eq!(first["payload"]["thread_id"], "c1");
    }
}

#[test]
fn over_the_cap_spans_are_refused_and_counted() {
    let mut live = LiveSpans::new(2.0, 60.0, 2);
    let spans: Vec<String> = (1..=3)
        .map(|i| {
            span(
                T1,
                &format!("00000000000000b{i}"),
                "00000000000000a1",
                "execute_tool",
                1,
                2,
            )
        })
        .collect();
    let taken = live.add(&request(&spans), 0.0).unwrap();
    assert_eq!(
        taken,
        Taken {
            accepted: 2,
            over_cap: 1,
            ..Taken::default()
        }
    );
    // Once shown, room is made again.
    live.drain();
    let taken = live.add(&request(&spans[..1]), 1.0).unwrap();
    assert_eq!(
        taken,
        Taken {
            accepted: 1,
            late: 1,
            ..Taken::default()
        }
    );
}

#[test]
fn what_is_not_a_request_or_has_no_span_id_is_said() {
    let mut live = LiveSpans::new(2.0, 60.0, 10);
    assert!(live.add("[1,2]", 0.0).is_err());
    assert!(live.add("{\"resourceSpans\": 3}", 0.0).is_err());
    let no_id = format!(r#"{{"traceId":"{T1}","name":"x"}}"#);
    let taken = live.add(&request(&[no_id]), 0.0).unwrap();
    assert_eq!(
        taken,
        Taken {
            invalid: 1,
            ..Taken::default()
        }
    );
    assert_eq!(live.open(), Open::default());
}

#[test]
fn a_held_trace_tells_what_ended_and_what_still_runs() {
    let mut live = LiveSpans::new(2.0, 300.0, 1000);
    live.add(&request(&[tool_of(T1)]), 1.0).unwrap();
    let h = live.holding(9.5, 8);
    assert_eq!(
        h.totals,
        Open {
            traces: 1,
            spans: 1
        }
    );
    assert_eq!(
        h.traces,
        [OpenTrace {
            trace: T1.to_lowercase(),
            ended: 1,
            // The agent span the tool call names as its parent has not ended.
            running: 1,
            root_ended: false,
            age_s: 8,
            latest: "execute_tool".into(),
        }]
    );
    let agent = span(T1, "00000000000000a1", "", "invoke_agent", 0, 30);
    live.add(&request(&[agent]), 10.0).unwrap();
    let t = &live.holding(10.0, 8).traces[0];
    assert_eq!((t.ended, t.running, t.root_ended), (2, 0, true));
    assert_eq!(t.latest, "invoke_agent");
    live.due(20.0);
    assert_eq!(live.holding(20.0, 8), Holding::default());
}

#[test]
fn only_the_traces_open_longest_are_told() {
    let mut live = LiveSpans::new(2.0, 300.0, 1000);
    let traces = [
        "0000000000000000000000000000000c",
        "0000000000000000000000000000000a",
        "0000000000000000000000000000000b",
    ];
    for (i, t) in traces.iter().enumerate() {
        live.add(&request(&[tool_of(t)]), i as f64).unwrap();
    }
    let h = live.holding(5.0, 2);
    assert_eq!(h.totals.traces, 3);
    let told: Vec<&str> = h.traces.iter().map(|t| t.trace.as_str()).collect();
    assert_eq!(told, [traces[0], traces[1]]);
    assert_eq!(live.holding(5.0, 0).traces, []);
}

//! Importers: every genuine fixture, detection, `--format-in` names, constructed variations
//! (truncation, stream errors, nesting, Collector-style OTLP), and no panics on arbitrary input
//! (the fuzz corpora are replayed by `tests/it/fuzz_corpus.rs`).

use orchscope::core::import::{detect, import, Format, Imported};
use proptest::prelude::*;
use serde_json::Value;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/foreign");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{FIX}/{path}")).expect("fixture")
}

fn frames(out: &Imported) -> Vec<Value> {
    out.frames
        .iter()
        .map(|f| serde_json::from_str(&f.text).expect("frame is JSON"))
        .collect()
}

fn detect_text(text: &str) -> Option<Format> {
    let lines: Vec<&str> = text.lines().take(10).collect();
    detect(&lines)
}

fn p<'a>(f: &'a Value, key: &str) -> Option<&'a str> {
    f["payload"][key].as_str()
}

fn kinds(fs: &[Value]) -> Vec<&str> {
    fs.iter()
        .map(|f| f["type"].as_str().unwrap_or(""))
        .collect()
}

fn count(fs: &[Value], kind: &str) -> usize {
    fs.iter().filter(|f| f["type"] == kind).count()
}

/// (agent_name, agent_id, parent_agent_id) of every `agent_started`.
fn agents(fs: &[Value]) -> Vec<(String, String, Option<String>)> {
    fs.iter()
        .filter(|f| f["type"] == "agent_started")
        .map(|f| {
            (
                p(f, "agent_name").unwrap_or("").to_string(),
                p(f, "agent_id").unwrap_or("").to_string(),
                p(f, "parent_agent_id").map(str::to_string),
            )
        })
        .collect()
}

/// (tool_name, tool_call_id, status) of every `tool_completed`.
fn tools(fs: &[Value]) -> Vec<(String, Option<String>, String)> {
    fs.iter()
        .filter(|f| f["type"] == "tool_completed")
        .map(|f| {
            (
                p(f, "tool_name").unwrap_or("").to_string(),
                p(f, "tool_call_id").map(str::to_string),
                p(f, "status").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn turns(fs: &[Value]) -> std::collections::BTreeSet<u64> {
    fs.iter()
        .filter_map(|f| f["payload"]["turn"].as_u64())
        .collect()
}

fn snapshot(fs: &[Value]) -> String {
    fs.iter()
        .map(|f| {
            let mut f = f.clone();
            if let Some(foreign) = f["payload"].get_mut("foreign") {
                foreign["record"] = Value::from("…");
            }
            f.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn format_names_round_trip() {
    for f in Format::ALL {
        assert_eq!(Format::from_name(f.name()), Some(f));
    }
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "orchscope",
            "jsonl",
            "claude-code",
            "otlp",
            "langgraph",
            "openai-agents",
            "codex"
        ]
    );
    assert_eq!(Format::from_name("Claude-Code"), None);
    assert!(Format::Jsonl.carries().seq && Format::Orchscope.carries().contexts);
    assert!(!Format::OpenaiAgents.carries().tool_call_ids);
    assert!(!Format::Codex.carries().subagent_links);
    assert!(Format::ALL[2..].iter().all(|f| !f.carries().seq));
}

#[test]
fn detection_on_every_fixture() {
    let cases = [
        (
            "claude-code/stream-json_cli-2.0.77_task-subagent.jsonl",
            Format::ClaudeCode,
        ),
        (
            "claude-code/stream-json_foreground-subagent.jsonl",
            Format::ClaudeCode,
        ),
        (
            "claude-code/stream-json_tool-error.jsonl",
            Format::ClaudeCode,
        ),
        ("codex/exec-json_single-agent.jsonl", Format::Codex),
        (
            "langgraph/langgraph_supervisor_handled.jsonl",
            Format::Langgraph,
        ),
        (
            "openai-agents/openai_agents_trace_callbacks.jsonl",
            Format::OpenaiAgents,
        ),
        (
            "openai-agents/openai_agents_stream_events.jsonl",
            Format::OpenaiAgents,
        ),
        ("otlp/otlp_genai_trace.jsonl", Format::Otlp),
    ];
    for (path, want) in cases {
        assert_eq!(detect_text(&read(path)), Some(want), "{path}");
    }
}

#[test]
fn detection_of_other_inputs() {
    let header = r#"{"orchscope_recording": 1, "started_at": "2026-11-23T10:00:00.000Z"}"#;
    assert_eq!(detect(&[header]), Some(Format::Orchscope));
    assert_eq!(
        detect(&["", "# note", r#"{"type":"agent_started","payload":{}}"#]),
        Some(Format::Jsonl)
    );
    assert_eq!(
        detect(&[r#"{"object":"trace.span","id":"s"}"#]),
        Some(Format::OpenaiAgents)
    );
    assert_eq!(
        detect(&[r#"{"type":"result","session_id":"x"}"#]),
        Some(Format::ClaudeCode)
    );
    assert_eq!(
        detect(&[r#"{"type":"user","payload":{}}"#]),
        Some(Format::Jsonl)
    );
    assert_eq!(detect(&["not json"]), None);
    assert_eq!(detect(&["[1,2]"]), None);
    // A leading byte-order mark is not part of the first record.
    assert_eq!(
        detect(&[&format!("\u{feff}{header}")]),
        Some(Format::Orchscope)
    );
    let claude = "\u{feff}{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\"}";
    assert_eq!(detect(&[claude]), Some(Format::ClaudeCode));
    let out = import(Format::ClaudeCode, claude);
    assert!(
        out.problems.iter().all(|p| !p.message.contains("JSON")),
        "{:?}",
        out.problems
    );
    assert_eq!(
        out.frames.first().map(|f| f.line),
        Some(1),
        "the BOM-prefixed first line was skipped"
    );
    assert_eq!(detect(&[]), None);
    assert_eq!(import(Format::Jsonl, "{}"), Imported::default());
}

#[test]
fn claude_code_task_subagent_2_0() {
    let out = import(
        Format::ClaudeCode,
        &read("claude-code/stream-json_cli-2.0.77_task-subagent.jsonl"),
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let fs = frames(&out);
    let root = "f8412f89-1f9e-478d-a2e7-d8fd7a9fa22a";
    assert_eq!(
        agents(&fs),
        [
            (s("main"), s(root), None),
            (s("general-purpose"), s("toolu_01Main0015"), Some(s(root)))
        ]
    );
    assert_eq!(
        tools(&fs),
        [
            (s("Bash"), Some(s("toolu_01SubBash0023")), s("ok")),
            (s("Task"), Some(s("toolu_01Main0015")), s("ok")),
        ]
    );
    assert_eq!(fs.len(), 10);
    assert_eq!(turns(&fs).into_iter().collect::<Vec<_>>(), [1]);
    let bash = fs
        .iter()
        .find(|f| p(f, "tool_name") == Some("Bash"))
        .expect("bash");
    assert_eq!(p(bash, "agent_id"), Some("toolu_01Main0015"));
    let last = fs.last().expect("frames");
    assert_eq!(last["type"], "agent_completed");
    assert_eq!(p(last, "status"), Some("ok"));
    assert_eq!(
        last["payload"]["result"]["final_answer"],
        "Done: the sub-agent reported `sub-agent-was-here`."
    );
    assert_eq!(last["payload"]["foreign"]["format"], "claude-code");
    assert_eq!(last["payload"]["foreign"]["record"]["num_turns"], 2);
    insta::assert_snapshot!("claude_task_2_0", snapshot(&fs));
}

#[test]
fn claude_code_foreground_agent_2_1() {
    let out = import(
        Format::ClaudeCode,
        &read("claude-code/stream-json_foreground-subagent.jsonl"),
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let fs = frames(&out);
    let root = "a9c6edaa-37cd-4db7-a868-5b79bbec7303";
    assert_eq!(
        agents(&fs),
        [
            (s("main"), s(root), None),
            (s("general-purpose"), s("toolu_01Main0001"), Some(s(root)))
        ]
    );
    assert_eq!(
        tools(&fs),
        [
            (s("Bash"), Some(s("toolu_01SubBash0003")), s("ok")),
            (s("Agent"), Some(s("toolu_01Main0001")), s("ok")),
        ]
    );
    assert_eq!(count(&fs, "agent_thinking"), 3);
    assert_eq!(count(&fs, "agent_completed"), 2);
    assert_eq!(fs.len(), 11);
    // The sub-agent ends at its task_updated line, before the Agent tool's result.
    let sub_end = fs
        .iter()
        .position(|f| f["type"] == "agent_completed")
        .expect("end");
    assert_eq!(p(&fs[sub_end], "agent_id"), Some("toolu_01Main0001"));
    assert_eq!(fs[sub_end]["timestamp"], 1795466472932u64);
    insta::assert_snapshot!("claude_agent_2_1", snapshot(&fs));
}

#[test]
fn claude_code_tool_error() {
    let out = import(
        Format::ClaudeCode,
        &read("claude-code/stream-json_tool-error.jsonl"),
    );
    let fs = frames(&out);
    assert_eq!(
        tools(&fs),
        [(s("Read"), Some(s("toolu_01Fail0001")), s("error"))]
    );
    let done = fs
        .iter()
        .find(|f| f["type"] == "tool_completed")
        .expect("tool");
    assert!(p(done, "error").is_some_and(|e| e.starts_with("File does not exist")));
    assert_eq!(
        kinds(&fs),
        [
            "agent_started",
            "tool_executing",
            "tool_completed",
            "agent_thinking",
            "agent_completed"
        ]
    );
    insta::assert_snapshot!("claude_tool_error", snapshot(&fs));
}

#[test]
fn claude_code_truncated_closes_aborted() {
    let text = read("claude-code/stream-json_foreground-subagent.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    // Keep up to the sub-agent's Bash call, then cut the next line in half.
    let mut cut = lines[..9].join("\n");
    cut.push('\n');
    cut.push_str(&lines[9][..lines[9].len() / 2]);
    let out = import(Format::ClaudeCode, &cut);
    let fs = frames(&out);
    assert!(out
        .problems
        .iter()
        .any(|p| p.line == 10 && p.message.contains("cut off")));
    assert_eq!(
        tools(&fs),
        [
            (s("Bash"), Some(s("toolu_01SubBash0003")), s("aborted")),
            (s("Agent"), Some(s("toolu_01Main0001")), s("aborted"))
        ]
    );
    let ends: Vec<(&str, &str)> = fs
        .iter()
        .filter(|f| f["type"] == "agent_completed")
        .map(|f| {
            (
                p(f, "agent_name").unwrap_or(""),
                p(f, "status").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(ends, [("general-purpose", "aborted"), ("main", "aborted")]);
    assert_eq!(out.problems.len(), 5, "{:?}", out.problems);
}

#[test]
fn claude_code_error_result_aborts_open_work() {
    let text = r#"{"type":"system","subtype":"init","session_id":"S"}
{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"result","subtype":"error_during_execution","is_error":true,"session_id":"S"}"#;
    let out = import(Format::ClaudeCode, text);
    let fs = frames(&out);
    assert_eq!(tools(&fs), [(s("Bash"), Some(s("t1")), s("aborted"))]);
    let last = fs.last().expect("frames");
    assert_eq!(
        (p(last, "status"), p(last, "error")),
        (Some("error"), Some("error_during_execution"))
    );
    assert_eq!(out.problems.len(), 1);
}

#[test]
fn claude_code_nested_task_gives_three_levels() {
    let text = r#"{"type":"system","subtype":"init","session_id":"S"}
{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"A","name":"Task","input":{"subagent_type":"planner"}}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"assistant","message":{"id":"m2","content":[{"type":"tool_use","id":"B","name":"Task","input":{"subagent_type":"coder"}}]},"parent_tool_use_id":"A","session_id":"S"}
{"type":"assistant","message":{"id":"m3","content":[{"type":"tool_use","id":"C","name":"Bash","input":{}}]},"parent_tool_use_id":"B","session_id":"S"}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"C","content":"ok"}]},"parent_tool_use_id":"B","session_id":"S"}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"B","content":"done"}]},"parent_tool_use_id":"A","session_id":"S"}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"A","content":"done"}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"result","subtype":"success","is_error":false,"result":"all done","session_id":"S"}"#;
    let out = import(Format::ClaudeCode, text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let fs = frames(&out);
    assert_eq!(
        agents(&fs),
        [
            (s("main"), s("S"), None),
            (s("planner"), s("A"), Some(s("S"))),
            (s("coder"), s("B"), Some(s("A")))
        ]
    );
    let bash = fs
        .iter()
        .find(|f| p(f, "tool_name") == Some("Bash"))
        .expect("bash");
    assert_eq!(p(bash, "agent_id"), Some("B"));
    assert_eq!(count(&fs, "agent_completed"), 3);
}

#[test]
fn claude_code_background_subagent_keeps_its_lane() {
    let text = r#"{"type":"system","subtype":"init","session_id":"S"}
{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"A","name":"Agent","input":{"subagent_type":"bg","run_in_background":true}}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"system","subtype":"task_started","task_id":"T","tool_use_id":"A","is_backgrounded":true,"session_id":"S"}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"A","content":"launched"}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"assistant","message":{"id":"m2","content":[{"type":"tool_use","id":"X","name":"Bash","input":{}}]},"parent_tool_use_id":"A","session_id":"S"}
{"type":"assistant","message":{"id":"m3","content":[{"type":"text","text":"waiting"}]},"parent_tool_use_id":null,"session_id":"S"}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"X","content":"ok"}]},"parent_tool_use_id":"A","session_id":"S"}
{"type":"system","subtype":"task_updated","task_id":"T","patch":{"status":"completed","end_time":1795466472932},"session_id":"S"}
{"type":"result","subtype":"success","is_error":false,"result":"done","session_id":"S"}"#;
    let out = import(Format::ClaudeCode, text);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let fs = frames(&out);
    let x = fs
        .iter()
        .find(|f| p(f, "tool_call_id") == Some("X"))
        .expect("x");
    assert_eq!(p(x, "agent_id"), Some("A"));
    let think = fs
        .iter()
        .find(|f| f["type"] == "agent_thinking")
        .expect("thinking");
    assert_eq!(p(think, "agent_id"), Some("S"));
    let ends: Vec<&str> = fs
        .iter()
        .filter(|f| f["type"] == "agent_completed")
        .filter_map(|f| p(f, "agent_id"))
        .collect();
    assert_eq!(ends, ["A", "S"]);
}

#[test]
fn codex_single_agent() {
    let out = import(Format::Codex, &read("codex/exec-json_single-agent.jsonl"));
    assert!(out.problems.is_empty());
    let fs = frames(&out);
    let thread = "01a20a29-d8dc-7f13-9b6a-8fd262db54ee";
    assert_eq!(agents(&fs), [(s("codex"), s(thread), None)]);
    assert_eq!(
        tools(&fs),
        [
            (s("command_execution"), Some(s("item_2")), s("ok")),
            (s("command_execution"), Some(s("item_3")), s("error"))
        ]
    );
    assert_eq!(count(&fs, "agent_thinking"), 3);
    assert_eq!(fs.len(), 9);
    let last = fs.last().expect("frames");
    assert_eq!(
        last["payload"]["result"]["final_answer"],
        "Done: printed codex-was-here; the second directory does not exist."
    );
    insta::assert_snapshot!("codex_single_agent", snapshot(&fs));
}

#[test]
fn codex_failed_turn_and_truncation() {
    let text = r#"{"type":"thread.started","thread_id":"T"}
{"type":"turn.started"}
{"type":"item.started","item":{"id":"i1","type":"command_execution","command":"sleep 9","status":"in_progress"}}
{"type":"error","message":"stream disconnected"}
{"type":"turn.failed","error":{"message":"stream disconnected"}}
{"type":"turn.started"}
{"type":"item.started","item":{"id":"i2","type":"mcp_tool_call","server":"docs","tool":"search","arguments":{}}}
{"type":"item.comp"#;
    let out = import(Format::Codex, text);
    let fs = frames(&out);
    assert_eq!(
        tools(&fs),
        [
            (s("command_execution"), Some(s("i1")), s("aborted")),
            (s("docs.search"), Some(s("i2")), s("aborted"))
        ]
    );
    let ends: Vec<(&str, &str)> = fs
        .iter()
        .filter(|f| f["type"] == "agent_completed")
        .map(|f| (p(f, "agent_id").unwrap_or(""), p(f, "status").unwrap_or("")))
        .collect();
    assert_eq!(ends, [("T", "error"), ("T#2", "aborted")]);
    assert_eq!(turns(&fs).into_iter().collect::<Vec<_>>(), [1, 2]);
    assert!(out.problems.iter().any(|p| p.message.contains("cut off")));
}

#[test]
fn langgraph_supervisor() {
    let out = import(
        Format::Langgraph,
        &read("langgraph/langgraph_supervisor_handled.jsonl"),
    );
    assert!(out.problems.is_empty());
    let fs = frames(&out);
    let sup = "01a20a25-c7e9-73a5-9e08-a076c177ff6a";
    assert_eq!(
        agents(&fs),
        [
            (s("supervisor"), s(sup), None),
            (
                s("researcher"),
                s("01a20a25-c7f6-76bd-83cf-ef70b98fc1fc"),
                Some(s(sup))
            )
        ]
    );
    assert_eq!(
        tools(&fs),
        [
            (s("lookup_population"), Some(s("call_res_1")), s("ok")),
            (s("ask_researcher"), Some(s("call_sup_1")), s("ok")),
            (s("divide"), Some(s("call_sup_2")), s("error")),
        ]
    );
    assert_eq!(fs[0]["type"], "user_message");
    assert_eq!(p(&fs[0], "content"), Some("How many people live in Lyon?"));
    assert!(fs[1]["payload"]["context"]["messages"].is_array());
    assert_eq!(count(&fs, "agent_thinking"), 5);
    assert_eq!(fs.len(), 16);
    insta::assert_snapshot!("langgraph_supervisor", snapshot(&fs));
}

#[test]
fn langgraph_truncated_closes_aborted() {
    let text = read("langgraph/langgraph_supervisor_handled.jsonl");
    let cut: Vec<&str> = text.lines().take(28).collect();
    let mut cut = cut.join("\n");
    cut.push_str("\n{\"event\": \"on_tool_e");
    let out = import(Format::Langgraph, &cut);
    let fs = frames(&out);
    let statuses: Vec<&str> = fs
        .iter()
        .filter(|f| f["type"] == "agent_completed")
        .filter_map(|f| p(f, "status"))
        .collect();
    assert_eq!(statuses, ["aborted", "aborted"]);
    assert_eq!(tools(&fs).last().map(|t| t.2.as_str()), Some("aborted"));
    assert!(out.problems.len() >= 3);
}

#[test]
fn openai_agents_trace_export() {
    let out = import(
        Format::OpenaiAgents,
        &read("openai-agents/openai_agents_trace_callbacks.jsonl"),
    );
    assert!(out.problems.is_empty());
    let fs = frames(&out);
    let orch = "span_ba4bef1add6047e9a204b4e3";
    assert_eq!(
        agents(&fs),
        [
            (s("Orchestrator"), s(orch), None),
            (
                s("Researcher"),
                s("span_491d977dab744b9ba4a3d749"),
                Some(s(orch))
            ),
            // Handed to by the orchestrator: a hand-off edge, not an enclosing agent.
            (s("Writer"), s("span_909870e2cb2643dda5d6d67d"), None),
        ]
    );
    let writer = fs
        .iter()
        .find(|f| p(f, "agent_name") == Some("Writer") && f["type"] == "agent_started");
    assert_eq!(writer.and_then(|f| p(f, "handoff_from")), Some(orch));
    assert_eq!(
        tools(&fs),
        [
            (s("get_weather"), None, s("ok")),
            (s("get_weather"), None, s("ok")),
            (s("research"), None, s("ok")),
            (s("flaky_tool"), None, s("error")),
        ]
    );
    assert_eq!(p(&fs[0], "thread_id"), Some("conv-123"));
    assert_eq!(fs.len(), 20);
    insta::assert_snapshot!("openai_trace", snapshot(&fs));
}

#[test]
fn openai_agents_trace_in_end_order_is_sorted() {
    let text = read("openai-agents/openai_agents_trace_callbacks.jsonl");
    let ends: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("on_span_end") || l.contains("on_trace_end"))
        .collect();
    let batch: Vec<&str> = ends
        .iter()
        .map(|l| l.split_once("\"export\": ").map(|x| x.1).unwrap_or(""))
        .map(|l| &l[..l.len() - 1])
        .collect();
    let out = import(Format::OpenaiAgents, &batch.join("\n"));
    let reference = import(Format::OpenaiAgents, &text);
    let strip = |o: &Imported| -> Vec<String> {
        frames(o)
            .into_iter()
            .map(|mut f| {
                f["payload"].as_object_mut().map(|m| m.remove("foreign"));
                f.to_string()
            })
            .collect()
    };
    assert_eq!(strip(&out), strip(&reference));
}

#[test]
fn openai_agents_stream_events() {
    let out = import(
        Format::OpenaiAgents,
        &read("openai-agents/openai_agents_stream_events.jsonl"),
    );
    assert!(out.problems.is_empty());
    let fs = frames(&out);
    assert_eq!(
        agents(&fs),
        [
            (s("Orchestrator"), s("Orchestrator"), None),
            (s("Writer"), s("Writer"), Some(s("Orchestrator")))
        ]
    );
    let t = tools(&fs);
    assert_eq!(t.len(), 4);
    assert!(t.iter().all(|x| x.1.is_some() && x.2 == "ok"));
    assert_eq!(fs.len(), 14);
    insta::assert_snapshot!("openai_stream", snapshot(&fs));
}

#[test]
fn otlp_trace() {
    let out = import(Format::Otlp, &read("otlp/otlp_genai_trace.jsonl"));
    assert!(out.problems.is_empty());
    let fs = frames(&out);
    assert_eq!(
        agents(&fs),
        [
            // The workflow span the agents run under is the run's root agent.
            (s("research_pipeline"), s("ac7176a435f23580"), None),
            (
                s("Supervisor"),
                s("agent_sup_01"),
                Some(s("ac7176a435f23580"))
            ),
            (s("Researcher"), s("agent_res_01"), Some(s("agent_sup_01")))
        ]
    );
    assert_eq!(
        tools(&fs),
        [
            (s("web_search"), Some(s("toolu_01Search")), s("error")),
            (s("delegate_research"), Some(s("toolu_01Deleg")), s("ok"))
        ]
    );
    let failed = fs
        .iter()
        .find(|f| p(f, "status") == Some("error"))
        .expect("error");
    assert_eq!(p(failed, "error"), Some("upstream timeout"));
    assert_eq!(fs[0]["timestamp"], 1795435200001u64);
    assert_eq!(
        p(&fs[0], "run_id"),
        Some("4f8997acd66f6158c56abcb9c9642fb4")
    );
    // The two chat spans carry usage and no output messages: each is a model call
    // (`agent_thinking` with its `usage`) of the agent that owns it.
    assert_eq!(fs.len(), 12);
    insta::assert_snapshot!("otlp_trace", snapshot(&fs));
}

#[test]
fn otlp_collector_style_and_open_span() {
    let text = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[
{"traceId":"4F8997ACD66F6158C56ABCB9C9642FB4","spanId":"C4FB6391889D5D0A","name":"invoke_agent Boss","startTimeUnixNano":"1795435200002000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"Boss"}},{"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]"}}]},
{"traceId":"4F8997ACD66F6158C56ABCB9C9642FB4","spanId":"AE7DA402BA7BEF0C","parentSpanId":"C4FB6391889D5D0A","name":"execute_tool t","startTimeUnixNano":"1795435200003000000","endTimeUnixNano":"1795435200004500000","status":{"code":"STATUS_CODE_ERROR"},"attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"812"}},{"key":"gen_ai.tool.call.id","value":{"stringValue":"c1"}}]}
]}]}]}"#
        .replace('\n', "");
    let out = import(Format::Otlp, &text);
    let fs = frames(&out);
    assert_eq!(agents(&fs), [(s("Boss"), s("c4fb6391889d5d0a"), None)]);
    assert_eq!(tools(&fs), [(s("t"), Some(s("c1")), s("error"))]);
    assert_eq!(p(&fs[1], "agent_id"), Some("c4fb6391889d5d0a"));
    assert_eq!(fs[2]["timestamp"], 1795435200004.5);
    assert_eq!(fs[0]["payload"]["context"]["messages"][0]["role"], "user");
    let last = fs.last().expect("frames");
    assert_eq!(
        (last["type"].as_str(), p(last, "status")),
        (Some("agent_completed"), Some("aborted"))
    );
    assert_eq!(out.problems.len(), 1);
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "system",
            "init",
            "assistant",
            "user",
            "result",
            "tool_use",
            "tool_result",
            "Task",
            "on_chain_start",
            "on_tool_end",
            "on_chain_error",
            "item.started",
            "item.completed",
            "turn.failed",
            "thread.started",
            "trace.span",
            "agent",
            "function",
            "handoff",
            "invoke_agent",
            "execute_tool",
            "a",
            "",
        ])
        .prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "type",
        "subtype",
        "session_id",
        "message",
        "content",
        "id",
        "name",
        "parent_tool_use_id",
        "tool_use_id",
        "is_error",
        "event",
        "run_id",
        "parent_ids",
        "metadata",
        "lc_agent_name",
        "data",
        "output",
        "item",
        "status",
        "export",
        "object",
        "span_data",
        "parent_id",
        "started_at",
        "ended_at",
        "resourceSpans",
        "scopeSpans",
        "spans",
        "spanId",
        "parentSpanId",
        "attributes",
        "key",
        "value",
        "startTimeUnixNano",
        "callback",
        "error",
    ]);
    json_leaf().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn importers_never_panic(lines in prop::collection::vec(json_value(), 0..12), cut in 0usize..200) {
        let mut text = lines.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
        if cut < 40 && !text.is_empty() {
            let mut at = text.len().saturating_sub(cut);
            while !text.is_char_boundary(at) { at -= 1; }
            text.truncate(at);
        }
        let first: Vec<&str> = text.lines().take(10).collect();
        let _ = detect(&first);
        for f in Format::ALL {
            let out = import(f, &text);
            for fr in &out.frames {
                prop_assert!(serde_json::from_str::<Value>(&fr.text).is_ok());
            }
        }
    }
}

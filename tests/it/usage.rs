//! Tokens and cost per agent from genuine producer output: `summary --format json`'s `usage`
//! keys (session, run, each agent's own and subtree), Claude Code's usage counted once per
//! `message.id` with sub-agent transcripts counting for their sub-agent, an unpriced model
//! shown as unpriced, and the config's `[prices]` overriding the built-in table.

use crate::e2e_support::bin;
use serde_json::Value;
use std::process::Output;

/// The binary in the repository, without a caller's config.
fn orchscope(args: &[&str]) -> Output {
    let mut c = bin();
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

fn summary(args: &[&str]) -> Value {
    let mut all = vec!["summary", "--format", "json"];
    all.extend_from_slice(args);
    let out = orchscope(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("summary JSON")
}

const SUBAGENTS: &str = "tests/fixtures/corpus/claude-code/disk-subagents/projects/-home-dev-project/11111111-1111-4111-8111-111111111111.jsonl";

fn tokens(u: &Value) -> (u64, u64, u64) {
    let n = |k: &str| u[k].as_u64().unwrap_or(u64::MAX);
    (n("input_tokens"), n("output_tokens"), n("calls"))
}

#[test]
fn claude_code_usage_counts_once_per_message_and_per_sub_agent() {
    let doc = summary(&[SUBAGENTS]);
    // Computed from the files' own lines: for each `assistant` line, the first of each
    // `message.id`, input_tokens + cache_read_input_tokens + cache_creation_input_tokens and
    // output_tokens. The transcript has 7 such lines but 3 message ids: 3600 in, 120 out; its
    // two sub-agent files (subagents/agent-*.jsonl) 2 ids each: 2400 in, 80 out each.
    assert_eq!(tokens(&doc["usage"]), (8400, 280, 7));
    let agents = doc["runs"][0]["agents"].as_array().expect("agents");
    assert_eq!(tokens(&agents[0]["usage"]["own"]), (3600, 120, 3));
    assert_eq!(tokens(&agents[0]["usage"]["subtree"]), (8400, 280, 7));
    for sub in &agents[1..] {
        assert_eq!(tokens(&sub["usage"]["own"]), (2400, 80, 2));
        assert_eq!(sub["usage"]["own"], sub["usage"]["subtree"]);
    }
    // claude-opus-5-5: $4 in, $20 out per million tokens (core/usage/prices.toml).
    let cost = doc["usage"]["cost_usd"].as_f64().expect("priced");
    assert!(
        (cost - (8400.0 * 4.0 + 280.0 * 20.0) / 1e6).abs() < 1e-9,
        "{cost}"
    );
    assert_eq!(doc["usage"]["unpriced"], serde_json::json!([]));
    assert_eq!(doc["usage"]["models"][0]["model"], "claude-opus-5-5");
    assert_eq!(tokens(&doc["runs"][0]["usage"]), (8400, 280, 7));
}

#[test]
fn a_model_without_a_price_is_unpriced_and_the_config_can_price_it() {
    let dir = std::env::temp_dir().join(format!("orchscope-usage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    // The same session with no row for its model: tokens, but no cost and the model named.
    std::fs::write(
        &config,
        "[prices.\"claude-opus-5-5\"]\ninput = 1.0\noutput = 2.0\n",
    )
    .unwrap();
    let doc = summary(&["--config", config.to_str().unwrap(), SUBAGENTS]);
    let cost = doc["usage"]["cost_usd"]
        .as_f64()
        .expect("priced by the config");
    assert!(
        (cost - (8400.0 * 1.0 + 280.0 * 2.0) / 1e6).abs() < 1e-9,
        "{cost}"
    );
    // A config typo is one line and exit 2.
    std::fs::write(&config, "[prices.\"m\"]\ninptu = 1.0\noutput = 2.0\n").unwrap();
    let out = orchscope(&["--config", config.to_str().unwrap(), "summary", SUBAGENTS]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("inptu") && err.trim().lines().count() == 1,
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_text_summary_lists_usage_own_and_delegated() {
    let out = orchscope(&["summary", SUBAGENTS]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("usage (7 model calls)  8.4k in · 280 out · $0.0392"),
        "{text}"
    );
    assert!(
        text.contains("main  own 3.6k in · 120 out · $0.0168  ·  with delegated 8.4k in"),
        "{text}"
    );
    // No usage at all: no usage section.
    let out = orchscope(&["summary", "tests/fixtures/netra/era-a-session.jsonl"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("model calls"));
}

/// `summary --format json` of a corpus trace: session (input, output, calls) and each agent's
/// (name, own input, own calls, subtree input).
fn otlp(case: &str) -> (Value, Vec<(String, u64, u64, u64)>) {
    let doc = summary(&[&format!("tests/fixtures/corpus/{case}/trace.jsonl")]);
    let agents = doc["runs"][0]["agents"].as_array().expect("agents").iter();
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let rows = agents
        .map(|a| {
            let u = &a["usage"];
            let name = a["name"].as_str().unwrap_or("").to_string();
            (
                name,
                n(&u["own"]["input_tokens"]),
                n(&u["own"]["calls"]),
                n(&u["subtree"]["input_tokens"]),
            )
        })
        .collect();
    (doc, rows)
}

#[test]
fn otlp_usage_counts_the_leaf_spans_for_the_agents_that_own_them() {
    // From the file's spans: the chat spans' gen_ai.usage.input_tokens (61 + 228 under
    // `invoke_agent orchestrator`, 58 + 141 under `invoke_agent researcher`, 59 under
    // `invoke_agent writer`) and output_tokens (12 + 22 + 18 + 26 + 17); the invoke_agent
    // spans carry no usage. The researcher and writer run as the orchestrator's
    // tools, so its subtree holds all five calls.
    let (doc, rows) = otlp("otlp-genai/agents-as-tools");
    assert_eq!(tokens(&doc["usage"]), (547, 95, 5));
    let find = |name: &str| rows.iter().find(|r| r.0 == name).cloned().expect(name);
    assert_eq!(find("orchestrator"), ("orchestrator".into(), 289, 2, 547));
    assert_eq!(find("researcher"), ("researcher".into(), 199, 2, 199));
    // gpt-4.1-mini has no verified row: unpriced, never guessed.
    assert_eq!(doc["usage"]["cost_usd"], Value::Null);
    assert_eq!(
        doc["usage"]["unpriced"],
        serde_json::json!(["gpt-4.1-mini"])
    );
}

#[test]
fn otlp_usage_on_nested_spans_is_counted_once() {
    // OpenLLMetry writes each model call twice, an `openai.response` span inside another, both
    // with the same usage: 8 spans with gen_ai.usage.input_tokens 64, 64, 140, 140, 206, 206,
    // 360, 360 and gen_ai.usage.cache_read.input_tokens 32 on the 206 and 360 ones. The inner
    // ones count: 770 input (64 of them cache reads), 78 output, 4 calls.
    let (doc, rows) = otlp("otlp-openllmetry/agents-handoff");
    assert_eq!(tokens(&doc["usage"]), (770, 78, 4));
    assert_eq!(doc["usage"]["cache_read_tokens"], 64);
    let own: u64 = rows.iter().map(|r| r.1).sum();
    assert_eq!(own, 770);
    // OpenInference: llm.token_count.prompt of the seven LLM spans (83 + 186 + 221 + 302 + 340
    // + 370 + 465) and llm.token_count.completion (12 each).
    let (doc, _) = otlp("otlp-openinference/langgraph-supervisor");
    assert_eq!(tokens(&doc["usage"]), (1967, 84, 7));
}

#[test]
fn codex_usage_is_each_request_once_not_the_running_total() {
    // From the rollouts' `event_msg` `token_count` lines, skipping one whose
    // total_token_usage did not move: the sum of info.last_token_usage.input_tokens and
    // output_tokens — root 31482 / 369 over 5 requests, the children 12121 / 99 (2) and
    // 6000 / 52 (1). Summing total_token_usage instead would count requests again.
    let dir = "tests/fixtures/corpus/codex/multi-agent-v2/sessions/2026/11/27";
    let root =
        format!("{dir}/rollout-2026-11-27T13-54-23-01a21d49-2851-7f10-a6c3-2a00f6ad867a.jsonl");
    let doc = summary(&[&root]);
    assert_eq!(tokens(&doc["usage"]), (49603, 520, 8));
    let agents = doc["runs"][0]["agents"].as_array().expect("agents");
    assert_eq!(tokens(&agents[0]["usage"]["own"]), (31482, 369, 5));
    assert_eq!(tokens(&agents[0]["usage"]["subtree"]), (49603, 520, 8));
    // The model of the rollout's turn_context lines, which no table prices.
    assert_eq!(doc["usage"]["unpriced"], serde_json::json!(["fake-model"]));
    // `codex exec --json`: turn.completed.usage, the turn's own (the same 31482 / 369).
    let doc = summary(&["tests/fixtures/corpus/codex/multi-agent-v2/exec.jsonl"]);
    assert_eq!(tokens(&doc["usage"]), (31482, 369, 1));
    assert_eq!(
        doc["usage"]["unpriced"],
        serde_json::json!(["unnamed model"])
    );
}

#[test]
fn langgraph_and_openai_agents_usage_per_model_call() {
    // LangGraph: the `on_chat_model_end` events' data.output.usage_metadata (7 of them:
    // 350 input, 76 output); the stream's chunks and chain outputs repeat it and do not count.
    let lg = summary(&["tests/fixtures/corpus/langgraph/supervisor/events.jsonl"]);
    assert_eq!(tokens(&lg["usage"]), (350, 76, 7));
    assert_eq!(lg["usage"]["models"][0]["model"], "gpt-4o-mini");
    // OpenAI Agents trace export: the five `response` spans' span_data.usage (64 + 168 + 245 +
    // 326 + 418 input, 12 output each); the SDK's `turn` and `task` spans repeat those sums.
    let oa = summary(&["tests/fixtures/corpus/openai-agents-batches/handoff/batches.jsonl"]);
    assert_eq!(tokens(&oa["usage"]), (1221, 60, 5));
    let agents = oa["runs"][0]["agents"].as_array().expect("agents");
    // triage made the first two calls (64 + 168), specialist the other three.
    assert_eq!(tokens(&agents[0]["usage"]["own"]), (232, 24, 2));
    assert_eq!(tokens(&agents[1]["usage"]["own"]), (989, 36, 3));
}

#[test]
fn the_otlp_export_carries_each_agents_own_usage_on_its_invoke_agent_span() {
    use crate::export_support::{attr, HttpReceiver};
    use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
    let recv = HttpReceiver::start(Vec::new());
    let out = orchscope(&["export", SUBAGENTS, "--otlp", &recv.url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spans = recv.spans();
    let int = |s: &opentelemetry_proto::tonic::trace::v1::Span, key: &str| {
        let v = s
            .attributes
            .iter()
            .find(|kv| kv.key == key)?
            .value
            .as_ref()?;
        match v.value {
            Some(Any::IntValue(n)) => Some(n),
            _ => None,
        }
    };
    let agents: Vec<_> = spans
        .iter()
        .filter(|s| attr(&s.attributes, "gen_ai.operation.name") == Some("invoke_agent"))
        .collect();
    assert_eq!(agents.len(), 3);
    // Each span its own calls: main 3600 / 120, each sub-agent 2400 / 80 (the counts of the
    // summary test above); together the session's 8400 / 280.
    let main = agents
        .iter()
        .find(|s| attr(&s.attributes, "gen_ai.agent.name") == Some("main"));
    let main = main.expect("main");
    assert_eq!(int(main, "gen_ai.usage.input_tokens"), Some(3600));
    assert_eq!(int(main, "gen_ai.usage.output_tokens"), Some(120));
    assert_eq!(
        attr(&main.attributes, "gen_ai.response.model"),
        Some("claude-opus-5-5")
    );
    let total: i64 = agents
        .iter()
        .filter_map(|s| int(s, "gen_ai.usage.input_tokens"))
        .sum();
    assert_eq!(total, 8400);
}

#[test]
fn the_report_has_a_tokens_and_cost_section_in_html_and_markdown() {
    for format in ["html", "md"] {
        let out = orchscope(&["report", SUBAGENTS, "-o", "-", "--format", format]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = String::from_utf8_lossy(&out.stdout);
        assert!(doc.contains("Tokens and cost"), "{format}");
        // The session and main's own and delegated lines (the counts of the summary test).
        assert!(
            doc.contains("Session: 8.4k in · 280 out · $0.0392 over 7 model calls"),
            "{doc}"
        );
        assert!(doc.contains("3.6k in · 120 out · $0.0168"), "{format}");
    }
    // A session without usage has no such section.
    let out = orchscope(&[
        "report",
        "tests/fixtures/netra/era-a-session.jsonl",
        "-o",
        "-",
    ]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Tokens and cost"));
}

#[test]
fn the_demos_agents_report_usage_that_is_fully_priced() {
    // The shipped recording of the demo's ml-cost scenario: every thought carries usage (the
    // supervisor on claude-sonnet-4, its sub-agents on claude-3-5-haiku, both priced rows).
    let doc = summary(&["recordings/ml-cost.jsonl"]);
    let calls = doc["usage"]["calls"].as_u64().unwrap_or(0);
    assert!(calls > 0);
    assert!(doc["usage"]["cost_usd"].as_f64().unwrap_or(0.0) > 0.0);
    assert_eq!(doc["usage"]["unpriced"], serde_json::json!([]));
    let models: Vec<&str> = doc["usage"]["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| m["model"].as_str())
        .collect();
    assert_eq!(
        models,
        ["claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"]
    );
}

#[test]
fn the_real_binary_shows_tokens_and_cost_in_the_tree_and_the_story() {
    use crate::tui_tmux::{have_tmux, Pane};
    if !have_tmux() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_orchscope");
    let file = format!("{}/{SUBAGENTS}", env!("CARGO_MANIFEST_DIR"));
    let cmd = format!("{bin} replay --speed 64 --no-color {file}");
    let p = Pane::start_at("cost", &cmd, (200, 60));
    // The summary test's counts: main and its two sub-agents, claude-opus-5-5.
    p.wait("the tree's usage column", |s| {
        s.contains("Σ8.7k $0.0392") && s.contains("2.5k $0.0112")
    });
    p.keys(&["s"]);
    p.wait_for("Model use: 8.4k in · 280 out · $0.0392");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

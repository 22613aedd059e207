//! Usage: reading `usage` objects, accumulating per agent and run, subtree totals, pricing.

use super::pricing::{cost, normalize, Prices};
use super::read::tokens;
use super::totals::{subtree_books, top_spenders};
use super::*;
use crate::core::session::testing::load;
use serde_json::json;

fn read(v: serde_json::Value) -> Option<Tokens> {
    tokens(v.as_object()?)
}

#[test]
fn native_and_synonym_names_read_the_same_counts() {
    let native = json!({"input_tokens": 100, "output_tokens": 20, "cache_read_tokens": 60,
        "cache_write_tokens": 10});
    let want = Tokens {
        input: 100,
        output: 20,
        cache_read: 60,
        cache_write: 10,
        cache_write_1h: 0,
    };
    assert_eq!(read(native), Some(want));
    // Anthropic leaves cache reads and writes out of `input_tokens`: added back.
    let anthropic = json!({"input_tokens": 30, "output_tokens": 20,
        "cache_read_input_tokens": 60, "cache_creation_input_tokens": 10});
    assert_eq!(read(anthropic), Some(want));
    // OpenAI Chat Completions: cached tokens are inside `prompt_tokens`.
    let openai = json!({"prompt_tokens": 100, "completion_tokens": 20,
        "prompt_tokens_details": {"cached_tokens": 60}});
    assert_eq!(
        read(openai),
        Some(Tokens {
            cache_write: 0,
            ..want
        })
    );
    // LangChain's usage_metadata.
    let lc = json!({"input_tokens": 100, "output_tokens": 20,
        "input_token_details": {"cache_read": 60, "cache_creation": 10}});
    assert_eq!(read(lc), Some(want));
    assert_eq!(read(json!({"model": "m", "total": 3})), None);
    // A negative or fractional count is not a count.
    assert_eq!(read(json!({"input_tokens": -5})), None);
}

const TREE: &str = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_id":"sup","agent_name":"sup"}}
{"type":"agent_thinking","payload":{"run_id":"r1","agent_id":"sup","agent_name":"sup","usage":{"model":"claude-sonnet-4-20250514","input_tokens":1000,"output_tokens":100}}}
{"type":"agent_started","payload":{"run_id":"r1","agent_id":"a","agent_name":"a","parent_agent_id":"sup"}}
{"type":"agent_thinking","payload":{"run_id":"r1","agent_id":"a","agent_name":"a","usage":{"model":"claude-sonnet-4","input_tokens":500,"output_tokens":50,"cache_read_tokens":400}}}
{"type":"agent_started","payload":{"run_id":"r1","agent_id":"b","agent_name":"b","parent_agent_id":"a"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_id":"b","agent_name":"b","model":"mystery-1","usage":{"input_tokens":10,"output_tokens":5}}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_id":"a","agent_name":"a"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_id":"sup","agent_name":"sup"}}"#;

#[test]
fn usage_accumulates_per_agent_with_subtree_totals() {
    let log = load(TREE);
    let s = log.session();
    let own: Vec<u64> = s
        .agents
        .iter()
        .map(|a| a.usage.as_ref().map_or(0, |b| b.tokens().total()))
        .collect();
    assert_eq!(own, vec![1100, 550, 15]);
    let sub: Vec<u64> = subtree_books(s)
        .iter()
        .map(|b| b.tokens().total())
        .collect();
    assert_eq!(sub, vec![1665, 565, 15]);
    let run = &s.runs[crate::core::session::RunIx(0)];
    assert_eq!(run.usage.as_ref().map(|b| b.calls()), Some(3));
    assert!(run.unattributed.is_none());
    assert_eq!(s.usage.tokens().total(), 1665);
    // The model comes from `usage.model`, else the payload's `model`.
    let name = |a: usize| {
        let b = s.agents[a].usage.as_ref().unwrap();
        log.interner.resolve(b.lines[0].model.unwrap()).to_string()
    };
    assert_eq!(name(2), "mystery-1");
    let top = top_spenders(s, crate::core::session::RunIx(0), 2);
    assert_eq!(top.iter().map(|(a, _)| a.0).collect::<Vec<_>>(), vec![0, 1]);
}

#[test]
fn usage_grows_frame_by_frame() {
    let lines: Vec<&str> = TREE.lines().collect();
    let s2 = load(&lines[..2].join("\n"));
    assert_eq!(s2.session().usage.tokens().input, 1000);
    let s4 = load(&lines[..4].join("\n"));
    assert_eq!(s4.session().usage.tokens().input, 1500);
    assert_eq!(s4.session().usage.tokens().cache_read, 400);
}

#[test]
fn model_ids_normalize_and_price() {
    assert_eq!(normalize("claude-sonnet-4-5-20250929"), "claude-sonnet-4-5");
    assert_eq!(normalize("anthropic/Claude-Opus-4-1"), "claude-opus-4-1");
    assert_eq!(normalize("gpt-4o-mini-2024-07-18"), "gpt-4o-mini");
    assert_eq!(normalize("claude-sonnet-4-5@20250929"), "claude-sonnet-4-5");
    let p = Prices::built_in();
    assert!(p
        .rows()
        .iter()
        .all(|r| !r.verified.is_empty() && r.source.starts_with("https://")));
    assert_eq!(
        p.find("claude-sonnet-4-20250514").map(|r| r.id.as_str()),
        Some("claude-sonnet-4")
    );
    // Sonnet 4.5 is its own row, not Sonnet 4's.
    assert_eq!(
        p.find("claude-sonnet-4-5-20250929").map(|r| r.id.as_str()),
        Some("claude-sonnet-4-5")
    );
    assert!(p.find("fake-model").is_none());
    // Anthropic's rule: 1-hour writes at 2× the input, on every row that prices cache writes.
    for r in p.rows().iter().filter(|r| r.cache_write.is_some()) {
        let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
        assert!(near(r.cache_write_1h, r.input * 2.0), "{}", r.id);
    }
}

#[test]
fn cost_prices_what_is_priced_and_names_the_rest() {
    let log = load(TREE);
    let s = log.session();
    let p = Prices::built_in();
    let name = |m| log.interner.resolve(m);
    // sup: 1000 input × $3 + 100 output × $15 per million.
    let sup = cost(&p, s.agents[0].usage.as_ref().unwrap(), name);
    assert!((sup.usd - (1000.0 * 3.0 + 100.0 * 15.0) / 1e6).abs() < 1e-12);
    assert!(sup.complete());
    assert_eq!(sup.label(), "$0.0045");
    // a: 100 uncached input × $3, 400 cache reads × $0.30, 50 output × $15.
    let a = cost(&p, s.agents[1].usage.as_ref().unwrap(), name);
    assert!((a.usd - (100.0 * 3.0 + 400.0 * 0.3 + 50.0 * 15.0) / 1e6).abs() < 1e-12);
    // b: a model with no row is unpriced, never guessed.
    let b = cost(&p, s.agents[2].usage.as_ref().unwrap(), name);
    assert_eq!((b.priced, b.label().as_str()), (false, "unpriced"));
    assert_eq!(b.unpriced, vec!["mystery-1".to_string()]);
    // The subtree of sup: priced part, and what is unpriced.
    let all = cost(&p, &subtree_books(s)[0], name);
    assert!(all.label().ends_with(" + unpriced"), "{}", all.label());
    // A row without cache prices leaves cache tokens unpriced.
    let mut book = Book::default();
    let m = None;
    book.add(&Usage {
        model: m,
        tokens: Tokens {
            input: 1,
            ..Tokens::default()
        },
    });
    assert_eq!(
        cost(&p, &book, name).unpriced,
        vec!["unnamed model".to_string()]
    );
}

/// An Anthropic usage object as Claude Code writes it in a transcript (the shape of the
/// corpus's `message.usage`), with cache writes to both caches.
const CLAUDE_USAGE: &str = r#"{"input_tokens":3,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},"output_tokens":50,"service_tier":"standard"}"#;

#[test]
fn one_hour_cache_writes_are_read_and_priced_apart() {
    let t = read(serde_json::from_str(CLAUDE_USAGE).unwrap()).unwrap();
    assert_eq!(
        (t.input, t.cache_write, t.cache_write_1h, t.cache_read),
        (3003, 1000, 600, 2000)
    );
    // The native object keeps the part, and reads back the same.
    let native = read::native(Some("claude-opus-4-1"), &t);
    assert_eq!(native["cache_write_1h_tokens"], 600);
    assert_eq!(read(native), Some(t));
    // A part larger than the writes is held to them; none is zero.
    let over = json!({"cache_write_tokens": 5, "cache_write_1h_tokens": 9, "input_tokens": 5});
    assert_eq!(read(over).map(|t| t.cache_write_1h), Some(5));
    let none = json!({"input_tokens": 3, "cache_creation_input_tokens": 10});
    assert_eq!(read(none).map(|t| t.cache_write_1h), Some(0));

    let p = Prices::built_in();
    let mut interner = crate::core::intern::Interner::default();
    let model = Some(interner.intern("claude-opus-4-1"));
    let name = |m| interner.resolve(m);
    let mut book = Book::default();
    book.add(&Usage { model, tokens: t });
    // Opus 4.1: input $15, output $75, cache reads $1.50, 5-minute writes $18.75, 1-hour $30.
    let want = (3.0 * 15.0 + 50.0 * 75.0 + 2000.0 * 1.5 + 400.0 * 18.75 + 600.0 * 30.0) / 1e6;
    let c = cost(&p, &book, name);
    assert!((c.usd - want).abs() < 1e-12, "{} vs {want}", c.usd);
    assert!(c.complete());
    // Priced at the five-minute rate, the 1-hour writes would come to less.
    assert!(want - (3.0 * 15.0 + 50.0 * 75.0 + 2000.0 * 1.5 + 1000.0 * 18.75) / 1e6 > 0.0);
    // A row without a 1-hour price leaves those tokens unpriced, never priced at another rate.
    let mut q = Prices::built_in();
    let five = "input = 1.0\noutput = 2.0\ncache_read = 0.1\ncache_write = 1.25";
    let t5: toml::Table = toml::from_str(five).unwrap();
    q.set("claude-opus-4-1", t5, "my.toml").unwrap();
    let c = cost(&q, &book, name);
    assert_eq!(
        c.unpriced,
        vec!["claude-opus-4-1 1-hour cache writes".to_string()]
    );
}

#[test]
fn config_rows_override_and_add() {
    let mut p = Prices::built_in();
    let t: toml::Table = toml::from_str("input = 1.0\noutput = 2.0\ncache_read = 0.1").unwrap();
    p.set("fake-model", t, "my.toml").unwrap();
    let row = p.find("fake-model").unwrap();
    assert_eq!(
        (row.input, row.cache_write, row.verified.as_str()),
        (1.0, None, "config")
    );
    let t: toml::Table = toml::from_str("input = 9.0\noutput = 9.0").unwrap();
    p.set("claude-sonnet-4", t, "my.toml").unwrap();
    assert_eq!(p.find("claude-sonnet-4-20250514").unwrap().input, 9.0);
    let bad: toml::Table = toml::from_str("input = -1.0\noutput = 2.0").unwrap();
    assert!(p.set("x", bad, "my.toml").is_err());
    let typo: toml::Table = toml::from_str("inptu = 1.0\noutput = 2.0").unwrap();
    assert!(p.set("x", typo, "my.toml").unwrap_err().contains("inptu"));
}

#[test]
fn compact_counts_fit_five_characters() {
    assert_eq!(compact(950), "950");
    assert_eq!(compact(12_345), "12.3k");
    assert_eq!(compact(456_000), "456k");
    assert_eq!(compact(4_560_000), "4.56M");
    assert!(compact(u64::MAX).len() <= 14);
}

#[test]
fn otlp_usage_counts_leaves_only() {
    use crate::core::import::{import, Format};
    // An agent span summing its two chat spans' usage: only the chat spans count.
    let span = |id: &str, parent: &str, name: &str, op: &str, input: u64| {
        format!(
            r#"{{"traceId":"4f8997acd66f6158c56abcb9c9642fb4","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","startTimeUnixNano":"1795435200002000000","endTimeUnixNano":"1795435200009000000","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"{op}"}}}},{{"key":"gen_ai.agent.name","value":{{"stringValue":"Boss"}}}},{{"key":"gen_ai.usage.input_tokens","value":{{"intValue":"{input}"}}}},{{"key":"gen_ai.usage.output_tokens","value":{{"intValue":"1"}}}}]}}"#
        )
    };
    let spans = [
        span(
            "a000000000000001",
            "",
            "invoke_agent Boss",
            "invoke_agent",
            300,
        ),
        span(
            "c000000000000001",
            "a000000000000001",
            "chat m",
            "chat",
            100,
        ),
        span(
            "c000000000000002",
            "a000000000000001",
            "chat m",
            "chat",
            200,
        ),
    ];
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    );
    let imported = import(Format::Otlp, &text);
    let mut log = crate::core::log::Log::new(crate::core::log::Keep::All);
    for f in &imported.frames {
        log.push_frame(None, crate::core::link::Dir::In, &f.text);
    }
    log.finish();
    let s = log.session();
    assert_eq!(s.usage.tokens().input, 300);
    assert_eq!(s.usage.calls(), 2);
    // Without its chat spans, the agent span's own usage counts.
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans[0]
    );
    let imported = import(Format::Otlp, &text);
    let with_usage = imported
        .frames
        .iter()
        .filter(|f| f.text.contains("\"usage\""))
        .count();
    assert_eq!(with_usage, 1);
    // A sub-agent's span with usage (as `export` writes them) never hides its parent's own.
    let sub = span(
        "a000000000000002",
        "a000000000000001",
        "invoke_agent Sub",
        "invoke_agent",
        50,
    )
    .replace(r#""stringValue":"Boss""#, r#""stringValue":"Sub""#);
    let text = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{},{sub}]}}]}}]}}"#,
        spans[0]
    );
    let imported = import(Format::Otlp, &text);
    let counted = imported
        .frames
        .iter()
        .filter(|f| f.text.contains("\"usage\""))
        .count();
    assert_eq!(counted, 2);
}

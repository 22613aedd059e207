//! A trace still running, through the real binary under tmux: `connect otlp://` gets a tool
//! call whose agent span has not ended; the agents pane tells the open trace (one span ended,
//! one running) until the agent span comes, and the trace is then shown as a tree.

use crate::otlp_receiver::{post, request, tool_span, JSON};
use crate::tui_tmux::{have_tmux, Pane};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

fn agent_span() -> String {
    r#"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000a1","name":"invoke_agent planner","startTimeUnixNano":"1699999999000000000","endTimeUnixNano":"1700000002000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"planner"}}]}"#.into()
}

#[test]
fn a_running_trace_is_told_until_its_root_span_ends() {
    if !have_tmux() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let cmd = format!("{BIN} connect --no-color --no-record --straggler 0.5 otlp://{addr}");
    let p = Pane::start("otlpopen", &cmd);
    p.wait_for("● connected");
    let (status, _) = post(
        &addr,
        "/v1/traces",
        &[JSON],
        request(&[tool_span(1)]).as_bytes(),
    );
    assert_eq!(status, 200);
    p.wait("the open trace told", |s| {
        s.contains("⧗ 1 trace open") && s.contains("0af76519 ⟳ 1 running")
    });
    p.wait_for("⧗ 1 trace open (1 span)");
    let (status, _) = post(
        &addr,
        "/v1/traces",
        &[JSON],
        request(&[agent_span()]).as_bytes(),
    );
    assert_eq!(status, 200);
    let s = p.wait("the trace shown", |s| {
        s.contains("planner") && !s.contains("trace open")
    });
    assert!(!s.contains("⟳ 1 running"), "{s}");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

//! The OTLP receiver (`otlp://`, `otlp+grpc://`) of the real binary, on loopback: the official
//! OpenTelemetry SDKs' exporters (Python over HTTP and gRPC, JavaScript over HTTP) send it a GenAI-instrumented agent run
//! (tests/producers/otel_agent.py, installed by `.ci/run`), `export` sends it a recording back
//! (a round trip), and a raw HTTP client checks what it refuses and the spans it drops.

use serde_json::Value;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A running `orchscope` that receives, and the address it listens on.
struct Receiving {
    child: Option<Child>,
    addr: String,
    stderr: mpsc::Receiver<String>,
}

impl Receiving {
    /// Starts `orchscope ARGS` and waits for its "listening on URL" line.
    fn start(args: &[&str]) -> Receiving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start orchscope");
        let err = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("a first line from orchscope");
        let addr = line
            .split("listening on ")
            .nth(1)
            .and_then(|u| u.split("://").nth(1))
            .unwrap_or_else(|| panic!("not a listening line: {line}"))
            .to_string();
        Receiving {
            child: Some(child),
            addr,
            stderr: rx,
        }
    }

    /// Waits for it to end (bounded), with the rest of its stderr.
    fn finish(mut self) -> (Output, String) {
        let mut child = self.child.take().expect("running");
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while child.try_wait().expect("wait").is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "orchscope did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().expect("output");
        let rest: Vec<String> = self.stderr.try_iter().collect();
        (out, rest.join("\n"))
    }
}

impl Drop for Receiving {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The SDK examples' command lines (Python over HTTP and gRPC, TypeScript over HTTP) with the
/// scheme each is received on, or None (with a notice) when they are not installed.
fn sdks() -> Option<Vec<(&'static str, Vec<String>)>> {
    let dir = Path::new(ROOT).join("tests/producers");
    let python = dir.join(".venv/bin/python");
    let script = dir.join("otel_agent.py").display().to_string();
    let node = dir.join("build/otel_agent.js");
    let ready = node.exists()
        && Command::new(&python)
            .args([
                "-c",
                "import opentelemetry.exporter.otlp.proto.grpc.trace_exporter",
            ])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ready {
        let what = "the OpenTelemetry SDK examples are not installed (see .ci/run)";
        assert!(std::env::var_os("CI").is_none(), "{what}");
        eprintln!("notice: {what}; skipping");
        return None;
    }
    let py = |kind: &str| {
        vec![
            python.display().to_string(),
            script.clone(),
            kind.to_string(),
        ]
    };
    Some(vec![
        ("otlp", py("http")),
        ("otlp+grpc", py("grpc")),
        ("otlp", vec!["node".into(), node.display().to_string()]),
    ])
}

use crate::e2e_support::summary_json as summary;

/// Agents as `id<parent` and tool calls as `agent:tool:status`, over every run of a summary.
fn shape(summary: &Value) -> (Vec<String>, Vec<String>) {
    let runs = summary["runs"].as_array().cloned().unwrap_or_default();
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    let mut agents: Vec<String> = runs
        .iter()
        .flat_map(|r| r["agents"].as_array().cloned().unwrap_or_default())
        .map(|a| format!("{}<{}", text(&a["id"]), text(&a["parent"])))
        .collect();
    let mut tools: Vec<String> = runs
        .iter()
        .flat_map(|r| r["tool_calls"].as_array().cloned().unwrap_or_default())
        .map(|t| {
            format!(
                "{}:{}:{}",
                text(&t["agent"]),
                text(&t["tool"]),
                text(&t["status"])
            )
        })
        .collect();
    agents.sort();
    tools.sort();
    (agents, tools)
}

#[test]
fn the_official_sdk_exporters_are_received_over_http_and_grpc() {
    let Some(sdks) = sdks() else { return };
    for (scheme, sdk) in sdks {
        let what = sdk.join(" ");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("run.jsonl");
        let url = format!("{scheme}://127.0.0.1:0");
        let rec = Receiving::start(&[
            "record",
            &url,
            "-o",
            file.to_str().expect("path"),
            "--token",
            "s3cret",
            "--timeout",
            "60",
            "--until-idle",
            "0.5",
        ]);
        let endpoint = format!("http://{}", rec.addr);
        let run = |token: &str| {
            Command::new(&sdk[0])
                .args(&sdk[1..])
                .args([&endpoint, token])
                .output()
                .expect("run the SDK example")
        };
        // A wrong token is refused, and nothing of it is kept.
        let refused = run("wrong");
        let said = String::from_utf8_lossy(&refused.stderr).to_lowercase();
        assert!(
            said.contains("401")
                || said.contains("unauthenticated")
                || said.contains("unauthorized"),
            "{what}: {said}"
        );
        let sent = run("s3cret");
        assert!(
            sent.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&sent.stderr)
        );
        let (out, stderr) = rec.finish();
        assert!(out.status.success(), "{what}: {stderr}");
        let recorded = std::fs::read_to_string(&file).expect("recording");
        assert!(recorded
            .lines()
            .next()
            .unwrap_or("")
            .contains("\"kind\":\"otlp\""));
        assert!(
            !recorded.contains("s3cret"),
            "the token never reaches the file"
        );
        let s = summary(&file);
        assert_eq!(s["runs"].as_array().map(Vec::len), Some(1), "{what}: {s}");
        let (agents, tools) = shape(&s);
        assert_eq!(agents, ["agent-res<agent-sup", "agent-sup<-"], "{what}");
        assert_eq!(
            tools,
            ["agent-res:forecast:error", "agent-sup:get_weather:ok"],
            "{what}"
        );
    }
}

/// One HTTP/1.1 request on a fresh connection: the status and the body.
pub(crate) fn post(addr: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("write");
    s.write_all(body).expect("write body");
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    let text = String::from_utf8_lossy(&got).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

pub(crate) fn tool_span(i: usize) -> String {
    format!(
        r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000b{i}","parentSpanId":"00000000000000a1","name":"execute_tool","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"execute_tool"}}}},{{"key":"gen_ai.tool.name","value":{{"stringValue":"search"}}}}]}}"#
    )
}

pub(crate) fn request(spans: &[String]) -> String {
    format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    )
}

pub(crate) const JSON: (&str, &str) = ("Content-Type", "application/json");

#[test]
fn refusals_are_statuses_and_drops_are_counted_and_reported() {
    let rec = Receiving::start(&[
        "validate",
        "otlp://127.0.0.1:0",
        "--format",
        "json",
        "--max-held-spans",
        "2",
        // The trace never gets its root: it is shown when the time-out ends the capture.
        "--timeout",
        "8",
        "--until-idle",
        "0.5",
    ]);
    let a = rec.addr.clone();
    assert_eq!(post(&a, "/v1/metrics", &[JSON], b"{}").0, 404);
    assert_eq!(
        post(&a, "/v1/traces", &[("Content-Type", "text/plain")], b"x").0,
        415
    );
    assert_eq!(post(&a, "/v1/traces", &[JSON], b"[1,2]").0, 400);
    assert_eq!(
        post(
            &a,
            "/v1/traces",
            &[JSON, ("Content-Encoding", "gzip")],
            b"not gzip"
        )
        .0,
        400
    );
    assert_eq!(post(&a, "/v1/logs", &[JSON], b"{}").0, 200);
    // Three spans of a trace whose root never comes, with room for two: one is dropped, and
    // the sender is told in the protocol's partial success.
    let spans: Vec<String> = (1..=3).map(tool_span).collect();
    let gz = {
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(request(&spans).as_bytes()).expect("gzip");
        z.finish().expect("gzip")
    };
    let (status, body) = post(&a, "/v1/traces", &[JSON, ("Content-Encoding", "gzip")], &gz);
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON answer");
    // int64 in the JSON mapping: a number or a string.
    let rejected = answer["partialSuccess"]["rejectedSpans"].to_string();
    assert_eq!(rejected.trim_matches('"'), "1", "{answer}");
    let (out, stderr) = rec.finish();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let text = report.to_string();
    assert!(text.contains("stream-health/dropped"), "{text}");
    assert!(text.contains("dropped 1 span:"), "{text}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a dropped span fails stream-health"
    );
}

#[test]
fn a_receiver_without_drops_passes_and_a_taken_port_is_one_line() {
    let rec = Receiving::start(&[
        "validate",
        "otlp://127.0.0.1:0",
        "--format",
        "json",
        "--timeout",
        "60",
        "--until-idle",
        "0.5",
        "--straggler",
        "0.2",
    ]);
    let agent = r#"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000a1","name":"invoke_agent planner","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000002000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"planner"}}]}"#.to_string();
    let addr = rec.addr.clone();
    let (status, _) = post(
        &addr,
        "/v1/traces",
        &[JSON],
        request(&[tool_span(2), agent]).as_bytes(),
    );
    assert_eq!(status, 200);
    // Taken while it listens: a second receiver on the same port is refused at once.
    let taken = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args([
            "record",
            &format!("otlp://{addr}"),
            "-o",
            "/dev/null",
            "--force",
        ])
        .output()
        .expect("second receiver");
    let said = String::from_utf8_lossy(&taken.stderr);
    assert_eq!(taken.status.code(), Some(2), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("is taken"), "{said}");
    let (out, stderr) = rec.finish();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let health = report["rules"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "stream-health"));
    assert_eq!(
        health.map(|h| h["status"].clone()),
        Some(Value::from("pass")),
        "{report}"
    );
    assert_eq!(report["counts"]["agents"], 1, "{report}");
    assert_eq!(report["counts"]["tool_calls"], 1, "{report}");
    assert_eq!(
        report["source"],
        format!("otlp://{addr}"),
        "the address it listened on"
    );
}

#[test]
fn an_exported_recording_comes_back_the_same_through_the_receiver() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("back.jsonl");
    let rec = Receiving::start(&[
        "record",
        "otlp+grpc://127.0.0.1:0",
        "-o",
        file.to_str().expect("path"),
        "--timeout",
        "60",
        "--until-idle",
        "0.5",
    ]);
    let source = Path::new(ROOT).join("recordings/all.jsonl");
    let sent = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .arg("export")
        .arg(&source)
        .args(["--otlp-grpc", &format!("http://{}", rec.addr)])
        .output()
        .expect("export");
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let (out, stderr) = rec.finish();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(shape(&summary(&source)), shape(&summary(&file)));
}

//! End-to-end helpers: a demo server on a free loopback port (in this process, real socket),
//! and the real `orchscope` binary run against it. Every wait is bounded.
#![allow(dead_code)]

use orchscope::demo::{requests_for, DemoConfig, DemoServer, Fault, Scenario, SentFrames};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

pub const START: i64 = 1_790_000_000_000;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_orchscope"));
    // A token in the caller's environment must not leak into the tests' servers or clients.
    c.env_remove("ORCHSCOPE_TOKEN");
    c
}

/// `orchscope summary --format json FILE`, which must succeed.
pub fn summary_json(file: &std::path::Path) -> serde_json::Value {
    let out = bin()
        .args(["summary", "--format", "json"])
        .arg(file)
        .output()
        .expect("summary");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("summary JSON")
}

/// The test config: loopback port 0, `scenario` with `faults`, fast (speed 1000) and
/// reproducible (seed 1, fixed start).
pub fn config(scenario: Scenario, faults: &[Fault], token: Option<&str>) -> DemoConfig {
    let mut c = DemoConfig::new("127.0.0.1:0".parse().expect("addr"));
    c.scenario = scenario;
    c.faults = faults.to_vec();
    c.speed = 1000.0;
    c.seed = 1;
    c.fixed_start = Some(START);
    c.token = token.map(str::to_string);
    c
}

/// Serves `c` on its own runtime thread; returns its URL and its sent-frame counter. The
/// server lives until the test process ends.
pub fn spawn(c: DemoConfig) -> (String, SentFrames) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let server = DemoServer::bind(c).await.expect("bind");
            tx.send((server.url(), server.sent_frames()))
                .expect("send url");
            let _ = server.run().await;
        });
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("server url")
}

/// A server for `scenario` with `faults`, fast and reproducible, running on its own runtime
/// thread; returns its URL. The server lives until the test process ends.
pub fn server(scenario: Scenario, faults: &[Fault], token: Option<&str>) -> String {
    spawn(config(scenario, faults, token)).0
}

/// `--send` arguments for a scenario.
pub fn sends(scenario: Scenario) -> Vec<String> {
    requests_for(scenario)
        .into_iter()
        .flat_map(|r| ["--send".to_string(), r])
        .collect()
}

/// Runs the binary with a time limit on the capture.
pub fn run(args: &[String]) -> Output {
    bin().args(args).output().expect("run orchscope")
}

/// `validate URL --format json` for a scenario; returns the report and the exit code.
pub fn validate_live(
    url: &str,
    scenario: Scenario,
    extra: &[&str],
) -> (serde_json::Value, i32, String) {
    let mut args: Vec<String> = vec![
        "validate".into(),
        url.into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(sends(scenario));
    args.extend(["--until-idle", "0.5", "--timeout", "60"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("report is not JSON ({e}); stderr: {stderr}"));
    (report, out.status.code().unwrap_or(-1), stderr)
}

/// Rule ids with the given status.
pub fn rules_with(report: &serde_json::Value, status: &str) -> Vec<String> {
    report["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["status"] == status)
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A server for `scenario` in `dialect`.
pub fn server_with(scenario: Scenario, dialect: orchscope::demo::Dialect) -> String {
    let mut c = config(scenario, &[], None);
    c.dialect = dialect;
    spawn(c).0
}

/// Waits for `child` at most `limit` (a liveness guard, not a timing assertion), calling `look`
/// with its pid on every look while it runs; past the limit it is killed and the test fails,
/// naming `what`.
pub fn wait_watching(
    mut child: Child,
    limit: Duration,
    what: &str,
    mut look: impl FnMut(u32),
) -> Output {
    let end = Instant::now() + limit;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            panic!("{what} did not end within {limit:?}");
        }
        look(child.id());
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// [`wait_watching`] without looking.
pub fn wait_bounded(child: Child, limit: Duration, what: &str) -> Output {
    wait_watching(child, limit, what, |_| {})
}

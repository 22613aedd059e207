//! Shared by the benchmarks: a generator of large, realistic recordings (multi-turn sessions
//! with contexts, in the native shape, repeated with fresh ids) and a timer.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

/// The frame count a bench was asked for in the environment variable `var` (1,000,000 when
/// unset), and the large recording of that many frames, generated once into the bench dir.
pub fn large_recording(var: &str) -> (usize, std::path::PathBuf) {
    let frames: usize = std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("p1-{frames}.bench.jsonl"));
    if !path.exists() {
        eprintln!("generating {} ...", path.display());
        generate(&path, frames).expect("generate");
    }
    (frames, path)
}

/// Writes a recording of at least `frames` frames to `path`; returns the frame count.
pub fn generate(path: &Path, frames: usize) -> std::io::Result<usize> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        out,
        r#"{{"orchscope_recording": 1, "started_at": "2026-11-23T10:00:00.000Z", "source": {{"kind": "generated"}}, "title": "benchmark", "meta": {{}}}}"#
    )?;
    let mut n = 0usize;
    let mut session = 0usize;
    let mut line = String::with_capacity(4096);
    while n < frames {
        session += 1;
        let thread = format!("thread-{session}");
        let mut history: Vec<(String, String)> = Vec::new();
        for turn in 1..=3 {
            let run = format!("run-{session}-{turn}");
            let request = format!("Turn {turn}: analyse the cost of cluster {session} and propose savings with constraints");
            let hist: Vec<String> = history
                .iter()
                .map(|(q, a)| format!(r#"{{"request":"{q}","response":"{a}"}}"#))
                .collect();
            let context = format!(
                r#"{{"user_request":"{request}","user_context":{{"current_spend":"$50K/month","gpu_instances":20,"training_jobs":150}},"history":[{}]}}"#,
                hist.join(",")
            );
            let t0 = (session * 100 + turn * 30) as f64;
            let mut seq = 0;
            let mut emit = |out: &mut std::io::BufWriter<std::fs::File>,
                            offset: f64,
                            ty: &str,
                            body: &str|
             -> std::io::Result<()> {
                seq += 1;
                line.clear();
                let t = t0 + offset;
                let ts = 1_795_000_000_000.0 + t * 1000.0;
                let _ = write!(
                    line,
                    r#"{{"t":{t:.3},"dir":"in","frame":{{"type":"{ty}","timestamp":{ts:.0},"payload":{{"run_id":"{run}","thread_id":"{thread}","user_id":"u-{session}","turn":{turn},"seq":{seq},{body}}}}}}}"#
                );
                n += 1;
                writeln!(out, "{line}")
            };
            let sup = format!("{run}/supervisor");
            emit(
                &mut out,
                0.0,
                "agent_started",
                &format!(r#""agent_name":"supervisor","agent_id":"{sup}","context":{context}"#),
            )?;
            emit(&mut out, 0.2, "agent_thinking", r#""agent_name":"supervisor","agent_id":"SUP","thought":"Routing the request to triage, data and optimization","step_number":1,"total_steps":4"#.replace("SUP", &sup).as_str())?;
            for (k, agent) in ["triage", "data", "optimization"].iter().enumerate() {
                let id = format!("{run}/{agent}");
                let base = 1.0 + k as f64 * 3.0;
                emit(
                    &mut out,
                    base,
                    "agent_started",
                    &format!(
                        r#""agent_name":"{agent}","agent_id":"{id}","parent_agent_id":"{sup}","context":{context}"#
                    ),
                )?;
                emit(
                    &mut out,
                    base + 0.3,
                    "agent_thinking",
                    &format!(
                        r#""agent_name":"{agent}","agent_id":"{id}","thought":"Working on the {agent} step","step_number":1,"total_steps":2,"progress_percentage":50"#
                    ),
                )?;
                for c in 0..2 {
                    let call = format!("call-{run}-{k}-{c}");
                    emit(
                        &mut out,
                        base + 0.5 + c as f64,
                        "tool_executing",
                        &format!(
                            r#""agent_name":"{agent}","agent_id":"{id}","tool_name":"query_{agent}_{c}","tool_call_id":"{call}","parameters":{{"window":"30d","limit":100}}"#
                        ),
                    )?;
                    emit(
                        &mut out,
                        base + 1.2 + c as f64,
                        "tool_completed",
                        &format!(
                            r#""agent_name":"{agent}","agent_id":"{id}","tool_name":"query_{agent}_{c}","tool_call_id":"{call}","result":{{"status":"ok","rows":42,"summary":"utilisation 61%"}},"duration_ms":700"#
                        ),
                    )?;
                }
                emit(
                    &mut out,
                    base + 2.8,
                    "agent_completed",
                    &format!(
                        r#""agent_name":"{agent}","agent_id":"{id}","result":{{"status":"completed","output":"{agent} done"}},"duration_ms":2800"#
                    ),
                )?;
            }
            let answer = format!("Plan {session}.{turn}: move 70% to spot, right-size 6 nodes");
            emit(
                &mut out,
                10.5,
                "agent_completed",
                &format!(
                    r#""agent_name":"supervisor","agent_id":"{sup}","result":{{"status":"completed","final_answer":"{answer}"}},"duration_ms":10500"#
                ),
            )?;
            history.push((request, answer));
        }
    }
    out.flush()?;
    Ok(n)
}

/// A count from an environment variable, else `default`.
#[allow(dead_code)] // not every bench takes one
pub fn count_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Times `f`, returning seconds and its result.
pub fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed().as_secs_f64(), out)
}

/// Calls `f` on every line of a file (with its newline), read as a plain reader would.
pub fn each_line(path: &Path, mut f: impl FnMut(&str)) {
    use std::io::BufRead as _;
    let file = std::fs::File::open(path).expect("open");
    let mut r = std::io::BufReader::with_capacity(256 << 10, file);
    let mut line = String::new();
    while r.read_line(&mut line).expect("read") > 0 {
        f(&line);
        line.clear();
    }
}

/// Seconds `orchscope ARGS` took (no config from the environment, its output dropped), and its
/// exit code.
#[allow(dead_code)] // not every bench runs the binary this way
pub fn orchscope(args: &[&str]) -> (f64, Option<i32>) {
    let bin = env!("CARGO_BIN_EXE_orchscope");
    let (secs, out) = time(|| {
        std::process::Command::new(bin)
            .args(args)
            .stdout(std::process::Stdio::null())
            .env_remove("ORCHSCOPE_CONFIG")
            .status()
    });
    (secs, out.expect("run orchscope").code())
}

//! The live path under a flood, with the real binary against a hostile server of our own that
//! sends as fast as the client lets it (quality.md R3, R6): a `kill -9` of `record` loses at
//! most what one socket read held, memory stays bounded, and `--timeout` ends the capture.

use crate::e2e_support as e2e;
use crate::hostile_support as hostile;

use hostile::Behaviour;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
/// Every flood frame's size on the wire.
const FRAME: usize = 256;
/// The most one socket read of the WebSocket library can take (its read buffer).
const ONE_READ: usize = 128 * 1024;

fn orchscope(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("ORCHSCOPE_TOKEN");
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

/// The `seq` of every whole `in` frame line, in file order, and whether the file replays.
fn recorded_seqs(path: &Path) -> Vec<u64> {
    let text = std::fs::read_to_string(path).expect("read recording");
    let mut lines: Vec<&str> = text.split('\n').collect();
    // A last line without its newline was cut by the kill: the one line allowed to be lost.
    lines.pop();
    lines
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .filter(|v| v["dir"] == "in")
        .map(|v| v["frame"]["payload"]["seq"].as_u64().expect("seq"))
        .collect()
}

fn signal(child: &Child, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
}

/// Waits until `f` holds, at most `limit` (a liveness guard, not a timing assertion).
fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < end, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[test]
fn r3_kill_9_under_flood_loses_at_most_one_socket_read() {
    let server = hostile::start(Behaviour::Flood { frame_len: FRAME });
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("flood.jsonl");
    let mut child = orchscope(&[
        "record",
        &server.url(),
        "-o",
        file.to_str().expect("path"),
        "--timeout",
        "120",
    ])
    .spawn()
    .expect("spawn record");
    // Let a few megabytes go by, well past every queue size.
    wait_for("the flood to be recorded", Duration::from_secs(60), || {
        file_len(&file) > 4 << 20
    });
    // Freeze the recorder: the server blocks once the socket buffers are full, and then every
    // byte it handed the kernel is either consumed by the process or still in a kernel queue.
    signal(&child, "-STOP");
    let mut last = u64::MAX;
    wait_for("the server to block", Duration::from_secs(30), || {
        std::thread::sleep(Duration::from_millis(300));
        let now = server.written.load(Ordering::SeqCst);
        std::mem::replace(&mut last, now) == now
    });
    let peer = server.peer.lock().expect("peer").expect("a connection");
    let (server_unacked, _) = hostile::tcp_queues(server.addr, peer).expect("server socket");
    let (_, client_unread) = hostile::tcp_queues(peer, server.addr).expect("client socket");
    let written = server.written.load(Ordering::SeqCst);
    let consumed = written - server_unacked - client_unread;
    signal(&child, "-KILL");
    let status = child.wait().expect("wait");
    assert!(!status.success());

    let consumed_frames = consumed / FRAME as u64;
    let seqs = recorded_seqs(&file);
    let want: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert!(
        seqs == want,
        "frames are written in the order read, none skipped"
    );
    let kept = seqs.len() as u64;
    eprintln!("consumed {consumed_frames} frames, the file keeps {kept}");
    let one_read = (ONE_READ / FRAME) as u64 + 1;
    assert!(
        kept <= consumed_frames + 1,
        "kept {kept} frames of {consumed_frames} consumed"
    );
    assert!(
        kept + one_read >= consumed_frames,
        "lost {} frames already read from the socket (one read holds at most {one_read})",
        consumed_frames - kept
    );

    // The file replays.
    let out = orchscope(&["summary", file.to_str().expect("path"), "--format", "json"])
        .output()
        .expect("summary");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The peak resident memory of a process, in kB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// What a flood run showed: the peak memory (kB), and its growth per frame the server handed
/// the kernel while the flood went on (from a look after `secs / 3` seconds to one just before
/// the time-out; what a command does after its capture, such as judging, is not counted).
struct Flooded {
    peak_kb: u64,
    bytes_per_frame: f64,
    code: Option<i32>,
    stderr: String,
}

/// Runs `args` against a flood of `frame_len`-byte frames for `secs` seconds (`--timeout`
/// must end it), sampling memory and the frames sent.
fn flood_run(args: &[&str], frame_len: usize, secs: u64) -> Flooded {
    let server = hostile::start(Behaviour::Flood { frame_len });
    let url = server.url();
    let timeout = secs.to_string();
    let mut all = args.to_vec();
    all.insert(1, &url);
    all.extend(["--timeout", &timeout]);
    let child = orchscope(&all).spawn().expect("spawn");
    let start = Instant::now();
    let frames = || server.written.load(Ordering::SeqCst) / frame_len as u64;
    let (mut peak, mut first, mut last) = (0, None, (0, 0));
    let out = e2e::wait_watching(
        child,
        Duration::from_secs(secs + 5),
        &format!("{args:?} under a flood with --timeout {secs}"),
        |pid| {
            let Some(now) = peak_kb(pid) else { return };
            peak = peak.max(now);
            let elapsed = start.elapsed();
            if elapsed + Duration::from_millis(500) < Duration::from_secs(secs) {
                last = (peak, frames());
            }
            if first.is_none() && elapsed >= Duration::from_secs(secs) / 3 {
                first = Some(last);
            }
        },
    );
    let (first, last) = (first.expect("a look before the end"), last);
    assert!(last.1 > first.1, "the flood went on");
    Flooded {
        peak_kb: peak,
        bytes_per_frame: (last.0 - first.0) as f64 * 1024.0 / (last.1 - first.1) as f64,
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const MEMORY_BOUND_KB: u64 = 300 * 1024;

#[test]
fn r6_record_under_a_flood_of_large_frames_stays_bounded_and_times_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("big.jsonl");
    let path = file.to_str().expect("path");
    let run = flood_run(&["record", "-o", path], 128 << 10, 3);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("time-out"), "{}", run.stderr);
    assert!(run.peak_kb < MEMORY_BOUND_KB, "peak {} kB", run.peak_kb);
    assert!(!recorded_seqs(&file).is_empty());
}

#[test]
fn r6_record_memory_does_not_grow_with_the_frames_of_a_long_flood() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("long.jsonl");
    let run = flood_run(&["record", "-o", file.to_str().expect("path")], FRAME, 9);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("record: {:.1} bytes per frame", run.bytes_per_frame);
    // It kept ~36 bytes of derived session per frame (as `validate` does) when every frame's
    // facts were kept; what is left is noise of the allocator.
    assert!(
        run.bytes_per_frame < 8.0,
        "{:.1} B/frame",
        run.bytes_per_frame
    );
}

#[test]
fn r6_validate_ws_under_a_flood_keeps_no_frame_text_and_times_out() {
    let run = flood_run(&["validate", "--format", "json"], FRAME, 6);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    assert!(run.peak_kb < MEMORY_BOUND_KB, "peak {} kB", run.peak_kb);
    eprintln!("validate: {:.1} bytes per frame", run.bytes_per_frame);
    // The rules read the session's 32-byte fact per frame; no frame's 256 bytes are kept.
    assert!(
        run.bytes_per_frame < 64.0,
        "{:.1} B/frame",
        run.bytes_per_frame
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r6_undigested_frames_are_bounded_in_bytes_not_only_in_number() {
    use orchscope::source::budget::Budget;
    use orchscope::source::websocket::{self, ClientConfig, SourceMsg};
    const MIB: u64 = 1 << 20;
    let server = hostile::start(Behaviour::Flood {
        frame_len: MIB as usize,
    });
    let budget = Budget::new(8 * MIB as u32);
    let mut config = ClientConfig::new(server.url());
    config.budget = Some(budget.clone());
    // Room for 1,024 messages: counted in messages alone, a gigabyte could wait.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<SourceMsg>(1024);
    let (_cmds, cmd_rx) = tokio::sync::mpsc::channel(8);
    let task = tokio::spawn(websocket::run(config, tx, cmd_rx));
    let settled = |what: &'static str| {
        let server = &server;
        async move {
            let mut last = u64::MAX;
            let end = Instant::now() + Duration::from_secs(30);
            loop {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let now = server.written.load(Ordering::SeqCst);
                if now > 0 && std::mem::replace(&mut last, now) == now {
                    return now;
                }
                assert!(Instant::now() < end, "gave up waiting for {what}");
            }
        }
    };
    // Nobody digests: the source stops reading once 8 MiB of frames wait.
    let stalled = settled("the flood to stall").await;
    let waiting = budget.in_use();
    assert!(
        (7 * MIB..=8 * MIB).contains(&waiting),
        "{waiting} bytes wait"
    );
    assert!(rx.len() <= 2 + 8, "{} messages wait", rx.len());
    // What the server got rid of is what waits plus what the kernel's buffers hold.
    assert!(stalled < 64 * MIB, "the server wrote {stalled} bytes");
    // Digesting gives the bytes back and the flood moves on.
    for _ in 0..20 {
        let msg = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("a message")
            .expect("the source runs");
        budget.give_back(&msg);
    }
    assert!(settled("the flood to stall again").await > stalled);
    task.abort();
}

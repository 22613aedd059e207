//! The real binary under tmux (quality R5): replay a recording, switch tabs and find the tree,
//! a tool pair, a failing rule; quit with `q`, Ctrl-C, SIGTERM and SIGQUIT and check the
//! terminal was restored (the alternate screen left, the shell's output visible, no TUI
//! remnants); a panic on purpose (`ORCHSCOPE_TEST_PANIC`, on the main loop and on a runtime
//! worker) restores it too and ends the program with status 101; run `demo --speed 100` and
//! see agents and context hashes appear; `connect` to a hostile server of our own shows the
//! backlog of a flood it cannot keep up with (and none for a quiet server), and says at once,
//! while it runs, that the recording failed and why. Skipped, with a notice, only when tmux is
//! not installed.

use crate::hostile_support as hostile;

use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/netra/era-a-session.jsonl"
);

pub(crate) fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("notice: tmux is not installed; skipping the terminal end-to-end tests");
    }
    ok
}

pub(crate) struct Pane {
    pub(crate) name: String,
}

/// A tmux command on this pane's own server (one per test, so parallel tests do not race).
fn tmux(name: &str) -> Command {
    let mut c = Command::new("tmux");
    c.args(["-L", name]);
    c
}

impl Pane {
    pub(crate) fn start(tag: &str, cmd: &str) -> Pane {
        Pane::start_at(tag, cmd, (120, 36))
    }

    /// The same in a terminal of `size` (columns, rows).
    pub(crate) fn start_at(tag: &str, cmd: &str, size: (u16, u16)) -> Pane {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let name = format!("orchscope-{tag}-{}", std::process::id());
        let script = format!("{cmd}; echo __DONE__ $?; sleep 60");
        let st = tmux(&name)
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &w,
                "-y",
                &h,
                "sh",
                "-c",
                &script,
            ])
            .env("TERM", "xterm-256color")
            .status()
            .unwrap();
        assert!(st.success());
        Pane { name }
    }

    pub(crate) fn capture(&self) -> String {
        let o = tmux(&self.name)
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend(keys);
        assert!(tmux(&self.name).args(&args).status().unwrap().success());
    }

    /// Polls the screen until `pred` holds (bounded).
    pub(crate) fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.capture();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn wait_for(&self, needle: &str) -> String {
        self.wait(needle, |s| s.contains(needle))
    }

    /// The TUI has exited with status 0 and left a clean screen behind.
    fn assert_restored(&self) -> String {
        self.assert_restored_with(0)
    }

    /// The TUI has exited with `status` and left a clean screen behind; the screen.
    pub(crate) fn assert_restored_with(&self, status: i32) -> String {
        let s = self.wait("the TUI to exit", |s| s.contains("__DONE__"));
        assert!(
            s.contains(&format!("__DONE__ {status}")),
            "exit status not {status}:\n{s}"
        );
        for remnant in ["Timeline", "Agents", "orchscope ·", "REPLAY", "LIVE"] {
            assert!(
                !s.contains(remnant),
                "TUI remnant {remnant:?} left on screen:\n{s}"
            );
        }
        let o = tmux(&self.name)
            .args(["display-message", "-p", "-t", &self.name, "#{alternate_on}"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            "0",
            "still on the alternate screen"
        );
        s
    }

    fn app_pid(&self) -> String {
        let o = tmux(&self.name)
            .args(["display-message", "-p", "-t", &self.name, "#{pane_pid}"])
            .output()
            .unwrap();
        let sh = String::from_utf8_lossy(&o.stdout).trim().to_string();
        let o = Command::new("pgrep").args(["-P", &sh]).output().unwrap();
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .expect("the app runs")
            .trim()
            .to_string()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = tmux(&self.name)
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn replay_cmd() -> String {
    format!("{BIN} replay --speed 64 --no-color {FIXTURE}")
}

#[test]
fn replay_tabs_and_quit_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start("q", &replay_cmd());
    p.wait("the agent tree", |s| {
        s.contains("supervisor") && s.contains("triage")
    });
    p.wait("the whole recording", |s| s.contains("29 ev"));
    p.keys(&["3"]);
    p.wait("a tool pair", |s| {
        s.contains("query_gpu_spend") && s.contains("ok") && s.contains("error")
    });
    p.keys(&["4"]);
    p.wait_for("Context · turn × agent");
    p.keys(&["5"]);
    p.wait("a failing rule", |s| s.contains("⚠ warn tool-pairing"));
    p.keys(&["6"]);
    p.wait_for("Frames · 29");
    p.keys(&["s"]);
    p.wait_for("What the checks say");
    p.keys(&["?"]);
    p.wait_for("Help · any key closes");
    p.keys(&["Escape"]);
    p.keys(&["q"]);
    p.assert_restored();
}

#[test]
fn ctrl_c_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start("c", &replay_cmd());
    p.wait_for("supervisor");
    p.keys(&["C-c"]);
    p.assert_restored();
}

#[test]
fn sigterm_and_sigquit_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    for signal in ["-TERM", "-QUIT"] {
        let p = Pane::start(&format!("t{signal}"), &replay_cmd());
        p.wait_for("supervisor");
        kill(&p, signal);
        p.assert_restored();
    }
}

#[test]
fn demo_shows_agents_and_hashes() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start("d", &format!("{BIN} demo --speed 100 --no-record"));
    p.wait("agents of the demo", |s| {
        s.contains("supervisor") && s.contains("LIVE")
    });
    p.wait("a context hash", |s| {
        s.lines().any(|l| {
            l.split_whitespace()
                .any(|w| w.len() == 12 && w.chars().all(|c| c.is_ascii_hexdigit()))
        })
    });
    p.keys(&["q"]);
    p.assert_restored();
}

fn kill(p: &Pane, signal: &str) {
    let pid = p.app_pid();
    assert!(Command::new("kill")
        .args([signal, &pid])
        .status()
        .unwrap()
        .success());
}

#[test]
fn a_panic_restores_the_terminal_and_ends_the_program() {
    if !have_tmux() {
        return;
    }
    for place in ["main", "worker"] {
        let p = Pane::start(
            &format!("p{place}"),
            &format!(
                "env -u RUST_BACKTRACE ORCHSCOPE_TEST_PANIC={place} {}",
                replay_cmd()
            ),
        );
        let s = p.assert_restored_with(101);
        assert!(
            s.contains(&format!("orchscope: internal error: test panic ({place})"))
                && s.contains("(the terminal was restored)"),
            "{s}"
        );
    }
}

#[test]
fn a_rule_that_panics_is_shown_crashed_and_the_inspector_stays_up() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start(
        "rc",
        &format!("ORCHSCOPE_TEST_PANIC=rule:latency {}", replay_cmd()),
    );
    p.wait_for("supervisor");
    p.keys(&["5"]);
    p.wait("the crashed rule", |s| s.contains("✗ crash latency"));
    p.keys(&["s"]);
    p.wait_for("latency crashed (test panic (rule latency))");
    p.keys(&["q"]);
    p.assert_restored();
}

#[test]
fn the_panic_switch_does_nothing_unless_it_names_a_place() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start("pn", &format!("ORCHSCOPE_TEST_PANIC=1 {}", replay_cmd()));
    p.wait_for("supervisor");
    p.keys(&["q"]);
    p.assert_restored();
}

use crate::e2e_support as e2e;

#[test]
fn connect_shows_and_records_the_url_without_its_credentials() {
    if !have_tmux() {
        return;
    }
    let url = e2e::server(orchscope::demo::Scenario::Simple, &[], None);
    let secret_url = format!(
        "{}?access_token=qs-Secret-2",
        url.replace("ws://", "ws://alice:pw-Secret-1@")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("live.jsonl");
    let cmd = format!(
        "{BIN} connect --no-color --record {} '{secret_url}'",
        rec.display()
    );
    let p = Pane::start("cred", &cmd);
    let screen = p.wait("the live header", |s| {
        s.contains("LIVE") && s.contains("connected")
    });
    assert!(screen.contains("alice:••••@"), "{screen}");
    p.keys(&["q"]);
    p.assert_restored();
    let after = p.capture();
    let recording = std::fs::read_to_string(&rec).expect("recording");
    for shown in [screen.as_str(), after.as_str(), recording.as_str()] {
        assert!(!shown.contains("pw-Secret-1"), "{shown}");
        assert!(!shown.contains("qs-Secret-2"), "{shown}");
    }
    assert!(recording.contains("access_token=••••"), "{recording}");
}

#[test]
fn connect_shows_the_backlog_of_a_flood_and_none_for_a_quiet_server() {
    if !have_tmux() {
        return;
    }
    let quiet = hostile::start(hostile::Behaviour::BadUtf8);
    let cmd = format!("{BIN} connect {} --no-record --no-color", quiet.url());
    let p = Pane::start("quiet", &cmd);
    let s = p.wait_for("● connected");
    assert!(!s.contains("backlog"), "{s}");
    p.keys(&["q"]);
    p.assert_restored();

    let flood = hostile::start(hostile::Behaviour::Flood { frame_len: 256 });
    let cmd = format!("{BIN} connect {} --no-record --no-color", flood.url());
    let p = Pane::start("flood", &cmd);
    p.wait_for("backlog");
    // The screen still answers keys under the flood.
    p.keys(&["q"]);
    p.assert_restored();
}

/// `connect` to a flood, recording into a fresh directory, with `prefix` run first in the
/// pane's shell. Returns the pane, the recording's path and what must outlive the pane.
fn connect_recording(
    tag: &str,
    prefix: &str,
) -> (
    Pane,
    std::path::PathBuf,
    tempfile::TempDir,
    hostile::Hostile,
) {
    let flood = hostile::start(hostile::Behaviour::Flood { frame_len: 256 });
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("rec.jsonl");
    let cmd = format!(
        "{prefix} {BIN} connect {} --record {} --no-color",
        flood.url(),
        file.display()
    );
    (Pane::start(tag, &cmd), file, dir, flood)
}

#[test]
fn connect_says_at_once_that_the_recording_failed_and_ends_non_zero() {
    if !have_tmux() {
        return;
    }
    // Writes past 32 KiB fail (EFBIG): a disk that fills up while the TUI runs.
    let (p, _file, _dir, _server) = connect_recording("full", "trap '' XFSZ; ulimit -f 64;");
    let s = p.wait("the failure on screen", |s| {
        s.contains("✗ NOT RECORDING") && s.contains("failed")
    });
    assert!(s.contains("LIVE"), "shown while it runs:\n{s}");
    p.keys(&["q"]);
    let s = p.assert_restored_with(2);
    assert!(s.contains("rec.jsonl") && s.contains("failed"), "{s}");
}

#[test]
fn connect_with_a_writable_recording_shows_no_failure() {
    if !have_tmux() {
        return;
    }
    let (p, file, _dir, _server) = connect_recording("fine", "");
    p.wait("frames recorded", |_| {
        std::fs::metadata(&file).is_ok_and(|m| m.len() > 1 << 20)
    });
    let s = p.capture();
    assert!(s.contains("LIVE") && !s.contains("NOT RECORDING"), "{s}");
    p.keys(&["q"]);
    p.assert_restored();
}

#[test]
fn the_default_recording_name_never_takes_an_existing_file() {
    if !have_tmux() {
        return;
    }
    const OLD: &str = "an older recording\n";
    let data = tempfile::tempdir().expect("tempdir");
    let folder = data.path().join("orchscope").join("recordings");
    std::fs::create_dir_all(&folder).expect("mkdir");
    // The names of this second and the next few are taken already.
    let now = chrono::Local::now();
    let taken: Vec<_> = (0..4)
        .map(|s| {
            let at = now + chrono::Duration::seconds(s);
            let name = orchscope::core::recording::default_file_name(at, "probe");
            let path = folder.join(name);
            std::fs::write(&path, OLD).expect("write");
            path
        })
        .collect();
    let cmd = format!(
        "XDG_DATA_HOME={} HOSTNAME=probe {BIN} connect ws://127.0.0.1:9/ws --no-reconnect",
        data.path().display()
    );
    let p = Pane::start("dn", &cmd);
    p.wait_for("LIVE");
    p.keys(&["q"]);
    let screen = p.wait("connect to end", |s| s.contains("__DONE__"));
    assert!(!screen.contains("already exists"), "{screen}");
    for path in &taken {
        assert_eq!(std::fs::read_to_string(path).expect("read"), OLD);
    }
    // Nothing was received: the new file it opened beside them is not left behind.
    assert!(screen.contains("no recording left at"), "{screen}");
    let files = std::fs::read_dir(&folder).expect("list").count();
    assert_eq!(files, taken.len(), "{screen}");
}

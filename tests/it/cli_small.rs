//! What a new user meets first, through the real binary: a missing argument names itself and
//! the command's `--help`; `--config` naming a missing or broken file is exit 2 whatever the
//! command; an empty input is "empty file", exit 2; shell completions offer the values of
//! `--format-in`, `--rule`, `--skip`, `--theme` and `--format`; `replay --speed 3` plays at 3×.

use crate::tui_tmux::{have_tmux, Pane};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/netra/era-a-session.jsonl"
);

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("ORCHSCOPE_CONFIG")
        .env_remove("ORCHSCOPE_TOKEN")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_missing_argument_names_itself_and_the_commands_help() {
    for (args, names, help) in [
        (vec!["replay"], "<FILE>", "orchscope replay --help"),
        (vec!["summary"], "<SOURCE>", "orchscope summary --help"),
        (vec!["validate"], "<SOURCE>", "orchscope validate --help"),
        (
            vec!["record", "ws://127.0.0.1:1/ws"],
            "--output <FILE>",
            "orchscope record --help",
        ),
        (vec!["diff", "a.jsonl"], "<B>", "orchscope diff --help"),
    ] {
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains(names), "{args:?} names {names}: {err}");
        assert!(err.contains(&format!("(see {help})")), "{args:?}: {err}");
    }
    // Given its argument, the same command gets past the parser.
    let o = run(&["summary", FIXTURE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_missing_or_broken_config_is_exit_2_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "theme = \n").unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[validators.latency]\nmax_gap_s = 5\n").unwrap();
    let missing = dir.path().join("missing.toml");
    let commands: Vec<Vec<&str>> = vec![
        vec!["summary", FIXTURE],
        vec!["hash", FIXTURE],
        vec!["gen-config"],
        vec!["completions", "bash"],
        vec!["sessions", "--dir", FIXTURE, "--limit", "1"],
        vec!["validate", FIXTURE],
        vec!["diff", FIXTURE, FIXTURE],
        vec!["export", FIXTURE, "--otlp", "http://127.0.0.1:1"],
        vec![
            "record",
            "ws://127.0.0.1:1/ws",
            "-o",
            "/nonexistent/x.jsonl",
        ],
        vec!["serve", "--addr", "127.0.0.1:1"],
        vec!["replay", FIXTURE],
        vec!["connect", "ws://127.0.0.1:1/ws"],
        vec!["demo"],
    ];
    for cmd in &commands {
        for (config, says) in [(&missing, "cannot read config"), (&broken, "config error")] {
            let mut args = vec!["--config", config.to_str().unwrap()];
            args.extend(cmd);
            let o = run(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{cmd:?} {config:?}: {err}");
            assert!(err.contains(says), "{cmd:?} {config:?}: {err}");
        }
    }
    // A good config changes nothing for a command that does not use it.
    let o = run(&["--config", good.to_str().unwrap(), "hash", FIXTURE]);
    assert!(!stderr(&o).contains("config"), "{}", stderr(&o));
    let o = run(&["--config", good.to_str().unwrap(), "gen-config"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn an_empty_file_is_said_to_be_empty() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let blank = dir.path().join("blank.json");
    std::fs::write(&blank, "\n  \n").unwrap();
    let (e, b) = (empty.to_str().unwrap(), blank.to_str().unwrap());
    for args in [
        vec!["validate", e],
        vec!["summary", e],
        vec!["hash", e],
        vec!["hash", b],
        vec!["diff", e, FIXTURE],
    ] {
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("empty file"), "{args:?}: {err}");
    }
    // A file with a value is not empty.
    std::fs::write(&blank, "{}").unwrap();
    assert_eq!(run(&["hash", b]).status.code(), Some(0));
}

#[test]
fn latency_flags_without_a_comparison_are_a_mistake() {
    for flag in ["--latency-threshold", "--latency-min"] {
        let o = run(&["replay", FIXTURE, flag, "5"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{flag}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("need --against"), "{err}");
    }
    // `diff` compares by itself: the flags are taken there.
    let o = run(&["diff", FIXTURE, FIXTURE, "--latency-min", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn completions_offer_the_values_of_each_list() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        for value in [
            "claude-code",       // --format-in
            "openai-agents",     // --format-in
            "context-integrity", // --rule / --skip
            "stream-health",     // --rule / --skip
            "high-contrast",     // --theme
            "junit",             // --format
        ] {
            assert!(script.contains(value), "{shell} lacks {value}");
        }
    }
    // Offering theme names does not stop a path from being a theme.
    let o = run(&["--theme", "/nonexistent/theme.toml", "summary", FIXTURE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn replay_plays_at_the_speed_given_between_steps() {
    if !have_tmux() {
        return;
    }
    let p = Pane::start(
        "speed3",
        &format!("{BIN} replay --speed 3 --paused --no-color {FIXTURE}"),
    );
    let s = p.wait_for("REPLAY");
    assert!(s.contains(" 3× "), "the header shows 3×:\n{s}");
    p.keys(&["+"]);
    p.wait_for(" 4× ");
    p.keys(&["q"]);
}

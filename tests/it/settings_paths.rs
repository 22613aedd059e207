//! One definition of each setting, through the real binary: the same threshold value is
//! accepted or refused alike by the config file, `validate --set` and the inspector's `:rule`
//! (under tmux; skipped with a notice when tmux is not installed).

use crate::tui_tmux::{have_tmux, Pane};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/netra/era-a-session.jsonl"
);

/// (rule, key, value as written in TOML and on a command line, accepted).
const CASES: &[(&str, &str, &str, bool)] = &[
    ("latency", "complex_max_s", "-1", false),
    ("error-recovery", "min_recovery_rate", "1.5", false),
    ("latency", "max_gap_s", "nan", false),
    ("concurrency", "min_success_rate", "inf", false),
    ("latency", "complex_max_s", "20", true),
    ("error-recovery", "min_recovery_rate", "1", true),
];

fn validate(args: &[&str], config: &std::path::Path) -> Output {
    Command::new(BIN)
        .args(["validate", FIXTURE])
        .args(args)
        .env("ORCHSCOPE_CONFIG", config)
        .output()
        .expect("run orchscope")
}

/// Exit 2 with one line naming the setting, or a verdict (0 or 1).
fn refused(o: &Output, name: &str) -> bool {
    let stderr = String::from_utf8_lossy(&o.stderr);
    match o.status.code() {
        Some(2) => {
            assert!(
                stderr.contains(name) && stderr.contains("needs"),
                "{stderr}"
            );
            assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
            true
        }
        Some(0 | 1) => false,
        other => panic!("exit {other:?}: {stderr}"),
    }
}

#[test]
fn the_config_file_and_set_accept_and_refuse_the_same_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    for &(rule, key, value, accepted) in CASES {
        let name = format!("{rule}.{key}");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, format!("[validators.{rule}]\n{key} = {value}\n")).expect("write");
        let by_file = validate(&[], &file);
        assert_eq!(
            !refused(&by_file, &name),
            accepted,
            "config file: {name} = {value}"
        );
        if !accepted {
            let stderr = String::from_utf8_lossy(&by_file.stderr);
            assert!(stderr.contains("line 2"), "{stderr}");
        }
        let set = format!("{name}={value}");
        let by_flag = validate(&["--set", &set], &empty);
        assert_eq!(!refused(&by_flag, &name), accepted, "--set {set}");
    }
}

#[test]
fn the_inspector_rule_command_accepts_and_refuses_the_same_values() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    let cmd = format!(
        "ORCHSCOPE_CONFIG={} {BIN} replay --paused --no-color {FIXTURE}",
        empty.display()
    );
    let pane = Pane::start("settings", &cmd);
    pane.wait_for("REPLAY");
    for &(rule, key, value, accepted) in CASES {
        let name = format!("{rule}.{key}");
        pane.keys(&[":"]);
        pane.keys(&["-l", &format!("rule {name} {value}")]);
        pane.keys(&["Enter"]);
        let expected = if accepted {
            format!("{name} {value}: recomputing rules")
        } else {
            format!("{name} needs")
        };
        pane.wait_for(&expected);
    }
    pane.keys(&["q"]);
}

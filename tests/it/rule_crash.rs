//! A rule that panics is reported as crashed, with its message, and the program goes on: the
//! other rules still judge, the exit code is a failure's (1), not a panic's (101). The panic
//! is caused on purpose with `ORCHSCOPE_TEST_PANIC=rule:ID`.

use std::process::Command;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/netra/era-a-session.jsonl"
);

fn validate(panic: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orchscope"));
    cmd.args(["validate", FIXTURE]);
    cmd.env_remove("ORCHSCOPE_TEST_PANIC");
    if let Some(p) = panic {
        cmd.env("ORCHSCOPE_TEST_PANIC", p);
    }
    let out = cmd.output().expect("run orchscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_panicking_rule_is_crashed_and_validate_goes_on() {
    let (code, out, err) = validate(Some("rule:latency"));
    assert_eq!(code, 1, "{out}{err}");
    let latency = out.lines().find(|l| l.contains("latency  "));
    assert!(
        latency.is_some_and(|l| l.contains("fail") && l.contains("crashed: test panic (rule latency)")),
        "{out}"
    );
    assert!(!err.contains("internal error"), "{err}");
    // The other rules judged as they do without the panic.
    assert!(
        out.contains("✓ required-events    pass") && out.contains("⚠ lifecycle"),
        "{out}"
    );
}

#[test]
fn without_the_panic_no_rule_is_crashed() {
    let (code, out, _) = validate(None);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("crashed"), "{out}");
    // A switch naming no rule changes nothing.
    let (code, named_nothing, _) = validate(Some("rule:no-such-rule"));
    assert_eq!((code, named_nothing), (0, out));
}

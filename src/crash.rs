//! What a panic does, in every command: one escaped line on stderr (`orchscope: internal error:
//! … at file:line`), the backtrace only when `RUST_BACKTRACE` asks for it, and the end of the
//! program with Rust's panic status, even when the panic was on a worker thread. The TUI adds
//! restoring the terminal first. The one exception is a panic inside [`catching`] (a rule, in
//! [`rules`]): it becomes that rule's "crashed" verdict and the program goes on.

use crate::core::validate::{self, Input, RuleResult, Status, RULES};
use std::cell::{Cell, RefCell};
use std::panic::PanicHookInfo;
use std::sync::OnceLock;

thread_local! {
    /// A [`catching`] call is under way on this thread.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message of the panic it caught.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

type PanicHook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The exit code after a panic: Rust's own.
pub const PANIC_STATUS: i32 = 101;

/// Installs the hook; `before` runs first (the TUI restores the terminal there) and `after` is
/// added to the line (e.g. "the terminal was restored").
pub fn install(before: fn(), after: &'static str) {
    // Rust's own hook, taken once: installing again (the TUI) replaces ours, never nests it.
    static DEFAULT: OnceLock<PanicHook> = OnceLock::new();
    let previous = DEFAULT.get_or_init(std::panic::take_hook);
    std::panic::set_hook(Box::new(move |info| {
        let msg = message(info);
        if CATCHING.get() {
            CAUGHT.set(Some(msg));
            return;
        }
        before();
        let at = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        crate::console::note(&format!("internal error: {msg}{at}{after}"));
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            previous(info);
        }
        std::process::exit(PANIC_STATUS);
    }));
}

/// The panic's message (`unknown` when it is not text).
fn message(info: &PanicHookInfo<'_>) -> String {
    info.payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

/// Runs `f`; a panic in it is caught and returned as its message instead of ending the
/// program.
pub fn catching<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    let was = CATCHING.replace(true);
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.set(was);
    run.map_err(|payload| {
        CAUGHT.take().unwrap_or_else(|| {
            // No hook of ours saw it (tests): the payload says what it was.
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into())
        })
    })
}

/// Every rule of the table on `input`, each on its own behind [`catching`]: a rule that panics
/// is reported as crashed (a failure whose reason is `crashed: MESSAGE`) and the others still
/// judge.
pub fn rules(input: &Input, config: &validate::Config) -> Vec<RuleResult> {
    RULES
        .iter()
        .map(|rule| {
            // The core's own run, with every other rule switched off.
            let mut only = config.clone();
            for other in RULES.iter().filter(|o| o.id != rule.id) {
                let mut rc = only.rule(other.id);
                rc.enabled = false;
                only.set_rule(other.id, rc);
            }
            let judged = catching(|| {
                test_panic_in_rule(rule.id);
                validate::run(input, &only)
                    .into_iter()
                    .find(|r| r.id == rule.id)
            });
            match judged {
                Ok(Some(result)) => result,
                Ok(None) => crashed(rule.id, "no verdict".into()),
                Err(msg) => crashed(rule.id, msg),
            }
        })
        .collect()
}

fn crashed(id: &'static str, msg: String) -> RuleResult {
    RuleResult {
        id,
        status: Status::Fail,
        reason: Some(format!("{CRASHED}{msg}")),
        findings: Vec::new(),
    }
}

/// How the reason of a crashed rule starts.
pub const CRASHED: &str = "crashed: ";

/// Test-only and documented: with `ORCHSCOPE_TEST_PANIC=command` every command panics on
/// purpose once its arguments are read; `=main` (or `=worker`) makes the TUI panic after its
/// first frame, on the main loop (or on a runtime worker); `=rule:ID` makes rule ID panic
/// each time it judges (its verdict is "crashed", the program goes on). Any other value, or
/// none, does nothing; nobody sets a variable of this name by accident.
pub const TEST_PANIC: &str = "ORCHSCOPE_TEST_PANIC";

/// Panics if [`TEST_PANIC`] says `command`.
pub fn test_panic_in_command() {
    if std::env::var(TEST_PANIC).as_deref() == Ok("command") {
        panic!("test panic (command)");
    }
}

/// Panics if [`TEST_PANIC`] names rule `id`.
fn test_panic_in_rule(id: &str) {
    if let Ok(v) = std::env::var(TEST_PANIC) {
        if v.strip_prefix("rule:") == Some(id) {
            panic!("test panic (rule {id})");
        }
    }
}

//! What a panic does, in every command: one escaped line on stderr (`orchscope: internal error:
//! … at file:line`), the backtrace only when `RUST_BACKTRACE` asks for it, and the end of the
//! program with Rust's panic status, even when the panic was on a worker thread. The TUI adds
//! restoring the terminal first.

use std::panic::PanicHookInfo;
use std::sync::OnceLock;

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
        before();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
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

/// Test-only and documented: with `ORCHSCOPE_TEST_PANIC=command` every command panics on
/// purpose once its arguments are read; `=main` (or `=worker`) makes the TUI panic after its
/// first frame, on the main loop (or on a runtime worker). Any other value, or none, does
/// nothing; nobody sets a variable of this name by accident.
pub const TEST_PANIC: &str = "ORCHSCOPE_TEST_PANIC";

/// Panics if [`TEST_PANIC`] says `command`.
pub fn test_panic_in_command() {
    if std::env::var(TEST_PANIC).as_deref() == Ok("command") {
        panic!("test panic (command)");
    }
}

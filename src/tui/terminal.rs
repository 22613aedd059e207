//! The terminal's lifecycle: raw mode, alternate screen, mouse and bracketed paste on entry;
//! all of it undone on quit, on Ctrl-C (a key in raw mode), on SIGTERM/SIGHUP/SIGQUIT (the
//! runner listens) and on panic (a hook that restores first, prints one line and ends the
//! program with code 101, Rust's panic status, even when the panic was on a worker thread
//! whose runtime would have carried on). [`crate::crash::TEST_PANIC`] is the one way to cause a panic on
//! purpose, for the test that checks this.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The inspector draws on stdout and reads keys from stdin, or from the controlling terminal
/// when stdin is a pipe (`cat file | orchscope replay -`). Without a terminal (a CI job, a pipe
/// into `less`) the error says so and names the command that does the same work without one.
pub fn require(command: &str, instead: &str) -> Result<(), String> {
    use std::io::IsTerminal as _;
    let keys = || {
        io::stdin().is_terminal()
            || std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .is_ok()
    };
    if io::stdout().is_terminal() && keys() {
        return Ok(());
    }
    Err(format!(
        "{command} needs a terminal to draw on and read keys from; without one, use {instead}"
    ))
}

/// Enters the TUI screen and installs the panic hook.
pub fn setup() -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Leaves the TUI screen; safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

fn install_panic_hook() {
    crate::crash::install(restore, " (the terminal was restored)");
}

/// Panics where [`TEST_PANIC`] says, if it says anything, the first time it is called.
pub fn test_panic_once() {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    match std::env::var(crate::crash::TEST_PANIC).as_deref() {
        Ok("main") => panic!("test panic (main)"),
        Ok("worker") => {
            tokio::spawn(async { panic!("test panic (worker)") });
        }
        _ => {}
    }
}

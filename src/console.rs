//! The process's own standard output and standard error, as every command writes them. Output
//! is written with fallible writes: a closed pipe (`orchscope summary big.jsonl | head -1`) is
//! a normal end, not a panic — nothing more is written and the command ends with the status it
//! would have had, like ripgrep and git. Every stderr line goes through the one escaping
//! function, so a server's close reason or a file name quoted in an error never reaches the
//! terminal raw (quality S2), and a stderr that cannot be written is never fatal.

use crate::core::escape::escape;
use std::io::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output turned out to be a closed pipe.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output as it is (callers escape what came from input). A closed
/// pipe is a normal end: this and every later write do nothing (see [`stdout_closed`]). Any
/// other failure (a full disk under `> file`) is a one-line error for the caller to report.
pub fn out(text: &str) -> Result<(), String> {
    if stdout_closed() {
        return Ok(());
    }
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

/// [`out`] of `text` and a newline.
pub fn out_line(text: &str) -> Result<(), String> {
    out(&format!("{text}\n"))
}

/// Whether standard output was found closed; long producers of output stop early.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// One line on standard error, `orchscope: ` first and `line` escaped (a newline in it is shown
/// as `⏎`, so it stays one line). Nothing happens when standard error cannot be written.
pub fn note(line: &str) {
    let text = format!("orchscope: {}\n", escape(line, true));
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

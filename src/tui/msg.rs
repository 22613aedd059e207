//! What drives the app: terminal input, source messages, the clock tick (which carries the
//! time, so the app never reads a clock itself) and the outcomes of what it asked for; and
//! what the app asks of the outside world in return ([`Effect`]), which the runner performs.
//! `update` does no I/O: every file, socket, clipboard and worker goes through here.

use super::theme::Theme;
use super::verdicts::{Job, Verdicts};
use crate::source::websocket::SourceMsg;
use crossterm::event::{KeyEvent, MouseEvent};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Paste(String),
    Source(SourceMsg),
    /// The app clock, ms since start.
    Tick(f64),
    /// Source messages waiting in the channel (the header shows them).
    Backlog(usize),
    /// A validation job finished.
    Verdicts(Verdicts),
    /// What was loaded was written to this file.
    Saved(PathBuf),
    /// A write failed: what to tell the user.
    WriteFailed(String),
    /// A theme asked for by name was read (or why not).
    ThemeLoaded(Result<Theme, String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a text frame on the live link.
    Send(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Write what is loaded as a recording, doing what it says if the file exists.
    Save(PathBuf, crate::core::recording::Existing),
    /// Add a marker to the recording being written (the log has it already).
    Mark {
        t: f64,
        text: String,
    },
    /// Append a bookmark, note or deletion on frame `at` to the recording being written or
    /// replayed (the log has it already).
    Anchor {
        t: f64,
        at: u32,
        what: crate::core::bookmarks::Anchored,
    },
    /// Read a theme: a built-in name, a file, or one in the config dir.
    LoadTheme(String),
    /// Run a validation job on a worker.
    Validate(Box<Job>),
    Quit,
}

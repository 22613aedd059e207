//! What drives the app: terminal input, source messages and the clock tick (which carries the
//! time, so the app never reads a clock itself), and what the app asks of the outside world in
//! return ([`Effect`]), which the runner performs.

use super::verdicts::Verdicts;
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
    /// A validation job finished.
    Verdicts(Verdicts),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a text frame on the live link.
    Send(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Write what is loaded as a recording, doing what it says if the file exists.
    Save(PathBuf, crate::core::recording::Existing),
    Quit,
}

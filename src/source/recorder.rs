//! The recording of a live session, shared by the task that reads the socket and the screen.
//! The reading task writes every frame and link change the moment it has it, before handing it
//! on, so the file is never behind the socket (a `kill -9` loses at most what one socket read
//! held) and a slow screen cannot hold frames that the file lacks. The screen adds user marks
//! through the same handle. The first write that fails ends the recording and is kept for
//! anyone to show at once.

use super::message::{Report, SourceMsg};
use crate::core::link::Dir;
use crate::core::mark::demo_mark;
use crate::core::recording::{Existing, Header, Writer};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

struct State {
    writer: Option<Writer>,
    error: Option<String>,
}

/// A handle on one recording file; clones share it.
#[derive(Clone)]
pub struct Recorder {
    state: Arc<Mutex<State>>,
    path: Arc<PathBuf>,
    /// The file was made by this recording (not one appended to).
    fresh: bool,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.path)
            .finish()
    }
}

impl Recorder {
    /// Opens the recording at `path` (doing `existing` if a file is there) and writes its header.
    pub fn open(path: &Path, header: &Header, existing: Existing) -> io::Result<Recorder> {
        let fresh = existing != Existing::Append || std::fs::symlink_metadata(path).is_err();
        let writer = Writer::open(path, header, existing)?;
        Ok(Recorder {
            state: Arc::new(Mutex::new(State {
                writer: Some(writer),
                error: None,
            })),
            path: Arc::new(path.to_owned()),
            fresh,
        })
    }

    /// Stops recording and removes the file, if this recording made it; true when removed.
    /// For a session that never had a frame: no file with nothing in it is left behind.
    pub fn discard(&self) -> bool {
        let mut state = self.lock();
        state.writer = None;
        self.fresh && std::fs::remove_file(&*self.path).is_ok()
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves a writer that is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why the recording stopped, if a write failed.
    pub fn error(&self) -> Option<String> {
        self.lock().error.clone()
    }

    fn write(&self, f: impl FnOnce(&mut Writer) -> io::Result<()>) {
        let mut state = self.lock();
        if let Some(w) = state.writer.as_mut() {
            if let Err(e) = f(w) {
                state.error = Some(format!("recording to {} failed: {e}", self.path.display()));
                state.writer = None;
            }
        }
    }

    /// Writes what one source message adds to the recording (a demo server's mark after its
    /// frame, a give-up as a `gave_up` line); round-trip times and connection attempts are not
    /// recorded.
    pub fn record(&self, msg: &SourceMsg) {
        match msg {
            SourceMsg::Frame { t, dir, text } => {
                self.write(|w| w.frame_text(*t, *dir, text));
                if *dir == Dir::In {
                    if let Some(mark) = demo_mark(text) {
                        self.write(|w| w.mark(*t, &mark));
                    }
                }
            }
            SourceMsg::Binary {
                t,
                dir,
                bytes,
                invalid_utf8: None,
            } => self.write(|w| w.frame_binary(*t, *dir, bytes)),
            SourceMsg::Binary {
                t,
                dir,
                bytes,
                invalid_utf8: Some(at),
            } => self.write(|w| w.frame_invalid_text(*t, *dir, bytes, *at)),
            SourceMsg::Link {
                t,
                state,
                reason,
                size,
            } => self.write(|w| w.link(*t, *state, reason.as_deref(), *size)),
            SourceMsg::Receiver {
                t,
                report: Report::Dropped { spans, reason },
            } => self.write(|w| w.dropped(*t, *spans, reason)),
            SourceMsg::Receiver {
                t,
                report: Report::Mark(text),
            } => self.write(|w| w.mark(*t, text)),
            SourceMsg::Rtt { .. } | SourceMsg::Receiver { .. } => {}
        }
    }

    /// Writes a user marker.
    pub fn mark(&self, t: f64, text: &str) {
        self.write(|w| w.mark(t, text));
    }

    /// Writes a bookmark, note or deletion on frame `at`.
    pub fn anchored(&self, t: f64, at: u32, what: &crate::core::bookmarks::Anchored) {
        self.write(|w| w.anchored(t, at, what));
    }
}

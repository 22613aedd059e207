//! Where live messages land: every frame in and out, every link change, into the log (and the
//! session derived from it). The recording file is written earlier, by the task that reads the
//! socket (see `recorder`); the sink holds the same recorder to add user marks and to tell
//! whether the recording failed. The demo server's `demo_mark` announcements become marks.

use super::message::{Holding, Report};
use super::recorder::Recorder;
use super::websocket::SourceMsg;
use crate::core::link::LinkState;
use crate::core::log::{Entry, Keep, Log};
use crate::core::mark::demo_mark;
use crate::core::recording::{Existing, Header};
use crate::core::session::StreamIssue;
use std::io;
use std::path::Path;

/// The log and, optionally, the recording of one live session.
pub struct Sink {
    pub log: Log,
    recorder: Option<Recorder>,
    /// Frames received from the server.
    pub frames_in: usize,
    /// Last measured ping round-trip, ms.
    pub rtt_ms: Option<f64>,
    /// Seconds (source clock) of the last frame received.
    pub last_in: Option<f64>,
    /// Why the link last went down or the source gave up (redacted by the source).
    pub link_reason: Option<String>,
    /// The link's last state (a connection attempt at first).
    pub link: LinkState,
    /// What a live receiver holds while its traces are open (none for a WebSocket).
    pub held: Option<Holding>,
    /// The format the first frame was imported from (a followed file's, a WebSocket's with
    /// `--format-in`): `Some(None)` once a first frame showed none.
    pub foreign: Option<Option<crate::core::import::Format>>,
    /// Events a foreign input's importer holds until their invocation ends.
    pub pending: usize,
}

impl Sink {
    /// A sink keeping `keep`, recording to `record` when given (a new file).
    pub fn new(keep: Keep, record: Option<(&Path, Header)>) -> io::Result<Sink> {
        match record {
            Some((path, header)) => Sink::recording_to(keep, path, &header, Existing::Refuse),
            None => Ok(Sink::in_memory(keep)),
        }
    }

    /// A sink keeping `keep` and recording to `path`, doing `existing` if it is there.
    pub fn recording_to(
        keep: Keep,
        path: &Path,
        header: &Header,
        existing: Existing,
    ) -> io::Result<Sink> {
        Ok(Sink {
            recorder: Some(Recorder::open(path, header, existing)?),
            ..Sink::in_memory(keep)
        })
    }

    /// A sink that only keeps the log (no recording, so nothing can fail).
    pub fn in_memory(keep: Keep) -> Sink {
        Sink {
            log: Log::new(keep),
            recorder: None,
            frames_in: 0,
            rtt_ms: None,
            last_in: None,
            link_reason: None,
            link: LinkState::Connecting,
            held: None,
            foreign: None,
            pending: 0,
        }
    }

    /// The recording's path, if recording.
    pub fn recording(&self) -> Option<&Path> {
        self.recorder.as_ref().map(Recorder::path)
    }

    /// The recorder the source writes through (the same file, shared).
    pub fn recorder(&self) -> Option<Recorder> {
        self.recorder.clone()
    }

    /// Why the recording stopped, if a write failed (the session goes on without it).
    pub fn write_error(&self) -> Option<String> {
        self.recorder.as_ref().and_then(Recorder::error)
    }

    /// Takes one message from the source (already recorded by the source's recorder).
    pub fn accept(&mut self, msg: SourceMsg) {
        match msg {
            SourceMsg::Frame { t, dir, text } => {
                if self.foreign.is_none() {
                    self.foreign = Some(crate::core::import::foreign_format(&text));
                }
                if dir == crate::core::link::Dir::In {
                    self.frames_in += 1;
                    self.last_in = Some(t);
                    if let Some(mark) = demo_mark(&text) {
                        self.log.push_frame(Some(t), dir, &text);
                        self.log.push(Entry::mark(Some(t), mark));
                        return;
                    }
                }
                self.log.push_frame(Some(t), dir, &text);
            }
            SourceMsg::Binary {
                t,
                dir,
                bytes,
                invalid_utf8,
            } => {
                if dir == crate::core::link::Dir::In {
                    self.frames_in += 1;
                    self.last_in = Some(t);
                }
                self.log.push(Entry::Bytes {
                    t: Some(t),
                    dir,
                    bytes: &bytes,
                    invalid_utf8,
                });
            }
            SourceMsg::Link {
                t,
                state,
                reason,
                size,
            } => {
                if reason.is_some() {
                    self.link_reason.clone_from(&reason);
                }
                self.link = state;
                // A give-up is an entry like any change, so everything derived from the log
                // sees it at once; a connection attempt is the source's alone.
                if state.is_recorded() {
                    self.log.push_link(Some(t), state, reason, size);
                }
            }
            SourceMsg::Rtt { ms, .. } => self.rtt_ms = Some(ms),
            SourceMsg::Receiver { t, report } => self.receiver(t, report),
        }
    }

    /// Removes the recording when no frame went either way (a connection that never worked
    /// leaves no file); true when it did.
    pub fn discard_if_unused(&self) -> bool {
        self.log.frames() == 0 && self.recorder.as_ref().is_some_and(Recorder::discard)
    }

    /// A live receiver's report: what it holds is shown, what it lost or got late is noted.
    fn receiver(&mut self, t: f64, report: Report) {
        let issue = match report {
            Report::Mark(text) => return self.log.push(Entry::mark(Some(t), text)),
            Report::Held(held) => return self.held = Some(held),
            Report::Pending(n) => return self.pending = n,
            Report::Dropped { spans, reason } => StreamIssue::Dropped { spans, reason },
            Report::Late { spans } => StreamIssue::Late { spans },
            Report::Problem(message) => StreamIssue::Import { line: 0, message },
        };
        self.log.push(Entry::note(issue));
    }

    /// Adds a user marker (recorded).
    pub fn mark(&mut self, t: f64, text: &str) {
        if let Some(r) = &self.recorder {
            r.mark(t, text);
        }
        self.log.push(Entry::mark(Some(t), text.to_string()));
    }
}

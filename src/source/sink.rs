//! Where live messages land: every frame in and out, every link change, into the log (and the
//! session derived from it) and, when recording, into the recording file, in the same order.
//! The demo server's `demo_mark` announcements also become recording marks.

use super::websocket::{LinkEvent, SourceMsg};
use crate::core::link::LinkState;
use crate::core::log::{Keep, Log};
use crate::core::recording::{Existing, Header, Writer};
use std::io;
use std::path::Path;

/// The log and, optionally, the recording of one live session.
pub struct Sink {
    pub log: Log,
    writer: Option<Writer>,
    /// Frames received from the server.
    pub frames_in: usize,
    /// Last measured ping round-trip, ms.
    pub rtt_ms: Option<f64>,
    /// Seconds (source clock) of the last frame received.
    pub last_in: Option<f64>,
    /// The recording failed; the session goes on without it.
    pub write_error: Option<String>,
    /// Why the link last went down or the source gave up (redacted by the source).
    pub link_reason: Option<String>,
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
        let mut sink = Sink::in_memory(keep);
        sink.writer = Some(Writer::open(path, header, existing)?);
        Ok(sink)
    }

    /// A sink that only keeps the log (no recording, so nothing can fail).
    pub fn in_memory(keep: Keep) -> Sink {
        Sink {
            log: Log::new(keep),
            writer: None,
            frames_in: 0,
            rtt_ms: None,
            last_in: None,
            write_error: None,
            link_reason: None,
        }
    }

    /// The recording's path, if recording.
    pub fn recording(&self) -> Option<&Path> {
        self.writer.as_ref().map(Writer::path)
    }

    fn write(&mut self, f: impl FnOnce(&mut Writer) -> io::Result<()>) {
        if let Some(w) = self.writer.as_mut() {
            if let Err(e) = f(w) {
                self.write_error = Some(format!("recording to {} failed: {e}", w.path().display()));
                self.writer = None;
            }
        }
    }

    /// Takes one message from the source.
    pub fn accept(&mut self, msg: SourceMsg) {
        match msg {
            SourceMsg::Frame { t, dir, text } => {
                self.write(|w| w.frame_text(t, dir, &text));
                if dir == crate::core::link::Dir::In {
                    self.frames_in += 1;
                    self.last_in = Some(t);
                    if let Some(mark) = demo_mark(&text) {
                        self.write(|w| w.mark(t, &mark));
                        self.log.push_frame(Some(t), dir, &text);
                        self.log.push_mark(Some(t), mark);
                        return;
                    }
                }
                self.log.push_frame(Some(t), dir, &text);
            }
            SourceMsg::Binary { t, dir, bytes } => {
                self.write(|w| w.frame_binary(t, dir, &bytes));
                if dir == crate::core::link::Dir::In {
                    self.frames_in += 1;
                    self.last_in = Some(t);
                }
                self.log.push_binary(Some(t), dir, &bytes);
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
                let state = match state {
                    LinkEvent::Connected => LinkState::Connected,
                    LinkEvent::Disconnected => LinkState::Disconnected,
                    LinkEvent::Reconnecting { .. } => LinkState::Reconnecting,
                    LinkEvent::Oversize => LinkState::Oversize,
                    LinkEvent::Connecting | LinkEvent::GaveUp => return,
                };
                self.write(|w| w.link(t, state, reason.as_deref(), size));
                self.log.push_link(Some(t), state, reason, size);
            }
            SourceMsg::Rtt { ms, .. } => self.rtt_ms = Some(ms),
        }
    }

    /// Adds a user marker (recorded).
    pub fn mark(&mut self, t: f64, text: &str) {
        self.write(|w| w.mark(t, text));
        self.log.push_mark(Some(t), text.to_string());
    }
}

/// The text of a demo server's `{"type":"system_message","data":{"event":"demo_mark","text":…}}`.
pub fn demo_mark(text: &str) -> Option<String> {
    if !text.contains("demo_mark") {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Frame {
        data: Option<Data>,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        event: Option<String>,
        text: Option<String>,
    }
    let f: Frame = serde_json::from_str(text).ok()?;
    let d = f.data?;
    (d.event.as_deref() == Some("demo_mark")).then(|| d.text.unwrap_or_default())
}

//! Headless live capture, shared by `record` and `validate URL`: connect (or listen, for an OTLP receiver), send each message
//! as its own turn (paced as the inspector paces them, see `pacing`), and stop when every owned run has completed and the link has been idle long
//! enough, at the time-out, or on Ctrl-C — always leaving a valid recording. The time-out and
//! the decisions to send come before the source's messages, so a flood cannot starve them.

use super::budget::{self, Budget};
use super::pacing::Pacing;
use super::sink::Sink;
use super::spec::Spec;
use super::websocket::{Command, SourceMsg};
use crate::console::note;
use crate::core::link::LinkState;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What to capture and when to stop.
pub struct CaptureOptions {
    pub source: Spec,
    pub sends: Vec<String>,
    pub until_idle: Duration,
    pub timeout: Option<Duration>,
    /// Print progress on stderr.
    pub progress: bool,
}

/// Why capture stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every run completed and the link was idle.
    Done,
    /// A followed pipe or file ended.
    Ended,
    Timeout,
    Interrupted,
    /// The source gave up (no reconnect, or a configuration that can never work).
    GaveUp,
    /// Writing the recording failed (disk full, file gone): nothing more can be kept.
    WriteFailed,
}

/// Messages the source may have handed on and this loop not yet taken. Small: the recording is
/// written by the source itself, so this only bounds how far the session may lag behind.
const BACKLOG: usize = 256;

/// Runs a capture into `sink` until it should stop.
pub async fn capture(mut opts: CaptureOptions, sink: &mut Sink) -> Stop {
    let (tx, mut rx) = mpsc::channel::<SourceMsg>(BACKLOG);
    let (cmd_tx, cmd_rx) = mpsc::channel::<Command>(64);
    let url = opts.source.shown_url();
    let budget = Budget::new(budget::DEFAULT_BYTES);
    opts.source.attach(sink.recorder(), budget.clone());
    let receiving = !opts.source.can_send();
    let follows = matches!(opts.source, Spec::Follow(_));
    let client = opts.source.spawn(tx, cmd_rx);
    let deadline = opts.timeout.map(|t| tokio::time::Instant::now() + t);
    let mut turns = Turns {
        pacing: Pacing::new(opts.sends, false),
        connected_once: false,
        last_activity: Instant::now(),
        until_idle: opts.until_idle,
        receiving,
        follows,
    };
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let stop = loop {
        tokio::select! {
            biased;
            _ = &mut ctrl_c => break Stop::Interrupted,
            _ = tokio::time::sleep_until(deadline.unwrap_or_else(tokio::time::Instant::now)),
                if deadline.is_some() => break Stop::Timeout,
            _ = tick.tick() => {
                if let Some(stop) = turns.step(sink, &cmd_tx).await {
                    break stop;
                }
            }
            msg = rx.recv() => {
                let Some(msg) = msg else { break Stop::GaveUp };
                budget.give_back(&msg);
                if let SourceMsg::Link { state, reason, .. } = &msg {
                    if opts.progress {
                        report_link(&url, *state, reason.as_deref());
                    }
                    match state {
                        LinkState::Connected => turns.connected_once = true,
                        // A followed pipe or file that ended: nothing more will come.
                        LinkState::Disconnected if receiving => {
                            sink.accept(msg);
                            break Stop::Ended;
                        }
                        LinkState::GaveUp => {
                            sink.accept(msg);
                            break Stop::GaveUp;
                        }
                        _ => {}
                    }
                }
                let held = matches!(msg, SourceMsg::Receiver { .. });
                if held || matches!(msg, SourceMsg::Frame { dir: crate::core::link::Dir::In, .. }) {
                    turns.last_activity = Instant::now();
                }
                sink.accept(msg);
            }
        }
    };
    let _ = cmd_tx.send(Command::Shutdown).await;
    // Take what is still in flight, so nothing received is lost.
    let drain = async {
        while let Some(msg) = rx.recv().await {
            budget.give_back(&msg);
            sink.accept(msg);
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
    client.abort();
    sink.log.finish();
    if opts.progress {
        report_stop(sink, stop);
    }
    stop
}

/// The last progress line: what was received and why capture stopped.
fn report_stop(sink: &Sink, stop: Stop) {
    note(&format!(
        "{} received · {} · stopped: {}",
        crate::core::plural::count(sink.frames_in, "frame"),
        crate::core::plural::count(sink.log.session().runs.len(), "run"),
        match stop {
            Stop::Done => "all runs completed and the link was idle",
            Stop::Ended => "the input ended",
            Stop::Timeout => "time-out",
            Stop::Interrupted => "interrupted",
            Stop::GaveUp => "the connection could not be kept",
            Stop::WriteFailed => "the recording could not be written",
        }
    ));
}

/// The sending of turns and the decision to stop, taken on each tick.
struct Turns {
    pacing: Pacing,
    connected_once: bool,
    last_activity: Instant,
    until_idle: Duration,
    /// A receiver: done only once something came and nothing is held.
    receiving: bool,
    /// A followed file: done once something came and it stopped growing (what it left open
    /// is closed as at the end of a file).
    follows: bool,
}

impl Turns {
    /// Sends the next turn when the previous one's runs completed; says when to stop.
    async fn step(&mut self, sink: &Sink, cmd_tx: &mpsc::Sender<Command>) -> Option<Stop> {
        if sink.write_error().is_some() {
            return Some(Stop::WriteFailed);
        }
        if !self.connected_once {
            return None;
        }
        let session = sink.log.session();
        // Sent while offline, a message waits in the client until it reconnects.
        if let Some(frame) = self.pacing.due(session, &sink.log.interner, true) {
            if cmd_tx.send(Command::Send(frame)).await.is_err() {
                return Some(Stop::GaveUp);
            }
            self.last_activity = Instant::now();
            return None;
        }
        if !self.pacing.is_empty() || !self.pacing.turn_done(session) {
            return None;
        }
        if self.receiving {
            // A receiver shows a trace once it completes: idle with traces still open, it
            // stops, and they are shown as they are.
            let held = sink.held.as_ref().is_some_and(|h| h.totals.spans > 0);
            if held {
                return (self.last_activity.elapsed() >= self.until_idle).then_some(Stop::Done);
            }
            if sink.frames_in == 0 {
                return None;
            }
            if self.follows {
                return (self.last_activity.elapsed() >= self.until_idle).then_some(Stop::Done);
            }
        }
        let all_closed = session.open_runs().is_empty();
        (all_closed && self.last_activity.elapsed() >= self.until_idle).then_some(Stop::Done)
    }
}

/// A change of the link as one stderr line; the server's close reason in it is escaped there.
fn report_link(url: &str, state: LinkState, reason: Option<&str>) {
    let because = reason.map(|r| format!(": {r}")).unwrap_or_default();
    match state {
        LinkState::Connected => match reason {
            // A receiver says where it listens.
            Some(r) => note(r),
            None => note(&format!("connected to {url}")),
        },
        LinkState::Disconnected => note(&format!("disconnected{because}")),
        LinkState::Reconnecting(Some(retry)) => note(&format!(
            "reconnecting in {:.1}s (attempt {})",
            retry.delay.as_secs_f64(),
            retry.attempt
        )),
        LinkState::Oversize => note("a frame over the size limit dropped the connection"),
        LinkState::GaveUp => note(&format!("giving up{because}")),
        LinkState::Reconnecting(None) | LinkState::Connecting => {}
    }
}

//! Headless live capture, shared by `record` and `validate ws://…`: connect, send each message
//! as its own turn (the next once the previous message's runs have completed, on the thread the
//! server used), and stop when every owned run has completed and the link has been idle long
//! enough, at the time-out, or on Ctrl-C — always leaving a valid recording.

use super::sink::Sink;
use super::websocket::{self, ClientConfig, Command, LinkEvent, SourceMsg};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What to capture and when to stop.
pub struct CaptureOptions {
    pub client: ClientConfig,
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
    Timeout,
    Interrupted,
    /// The source gave up (no reconnect, or a configuration that can never work).
    GaveUp,
}

/// Runs a capture into `sink` until it should stop.
pub async fn capture(opts: CaptureOptions, sink: &mut Sink) -> Stop {
    let (tx, mut rx) = mpsc::channel::<SourceMsg>(4096);
    let (cmd_tx, cmd_rx) = mpsc::channel::<Command>(64);
    let url = opts.client.shown_url();
    let client = tokio::spawn(websocket::run(opts.client, tx, cmd_rx));
    let started = Instant::now();
    let mut pending = opts.sends.into_iter();
    let mut connected_once = false;
    let mut waiting_on: Option<usize> = None; // index into session.messages of the last send
    let mut last_activity = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let stop = loop {
        tokio::select! {
            biased;
            _ = &mut ctrl_c => break Stop::Interrupted,
            msg = rx.recv() => {
                let Some(msg) = msg else { break Stop::GaveUp };
                if let SourceMsg::Link { state, reason, .. } = &msg {
                    if opts.progress {
                        report_link(&url, *state, reason.as_deref());
                    }
                    match state {
                        LinkEvent::Connected => connected_once = true,
                        LinkEvent::GaveUp => {
                            sink.accept(msg);
                            break Stop::GaveUp;
                        }
                        _ => {}
                    }
                }
                if matches!(msg, SourceMsg::Frame { dir: crate::core::link::Dir::In, .. }) {
                    last_activity = Instant::now();
                }
                sink.accept(msg);
            }
            _ = tick.tick() => {
                if opts.timeout.is_some_and(|t| started.elapsed() >= t) {
                    break Stop::Timeout;
                }
                if !connected_once {
                    continue;
                }
                let session = sink.log.session();
                let owned_done = match waiting_on {
                    None => true,
                    Some(i) => session.messages.get(i).is_some_and(|m| {
                        !m.runs.is_empty() && m.runs.iter().all(|&r| session.runs[r as usize].closed)
                    }),
                };
                if owned_done {
                    if let Some(text) = pending.next() {
                        let thread = session
                            .messages
                            .first()
                            .and_then(|m| m.runs.first())
                            .and_then(|&r| session.runs[r as usize].thread)
                            .map(|t| sink.log.interner.resolve(t).to_string());
                        let frame = websocket::user_message(&text, thread.as_deref());
                        if cmd_tx.send(Command::Send(frame)).await.is_err() {
                            break Stop::GaveUp;
                        }
                        waiting_on = Some(session.messages.len());
                        last_activity = Instant::now();
                        continue;
                    }
                    let all_closed = session.open_runs().is_empty();
                    if all_closed && last_activity.elapsed() >= opts.until_idle {
                        break Stop::Done;
                    }
                }
            }
        }
    };
    let _ = cmd_tx.send(Command::Shutdown).await;
    // Take what is still in flight, so nothing received is lost.
    let drain = async {
        while let Some(msg) = rx.recv().await {
            sink.accept(msg);
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
    client.abort();
    sink.log.finish();
    if opts.progress {
        let s = sink.log.session();
        eprintln!(
            "orchscope: {} frames received · {} runs · stopped: {}",
            sink.frames_in,
            s.runs.len(),
            match stop {
                Stop::Done => "all runs completed and the link was idle",
                Stop::Timeout => "time-out",
                Stop::Interrupted => "interrupted",
                Stop::GaveUp => "the connection could not be kept",
            }
        );
    }
    stop
}

fn report_link(url: &str, state: LinkEvent, reason: Option<&str>) {
    match state {
        LinkEvent::Connected => eprintln!("orchscope: connected to {url}"),
        LinkEvent::Disconnected => eprintln!(
            "orchscope: disconnected{}",
            reason.map(|r| format!(": {r}")).unwrap_or_default()
        ),
        LinkEvent::Reconnecting { attempt, delay } => {
            eprintln!(
                "orchscope: reconnecting in {:.1}s (attempt {attempt})",
                delay.as_secs_f64()
            )
        }
        LinkEvent::Oversize => {
            eprintln!("orchscope: a frame over the size limit dropped the connection")
        }
        LinkEvent::GaveUp => eprintln!(
            "orchscope: giving up{}",
            reason.map(|r| format!(": {r}")).unwrap_or_default()
        ),
        LinkEvent::Connecting => {}
    }
}

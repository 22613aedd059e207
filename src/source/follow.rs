//! Following a growing file or a pipe as a live source (`connect --follow FILE`, `connect -`):
//! each line is read as it is written and handed on like frames from a socket (same messages,
//! same recorder, same byte budget). The format is detected from the first line that is not
//! blank, as for a file (or named with `--format-in`): orchscope's native frames, bare or as a
//! recording, are read by the recording reader itself; any other format goes through its line
//! importer (see `foreign`). A file is polled for growth and read again from its start if it is
//! truncated; a pipe ends when its writer closes it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::budget::Budget;
use super::message::{Report, SourceMsg};
use super::recorder::Recorder;
use super::wire::Command;
use crate::core::import::{detect, Format, LineImporter};
use crate::core::link::{Dir, LinkState};
use crate::core::recording::{FrameBody, Item, Reader};

mod foreign;

/// How often a followed file is looked at for new lines.
const POLL: Duration = Duration::from_millis(100);

/// What to follow.
#[derive(Debug, Clone)]
pub struct FollowConfig {
    /// The file; `None`: standard input.
    pub path: Option<PathBuf>,
    pub recorder: Option<Recorder>,
    pub budget: Option<Budget>,
    /// The format named with `--format-in` (`None`: detected).
    pub format: Option<Format>,
}

impl FollowConfig {
    /// The source as shown and recorded.
    pub fn shown(&self) -> String {
        match &self.path {
            Some(p) => format!("file://{}", p.display()),
            None => "stdin".into(),
        }
    }
}

/// Reads until the pipe closes or `Shutdown`.
pub async fn run(
    config: FollowConfig,
    tx: mpsc::Sender<SourceMsg>,
    mut cmds: mpsc::Receiver<Command>,
) {
    let stop = Arc::new(AtomicBool::new(false));
    // Stopped however this ends: a `Shutdown`, or this task dropped with the runtime (the
    // runtime's end waits for the reading thread, which must then stop at its next poll).
    let _stop_on_drop = StopOnDrop(stop.clone());
    let handle = tokio::runtime::Handle::current();
    let reading = {
        let stop = stop.clone();
        tokio::task::spawn_blocking(move || read(config, tx, handle, &stop))
    };
    tokio::pin!(reading);
    loop {
        tokio::select! {
            _ = &mut reading => return,
            // Returning stops the reading (`StopOnDrop`): a file at its next poll; a blocked
            // pipe is left to the process's end.
            cmd = cmds.recv() => if matches!(cmd, Some(Command::Shutdown) | None) {
                return;
            },
        }
    }
}

/// Sets its flag when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The blocking side: opens, reads item by item, hands each on.
fn read(
    config: FollowConfig,
    tx: mpsc::Sender<SourceMsg>,
    rt: tokio::runtime::Handle,
    stop: &AtomicBool,
) {
    let start = Instant::now();
    let out = Out {
        tx,
        rt,
        config: &config,
        start,
        pending: Default::default(),
    };
    let connected = || {
        out.link(
            LinkState::Connected,
            format!("following {}", config.shown()),
        )
    };
    match &config.path {
        Some(p) => match File::open(p) {
            Ok(file) if connected() => {
                let tail = Tail {
                    file,
                    path: p.clone(),
                    at: 0,
                    stop,
                };
                begin(&out, BufReader::with_capacity(64 << 10, tail), stop)
            }
            Ok(_) => {}
            Err(e) => {
                let _ = out.link(LinkState::GaveUp, format!("{}: {e}", p.display()));
            }
        },
        None if connected() => begin(&out, BufReader::with_capacity(64 << 10, io::stdin()), stop),
        None => {}
    }
}

/// The input's first line that is not blank, and every byte read up to it (`None`: it ended,
/// or was stopped, before one came).
fn first_line(input: &mut impl BufRead) -> io::Result<Option<(Vec<u8>, String)>> {
    let mut head = Vec::new();
    loop {
        let from = head.len();
        if input.read_until(b'\n', &mut head)? == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&head[from..]).into_owned();
        let t = line.trim_start_matches(['\0', '\u{feff}']).trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Ok(Some((head, line)));
        }
    }
}

/// The format of the input, from its first line (or as named); the input read on in it.
fn begin<R: Read + Send + Following>(out: &Out, mut input: BufReader<R>, stop: &AtomicBool) {
    let config = out.config;
    let (head, line) = match first_line(&mut input) {
        Ok(Some(first)) => first,
        Ok(None) => {
            if !stop.load(Ordering::Relaxed) {
                let _ = out.link(LinkState::Disconnected, "the input ended".into());
            }
            return;
        }
        Err(e) => {
            let _ = out.link(LinkState::GaveUp, format!("{}: {e}", config.shown()));
            return;
        }
    };
    let seen = detect(&[line.as_str()]);
    let native = |f: Option<Format>| matches!(f, None | Some(Format::Orchscope | Format::Jsonl));
    if let (Some(named), Some(seen)) = (config.format, seen) {
        if named != seen && !(native(Some(named)) && native(Some(seen))) {
            let why = format!(
                "{}: not {} input (--format-in {}): its first line is {}",
                config.shown(),
                named.name(),
                named.name(),
                seen.name()
            );
            let _ = out.link(LinkState::GaveUp, why);
            return;
        }
    }
    let format = config.format.or(seen);
    let Some(importer) = format.and_then(LineImporter::new) else {
        return native_frames(out, io::Cursor::new(head).chain(input), stop);
    };
    let format = format.unwrap_or(Format::Jsonl);
    match input.get_ref().growing() {
        Some((file, path, at)) => {
            let mut partial = head;
            partial.extend_from_slice(input.buffer());
            let main = (file, path, at, partial);
            foreign::file(out, importer, format, main, stop)
        }
        None => foreign::pipe(out, importer, io::Cursor::new(head).chain(input)),
    }
}

/// Orchscope's own frames, bare or a recording, read item by item.
fn native_frames(out: &Out, input: impl Read, stop: &AtomicBool) {
    let mut reader = Reader::new(BufReader::with_capacity(64 << 10, input));
    loop {
        let msg = match reader.next_item() {
            Ok(Some(item)) => out.message(item),
            Ok(None) => break,
            Err(e) => {
                let _ = out.link(LinkState::GaveUp, format!("{}: {e}", out.config.shown()));
                return;
            }
        };
        if let Some(msg) = msg {
            if !out.emit(msg) {
                return;
            }
        }
    }
    if !stop.load(Ordering::Relaxed) {
        let _ = out.link(LinkState::Disconnected, "the input ended".into());
    }
}

/// An input that may be a growing file, to be followed by its own means.
trait Following {
    /// The file, its path and where reading it got to (a clone: the reader stays valid).
    fn growing(&self) -> Option<(File, PathBuf, u64)>;
}

impl Following for io::Stdin {
    fn growing(&self) -> Option<(File, PathBuf, u64)> {
        None
    }
}

impl Following for Tail<'_> {
    fn growing(&self) -> Option<(File, PathBuf, u64)> {
        let file = self.file.try_clone().ok()?;
        Some((file, self.path.clone(), self.at))
    }
}

struct Out<'a> {
    tx: mpsc::Sender<SourceMsg>,
    rt: tokio::runtime::Handle,
    config: &'a FollowConfig,
    start: Instant,
    /// How many events the importer was last told to hold.
    pending: std::cell::Cell<usize>,
}

impl Out<'_> {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Records and hands on one message; false once nobody listens.
    fn emit(&self, msg: SourceMsg) -> bool {
        if let Some(r) = &self.config.recorder {
            r.record(&msg);
        }
        if let Some(b) = &self.config.budget {
            self.rt.block_on(b.take(&msg));
        }
        self.tx.blocking_send(msg).is_ok()
    }

    fn link(&self, state: LinkState, reason: String) -> bool {
        let (t, reason, size) = (self.now(), Some(reason), None);
        self.emit(SourceMsg::Link {
            t,
            state,
            reason,
            size,
        })
    }

    /// What one item read becomes (its time is when it was read).
    fn message(&self, item: Item<'_>) -> Option<SourceMsg> {
        let t = self.now();
        let report = |report| Some(SourceMsg::Receiver { t, report });
        match item {
            Item::Header(_) => None,
            Item::Frame { dir, body, .. } => Some(frame(t, dir, body)),
            Item::Link {
                state,
                reason,
                size,
                ..
            } => Some(SourceMsg::Link {
                t,
                state,
                reason,
                size,
            }),
            Item::Mark { text, .. } => report(Report::Mark(text)),
            // A bookmark or note made in a replay of the followed file: the replay shows it.
            Item::Anchored { .. } => None,
            Item::Dropped { spans, reason, .. } => report(Report::Dropped { spans, reason }),
            Item::Bad { line, error } => report(Report::Problem(format!("line {line}: {error}"))),
            Item::HeaderProblem { line, problem } => {
                report(Report::Problem(format!("line {line}: {problem}")))
            }
            Item::Padding { line, bytes } => report(Report::Problem(format!(
                "line {line} began with {bytes} NUL bytes of padding"
            ))),
            Item::TruncatedTail { line } => {
                report(Report::Problem(format!("line {line} was cut short")))
            }
        }
    }
}

fn frame(t: f64, dir: Dir, body: FrameBody<'_>) -> SourceMsg {
    match body {
        FrameBody::Json(text) => SourceMsg::Frame {
            t,
            dir,
            text: text.to_string(),
        },
        FrameBody::Text(text) => SourceMsg::Frame {
            t,
            dir,
            text: text.into_owned(),
        },
        FrameBody::Binary(bytes) => SourceMsg::Binary {
            t,
            dir,
            bytes,
            invalid_utf8: None,
        },
        FrameBody::InvalidText { bytes, valid_up_to } => SourceMsg::Binary {
            t,
            dir,
            bytes,
            invalid_utf8: Some(valid_up_to),
        },
    }
}

/// A file read as it grows: at its end, waits for more instead of ending (until `stop`); read
/// again from its start when it shrinks (truncated and rewritten).
struct Tail<'a> {
    file: File,
    path: PathBuf,
    at: u64,
    stop: &'a AtomicBool,
}

impl Read for Tail<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.file.read(buf)?;
            if n > 0 {
                self.at += n as u64;
                return Ok(n);
            }
            if self.stop.load(Ordering::Relaxed) {
                return Ok(0);
            }
            std::thread::sleep(POLL);
            let len = std::fs::metadata(&self.path)
                .map(|m| m.len())
                .unwrap_or(self.at);
            if len < self.at {
                self.file = File::open(&self.path)?;
                self.at = 0;
            }
        }
    }
}

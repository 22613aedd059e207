//! The async loop: `tokio::select! { biased; … }` over terminal input (crossterm's
//! `EventStream`), termination signals, the source's messages (drained in batches) and a tick
//! that carries the time; each message goes through `update`, the effects it returns are
//! performed here (send, OSC 52 copy, save, mark the recording, read a theme, start a rules
//! job, quit) and their outcomes go back through `update`; the screen is redrawn from `&App`
//! only when an update changed something. Input is never behind the network: the source runs
//! on its own task and only posts messages.

use super::app::App;
use super::msg::{Effect, Msg};
use super::terminal;
use super::update::update;
use crate::core::log::{Log, Logged as Entry, Other};
use crate::core::recording::{Existing, Header, Writer};
use crate::source::budget::Budget;
use crate::source::websocket::{Command, SourceMsg};
use base64::Engine as _;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use std::io::{self, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A live source: its messages and where to send commands.
pub struct Link {
    pub rx: mpsc::Receiver<SourceMsg>,
    pub cmds: mpsc::Sender<Command>,
    /// The channel's byte budget: each message's bytes are given back as it is digested.
    pub budget: Budget,
}

/// Most source messages handled between two looks at the keyboard.
const BATCH: usize = 4096;
/// Longest time spent digesting source messages between two looks at the keyboard and clock.
const DIGEST_BUDGET: Duration = Duration::from_millis(20);

/// Digests what else the source has waiting, within [`BATCH`] and [`DIGEST_BUDGET`]; the rest
/// stays in the bounded channel as backlog (and the source stops reading while it is full).
fn digest(app: &mut App, link: &mut Link) {
    let start = Instant::now();
    for i in 0..BATCH {
        if i % 64 == 63 && start.elapsed() >= DIGEST_BUDGET {
            break;
        }
        match link.rx.try_recv() {
            Ok(m) => take(app, link, m),
            Err(_) => break,
        }
    }
}

/// Digests one source message, giving its bytes back to the channel's budget.
fn take(app: &mut App, link: &Link, m: SourceMsg) {
    link.budget.give_back(&m);
    update(app, Msg::Source(m));
}

fn to_msg(e: Event) -> Option<Msg> {
    Some(match e {
        Event::Key(k) => Msg::Key(k),
        Event::Mouse(m) => Msg::Mouse(m),
        Event::Resize(w, h) => Msg::Resize(w, h),
        Event::Paste(s) => Msg::Paste(s),
        _ => return None,
    })
}

/// Runs the TUI until the user quits or a signal arrives; the terminal is restored on return.
pub async fn run(mut app: App, mut link: Option<Link>) -> io::Result<App> {
    let mut term = terminal::setup()?;
    let size = term.size()?;
    let started = Instant::now();
    let now = |s: Instant| s.elapsed().as_secs_f64() * 1000.0;
    let mut events = EventStream::new();
    // Validation runs on a worker; its verdicts come back as a message.
    let (verdicts_tx, mut verdicts_rx) = mpsc::unbounded_channel();
    let mut fx = update(&mut app, Msg::Resize(size.width, size.height));
    fx.extend(update(&mut app, Msg::Tick(0.0)));
    perform(fx, &mut app, link.as_ref(), &verdicts_tx);
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new()?;
    let mut drawn = None;
    let result = loop {
        let effects = tokio::select! {
            biased;
            ev = events.next() => match ev {
                Some(Ok(e)) => match to_msg(e) {
                    Some(m) => update(&mut app, m),
                    None => Vec::new(),
                },
                Some(Err(e)) => break Err(e),
                None => break Ok(()),
            },
            _ = signals.recv() => break Ok(()),
            _ = tokio::signal::ctrl_c() => break Ok(()),
            // Before the source: a flood must not stop the screen from being drawn.
            _ = tick.tick() => {
                let backlog = link.as_ref().map_or(0, |l| l.rx.len());
                let mut fx = update(&mut app, Msg::Backlog(backlog));
                fx.extend(update(&mut app, Msg::Tick(now(started))));
                fx
            }
            Some(v) = verdicts_rx.recv() => update(&mut app, Msg::Verdicts(v)),
            m = async { match link.as_mut() { Some(l) => l.rx.recv().await, None => std::future::pending().await } } => {
                match (m, link.as_mut()) {
                    (Some(m), Some(l)) => {
                        take(&mut app, l, m);
                        digest(&mut app, l);
                    }
                    _ => link = None,
                }
                // Drawn at the next tick: a flood is digested in batches between two looks.
                continue;
            }
        };
        if perform(effects, &mut app, link.as_ref(), &verdicts_tx) {
            break Ok(());
        }
        // Only what changed is drawn: an idle tick draws nothing.
        if drawn != Some(app.ui.revision) {
            drawn = Some(app.ui.revision);
            if let Err(e) = term.draw(|f| super::ui::render(&app, f)) {
                break Err(e);
            }
            terminal::test_panic_once();
        }
    };
    if let Some(l) = &link {
        let _ = l.cmds.try_send(Command::Shutdown);
    }
    terminal::restore();
    result.map(|()| app)
}

/// The termination signals that end the loop (SIGTERM, SIGHUP, SIGQUIT).
struct Signals {
    #[cfg(unix)]
    all: [tokio::signal::unix::Signal; 3],
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                all: [
                    signal(SignalKind::terminate())?,
                    signal(SignalKind::hangup())?,
                    signal(SignalKind::quit())?,
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for any of them.
    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            let [term, hup, quit] = &mut self.all;
            tokio::select! {
                _ = term.recv() => {},
                _ = hup.recv() => {},
                _ = quit.recv() => {},
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// Performs the effects of an update, and of the updates their outcomes cause; true when one
/// of them is to quit.
fn perform(effects: Vec<Effect>, app: &mut App, link: Option<&Link>, verdicts: &Verdicts) -> bool {
    let mut queue = std::collections::VecDeque::from(effects);
    while let Some(fx) = queue.pop_front() {
        let outcome = match fx {
            Effect::Quit => return true,
            Effect::Send(text) => {
                let busy = link.is_some_and(|l| l.cmds.try_send(Command::Send(text)).is_err());
                busy.then(|| Msg::WriteFailed("the link is busy; message not sent".into()))
            }
            Effect::Copy(text) => {
                let b64 = base64::engine::general_purpose::STANDARD.encode(text);
                let mut out = io::stdout();
                let _ = write!(out, "\x1b]52;c;{b64}\x07");
                let _ = out.flush();
                None
            }
            Effect::Save(path, existing) => Some(match save(&app.sink.log, &path, existing) {
                Ok(()) => Msg::Saved(path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Msg::WriteFailed(format!(
                    "{} {e}: :save! FILE replaces it, :save --append FILE adds to it",
                    path.display()
                )),
                Err(e) => Msg::WriteFailed(format!("cannot save {}: {e}", path.display())),
            }),
            Effect::Mark { t, text } => {
                if let Some(r) = app.sink.recorder() {
                    r.mark(t, &text);
                }
                None
            }
            Effect::Anchor { t, at, what } => super::marks_file::append(app, t, at, &what),
            Effect::LoadTheme(name) => Some(Msg::ThemeLoaded(super::theme::resolve(
                &name,
                config_dir().as_deref(),
            ))),
            Effect::Validate(job) => {
                let tx = verdicts.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(job.run());
                });
                None
            }
        };
        if let Some(m) = outcome {
            queue.extend(update(app, m));
        }
    }
    false
}

/// Where verdicts of the validation jobs are sent.
type Verdicts = mpsc::UnboundedSender<super::verdicts::Verdicts>;

fn config_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "orchscope").map(|d| d.config_dir().to_path_buf())
}

/// Writes every item of the log as a recording (binary frames with their bytes), doing
/// `existing` if the file is there.
pub fn save(log: &Log, path: &Path, existing: Existing) -> io::Result<()> {
    let header = Header {
        started_at: Some(chrono::Local::now().to_rfc3339()),
        source: Some(serde_json::json!({"kind": "orchscope-save"})),
        title: None,
        meta: None,
    };
    let mut w = Writer::open(path, &header, existing)?;
    // Times are kept continuing across segments; a segment's lines are written from its start.
    let (mut last, mut offset) = (0.0, 0.0);
    let facts = &log.session().facts;
    for entry in log.entries() {
        match entry {
            Entry::Frame(p) => {
                let fact = &facts[p.index()];
                last = fact.at.recv().map_or(last, |ms| ms / 1000.0);
                match log.binary(p) {
                    Some(bytes) => w.frame_binary(last - offset, fact.dir, bytes)?,
                    None => {
                        let text = log.raw(p).map_err(io::Error::other)?;
                        let text = text.as_deref().unwrap_or("");
                        w.frame_text(last - offset, fact.dir, text)?
                    }
                }
            }
            Entry::Other(Other::Link {
                t,
                state,
                reason,
                size,
            }) => {
                last = t.unwrap_or(last);
                w.link(last - offset, *state, reason.as_deref(), *size)?
            }
            Entry::Other(Other::Mark { t, text }) => {
                last = t.unwrap_or(last);
                w.mark(last - offset, text)?
            }
            Entry::Other(Other::Anchored { t, at, what }) => {
                last = t.unwrap_or(last);
                w.anchored(last - offset, *at, what)?
            }
            Entry::Other(Other::Segment) => {
                offset = last;
                w.write_header(&header)?
            }
            Entry::Other(Other::Note(_)) => {}
        }
    }
    Ok(())
}

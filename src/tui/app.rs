//! The application state: what is loaded (the log, through a [`Sink`]), where the view stands
//! in it (a position, with the session derived at that position cached), what is selected,
//! which tab, pane and overlay are up, the rules' verdicts, and the texts drawing shows,
//! prepared beforehand. Modes are enums. `update` changes it; rendering only reads it. Owns no
//! terminal and no socket.

use super::keymap::Keymap;
use super::replay::ReplayClock;
use super::rows::Sort;
pub use super::tab::{Focus, Tab};
use super::texts::Texts;
use super::theme::Theme;
use super::verdicts::{FindingKey, Job, Rules, Scope};
use super::view::{Lens, View};
use crate::core::carries::Carries;
use crate::core::intern::Interner;
use crate::core::link::LinkState;
use crate::core::session::{AgentIx, CallIx, Pos, RunIx, Session, TurnIx};
use crate::core::validate::Config;
use crate::source::sink::Sink;
use std::sync::Arc;

/// A one-line text input (filter, command, composer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    pub text: String,
    /// Position in the command history while browsing it.
    pub history_at: Option<usize>,
}

/// What is drawn over the tabs.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    Filter(Input),
    Command(Input),
    Composer(Input),
    /// The note composer, on this frame.
    Note(Input, usize),
    /// The list of bookmarks and notes.
    Marks,
    /// The payload view over the tabs; the pane that had the focus before it opened.
    Payload(Focus),
}

/// Where the data comes from and how the position moves.
#[derive(Debug, Clone)]
pub enum Mode {
    Live {
        url: String,
        link: LinkState,
        /// When the link entered its state (ms, app clock): a retry's countdown runs from it.
        link_since_ms: f64,
        /// The view is frozen at this many frames while ingestion goes on.
        paused_at: Option<usize>,
        /// Sends waiting for the previous turn to complete (the `--send` flags, the demo).
        sends: crate::source::pacing::Pacing,
        /// The source only listens (an OTLP receiver, a followed file or pipe): nothing can
        /// be sent to it.
        listens: bool,
    },
    Replay {
        file: String,
        clock: ReplayClock,
        /// Each frame's time on the replay axis (ms).
        times: Vec<f64>,
    },
}

/// The selected item, which the detail pane shows and `y` copies. Rules and findings are
/// named, not counted: the verdicts are replaced on every recomputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selected {
    None,
    Frame(Pos),
    Run(RunIx),
    Agent(AgentIx),
    Call(CallIx),
    Turn(TurnIx),
    Rule(&'static str),
    Finding(FindingKey),
}

/// A cursor move that waits for the view to reach the position the update moved to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Then {
    /// The timeline's cursor onto frame `p`, if it is a row.
    Frame(Pos),
    /// The selection from what the pane's cursor is on.
    Select(Focus),
    /// The pane's cursor onto its last row.
    Last(Focus),
}

/// Cursors of the list panes (row indexes; `timeline: None` follows the tail).
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Cursors {
    pub agents: usize,
    pub timeline: Option<usize>,
    pub tools: usize,
    pub turns: usize,
    pub waterfall: usize,
    pub context: usize,
    pub rules: usize,
    pub findings: usize,
    pub frames: Option<usize>,
    pub detail: usize,
    pub story: usize,
    /// The first line of the help overlay shown.
    pub help: usize,
}

/// Everything on screen that is not data.
#[derive(Debug, Clone)]
pub struct Ui {
    pub tab: Tab,
    pub focus: Focus,
    pub overlay: Overlay,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The app clock (ms), set by `Msg::Tick`.
    pub now_ms: f64,
    /// A one-line notice in the footer (errors from commands, "copied", …).
    pub notice: Option<String>,
    pub history: Vec<String>,
    pub sort: Sort,
    /// Agent the timeline and tools are filtered to.
    pub agent_filter: Option<AgentIx>,
    /// The run every list is narrowed to (`r` cycles all → R1 → R2 …).
    pub run_filter: Option<RunIx>,
    pub filter: super::filter::Filter,
    /// Live messages received from the source and not yet digested (shown in the header).
    pub backlog: usize,
    /// Counts the updates that changed something on screen: the runner draws when it moves.
    pub revision: u64,
}

pub struct App {
    pub sink: Sink,
    pub carries: Carries,
    pub mode: Mode,
    pub view: View,
    pub selected: Selected,
    pub cursors: Cursors,
    /// The verdicts at the position shown.
    pub rules: Rules,
    /// The verdicts over the whole log (replay only), and the frames they were asked for.
    pub whole: Rules,
    whole_generation: u64,
    /// A copy of the log's names that validation jobs share.
    names: Arc<Interner>,
    pub ui: Ui,
    /// What drawing shows of the frames' texts, prepared when it changes.
    pub texts: Texts,
    /// What the payload view and the findings pane show, prepared when it changes.
    pub payloads: super::payload::Payloads,
    /// The Context tab's diffs (or context) of the selected turn.
    pub contexts: super::contexts::ContextPane,
    /// The Story's words.
    pub story: super::story::StoryView,
    /// Session A and its comparison with the log (`replay B --against A`).
    pub against: Option<Box<super::comparison::Against>>,
    /// The agents tree's usage column.
    pub costs: super::costs::Costs,
    /// Replay pauses at each marker while the Story is shown (`--pause-on-markers`).
    pub pause_on_markers: bool,
    /// Bookmarks and notes, and where new ones are written.
    pub marks: super::marks::Marks,
    /// Cursor moves that need the view at its new position: done after the sync that ends
    /// the same update.
    pub(crate) then: Vec<Then>,
}

impl App {
    pub fn new(sink: Sink, mode: Mode, theme: Theme, keymap: Keymap, config: Config) -> App {
        let mut app = App {
            sink,
            carries: Carries::ALL,
            mode,
            view: View::default(),
            selected: Selected::None,
            cursors: Cursors::default(),
            whole: Rules::new(Scope::Log, config.clone()),
            whole_generation: 0,
            names: Arc::default(),
            rules: Rules::new(Scope::View, config),
            ui: Ui {
                tab: Tab::Overview,
                focus: Focus::Agents,
                overlay: Overlay::None,
                theme,
                keymap,
                size: (120, 36),
                now_ms: 0.0,
                notice: None,
                history: Vec::new(),
                sort: Sort::default(),
                agent_filter: None,
                run_filter: None,
                backlog: 0,
                revision: 0,
                filter: Default::default(),
            },
            texts: Texts::default(),
            payloads: Default::default(),
            contexts: Default::default(),
            story: Default::default(),
            against: None,
            costs: Default::default(),
            pause_on_markers: false,
            marks: Default::default(),
            then: Vec::new(),
        };
        // The first jobs are asked for by the first update.
        app.sync_view();
        app
    }

    /// The number of frames the view shows.
    pub fn target_pos(&self) -> usize {
        match &self.mode {
            Mode::Live { paused_at, .. } => paused_at.unwrap_or(self.sink.log.frames()),
            Mode::Replay { clock, .. } => clock.pos,
        }
    }

    /// The session at the view position.
    pub fn session(&self) -> &Session {
        self.view.session(&self.sink.log)
    }

    /// Live, connected and at the tail: time is judged by the clock (a frozen view is of
    /// the past, and while the link is down silence is the link's, not the agents').
    pub fn judges_live(&self) -> bool {
        matches!(self.mode, Mode::Live { paused_at: None, link, .. } if link.is_connected())
    }

    pub fn is_replay(&self) -> bool {
        matches!(self.mode, Mode::Replay { .. })
    }

    /// Brings the derived view up to the target position and prepares the validation jobs
    /// that are due. `update` calls it once, at its end; tests and benches after moving the
    /// position by hand.
    pub fn sync(&mut self) -> Vec<Job> {
        self.sync_view();
        self.jobs()
    }

    /// Brings the derived view up to the target position.
    fn sync_view(&mut self) {
        let pos = self.target_pos();
        let lens = Lens {
            filter: &self.ui.filter,
            agent: self.ui.agent_filter,
            run: self.ui.run_filter,
            sort: self.ui.sort,
        };
        if self.view.sync(&self.sink.log, pos, &lens) {
            self.rules.dirty = true;
        }
        if let Some(stale) = self.view.stale.take() {
            self.ui.notice = Some(stale.to_string());
            // What was read of the file before may no longer be what it says.
            self.texts = Texts::default();
        }
    }

    /// The validation jobs that are due.
    fn jobs(&mut self) -> Vec<Job> {
        let now = self.ui.now_ms;
        let mut jobs = Vec::new();
        self.rules.live = self.judges_live();
        if self.rules.due(now) {
            let names = self.shared_names();
            let session = self.view.session(&self.sink.log);
            jobs.extend((self.rules).schedule(session, &names, self.carries, now));
        }
        if self.is_replay() {
            jobs.extend(self.whole_job(now));
        }
        jobs
    }

    /// In replay, the whole recording's verdicts too, for `]` and `[`.
    fn whole_job(&mut self, now: f64) -> Option<Job> {
        if self.whole.config != self.rules.config {
            self.whole.config = self.rules.config.clone();
            self.whole.invalidate();
        }
        if self.whole_generation != self.sink.log.generation() {
            self.whole_generation = self.sink.log.generation();
            self.whole.dirty = true;
        }
        if !self.whole.due(now) {
            return None;
        }
        let names = self.shared_names();
        let session = self.sink.log.session();
        (self.whole).schedule(session, &names, self.carries, now)
    }

    /// The log's names, for a job on another thread: copied only when names were added since
    /// the last copy (the table only grows, so the same length is the same table).
    fn shared_names(&mut self) -> Arc<Interner> {
        let names = &self.sink.log.interner;
        if self.names.len() != names.len() {
            self.names = Arc::new(names.clone());
        }
        Arc::clone(&self.names)
    }

    /// Runs the validators on the view's session now, on this thread (tests, benchmarks; the
    /// runner runs the job `sync` prepares on a worker).
    pub fn recompute_rules(&mut self) {
        let names = self.shared_names();
        let session = self.view.session(&self.sink.log);
        (self.rules).recompute(session, &names, self.carries, self.ui.now_ms);
    }

    /// The text of frame `p` (`None` for a binary frame); when the file it is read from
    /// changed on disk, a note saying so instead.
    pub fn raw(&self, p: Pos) -> Option<std::borrow::Cow<'_, str>> {
        match self.sink.log.raw(p) {
            Ok(text) => text,
            Err(stale) => Some(format!("(text unavailable: {stale})").into()),
        }
    }

    pub fn name(&self, sym: Option<crate::core::intern::Sym>) -> &str {
        sym.map_or("—", |s| self.sink.log.interner.resolve(s))
    }

    /// The display name of an agent (`—` for one not there at the position shown).
    pub fn agent_name(&self, a: AgentIx) -> &str {
        match self.session().agents.get(a.index()) {
            Some(ag) => self.name(ag.name.or(Some(ag.id))),
            None => "—",
        }
    }

    /// Whether what is selected exists at the position shown (stepping back can go to before
    /// it appeared).
    pub fn selection_exists(&self) -> bool {
        let s = self.session();
        match self.selected {
            Selected::Frame(p) => p.index() < self.view.frames,
            Selected::Run(r) => r.index() < s.runs.len(),
            Selected::Agent(a) => a.index() < s.agents.len(),
            Selected::Call(c) => c.index() < s.calls.len(),
            Selected::Turn(t) => t.index() < s.turns.len(),
            Selected::None | Selected::Rule(_) | Selected::Finding(_) => true,
        }
    }
}

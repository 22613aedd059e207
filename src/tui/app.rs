//! The application state: what is loaded (the log, through a [`Sink`]), where the view stands
//! in it (a position, with the session derived at that position cached), what is selected,
//! which tab, pane and overlay are up, and the rules' verdicts. Modes are enums. `update`
//! changes it; rendering only reads it. Owns no terminal and no socket.

use super::keymap::Keymap;
use super::replay::ReplayClock;
use super::theme::Theme;
use super::verdicts::{Job, Rules, Scope};
use super::view::View;
use crate::core::carries::Carries;
use crate::core::intern::Interner;
use crate::core::link::LinkState;
use crate::core::session::{AgentIx, CallIx, Pos, Session, TurnIx};
use crate::core::validate::Config;
use crate::source::sink::Sink;
use std::sync::Arc;

/// The tabs (`1`…`6`, `s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Waterfall,
    Tools,
    Context,
    Rules,
    Frames,
    Story,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Waterfall,
        Tab::Tools,
        Tab::Context,
        Tab::Rules,
        Tab::Frames,
        Tab::Story,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Waterfall => "Waterfall",
            Tab::Tools => "Tools",
            Tab::Context => "Context",
            Tab::Rules => "Rules",
            Tab::Frames => "Frames",
            Tab::Story => "Story",
        }
    }

    /// The panes of the tab, in focus order.
    pub fn panes(self) -> &'static [Focus] {
        match self {
            Tab::Overview => &[
                Focus::Agents,
                Focus::Timeline,
                Focus::Tools,
                Focus::Turns,
                Focus::Detail,
            ],
            Tab::Waterfall => &[Focus::Waterfall, Focus::Detail],
            Tab::Tools => &[Focus::Tools, Focus::Detail],
            Tab::Context => &[Focus::Context, Focus::Detail],
            Tab::Rules => &[Focus::Rules, Focus::Findings, Focus::Detail],
            Tab::Frames => &[Focus::Frames, Focus::Detail],
            Tab::Story => &[Focus::Story],
        }
    }
}

/// The focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    Agents,
    Timeline,
    Tools,
    Turns,
    Detail,
    Waterfall,
    Context,
    Rules,
    Findings,
    Frames,
    Story,
}

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
    },
    Replay {
        file: String,
        clock: ReplayClock,
        /// Each frame's time on the replay axis (ms).
        times: Vec<f64>,
    },
}

/// The selected item, which the detail pane shows and `y` copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    None,
    Frame(Pos),
    Agent(AgentIx),
    Call(CallIx),
    Turn(TurnIx),
    Rule(usize),
    Finding(usize, usize),
}

/// Cursors of the list panes (row indexes; `timeline: None` follows the tail).
#[derive(Debug, Clone, Default, PartialEq)]
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
}

/// The tools table's sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub column: usize,
    pub reverse: bool,
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
    pub filter: super::filter::Filter,
    /// Live messages received from the source and not yet digested (shown in the header).
    pub backlog: usize,
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
    pub quit: bool,
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
                backlog: 0,
                filter: Default::default(),
            },
            quit: false,
        };
        app.sync();
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

    pub fn is_replay(&self) -> bool {
        matches!(self.mode, Mode::Replay { .. })
    }

    /// Brings the derived view up to the target position and recomputes the rules when due.
    pub fn sync(&mut self) {
        let pos = self.target_pos();
        let changed = self.view.sync(&self.sink.log, pos, &self.ui);
        if changed {
            self.rules.dirty = true;
        }
        if let Some(stale) = self.view.stale.take() {
            self.ui.notice = Some(stale.to_string());
        }
        let now = self.ui.now_ms;
        if self.rules.due(now) {
            let names = self.shared_names();
            let session = self.view.session(&self.sink.log);
            (self.rules).schedule(session, &names, self.carries, now);
        }
        // In replay, the whole recording's verdicts too, for `]` and `[`.
        if self.is_replay() {
            if self.whole.config != self.rules.config {
                self.whole.config = self.rules.config.clone();
                self.whole.invalidate();
            }
            if self.whole_generation != self.sink.log.generation() {
                self.whole_generation = self.sink.log.generation();
                self.whole.dirty = true;
            }
            if self.whole.due(now) {
                let names = self.shared_names();
                let session = self.sink.log.session();
                (self.whole).schedule(session, &names, self.carries, now);
            }
        }
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

    /// The validation jobs ready to start.
    pub fn take_jobs(&mut self) -> impl Iterator<Item = Job> {
        self.rules
            .job
            .take()
            .into_iter()
            .chain(self.whole.job.take())
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
            Selected::Frame(p) => (p as usize) < self.view.frames,
            Selected::Agent(a) => a.index() < s.agents.len(),
            Selected::Call(c) => c.index() < s.calls.len(),
            Selected::Turn(t) => t.index() < s.turns.len(),
            Selected::None | Selected::Rule(_) | Selected::Finding(..) => true,
        }
    }
}

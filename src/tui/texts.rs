//! What drawing shows of the frames' texts, prepared when its inputs change so that drawing
//! never reads a file, checks a hash or parses JSON: the detail pane's pretty JSON (escaped,
//! long lines cut), the words of the timeline rows and the Frames rows near the cursors, the
//! agent tree's rows near the cursors, and the Story's requests and totals. A frame's text
//! never changes, so what is made of it is kept by position; the window around the cursors is
//! topped up after each update.

use super::app::{App, Cursors, Focus, Selected, Tab};
use super::escape::escape;
use crate::core::session::{AgentStatus, Run, Session};
use crate::core::session::{FactKind, Pos};
use std::collections::HashMap;

/// Longest detail line kept (in characters); the pane does not wrap, so more never shows.
const LINE_MAX: usize = 2000;
/// Characters of a frame's text kept for its row (one more says it goes on).
const ROW_MAX: usize = 1000;

/// What the inputs were when the texts were last made.
type Key = (u64, Cursors, Tab, (u16, u16), Selected, u64, bool, u64);

#[derive(Debug, Default)]
pub struct Texts {
    key: Option<Key>,
    detail_of: Option<(Selected, bool, u64, u64)>,
    /// The detail pane's title and lines (escaped).
    pub detail_title: String,
    pub detail: Vec<String>,
    /// By position: the type name of a frame of an unknown type, and what it says in words
    /// (else the start of its text).
    words: HashMap<Pos, Row>,
    /// The Story's runs' requests, by the position of the message that made them.
    requests: HashMap<Pos, Option<String>>,
    /// The Story: runs, and how many completed.
    pub runs: (usize, usize),
}

/// What a frame's row shows of its text.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The frame's type name when its kind has none of its own.
    pub kind: Option<String>,
    /// Its words (see `headline`), else the start of its text.
    pub words: Option<String>,
    /// The start of its text (the Frames tab), or why it is unavailable.
    pub text: String,
    /// Its size in bytes, if known.
    pub size: Option<usize>,
}

impl Texts {
    /// Brings everything up to the app as it is (does nothing when no input changed); true
    /// when it did something.
    pub fn refresh(&mut self, app: &App) -> bool {
        let key = (
            app.view.version,
            app.cursors.clone(),
            app.ui.tab,
            app.ui.size,
            app.selected,
            app.rules.version,
            app.selection_exists(),
            app.sink.log.generation(),
        );
        if self.key.as_ref() == Some(&key) {
            return false;
        }
        self.key = Some(key);
        self.refresh_detail(app);
        self.refresh_rows(app);
        self.refresh_story(app);
        true
    }

    fn refresh_detail(&mut self, app: &App) {
        let exists = app.selection_exists();
        // A frame's text is the same at every position; the rest is described from the session.
        let of = match app.selected {
            Selected::Frame(_) => (app.selected, exists, 0, 0),
            _ => (app.selected, exists, app.view.version, app.rules.version),
        };
        if self.detail_of == Some(of) {
            return;
        }
        self.detail_of = Some(of);
        let json = super::inspect::json(app);
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        self.detail = text.lines().map(|l| cut(&escape(l, true))).collect();
        self.detail_title = super::inspect::describe(app);
    }

    fn refresh_rows(&mut self, app: &App) {
        if self.words.len() > 8 * ROW_MAX {
            self.words.clear();
        }
        let h = app.ui.size.1 as usize + 1;
        let near = |c: usize, n: usize| c.saturating_sub(h)..(c + h).min(n);
        let rows = &app.view.rows;
        let c = super::nav::cursor(app, Focus::Timeline);
        let frames: Vec<Pos> = rows[near(c, rows.len())].to_vec();
        let c = super::nav::cursor(app, Focus::Frames);
        let shown = near(c, app.view.frames);
        for p in frames.into_iter().chain(shown.map(|p| p as Pos)) {
            self.words.entry(p).or_insert_with(|| row(app, p));
        }
    }

    fn refresh_story(&mut self, app: &App) {
        let s = app.session();
        let done = s
            .runs
            .iter()
            .filter(|r| run_state(s, r) == AgentStatus::Completed)
            .count();
        self.runs = (s.runs.len(), done);
        for run in &s.runs {
            if let Some(m) = run.message {
                let p = s.messages[m as usize].pos;
                self.requests.entry(p).or_insert_with(|| request(app, p));
            }
        }
    }

    /// What frame `p`'s row shows of its text (nothing when it has not been made).
    pub fn row(&self, p: Pos) -> Option<&Row> {
        self.words.get(&p)
    }

    /// The request of the run started by the message at `p`.
    pub fn request(&self, p: Pos) -> Option<&str> {
        self.requests.get(&p)?.as_deref()
    }
}

/// A line cut to [`LINE_MAX`] characters.
fn cut(line: &str) -> String {
    match line.char_indices().nth(LINE_MAX) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// The start of a text: [`ROW_MAX`] characters and one more when it goes on.
fn start(text: &str) -> String {
    match text.char_indices().nth(ROW_MAX + 1) {
        Some((i, _)) => text[..i].to_string(),
        None => text.to_string(),
    }
}

fn row(app: &App, p: Pos) -> Row {
    let log = &app.sink.log;
    let kind = app.session().facts.get(p as usize).map(|f| f.kind);
    match log.raw(p) {
        Ok(Some(text)) => Row {
            kind: match kind {
                Some(FactKind::Event(k)) if k.name().is_none() => log.type_name_of(&text),
                _ => None,
            },
            words: Some(headline(&text).unwrap_or_else(|| start(&text))),
            text: start(&text),
            size: Some(text.len()),
        },
        Ok(None) => Row {
            kind: None,
            words: Some("(binary)".into()),
            text: "(binary)".into(),
            size: Some(log.binary_len(p).unwrap_or(0)),
        },
        Err(stale) => {
            let why = format!("(text unavailable: {stale})");
            Row {
                kind: None,
                words: Some(why.clone()),
                text: why,
                size: None,
            }
        }
    }
}

/// The text of the user message at `p`.
fn request(app: &App, p: Pos) -> Option<String> {
    let raw = app.raw(p)?;
    let v: serde_json::Value = serde_json::from_str(&raw).ok()?;
    let c = v.pointer("/payload/content").or(v.pointer("/content"))?;
    Some(c.as_str()?.to_string())
}

/// What a frame says in words, looked up like every field (payload, data, top level).
pub fn headline(raw: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    let layers = [v.get("payload"), v.get("data"), Some(&v)];
    let find = |key: &str| {
        layers
            .iter()
            .flatten()
            .find_map(|l| l.get(key))
            .filter(|x| !x.is_null())
    };
    let text = |x: &serde_json::Value| match x {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(o) => [
            "final_answer",
            "response",
            "final_response",
            "report",
            "content",
            "error",
            "status",
        ]
        .iter()
        .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(str::to_string)),
        _ => None,
    };
    let keys = [
        "thought",
        "reasoning",
        "error_message",
        "error",
        "content",
        "final_response",
        "report",
        "text",
        "message",
        "task_description",
        "subagent_name",
        "result",
        "results",
        "status",
    ];
    let words = keys
        .iter()
        .find_map(|k| find(k).and_then(text))
        .filter(|t| !t.trim().is_empty());
    words.or_else(|| {
        let request = find("context")?.get("user_request")?.as_str()?;
        Some(format!("context: {request}"))
    })
}

/// How a run stands: its root agent's status (running until it has one).
pub fn run_state(s: &Session, run: &Run) -> AgentStatus {
    run.root
        .map_or(AgentStatus::Running, |r| s.agents[r as usize].status)
}

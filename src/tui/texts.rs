//! What drawing shows of the frames' texts, prepared when its inputs change so that drawing
//! never reads a file, checks a hash or parses JSON: the detail pane's pretty JSON (escaped,
//! long lines cut) and the words of the frames' rows (the Story's words are `story`'s). A
//! frame's text never changes, so what is made of it is kept by position. Knows nothing of
//! the app: `prepare` says what to make and when.

use super::escape::escape;
use crate::core::log::Log;
use crate::core::session::{AgentStatus, FactKind, Pos, Run, Session};
use std::collections::HashMap;

/// Longest detail line kept (in characters); the pane does not wrap, so more never shows.
const LINE_MAX: usize = 2000;
/// Characters of a frame's text kept for its row (one more says it goes on).
const ROW_MAX: usize = 1000;

#[derive(Debug, Default)]
pub struct Texts {
    /// A hash of everything the texts were made from, and of what the detail pane shows.
    made_of: Option<u64>,
    detail_of: Option<u64>,
    /// The detail pane's title and lines (escaped).
    pub detail_title: String,
    pub detail: Vec<String>,
    /// What frames' rows show of their texts, by position.
    rows: HashMap<Pos, Row>,
}

/// What a frame's row shows of its text.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The frame's type name when its kind has none of its own.
    pub kind: Option<String>,
    /// Its words (see [`headline`]), else the start of its text.
    pub words: Option<String>,
    /// The start of its text (the Frames tab), or why it is unavailable.
    pub text: String,
    /// Its size in bytes, if known.
    pub size: Option<usize>,
}

impl Texts {
    /// True when `inputs` (a hash of what the texts are made from) changed since last asked.
    pub fn stale(&mut self, inputs: u64) -> bool {
        self.made_of.replace(inputs) != Some(inputs)
    }

    /// The detail pane for the selection hashed as `of`: made by `make` (title, pretty JSON)
    /// unless it is the one shown.
    pub fn detail(&mut self, of: u64, make: impl FnOnce() -> (String, String)) {
        if self.detail_of.replace(of) == Some(of) {
            return;
        }
        let (title, json) = make();
        self.detail = json.lines().map(|l| cut(&escape(l, true))).collect();
        self.detail_title = title;
    }

    /// Makes the rows of the frames at `positions` not made yet.
    pub fn rows(&mut self, log: &Log, s: &Session, positions: impl Iterator<Item = Pos>) {
        if self.rows.len() > 8 * ROW_MAX {
            self.rows.clear();
        }
        for p in positions {
            self.rows.entry(p).or_insert_with(|| row(log, s, p));
        }
    }

    /// What frame `p`'s row shows of its text (nothing when it has not been made).
    pub fn row(&self, p: Pos) -> Option<&Row> {
        self.rows.get(&p)
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

fn row(log: &Log, s: &Session, p: Pos) -> Row {
    let kind = s.facts.get(p.index()).map(|f| f.kind);
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

/// What a frame says in words, looked up like every field (payload, data, top level).
pub fn headline(raw: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    let find = |key: &str| crate::core::frame::layers::field(&v, key).filter(|x| !x.is_null());
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
        .map_or(AgentStatus::Running, |r| s.agents[r.index()].status)
}

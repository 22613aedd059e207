//! Bookmarks and notes in the inspector: `m` bookmarks the selected frame (on a bookmarked one
//! it removes the bookmark), `n` writes a note on it (an empty note removes it), and `M` or
//! `:marks` lists every mark with its frame, time, agent and text (Enter jumps to it, `d`/`x`
//! deletes it, `n` edits the note, Esc closes). Each change is an entry of the log and an
//! [`Effect::Anchor`] the runner appends to the recording being written, or to the recording
//! being replayed; a replay of anything else keeps them in memory and says so once (`:save FILE`
//! writes them). What the timeline, the detail pane and the list show of them is prepared here
//! when the log changes, never while drawing.

use super::app::{App, Input, Overlay};
use super::escape::escape_short;
use super::keymap::Action;
use super::msg::Effect;
use super::nav;
use crate::core::bookmarks::{self, Anchored, Mark, MarkKind, Marking};
use crate::core::entry::Entry;
use crate::core::session::Pos;
use std::collections::HashMap;
use std::path::PathBuf;

/// The label of a bookmark made with `m`.
const BOOKMARK: &str = "bookmark";

/// Where new marks are written.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Target {
    /// The recording a live session writes (if it writes one).
    #[default]
    Recorder,
    /// The replayed recording, appended to; `t` is the time its lines are written with (its
    /// last segment's end).
    File { path: PathBuf, t: f64 },
    /// Nowhere: kept in memory, and why (said once, at the first mark).
    Memory { why: String, told: bool },
}

/// The marks in force and what is shown of them.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub list: Vec<Mark>,
    /// One line per mark of `list`, for the list: frame, time, agent, glyph and word, text.
    pub rows: Vec<String>,
    /// Per frame with marks: what its timeline row and detail title say (`⚑ bookmark`,
    /// `✎ note: …`).
    labels: HashMap<usize, String>,
    /// The same in a few columns (`⚑ mark ✎ note`), for narrow panes.
    short: HashMap<usize, String>,
    /// Moves on whenever `list` changes.
    pub version: u64,
    generation: u64,
    /// The row of the list under the cursor.
    pub cursor: usize,
    pub target: Target,
}

impl Marks {
    /// What frame `frame`'s row and detail say of its marks.
    pub fn label(&self, frame: usize) -> Option<&str> {
        self.labels.get(&frame).map(String::as_str)
    }

    /// The label in a few columns, for a narrow pane.
    pub fn short_label(&self, frame: usize) -> Option<&str> {
        self.short.get(&frame).map(String::as_str)
    }
}

/// The lines the detail pane shows above frame `frame`'s text: each of its marks in full.
pub fn detail_head(marks: &Marks, frame: usize) -> String {
    let mut head = String::new();
    for m in bookmarks::on_frame(&marks.list, frame) {
        head.push_str(&format!(
            "{} {}: {}\n",
            m.kind.glyph(),
            m.kind.word(),
            m.text
        ));
    }
    if !head.is_empty() {
        head.push('\n');
    }
    head
}

/// Brings the marks up to the log (nothing to do when it has not changed).
pub fn prepare(app: &mut App) {
    let generation = app.sink.log.generation();
    if app.marks.generation == generation {
        return;
    }
    let log = &app.sink.log;
    let list = bookmarks::marks(log);
    let s = log.session();
    let agent = |frame: usize| {
        let fact = s.facts.get(frame)?;
        let a = fact
            .agent()
            .or_else(|| fact.call().and_then(|c| s.calls[c].agent))?;
        let ag = s.agents.get(a.index())?;
        Some(log.interner.resolve(ag.name.unwrap_or(ag.id)).to_string())
    };
    let (mut labels, mut short) = (HashMap::new(), HashMap::<usize, String>::new());
    let mut rows = Vec::with_capacity(list.len());
    for m in &list {
        let f = m.frame;
        let time = f.and_then(|f| super::ui::timeline::rel_time(s, Pos::new(f)));
        let time = time.map_or("—".into(), crate::core::timestamp::clock);
        let who = f.and_then(agent).unwrap_or_else(|| "—".into());
        // A bookmark's default label says nothing its word does not.
        let text = match m.kind {
            MarkKind::Bookmark if m.text == BOOKMARK => String::new(),
            _ => escape_short(&m.text, 200),
        };
        rows.push(format!(
            "{:>6}  {time:>9}  {:<14} {} {:<8} {text}",
            m.place(),
            escape_short(&who, 14),
            m.kind.glyph(),
            m.kind.word()
        ));
        if let Some(f) = f {
            let said = match m.kind {
                MarkKind::Note => format!("{} note: {}", m.kind.glyph(), escape_short(&m.text, 60)),
                _ => format!("{} {}", m.kind.glyph(), m.kind.word()),
            };
            let label: &mut String = labels.entry(f).or_default();
            if !label.is_empty() {
                label.push_str(" · ");
            }
            label.push_str(&said);
            let word = if m.kind == MarkKind::Note {
                "note"
            } else {
                "mark"
            };
            let brief = short.entry(f).or_default();
            if !brief.contains(word) {
                let sep = if brief.is_empty() { "" } else { " " };
                brief.push_str(&format!("{sep}{} {word}", m.kind.glyph()));
            }
        }
    }
    let marks = &mut app.marks;
    (marks.list, marks.rows, marks.labels, marks.short) = (list, rows, labels, short);
    marks.cursor = marks.cursor.min(marks.list.len().saturating_sub(1));
    marks.generation = generation;
    marks.version += 1;
}

/// Adds a bookmark, note or deletion on `frame`: to the log now, to the file by the runner.
fn anchor(app: &mut App, frame: usize, what: Anchored, fx: &mut Vec<Effect>) {
    let Ok(at) = u32::try_from(frame) else {
        app.ui.notice = Some(format!("frame #{frame} is beyond what marks can name"));
        return;
    };
    let t = match &app.marks.target {
        Target::File { t, .. } => *t,
        _ => app.ui.now_ms / 1000.0,
    };
    app.sink
        .log
        .push(Entry::anchored(Some(t), at, what.clone()));
    fx.push(Effect::Anchor { t, at, what });
    prepare(app);
    if let Target::Memory { why, told } = &mut app.marks.target {
        if !*told {
            *told = true;
            let said = app.ui.notice.take().unwrap_or_default();
            app.ui.notice = Some(format!(
                "{said} · kept in memory only ({why}); :save FILE writes them"
            ));
        }
    }
}

/// `m`: bookmarks the selected frame, or removes its bookmark; with no frame yet, a marker.
pub fn toggle_bookmark(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(p) = nav::current_frame(app) else {
        let n = app.sink.log.marks().count();
        let (t, text) = (app.ui.now_ms / 1000.0, format!("mark {}", n + 1));
        app.sink.log.push(Entry::mark(Some(t), text.clone()));
        app.ui.notice = Some(format!("added {text}"));
        fx.push(Effect::Mark { t, text });
        return;
    };
    toggle_on(app, p.index(), fx);
}

fn toggle_on(app: &mut App, frame: usize, fx: &mut Vec<Effect>) {
    if bookmarks::is_bookmarked(&app.marks.list, frame) {
        app.ui.notice = Some(format!("bookmark removed from frame #{frame}"));
        anchor(app, frame, Anchored::Delete(Marking::Bookmark), fx);
    } else {
        app.ui.notice = Some(format!("bookmarked frame #{frame}"));
        anchor(app, frame, Anchored::Bookmark(BOOKMARK.into()), fx);
    }
}

/// `n`: opens the note composer on the selected frame, holding its note if it has one.
pub fn open_note(app: &mut App) {
    match nav::current_frame(app) {
        Some(p) => note_on(app, p.index()),
        None => app.ui.notice = Some("no frame to write a note on yet".into()),
    }
}

fn note_on(app: &mut App, frame: usize) {
    let text = bookmarks::note_on(&app.marks.list, frame).map_or(String::new(), |m| m.text.clone());
    let input = Input {
        text,
        history_at: None,
    };
    app.ui.overlay = Overlay::Note(input, frame);
}

/// Enter in the note composer: the note, or (empty) the removal of the frame's note.
pub fn submit_note(app: &mut App, frame: usize, text: &str, fx: &mut Vec<Effect>) {
    let text = text.trim();
    let had = bookmarks::note_on(&app.marks.list, frame).is_some();
    if text.is_empty() {
        if had {
            app.ui.notice = Some(format!("note removed from frame #{frame}"));
            anchor(app, frame, Anchored::Delete(Marking::Note), fx);
        }
        return;
    }
    app.ui.notice = Some(format!("note on frame #{frame}"));
    anchor(app, frame, Anchored::Note(text.to_string()), fx);
}

/// `M` or `:marks`: opens the list.
pub fn open_list(app: &mut App) {
    app.ui.overlay = Overlay::Marks;
}

/// A key's action while the list is open; false when it closes the list without acting.
pub fn list_key(app: &mut App, a: Action, fx: &mut Vec<Effect>) {
    let n = app.marks.list.len();
    let cursor = app.marks.cursor;
    let move_to = |to: isize| to.clamp(0, n.saturating_sub(1) as isize) as usize;
    let page = (app.ui.size.1 as isize / 2).max(3);
    let selected = app.marks.list.get(cursor).cloned();
    match a {
        Action::Quit => fx.push(Effect::Quit),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let by = match a {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -page,
                _ => page,
            };
            app.marks.cursor = move_to(cursor as isize + by);
        }
        Action::Top => app.marks.cursor = 0,
        Action::Bottom => app.marks.cursor = n.saturating_sub(1),
        Action::Select => {
            app.ui.overlay = Overlay::None;
            if let Some(m) = selected {
                nav::jump_to_frame(app, Pos::new(m.frame.unwrap_or(0)));
                let text = escape_short(&m.text, 40);
                app.ui.notice = Some(format!(
                    "{} {} · {text} · frame {}",
                    m.kind.glyph(),
                    m.kind.word(),
                    m.place()
                ));
            }
        }
        Action::ContextView | Action::ToggleRule => match selected {
            Some(m) => delete(app, &m, fx),
            None => app.ui.notice = Some("no mark to delete".into()),
        },
        Action::Note => match selected.and_then(|m| m.frame) {
            Some(f) => note_on(app, f),
            None => app.ui.notice = Some("a marker before the first frame takes no note".into()),
        },
        Action::Mark => {
            if let Some(f) = selected.and_then(|m| m.frame) {
                toggle_on(app, f, fx);
            }
        }
        _ => app.ui.overlay = Overlay::None,
    }
}

fn delete(app: &mut App, m: &Mark, fx: &mut Vec<Effect>) {
    let Some(frame) = m.frame else {
        app.ui.notice = Some("a marker before the first frame cannot be deleted".into());
        return;
    };
    let what = match m.kind {
        MarkKind::Note => Marking::Note,
        MarkKind::Marker | MarkKind::Bookmark => Marking::Bookmark,
    };
    app.ui.notice = Some(format!("{} removed from frame #{frame}", m.kind.word()));
    anchor(app, frame, Anchored::Delete(what), fx);
}

/// Where a replay's marks go: the file itself when it is an orchscope recording that may be
/// written, else memory, saying why.
pub fn replay_target(file: &str, format: crate::core::import::Format, read_only: bool) -> Target {
    use crate::core::import::Format;
    let why = match format {
        _ if read_only => "--read-only",
        _ if file == "-" => "the input is a pipe",
        Format::Orchscope => {
            return Target::File {
                path: PathBuf::from(file),
                t: 0.0,
            }
        }
        Format::Jsonl => "a bare JSONL file holds frames only",
        _ => "a foreign format cannot hold them",
    };
    Target::Memory {
        why: why.into(),
        told: false,
    }
}

/// The time a replayed recording's new lines are written with: its last time, in its last
/// segment's terms (so a reader's times stay in order).
pub fn end_time(log: &crate::core::log::Log) -> f64 {
    let secs = |p: usize| {
        log.session()
            .facts
            .get(p)
            .and_then(|f| f.at.recv())
            .map(|ms| ms / 1000.0)
    };
    let last = log.frames().checked_sub(1).and_then(secs).unwrap_or(0.0);
    let segment = (log.others())
        .filter(|(_, o)| matches!(o, crate::core::log::Other::Segment))
        .last()
        .and_then(|(before, _)| before.checked_sub(1).and_then(secs))
        .unwrap_or(0.0);
    (last - segment).max(0.0)
}

//! Bookmarks and user notes on frames: what a recording's anchored lines say
//! (`{"t":…,"mark":"…","at":N}`, `{"t":…,"note":"…","at":N}`, `{"t":…,"delete":"mark"|"note",
//! "at":N}`), and the one rule that folds them, with the unanchored markers, into the list every
//! front end shows. Lines are only ever appended, so a later line wins: a note replaces the
//! frame's earlier note, a deletion removes what the frame had. An anchored line belongs to its
//! frame wherever it stands in the file; an unanchored marker belongs to the frame before it.

use super::log::{Log, Other};

/// What an anchored line on frame `at` does.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchored {
    /// Bookmarks the frame, with a label.
    Bookmark(String),
    /// Attaches a note (free text) to the frame, replacing the one it had.
    Note(String),
    /// Removes the frame's bookmarks and markers, or its note.
    Delete(Marking),
}

/// Which kind of mark a deletion removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    Bookmark,
    Note,
}

impl Marking {
    /// The word a recording line uses (`"delete": "mark"` or `"note"`).
    pub fn word(self) -> &'static str {
        match self {
            Marking::Bookmark => "mark",
            Marking::Note => "note",
        }
    }

    /// The kind a recording line names.
    pub fn parse(word: &str) -> Option<Marking> {
        match word {
            "mark" => Some(Marking::Bookmark),
            "note" => Some(Marking::Note),
            _ => None,
        }
    }
}

/// What kind of mark a [`Mark`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// A marker without a frame of its own (the demo server's, older recordings').
    Marker,
    Bookmark,
    Note,
}

impl MarkKind {
    /// The glyph shown with the word (never colour alone).
    pub fn glyph(self) -> &'static str {
        match self {
            MarkKind::Marker | MarkKind::Bookmark => "⚑",
            MarkKind::Note => "✎",
        }
    }

    /// The word shown with the glyph.
    pub fn word(self) -> &'static str {
        match self {
            MarkKind::Marker => "marker",
            MarkKind::Bookmark => "bookmark",
            MarkKind::Note => "note",
        }
    }
}

/// One bookmark, note or marker, in force after every line was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    /// The 0-based frame it belongs to (`None`: before the first frame).
    pub frame: Option<usize>,
    /// When the line was written (seconds since the recording's start).
    pub t: Option<f64>,
    pub text: String,
}

impl Mark {
    /// The frame number as shown (`#12`, or `start`).
    pub fn place(&self) -> String {
        self.frame.map_or("start".into(), |f| format!("#{f}"))
    }
}

/// The marks in force in `log`, ordered by frame (markers before the first frame first), then
/// bookmarks before notes, then in the order they were made. Linear in the log's marks.
pub fn marks(log: &Log) -> Vec<Mark> {
    let mut list: Vec<Option<Mark>> = Vec::new();
    // Indices in `list` of each frame's bookmarks and markers, and of its note.
    let mut bookmarks: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    let mut notes: std::collections::HashMap<usize, usize> = Default::default();
    for (before, other) in log.others() {
        match other {
            Other::Mark { t, text } => {
                let frame = before.checked_sub(1);
                if let Some(f) = frame {
                    bookmarks.entry(f).or_default().push(list.len());
                }
                list.push(Some(Mark {
                    kind: MarkKind::Marker,
                    frame,
                    t: *t,
                    text: text.clone(),
                }));
            }
            Other::Anchored { t, at, what } => {
                let f = *at as usize;
                let mark = |kind, text: &String| {
                    Some(Mark {
                        kind,
                        frame: Some(f),
                        t: *t,
                        text: text.clone(),
                    })
                };
                match what {
                    Anchored::Bookmark(text) => {
                        bookmarks.entry(f).or_default().push(list.len());
                        list.push(mark(MarkKind::Bookmark, text));
                    }
                    Anchored::Note(text) => {
                        if let Some(old) = notes.insert(f, list.len()) {
                            list[old] = None;
                        }
                        list.push(mark(MarkKind::Note, text));
                    }
                    Anchored::Delete(Marking::Bookmark) => {
                        for i in bookmarks.remove(&f).unwrap_or_default() {
                            list[i] = None;
                        }
                    }
                    Anchored::Delete(Marking::Note) => {
                        if let Some(i) = notes.remove(&f) {
                            list[i] = None;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut list: Vec<Mark> = list.into_iter().flatten().collect();
    // Stable: the order they were made stays within a frame and kind.
    list.sort_by_key(|m| (m.frame.map_or(0, |f| f + 1), m.kind == MarkKind::Note));
    list
}

/// Whether frame `frame` has a bookmark or marker in `marks`.
pub fn is_bookmarked(marks: &[Mark], frame: usize) -> bool {
    on_frame(marks, frame).any(|m| m.kind != MarkKind::Note)
}

/// The note on frame `frame`, if any.
pub fn note_on(marks: &[Mark], frame: usize) -> Option<&Mark> {
    on_frame(marks, frame).find(|m| m.kind == MarkKind::Note)
}

/// The marks on frame `frame` (a binary search: `marks` is ordered by frame).
pub fn on_frame(marks: &[Mark], frame: usize) -> impl Iterator<Item = &Mark> + '_ {
    let key = |m: &Mark| m.frame.map_or(0, |f| f + 1);
    let from = marks.partition_point(|m| key(m) < frame + 1);
    marks[from..]
        .iter()
        .take_while(move |m| key(m) == frame + 1)
}

/// What frame `frame` is part of, by the names `diff` aligns on and reports show: its run
/// (0-based), its agent's name, and its tool call's tool and id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub run: Option<usize>,
    pub agent: Option<String>,
    pub tool: Option<String>,
    pub call_id: Option<String>,
}

/// The place of frame `frame` in `log`'s session (nothing for a frame it does not know).
pub fn place(log: &Log, frame: usize) -> Place {
    let s = log.session();
    let Some(fact) = s.facts.get(frame) else {
        return Place::default();
    };
    let name = |sym| log.interner.resolve(sym).to_string();
    let call = fact.call().and_then(|c| s.calls.get(c.index()));
    let agent =
        (fact.agent().or_else(|| call.and_then(|c| c.agent))).and_then(|a| s.agents.get(a.index()));
    Place {
        run: fact
            .run()
            .map(|r| r.index())
            .or(agent.map(|a| a.run.index())),
        agent: agent.map(|a| name(a.name.unwrap_or(a.id))),
        tool: call.and_then(|c| c.tool).map(name),
        call_id: call.and_then(|c| c.call_id).map(name),
    }
}

/// Frame `frame`'s time in ms since the session's first timed frame, on the session's
/// timeline clock (the producer's when every frame in carries a timestamp, else receive).
pub fn frame_time_ms(s: &super::session::Session, frame: usize) -> Option<f64> {
    let producer = s.timeline_clock() == super::session::Clock::Producer;
    let t = |i: usize| {
        let at = &s.facts.get(i)?.at;
        if producer {
            at.ts()
        } else {
            at.recv().or(at.ts())
        }
    };
    let first = (0..s.facts.len().min(64)).find_map(t)?;
    Some(t(frame)? - first)
}

#[cfg(test)]
#[path = "bookmarks_tests.rs"]
mod tests;

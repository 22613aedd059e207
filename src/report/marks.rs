//! The report's bookmarks and notes: one table of every mark in force (frame, time, run,
//! agent, tool call, glyph and word, text), and, in each run, the marks on its frames under
//! its Story. The marks are the core's fold (`core::bookmarks`), so the report shows what the
//! inspector lists; each text is said (escaped, redacted) once.

use super::{Block, Say};
use crate::core::bookmarks::{frame_time_ms, marks, place, Mark, Place};
use crate::core::log::Log;
use crate::core::timestamp::clock;
use std::collections::HashMap;

const HEAD: [&str; 7] = ["frame", "time", "run", "agent", "tool call", "mark", "text"];

/// The marks of a log as the report shows them.
pub struct Marked {
    rows: Vec<Vec<String>>,
    /// Rows of the marks on each run's frames (runs 0-based).
    by_run: HashMap<usize, Vec<usize>>,
}

impl Marked {
    pub fn new(say: &mut Say, log: &Log) -> Marked {
        let mut by_run: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut rows = Vec::new();
        for m in marks(log) {
            let p = m.frame.map(|f| place(log, f)).unwrap_or_default();
            if let Some(r) = p.run {
                by_run.entry(r).or_default().push(rows.len());
            }
            rows.push(row(say, log, &m, &p));
        }
        Marked { rows, by_run }
    }
}

fn row(say: &mut Say, log: &Log, m: &Mark, p: &Place) -> Vec<String> {
    let time = m.frame.and_then(|f| frame_time_ms(log.session(), f));
    let call = match (&p.tool, &p.call_id) {
        (Some(t), Some(id)) => format!("{t} {id}"),
        (Some(t), None) => t.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => "—".into(),
    };
    vec![
        m.place(),
        time.map_or("—".into(), clock),
        p.run.map_or("—".into(), |r| format!("run {}", r + 1)),
        say.line(p.agent.as_deref().unwrap_or("—")),
        say.line(&call),
        format!("{} {}", m.kind.glyph(), m.kind.word()),
        say.text(&m.text, super::PAYLOAD_CHARS),
    ]
}

/// Every bookmark, note and marker, by frame.
pub fn all(out: &mut Vec<Block>, marked: &Marked) {
    if marked.rows.is_empty() {
        return;
    }
    out.push(Block::H(
        2,
        format!("Bookmarks and notes ({})", marked.rows.len()),
    ));
    out.push(Block::Table("mark", HEAD.to_vec(), marked.rows.clone()));
}

/// The marks on run `run`'s frames, as items under its Story.
pub fn in_run(out: &mut Vec<Block>, marked: &Marked, run: usize) {
    let Some(rows) = marked.by_run.get(&run) else {
        return;
    };
    let items: Vec<String> = (rows.iter().map(|&i| &marked.rows[i]))
        .map(|c| {
            let on = if c[4] == "—" {
                c[3].clone()
            } else {
                format!("{} · {}", c[3], c[4])
            };
            format!("{} frame {} · {} · {on}: {}", c[5], c[0], c[1], c[6])
        })
        .collect();
    out.push(Block::H(
        4,
        format!("Bookmarks and notes ({})", items.len()),
    ));
    out.push(Block::Items(items));
}

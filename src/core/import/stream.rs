//! Importing a foreign format a line at a time, as it is written (a followed file, a pipe, a
//! WebSocket's text frames): each line in, the native frames it makes out now; at the end,
//! what the closing step adds. The per-record rules and closing steps are the importers' own
//! (the whole-file import is the same records pushed, then closed), so a file followed line by
//! line gives the frames it gives imported whole. Lines are numbered, skipped and reported
//! (blank, `#`, not JSON, cut off at the end) exactly as a whole file's are.
//!
//! Claude Code takes its sub-agents' transcripts as further files (`push_file`). LangGraph
//! holds an invocation's events until it ends (see its `stream`). OTLP files and OpenAI Agents
//! exports are kept and read whole when the input closes: their spans and traces are not
//! line-per-event.

use std::collections::HashMap;

use serde_json::Value;

use super::{claude_code, codex, import, langgraph, peek, Format, Imported, Out};

/// The format a native frame was imported from (its `payload.foreign.format`).
pub fn foreign_format(frame: &str) -> Option<Format> {
    let v: Value = serde_json::from_str(frame).ok()?;
    Format::from_name(super::s(&v, &["payload", "foreign", "format"])?)
}

/// A foreign input read line by line.
pub struct LineImporter {
    feed: Feed,
    main: Numbering,
    side: HashMap<String, Numbering>,
}

/// Where a line is in its file, and a line that did not parse (reported once the next line
/// shows it was not the last).
#[derive(Default)]
struct Numbering {
    n: usize,
    bad: Option<(usize, String)>,
}

enum Feed {
    Claude(claude_code::Stream),
    Codex(codex::Stream),
    Langgraph(langgraph::Stream),
    /// Read whole when the input closes.
    Whole(Format, String, Out),
}

impl LineImporter {
    /// A line importer for `format`; `None` for orchscope's own frames, which need none.
    pub fn new(format: Format) -> Option<LineImporter> {
        let out = Out::new(format);
        let feed = match format {
            Format::Orchscope | Format::Jsonl => return None,
            Format::ClaudeCode => Feed::Claude(claude_code::Stream::new(out)),
            Format::Codex => Feed::Codex(codex::Stream::new(out)),
            Format::Langgraph => Feed::Langgraph(langgraph::Stream::new(out)),
            Format::Otlp | Format::OpenaiAgents => Feed::Whole(format, String::new(), out),
        };
        Some(LineImporter {
            feed,
            main: Numbering::default(),
            side: HashMap::new(),
        })
    }

    /// One line of the input (without its line break): the frames, markers and problems it
    /// makes now.
    pub fn push(&mut self, line: &str) -> Imported {
        self.take(None, line)
    }

    /// One line of a file beside the input: a sub-agent's transcript beside a Claude Code
    /// session's, a child thread's rollout beside a Codex rollout (other formats have none:
    /// ignored).
    pub fn push_file(&mut self, file: &str, line: &str) -> Imported {
        self.take(Some(file), line)
    }

    /// The sub-agent transcript `file` was spawned by the call `tool_use_id` (its meta file).
    pub fn link_file(&mut self, file: &str, tool_use_id: &str) -> Imported {
        if let Feed::Claude(c) = &mut self.feed {
            c.link_file(file, tool_use_id);
            return c.drain();
        }
        Imported::default()
    }

    /// The folders where the Codex rollouts beside the rollout `main` (its child threads')
    /// appear; their `rollout-*.jsonl` files are pushed with `push_file`, and those of another
    /// session are left unread.
    pub fn codex_dirs(main: &std::path::Path) -> Vec<std::path::PathBuf> {
        codex::child_dirs(main)
    }

    /// Whether the sub-agent transcript `file` still waits for the call that spawned it.
    pub fn unlinked(&self, file: &str) -> bool {
        match &self.feed {
            Feed::Claude(c) => c.unlinked(file),
            _ => false,
        }
    }

    /// Lines read and held until what they belong to is complete (a LangGraph invocation).
    pub fn pending(&self) -> usize {
        match &self.feed {
            Feed::Langgraph(l) => l.pending(),
            _ => 0,
        }
    }

    fn take(&mut self, file: Option<&str>, raw: &str) -> Imported {
        if let Feed::Whole(_, text, _) = &mut self.feed {
            if file.is_none() {
                text.push_str(raw);
                text.push('\n');
            }
            return Imported::default();
        }
        if file.is_some() && !matches!(self.feed, Feed::Claude(_) | Feed::Codex(_)) {
            return Imported::default();
        }
        let num = numbering(&mut self.main, &mut self.side, file);
        num.n += 1;
        let n = num.n;
        let text = raw.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            return Imported::default();
        }
        let bad = num.bad.take();
        let feed = &mut self.feed;
        let out = feed.out();
        out.set_file(file.map(str::to_string));
        if let Some((m, e)) = bad {
            out.problem(m, format!("line {m} is not valid JSON ({e}); skipped"));
        }
        let parsed = feed.parse(n, text);
        feed.out().set_file(None);
        match parsed {
            Err(e) => numbering(&mut self.main, &mut self.side, file).bad = Some((n, e)),
            Ok(Some(rec)) => feed.record(file, n, rec),
            Ok(None) => {}
        }
        feed.drain()
    }

    /// The end of the input: a last line that did not parse is reported cut off, and what
    /// was left open is closed as at the end of a whole file.
    pub fn close(mut self) -> Imported {
        let mut files: Vec<(String, Numbering)> = self.side.drain().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (file, num) in files {
            if let Some((m, _)) = num.bad {
                let out = self.feed.out();
                out.set_file(Some(file));
                out.problem(m, format!("line {m}: last line is cut off; ignored"));
                out.set_file(None);
            }
        }
        let cut = self.main.bad.is_some();
        if let Some((m, _)) = self.main.bad {
            let out = self.feed.out();
            out.problem(m, format!("line {m}: last line is cut off; ignored"));
        }
        match self.feed {
            Feed::Claude(c) => c.close(cut),
            Feed::Codex(c) => c.close(cut),
            Feed::Langgraph(l) => l.close(cut),
            Feed::Whole(format, text, _) => import(format, &text),
        }
    }
}

impl Feed {
    fn out(&mut self) -> &mut Out {
        match self {
            Feed::Claude(c) => c.out(),
            Feed::Codex(c) => c.out(),
            Feed::Langgraph(l) => l.out(),
            Feed::Whole(.., out) => out,
        }
    }

    /// A line's record: `Ok(None)` for a line the importer does not read (or JSON that is not
    /// an object, reported), `Err` for one that is not JSON.
    fn parse(&mut self, n: usize, text: &str) -> Result<Option<Line>, String> {
        if let Feed::Claude(c) = self {
            let wanted = claude_code::wanted;
            let seen = super::unknowns::claude_code_line;
            return match peek::line(text, n, c.out(), &wanted, &seen) {
                Ok(Some(rec)) => Ok(rec.map(Line::Rec)),
                Ok(None) => {
                    let msg = format!("line {n} is JSON but not an object; skipped");
                    c.out().problem(n, msg);
                    Ok(None)
                }
                Err(e) => Err(e.to_string()),
            };
        }
        match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Object(_)) => Ok(Some(Line::Value(v))),
            Ok(_) => {
                let msg = format!("line {n} is JSON but not an object; skipped");
                self.out().problem(n, msg);
                Ok(None)
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn record(&mut self, file: Option<&str>, n: usize, line: Line) {
        match (self, line, file) {
            (Feed::Claude(c), Line::Rec(rec), None) => c.push(n, rec),
            (Feed::Claude(c), Line::Rec(rec), Some(f)) => c.push_file(f, n, rec),
            (Feed::Codex(c), Line::Value(v), None) => c.push(n, &v),
            (Feed::Codex(c), Line::Value(v), Some(f)) => c.push_file(f, n, &v),
            (Feed::Langgraph(l), Line::Value(v), _) => l.push(n, v),
            _ => {}
        }
    }

    fn drain(&mut self) -> Imported {
        match self {
            Feed::Whole(..) => Imported::default(),
            other => other.out().drain(),
        }
    }
}

/// The numbering of the session's file (`None`) or of a file beside it.
fn numbering<'a>(
    main: &'a mut Numbering,
    side: &'a mut HashMap<String, Numbering>,
    file: Option<&str>,
) -> &'a mut Numbering {
    match file {
        Some(f) => side.entry(f.to_string()).or_default(),
        None => main,
    }
}

/// A line's record, as its importer reads it.
enum Line {
    Rec(peek::Rec),
    Value(Value),
}

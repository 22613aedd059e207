//! A followed input in another framework's format: each complete line goes through the line
//! importer (`core::import::LineImporter`) and the native frames it makes are handed on as a
//! socket's would be (recorded as such: each keeps its source line under `payload.foreign`).
//! A Claude Code transcript brings its sub-agents' transcripts as they appear: the current
//! CLI's `<session>/subagents/agent-*.jsonl` (linked by their `.meta.json`) and the older CLI's
//! sibling `agent-*.jsonl` files; a Codex rollout brings its child threads' rollouts (the
//! `rollout-*.jsonl` of its day's folder and the next that name its session). At each look,
//! the lines every file gained are taken by their time across the files
//! (`core::import::Interleaving`), so a sub-agent's lines come before its call's result and in
//! the order they were written beside the other sub-agents'. When the input ends (a pipe
//! closed) or the follower is stopped, the importer closes what was left open as at the end of
//! a file.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Out, POLL};
use crate::core::import::{Format, Imported, Interleaving, LineImporter};
use crate::core::link::LinkState;

impl Out<'_> {
    /// Hands on what the importer made; false once nobody listens.
    fn imported(&self, imported: Imported) -> bool {
        let t = self.now();
        (crate::source::imported::messages(t, imported).into_iter()).all(|m| self.emit(m))
    }

    /// Tells how many events the importer holds, when that changed; false once nobody listens.
    fn held(&self, now: usize) -> bool {
        let mut told = self.pending.get();
        let msg = crate::source::imported::pending(self.now(), &mut told, now);
        self.pending.set(told);
        msg.is_none_or(|m| self.emit(m))
    }
}

/// A pipe (or anything read until it ends): line by line, closed at its end.
pub(super) fn pipe(out: &Out, mut importer: LineImporter, mut input: impl BufRead) {
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {
                if !out.imported(importer.push(&text(&line))) || !out.held(importer.pending()) {
                    return;
                }
            }
            Err(e) => {
                let _ = out.link(LinkState::GaveUp, format!("{}: {e}", out.config.shown()));
                return;
            }
        }
    }
    if out.imported(importer.close()) && out.held(0) {
        let _ = out.link(LinkState::Disconnected, "the input ended".into());
    }
}

/// A line's text, its line break dropped (invalid UTF-8 read with replacements).
fn text(line: &[u8]) -> String {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}

/// A file read as it grows: what has been written since the last look, in complete lines.
struct Growing {
    file: File,
    path: PathBuf,
    at: u64,
    /// A line still being written.
    partial: Vec<u8>,
}

impl Growing {
    fn open(path: &Path) -> io::Result<Growing> {
        Ok(Growing {
            file: File::open(path)?,
            path: path.to_path_buf(),
            at: 0,
            partial: Vec::new(),
        })
    }

    /// The complete lines written since the last call; `None` when the file shrank (it was
    /// truncated: read again from its start).
    fn lines(&mut self) -> io::Result<Option<Vec<String>>> {
        let len = std::fs::metadata(&self.path).map_or(self.at, |m| m.len());
        if len < self.at {
            *self = Growing::open(&self.path)?;
            return Ok(None);
        }
        let mut buf = Vec::new();
        let n = (&mut self.file).take(16 << 20).read_to_end(&mut buf)?;
        self.at += n as u64;
        self.partial.extend_from_slice(&buf);
        let Some(end) = self.partial.iter().rposition(|&b| b == b'\n') else {
            return Ok(Some(Vec::new()));
        };
        let rest = self.partial.split_off(end + 1);
        let done = std::mem::replace(&mut self.partial, rest);
        Ok(Some(
            done.split_inclusive(|&b| b == b'\n').map(text).collect(),
        ))
    }
}

/// A growing file and, for a Claude Code transcript, its sub-agents' files; until `stop`.
pub(super) fn file(
    out: &Out,
    mut importer: LineImporter,
    format: Format,
    main: (File, PathBuf, u64, Vec<u8>),
    stop: &AtomicBool,
) {
    let (file, path, at, partial) = main;
    let mut main = Growing {
        file,
        path,
        at,
        partial,
    };
    let mut side = Side::new(&main.path, format);
    let mut order = Interleaving::default();
    while !stop.load(Ordering::Relaxed) {
        // What every file gained since the last look, taken by time across the files (as a
        // whole session's are), so one sub-agent's later lines never pass another's earlier
        // ones, nor the session's own.
        let lines = main.lines();
        let mut files = side.look();
        let mut got = Vec::new();
        match lines {
            Ok(Some(lines)) => files.insert(0, lines),
            Ok(None) => {
                let note = "the file was truncated; reading it again from its start";
                got.push(problem(note));
                importer = match LineImporter::new(format) {
                    Some(i) => i,
                    None => return,
                };
                files.insert(0, Vec::new());
            }
            Err(e) => {
                let _ = out.link(LinkState::GaveUp, format!("{}: {e}", out.config.shown()));
                return;
            }
        }
        // A file whose meta file names its call is linked before its lines are read, so
        // they are taken in their time's place, not held until after the look.
        got.extend(side.link(&mut importer));
        for (k, line) in order.order(files) {
            got.push(match k.checked_sub(1) {
                None => importer.push(&line),
                Some(k) => importer.push_file(&side.files[k].0, &line),
            });
        }
        // Each line read gave one result, empty or not.
        let idle = got.is_empty();
        if !got.into_iter().all(|i| out.imported(i)) || !out.held(importer.pending()) {
            return;
        }
        if idle {
            std::thread::sleep(POLL);
        }
    }
    if !main.partial.is_empty() {
        let last = text(&std::mem::take(&mut main.partial));
        let _ = out.imported(importer.push(&last));
    }
    let _ = out.imported(importer.close()) && out.held(0);
}

fn problem(message: &str) -> Imported {
    let mut i = Imported::default();
    i.problems.push(crate::core::import::Problem {
        line: 0,
        message: message.to_string(),
    });
    i
}

/// The files beside a followed one, found as they appear: the sub-agent transcripts beside a
/// Claude Code session's, the child threads' rollouts beside a Codex rollout.
struct Side {
    /// Where they appear (none for other formats).
    dirs: Vec<PathBuf>,
    /// How their names begin (`agent-`, `rollout-`).
    prefix: &'static str,
    /// The session's own file, never one of them.
    main: PathBuf,
    files: Vec<(String, Growing)>,
}

impl Side {
    fn new(main: &Path, format: Format) -> Side {
        let dir = main.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut dirs = Vec::new();
        let mut prefix = "agent-";
        match format {
            Format::ClaudeCode => {
                if let Some(stem) = main.file_stem() {
                    dirs.push(dir.join(stem).join("subagents"));
                }
                dirs.push(dir);
            }
            Format::Codex => {
                dirs = LineImporter::codex_dirs(main);
                prefix = "rollout-";
            }
            _ => {}
        }
        Side {
            dirs,
            prefix,
            main: main.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// New files found; the lines each known file gained, in the order of `files`.
    fn look(&mut self) -> Vec<Vec<String>> {
        for dir in &self.dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p != &self.main && is_side_file(p, self.prefix))
                .collect();
            found.sort();
            for p in found {
                let name = file_name(&p);
                if self.files.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                if let Ok(g) = Growing::open(&p) {
                    self.files.push((name, g));
                }
            }
        }
        (self.files.iter_mut())
            .map(|(_, g)| g.lines().ok().flatten().unwrap_or_default())
            .collect()
    }

    /// The links their meta files give, for the files still waiting for theirs.
    fn link(&self, importer: &mut LineImporter) -> Vec<Imported> {
        let waiting = self.files.iter().filter(|(n, _)| importer.unlinked(n));
        let links: Vec<(String, String)> = waiting
            .filter_map(|(n, g)| Some((n.clone(), meta_tool(&g.path)?)))
            .collect();
        (links.iter())
            .map(|(name, tool)| importer.link_file(name, tool))
            .collect()
    }
}

fn is_side_file(p: &Path, prefix: &str) -> bool {
    let name = file_name(p);
    name.starts_with(prefix) && name.ends_with(".jsonl")
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The spawning call a sub-agent's meta file names (`toolUseId`), once it is there.
fn meta_tool(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path.with_extension("meta.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    meta.get("toolUseId")?.as_str().map(str::to_string)
}

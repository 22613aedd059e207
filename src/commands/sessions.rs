//! `orchscope sessions`: the newest agent sessions kept on disk, where their producers write
//! them (Claude Code's projects, Codex's sessions) and under every `--dir`; and [`resolve`],
//! the one place a session id prefix given where a file is expected becomes that session's
//! file (`replay`, `summary` and `validate` call it).

use crate::cli::{Fatal, SessionsArgs, SummaryFormat};
use crate::console::{note, out, out_line, stdout_closed};
use crate::core::discover;
use crate::core::escape::escape;
use std::path::{Path, PathBuf};

mod row;
mod table;

/// How many matching ids an ambiguous prefix's message names.
const IDS_SHOWN: usize = 3;

/// Where producers keep their sessions: Claude Code's `projects` (under `$CLAUDE_CONFIG_DIR`,
/// else `~/.claude`) and Codex's `sessions` (under `$CODEX_HOME`, else `~/.codex`).
pub fn usual_places() -> Vec<PathBuf> {
    let home = home();
    let claude = var("CLAUDE_CONFIG_DIR").or_else(|| home.as_ref().map(|h| h.join(".claude")));
    let codex = var("CODEX_HOME").or_else(|| home.as_ref().map(|h| h.join(".codex")));
    [
        claude.map(|c| c.join("projects")),
        codex.map(|c| c.join("sessions")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn run(args: SessionsArgs) -> Result<u8, Fatal> {
    for dir in &args.dirs {
        if !dir.is_dir() {
            return Err(Fatal(format!("--dir {}: no such directory", shown(dir))));
        }
    }
    let mut places = usual_places();
    places.extend(args.dirs.iter().cloned());
    let found = discover::newest(discover::scan(&places), args.limit as usize);
    if found.is_empty() {
        let line = format!("no sessions found (looked in {})", looked(&places));
        match args.format {
            SummaryFormat::Text => out_line(&line).map_err(Fatal)?,
            SummaryFormat::Json => {
                note(&line);
                out_line("[]").map_err(Fatal)?;
            }
        }
        return Ok(0);
    }
    let home = home();
    match args.format {
        SummaryFormat::Text => {
            out_line(&table::header()).map_err(Fatal)?;
            // Each row as soon as it is loaded: loading is the slow part, and nobody reads
            // the rest once the output is closed.
            for f in found {
                if stdout_closed() {
                    break;
                }
                out(&table::text(&row::load(f), home.as_deref())).map_err(Fatal)?;
            }
        }
        SummaryFormat::Json => {
            let rows: Vec<row::Row> = found.into_iter().map(row::load).collect();
            out_line(&table::json(&rows)).map_err(Fatal)?;
        }
    }
    Ok(0)
}

/// An environment variable naming a directory, when set and not empty.
fn var(key: &str) -> Option<PathBuf> {
    std::env::var_os(key)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The user's home directory (`$HOME`, else the platform's idea of it).
fn home() -> Option<PathBuf> {
    var("HOME").or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
}

/// What a SOURCE argument names: itself when it is an existing path, `-`, a URL or nothing
/// like an id; else the one session (in the usual places) whose id starts with it. Several
/// or none is an error sentence.
pub fn resolve(source: &str) -> Result<String, String> {
    let plain = source == "-"
        || source.contains("://")
        || Path::new(source).symlink_metadata().is_ok()
        || !discover::is_id_prefix(source);
    if plain {
        return Ok(source.to_string());
    }
    let places = usual_places();
    let found = discover::with_prefix(discover::scan(&places), source);
    match found.as_slice() {
        [one] => {
            note(&format!(
                "{source} is session {}: {}",
                escape(&one.id, true),
                shown(&one.path)
            ));
            Ok(one.path.to_string_lossy().into_owned())
        }
        [] => Err(format!(
            "{source}: no such file, and no session id starts with it (looked in {})",
            looked(&places)
        )),
        many => {
            let ids: Vec<String> = many
                .iter()
                .take(IDS_SHOWN)
                .map(|f| escape(&f.id, true))
                .collect();
            let more = if many.len() > IDS_SHOWN { ", …" } else { "" };
            Err(format!(
                "{source}: {} sessions have an id starting with it ({}{more}); give more of the id",
                many.len(),
                ids.join(", ")
            ))
        }
    }
}

/// A path as it may be printed: control characters made visible.
fn shown(path: &Path) -> String {
    escape(&path.to_string_lossy(), true)
}

/// The places looked in, for a message.
fn looked(places: &[PathBuf]) -> String {
    if places.is_empty() {
        return "nowhere: no home directory and no --dir".to_string();
    }
    let names: Vec<String> = places.iter().map(|p| shown(p)).collect();
    names.join(", ")
}

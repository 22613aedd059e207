//! What the TUI commands share: resolving the theme (`--theme`, the config's `theme`, `mono`
//! under `NO_COLOR`/`--no-color`), the keymap (`[keys]`) and the validator config into one set
//! of settings; the default recording path; and starting a live link's sink and source.

use crate::cli::{Common, Fatal};
use crate::core::log::Keep;
use crate::core::recording::{default_file_name, Existing, Header};
use crate::core::validate::Config;
use crate::source::budget::{self, Budget};
use crate::source::sink::Sink;
use crate::source::spec::Spec;
use crate::tui::keymap::Keymap;
use crate::tui::runner::Link;
use crate::tui::theme::{self, Theme};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

pub struct Settings {
    pub theme: Theme,
    pub keymap: Keymap,
    pub config: Config,
}

pub fn settings(common: &Common) -> Result<Settings, Fatal> {
    let config = crate::config::load(common.config.as_deref()).map_err(Fatal)?;
    let (ui, origin) = crate::config::load_ui(common.config.as_deref()).map_err(Fatal)?;
    let keymap = Keymap::with_overrides(&ui.keys).map_err(|e| {
        Fatal(format!(
            "config error in {origin}, line {}: keys.{}: {}",
            e.line, e.key, e.message
        ))
    })?;
    let config_dir =
        directories::ProjectDirs::from("", "", "orchscope").map(|d| d.config_dir().to_path_buf());
    let spec = common.theme.clone().or(ui.theme);
    let theme = if !crate::cli::color_allowed(common) {
        // --no-color / NO_COLOR still check a named theme, but draw without colour.
        if let Some(s) = &spec {
            theme::resolve(s, config_dir.as_deref()).map_err(Fatal)?;
        }
        Theme::builtin("mono").expect("mono is built in")
    } else {
        match spec {
            Some(s) => theme::resolve(&s, config_dir.as_deref()).map_err(Fatal)?,
            None => Theme::default(),
        }
    };
    Ok(Settings {
        theme,
        keymap,
        config,
    })
}

/// Where a live session is recorded: `--record PATH`, nothing with `--no-record`, else the
/// platform data dir's `recordings/`.
pub fn record_path(record: Option<&Path>, no_record: bool) -> Option<PathBuf> {
    if no_record {
        return None;
    }
    if let Some(p) = record {
        return Some(p.to_path_buf());
    }
    let dirs = directories::ProjectDirs::from("", "", "orchscope")?;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
    let first = dirs
        .data_dir()
        .join("recordings")
        .join(default_file_name(chrono::Local::now(), &host));
    // Two sessions started within the same second get `.2.jsonl`, `.3.jsonl`… rather than a
    // refusal of the existing file.
    let numbered = |n: u32| first.with_extension(format!("{n}.jsonl"));
    let free = std::iter::once(first.clone())
        .chain((2..1000).map(numbered))
        .find(|p| std::fs::symlink_metadata(p).is_err());
    Some(free.unwrap_or(first))
}

/// A sink for a live session, recording when asked (doing `existing` if the file is there).
pub fn live_sink(path: Option<&Path>, source: &Spec, existing: Existing) -> Result<Sink, Fatal> {
    let header = Header {
        started_at: Some(chrono::Local::now().to_rfc3339()),
        source: Some(serde_json::json!({"kind": source.kind(), "url": source.shown_url()})),
        title: None,
        meta: None,
    };
    match path {
        Some(p) => Sink::recording_to(Keep::All, p, &header, existing)
            .map_err(|e| Fatal(crate::cli::open_error(p, &e))),
        None => Ok(Sink::in_memory(Keep::All)),
    }
}

/// Messages the source may have handed on and the screen not yet digested (the backlog the
/// header shows), within 64 MiB of frames. Past either the source stops reading the socket
/// until the screen catches up.
const BACKLOG: usize = 1024;

/// Starts the live source on the current runtime, recording through `sink`'s recorder.
pub fn start_link(mut source: Spec, sink: &Sink) -> Link {
    let budget = Budget::new(budget::DEFAULT_BYTES);
    source.attach(sink.recorder(), budget.clone());
    let (tx, rx) = mpsc::channel(BACKLOG);
    let (cmd_tx, cmd_rx) = mpsc::channel(256);
    source.spawn(tx, cmd_rx);
    Link {
        rx,
        cmds: cmd_tx,
        budget,
    }
}

/// After the TUI: say where the recording is, or that none was left (no frame went either
/// way); a recording that failed, or a link that gave up, makes the command fail (exit 2).
pub fn farewell(sink: &Sink) -> Result<u8, Fatal> {
    if let Some(e) = sink.write_error() {
        return Err(Fatal(e));
    }
    match sink.recording() {
        Some(p) if sink.discard_if_unused() => crate::console::note(&format!(
            "no frame was received or sent: no recording left at {}",
            p.display()
        )),
        Some(p) => crate::console::note(&format!("recorded to {}", p.display())),
        None => {}
    }
    if sink.link == crate::core::link::LinkState::GaveUp {
        let why = sink.link_reason.as_deref().unwrap_or("no reason given");
        return Err(Fatal(format!("the connection gave up: {why}")));
    }
    Ok(0)
}

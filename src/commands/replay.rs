//! `orchscope replay FILE`: the TUI on a recording or any importable stream, with the replay
//! clock (speed, idle limit, start paused).

use crate::cli::{Common, Fatal, ReplayArgs};
use crate::commands::live::runtime;
use crate::commands::screen::settings;
use crate::commands::sessions::resolve;
use crate::core::load::load;
use crate::core::log::Keep;
use crate::source::sink::Sink;
use crate::tui::app::{App, Mode};
use crate::tui::replay::{effective_times, ReplayClock};

/// Builds the replay app for a loaded file (also used by tests and benches).
pub fn app_for(
    file: &str,
    loaded: crate::core::load::Loaded,
    speed: f64,
    idle_limit_s: Option<f64>,
    playing: bool,
    s: crate::commands::screen::Settings,
) -> App {
    let log = loaded.log;
    let session = log.session();
    let producer = session.timeline_clock() == crate::core::session::Clock::Producer;
    let times = effective_times(
        session.facts.iter().map(|f| {
            if producer {
                f.at.ts()
            } else {
                f.at.recv().or(f.at.ts())
            }
        }),
        idle_limit_s.map(|s| s * 1000.0),
    );
    let mut sink = Sink::in_memory(Keep::All);
    sink.log = log;
    let mode = Mode::Replay {
        file: file.to_string(),
        clock: ReplayClock::new(speed, playing, 0.0),
        times,
    };
    let target = crate::tui::marks::replay_target(file, loaded.format, false);
    let mut app = App::new(sink, mode, s.theme, s.keymap, s.config);
    app.carries = loaded.carries;
    app.marks.target = match target {
        crate::tui::marks::Target::File { path, .. } => crate::tui::marks::Target::File {
            path,
            t: crate::tui::marks::end_time(&app.sink.log),
        },
        other => other,
    };
    app
}

pub fn run(common: &Common, args: ReplayArgs) -> Result<u8, Fatal> {
    let s = settings(common)?;
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(Fatal(format!(
            "--speed needs a positive number, got {}",
            args.speed
        )));
    }
    if args
        .idle_limit
        .is_some_and(|v| !(v.is_finite() && v >= 0.0))
    {
        return Err(Fatal(
            "--idle-limit needs a non-negative number of seconds".into(),
        ));
    }
    if args.against.is_none() && args.latency.given() {
        return Err(Fatal(
            "--latency-threshold and --latency-min set when a duration counts as changed in \
             the comparison: they need --against A"
                .into(),
        ));
    }
    let file = resolve(&args.file).map_err(Fatal)?;
    let a = args
        .against
        .as_deref()
        .map(resolve)
        .transpose()
        .map_err(Fatal)?;
    let readable = |f: &str| f == "-" || std::fs::metadata(f).is_ok();
    // A file that cannot be read is reported as such first (cheaply: before it is loaded).
    if readable(&file) && a.as_deref().is_none_or(readable) {
        crate::tui::terminal::require(
            "replay",
            "`orchscope validate FILE` or `orchscope summary FILE`",
        )
        .map_err(Fatal)?;
    }
    let (loaded, against) = match &a {
        Some(a) => {
            let config = &s.config;
            let (b, c) = super::against::load(&file, a, args.format_in, args.latency, config)?;
            (b, Some(c))
        }
        None => (
            load(&file, args.format_in, Keep::All).map_err(|e| Fatal(e.to_string()))?,
            None,
        ),
    };
    let mut app = app_for(&file, loaded, args.speed, args.idle_limit, !args.paused, s);
    app.against = against;
    if args.read_only {
        app.marks.target = crate::tui::marks::Target::Memory {
            why: "--read-only".into(),
            told: false,
        };
    }
    if args.pause_on_markers {
        app.pause_on_markers = true;
        app.ui.tab = crate::tui::tab::Tab::Story;
        app.ui.focus = crate::tui::tab::Focus::Story;
    }
    runtime()?
        .block_on(crate::tui::runner::run(app, None))
        .map_err(|e| Fatal(format!("terminal error: {e}")))?;
    Ok(0)
}

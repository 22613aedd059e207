//! `orchscope connect URL`: the TUI on a live session, recording by default, sending each
//! `--send` as a turn once the previous one completed.

use crate::cli::{Common, ConnectArgs, Fatal, LiveArgs};
use crate::commands::live::{runtime, source as live_source};
use crate::commands::screen::{farewell, live_sink, record_path, settings, start_link};
use crate::core::link::LinkState;
use crate::source::pacing::Pacing;
use crate::tui::app::{App, Mode};

pub fn run(common: &Common, args: ConnectArgs) -> Result<u8, Fatal> {
    let s = settings(common)?;
    crate::tui::terminal::require(
        "connect",
        "`orchscope record URL -o FILE` or `orchscope validate URL`",
    )
    .map_err(Fatal)?;
    let live = LiveArgs {
        sends: args.sends.clone(),
        until_idle: 2.0,
        timeout: None,
        max_frame_size: args.max_frame_size,
        no_reconnect: args.no_reconnect,
        receiver: args.receiver.clone(),
        follow: args.follow,
    };
    let source = live_source(&args.url, &args.auth, &live, args.format_in)?;
    let path = record_path(args.record.as_deref(), args.no_record);
    let sink = live_sink(path.as_deref(), &source, args.existing.existing())?;
    let mode = Mode::Live {
        url: source.shown_url(),
        link: LinkState::Connecting,
        link_since_ms: 0.0,
        paused_at: None,
        sends: Pacing::new(args.sends, false),
        listens: !source.can_send(),
    };
    let app = App::new(sink, mode, s.theme, s.keymap, s.config);
    let app = runtime()?
        .block_on(async move {
            let link = start_link(source, &app.sink);
            crate::tui::runner::run(app, Some(link)).await
        })
        .map_err(|e| Fatal(format!("terminal error: {e}")))?;
    farewell(&app.sink)
}

//! `orchscope demo`: the demo server in-process on a free loopback port and the TUI on it,
//! sending the scenario's requests and, once they completed, sending them again until quit.

use crate::cli::{Common, DemoArgs, Fatal};
use crate::commands::live::runtime;
use crate::commands::screen::{farewell, live_sink, record_path, settings, start_link};
use crate::core::link::LinkState;
use crate::demo::{requests_for, DemoConfig, DemoServer};
use crate::source::pacing::Pacing;
use crate::source::spec::Spec;
use crate::source::websocket::ClientConfig;
use crate::tui::app::{App, Mode};

pub fn run(common: &Common, args: DemoArgs) -> Result<u8, Fatal> {
    let s = settings(common)?;
    crate::demo::check_speed(args.speed).map_err(Fatal)?;
    crate::tui::terminal::require(
        "demo",
        "`orchscope serve` (the demo server alone) with `orchscope record` or `validate`",
    )
    .map_err(Fatal)?;
    let rt = runtime()?;
    let app = rt.block_on(async move {
        let mut config = DemoConfig::new("127.0.0.1:0".parse().expect("loopback address"));
        config.scenario = args.scenario;
        config.faults = args.faults;
        config.speed = args.speed;
        let server = DemoServer::bind(config)
            .await
            .map_err(|e| Fatal(format!("cannot start the demo server: {e}")))?;
        let url = server.url();
        tokio::spawn(server.run());
        let path = record_path(args.record.as_deref(), args.no_record);
        let source = Spec::Ws(ClientConfig::new(url.clone()));
        let sink = live_sink(path.as_deref(), &source, args.existing.existing())?;
        let mode = Mode::Live {
            url: url.clone(),
            link: LinkState::Connecting,
            link_since_ms: 0.0,
            paused_at: None,
            sends: Pacing::new(requests_for(args.scenario), true),
            listens: false,
        };
        let app = App::new(sink, mode, s.theme, s.keymap, s.config);
        let link = start_link(source, &app.sink);
        crate::tui::runner::run(app, Some(link))
            .await
            .map_err(|e| Fatal(format!("terminal error: {e}")))
    })?;
    farewell(&app.sink)
}

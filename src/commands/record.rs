//! `orchscope record URL -o FILE`: a headless recorder that always leaves a valid file.

use crate::cli::{Fatal, RecordArgs};
use crate::commands::live::{client_config, run_capture};
use crate::core::log::Keep;
use crate::core::recording::Header;
use crate::source::sink::Sink;

pub fn run(args: RecordArgs) -> Result<u8, Fatal> {
    let config = client_config(&args.url, &args.auth, &args.live)?;
    let header = Header {
        started_at: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        source: Some(serde_json::json!({"kind": "websocket", "url": args.url})),
        title: None,
        meta: None,
    };
    let mut sink = Sink::new(Keep::Turns, Some((&args.output, header))).map_err(|e| {
        Fatal(format!(
            "{}: cannot create the recording: {e}",
            args.output.display()
        ))
    })?;
    let result = run_capture(config, &args.live, &mut sink);
    if let Some(err) = sink.write_error() {
        return Err(Fatal(err));
    }
    result?;
    crate::console::note(&format!("recorded to {}", args.output.display()));
    Ok(0)
}

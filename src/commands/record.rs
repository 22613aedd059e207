//! `orchscope record URL -o FILE`: a headless recorder that always leaves a valid file once
//! anything happened on the link, and no file of its own when nothing did.

use crate::cli::{open_error, Fatal, RecordArgs};
use crate::commands::live::{run_capture, source as live_source};
use crate::core::log::Keep;
use crate::core::recording::{Existing, Header};
use crate::source::sink::Sink;

pub fn run(args: RecordArgs) -> Result<u8, Fatal> {
    let source = live_source(&args.url, &args.auth, &args.live, args.format_in)?;
    let header = Header {
        started_at: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        source: Some(serde_json::json!({"kind": source.kind(), "url": source.shown_url()})),
        title: None,
        meta: None,
    };
    let mut sink = Sink::recording_to(Keep::Turns, &args.output, &header, args.existing.existing())
        .map_err(|e| Fatal(open_error(&args.output, &e)))?;
    let result = run_capture(source, &args.live, &mut sink);
    if let Some(err) = sink.write_error() {
        return Err(Fatal(err));
    }
    drop(sink);
    if result.is_err() && args.existing.existing() != Existing::Append && header_only(&args.output)
    {
        // Nothing happened: the file this run created holds only its header. Take it away, so
        // that running again needs no --force. (A refusal leaves its link lines: kept.)
        let _ = std::fs::remove_file(&args.output);
    }
    result?;
    crate::console::note(&format!("recorded to {}", args.output.display()));
    Ok(0)
}

/// True when the file holds nothing but its header line.
fn header_only(path: &std::path::Path) -> bool {
    std::fs::read(path)
        .is_ok_and(|b| b.split(|&c| c == b'\n').filter(|l| !l.is_empty()).count() <= 1)
}

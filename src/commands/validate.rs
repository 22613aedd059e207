//! `orchscope validate SOURCE…`: load each source, run the rules, print one report, exit 0/1/2.

use crate::cli::{color_allowed, Common, FailOn, Fatal, ReportFormat, ValidateArgs};
use crate::commands::sessions::resolve;
use crate::commands::{export, unknowns};
use crate::core::load::{load, Loaded};
use crate::core::log::Keep;
use crate::core::report::{self, SourceReport};
use crate::core::validate::{Input, RuleResult};
use std::io::IsTerminal as _;

pub fn run(common: &Common, args: ValidateArgs) -> Result<u8, Fatal> {
    let config = args.rule_args.config(common)?;
    let mut loaded: Vec<(String, Loaded, Vec<RuleResult>)> = Vec::new();
    let mut code = 0u8;
    for source in &args.sources {
        let result = if crate::source::spec::Spec::is_live(source) || args.live.follow {
            live(source, &args)
        } else {
            resolve(source).and_then(|file| {
                load(&file, args.format_in, Keep::Summary)
                    .map(|l| (file, l))
                    .map_err(|e| e.to_string())
            })
        };
        match result {
            Ok((source, l)) => {
                let input = Input {
                    session: l.log.session(),
                    interner: &l.log.interner,
                    carries: l.carries,
                    now: None,
                };
                let results = crate::crash::rules(&input, &config);
                code = code.max(export::verdicts(&source, &l, &results, &args.otlp));
                code = code.max(report::exit_code(
                    &results,
                    args.fail_on == Some(FailOn::Warn),
                ));
                loaded.push((source, l, results));
            }
            Err(msg) => {
                crate::console::note(&crate::source::url::scrub(&msg, source));
                code = 2;
            }
        }
    }
    if loaded.is_empty() {
        return Ok(2);
    }
    let reports: Vec<SourceReport> = loaded
        .iter()
        .map(|(source, l, results)| SourceReport {
            source,
            format: l.format.name(),
            frames: l.log.frames(),
            session: l.log.session(),
            interner: &l.log.interner,
            results,
            unknowns: args.unknowns.then_some(&l.unknowns[..]),
        })
        .collect();
    let out = match args.format {
        ReportFormat::Json => report::json(&reports) + "\n",
        ReportFormat::Junit => report::junit(&reports),
        ReportFormat::Text => report::text(
            &reports,
            color_allowed(common) && std::io::stdout().is_terminal(),
        ),
    };
    crate::console::out(&out).map_err(Fatal)?;
    if args.unknowns && args.format == ReportFormat::Text {
        for (source, l, _) in &loaded {
            crate::console::out(&unknowns::text(source, l.format, &l.unknowns)).map_err(Fatal)?;
        }
    }
    drop(reports);
    // The process ends next: handing a million-frame session back to the allocator piece by
    // piece would only delay the exit.
    std::mem::forget(loaded);
    Ok(code)
}

/// Connects (or listens), sends, waits like `record`, and returns the source as shown and
/// what was seen.
fn live(url: &str, args: &ValidateArgs) -> Result<(String, Loaded), String> {
    let source = crate::commands::live::source(url, &args.auth, &args.live, args.format_in)
        .map_err(|Fatal(m)| m)?;
    let shown = source.shown_url();
    let mut sink = crate::source::sink::Sink::in_memory(Keep::Summary);
    crate::commands::live::run_capture(source, &args.live, &mut sink).map_err(|Fatal(m)| m)?;
    // Imported as it came (a followed file, a WebSocket with --format-in): judged as that format.
    let format = sink
        .foreign
        .flatten()
        .unwrap_or(crate::core::import::Format::Orchscope);
    let carries = format.carries();
    Ok((
        shown,
        Loaded {
            log: sink.log,
            format,
            carries,
            header: None,
            unknowns: Vec::new(),
        },
    ))
}

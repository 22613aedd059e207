//! `orchscope export SOURCE --otlp URL` (or `--otlp-grpc URL`): one session sent to an
//! OpenTelemetry collector as OTLP traces; exit 0 when the collector took all of it, 1 when it
//! rejected part (its message shown), 2 when it could not be sent. Also the sending half of
//! `validate --otlp-export`.

use crate::cli::{ExportArgs, Fatal, OtlpExportArgs};
use crate::commands::sessions::resolve;
use crate::core::load::{load, Loaded};
use crate::core::log::Keep;
use crate::core::validate::RuleResult;
use crate::export::endpoint::Endpoint;
use crate::export::{send, Export, Exporter, Outcome, GRPC_PORT, HTTP_PORT};
use std::path::Path;

pub fn run(args: ExportArgs) -> Result<u8, Fatal> {
    let (url, grpc) = match (&args.otlp, &args.otlp_grpc) {
        (Some(u), _) => (u, false),
        (None, Some(u)) => (u, true),
        (None, None) => return Err(Fatal("export needs --otlp URL or --otlp-grpc URL".into())),
    };
    let port = if grpc { GRPC_PORT } else { HTTP_PORT };
    let endpoint = Endpoint::parse(url, &args.headers.otlp_headers, port).map_err(Fatal)?;
    let (source, loaded) = if crate::source::spec::Spec::is_live(&args.source) {
        let live =
            crate::commands::live::source(&args.source, &args.auth, &args.live, args.format_in)?;
        let mut sink = crate::source::sink::Sink::in_memory(Keep::Summary);
        crate::commands::live::run_capture(live, &args.live, &mut sink)?;
        let format = crate::core::import::Format::Orchscope;
        let loaded = Loaded {
            log: sink.log,
            format,
            carries: format.carries(),
            header: None,
            unknowns: Vec::new(),
        };
        (crate::source::url::shown_url(&args.source), loaded)
    } else {
        let file = resolve(&args.source).map_err(Fatal)?;
        let loaded =
            load(&file, args.format_in, Keep::Summary).map_err(|e| Fatal(e.to_string()))?;
        (file, loaded)
    };
    let outcome = deliver(&source, &loaded, None, endpoint.clone(), grpc)?;
    crate::console::out(&format!("{}\n", sent(&outcome, &endpoint))).map_err(Fatal)?;
    let code = rejected(&outcome, &endpoint);
    // The process ends next: no need to hand a large session back piece by piece.
    std::mem::forget(loaded);
    Ok(code)
}

/// `validate --otlp-export`: sends one source's session and verdicts; the exit code it asks
/// for (0, 1 on a partial rejection, 2 when nothing could be sent), the reason on stderr.
pub fn verdicts(
    source: &str,
    loaded: &Loaded,
    results: &[RuleResult],
    args: &OtlpExportArgs,
) -> u8 {
    let Some(url) = &args.otlp_export else {
        return 0;
    };
    let endpoint = match Endpoint::parse(url, &args.headers.otlp_headers, HTTP_PORT) {
        Ok(e) => e,
        Err(msg) => {
            crate::console::note(&msg);
            return 2;
        }
    };
    match deliver(source, loaded, Some(results), endpoint.clone(), false) {
        Ok(outcome) => {
            crate::console::note(&sent(&outcome, &endpoint));
            rejected(&outcome, &endpoint)
        }
        Err(Fatal(msg)) => {
            crate::console::note(&msg);
            2
        }
    }
}

/// Sends a loaded session (and verdicts) on a runtime of its own.
fn deliver(
    source: &str,
    loaded: &Loaded,
    verdicts: Option<&[RuleResult]>,
    endpoint: Endpoint,
    grpc: bool,
) -> Result<Outcome, Fatal> {
    let key = std::fs::canonicalize(source).map_or(source.to_string(), |p| p.display().to_string());
    let name = Path::new(source)
        .file_name()
        .map_or(source.to_string(), |n| n.to_string_lossy().into_owned());
    let x = Export {
        session: loaded.log.session(),
        interner: &loaded.log.interner,
        key: &key,
        name: &name,
        verdicts,
    };
    let runtime = crate::commands::live::runtime()?;
    runtime
        .block_on(async {
            let mut exporter = Exporter::new(endpoint, grpc).await?;
            send(&x, &mut exporter).await
        })
        .map_err(Fatal)
}

/// One line: what was sent where.
fn sent(o: &Outcome, endpoint: &Endpoint) -> String {
    let logs = if o.logs > 0 {
        format!(" and {} evaluation results", o.logs)
    } else {
        String::new()
    };
    let url = crate::source::url::shown_url(&endpoint.url);
    let notes = if o.rejected == 0 && !o.messages.is_empty() {
        format!(" ({})", o.messages.join("; "))
    } else {
        String::new()
    };
    endpoint.redact(&format!("exported {} spans{logs} to {url}{notes}", o.spans))
}

/// 1 with the collector's message when it rejected some of what was sent, else 0.
fn rejected(o: &Outcome, endpoint: &Endpoint) -> u8 {
    if o.rejected == 0 {
        return 0;
    }
    let msg = if o.messages.is_empty() {
        String::new()
    } else {
        format!(": {}", o.messages.join("; "))
    };
    crate::console::note(&endpoint.redact(&format!(
        "the collector rejected {} of them{msg}",
        o.rejected
    )));
    1
}

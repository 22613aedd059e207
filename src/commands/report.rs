//! `orchscope report SOURCE -o FILE`: load the session with every frame, run the rules like
//! `validate`, lay the session out as one HTML (or Markdown) file with secrets redacted, and
//! write it (`-o -`: stdout), owner-only and never through a symbolic link.

use crate::cli::{Common, Fatal, ReportArgs, ShareFormat};
use crate::commands::sessions::resolve;
use crate::core::load::load;
use crate::core::log::Keep;
use crate::core::share::redact::Redactor;
use crate::core::validate::Input;

pub fn run(common: &Common, args: ReportArgs) -> Result<u8, Fatal> {
    let config = args.rule_args.config(common)?;
    let mut red = Redactor::new(&args.redact, args.no_redact).map_err(Fatal)?;
    let source = resolve(&args.source).map_err(Fatal)?;
    let loaded = load(&source, args.format_in, Keep::All).map_err(|e| Fatal(e.to_string()))?;
    let input = Input {
        session: loaded.log.session(),
        interner: &loaded.log.interner,
        carries: loaded.carries,
        now: None,
    };
    let results = crate::crash::rules(&input, &config);
    let doc = crate::report::build(
        &loaded,
        &results,
        &source,
        &mut red,
        &config.thresholds.prices,
    );
    let text = match args.format {
        ShareFormat::Html => crate::report::html::write(&doc),
        ShareFormat::Md => crate::report::md::write(&doc),
    };
    if args.output == "-" {
        crate::console::out(&text).map_err(Fatal)?;
    } else {
        use std::io::Write as _;
        crate::core::recording::replace_file(std::path::Path::new(&args.output))
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| Fatal(format!("{}: cannot write the report: {e}", args.output)))?;
    }
    // The process ends next: no need to hand a large session back piece by piece.
    std::mem::forget(loaded);
    Ok(0)
}

//! `orchscope diff A B`: load both sources (as `summary` and `validate` take them), run the
//! rules on each, compare B against A, print text or JSON; exit 1 when B regresses, 0 when it
//! does not, 2 when the work could not be done.

use crate::cli::{Common, DiffArgs, Fatal, SummaryFormat};
use crate::commands::sessions::resolve;
use crate::core::compare::{self, Side};
use crate::core::import::Format;
use crate::core::load::{load, Loaded};
use crate::core::log::Keep;
use crate::core::validate::{self, Input, RuleResult};

pub fn run(common: &Common, args: DiffArgs) -> Result<u8, Fatal> {
    if args.a == "-" && args.b == "-" {
        return Err(Fatal(
            "A and B cannot both be - (stdin): give at least one as a file".to_string(),
        ));
    }
    let config = args.rule_args.config(common)?;
    let thresholds = args.latency.thresholds();
    // Both at once: each load is mostly parsing, and a second core halves the wait.
    let (a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| open(&args.b, args.format_in, &config));
        let a = open(&args.a, args.format_in, &config);
        let b = b
            .join()
            .unwrap_or_else(|_| Err(Fatal(format!("{}: could not be read", args.b))));
        Ok::<_, Fatal>((a?, b?))
    })?;
    let (sa, sb) = (side(&a), side(&b));
    let cmp = compare::compare(&sa, &sb, thresholds);
    let prices = &config.thresholds.prices;
    let out = match args.format {
        SummaryFormat::Json => compare::json::render(&sa, &sb, &cmp, prices) + "\n",
        SummaryFormat::Text => compare::text::render(&sa, &sb, &cmp, prices),
    };
    crate::console::out(&out).map_err(Fatal)?;
    let code = u8::from(cmp.regressed());
    // The process ends next: handing two large sessions back to the allocator piece by piece
    // would only delay the exit.
    std::mem::forget((a, b));
    Ok(code)
}

/// A loaded source as compared.
pub(crate) fn side((source, loaded, results): &(String, Loaded, Vec<RuleResult>)) -> Side<'_> {
    Side {
        source: source.as_str(),
        format: loaded.format.name(),
        log: &loaded.log,
        results: results.as_slice(),
    }
}

/// Loads one source, keeping its frames' places so that contexts can be read again, and runs
/// the rules on it.
pub(crate) fn open(
    source: &str,
    format_in: Option<Format>,
    config: &validate::Config,
) -> Result<(String, Loaded, Vec<RuleResult>), Fatal> {
    let file = resolve(source).map_err(Fatal)?;
    let loaded = load(&file, format_in, Keep::All).map_err(|e| Fatal(e.to_string()))?;
    let input = Input {
        session: loaded.log.session(),
        interner: &loaded.log.interner,
        carries: loaded.carries,
        now: None,
    };
    let results = validate::run(&input, config);
    Ok((file, loaded, results))
}

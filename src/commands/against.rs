//! `orchscope replay B --against A`: both sources loaded and judged as `diff` loads them, B
//! compared against A once (`core::compare::compare_aligned`, with the thresholds `diff`
//! takes), and the Compare tab's state made of it before B is replayed.

use crate::cli::{Fatal, Latency};
use crate::commands::diff::{open, side};
use crate::core::compare;
use crate::core::import::Format;
use crate::core::load::Loaded;
use crate::core::validate;
use crate::tui::comparison::Against;

/// Loads B (`file`) and A, and compares them: B's loaded session, and A with the comparison.
pub fn load(
    file: &str,
    a: &str,
    format_in: Option<Format>,
    latency: Latency,
    config: &validate::Config,
) -> Result<(Loaded, Box<Against>), Fatal> {
    if a == "-" && file == "-" {
        return Err(Fatal(
            "A and B cannot both be - (stdin): give at least one as a file".to_string(),
        ));
    }
    let a = open(a, format_in, config)?;
    let b = open(file, format_in, config)?;
    let cmp = compare::compare_aligned(&side(&a), &side(&b), latency.thresholds());
    let (source, loaded_a, _) = a;
    let name = std::path::Path::new(&source)
        .file_name()
        .map_or(source.clone(), |n| n.to_string_lossy().into_owned());
    let against = Against::new(name, loaded_a.log, cmp, &b.1.log);
    Ok((b.1, Box::new(against)))
}

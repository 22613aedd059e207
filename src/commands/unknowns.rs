//! `--unknowns`: the fields of a foreign format orchscope does not know, for people (escaped,
//! one per line) and for programs (a JSON array), shared by `summary` and `validate`.

use crate::core::escape::escape;
use crate::core::import::{Format, Unknown};
use std::fmt::Write as _;

/// The text block: a heading, then one line per field, most frequent first.
pub fn text(source: &str, format: Format, unknowns: &[Unknown]) -> String {
    let mut out = String::new();
    let source = escape(source, true);
    if matches!(format, Format::Orchscope | Format::Jsonl) {
        let _ = writeln!(
            out,
            "unknown fields in {source}: not judged ({} is orchscope's own format)",
            format.name()
        );
        return out;
    }
    if unknowns.is_empty() {
        let _ = writeln!(out, "unknown fields in {source}: none");
        return out;
    }
    let _ = writeln!(
        out,
        "unknown fields in {source} ({} field{} this {} producer wrote that orchscope does not know):",
        unknowns.len(),
        if unknowns.len() == 1 { "" } else { "s" },
        format.name()
    );
    for u in unknowns {
        let _ = writeln!(
            out,
            "  {:<48} ×{:<7} first at line {}",
            escape(&u.field, true),
            u.count,
            u.first_line
        );
    }
    out
}

/// The JSON array: `{"field", "count", "first_line"}` per field.
pub fn json(unknowns: &[Unknown]) -> serde_json::Value {
    serde_json::Value::Array(
        unknowns
            .iter()
            .map(|u| {
                serde_json::json!({
                    "field": u.field,
                    "count": u.count,
                    "first_line": u.first_line,
                })
            })
            .collect(),
    )
}

//! Fields a newer producer added: each foreign record's fields checked against what orchscope
//! knows of its kind (`known.rs`, generated from the genuine corpus), and the rest counted. The
//! kinds of record are the generator's: keep the two in step.

use serde_json::Value;

use super::known::{self, Table};
use super::{s, Out};

/// Counts the fields of `obj` that `table` does not list for `kind` (every field of a kind it
/// does not list at all: a new kind of record).
fn check(out: &mut Out, line: usize, table: Table, kind: &str, obj: &Value) {
    let Some(map) = obj.as_object() else { return };
    match table.binary_search_by(|(k, _)| (*k).cmp(kind)) {
        Ok(i) => {
            let fields = table[i].1;
            for key in map.keys() {
                if fields.binary_search(&key.as_str()).is_err() {
                    out.unknown(line, format!("{kind}.{key}"));
                }
            }
        }
        Err(_) => out.unknown(line, format!("{kind} (a kind of record)")),
    }
}

pub(super) fn claude_code(out: &mut Out, line: usize, rec: &Value) {
    let mut kind = s(rec, &["type"]).unwrap_or("").to_string();
    if kind == "system" {
        kind = format!("system.{}", s(rec, &["subtype"]).unwrap_or(""));
    }
    check(out, line, known::CLAUDE_CODE, &kind, rec);
    if let Some(m) = rec.get("message").filter(|m| m.is_object()) {
        check(out, line, known::CLAUDE_CODE, &format!("{kind}.message"), m);
    }
}

pub(super) fn codex(out: &mut Out, line: usize, rec: &Value) {
    let kind = s(rec, &["type"]).unwrap_or("");
    check(out, line, known::CODEX, kind, rec);
    if let Some(p) = rec.get("payload").filter(|p| p.is_object()) {
        let sub = format!("{kind}.{}", s(p, &["type"]).unwrap_or(""));
        check(out, line, known::CODEX, &sub, p);
    }
    if let Some(item) = rec.get("item").filter(|i| i.is_object()) {
        let sub = format!("{kind}.item.{}", s(item, &["type"]).unwrap_or(""));
        check(out, line, known::CODEX, &sub, item);
    }
}

pub(super) fn langgraph(out: &mut Out, line: usize, rec: &Value) {
    check(out, line, known::LANGGRAPH, "event", rec);
}

pub(super) fn otlp_span(out: &mut Out, line: usize, span: &Value) {
    check(out, line, known::OTLP, "span", span);
}

pub(super) fn openai_agents(out: &mut Out, line: usize, item: &Value) {
    let kind = s(item, &["object"]).or(s(item, &["type"])).unwrap_or("");
    check(out, line, known::OPENAI_AGENTS, kind, item);
    if let Some(data) = item.get("span_data").filter(|d| d.is_object()) {
        let sub = format!("{kind}.{}", s(data, &["type"]).unwrap_or(""));
        check(out, line, known::OPENAI_AGENTS, &sub, data);
    }
}

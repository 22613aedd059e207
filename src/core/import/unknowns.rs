//! Fields a newer producer added: each foreign record's fields checked against what orchscope
//! knows of its kind (`known/`, generated from the genuine corpus), and the rest counted. The
//! kinds of record are the generator's: keep the two in step.

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::OnceLock;

use super::known::{self, Table};
use super::peek::Peek;
use super::{s, Out};

/// Counts the fields of `obj` that `table` does not list for `kind` (every field of a kind it
/// does not list at all: a new kind of record).
fn check(out: &mut Out, line: usize, table: Table, kind: &str, obj: &Value) {
    let Some(map) = obj.as_object() else { return };
    check_keys(out, line, table, kind, map.keys().map(String::as_str));
}

fn check_keys<'k>(
    out: &mut Out,
    line: usize,
    table: Table,
    kind: &str,
    keys: impl Iterator<Item = &'k str>,
) {
    match sets(table).get(kind) {
        Some(fields) => {
            for key in keys {
                if !fields.contains(key) {
                    out.unknown(line, format!("{kind}.{key}"));
                }
            }
        }
        None => out.unknown(line, format!("{kind} (a kind of record)")),
    }
}

type Sets = FxHashMap<&'static str, FxHashSet<&'static str>>;

/// A table as hash sets (one hash per field checked), made once per table.
fn sets(table: Table) -> &'static Sets {
    static MADE: OnceLock<Vec<(usize, Sets)>> = OnceLock::new();
    let all = MADE.get_or_init(|| {
        [
            known::CLAUDE_CODE,
            known::CODEX,
            known::LANGGRAPH,
            known::OTLP,
            known::OPENAI_AGENTS,
        ]
        .iter()
        .map(|t| {
            let sets = t
                .iter()
                .map(|(kind, fields)| (*kind, fields.iter().copied().collect()))
                .collect();
            (t.as_ptr() as usize, sets)
        })
        .collect()
    });
    static NONE: OnceLock<Sets> = OnceLock::new();
    let key = table.as_ptr() as usize;
    match all.iter().find(|(k, _)| *k == key) {
        Some((_, sets)) => sets,
        None => NONE.get_or_init(Sets::default),
    }
}

/// The kind of a Claude Code line as `known/` names it (`system` lines by subtype).
fn claude_kind<'a>(kind: Option<&'a str>, subtype: Option<&str>) -> Cow<'a, str> {
    match kind.unwrap_or("") {
        "system" => Cow::Owned(format!("system.{}", subtype.unwrap_or(""))),
        other => Cow::Borrowed(other),
    }
}

/// A Claude Code line's own fields, from its peek (every line, wanted or not).
pub(super) fn claude_code_line(out: &mut Out, line: usize, peek: &Peek) {
    let kind = claude_kind(peek.kind.as_deref(), peek.subtype.as_deref());
    check_keys(
        out,
        line,
        known::CLAUDE_CODE,
        &kind,
        peek.keys.iter().map(|k| k.as_ref()),
    );
}

/// The fields of a Claude Code line's `message`.
pub(super) fn claude_code_message(out: &mut Out, line: usize, rec: &Value) {
    let kind = claude_kind(s(rec, &["type"]), s(rec, &["subtype"]));
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

/// An OTLP span's fields, from its text.
pub(super) fn otlp_span_keys(out: &mut Out, line: usize, span: &str) {
    let keys = super::peek::keys(span);
    check_keys(
        out,
        line,
        known::OTLP,
        "span",
        keys.iter().map(|k| k.as_ref()),
    );
}

pub(super) fn openai_agents(out: &mut Out, line: usize, item: &Value) {
    let kind = s(item, &["object"]).or(s(item, &["type"])).unwrap_or("");
    check(out, line, known::OPENAI_AGENTS, kind, item);
    if let Some(data) = item.get("span_data").filter(|d| d.is_object()) {
        let sub = format!("{kind}.{}", s(data, &["type"]).unwrap_or(""));
        check(out, line, known::OPENAI_AGENTS, &sub, data);
    }
}

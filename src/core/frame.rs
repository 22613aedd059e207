//! Decoding one wire frame into an [`Event`], for every dialect: native (`payload`), Netra era A
//! (`payload` + envelope), era B (`data`), the flattened `critical` variant and `system_message`
//! wrappers. Field lookup: `payload`, then `data`, then the top level; `type` is always the
//! top-level one. Never rejects a frame for its shape: what is not a JSON object with a string
//! `type` is [`Decoded::Malformed`], kept by the caller.

use super::event::{ContextInfo, Event, Kind, Outcome, Reported};
use super::hash::{self, Digest};
use super::intern::{Intern, Interner};
use super::parsed::{Inline, Parsed};
use super::timestamp;
use super::usage::{self, Tokens};
use fields::{boolean, is_null, number, object, parse_top, text, Fields, TopFrame};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::sync::Arc;

/// Why a frame could not be decoded into an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// Not valid JSON (or not UTF-8).
    NotJson,
    /// Valid JSON, but not an object.
    NotObject,
    /// An object without a string `type`.
    NoType,
}

impl Malformed {
    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            Malformed::NotJson => "not JSON",
            Malformed::NotObject => "not a JSON object",
            Malformed::NoType => "no `type`",
        }
    }
}

/// The result of decoding one frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Event(Box<Event>),
    Malformed(Malformed),
}

fn status_failed(status: &str) -> Option<Outcome> {
    match status.to_ascii_lowercase().as_str() {
        "error" | "failed" | "failure" | "timeout" | "timed_out" => Some(Outcome::Failed),
        "aborted" | "cancelled" | "canceled" | "interrupted" => Some(Outcome::Aborted),
        "ok" | "success" | "succeeded" | "completed" | "complete" | "done" => Some(Outcome::Ok),
        _ => None,
    }
}

/// The places a field may be: the rule's layers, then Netra's `metadata`.
struct Layers<'r, 'a> {
    rule: layers::Layers<&'r Fields<'a>>,
    /// A top-level `metadata` object (Netra's flattened variant), looked in last.
    metadata: Option<&'r Fields<'a>>,
}

macro_rules! lookup {
    ($layers:expr, $field:ident) => {
        $layers
            .rule
            .find(|f| f.$field)
            .or_else(|| $layers.metadata.and_then(|f| f.$field))
    };
}

/// Decodes one frame's text.
pub fn decode(frame: &str, interner: &mut Interner) -> Decoded {
    match decode_event(frame, interner, &mut ContextCache::default()) {
        Ok(e) => Decoded::Event(Box::new(e)),
        Err(m) => Decoded::Malformed(m),
    }
}

/// Contexts recently hashed, by their exact text: sub-agents usually receive their turn's
/// context verbatim, so most `agent_started` frames need no canonicalisation at all.
#[derive(Debug, Default, Clone)]
pub struct ContextCache {
    entries: rustc_hash::FxHashMap<Box<str>, Arc<ContextInfo>>,
}

impl ContextCache {
    const MAX: usize = 256;

    fn info(&mut self, raw: &str) -> Arc<ContextInfo> {
        if let Some(info) = self.entries.get(raw) {
            return Arc::clone(info);
        }
        let info = Arc::new(context_info(raw));
        if self.entries.len() >= Self::MAX {
            self.entries.clear();
        }
        self.entries.insert(raw.into(), info.clone());
        info
    }
}

/// Decodes one frame's text into an event (unboxed), or says why it is malformed.
pub fn decode_event(
    frame: &str,
    interner: &mut impl Intern,
    cache: &mut ContextCache,
) -> Result<Event, Malformed> {
    Ok(parse(frame, cache)?.intern(interner, &Inline))
}

/// Parses one frame's text into its fields, strings still borrowed (or unescaped copies).
/// Needs no interner, so it can run on a reading thread.
pub fn parse<'a>(
    frame: &'a str,
    cache: &mut ContextCache,
) -> Result<Parsed<Cow<'a, str>>, Malformed> {
    let mut parsed = TopFrame::default();
    match parse_top(frame, &mut parsed) {
        Err(()) => return Err(Malformed::NotJson),
        Ok(false) => return Err(Malformed::NotObject),
        Ok(true) => {}
    }
    let Some(type_text) = parsed
        .top
        .ty
        .filter(|r| r.get().starts_with('"'))
        .and_then(|r| text(Some(r)))
    else {
        return Err(Malformed::NoType);
    };
    let layers = Layers {
        rule: layers::Layers {
            payload: parsed.has_payload.then_some(&parsed.payload),
            data: parsed.has_data.then_some(&parsed.data),
            top: &parsed.top,
        },
        metadata: parsed.has_metadata.then_some(&parsed.metadata),
    };
    let mut type_name: Cow<str> = type_text;
    if type_name == "system_message" {
        if let Some(inner) = layers
            .rule
            .data
            .and_then(|d| text(d.event).or_else(|| text(d.ty)))
        {
            type_name = inner;
        }
    }
    let kind = Kind::from_name(&type_name);
    let result_fields = object(lookup!(layers, result).or(lookup!(layers, results)));
    let context = context_of(&layers, cache);
    let (usage, usage_model) = usage_of(&layers);
    Ok(Parsed {
        kind,
        type_name,
        ts_ms: timestamp_of(&layers),
        run_id: text(lookup!(layers, run_id)).or_else(|| text(lookup!(layers, parent_run_id))),
        thread_id: text(lookup!(layers, thread_id)),
        user_id: text(lookup!(layers, user_id)),
        agent_name: own_agent(
            text(lookup!(layers, agent_name)),
            text(lookup!(layers, tool_name)).as_deref(),
        ),
        agent_id: text(lookup!(layers, agent_id)),
        parent_agent_id: text(lookup!(layers, parent_agent_id)),
        tool_name: text(lookup!(layers, tool_name)),
        tool_call_id: text(lookup!(layers, tool_call_id)),
        subagent_name: text(lookup!(layers, subagent_name)),
        subagent_id: text(lookup!(layers, subagent_id)),
        parent_agent_name: text(lookup!(layers, parent_agent_name)),
        handoff_from: text(lookup!(layers, handoff_from)),
        turn: number(lookup!(layers, turn))
            .filter(|n| *n >= 0.0 && *n <= u32::MAX as f64)
            .map(|n| n as u32),
        seq: number(lookup!(layers, seq))
            .filter(|n| *n >= 0.0 && *n <= 9.0e15)
            .map(|n| n as u64),
        outcome: outcome_of(&layers, result_fields.as_ref()),
        duration_ms: number(lookup!(layers, duration_ms))
            .or_else(|| number(lookup!(layers, execution_time_ms)))
            .or_else(|| number(lookup!(layers, duration)).map(|s| s * 1000.0)),
        final_answer: has_final_answer(&layers, result_fields.as_ref()),
        context,
        context_hash: reported(lookup!(layers, context_hash)),
        prev_context_hash: reported(lookup!(layers, prev_context_hash)),
        args: args_of(kind, &layers),
        usage,
        usage_model,
    })
}

/// Netra era B's `data.context` is the caller's metadata (request ids, the user's settings),
/// not a context handed to the agent: only `payload.context` and a top-level one count.
fn context_of(layers: &Layers, cache: &mut ContextCache) -> Option<Arc<ContextInfo>> {
    (layers.rule.payload.and_then(|f| f.context))
        .or(layers.rule.top.context)
        .filter(|r| r.get() != "null")
        .map(|ctx| cache.info(ctx.get()))
}

/// `usage` (payload, data, top level): its tokens, and the model it (else the frame) names.
/// Few frames carry one, and it is small: it is parsed into a value here.
fn usage_of<'a>(layers: &Layers<'_, 'a>) -> (Option<Tokens>, Option<Cow<'a, str>>) {
    let Some(raw) = lookup!(layers, usage) else {
        return (None, None);
    };
    let value: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
    let Some(o) = value.as_object() else {
        return (None, None);
    };
    let Some(tokens) = usage::read::tokens(o) else {
        return (None, None);
    };
    let model = usage::read::model(o).map(|m| Cow::Owned(m.to_string()));
    (Some(tokens), model.or_else(|| text(lookup!(layers, model))))
}

/// A tool call's arguments (`parameters`, else `arguments`), as the digest of their canonical
/// JSON, so that equal arguments written differently compare equal.
fn args_of(kind: Kind, layers: &Layers) -> Option<u64> {
    if kind != Kind::ToolExecuting {
        return None;
    }
    let raw = lookup!(layers, parameters).or(lookup!(layers, arguments))?;
    Some(hash::short_text(raw.get()))
}

fn timestamp_of(layers: &Layers) -> Option<f64> {
    // The first timestamp that reads as one wins.
    (layers.rule).find(|f| f.timestamp.and_then(timestamp::parse_raw))
}

fn outcome_of(layers: &Layers, result: Option<&Fields>) -> Outcome {
    let mut outcome = Outcome::Unknown;
    let candidates = [result.and_then(|r| r.status), lookup!(layers, status)];
    for status in candidates.into_iter().flatten() {
        if let Some(o) = text(Some(status)).and_then(|s| status_failed(&s)) {
            if o != Outcome::Ok || outcome == Outcome::Unknown {
                outcome = o;
            }
            if o != Outcome::Ok {
                return o;
            }
        }
    }
    let success = result
        .and_then(|r| boolean(r.success))
        .or_else(|| boolean(lookup!(layers, success)));
    match success {
        Some(false) => return Outcome::Failed,
        Some(true) if outcome == Outcome::Unknown => outcome = Outcome::Ok,
        _ => {}
    }
    let error = result
        .map(|r| r.error)
        .unwrap_or(None)
        .or(lookup!(layers, error))
        .or(lookup!(layers, error_message));
    if !is_null(error) && error.is_some_and(|e| e.get() != "\"\"" && e.get() != "false") {
        return Outcome::Failed;
    }
    outcome
}

fn has_final_answer(layers: &Layers, result: Option<&Fields>) -> bool {
    let present = |raw: Option<&RawValue>| !is_null(raw) && raw.is_some_and(|r| r.get() != "\"\"");
    if let Some(r) = result {
        if present(r.final_answer)
            || present(r.response)
            || present(r.final_response)
            || present(r.report)
            || present(r.content)
        {
            return true;
        }
    }
    present(lookup!(layers, final_response)) || present(lookup!(layers, final_answer))
}

fn reported(raw: Option<&RawValue>) -> Option<Reported> {
    let s = text(raw)?;
    Some(match hash::parse_reported(&s) {
        Some(d) => Reported::Digest(d),
        None => Reported::Other(s.into_owned().into_boxed_str()),
    })
}

/// Reduces a context to its hash and what the history checks compare.
pub fn context_info(raw: &str) -> ContextInfo {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
        return ContextInfo {
            digest: None,
            history: None,
            user_request: None,
        };
    };
    let digest: Option<Digest> = hash::digest(&value).ok();
    let short = hash::short;
    let history = value
        .get("history")
        .and_then(|h| h.as_array())
        .map(|items| items.iter().map(short).collect());
    let user_request = value.get("user_request").map(short);
    ContextInfo {
        digest,
        history,
        user_request,
    }
}

mod fields;
pub mod layers;
#[cfg(test)]
mod tests;

/// Netra names the agent of a tool event `agent[tool]`: the agent is the part before the
/// brackets (`ToolExecutor[tool]` stays the executor, re-attributed by the session).
fn own_agent<'a>(name: Option<Cow<'a, str>>, tool: Option<&str>) -> Option<Cow<'a, str>> {
    let (Some(n), Some(tool)) = (&name, tool) else {
        return name;
    };
    let Some(agent) = n
        .strip_suffix(']')
        .and_then(|rest| rest.strip_suffix(tool))
        .and_then(|rest| rest.strip_suffix('['))
        .filter(|a| !a.is_empty() && *a != "ToolExecutor")
    else {
        return name;
    };
    Some(match name {
        Some(Cow::Borrowed(b)) => Cow::Borrowed(&b[..agent.len()]),
        _ => Cow::Owned(agent.to_string()),
    })
}

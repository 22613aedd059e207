//! OpenAI Agents SDK outputs to native frames: trace/span exports (`{"callback", "export"}`
//! lines from a tracing processor, bare `{"object": "trace.span"}` lines, or `{"data": [...]}`
//! batches, all possibly in END order) and `run_streamed` events. Owns the mapping below; the
//! first recognisable line decides which of the two a file is.
//!
//! Trace export (spans merged by id, the end record winning; replayed sorted by `started_at`):
//!
//! | span (`span_data.type`) | native frames |
//! | --- | --- |
//! | `agent` | `agent_started`/`agent_completed`: `agent_id` = span id, `agent_name` = `name`; `parent_agent_id` = the nearest `agent` ancestor by `parent_id`, or for an agent handed off to, the agent that ran the `handoff` span (`from_agent` → `to_agent`); `context` = `{"messages": input}` of its first `generation`; `result.final_answer` = its last generation's text; span `error` → `status` `error` |
//! | `function` | `tool_executing`/`tool_completed` (`parameters` = `input`, `result.output` = `output`; span `error` → `status` `error`, `error` = message and detail); no tool-call ids |
//! | `generation` | `agent_thinking` at its end (`thought` = the output text) |
//! | `custom` `task`/`turn`, `handoff`, `response`, others | none (links only) |
//!
//! `run_id` = `trace_id`, `thread_id` = the trace's `group_id`, `turn` = the trace's rank among
//! the traces of its group. Timestamps are the spans' `started_at`/`ended_at`.
//!
//! Stream events (no ids for agents or runs: `agent_id` = `<name>#<n>`, `run_id` `stream`):
//!
//! | event | native frames |
//! | --- | --- |
//! | `agent_updated_stream_event` | the previous agent's `agent_completed`, then `agent_started` (`parent_agent_id` = the handoff source, when a `handoff_occured` named this agent) |
//! | `run_item_stream_event` `message_output_created` / `reasoning_item_created` | `agent_thinking` |
//! | `tool_called` / `handoff_requested` | `tool_executing` (`tool_call_id` = `raw_item.call_id`) |
//! | `tool_output` / `handoff_occured` | `tool_completed` by `call_id` (the stream has no error flag: `ok`) |
//! | `raw_response_event` | none (model deltas; the run items carry the same content) |
//!
//! The stream has no end event: at the end of input the current agent completes `ok` with its
//! last message as `final_answer`, unless a tool is still open or the last line was cut off,
//! in which case both are closed `aborted` and reported.

mod export;
pub(super) mod usage;

use serde_json::Value;

use super::{read_objects, s, Format, Imported, Out};

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::OpenaiAgents);
    let (records, cut) = read_objects(input, &mut out);
    for (line, rec) in &records {
        for item in exported(rec) {
            super::unknowns::openai_agents(&mut out, *line, item);
        }
    }
    let stream = records
        .iter()
        .find_map(|(_, r)| {
            if r.get("export").is_some()
                || r.get("object").is_some()
                || r.get("data").is_some_and(Value::is_array)
            {
                Some(false)
            } else if s(r, &["type"])
                .is_some_and(|t| t.ends_with("_stream_event") || t == "raw_response_event")
            {
                Some(true)
            } else {
                None
            }
        })
        .unwrap_or(false);
    if stream {
        super::openai_stream::import(out, &records, cut)
    } else {
        export::traces(out, &records)
    }
}

/// The trace and span objects of a line: a callback's `export`, an exporter batch's `data`,
/// or the line itself.
fn exported(rec: &Value) -> Vec<&Value> {
    match (rec.get("export"), rec.get("data").and_then(Value::as_array)) {
        (Some(e), _) => vec![e],
        (None, Some(batch)) => batch.iter().collect(),
        _ => vec![rec],
    }
}

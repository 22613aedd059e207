//! The fields orchscope knows in LangGraph, OTLP and the OpenAI Agents SDK records, per kind of record (generated
//! from the genuine corpus by tests/fixtures/corpus/known/generate.py; do not edit by hand).

use super::Table;

pub(in crate::core::import) static LANGGRAPH: Table = &[(
    "event",
    &[
        "data",
        "event",
        "metadata",
        "name",
        "parent_ids",
        "run_id",
        "tags",
    ],
)];

pub(in crate::core::import) static OTLP: Table = &[(
    "span",
    &[
        "attributes",
        "droppedAttributesCount",
        "droppedEventsCount",
        "droppedLinksCount",
        "endTimeUnixNano",
        "events",
        "flags",
        "kind",
        "links",
        "name",
        "parentSpanId",
        "spanId",
        "startTimeUnixNano",
        "status",
        "traceId",
    ],
)];

pub(in crate::core::import) static OPENAI_AGENTS: Table = &[
    ("agent_updated_stream_event", &["new_agent", "type"]),
    ("raw_response_event", &["data", "type"]),
    ("run_item_stream_event", &["item", "name", "type"]),
    (
        "trace",
        &["group_id", "id", "metadata", "object", "workflow_name"],
    ),
    (
        "trace.span",
        &[
            "ended_at",
            "error",
            "id",
            "object",
            "parent_id",
            "span_data",
            "started_at",
            "trace_id",
        ],
    ),
    (
        "trace.span.agent",
        &["handoffs", "name", "output_type", "tools", "type"],
    ),
    ("trace.span.custom", &["data", "name", "type"]),
    (
        "trace.span.function",
        &["input", "mcp_data", "name", "output", "type"],
    ),
    (
        "trace.span.generation",
        &["input", "model", "model_config", "output", "type", "usage"],
    ),
    ("trace.span.handoff", &["from_agent", "to_agent", "type"]),
    ("trace.span.response", &["response_id", "type", "usage"]),
];

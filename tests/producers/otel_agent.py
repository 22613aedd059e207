"""An agent run instrumented with the OpenTelemetry GenAI semantic conventions, exported by the
official OpenTelemetry SDK's OTLP exporters (HTTP/protobuf or gRPC) to a receiver such as
`orchscope record otlp://127.0.0.1:4318`.

    python otel_agent.py http http://127.0.0.1:4318 [TOKEN]
    python otel_agent.py grpc http://127.0.0.1:4317 [TOKEN]

A supervisor agent plans with a model, calls a tool, and hands the research to a sub-agent
whose own tool call fails. Spans are batched and exported as they end, children first.
"""

import json
import sys

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode


def exporter(kind, endpoint, token):
    headers = {"authorization": f"Bearer {token}"} if token else None
    if kind == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=endpoint, insecure=True, headers=headers)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces", headers=headers)


def agent(tracer, name, agent_id, conversation):
    return tracer.start_as_current_span(
        f"invoke_agent {name}",
        kind=SpanKind.INTERNAL,
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": name,
            "gen_ai.agent.id": agent_id,
            "gen_ai.conversation.id": conversation,
            "gen_ai.provider.name": "openai",
        },
    )


def chat(tracer, prompt, answer):
    with tracer.start_as_current_span(
        "chat gpt-4o",
        kind=SpanKind.CLIENT,
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.input.messages": json.dumps(
                [{"role": "user", "parts": [{"type": "text", "content": prompt}]}]
            ),
            "gen_ai.output.messages": json.dumps(
                [{"role": "assistant", "parts": [{"type": "text", "content": answer}]}]
            ),
            "gen_ai.usage.input_tokens": 120,
            "gen_ai.usage.output_tokens": 30,
        },
    ):
        pass


def tool(tracer, name, call_id, arguments, result=None, error=None):
    with tracer.start_as_current_span(
        f"execute_tool {name}",
        kind=SpanKind.INTERNAL,
        attributes={
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.call.id": call_id,
            "gen_ai.tool.call.arguments": json.dumps(arguments),
        },
    ) as span:
        if error:
            span.set_status(Status(StatusCode.ERROR, error))
            span.set_attribute("error.type", "TimeoutError")
        else:
            span.set_attribute("gen_ai.tool.call.result", json.dumps(result))


def main():
    kind, endpoint = sys.argv[1], sys.argv[2]
    token = sys.argv[3] if len(sys.argv) > 3 else None
    provider = TracerProvider(resource=Resource.create({"service.name": "otel-agent-example"}))
    provider.add_span_processor(BatchSpanProcessor(exporter(kind, endpoint, token)))
    tracer = provider.get_tracer("otel-agent-example")
    with agent(tracer, "supervisor", "agent-sup", "conv-1"):
        chat(tracer, "Summarise the weather in Paris", "I will look it up and delegate.")
        tool(tracer, "get_weather", "call_1", {"city": "Paris"}, {"temp_c": 18})
        with agent(tracer, "researcher", "agent-res", "conv-1"):
            chat(tracer, "Find the forecast", "Calling the forecast service.")
            tool(tracer, "forecast", "call_2", {"city": "Paris"}, error="the service timed out")
    provider.force_flush()
    provider.shutdown()


if __name__ == "__main__":
    main()

// An agent run instrumented with the OpenTelemetry GenAI semantic conventions, exported by the
// official OpenTelemetry JS SDK's OTLP/HTTP protobuf exporter to a receiver such as
// `orchscope record otlp://127.0.0.1:4318` — the same run as otel_agent.py.
//
//     node build/otel_agent.js http://127.0.0.1:4318 [TOKEN]     (after `npx tsc`)
//
// A supervisor agent plans with a model, calls a tool, and hands the research to a sub-agent
// whose own tool call fails. Spans are batched and exported as they end, children first.
import { context, trace, Span, SpanKind, SpanStatusCode, Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";

type Attrs = Record<string, string | number>;

// A span under `parent` (a root without one), ended when `body` returns.
function within(tracer: Tracer, parent: Span | undefined, name: string, kind: SpanKind, attributes: Attrs, body: (span: Span) => void): void {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  const span = tracer.startSpan(name, { kind, attributes }, ctx);
  body(span);
  span.end();
}

function agent(tracer: Tracer, parent: Span | undefined, name: string, id: string, body: (span: Span) => void): void {
  const attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": name,
    "gen_ai.agent.id": id,
    "gen_ai.conversation.id": "conv-1",
    "gen_ai.provider.name": "openai",
  };
  within(tracer, parent, `invoke_agent ${name}`, SpanKind.INTERNAL, attributes, body);
}

function chat(tracer: Tracer, parent: Span, prompt: string, answer: string): void {
  const message = (role: string, content: string) => JSON.stringify([{ role, parts: [{ type: "text", content }] }]);
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.input.messages": message("user", prompt),
    "gen_ai.output.messages": message("assistant", answer),
    "gen_ai.usage.input_tokens": 120,
    "gen_ai.usage.output_tokens": 30,
  };
  within(tracer, parent, "chat gpt-4o", SpanKind.CLIENT, attributes, () => {});
}

function tool(tracer: Tracer, parent: Span, name: string, callId: string, args: object, result?: object, error?: string): void {
  const attributes = {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": name,
    "gen_ai.tool.call.id": callId,
    "gen_ai.tool.call.arguments": JSON.stringify(args),
  };
  within(tracer, parent, `execute_tool ${name}`, SpanKind.INTERNAL, attributes, (span) => {
    if (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.setAttribute("error.type", "TimeoutError");
    } else {
      span.setAttribute("gen_ai.tool.call.result", JSON.stringify(result));
    }
  });
}

async function main(): Promise<void> {
  const [endpoint, token] = process.argv.slice(2);
  const exporter = new OTLPTraceExporter({
    url: `${endpoint.replace(/\/$/, "")}/v1/traces`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "otel-agent-example" }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("otel-agent-example");
  agent(tracer, undefined, "supervisor", "agent-sup", (sup) => {
    chat(tracer, sup, "Summarise the weather in Paris", "I will look it up and delegate.");
    tool(tracer, sup, "get_weather", "call_1", { city: "Paris" }, { temp_c: 18 });
    agent(tracer, sup, "researcher", "agent-res", (res) => {
      chat(tracer, res, "Find the forecast", "Calling the forecast service.");
      tool(tracer, res, "forecast", "call_2", { city: "Paris" }, undefined, "the service timed out");
    });
  });
  await provider.forceFlush();
  await provider.shutdown();
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});

// An orchestrator of your own, speaking orchscope's native protocol (see the README's protocol
// section), in TypeScript: the same run as native.py — a WebSocket server on 127.0.0.1 that
// answers each `user_message` with a supervisor delegating to a researcher that calls a tool,
// with ids, parent links, `seq`, producer timestamps and each agent's context and its hash.
//
//     node native.js PORT [--fault wrong-hash|drop-result]     (after `npx tsc`)
//
// prints `listening PORT` once it accepts connections. Needs `ws`.
import { createHash } from "node:crypto";
import { WebSocketServer, WebSocket } from "ws";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// RFC 8785: keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace,
// ECMAScript numbers and strings — exactly what JSON.stringify writes for the leaves.
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const contextHash = (c: Json): string =>
  "sha256:" + createHash("sha256").update(canonical(c), "utf8").digest("hex");

// The whole integration: one JSON text frame per event, the common fields in `payload`.
class Emitter {
  private seq = 0;
  constructor(private ws: WebSocket) {}
  emit(type: string, run: Record<string, Json>, fields: Record<string, Json>): void {
    this.seq += 1;
    const payload = { ...run, seq: this.seq, ...fields };
    this.ws.send(JSON.stringify({ type, timestamp: Date.now() / 1000, payload }));
  }
}

type Turn = { request: string; response: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runRequest(em: Emitter, n: number, thread: string, request: string,
                          history: Turn[], fault?: string): Promise<string> {
  const run = { run_id: `run-${n}`, thread_id: thread, user_id: "u-1", turn: history.length + 1 };
  const sup = { agent_name: "supervisor", agent_id: `run-${n}/supervisor` };
  const res = { agent_name: "researcher", agent_id: `run-${n}/researcher` };
  const context: Json = { user_request: request, history };
  const reported = fault === "wrong-hash" ? contextHash({ tampered: true }) : contextHash(context);
  const last = history[history.length - 1];
  const prev: Record<string, Json> = last
    ? { prev_context_hash: contextHash({ user_request: last.request, history: history.slice(0, -1) }) }
    : {};
  em.emit("agent_started", run, { ...sup, context, context_hash: reported, ...prev });
  em.emit("agent_thinking", run, { ...sup, thought: "delegate the search" });
  em.emit("agent_started", run, {
    ...res, parent_agent_id: sup.agent_id, context, context_hash: contextHash(context),
  });
  em.emit("agent_thinking", run, { ...res, thought: "look it up" });
  const call = { tool_name: "search", tool_call_id: `call-${n}` };
  em.emit("tool_executing", run, { ...res, ...call, parameters: { q: request } });
  await sleep(50);
  if (fault !== "drop-result") {
    em.emit("tool_completed", run, { ...res, ...call, result: { status: "ok", hits: 3 }, duration_ms: 50 });
  }
  em.emit("agent_completed", run, { ...res, result: { status: "ok" } });
  const answer = `found 3 results for ${request}`;
  em.emit("agent_completed", run, { ...sup, result: { status: "ok", answer } });
  return answer;
}

function session(ws: WebSocket, fault?: string): void {
  const em = new Emitter(ws);
  let history: Turn[] = [];
  let n = 0;
  let queue = Promise.resolve();
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.type !== "user_message") return;
    const payload = message.payload ?? {};
    const id = ++n;
    queue = queue.then(async () => {
      const request = String(payload.content ?? "");
      const answer = await runRequest(em, id, payload.thread_id ?? "thread-1", request, history, fault);
      history = [...history, { request, response: answer }];
    });
  });
}

const port = Number(process.argv[2]);
const fault = process.argv[3] === "--fault" ? process.argv[4] : undefined;
const server = new WebSocketServer({ host: "127.0.0.1", port });
server.on("connection", (ws) => session(ws, fault));
server.on("listening", () => console.log(`listening ${port}`));

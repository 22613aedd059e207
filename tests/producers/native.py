#!/usr/bin/env python3
"""An orchestrator of your own, speaking orchscope's native protocol (see the README's protocol
section): a WebSocket server on 127.0.0.1 that answers each `user_message` with one run, a
supervisor delegating to a researcher that calls a tool, every frame with ids, parent links,
`seq`, producer timestamps and the context handed to each agent with its RFC 8785 hash.

    python3 native.py PORT [--fault wrong-hash|drop-result]

prints `listening PORT` once it accepts connections. Needs `websockets` and `rfc8785`.
"""
import asyncio, hashlib, json, sys, time

import rfc8785
import websockets


def context_hash(context):
    """sha256 over the RFC 8785 canonical form, as orchscope computes it."""
    return "sha256:" + hashlib.sha256(rfc8785.dumps(context)).hexdigest()


class Emitter:
    """The whole integration: one JSON text frame per event, the common fields in `payload`."""

    def __init__(self, ws):
        self.ws, self.seq = ws, 0

    async def emit(self, type_, run, **fields):
        self.seq += 1
        payload = {**run, "seq": self.seq, **fields}
        await self.ws.send(json.dumps({"type": type_, "timestamp": time.time(), "payload": payload}))


async def run_request(em, n, thread, request, history, fault):
    run = {"run_id": f"run-{n}", "thread_id": thread, "user_id": "u-1", "turn": len(history) + 1}
    sup, res = f"run-{n}/supervisor", f"run-{n}/researcher"
    context = {"user_request": request, "history": history}
    reported = context_hash({"tampered": True}) if fault == "wrong-hash" else context_hash(context)
    prev = {"prev_context_hash": context_hash({"user_request": history[-1]["request"], "history": history[:-1]})} if history else {}
    await em.emit("agent_started", run, agent_name="supervisor", agent_id=sup,
                  context=context, context_hash=reported, **prev)
    await em.emit("agent_thinking", run, agent_name="supervisor", agent_id=sup, thought="delegate the search")
    await em.emit("agent_started", run, agent_name="researcher", agent_id=res, parent_agent_id=sup,
                  context=context, context_hash=context_hash(context))
    await em.emit("agent_thinking", run, agent_name="researcher", agent_id=res, thought="look it up")
    call = {"tool_name": "search", "tool_call_id": f"call-{n}"}
    await em.emit("tool_executing", run, agent_name="researcher", agent_id=res, parameters={"q": request}, **call)
    await asyncio.sleep(0.05)
    if fault != "drop-result":
        await em.emit("tool_completed", run, agent_name="researcher", agent_id=res,
                      result={"status": "ok", "hits": 3}, duration_ms=50, **call)
    await em.emit("agent_completed", run, agent_name="researcher", agent_id=res, result={"status": "ok"})
    answer = f"found 3 results for {request}"
    await em.emit("agent_completed", run, agent_name="supervisor", agent_id=sup,
                  result={"status": "ok", "answer": answer})
    return answer


async def session(ws, fault):
    em, history, n = Emitter(ws), [], 0
    async for text in ws:
        message = json.loads(text)
        if message.get("type") != "user_message":
            continue
        n += 1
        payload = message.get("payload") or {}
        thread = payload.get("thread_id") or "thread-1"
        answer = await run_request(em, n, thread, payload.get("content", ""), history, fault)
        history = history + [{"request": payload.get("content", ""), "response": answer}]


async def main():
    port = int(sys.argv[1])
    fault = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--fault" else None
    async with websockets.serve(lambda ws: session(ws, fault), "127.0.0.1", port):
        print(f"listening {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())

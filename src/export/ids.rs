//! The stable trace and span ids of an export: hashes of the recording's own identities (the
//! source and run id for a trace, an agent's or call's id and occurrence for a span), so that
//! exporting the same recording twice yields the same ids and a backend de-duplicates.

use crate::core::intern::{Interner, Sym};
use crate::core::session::{AgentIx, CallIx, Session};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A 16-byte OTLP trace id.
pub type TraceId = [u8; 16];
/// An 8-byte OTLP span id.
pub type SpanId = [u8; 8];

/// Every id of one exported session, by run, agent and call.
pub struct Ids {
    /// Per run (indexed like `Session::runs`).
    pub traces: Vec<TraceId>,
    /// Per agent (indexed like `Session::agents`).
    pub agents: Vec<SpanId>,
    /// Per call (indexed like `Session::calls`).
    pub calls: Vec<SpanId>,
}

impl Ids {
    /// Derives the ids of `session` read from `source` (the key naming the recording).
    pub fn new(session: &Session, interner: &Interner, source: &str) -> Ids {
        let mut ids = Ids {
            traces: Vec::with_capacity(session.runs.len()),
            agents: vec![[0; 8]; session.agents.len()],
            calls: vec![[0; 8]; session.calls.len()],
        };
        for run in session.runs.iter() {
            let trace: TraceId = nonzero(digest(&[
                b"orchscope trace",
                source.as_bytes(),
                interner.resolve(run.id).as_bytes(),
            ]));
            let mut seen: HashMap<Option<Sym>, u32> = HashMap::new();
            for &a in &run.agents {
                let id = session.agents[a].id;
                let n = occurrence(&mut seen, Some(id));
                ids.agents[a.index()] = span(&trace, b"agent", interner.resolve(id), n);
            }
            seen.clear();
            for &c in &run.calls {
                let id = session.calls[c].call_id;
                let n = occurrence(&mut seen, id);
                let name = id.map_or("", |s| interner.resolve(s));
                ids.calls[c.index()] = span(&trace, b"call", name, n);
            }
            ids.traces.push(trace);
        }
        ids
    }

    pub fn agent(&self, a: AgentIx) -> SpanId {
        self.agents[a.index()]
    }

    pub fn call(&self, c: CallIx) -> SpanId {
        self.calls[c.index()]
    }
}

/// How many times `key` was seen before in this run, counting this time.
fn occurrence(seen: &mut HashMap<Option<Sym>, u32>, key: Option<Sym>) -> u32 {
    let n = seen.entry(key).or_insert(0);
    *n += 1;
    *n
}

/// The span id of the `n`-th agent or call named `id` in the trace.
fn span(trace: &TraceId, kind: &[u8], id: &str, n: u32) -> SpanId {
    nonzero(digest(&[trace, kind, id.as_bytes(), &n.to_le_bytes()]))
}

/// The sha256 of the parts, each length-prefixed so no two part lists collide.
fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// The first `N` bytes of a digest, never all zero (OTLP reads zero ids as "no id").
fn nonzero<const N: usize>(d: [u8; 32]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&d[..N]);
    if out.iter().all(|&b| b == 0) {
        out[N - 1] = 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_every_part_and_are_never_zero() {
        let t: TraceId = nonzero(digest(&[b"a", b"bc"]));
        let u: TraceId = nonzero(digest(&[b"ab", b"c"]));
        assert_ne!(t, u);
        assert_eq!(t, nonzero::<16>(digest(&[b"a", b"bc"])));
        assert_ne!(span(&t, b"agent", "x", 1), span(&t, b"agent", "x", 2));
        assert_ne!(span(&t, b"agent", "x", 1), span(&u, b"agent", "x", 1));
        assert_eq!(nonzero::<8>([0; 32]), [0, 0, 0, 0, 0, 0, 0, 1]);
    }
}

//! Tool call pairing (model.md §3): by `tool_call_id` within the run (explicit), else FIFO per
//! (run, agent, tool), then per (run, tool) (inferred); orphans, duplicate ids, and tool events
//! re-attributed from agent names that never ran (Netra's `ToolExecutor`).

use super::model::*;
use super::Session;
use crate::core::event::{Event, Outcome};
use crate::core::intern::Sym;

impl Session {
    /// The agent a tool event belongs to: the named instance, or — when the name never had an
    /// instance in the run — the most recently started running agent (inferred).
    fn tool_agent(
        &mut self,
        run: RunIx,
        pos: Pos,
        ev: &Event,
    ) -> (Option<AgentIx>, Source, Option<Sym>) {
        if let Some(a) = self.named_instance(run, ev) {
            self.attribute_to(Some(a), pos, ev);
            return (Some(a), Source::Explicit, None);
        }
        let Some(name) = ev.agent_name.or(ev.agent_id) else {
            return (None, Source::None, None);
        };
        let running = self.last_running(&self.runs[run].running);
        if let Some(a) = running {
            self.attribute_to(Some(a), pos, ev);
        }
        (running, Source::Inferred, Some(name))
    }

    pub(crate) fn tool_executing(&mut self, run: RunIx, pos: Pos, ev: &Event) {
        let (agent, agent_source, from) = self.tool_agent(run, pos, ev);
        if let Some(id) = ev.tool_call_id {
            let open = (self.runs[run].ids.get(&id))
                .filter(|&&c| self.calls[c].status == CallStatus::Open);
            if let Some(&call) = open {
                self.fact_mut(pos).set_call(call);
                self.anomalies.push(Anomaly::DuplicateCallId { call, pos });
                return;
            }
        }
        let attribution = (agent, agent_source, from);
        let at = self
            .facts
            .get(pos.index())
            .map_or(super::time::At::MISSING, |f| f.at);
        let call = self.new_call(
            run,
            ev,
            attribution,
            (Some(pos), at),
            (None, At::MISSING),
            pos,
        );
        self.fact_mut(pos).set_call(call);
        let r = &mut self.runs[run];
        r.open_calls.entry(ev.tool_name).or_default().insert(call);
        r.open_calls_of
            .entry((ev.tool_name, agent))
            .or_default()
            .insert(call);
    }

    /// Takes `call` out of `run`'s open calls.
    fn close_open_call(&mut self, run: RunIx, call: CallIx) {
        let c = &self.calls[call];
        let (tool, agent) = (c.tool, c.agent);
        let r = &mut self.runs[run];
        if let Some(set) = r.open_calls.get_mut(&tool) {
            set.remove(&call);
            if set.is_empty() {
                r.open_calls.remove(&tool);
            }
        }
        if let Some(set) = r.open_calls_of.get_mut(&(tool, agent)) {
            set.remove(&call);
            if set.is_empty() {
                r.open_calls_of.remove(&(tool, agent));
            }
        }
        if r.open_calls.is_empty() {
            // No call open: the indexes give their memory back (a session holds many runs).
            r.open_calls = Default::default();
            r.open_calls_of = Default::default();
        }
    }

    pub(crate) fn tool_completed(&mut self, run: RunIx, pos: Pos, ev: &Event) {
        let (agent, agent_source, from) = self.tool_agent(run, pos, ev);
        let r = &self.runs[run];
        let found = match ev.tool_call_id {
            Some(id) => match r.ids.get(&id) {
                Some(&call) if self.calls[call].status == CallStatus::Open => Some(call),
                Some(&earlier) => {
                    self.fact_mut(pos).set_call(earlier);
                    self.anomalies
                        .push(Anomaly::DuplicateCompletion { call: earlier, pos });
                    return;
                }
                None => None,
            },
            None => {
                // The oldest open call of this tool by this agent, else by any agent.
                (r.open_calls_of.get(&(ev.tool_name, agent)))
                    .or_else(|| r.open_calls.get(&ev.tool_name))
                    .and_then(|set| set.first().copied())
            }
        };
        let at = self.times_at(pos);
        let status = match ev.outcome {
            Outcome::Failed => CallStatus::Error,
            Outcome::Aborted => CallStatus::Aborted,
            _ => CallStatus::Ok,
        };
        let call = match found {
            Some(call) => {
                let c = &mut self.calls[call];
                c.done_pos = Some(pos);
                c.done_at = At::new(at);
                c.status = status;
                c.reported_duration_ms = ev.duration_ms;
                self.close_open_call(run, call);
                call
            }
            None => {
                let attribution = (agent, agent_source, from);
                let call = self.new_call(
                    run,
                    ev,
                    attribution,
                    (None, At::MISSING),
                    (Some(pos), At::new(at)),
                    pos,
                );
                self.calls[call].status = CallStatus::Orphan;
                self.calls[call].reported_duration_ms = ev.duration_ms;
                call
            }
        };
        self.fact_mut(pos).set_call(call);
    }
}

impl Session {
    /// Adds a call to `run` (open unless its result is given), with the pairing its id implies
    /// and the re-attribution it needed.
    fn new_call(
        &mut self,
        run: RunIx,
        ev: &Event,
        (agent, agent_source, from): (Option<AgentIx>, Source, Option<Sym>),
        (exec_pos, exec_at): (Option<Pos>, At),
        (done_pos, done_at): (Option<Pos>, At),
        pos: Pos,
    ) -> CallIx {
        let call = CallIx::new(self.calls.len());
        self.calls.push(ToolCall {
            call_id: ev.tool_call_id,
            tool: ev.tool_name,
            args: ev.args,
            agent,
            agent_source,
            reattributed_from: from,
            run,
            exec_pos,
            exec_at,
            done_pos,
            done_at,
            status: CallStatus::Open,
            pairing: if ev.tool_call_id.is_some() {
                Source::Explicit
            } else {
                Source::Inferred
            },
            reported_duration_ms: None,
        });
        let r = &mut self.runs[run];
        r.calls.push(call);
        if let Some(id) = ev.tool_call_id {
            r.ids.insert(id, call);
        }
        if let Some(name) = from {
            self.anomalies
                .push(Anomaly::Reattributed { call, name, pos });
        }
        call
    }
}

impl ToolCall {
    /// Latency on the run's clock, in ms.
    pub fn latency_ms(&self, clock: Clock) -> Option<f64> {
        Some(clock.of(&self.done()?)? - clock.of(&self.exec()?)?)
    }
}

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
        let r = &self.runs[run as usize];
        let running = r
            .agents
            .iter()
            .rev()
            .copied()
            .find(|&a| self.agents[a as usize].is_running());
        if let Some(a) = running {
            self.attribute_to(Some(a), pos, ev);
        }
        (running, Source::Inferred, Some(name))
    }

    pub(crate) fn tool_executing(&mut self, run: RunIx, pos: Pos, ev: &Event) {
        let (agent, agent_source, from) = self.tool_agent(run, pos, ev);
        if let Some(id) = ev.tool_call_id {
            if let Some(&call) = self.runs[run as usize].live_ids.get(&id) {
                self.facts[pos as usize].set_call(call);
                self.anomalies.push(Anomaly::DuplicateCallId { call, pos });
                return;
            }
        }
        let attribution = (agent, agent_source, from);
        let at = self.facts[pos as usize].at;
        let call = self.new_call(
            run,
            ev,
            attribution,
            (Some(pos), at),
            (None, At::MISSING),
            pos,
        );
        self.facts[pos as usize].set_call(call);
        let r = &mut self.runs[run as usize];
        r.open_calls.push(call);
        if let Some(id) = ev.tool_call_id {
            r.live_ids.insert(id, call);
        }
    }

    pub(crate) fn tool_completed(&mut self, run: RunIx, pos: Pos, ev: &Event) {
        let (agent, agent_source, from) = self.tool_agent(run, pos, ev);
        let r = &self.runs[run as usize];
        let found = match ev.tool_call_id {
            Some(id) => match r.live_ids.get(&id) {
                Some(&call) => Some(call),
                None => {
                    let earlier = r
                        .calls
                        .iter()
                        .rev()
                        .copied()
                        .find(|&c| self.calls[c as usize].call_id == Some(id));
                    if let Some(call) = earlier {
                        self.facts[pos as usize].set_call(call);
                        self.anomalies
                            .push(Anomaly::DuplicateCompletion { call, pos });
                        return;
                    }
                    None
                }
            },
            None => {
                let same = |c: &CallIx, by_agent: bool| {
                    let call = &self.calls[*c as usize];
                    call.tool == ev.tool_name && (!by_agent || call.agent == agent)
                };
                r.open_calls
                    .iter()
                    .find(|c| same(c, true))
                    .or_else(|| r.open_calls.iter().find(|c| same(c, false)))
                    .copied()
            }
        };
        let at = self.facts[pos as usize].at.times();
        let status = match ev.outcome {
            Outcome::Failed => CallStatus::Error,
            Outcome::Aborted => CallStatus::Aborted,
            _ => CallStatus::Ok,
        };
        let call = match found {
            Some(call) => {
                let r = &mut self.runs[run as usize];
                r.open_calls.retain(|&c| c != call);
                if let Some(id) = ev.tool_call_id {
                    r.live_ids.remove(&id);
                }
                let c = &mut self.calls[call as usize];
                c.done_pos = Some(pos);
                c.done_at = At::new(at);
                c.status = status;
                c.reported_duration_ms = ev.duration_ms;
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
                self.calls[call as usize].status = CallStatus::Orphan;
                self.calls[call as usize].reported_duration_ms = ev.duration_ms;
                call
            }
        };
        self.facts[pos as usize].set_call(call);
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
        let call = self.calls.len() as CallIx;
        self.calls.push(ToolCall {
            call_id: ev.tool_call_id,
            tool: ev.tool_name,
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
        self.runs[run as usize].calls.push(call);
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

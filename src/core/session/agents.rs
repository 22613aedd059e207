//! Agent instances and the tree (model.md §2): identity, duplicate starts and completions,
//! parents (explicit by id, explicit by `subagent_started` link, inferred root), states, and the
//! attribution of other events to the instance they belong to.

use super::model::*;
use super::Session;
use crate::core::event::{Event, Kind, Outcome};
use crate::core::intern::{Intern, Sym};

impl Session {
    /// The latest instance of `name` in `run`: the running one, else the last one.
    pub(crate) fn latest_instance(&self, run: RunIx, name: Sym) -> Option<AgentIx> {
        let r = &self.runs[run];
        let running = r
            .running_by_name
            .get(&name)
            .and_then(|l| self.last_running(l));
        running.or_else(|| r.by_name.get(&name)?.last().copied())
    }

    /// The last agent of `list` (a running list) still running.
    pub(crate) fn last_running(&self, list: &[AgentIx]) -> Option<AgentIx> {
        list.iter()
            .rev()
            .copied()
            .find(|&a| self.agents[a].is_running())
    }

    /// Drops agents no longer running off the end of `run`'s running lists (run-wide and for
    /// `name`), so the last entry of each is running.
    fn prune_running(&mut self, run: RunIx, name: Option<Sym>) {
        let agents = &self.agents;
        let r = &mut self.runs[run];
        let done = |list: &Vec<AgentIx>| list.last().is_some_and(|&a| !agents[a].is_running());
        while done(&r.running) {
            r.running.pop();
        }
        if r.running.is_empty() {
            // A run that ran its course keeps no index memory (a session holds many runs).
            r.running = Vec::new();
        }
        if let Some(n) = name {
            if let Some(list) = r.running_by_name.get_mut(&n) {
                while done(list) {
                    list.pop();
                }
                if list.is_empty() {
                    r.running_by_name.remove(&n);
                }
            }
            if r.running_by_name.is_empty() {
                r.running_by_name = Default::default();
            }
        }
    }

    /// The instance an event names (by id, else by name), without side effects.
    pub(crate) fn named_instance(&self, run: RunIx, ev: &Event) -> Option<AgentIx> {
        let r = &self.runs[run];
        if let Some(id) = ev.agent_id {
            if let Some(&a) = r.by_id.get(&id) {
                return Some(a);
            }
        }
        ev.agent_name.and_then(|n| self.latest_instance(run, n))
    }

    /// Attributes a frame to an agent and checks its lifecycle. An event of an agent that has
    /// not started yet is remembered (`early`) when `remember` is set.
    pub(crate) fn agent_for(
        &mut self,
        run: RunIx,
        pos: Pos,
        ev: &Event,
        remember: bool,
    ) -> Option<AgentIx> {
        match self.named_instance(run, ev) {
            Some(a) => {
                self.attribute_to(Some(a), pos, ev);
                Some(a)
            }
            None => {
                if remember {
                    if let Some(name) = ev.agent_name.or(ev.agent_id) {
                        self.runs[run].early.entry(name).or_default().push(pos);
                    }
                }
                None
            }
        }
    }

    /// Records that `pos` belongs to `agent`, with the lifecycle checks.
    pub(crate) fn attribute_to(&mut self, agent: Option<AgentIx>, pos: Pos, ev: &Event) {
        let Some(a) = agent else { return };
        self.fact_mut(pos).set_agent(a);
        let ag = &mut self.agents[a];
        if ag.end_pos.is_some_and(|end| end < pos) && !ev.kind.is_trailing_report() {
            self.anomalies.push(Anomaly::AfterComplete {
                agent: a,
                pos,
                kind: ev.kind,
            });
        }
        if let (Some(ts), Some(last)) = (ev.ts_ms, ag.last_ts) {
            if ts < last {
                self.anomalies
                    .push(Anomaly::TimeBackwards { agent: a, pos });
            }
        }
        if ev.ts_ms.is_some() {
            ag.last_ts = Some(
                ev.ts_ms
                    .unwrap_or(f64::MIN)
                    .max(ag.last_ts.unwrap_or(f64::MIN)),
            );
        }
        // A trailing report after the completion (Netra's `final_report` between its two
        // `agent_completed`) leaves the completion the agent's last event.
        if !(ev.kind.is_trailing_report() && ag.end_pos.is_some()) {
            ag.last_pos = ag.last_pos.max(pos);
        }
    }

    pub(crate) fn agent_started(
        &mut self,
        run: RunIx,
        pos: Pos,
        ev: &Event,
        interner: &mut dyn Intern,
    ) {
        // The same instance started again: a duplicate start.
        let existing = match ev.agent_id {
            Some(id) => self.runs[run].by_id.get(&id).copied(),
            None => ev
                .agent_name
                .and_then(|n| self.latest_instance(run, n))
                .filter(|&a| self.agents[a].is_running()),
        };
        if let Some(a) = existing {
            self.fact_mut(pos).set_agent(a);
            self.anomalies
                .push(Anomaly::DuplicateStart { agent: a, pos });
            let ag = &mut self.agents[a];
            ag.last_pos = ag.last_pos.max(pos);
            if ag.context.is_none() {
                ag.context = ev.context.clone();
            }
            return;
        }
        let a = self.new_agent(run, pos, ev, interner);
        let started = self.times_at(pos);
        let ag = &mut self.agents[a];
        ag.start_pos = Some(pos);
        ag.started = Some(started);
        ag.context = ev.context.clone();
        ag.reported_hash = ev.context_hash.clone().map(Box::new);
        ag.prev_hash = ev.prev_context_hash.clone().map(Box::new);
        ag.last_ts = ev.ts_ms;
        self.fact_mut(pos).set_agent(a);
        // Earlier events of this agent (Netra's step-0 thinking).
        let name = self.agents[a].name;
        let id = self.agents[a].id;
        let early = &mut self.runs[run].early;
        if !early.is_empty() {
            let mut mine: Vec<Pos> = [name, Some(id)]
                .into_iter()
                .flatten()
                .filter_map(|n| early.remove(&n))
                .flatten()
                .collect();
            mine.sort_unstable();
            for p in mine {
                self.fact_mut(p).set_agent(a);
                let kind = match self.facts.get(p.index()).map(|f| f.kind) {
                    Some(FactKind::Event(k)) => k,
                    _ => Kind::Other,
                };
                self.anomalies.push(Anomaly::BeforeStart {
                    agent: a,
                    pos: p,
                    kind,
                });
            }
        }
        if self.runs[run].root == Some(a) {
            self.root_started(run, pos, ev);
        }
        if let Some(turn) = self.runs[run].turn {
            self.turns[turn].agents.push(a);
            let ag = &mut self.agents[a];
            ag.turn = Some(turn);
            let shown = ag.name.unwrap_or(ag.id);
            if self.named.get(shown).is_none() {
                self.named.insert(shown, 0);
                self.agent_names.push(shown);
            }
        }
    }

    /// Creates an agent instance in `run` with its identity and parent.
    fn new_agent(
        &mut self,
        run: RunIx,
        pos: Pos,
        ev: &Event,
        interner: &mut dyn Intern,
    ) -> AgentIx {
        let a = AgentIx::new(self.agents.len());
        let r = &self.runs[run];
        let count = ev
            .agent_name
            .and_then(|n| r.by_name.get(&n))
            .map_or(0, Vec::len);
        let id = match ev.agent_id {
            Some(id) => id,
            None => {
                let name = ev
                    .agent_name
                    .map_or("agent", |n| interner.resolve(n))
                    .to_string();
                let run_id = interner.resolve(r.id).to_string();
                let nth = (count > 0).then(|| format!("#{}", count + 1));
                interner.intern(&format!("{run_id}/{name}{}", nth.unwrap_or_default()))
            }
        };
        let handoff_from = ev
            .handoff_from
            .and_then(|h| self.runs[run].by_id.get(&h).copied());
        let (mut parent, mut parent_source, dangling) = self.parent_of(run, ev);
        // An agent handed to, with no enclosing agent of its own, sits under the agent that
        // handed off (the producer said so: explicit).
        if let (Some(h), Source::Inferred | Source::None) = (handoff_from, parent_source) {
            parent = Some(h);
            parent_source = Source::Explicit;
        }
        let r = &mut self.runs[run];
        if r.root.is_none() {
            r.root = Some(a);
        }
        r.agents.push(a);
        r.running.push(a);
        r.by_id.insert(id, a);
        if let Some(name) = ev.agent_name {
            r.by_name.entry(name).or_default().push(a);
            r.running_by_name.entry(name).or_default().push(a);
        }
        self.agents.push(Agent {
            id,
            name: ev.agent_name,
            run,
            parent,
            dangling_parent: dangling,
            parent_source,
            handoff_from,
            status: AgentStatus::Running,
            start_pos: None,
            started: None,
            end_pos: None,
            ended: None,
            reported_duration_ms: None,
            context: None,
            reported_hash: None,
            prev_hash: None,
            error_pos: None,
            fallback_pos: None,
            completed_failed: false,
            final_answer: false,
            children: Vec::new(),
            turn: None,
            last_pos: pos,
            last_ts: None,
            usage: None,
        });
        if let Some(p) = parent {
            self.agents[p].children.push(a);
        }
        a
    }

    /// Parent by precedence: `parent_agent_id`; a `subagent_started` link naming this agent
    /// exactly; else the run's root (inferred).
    fn parent_of(&self, run: RunIx, ev: &Event) -> (Option<AgentIx>, Source, Option<Sym>) {
        let r = &self.runs[run];
        if let Some(pid) = ev.parent_agent_id {
            return match r.by_id.get(&pid) {
                Some(&p) => (Some(p), Source::Explicit, None),
                None => (None, Source::Explicit, Some(pid)),
            };
        }
        let names = [ev.agent_name, ev.agent_id];
        let link = r.links.iter().rev().find(|l| {
            names
                .iter()
                .flatten()
                .any(|n| l.subagent_name == Some(*n) || l.subagent_id == Some(*n))
        });
        if let Some(SubLink {
            parent: Some(p), ..
        }) = link
        {
            return (Some(*p), Source::Explicit, None);
        }
        match r.root {
            Some(root) => (Some(root), Source::Inferred, None),
            None => (None, Source::None, None),
        }
    }

    pub(crate) fn agent_completed(
        &mut self,
        run: RunIx,
        pos: Pos,
        ev: &Event,
        interner: &mut dyn Intern,
    ) {
        let at = self.times_at(pos);
        let a = match self.named_instance(run, ev) {
            Some(a) => {
                let (end_pos, last_pos) = {
                    let ag = &self.agents[a];
                    (ag.end_pos, ag.last_pos)
                };
                if let Some(end) = end_pos {
                    // Completed already: a duplicate when nothing of this agent came between.
                    self.fact_mut(pos).set_agent(a);
                    if last_pos == end {
                        self.anomalies
                            .push(Anomaly::DuplicateComplete { agent: a, pos });
                        self.agents[a].last_pos = pos;
                    } else {
                        self.anomalies.push(Anomaly::AfterComplete {
                            agent: a,
                            pos,
                            kind: ev.kind,
                        });
                    }
                    return;
                }
                self.attribute_to(Some(a), pos, ev);
                a
            }
            None => {
                // Completed without ever starting.
                let a = self.new_agent(run, pos, ev, interner);
                self.fact_mut(pos).set_agent(a);
                self.anomalies.push(Anomaly::BeforeStart {
                    agent: a,
                    pos,
                    kind: ev.kind,
                });
                a
            }
        };
        let ag = &mut self.agents[a];
        ag.end_pos = Some(pos);
        ag.ended = Some(at);
        ag.reported_duration_ms = ev.duration_ms;
        ag.final_answer |= ev.final_answer;
        if ag.reported_hash.is_none() {
            ag.reported_hash = ev.context_hash.clone().map(Box::new);
        }
        ag.completed_failed = ev.outcome == Outcome::Failed;
        ag.status = if ag.fallback_pos.is_some() {
            AgentStatus::FellBack
        } else if ev.outcome == Outcome::Failed || ag.error_pos.is_some() {
            AgentStatus::Failed
        } else if ev.outcome == Outcome::Aborted {
            AgentStatus::Aborted
        } else {
            AgentStatus::Completed
        };
        let name = ag.name;
        self.prune_running(run, name);
        if self.runs[run].root == Some(a) {
            self.close_run(run);
        }
    }
}

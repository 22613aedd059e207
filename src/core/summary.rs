//! The derived session as data for people and programs: the `summary --format json` document
//! (cli.md, exact keys) and the text rendering. Reads the session; changes nothing.

use super::import::Format;
use super::intern::Interner;
use super::session::{AgentIx, AgentStatus, CallIx, Clock, Run, Session, TurnIx};
use super::usage::pricing::Prices;
use super::usage::report::{json as usage_json, AgentUsageJson, UsageJson};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Serialize)]
pub struct Summary {
    pub orchscope_summary: u32,
    pub source: String,
    /// The input format's `--format-in` name, as detected or named.
    pub format: &'static str,
    pub runs: Vec<RunSummary>,
    pub turns: Vec<TurnSummary>,
    /// Model usage of the whole session (`null`: none reported).
    pub usage: Option<UsageJson>,
}

#[derive(Serialize)]
pub struct RunSummary {
    pub run_id: String,
    pub thread_id: Option<String>,
    pub user_id: Option<String>,
    pub status: &'static str,
    pub duration_ms: Option<i64>,
    pub clock: &'static str,
    pub agents: Vec<AgentSummary>,
    pub tool_calls: Vec<CallSummary>,
    /// Model usage of the run's frames (`null`: none reported).
    pub usage: Option<UsageJson>,
}

#[derive(Serialize)]
pub struct AgentSummary {
    pub id: String,
    pub name: Option<String>,
    pub parent: Option<String>,
    pub parent_source: &'static str,
    pub status: &'static str,
    pub duration_ms: Option<i64>,
    pub reported_duration_ms: Option<i64>,
    /// The agent that handed off to this one, when one did.
    pub handoff_from: Option<String>,
    /// Its own model usage and its subtree's (`null`: none in its subtree).
    pub usage: Option<AgentUsageJson>,
}

#[derive(Serialize)]
pub struct CallSummary {
    pub call_id: Option<String>,
    pub tool: Option<String>,
    pub agent: Option<String>,
    pub agent_source: &'static str,
    pub status: &'static str,
    pub latency_ms: Option<i64>,
    pub reported_duration_ms: Option<i64>,
    pub pairing: &'static str,
}

#[derive(Serialize)]
pub struct TurnSummary {
    pub thread_id: Option<String>,
    pub index: u32,
    pub context_hash: Option<String>,
    pub reported_hash: Option<String>,
    pub prev_context_hash: Option<String>,
    pub history: &'static str,
    pub agents: OrderedMap,
}

/// A JSON object whose keys keep their (log) order.
pub struct OrderedMap(pub Vec<(String, Option<String>)>);

impl Serialize for OrderedMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

fn ms(v: Option<f64>) -> Option<i64> {
    v.filter(|f| f.is_finite()).map(|f| f.round() as i64)
}

/// The run's duration on its clock: root start to root end.
pub fn run_duration(session: &Session, run: &Run) -> Option<f64> {
    let root = &session.agents[run.root?];
    agent_duration(session, root, run.clock())
}

fn agent_duration(_session: &Session, agent: &super::session::Agent, clock: Clock) -> Option<f64> {
    Some(clock.of(agent.ended.as_ref()?)? - clock.of(agent.started.as_ref()?)?)
}

/// The duration of an agent on its run's clock.
pub fn agent_duration_ms(session: &Session, agent: AgentIx) -> Option<f64> {
    let a = &session.agents[agent];
    agent_duration(session, a, session.runs[a.run].clock())
}

/// The status of a run: its root's (running while it has none).
pub fn run_status(session: &Session, run: &Run) -> AgentStatus {
    run.root
        .map_or(AgentStatus::Running, |r| session.agents[r].status)
}

/// Builds the summary document, costs from the built-in pricing table.
pub fn build(session: &Session, interner: &Interner, source: &str, format: Format) -> Summary {
    build_priced(session, interner, source, format, &Prices::built_in())
}

/// Builds the summary document, costs from `prices`.
pub fn build_priced(
    session: &Session,
    interner: &Interner,
    source: &str,
    format: Format,
    prices: &Prices,
) -> Summary {
    let subtree = super::usage::totals::subtree_books(session);
    let b = Builder {
        session,
        interner,
        prices,
        subtree,
    };
    Summary {
        orchscope_summary: 1,
        source: source.to_string(),
        format: format.name(),
        runs: session.runs.iter().map(|run| b.run(run)).collect(),
        turns: (0..session.turns.len())
            .map(|t| b.turn(TurnIx::new(t)))
            .collect(),
        usage: usage_json(Some(&session.usage), prices, interner),
    }
}

/// The session and its names, for the parts of a summary.
struct Builder<'a> {
    session: &'a Session,
    interner: &'a Interner,
    prices: &'a Prices,
    /// Every agent's subtree usage.
    subtree: Vec<super::usage::Book>,
}

impl Builder<'_> {
    fn s(&self, sym: Option<super::intern::Sym>) -> Option<String> {
        sym.map(|x| self.interner.resolve(x).to_string())
    }

    /// An agent's id.
    fn agent_id(&self, a: AgentIx) -> String {
        let session = self.session;
        self.interner.resolve(session.agents[a].id).to_string()
    }

    fn run(&self, run: &Run) -> RunSummary {
        let clock = run.clock();
        RunSummary {
            run_id: self.interner.resolve(run.id).to_string(),
            thread_id: self.s(run.thread),
            user_id: self.s(run.user),
            status: run_status(self.session, run).as_str(),
            duration_ms: ms(run_duration(self.session, run)),
            clock: clock.as_str(),
            agents: run.agents.iter().map(|&a| self.agent(a, clock)).collect(),
            tool_calls: run.calls.iter().map(|&c| self.call(c, clock)).collect(),
            usage: usage_json(run.usage.as_deref(), self.prices, self.interner),
        }
    }

    fn agent(&self, a: AgentIx, clock: Clock) -> AgentSummary {
        let ag = &self.session.agents[a];
        AgentSummary {
            id: self.agent_id(a),
            name: self.s(ag.name),
            parent: ag
                .parent
                .map(|p| self.agent_id(p))
                .or(self.s(ag.dangling_parent)),
            parent_source: ag.parent_source.as_str(),
            status: ag.status.as_str(),
            duration_ms: ms(agent_duration(self.session, ag, clock)),
            reported_duration_ms: ms(ag.reported_duration_ms),
            handoff_from: ag.handoff_from.map(|h| self.agent_id(h)),
            usage: self.agent_usage(a),
        }
    }

    fn agent_usage(&self, a: AgentIx) -> Option<AgentUsageJson> {
        let (p, i) = (self.prices, self.interner);
        let subtree = usage_json(self.subtree.get(a.index()), p, i)?;
        Some(AgentUsageJson {
            own: usage_json(self.session.agents[a].usage.as_deref(), p, i),
            subtree: Some(subtree),
        })
    }

    fn call(&self, c: CallIx, clock: Clock) -> CallSummary {
        let call = &self.session.calls[c];
        CallSummary {
            call_id: self.s(call.call_id),
            tool: self.s(call.tool),
            agent: call.agent.map(|a| self.agent_id(a)),
            agent_source: if call.agent_source == super::session::Source::Inferred {
                "inferred"
            } else {
                "explicit"
            },
            status: call.status.as_str(),
            latency_ms: ms(call.latency_ms(clock)),
            reported_duration_ms: ms(call.reported_duration_ms),
            pairing: call.pairing.as_str(),
        }
    }

    fn turn(&self, t: TurnIx) -> TurnSummary {
        let session = self.session;
        let turn = &session.turns[t];
        let root = session.turn_root(t);
        TurnSummary {
            thread_id: self.s(turn.thread),
            index: turn.index,
            context_hash: session.turn_hash(t).map(|h| h.text()),
            reported_hash: root
                .and_then(|a| session.reported_hash(a))
                .map(|h| h.text()),
            prev_context_hash: session.turn_prev_hash(t).map(|h| h.text()),
            history: session.history(t).as_str(),
            agents: OrderedMap(
                turn.agents
                    .iter()
                    .map(|&a| (self.agent_id(a), session.agent_hash(a).map(|h| h.text())))
                    .collect(),
            ),
        }
    }
}

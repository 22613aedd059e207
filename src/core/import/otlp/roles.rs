//! What each OTLP span is in the session, in every convention in use: the GenAI semantic
//! conventions, OpenInference (`openinference.span.kind`) and OpenLLMetry
//! (`traceloop.span.kind`); and who owns it. Owns the rules below; reads spans, emits nothing.
//!
//! - **Agents**: `invoke_agent` spans that name their agent (`gen_ai.agent.name`, or a name
//!   `invoke_agent X`), OpenInference `AGENT` spans with `agent.name`, OpenLLMetry `agent` spans.
//!   A trace's root span with agents under it is the run's root agent (a workflow: GenAI's
//!   unnamed `invoke_agent` root, OpenInference's root `AGENT`/`CHAIN`, OpenLLMetry's
//!   `workflow`). An agent span directly under an agent of the same name is that agent (a
//!   producer's second span for one agent). LangGraph traced by OpenInference (spans carrying
//!   `metadata.langgraph_node`) takes the LangGraph rule (`graph_agents`), so it draws the same
//!   tree as the LangGraph event stream.
//! - **Tools**: `execute_tool`, OpenInference `TOOL`, OpenLLMetry `tool` spans.
//! - **Hand-offs**: `agent_handoff`/`handoff` operations, OpenLLMetry `handoff` spans,
//!   OpenInference `handoff to X` tool spans and `graph.node.parent_id`; the agent handed to is
//!   the first of that name to start after the hand-off in its trace.
//! - **Owner**: the nearest agent ancestor, by `parentSpanId`; an OpenLLMetry `task` span stands
//!   for the agent of its name beside or under it (its LangGraph agents run in a sibling task).

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use super::super::graph_agents::{self, Run};
use super::super::spans::{nearest, Span};
use super::Item;

/// What a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Agent,
    Tool,
    Chat,
    Handoff,
    Other,
}

/// Every span's role, agent name, owner and hand-off source.
pub(super) struct Roles {
    pub role: Vec<Role>,
    pub name: Vec<String>,
    /// The agent a span belongs to (for an agent: its parent agent).
    pub owner: Vec<Option<usize>>,
    /// The agent that handed off to this agent.
    pub handoff_from: Vec<Option<usize>>,
    /// Each agent's id: `gen_ai.agent.id` when no other agent of its trace shares it (some
    /// instrumentations put one constant there), else the span id.
    pub agent_id: Vec<String>,
}

fn attr<'a>(it: &'a Item, key: &str) -> Option<&'a str> {
    it.attrs.get_str(key).filter(|v| !v.is_empty())
}

fn agent_name(it: &Item) -> Option<String> {
    attr(it, "gen_ai.agent.name")
        .or(attr(it, "agent.name"))
        .or(attr(it, "traceloop.entity.name"))
        .map(str::to_string)
        .or_else(|| {
            it.name
                .strip_prefix("invoke_agent ")
                .map(|n| n.trim().to_string())
        })
}

/// The role a span has on its own, before the trace-wide rules.
fn own_role(it: &Item) -> Role {
    let oi = attr(it, "openinference.span.kind").unwrap_or("");
    let tl = attr(it, "traceloop.span.kind").unwrap_or("");
    let op: &str = &it.op;
    if matches!(op, "agent_handoff" | "handoff")
        || tl == "handoff"
        || (oi == "TOOL" && it.name.starts_with("handoff to "))
    {
        return Role::Handoff;
    }
    let named_agent =
        attr(it, "gen_ai.agent.name").is_some() || it.name.starts_with("invoke_agent ");
    if (op == "invoke_agent" && named_agent)
        || (oi == "AGENT" && attr(it, "agent.name").is_some())
        || tl == "agent"
    {
        return Role::Agent;
    }
    if op == "execute_tool" || oi == "TOOL" || tl == "tool" {
        return Role::Tool;
    }
    if matches!(op, "chat" | "text_completion" | "generate_content") || oi == "LLM" {
        return Role::Chat;
    }
    Role::Other
}

/// The LangGraph metadata OpenInference puts on a span, when it does.
fn langgraph_node(it: &Item) -> Option<String> {
    let md = attr(it, "metadata")?;
    if !md.contains("langgraph_node") {
        return None;
    }
    let v: Value = serde_json::from_str(md).ok()?;
    v.get("langgraph_node")?.as_str().map(str::to_string)
}

pub(super) fn assign(items: &[Item], spans: &[Span], parent: &[Option<usize>]) -> Roles {
    let n = items.len();
    let mut role: Vec<Role> = items.iter().map(own_role).collect();
    let mut name: Vec<String> = items
        .iter()
        .map(|it| agent_name(it).unwrap_or_else(|| it.name.to_string()))
        .collect();
    langgraph_traces(items, parent, &mut role, &mut name);
    // An agent span directly under an agent of the same name is that agent.
    let mut alias: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        if let Some(p) = parent[i] {
            if role[i] == Role::Agent && role[p] == Role::Agent && name[i] == name[p] {
                alias[i] = Some(p);
                role[i] = Role::Other;
            }
        }
    }
    // A trace's root with agents under it is the run's root agent.
    let root_of = nearest(parent, |p| parent[p].is_none().then_some(p));
    let mut below = vec![false; n];
    for i in (0..n).filter(|&i| role[i] == Role::Agent) {
        if let Some(r) = root_of[i] {
            below[r] = true;
        }
    }
    for i in 0..n {
        if parent[i].is_none() && below[i] && role[i] != Role::Agent {
            role[i] = Role::Agent;
            name[i] = attr(&items[i], "gen_ai.agent.name")
                .or(attr(&items[i], "agent.name"))
                .or(attr(&items[i], "gen_ai.workflow.name"))
                .or(attr(&items[i], "traceloop.workflow.name"))
                .map(str::to_string)
                .unwrap_or_else(|| items[i].name.to_string());
        }
    }
    // OpenLLMetry: a task span stands for the agent of its name beside or under it.
    let mut by_parent_name: HashMap<(Option<usize>, &str), usize> = HashMap::default();
    for i in 0..n {
        if role[i] == Role::Agent {
            by_parent_name
                .entry((parent[i], name[i].as_str()))
                .or_insert(i);
        }
    }
    let stands_for = |p: usize| -> Option<usize> {
        match role[p] {
            Role::Agent => Some(p),
            _ if attr(&items[p], "traceloop.span.kind") == Some("task") => {
                let task = attr(&items[p], "traceloop.entity.name").unwrap_or(&items[p].name);
                by_parent_name
                    .get(&(Some(p), task))
                    .or_else(|| by_parent_name.get(&(parent[p], task)))
                    .copied()
            }
            _ => alias[p],
        }
    };
    let mut owner = nearest(parent, stands_for);
    // A task standing for the agent under it is not that agent's parent: look above the task.
    for i in 0..n {
        if owner[i] == Some(i) {
            owner[i] = parent[i].and_then(|p| owner[p]);
        }
    }
    let handoff_from = handoffs(items, spans, &role, &name, &owner);
    let agent_id = agent_ids(items, spans, &role);
    Roles {
        role,
        name,
        owner,
        handoff_from,
        agent_id,
    }
}

fn agent_ids(items: &[Item], spans: &[Span], role: &[Role]) -> Vec<String> {
    let mut uses: HashMap<(&str, &str), usize> = HashMap::default();
    for i in (0..items.len()).filter(|&i| role[i] == Role::Agent) {
        if let Some(id) = attr(&items[i], "gen_ai.agent.id") {
            *uses.entry((items[i].trace.as_str(), id)).or_default() += 1;
        }
    }
    (0..items.len())
        .map(|i| match attr(&items[i], "gen_ai.agent.id") {
            Some(id) if uses.get(&(items[i].trace.as_str(), id)) == Some(&1) => id.to_string(),
            _ => spans[i].id.clone(),
        })
        .collect()
}

/// LangGraph traced by OpenInference: its agents by the LangGraph rule.
fn langgraph_traces(
    items: &[Item],
    parent: &[Option<usize>],
    role: &mut [Role],
    name: &mut [String],
) {
    let nodes: Vec<Option<String>> = items.iter().map(langgraph_node).collect();
    if nodes.iter().all(Option::is_none) {
        return;
    }
    let ids: Vec<String> = (0..items.len()).map(|i| i.to_string()).collect();
    let runs: Vec<Run> = (0..items.len())
        .map(|i| {
            let own = nodes[i].as_deref() == Some(&*items[i].name);
            // A graph running in a node repeats the node's name and metadata: not a node.
            let repeat =
                parent[i].is_some_and(|p| items[p].name == items[i].name && nodes[p] == nodes[i]);
            Run {
                id: &ids[i],
                name: &items[i].name,
                parent: parent[i].map(|p| ids[p].as_str()),
                node: own && !repeat,
                model: attr(&items[i], "openinference.span.kind") == Some("LLM"),
            }
        })
        .collect();
    let agents = graph_agents::agents(&runs);
    for i in 0..items.len() {
        let traced_graph = nodes[i].is_some() || parent[i].is_none();
        if !traced_graph {
            continue;
        }
        if agents.contains(&ids[i]) {
            role[i] = Role::Agent;
            name[i] = items[i].name.to_string();
        } else if role[i] == Role::Agent {
            role[i] = Role::Other; // a ReAct step (`agent`), not an agent of its own
        }
    }
}

/// For each agent handed to, the agent that handed off.
fn handoffs(
    items: &[Item],
    spans: &[Span],
    role: &[Role],
    name: &[String],
    owner: &[Option<usize>],
) -> Vec<Option<usize>> {
    let n = items.len();
    let mut from_of: Vec<Option<usize>> = vec![None; n];
    // Agents of each trace by start, to find "the first of that name after".
    let mut agents_by_trace: HashMap<&str, Vec<usize>> = HashMap::default();
    for i in (0..n).filter(|&i| role[i] == Role::Agent) {
        agents_by_trace
            .entry(items[i].trace.as_str())
            .or_default()
            .push(i);
    }
    for list in agents_by_trace.values_mut() {
        list.sort_by(|&a, &b| spans[a].start.total_cmp(&spans[b].start));
    }
    let latest_before = |trace: &str, who: &str, t: f64| -> Option<usize> {
        agents_by_trace
            .get(trace)?
            .iter()
            .rev()
            .find(|&&a| name[a] == who && spans[a].start <= t)
            .copied()
    };
    for h in (0..n).filter(|&h| role[h] == Role::Handoff) {
        let it = &items[h];
        let key_ending = |suffix: &str| {
            it.attrs
                .iter()
                .find_map(|(k, v)| v.as_str().filter(|_| k.ends_with(suffix)))
        };
        let from_name = key_ending("from_agent").or(attr(it, "input.value"));
        let to_name = key_ending("to_agent")
            .or(attr(it, "output.value"))
            .or_else(|| it.name.strip_prefix("handoff to "));
        let start = spans[h].start;
        let from = from_name
            .and_then(|f| latest_before(&it.trace, f, start))
            .or(owner[h]);
        let Some(from) = from else { continue };
        let target = agents_by_trace.get(it.trace.as_str()).and_then(|list| {
            list.iter()
                .find(|&&a| {
                    a != from
                        && spans[a].start >= start
                        && from_of[a].is_none()
                        && to_name.is_none_or(|t| name[a] == t)
                })
                .copied()
        });
        if let Some(t) = target {
            from_of[t] = Some(from);
        }
    }
    // OpenInference names the agent that handed off on the agent handed to.
    for a in (0..n).filter(|&a| role[a] == Role::Agent) {
        if from_of[a].is_some() {
            continue;
        }
        if let Some(f) = attr(&items[a], "graph.node.parent_id") {
            from_of[a] = latest_before(&items[a].trace, f, spans[a].start).filter(|&p| p != a);
        }
    }
    from_of
}

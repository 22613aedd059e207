//! Which runs of a LangGraph invocation are agents: one rule for the LangGraph event stream and
//! for LangGraph traced through OpenTelemetry (OpenInference), so both draw the same tree.
//!
//! (1) A root run (no parent) is an agent: a graph, a prebuilt agent, a plain chain. (2) Every
//! compiled graph running inside it is an agent; a run is a graph when some graph step (a node
//! run) has it as its direct parent. (3) In a graph that is not a ReAct loop, a node that calls a
//! chat model itself (no graph in between) is an agent. A ReAct loop's own model step (`agent`
//! or `model` beside a `tools` node, or an `agent` node running `call_model`) is that agent's
//! thinking, not another agent.

use std::collections::{HashMap, HashSet};

/// One run, as the rule needs it.
pub(crate) struct Run<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub parent: Option<&'a str>,
    /// A graph step (a node run).
    pub node: bool,
    /// A chat model call.
    pub model: bool,
}

/// The ids of the runs that are agents.
pub(crate) fn agents(runs: &[Run]) -> HashSet<String> {
    let by_id: HashMap<&str, &Run> = runs.iter().map(|r| (r.id, r)).collect();
    let mut graphs: HashSet<&str> = HashSet::new();
    for r in runs {
        match (r.parent, r.node) {
            (None, _) => {
                graphs.insert(r.id);
            }
            (Some(p), true) => {
                graphs.insert(p);
            }
            _ => {}
        }
    }
    // ReAct loops: graphs (by name) with a `tools` node, and `agent` nodes running `call_model`.
    let mut react: HashSet<&str> = HashSet::new();
    let mut model_steps: HashSet<&str> = HashSet::new();
    for r in runs {
        let Some(p) = r.parent else { continue };
        if r.node && r.name == "tools" {
            if let Some(g) = by_id.get(p) {
                react.insert(g.name);
            }
        }
        if matches!(r.name, "call_model" | "acall_model") {
            model_steps.insert(p);
        }
    }
    let mut agents: HashSet<String> = graphs.iter().map(|g| g.to_string()).collect();
    // Each run's nearest enclosing node or graph, found once per run (paths are compressed,
    // so deep chains cost linear time).
    let mut stop: HashMap<&str, Option<&str>> = HashMap::new();
    for r in runs.iter().filter(|r| r.model) {
        let mut path = Vec::new();
        let mut cur = r.parent;
        let found = loop {
            let Some(p) = cur else { break None };
            if let Some(&known) = stop.get(p) {
                break known;
            }
            let Some(info) = by_id.get(p) else { break None };
            if graphs.contains(p) || info.node {
                break Some(p);
            }
            if path.len() > runs.len() {
                break None; // a cycle
            }
            path.push(p);
            cur = info.parent;
        };
        for p in path {
            stop.insert(p, found);
        }
        // The node the model runs in, unless a graph lies in between.
        let Some(node) = found.filter(|n| !graphs.contains(n)) else {
            continue;
        };
        let info = by_id[node];
        let graph = info.parent.and_then(|g| by_id.get(g));
        let in_react = graph.is_some_and(|g| react.contains(g.name));
        let model_step =
            matches!(info.name, "agent" | "model") && (in_react || model_steps.contains(node));
        if !model_step {
            agents.insert(node.to_string());
        }
    }
    agents
}

//! LangGraph `astream_events` read as it is written. Which runs are agents is decided from a
//! whole invocation's start events (`graph_agents`), and an agent's first model input, a tool's
//! call id, a `tools` node's calls are learnt from lines that come after the ones that use them:
//! so events are held until the invocation they belong to ends (its root run's
//! `on_chain_end`/`on_chain_error`), then read as a whole file reads them. Live, an invocation
//! shows once it has finished; what is held is counted as pending. A whole file is one
//! segment; an input cut off mid-invocation is read, held part included, when it closes.

use std::collections::HashMap;

use serde_json::Value;

use super::super::{Imported, Out};
use super::{agent_runs, err_text, event, parent_ids, run_id, State};

/// A LangGraph event stream being read.
pub(in crate::core::import) struct Stream {
    st: State,
    /// Events of the invocation in progress.
    held: Vec<(usize, Value)>,
    last: usize,
    /// A tool error that was the last event so far (it ended the run if nothing follows).
    last_error: Option<(usize, String)>,
}

impl Stream {
    pub(in crate::core::import) fn new(out: Out) -> Stream {
        Stream {
            st: State {
                out,
                is_agent: Default::default(),
                agents: HashMap::new(),
                agent_order: Vec::new(),
                tools: HashMap::new(),
                tool_order: Vec::new(),
                turn: 0,
                first_input: HashMap::new(),
                call_ids: HashMap::new(),
                tool_nodes: HashMap::new(),
                handoffs: HashMap::new(),
            },
            held: Vec::new(),
            last: 0,
            last_error: None,
        }
    }

    pub(in crate::core::import) fn out(&mut self) -> &mut Out {
        &mut self.st.out
    }

    /// Events held, not yet read (their invocation has not ended).
    pub(in crate::core::import) fn pending(&self) -> usize {
        self.held.len()
    }

    /// One event: held, and read with its invocation once that ends.
    pub(in crate::core::import) fn push(&mut self, line: usize, rec: Value) {
        let ends = matches!(event(&rec), "on_chain_end" | "on_chain_error")
            && parent_ids(&rec).next().is_none();
        self.held.push((line, rec));
        if ends {
            let records = std::mem::take(&mut self.held);
            self.segment(records);
        }
    }

    /// Reads the events of whole invocations.
    pub(in crate::core::import) fn segment(&mut self, records: Vec<(usize, Value)>) {
        let st = &mut self.st;
        st.is_agent.extend(agent_runs(&records));
        st.learn(&records);
        for (line, rec) in &records {
            super::super::unknowns::langgraph(&mut st.out, *line, rec);
            self.last = *line;
            self.last_error = None;
            let owner = st.nearest(rec);
            let id = run_id(rec).to_string();
            match event(rec) {
                "on_chain_start" if st.is_agent.contains(&id) => st.agent_start(*line, rec, owner),
                "on_chain_end" | "on_chain_error" if st.agents.get(&id).is_some_and(|a| a.open) => {
                    st.goto(rec, &id);
                    st.agent_end(*line, rec, &id)
                }
                "on_chain_end" => st.hand_back(rec, owner),
                "on_chat_model_end" => st.thinking(*line, rec, owner),
                "on_tool_start" => st.tool_start(*line, rec, owner, id),
                "on_tool_end" | "on_tool_error" => {
                    if event(rec) == "on_tool_error" {
                        let text = rec
                            .pointer("/data/error")
                            .map_or("tool error".into(), err_text);
                        self.last_error = Some((*line, text));
                    }
                    st.tool_end(*line, rec, owner, id);
                }
                _ => {}
            }
        }
    }

    /// The end of the input: what is held is read, and whatever is open is closed.
    pub(in crate::core::import) fn close(mut self, cut: bool) -> Imported {
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.segment(held);
        }
        let st = &mut self.st;
        match self.last_error.filter(|_| !cut) {
            // The error ended the stream: it propagated out of the graph.
            Some((line, error)) => st.close_all(line, "error", &format!("the run failed: {error}")),
            None => {
                let why = if cut {
                    "the input ended with a cut-off line"
                } else {
                    "the input ended"
                };
                st.close_all(self.last, "aborted", why);
            }
        }
        self.st.out.finish()
    }
}

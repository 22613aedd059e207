//! Hand-offs in a LangGraph stream: `transfer_to_*` tools, `Command(goto=…)` from an agent
//! node, and a supervisor member's hand-back, each announced by the agent handing off and taken
//! by the next start of the agent it names in the run.

use serde_json::Value;

use super::super::s;
use super::State;

impl State {
    /// `from` handed off to the agent named `to`: the next start of that name in its run.
    pub(super) fn announce(&mut self, from: &str, to: &str) {
        if let Some(root) = self.agents.get(from).map(|a| a.root.clone()) {
            self.handoffs
                .insert((root, to.to_string()), from.to_string());
        }
    }

    /// An agent node that ends with `Command(goto=…)` hands off to that node.
    pub(super) fn goto(&mut self, rec: &Value, id: &str) {
        let text = match rec.pointer("/data/output") {
            Some(Value::String(t)) => t.as_str(),
            _ => return,
        };
        let key = "goto='";
        if let Some(start) = text.rfind(key).map(|i| i + key.len()) {
            if let Some(end) = text[start..].find('\'') {
                let to = text[start..start + end].to_string();
                self.announce(id, &to);
            }
        }
    }

    /// A supervisor member's hand-back (`transfer_back_to_*`, marked `__is_handoff_back`)
    /// has no tool events: it shows in the messages its wrapper returns.
    pub(super) fn hand_back(&mut self, rec: &Value, owner: Option<String>) {
        let Some(msgs) = rec
            .pointer("/data/output/messages")
            .and_then(Value::as_array)
        else {
            return;
        };
        let back = |m: &&Value| {
            m.pointer("/response_metadata/__is_handoff_back") == Some(&Value::Bool(true))
        };
        let Some(to) = msgs
            .iter()
            .filter(back)
            .find_map(|m| s(m, &["name"])?.strip_prefix("transfer_back_to_"))
        else {
            return;
        };
        let Some(member) = msgs
            .iter()
            .filter(back)
            .find(|m| s(m, &["type"]) == Some("ai"))
            .and_then(|m| s(m, &["name"]))
        else {
            return;
        };
        // The member's latest instance in this run.
        let root = owner.and_then(|o| self.agents.get(&o).map(|a| a.root.clone()));
        let from = self
            .agent_order
            .iter()
            .rev()
            .find(|a| {
                self.agents[*a].name == member && Some(&self.agents[*a].root) == root.as_ref()
            })
            .cloned();
        if let Some(from) = from {
            self.announce(&from, to);
        }
    }
}

//! What an input format can carry. Validators skip, with a reason, the checks that need
//! something the format cannot express (importers.md), instead of a false pass or fail.

/// The kinds of information a format can express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carries {
    /// `agent_thinking` events.
    pub thinking: bool,
    /// Tool-call ids.
    pub tool_call_ids: bool,
    /// Producer `seq` numbers.
    pub seq: bool,
    /// Explicit sub-agent links.
    pub subagent_links: bool,
    /// Agent contexts (for hashes).
    pub contexts: bool,
    /// `user_id`s.
    pub user_ids: bool,
    /// Parent links are delegations (the parent waits for its children). Hand-offs (OpenAI
    /// Agents) are links too, but the agent handed to may outlive the one that handed off.
    pub parent_waits: bool,
}

impl Carries {
    /// Native and Netra frames: everything.
    pub const ALL: Carries = Carries {
        thinking: true,
        tool_call_ids: true,
        seq: true,
        subagent_links: true,
        contexts: true,
        user_ids: true,
        parent_waits: true,
    };
}

impl Default for Carries {
    fn default() -> Self {
        Carries::ALL
    }
}

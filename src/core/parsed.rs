//! A frame parsed but not yet interned: every field of an [`Event`], with its strings still as
//! text (`S`: borrowed from the frame, or spans into a buffer). Parsing needs no shared state, so
//! it can run on another thread than interning and derivation; `intern` finishes the event.

use super::event::{ContextInfo, Event, Kind, Outcome, Reported};
use super::intern::Intern;
use std::sync::Arc;

/// The fields of one frame, strings not yet interned.
#[derive(Debug, Clone)]
pub struct Parsed<S> {
    pub kind: Kind,
    pub type_name: S,
    pub ts_ms: Option<f64>,
    /// `run_id`, else `parent_run_id`.
    pub run_id: Option<S>,
    pub thread_id: Option<S>,
    pub user_id: Option<S>,
    pub agent_name: Option<S>,
    pub agent_id: Option<S>,
    pub parent_agent_id: Option<S>,
    pub tool_name: Option<S>,
    pub tool_call_id: Option<S>,
    pub subagent_name: Option<S>,
    pub subagent_id: Option<S>,
    pub parent_agent_name: Option<S>,
    /// The agent (id) that handed off to this one.
    pub handoff_from: Option<S>,
    pub turn: Option<u32>,
    pub seq: Option<u64>,
    pub outcome: Outcome,
    pub duration_ms: Option<f64>,
    pub final_answer: bool,
    pub context: Option<Arc<ContextInfo>>,
    pub context_hash: Option<Reported>,
    pub prev_context_hash: Option<Reported>,
    /// A tool call's arguments, as [`crate::core::hash::short_text`] of them.
    pub args: Option<u64>,
    /// The tokens of `payload.usage`, and the model it (or the payload) names.
    pub usage: Option<super::usage::Tokens>,
    pub usage_model: Option<S>,
}

impl<S> Parsed<S> {
    /// The same fields with every string turned by `f`.
    pub fn map<T>(self, mut f: impl FnMut(S) -> T) -> Parsed<T> {
        let mut o = |v: Option<S>| v.map(&mut f);
        Parsed {
            run_id: o(self.run_id),
            thread_id: o(self.thread_id),
            user_id: o(self.user_id),
            agent_name: o(self.agent_name),
            agent_id: o(self.agent_id),
            parent_agent_id: o(self.parent_agent_id),
            tool_name: o(self.tool_name),
            tool_call_id: o(self.tool_call_id),
            subagent_name: o(self.subagent_name),
            subagent_id: o(self.subagent_id),
            parent_agent_name: o(self.parent_agent_name),
            handoff_from: o(self.handoff_from),
            usage_model: o(self.usage_model),
            type_name: f(self.type_name),
            kind: self.kind,
            ts_ms: self.ts_ms,
            turn: self.turn,
            seq: self.seq,
            outcome: self.outcome,
            duration_ms: self.duration_ms,
            final_answer: self.final_answer,
            context: self.context,
            context_hash: self.context_hash,
            prev_context_hash: self.prev_context_hash,
            args: self.args,
            usage: self.usage,
        }
    }

    /// The event, its strings interned; `source` gives each string's text.
    pub fn intern(self, interner: &mut impl Intern, source: &impl TextOf<S>) -> Event {
        let mut one = |s: &S| match source.hash(s) {
            Some(h) => interner.intern_hashed(source.text(s), h),
            None => interner.intern(source.text(s)),
        };
        let type_name = one(&self.type_name);
        let mut sym = |v: &Option<S>| v.as_ref().map(&mut one);
        let mut ev = Event::new(self.kind, type_name);
        ev.run_id = sym(&self.run_id);
        ev.thread_id = sym(&self.thread_id);
        ev.user_id = sym(&self.user_id);
        ev.agent_name = sym(&self.agent_name);
        ev.agent_id = sym(&self.agent_id);
        ev.parent_agent_id = sym(&self.parent_agent_id);
        ev.tool_name = sym(&self.tool_name);
        ev.tool_call_id = sym(&self.tool_call_id);
        ev.subagent_name = sym(&self.subagent_name);
        ev.subagent_id = sym(&self.subagent_id);
        ev.parent_agent_name = sym(&self.parent_agent_name);
        ev.handoff_from = sym(&self.handoff_from);
        ev.ts_ms = self.ts_ms;
        ev.turn = self.turn;
        ev.seq = self.seq;
        ev.outcome = self.outcome;
        ev.duration_ms = self.duration_ms;
        ev.final_answer = self.final_answer;
        ev.context = self.context;
        ev.context_hash = self.context_hash;
        ev.prev_context_hash = self.prev_context_hash;
        ev.args = self.args;
        if let Some(tokens) = self.usage {
            let model = self.usage_model.as_ref().map(&mut one);
            ev.usage = Some(Box::new(super::usage::Usage { model, tokens }));
        }
        ev
    }
}

/// Where the text of a parsed string is.
pub trait TextOf<S> {
    fn text<'a>(&'a self, s: &'a S) -> &'a str;

    /// The string's interner hash, when it was computed ahead.
    fn hash(&self, _s: &S) -> Option<u64> {
        None
    }
}

/// Strings that are their own text.
pub struct Inline;

impl TextOf<std::borrow::Cow<'_, str>> for Inline {
    fn text<'a>(&'a self, s: &'a std::borrow::Cow<'_, str>) -> &'a str {
        s
    }
}

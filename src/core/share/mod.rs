//! What sharing a session needs that is not about layout: the redaction of secrets and
//! personal data from text that leaves the machine (`orchscope report`). Pure.

pub mod redact;

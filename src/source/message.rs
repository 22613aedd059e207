//! What the live source reports: [`SourceMsg`], each frame and link change in the order it
//! happened. Below everything else of the source (the recorder, the byte budget and the client
//! all read it), it imports only the core's vocabulary.

use super::Dir;
use crate::core::link::LinkState;

/// Everything the source reports, in the order it happened. `t` is seconds since [`run`](super::websocket::run)
/// started, on the monotonic clock.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceMsg {
    /// A text frame received (`In`) or sent by us (`Out`), verbatim.
    Frame { t: f64, dir: Dir, text: String },
    /// A binary frame; or, with `invalid_utf8` (where its bytes stop being UTF-8), a text frame
    /// whose bytes are not UTF-8, kept as they came.
    Binary {
        t: f64,
        dir: Dir,
        bytes: Vec<u8>,
        invalid_utf8: Option<u64>,
    },
    /// A change of the link; `reason` says why (redacted), `size` is set for `Oversize`.
    Link {
        t: f64,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    },
    /// The round-trip time of one of our WebSocket pings.
    Rtt { t: f64, ms: f64 },
    /// What a live receiver (OTLP) or a followed input reports besides frames.
    Receiver { t: f64, report: Report },
}

/// What a live source reports besides frames and link changes: a receiver's hold, drops and
/// late spans, an input's problems, a followed recording's markers.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// What it holds, waiting for traces to complete.
    Held(Holding),
    /// Spans it refused (recorded, and a `stream-health` finding).
    Dropped { spans: u64, reason: String },
    /// Spans that came after their trace was shown (a `stream-health` finding).
    Late { spans: u64 },
    /// What reading a trace reported (a span never ended, say), or a followed file's problem.
    Problem(String),
    /// A marker in a followed recording.
    Mark(String),
    /// Events a foreign input's importer holds until what they belong to ends (a LangGraph
    /// invocation); 0 once none is.
    Pending(usize),
}

pub use crate::core::import::{Holding, OpenTrace};

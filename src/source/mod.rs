//! Live sources: the WebSocket client that connects to an orchestration server, keeps the link
//! alive (pings, reconnection with back-off) and hands every frame, in and out, to the rest of
//! the program as [`websocket::SourceMsg`]s, plus the authentication and back-off it uses and
//! the displayable form of its URL.

pub mod auth;
pub mod backoff;
pub mod budget;
pub mod capture;
mod client;
pub mod follow;
pub mod foreign_socket;
pub mod imported;
pub mod message;
pub mod otlp;
pub mod pacing;
pub mod recorder;
mod relabel;
pub mod sink;
pub mod spec;
pub(crate) mod tls;
pub mod url;
pub mod websocket;
pub mod wire;

pub use crate::core::link::Dir;

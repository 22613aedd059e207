//! The vocabulary between the live WebSocket source and everything else: what it reports
//! ([`SourceMsg`], from `message`), what it is told ([`Command`]), how it is configured
//! ([`ClientConfig`]), the `user_message` frame, and the small judgements on the wire the
//! client engine makes (reasons, JSON pings, scaled back-off). Imports no other part of the
//! source but its helpers (auth, budget, recorder, back-off, URLs).

use std::borrow::Cow;
use std::time::Duration;

use serde::Deserialize;
use tokio_tungstenite::tungstenite::error::{Error as WsError, ProtocolError};

use super::auth::Auth;
use super::backoff;
use super::budget::Budget;
pub use super::message::SourceMsg;
use super::recorder::Recorder;

/// Default `--max-frame-size`: 16 MiB.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 16 << 20;
/// Default interval between our WebSocket pings.
pub const DEFAULT_PING_INTERVAL: Duration = Duration::from_secs(15);

/// What the rest of the program can ask of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Send a raw JSON text frame (kept and sent after reconnecting when offline).
    Send(String),
    /// Close the connection normally and stop.
    Shutdown,
}

/// How to reach the server and how to behave on the way.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub url: String,
    pub auth: Auth,
    /// The largest frame (and message) accepted; larger ones drop the connection.
    pub max_frame_size: usize,
    /// Reconnect after a drop (forever, until `Shutdown`); otherwise give up.
    pub reconnect: bool,
    /// How often to send a WebSocket ping to measure round-trip time.
    pub ping_interval: Duration,
    /// Multiplies every back-off delay (1.0 in use; tests shrink it).
    pub backoff_scale: f64,
    /// Where every frame and link change is written the moment it is read (none: not recorded).
    pub recorder: Option<Recorder>,
    /// The bytes of frames that may wait undigested in the channel (none: counted in messages
    /// only); the receiver gives each message's bytes back as it takes it.
    pub budget: Option<Budget>,
}

impl ClientConfig {
    /// The URL as it may be shown, recorded or logged (credentials masked).
    pub fn shown_url(&self) -> String {
        super::url::shown_url(&self.url)
    }

    /// `text` with the URL shown masked and every secret of the URL and the auth (token,
    /// header values) scrubbed.
    pub fn redact(&self, text: &str) -> String {
        self.auth.redact(&super::url::scrub(text, &self.url))
    }

    /// The defaults for `url`: no auth, 16 MiB frames, reconnecting, 15 s pings.
    pub fn new(url: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            auth: Auth::default(),
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            reconnect: true,
            ping_interval: DEFAULT_PING_INTERVAL,
            backoff_scale: 1.0,
            recorder: None,
            budget: None,
        }
    }
}

/// The `user_message` frame (protocol §4); `thread_id` is left out when `None`.
pub fn user_message(content: &str, thread_id: Option<&str>) -> String {
    let content = serde_json::Value::from(content);
    match thread_id {
        Some(id) => format!(
            r#"{{"type":"user_message","payload":{{"content":{content},"thread_id":{}}}}}"#,
            serde_json::Value::from(id)
        ),
        None => format!(r#"{{"type":"user_message","payload":{{"content":{content}}}}}"#),
    }
}

/// Scales a back-off delay; a scale that is negative or not finite counts as 1.
pub(super) fn scaled(delay: Duration, scale: f64) -> Duration {
    let scale = if scale.is_finite() && scale >= 0.0 {
        scale
    } else {
        1.0
    };
    Duration::from_secs_f64((delay.as_secs_f64() * scale).min(backoff::CAP.as_secs_f64() * 100.0))
}

/// A one-line reason for a connection error (the caller redacts it).
pub(super) fn describe(error: &WsError) -> String {
    match error {
        WsError::ConnectionClosed | WsError::AlreadyClosed => "connection closed".to_owned(),
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
            "connection reset without a closing handshake".to_owned()
        }
        WsError::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".to_owned()
        }
        WsError::Io(e) => match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            Some(tls) => format!("TLS handshake failed: {tls}"),
            None => e.to_string(),
        },
        WsError::Tls(e) => format!("TLS: {e}"),
        WsError::Http(response) => format!("server answered HTTP {}", response.status()),
        other => other.to_string(),
    }
}

/// Whether a text frame is a JSON `{"type": "ping"}` (cheap test first, parse only if needed).
pub(super) fn is_json_ping(text: &str) -> bool {
    #[derive(Deserialize)]
    struct TypeOnly<'a> {
        #[serde(borrow, rename = "type")]
        kind: Option<Cow<'a, str>>,
    }
    text.trim_start().starts_with('{')
        && text.contains("ping")
        && serde_json::from_str::<TypeOnly<'_>>(text)
            .ok()
            .and_then(|v| v.kind)
            .is_some_and(|k| k == "ping")
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_message_shapes() {
        assert_eq!(
            user_message("hi \"there\"", None),
            r#"{"type":"user_message","payload":{"content":"hi \"there\""}}"#
        );
        assert_eq!(
            user_message("again", Some("thread-7")),
            r#"{"type":"user_message","payload":{"content":"again","thread_id":"thread-7"}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&user_message("a\nb\u{1b}", None)).unwrap();
        assert_eq!(v["payload"]["content"], "a\nb\u{1b}");
    }

    #[test]
    fn json_ping_detection() {
        assert!(is_json_ping(r#"{"type":"ping"}"#));
        assert!(is_json_ping(
            r#"{"timestamp": 3, "type": "ping", "payload": {}}"#
        ));
        assert!(!is_json_ping(r#"{"type":"pong"}"#));
        assert!(!is_json_ping(
            r#"{"type":"agent_started","payload":{"note":"ping"}}"#
        ));
        assert!(!is_json_ping("ping"));
        assert!(!is_json_ping(r#"["ping"]"#));
        assert!(!is_json_ping(r#"{"type":7,"x":"ping"}"#));
    }

    #[test]
    fn scaling_guards_odd_values() {
        let d = Duration::from_millis(500);
        assert_eq!(scaled(d, 1.0), d);
        assert_eq!(scaled(d, 0.01), Duration::from_millis(5));
        assert_eq!(scaled(d, f64::NAN), d);
        assert_eq!(scaled(d, -2.0), d);
        assert_eq!(scaled(d, 0.0), Duration::ZERO);
        assert!(scaled(Duration::from_secs(30), 1e300) <= Duration::from_secs(3000));
    }
}

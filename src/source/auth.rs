//! Authentication for the live source: the bearer token (as an `Authorization` header or as
//! the `jwt-auth, jwt.<base64url>` subprotocol pair browser clients use), extra `Name: value`
//! headers and a URL's `user:password@` (as Basic credentials), turned into the WebSocket
//! client request. This module also owns
//! keeping secrets out of sight: `Auth`'s `Debug` redacts, and [`Auth::redact`] scrubs the
//! token, its base64url form and every header value from any text before it is shown (what a
//! URL itself carries is `url.rs`'s, joined in `ClientConfig::redact`).

use std::fmt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};

/// What replaces a secret wherever it would otherwise be shown.
pub const MASK: &str = "••••";

/// Header values shorter than this are not scrubbed from text by [`Auth::redact`]: a value
/// like `1` or `on` is no secret, and masking every `1` would garble messages.
pub const MIN_REDACTED_LEN: usize = 4;

/// Credentials and extra headers for the WebSocket handshake.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Auth {
    /// The bearer token (`--token` or `ORCHSCOPE_TOKEN`).
    pub token: Option<String>,
    /// Send the token as the `jwt-auth, jwt.<base64url(T)>` subprotocols instead of a header.
    pub subprotocol_token: bool,
    /// Extra headers (`--header 'Name: value'`), already split; see [`parse_header`].
    pub headers: Vec<(String, String)>,
}

/// A request that could not be built. Messages never contain the token or a header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// A `--header` argument that is not `Name: value`.
    MalformedHeader { index: usize, problem: &'static str },
    /// A header name that HTTP does not allow.
    BadHeaderName { name: String },
    /// A header value (or the token) holding characters HTTP does not allow.
    BadHeaderValue { name: String },
    /// `--subprotocol-token` without a token.
    SubprotocolWithoutToken,
    /// The URL is not a usable `ws://` or `wss://` URL.
    BadUrl { reason: String },
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::MalformedHeader { index, problem } => write!(
                f,
                "header #{index} is malformed ({problem}): write it as --header 'Name: value'"
            ),
            AuthError::BadHeaderName { name } => {
                write!(f, "header name {name:?} is not a valid HTTP header name")
            }
            AuthError::BadHeaderValue { name } => write!(
                f,
                "the value of header {name:?} holds characters HTTP headers cannot carry"
            ),
            AuthError::SubprotocolWithoutToken => {
                write!(
                    f,
                    "--subprotocol-token needs a token (--token or ORCHSCOPE_TOKEN)"
                )
            }
            AuthError::BadUrl { reason } => write!(f, "bad WebSocket URL: {reason}"),
        }
    }
}

impl std::error::Error for AuthError {}

/// Splits a `--header` argument `Name: value` (`index` numbers it, from 1, for the error).
/// The name is trimmed and must be non-empty; the value is trimmed and may be empty.
pub fn parse_header(index: usize, arg: &str) -> Result<(String, String), AuthError> {
    let Some((name, value)) = arg.split_once(':') else {
        return Err(AuthError::MalformedHeader {
            index,
            problem: "no ':' between name and value",
        });
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(AuthError::MalformedHeader {
            index,
            problem: "empty name before ':'",
        });
    }
    if HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(AuthError::BadHeaderName {
            name: name.to_owned(),
        });
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

impl Auth {
    /// The client handshake request for `url` with these credentials and headers.
    pub fn request(&self, url: &str) -> Result<Request, AuthError> {
        let mut request = url.into_client_request().map_err(|e| AuthError::BadUrl {
            reason: self.redact(&e.to_string()),
        })?;
        match request.uri().scheme_str() {
            Some("ws") | Some("wss") => {}
            _ => {
                return Err(AuthError::BadUrl {
                    reason: "the scheme must be ws:// or wss://".to_owned(),
                })
            }
        }
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| AuthError::BadHeaderName { name: name.clone() })?;
            let mut header_value = HeaderValue::from_str(value)
                .map_err(|_| AuthError::BadHeaderValue { name: name.clone() })?;
            header_value.set_sensitive(true);
            headers.append(header_name, header_value);
        }
        match (&self.token, self.subprotocol_token) {
            (None, true) => return Err(AuthError::SubprotocolWithoutToken),
            (None, false) => {}
            (Some(token), false) => {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                        AuthError::BadHeaderValue {
                            name: "Authorization".to_owned(),
                        }
                    })?;
                value.set_sensitive(true);
                headers.insert("Authorization", value);
            }
            (Some(token), true) => {
                let protocols = format!("jwt-auth, jwt.{}", URL_SAFE_NO_PAD.encode(token));
                let mut value =
                    HeaderValue::from_str(&protocols).map_err(|_| AuthError::BadHeaderValue {
                        name: "Sec-WebSocket-Protocol".to_owned(),
                    })?;
                value.set_sensitive(true);
                headers.insert("Sec-WebSocket-Protocol", value);
            }
        }
        basic_from_userinfo(&mut request)?;
        Ok(request)
    }

    /// The secrets to scrub from text, longest first so a secret containing another is
    /// masked whole.
    fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        if let Some(token) = self.token.as_deref().filter(|t| !t.is_empty()) {
            secrets.push(token.to_owned());
            secrets.push(URL_SAFE_NO_PAD.encode(token));
        }
        for (_, value) in &self.headers {
            if value.chars().count() >= MIN_REDACTED_LEN {
                secrets.push(value.clone());
            }
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        secrets
    }

    /// `text` with every occurrence of the token, its base64url form and each header value
    /// (of four characters or more) replaced by `••••`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.secrets() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        out
    }
}

/// `ws://user:password@host/…` is used as HTTP Basic credentials (as curl and browsers do),
/// unless the request already carries an `Authorization` header.
fn basic_from_userinfo(request: &mut Request) -> Result<(), AuthError> {
    let userinfo = request
        .uri()
        .authority()
        .and_then(|a| a.as_str().rsplit_once('@'))
        .map(|(info, _)| super::url::percent_decoded(info));
    let Some(info) = userinfo else { return Ok(()) };
    if request.headers().contains_key("authorization") {
        return Ok(());
    }
    let basic = format!("Basic {}", STANDARD.encode(info));
    let mut value = HeaderValue::from_str(&basic).map_err(|_| AuthError::BadHeaderValue {
        name: "Authorization".to_owned(),
    })?;
    value.set_sensitive(true);
    request.headers_mut().insert("Authorization", value);
    Ok(())
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = self.token.as_ref().map(|_| format!("Bearer {MASK}"));
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, _)| (name.as_str(), MASK))
            .collect();
        f.debug_struct("Auth")
            .field("token", &token)
            .field("subprotocol_token", &self.subprotocol_token)
            .field("headers", &headers)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "s3cr3t-t0ken.value";

    fn with_token(subprotocol: bool) -> Auth {
        Auth {
            token: Some(TOKEN.to_owned()),
            subprotocol_token: subprotocol,
            headers: vec![("X-Api-Key".to_owned(), "key-4242".to_owned())],
        }
    }

    #[test]
    fn bearer_header() {
        let request = with_token(false).request("ws://127.0.0.1:1/ws").unwrap();
        let h = request.headers();
        assert_eq!(h["authorization"], format!("Bearer {TOKEN}").as_str());
        assert_eq!(h["x-api-key"], "key-4242");
        assert!(h.get("sec-websocket-protocol").is_none());
    }

    #[test]
    fn subprotocol_form() {
        let request = with_token(true).request("wss://example.org/ws").unwrap();
        let h = request.headers();
        let expected = format!("jwt-auth, jwt.{}", URL_SAFE_NO_PAD.encode(TOKEN));
        assert_eq!(h["sec-websocket-protocol"], expected.as_str());
        assert!(!expected.contains('='));
        assert!(h.get("authorization").is_none());
    }

    #[test]
    fn no_auth_no_headers() {
        let request = Auth::default().request("ws://localhost:9/ws").unwrap();
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn bad_urls_and_missing_token() {
        assert!(matches!(
            Auth::default().request("http://localhost/ws"),
            Err(AuthError::BadUrl { .. })
        ));
        assert!(matches!(
            Auth::default().request("not a url"),
            Err(AuthError::BadUrl { .. })
        ));
        let auth = Auth {
            subprotocol_token: true,
            ..Auth::default()
        };
        assert_eq!(
            auth.request("ws://h/ws").unwrap_err(),
            AuthError::SubprotocolWithoutToken
        );
    }

    #[test]
    fn header_parsing() {
        assert_eq!(
            parse_header(1, "X-Trace:  abc ").unwrap(),
            ("X-Trace".to_owned(), "abc".to_owned())
        );
        assert_eq!(
            parse_header(1, "X-Empty:").unwrap(),
            ("X-Empty".to_owned(), String::new())
        );
        let err = parse_header(2, "X-Api-Key hunter22").unwrap_err();
        assert!(matches!(err, AuthError::MalformedHeader { index: 2, .. }));
        assert!(!err.to_string().contains("hunter22"));
        assert!(err.to_string().contains("Name: value"));
        assert!(matches!(
            parse_header(3, ": v"),
            Err(AuthError::MalformedHeader { index: 3, .. })
        ));
        assert!(matches!(
            parse_header(4, "Bad Name: v"),
            Err(AuthError::BadHeaderName { .. })
        ));
    }

    #[test]
    fn bad_header_value_does_not_leak() {
        let auth = Auth {
            headers: vec![("X-K".to_owned(), "line\nbreak-secret".to_owned())],
            ..Auth::default()
        };
        let err = auth.request("ws://h/ws").unwrap_err();
        assert!(!err.to_string().contains("break-secret"));
    }

    #[test]
    fn userinfo_becomes_basic_unless_authorization_is_set() {
        let request = Auth::default()
            .request("ws://al%40ice:p%3Ass@h/ws")
            .unwrap();
        let basic = format!("Basic {}", STANDARD.encode("al@ice:p:ss"));
        assert_eq!(request.headers()["authorization"], basic.as_str());
        let request = with_token(false).request("ws://u:p@h/ws").unwrap();
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(request.headers()["authorization"], bearer.as_str());
    }

    #[test]
    fn debug_redacts() {
        let shown = format!("{:?}", with_token(true));
        assert!(!shown.contains(TOKEN));
        assert!(!shown.contains("key-4242"));
        assert!(shown.contains("Bearer ••••"));
        assert!(shown.contains("X-Api-Key"));
    }

    #[test]
    fn redact_scrubs_every_form() {
        let auth = with_token(true);
        let b64 = URL_SAFE_NO_PAD.encode(TOKEN);
        let text = format!("Bearer {TOKEN}; jwt.{b64}; key=key-4242; {TOKEN}");
        let red = auth.redact(&text);
        assert_eq!(red, "Bearer ••••; jwt.••••; key=••••; ••••");
        assert_eq!(auth.redact("nothing here"), "nothing here");
        // Short header values are not secrets and are left alone.
        let short = Auth {
            headers: vec![("X-On".to_owned(), "1".to_owned())],
            ..Auth::default()
        };
        assert_eq!(short.redact("a 1 b"), "a 1 b");
    }
}

//! Where an export goes: the collector URL taken apart (scheme, host, port, base path), the
//! `--otlp-header` pairs sent with every request, and what the collector answered.

use crate::source::auth::{parse_header, Auth};

/// A collector endpoint.
#[derive(Clone)]
pub struct Endpoint {
    /// The URL as given, for messages (its credentials scrubbed by the caller).
    pub url: String,
    pub https: bool,
    pub host: String,
    pub port: u16,
    /// The path before `/v1/traces` (empty for the root).
    pub base: String,
    /// Extra headers, e.g. `Authorization: Bearer …`.
    pub headers: Vec<(String, String)>,
}

/// What the collector answered to a request it took.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    /// How many spans or log records it rejected (OTLP partial success).
    pub rejected: i64,
    /// Its message, when it gave one.
    pub message: String,
}

impl Endpoint {
    /// Parses `url` (`http://` or `https://`; the port defaults to `default_port` when the
    /// URL has none and to the scheme's otherwise) and the `--otlp-header` arguments.
    pub fn parse(url: &str, headers: &[String], default_port: u16) -> Result<Endpoint, String> {
        let uri: hyper::Uri = url.parse().map_err(|_| {
            "the OTLP endpoint is not a URL: write it as http://HOST:PORT".to_string()
        })?;
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => return Err("the OTLP endpoint must start with http:// or https://".into()),
        };
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or("the OTLP endpoint has no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = uri.port_u16().unwrap_or(default_port);
        let mut base = uri.path().trim_end_matches('/').to_string();
        for signal in ["/v1/traces", "/v1/logs"] {
            if let Some(b) = base.strip_suffix(signal) {
                base = b.to_string();
            }
        }
        let headers = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                parse_header(i + 1, h).map_err(|e| {
                    format!(
                        "OTLP {}",
                        e.to_string().replace("--header", "--otlp-header")
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Endpoint {
            url: url.to_string(),
            https,
            host,
            port,
            base,
            headers,
        })
    }

    /// The path of a signal's export, e.g. `/v1/traces`.
    pub fn path(&self, signal: &str) -> String {
        format!("{}/v1/{signal}", self.base)
    }

    /// `text` with every header value masked, for anything shown to the user.
    pub fn redact(&self, text: &str) -> String {
        let auth = Auth {
            headers: self.headers.clone(),
            ..Auth::default()
        };
        crate::source::url::scrub(&auth.redact(text), &self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gives_its_base_path_and_port_and_a_bad_one_is_refused() {
        let e = Endpoint::parse("https://cloud.example/api/public/otel", &[], 4318).unwrap();
        assert!(e.https);
        assert_eq!((e.host.as_str(), e.port), ("cloud.example", 4318));
        assert_eq!(e.path("traces"), "/api/public/otel/v1/traces");
        let e = Endpoint::parse("http://127.0.0.1:9/v1/traces", &[], 4318).unwrap();
        assert_eq!((e.port, e.path("logs")), (9, "/v1/logs".to_string()));
        assert!(Endpoint::parse("ftp://x", &[], 1).is_err());
        assert!(Endpoint::parse("not a url", &[], 1).is_err());
        let h = ["Authorization: Bearer s3cret".to_string()];
        let e = Endpoint::parse("http://h:1", &h, 1).unwrap();
        assert!(!e.redact("got Bearer s3cret back").contains("s3cret"));
        assert!(Endpoint::parse("http://h:1", &["novalue".into()], 1).is_err());
    }
}

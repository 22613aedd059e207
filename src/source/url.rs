//! The displayable form of a source URL: the one definition of what of a URL may be shown,
//! recorded or logged. A password in `user:password@` (or a bare `token@`) and the values of
//! token-like query or fragment parameters (`token`, `access_token`, `api_key`, `key`, `auth`,
//! `jwt`, `sig`, `signature`, `password`, `secret`…, in any case) become `••••`; the
//! connection itself still uses the URL as given. Also lists those secrets, so they can be
//! scrubbed from any other text (an error message quoting the URL).

use super::auth::MASK;

/// `url` with its credentials masked (any scheme; text that is no URL comes back unchanged
/// apart from token-like `key=value` pairs after a `?`).
pub fn shown_url(url: &str) -> String {
    let parts = Parts::of(url);
    let mut out = String::with_capacity(url.len());
    out.push_str(parts.scheme);
    if let Some(info) = parts.userinfo {
        // `user:password@` keeps the user; a bare `token@` is all secret.
        if let Some((user, _)) = info.split_once(':') {
            out.push_str(user);
            out.push(':');
        }
        out.push_str(MASK);
        out.push('@');
    }
    out.push_str(parts.host_path);
    if let Some(query) = parts.query {
        out.push('?');
        push_params(&mut out, query);
    }
    if let Some(fragment) = parts.fragment {
        out.push('#');
        push_params(&mut out, fragment);
    }
    out
}

/// The secrets `url` carries (the password or bare user-info, and token-like parameter values),
/// as written and percent-decoded, for scrubbing them from other text.
pub fn url_secrets(url: &str) -> Vec<String> {
    let parts = Parts::of(url);
    let mut secrets = Vec::new();
    if let Some(info) = parts.userinfo {
        secrets.push(info.split_once(':').map_or(info, |(_, pass)| pass));
    }
    for params in [parts.query, parts.fragment].into_iter().flatten() {
        for pair in params.split('&') {
            if let Some((key, value)) = pair.split_once('=') {
                if is_secret_key(key) {
                    secrets.push(value);
                }
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(info) = parts.userinfo.filter(|i| !i.is_empty()) {
        // What is sent for it: `Authorization: Basic base64(user:password)`.
        use base64::Engine as _;
        out.push(base64::engine::general_purpose::STANDARD.encode(percent_decoded(info)));
    }
    for s in secrets.into_iter().filter(|s| !s.is_empty()) {
        let decoded = percent_decoded(s);
        if decoded != s {
            out.push(decoded);
        }
        out.push(s.to_owned());
    }
    out
}

/// `text` with `url` shown masked wherever it appears whole, and each of its secrets (of four
/// characters or more, so that masking never garbles ordinary words) masked anywhere else.
pub fn scrub(text: &str, url: &str) -> String {
    if url.is_empty() || !url.contains(['@', '?', '#']) {
        return text.to_owned();
    }
    let mut out = text.replace(url, &shown_url(url));
    for secret in url_secrets(url) {
        if secret.chars().count() >= super::auth::MIN_REDACTED_LEN {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// A URL cut at its delimiters (RFC 3986, leniently).
struct Parts<'a> {
    /// `ws://` (empty when there is none).
    scheme: &'a str,
    userinfo: Option<&'a str>,
    host_path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn of(url: &'a str) -> Parts<'a> {
        let (scheme, rest) = match url.find("://") {
            Some(i) => url.split_at(i + 3),
            None => ("", url),
        };
        // User-info ends at the last `@` before the path; a password with an unencoded `#` or
        // `?` (invalid, but typed) still counts as user-info rather than leaking as a fragment.
        let userinfo_end = (!scheme.is_empty())
            .then(|| rest[..rest.find('/').unwrap_or(rest.len())].rfind('@'))
            .flatten();
        let (userinfo, rest) = match userinfo_end {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (rest, None),
        };
        let (host_path, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        Parts {
            scheme,
            userinfo,
            host_path,
            query,
            fragment,
        }
    }
}

/// Copies `a=1&token=x` with the values of token-like keys masked.
fn push_params(out: &mut String, params: &str) {
    for (i, pair) in params.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((key, _)) if is_secret_key(key) => {
                out.push_str(key);
                out.push('=');
                out.push_str(MASK);
            }
            _ => out.push_str(pair),
        }
    }
}

/// Whether a parameter name says its value is a credential: after lowercasing and dropping
/// `-`, `_` and `.`, one of the usual short names, or a name containing a telling word.
pub fn is_secret_key(key: &str) -> bool {
    let key: String = percent_decoded(key)
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    const EXACT: [&str; 8] = ["key", "auth", "jwt", "sig", "pw", "pwd", "pass", "code"];
    const WORDS: [&str; 11] = [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "signature",
        "credential",
        "authorization",
        "session",
        "privatekey",
        "accesskey",
    ];
    EXACT.contains(&key.as_str()) || WORDS.iter().any(|w| key.contains(w))
}

/// `%XX` sequences decoded; text that does not decode to UTF-8 is kept as it is.
pub(super) fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_masked() {
        assert_eq!(
            shown_url("ws://alice:pa55w0rd@h:1/ws"),
            "ws://alice:••••@h:1/ws"
        );
        assert_eq!(shown_url("wss://tok3n@h/ws"), "wss://••••@h/ws");
        assert_eq!(
            shown_url("ws://h:1/a@b"),
            "ws://h:1/a@b",
            "an @ in the path"
        );
        assert_eq!(
            url_secrets("ws://alice:pa%2055@h/ws"),
            ["YWxpY2U6cGEgNTU=", "pa 55", "pa%2055"],
            "the Basic credentials sent for it, and the password as written and decoded"
        );
    }

    #[test]
    fn a_password_with_a_hash_or_question_mark_is_still_masked() {
        for (url, shown) in [
            ("ws://alice:pa#ss@h/ws", "ws://alice:••••@h/ws"),
            ("ws://alice:pa?ss@h/ws?x=1", "ws://alice:••••@h/ws?x=1"),
        ] {
            assert_eq!(shown_url(url), shown);
            assert!(!shown_url(url).contains("pa"), "{url}");
        }
        assert_eq!(shown_url("ws://h/ws#a=1"), "ws://h/ws#a=1");
    }

    #[test]
    fn token_like_parameters_are_masked_in_any_case() {
        let url =
            "ws://h/ws?run=7&Token=abc1&ACCESS_TOKEN=d2&api-key=e3&apiKey=f4&sig=g5&x=1#jwt=h6";
        assert_eq!(
            shown_url(url),
            "ws://h/ws?run=7&Token=••••&ACCESS_TOKEN=••••&api-key=••••&apiKey=••••&sig=••••&x=1#jwt=••••"
        );
        let secrets = url_secrets(url);
        for s in ["abc1", "d2", "e3", "f4", "g5", "h6"] {
            assert!(secrets.iter().any(|x| x == s), "{s} in {secrets:?}");
        }
        assert!(!secrets.iter().any(|x| x == "7" || x == "1"));
    }

    #[test]
    fn plain_urls_are_unchanged() {
        for url in [
            "ws://127.0.0.1:8765/ws",
            "wss://example.org/a/b?run=1&thread=t-2",
            "not a url",
            "ws://h/ws?flag&=x&monkey=1",
        ] {
            assert_eq!(shown_url(url), url);
            assert!(url_secrets(url).is_empty(), "{url}");
        }
    }

    #[test]
    fn secret_keys() {
        for k in [
            "token",
            "id_token",
            "refresh-token",
            "password",
            "client_secret",
            "KEY",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["run", "thread", "monkey", "keyboard", "user"] {
            assert!(!is_secret_key(k), "{k}");
        }
    }
}

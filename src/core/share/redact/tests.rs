use super::*;

fn once(text: &str) -> (String, Vec<(String, usize)>) {
    let mut r = Redactor::new(&[], false).expect("the table compiles");
    let out = r.redact(text).into_owned();
    (out, r.counts())
}

#[test]
fn provider_keys_are_redacted_by_kind() {
    let cases = [
        (
            "sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345",
            "anthropic key",
        ),
        ("sk-proj-abcdefghijklmnopqrstuvwxyz0123", "openai key"),
        ("sk-abcdefghijklmnopqrstuvwxyz0123456789", "openai key"),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github token"),
        (
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
            "github token",
        ),
        ("AKIAIOSFODNN7EXAMPLE", "aws key"),
        ("AIzaSyA-abcdefghijklmnopqrstuvwxyz01234", "google key"),
        ("xoxb-1234567890-abcdefghij", "slack token"),
        ("ann.lee+x@example.co.uk", "email"),
    ];
    for (secret, kind) in cases {
        let (out, counts) = once(&format!("key={secret} end"));
        assert_eq!(out, format!("key=[redacted:{kind}] end"), "{secret}");
        assert_eq!(counts, vec![(kind.to_string(), 1)], "{secret}");
    }
}

#[test]
fn authorization_values_keep_the_header_name() {
    let (out, counts) = once(r#"{"Authorization": "Basic dXNlcjpwYXNz", "x": 1}"#);
    assert_eq!(
        out,
        r#"{"Authorization": "[redacted:authorization]", "x": 1}"#
    );
    assert_eq!(counts, vec![("authorization".to_string(), 1)]);
    let (out, _) = once("curl -H 'authorization: Token abc123'");
    assert_eq!(out, "curl -H 'authorization: [redacted:authorization]'");
}

#[test]
fn bearer_tokens_outside_a_header_are_redacted() {
    let (out, counts) = once("use Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc to call");
    assert_eq!(out, "use Bearer [redacted:bearer token] to call");
    assert_eq!(counts, vec![("bearer token".to_string(), 1)]);
}

#[test]
fn ordinary_text_is_left_alone() {
    let text = "sk-learn is fine; a skeleton key; ghp_short; AKIA lower; mail at example dot com; \
                bearer of bad news; the AIza word; xoxo; 2 @ 3; author: Ann";
    let (out, counts) = once(text);
    assert_eq!(out, text);
    assert!(counts.is_empty());
}

#[test]
fn user_patterns_are_counted_apart_and_off_means_none() {
    let mut r = Redactor::new(&["acct-[0-9]+".to_string()], false).expect("valid");
    assert_eq!(
        r.redact("acct-42 and acct-7"),
        "[redacted:pattern 1] and [redacted:pattern 1]"
    );
    assert_eq!(r.counts(), vec![("pattern 1".to_string(), 2)]);
    let mut off = Redactor::new(&[], true).expect("valid");
    assert!(!off.active());
    assert_eq!(
        off.redact("sk-ant-api03-abcdefghijklmnopqrstuvwxyz"),
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"
    );
    assert!(Redactor::new(&["(".to_string()], false).is_err());
}

#[test]
fn counts_add_up_across_texts() {
    let mut r = Redactor::new(&[], false).expect("valid");
    r.redact("a@b.io c@d.io");
    r.redact("e@f.io");
    assert_eq!(r.counts(), vec![("email".to_string(), 3)]);
}

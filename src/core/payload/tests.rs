//! A tool call's payloads read from frames: arguments, results, errors, sizes.

use super::*;

#[test]
fn arguments_result_and_error_are_found_in_any_layer() {
    let exec =
        r#"{"type":"tool_executing","payload":{"tool_name":"q","parameters":{"region":"eu"}}}"#;
    assert_eq!(arguments(exec), Some(r#"{"region":"eu"}"#));
    let netra = r#"{"type":"tool_executing","data":{"arguments":[1,2]}}"#;
    assert_eq!(arguments(netra), Some("[1,2]"));
    let failed = r#"{"type":"tool_completed","payload":{"result":{"status":"error","error":"quota exceeded\u001b[31m"}}}"#;
    assert_eq!(error(failed).as_deref(), Some("quota exceeded␛[31m"));
    let timeout = r#"{"type":"tool_completed","payload":{"result":{"status":"timeout"}}}"#;
    assert_eq!(error(timeout).as_deref(), Some("status: timeout"));
    let top = r#"{"type":"tool_completed","payload":{"error":{"code":7}}}"#;
    assert_eq!(error(top).as_deref(), Some(r#"{"code":7}"#));
    let ok = r#"{"type":"tool_completed","payload":{"result":{"status":"success","error":null}}}"#;
    assert_eq!(error(ok), None);
    assert_eq!(result(ok), Some(r#"{"status":"success","error":null}"#));
}

#[test]
fn a_string_result_is_text_and_other_json_is_pretty() {
    let b = block(r#""line one\nline two""#, 10, 100);
    assert!(b.text);
    assert_eq!(b.lines.total, 2);
    assert_eq!(b.lines.lines[1], vec![(Tok::Text, "line two".to_string())]);
    let b = block(r#"{"a":1}"#, 10, 100);
    assert!(!b.text);
    assert_eq!(b.lines.total, 3);
    assert_eq!(b.size_note(), "3 lines · 7 B");
    let b = block("not json at all", 10, 100);
    assert!(b.text);
}

#[test]
fn a_large_payload_says_what_is_shown_and_its_size() {
    let big = format!("[{}0]", "12345,".repeat(330_000));
    let b = block(&big, 2000, 200);
    assert!(b.cut());
    assert_eq!(b.size_note(), "showing 2,000 of 330,003 lines · 1.9 MB");
    assert_eq!(thousands(48_113), "48,113");
    assert_eq!(thousands(7), "7");
    assert_eq!(bytes(512), "512 B");
    assert_eq!(bytes(4096), "4.0 KB");
}

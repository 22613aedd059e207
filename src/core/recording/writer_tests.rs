//! Compaction of frame text written into a recording.

use super::push_compact;

#[test]
fn compaction_only_drops_whitespace_between_tokens() {
    let mut out = String::new();
    push_compact(
        &mut out,
        "{ \"a\\\\\" : \"b \\\" c\\t\" ,\r\n\t\"d\" : [ 1.50 , { } , -0e+1 ] }",
    );
    assert_eq!(out, "{\"a\\\\\":\"b \\\" c\\t\",\"d\":[1.50,{},-0e+1]}");
}

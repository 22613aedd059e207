//! The demo server's marks: a `system_message` whose `data.event` is `demo_mark` announces a
//! fault by its `data.text`; a live session turns it into a mark of the log and the recording.

/// The `data.event` of a mark announcement.
pub const DEMO_MARK: &str = "demo_mark";

/// The text of a demo server's `{"type":"system_message","data":{"event":"demo_mark","text":…}}`.
pub fn demo_mark(text: &str) -> Option<String> {
    if !text.contains(DEMO_MARK) {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Frame {
        data: Option<Data>,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        event: Option<String>,
        text: Option<String>,
    }
    let f: Frame = serde_json::from_str(text).ok()?;
    let d = f.data?;
    (d.event.as_deref() == Some(DEMO_MARK)).then(|| d.text.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_demo_mark_event_is_a_mark() {
        let mark = r#"{"type":"system_message","data":{"event":"demo_mark","text":"act 2"}}"#;
        assert_eq!(demo_mark(mark), Some("act 2".to_owned()));
        let other = r#"{"type":"system_message","data":{"event":"hello","text":"demo_mark"}}"#;
        assert_eq!(demo_mark(other), None);
        assert_eq!(demo_mark(r#"{"type":"demo_mark"}"#), None);
        assert_eq!(demo_mark("demo_mark, not JSON"), None);
    }
}

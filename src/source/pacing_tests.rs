//! Turn pacing: one message at a time, looping for the demo, and the next message on the
//! thread of the runs our own messages started, not of a run somebody else started first.

use super::*;
use crate::core::log::{Keep, Log};

fn started(run: &str, thread: &str) -> String {
    format!(
        r#"{{"type":"agent_started","payload":{{"run_id":"{run}","thread_id":"{thread}","agent_name":"sup"}}}}"#
    )
}

fn completed(run: &str) -> String {
    format!(r#"{{"type":"agent_completed","payload":{{"run_id":"{run}","agent_name":"sup"}}}}"#)
}

#[test]
fn sends_one_at_a_time_and_loops() {
    let s = Session::new();
    let i = Interner::default();
    let mut q = Pacing::new(vec!["a".into()], true);
    assert!(q.due(&s, &i, false).is_none());
    let f = q.due(&s, &i, true).unwrap();
    assert!(f.contains("\"a\""));
    assert!(q.due(&s, &i, true).is_none(), "waits for its runs");
    assert!(!q.is_empty(), "a loop never runs out");
    let mut q = Pacing::new(vec![], false);
    assert!(q.due(&s, &i, true).is_none());
    assert!(q.is_empty());
}

#[test]
fn the_next_message_goes_on_the_thread_our_first_message_started() {
    let mut log = Log::new(Keep::All);
    let mut q = Pacing::new(vec!["first".into(), "second".into()], false);
    // Another client's run is going when we connect.
    log.push_frame(None, Dir::In, &started("r0", "someone-else"));
    let first = q.due(log.session(), &log.interner, true).unwrap();
    assert!(!first.contains("thread_id"), "{first}");
    log.push_frame(None, Dir::Out, &first);
    assert!(
        q.due(log.session(), &log.interner, true).is_none(),
        "no run yet"
    );
    log.push_frame(None, Dir::In, &started("r1", "ours"));
    assert!(
        q.due(log.session(), &log.interner, true).is_none(),
        "run open"
    );
    log.push_frame(None, Dir::In, &completed("r1"));
    let second = q.due(log.session(), &log.interner, true).unwrap();
    assert!(second.contains(r#""thread_id":"ours""#), "{second}");
    assert!(q.is_empty());
    assert_eq!(
        thread_of(log.session(), &log.interner).as_deref(),
        Some("ours")
    );
    // Without a message of ours, no thread is chosen.
    let mut other = Log::new(Keep::All);
    other.push_frame(None, Dir::In, &started("r0", "someone-else"));
    assert_eq!(thread_of(other.session(), &other.interner), None);
}

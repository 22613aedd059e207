//! The order in which lines read at one look from several growing files (a session's own
//! transcript and its sub-agents') are taken: merged by their `timestamp`, as a whole
//! session's files are, each file's own order kept. A line without a timestamp goes with the
//! line before it in its file; at ties the earlier file (the session's own) comes first. Read
//! file by file instead, one sub-agent's later lines would come before another's earlier ones
//! written in the same interval, and the rules that judge order (error recovery) would see a
//! different session than the finished files show.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

use serde::Deserialize;

/// Where each file's lines were last placed in time (kept from one look to the next, so a
/// file's first new line without a timestamp still goes with its file's last one).
#[derive(Debug, Default, Clone)]
pub struct Interleaving {
    last: Vec<f64>,
}

/// A line's timestamp, read without building the rest of it.
#[derive(Deserialize)]
struct Stamp<'a> {
    #[serde(borrow, default)]
    timestamp: Option<std::borrow::Cow<'a, str>>,
}

fn stamp(line: &str) -> Option<f64> {
    let s: Stamp = serde_json::from_str(line).ok()?;
    crate::core::timestamp::parse_str(&s.timestamp?)
}

/// A file's next line in the merge: its time, then its file.
#[derive(PartialEq)]
struct Head(f64, usize);

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

impl Interleaving {
    /// The lines of `files` (indexed as the caller's files, the same from look to look) in
    /// the order to take them: each with its file's index.
    pub fn order(&mut self, files: Vec<Vec<String>>) -> Vec<(usize, String)> {
        if self.last.len() < files.len() {
            self.last.resize(files.len(), f64::NEG_INFINITY);
        }
        let with_lines = files.iter().filter(|f| !f.is_empty()).count();
        let total = files.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(total);
        let mut lanes: Vec<VecDeque<(f64, String)>> = Vec::with_capacity(files.len());
        for (k, lines) in files.into_iter().enumerate() {
            let mut lane = VecDeque::with_capacity(lines.len());
            for line in lines {
                // One file alone needs no times: its order is the order.
                if with_lines > 1 {
                    if let Some(t) = stamp(&line) {
                        self.last[k] = t;
                    }
                }
                lane.push_back((self.last[k], line));
            }
            lanes.push(lane);
        }
        let mut heads: BinaryHeap<Reverse<Head>> = (lanes.iter().enumerate())
            .filter_map(|(k, l)| Some(Reverse(Head(l.front()?.0, k))))
            .collect();
        while let Some(Reverse(Head(_, k))) = heads.pop() {
            let Some((_, line)) = lanes[k].pop_front() else {
                continue;
            };
            out.push((k, line));
            if let Some((t, _)) = lanes[k].front() {
                heads.push(Reverse(Head(*t, k)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(ts: &str, what: &str) -> String {
        format!(r#"{{"timestamp":"2026-11-27T13:53:55.{ts}Z","what":"{what}"}}"#)
    }

    fn whats(order: &[(usize, String)]) -> Vec<(usize, String)> {
        order
            .iter()
            .map(|(k, l)| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
                (*k, v["what"].as_str().unwrap_or("").to_string())
            })
            .collect()
    }

    #[test]
    fn lines_of_several_files_are_merged_by_time_each_file_in_its_order() {
        let mut i = Interleaving::default();
        let main = vec![line("743", "call a"), line("777", "call b")];
        let a = vec![line("754", "a1"), line("825", "a2"), line("916", "a3")];
        let b = vec![line("784", "b1"), line("852", "b2")];
        let got = whats(&i.order(vec![main, a, b]));
        let want = [
            (0, "call a"),
            (1, "a1"),
            (0, "call b"),
            (2, "b1"),
            (1, "a2"),
            (2, "b2"),
            (1, "a3"),
        ];
        let want: Vec<(usize, String)> = want.iter().map(|(k, w)| (*k, w.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_line_without_a_time_goes_with_the_line_before_it_even_from_an_earlier_look() {
        let mut i = Interleaving::default();
        let first = i.order(vec![vec![line("500", "m1")], vec![line("900", "s1")]]);
        assert_eq!(first.len(), 2);
        let bare = r#"{"what":"s2"}"#.to_string();
        let got = whats(&i.order(vec![vec![line("800", "m2")], vec![bare]]));
        assert_eq!(got, [(0, "m2".to_string()), (1, "s2".to_string())]);
    }

    #[test]
    fn ties_and_lines_that_are_not_json_keep_the_files_order() {
        let mut i = Interleaving::default();
        let got = i.order(vec![
            vec!["not json".into(), line("100", "m")],
            vec![line("100", "s")],
        ]);
        let files: Vec<usize> = got.iter().map(|(k, _)| *k).collect();
        assert_eq!(files, [0, 0, 1]);
    }

    #[test]
    fn one_file_alone_is_taken_as_it_is() {
        let mut i = Interleaving::default();
        let got = i.order(vec![
            vec![line("900", "late"), line("100", "early")],
            vec![],
        ]);
        assert_eq!(whats(&got)[0].1, "late");
    }
}

//! The stops of `]` and `[`: every evidence frame of the findings that fail or warn, and the
//! markers, in frame order, each saying which finding (numbered by where its evidence starts)
//! or marker it belongs to. Pure: findings and marker positions in, stops out.

use super::Finding;
use crate::core::session::Pos;

/// Where `]`/`[` can stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop {
    pub pos: Pos,
    pub what: StopKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    /// The `n`-th (0-based) of the findings as [`order`] numbers them.
    Finding(usize),
    /// The `n`-th (0-based) marker.
    Marker(usize),
}

/// The findings in the order `]` meets them: by their first evidence frame, then code.
pub fn order<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Vec<&'f Finding> {
    let mut out: Vec<&Finding> = findings.into_iter().collect();
    out.sort_by(|a, b| (a.frames.first(), &a.code).cmp(&(b.frames.first(), &b.code)));
    out
}

/// Every stop, sorted by frame; at a frame several things point to, the first finding (else
/// the first marker) is the stop.
pub fn stops(ordered: &[&Finding], markers: &[Pos]) -> Vec<Stop> {
    let mut out: Vec<Stop> = Vec::new();
    for (i, f) in ordered.iter().enumerate() {
        let what = StopKind::Finding(i);
        out.extend(f.frames.iter().map(|&pos| Stop { pos, what }));
    }
    for (i, &pos) in markers.iter().enumerate() {
        let what = StopKind::Marker(i);
        out.push(Stop { pos, what });
    }
    let rank = |k: StopKind| match k {
        StopKind::Finding(i) => (0, i),
        StopKind::Marker(i) => (1, i),
    };
    out.sort_by_key(|s| (s.pos, rank(s.what)));
    out.dedup_by_key(|s| s.pos);
    out
}

/// The stop after `at` (or before it, going back); from nowhere, forward starts at the first.
pub fn next(stops: &[Stop], at: Option<Pos>, forward: bool) -> Option<Stop> {
    if forward {
        stops.iter().find(|s| at.is_none_or(|a| s.pos > a)).copied()
    } else {
        stops
            .iter()
            .rev()
            .find(|s| at.is_some_and(|a| s.pos < a))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::Severity;

    fn finding(code: &str, frames: &[u32]) -> Finding {
        Finding::new(code, Severity::Error, "m").at(frames.iter().map(|&p| Pos(p)))
    }

    #[test]
    fn stops_follow_the_frames_and_name_their_finding() {
        let late = finding("b/late", &[9, 30]);
        let early = finding("a/early", &[4]);
        let same = finding("c/same", &[9]);
        let ordered = order([&late, &early, &same]);
        assert_eq!(ordered[0].code, "a/early");
        assert_eq!(ordered[1].code, "b/late");
        let stops = stops(&ordered, &[Pos(2), Pos(9)]);
        let pos: Vec<u32> = stops.iter().map(|s| s.pos.0).collect();
        assert_eq!(pos, [2, 4, 9, 30]);
        assert_eq!(stops[0].what, StopKind::Marker(0));
        assert_eq!(
            stops[2].what,
            StopKind::Finding(1),
            "a finding wins its frame"
        );
        assert_eq!(
            next(&stops, Some(Pos(4)), true).map(|s| s.pos),
            Some(Pos(9))
        );
        assert_eq!(
            next(&stops, Some(Pos(9)), false).map(|s| s.pos),
            Some(Pos(4))
        );
        assert_eq!(next(&stops, Some(Pos(30)), true), None);
        assert_eq!(next(&stops, None, true).map(|s| s.pos), Some(Pos(2)));
        assert_eq!(next(&stops, None, false), None);
    }
}

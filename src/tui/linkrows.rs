//! The link's changes as rows of the Frames tab: each change (disconnected with its reason,
//! reconnecting, gave up, a frame over the limit, connected again) is a row of its own, before
//! the first frame that came after it, with how long the link was down once it is back. Kept
//! beside the view (remade when the log grows, the changes being few), with the map between
//! row numbers and frame positions in O(log changes), so a million frames cost nothing more.

use crate::core::link::LinkState;
use crate::core::log::{Log, Other};
use crate::core::session::Pos;

/// One change of the link, as its row shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Frames before it.
    pub before: usize,
    pub state: LinkState,
    pub reason: Option<String>,
    /// Receive time (s), when the source gave one.
    pub t: Option<f64>,
    /// Connected again: how long the link was down (s), from the change that took it down.
    pub down_s: Option<f64>,
}

impl Change {
    /// `○ disconnected: closed by the server (1001: restarting)`, `● connected again after
    /// 2.5 s down` (the gap in which nothing could be received).
    pub fn words(&self) -> String {
        let why = self
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(": {r}"));
        match self.state {
            LinkState::Connected => match self.down_s {
                Some(s) => format!("● connected again after {s:.1} s down"),
                None => "● connected".to_owned(),
            },
            LinkState::Disconnected => format!("○ disconnected{why}"),
            LinkState::Reconnecting(_) => format!("↻ reconnecting{why}"),
            LinkState::Oversize => format!("○ frame over the size limit{why}"),
            LinkState::GaveUp => format!("✗ gave up{why}"),
            LinkState::Connecting => format!("○ connecting{why}"),
        }
    }
}

/// What a row of the Frames tab is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Frame(Pos),
    Link(usize),
}

/// The link's changes in log order.
#[derive(Debug, Clone, Default)]
pub struct LinkRows {
    pub changes: Vec<Change>,
    /// The log's generation they were made at.
    made_at: Option<u64>,
}

impl LinkRows {
    /// Remade from the log when it has grown since.
    pub fn sync(&mut self, log: &Log) {
        if self.made_at == Some(log.generation()) {
            return;
        }
        self.made_at = Some(log.generation());
        self.changes.clear();
        let mut down_at: Option<f64> = None;
        for (before, other) in log.links() {
            let Other::Link {
                t, state, reason, ..
            } = other
            else {
                continue;
            };
            let down_s = match state {
                LinkState::Connected => down_at.take().zip(*t).map(|(from, to)| to - from),
                _ => {
                    down_at = down_at.or(*t);
                    None
                }
            };
            // The first connection is no news; every later change is.
            if *state == LinkState::Connected && before == 0 && self.changes.is_empty() {
                continue;
            }
            self.changes.push(Change {
                before,
                state: *state,
                reason: reason.clone(),
                t: *t,
                down_s,
            });
        }
    }

    /// Changes shown with the first `frames` frames (those after the last one shown wait).
    fn shown(&self, frames: usize) -> usize {
        self.changes.partition_point(|c| c.before <= frames)
    }

    /// Rows of the Frames tab when `frames` frames are shown.
    pub fn len(&self, frames: usize) -> usize {
        frames + self.shown(frames)
    }

    /// Where row `i` falls when `above(before)` frame rows precede a change: `Ok(j)` for
    /// change `j` (at row `above(before_j) + j`, which grows with `j`: a binary search),
    /// else `Err(k)` for the `k`-th frame row.
    fn locate(
        &self,
        i: usize,
        frames: usize,
        above: impl Fn(usize) -> usize,
    ) -> Result<usize, usize> {
        let shown = &self.changes[..self.shown(frames)];
        let at = |j: usize| above(shown[j].before) + j;
        let (mut lo, mut hi) = (0, shown.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if at(mid) < i {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo < shown.len() && at(lo) == i {
            Ok(lo)
        } else {
            Err(i - lo)
        }
    }

    /// What row `i` of the Frames tab is (every frame listed).
    pub fn row(&self, i: usize, frames: usize) -> Row {
        match self.locate(i, frames, |before| before) {
            Ok(j) => Row::Link(j),
            Err(k) => Row::Frame(Pos::new(k)),
        }
    }

    /// The row of frame `p` in the Frames tab.
    pub fn row_of(&self, p: Pos) -> usize {
        p.index() + self.changes.partition_point(|c| c.before <= p.index())
    }

    /// Rows of a list of some frames (`rows`, ascending: the timeline after its filters).
    pub fn len_in(&self, rows: &[Pos], frames: usize) -> usize {
        rows.len() + self.shown(frames)
    }

    /// What row `i` of such a list is.
    pub fn row_in(&self, i: usize, rows: &[Pos], frames: usize) -> Row {
        let above = |before: usize| rows.partition_point(|p| p.index() < before);
        match self.locate(i, frames, above) {
            Ok(j) => Row::Link(j),
            Err(k) => rows.get(k).map_or(Row::Link(0), |&p| Row::Frame(p)),
        }
    }

    /// The row of the `k`-th frame of such a list.
    pub fn index_in(&self, k: usize, rows: &[Pos]) -> usize {
        let p = rows.get(k).map_or(usize::MAX, |p| p.index());
        k + self.changes.partition_point(|c| c.before <= p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::Keep;

    #[test]
    fn changes_sit_between_the_frames_around_them() {
        let mut log = Log::new(Keep::All);
        log.push_link(Some(0.0), LinkState::Connected, None, None);
        log.push_frame(Some(0.1), Dir::In, "{}");
        log.push_frame(Some(0.2), Dir::In, "{}");
        log.push_link(
            Some(0.3),
            LinkState::Disconnected,
            Some("reset".into()),
            None,
        );
        log.push_link(Some(0.3), LinkState::Reconnecting(None), None, None);
        log.push_link(Some(2.8), LinkState::Connected, None, None);
        log.push_frame(Some(2.9), Dir::In, "{}");
        let mut rows = LinkRows::default();
        rows.sync(&log);
        // The first connection is not a row; the drop, the retry and the return are.
        assert_eq!(rows.changes.len(), 3);
        assert_eq!(rows.len(3), 6);
        let all: Vec<Row> = (0..6).map(|i| rows.row(i, 3)).collect();
        use Row::{Frame, Link};
        assert_eq!(
            all,
            [
                Frame(Pos::new(0)),
                Frame(Pos::new(1)),
                Link(0),
                Link(1),
                Link(2),
                Frame(Pos::new(2))
            ]
        );
        assert_eq!(rows.row_of(Pos::new(2)), 5);
        assert_eq!(rows.row_of(Pos::new(1)), 1);
        assert_eq!(rows.changes[0].words(), "○ disconnected: reset");
        assert!(rows.changes[2]
            .words()
            .starts_with("● connected again after 2.5 s"));
        // At a position before the drop, it is not shown yet.
        assert_eq!(rows.len(1), 1);
        // A filtered list (frames 0 and 2): the changes sit between them all the same.
        let some = [Pos::new(0), Pos::new(2)];
        assert_eq!(rows.len_in(&some, 3), 5);
        let listed: Vec<Row> = (0..5).map(|i| rows.row_in(i, &some, 3)).collect();
        assert_eq!(
            listed,
            [
                Frame(Pos::new(0)),
                Link(0),
                Link(1),
                Link(2),
                Frame(Pos::new(2))
            ]
        );
        assert_eq!(rows.index_in(1, &some), 4);
        assert_eq!(rows.index_in(0, &some), 0);
    }
}

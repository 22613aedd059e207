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

    /// What row `i` is: change `j` sits at row `before + j`.
    pub fn row(&self, i: usize, frames: usize) -> Row {
        let shown = &self.changes[..self.shown(frames)];
        // Changes whose row is above `i` (`before + j` grows with `j`): a binary search.
        let (mut lo, mut hi) = (0, shown.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if shown[mid].before + mid < i {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let links_before = lo;
        match shown.get(links_before) {
            Some(c) if c.before + links_before == i => Row::Link(links_before),
            _ => Row::Frame(Pos::new(i - links_before)),
        }
    }

    /// The row of frame `p`.
    pub fn row_of(&self, p: Pos) -> usize {
        p.index() + self.changes.partition_point(|c| c.before <= p.index())
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
    }
}

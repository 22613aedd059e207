//! Where everything goes on screen, as a pure function of the terminal size, the tab and the
//! mode, so drawing and mouse hit-testing agree. Nothing here draws.

use crate::tui::app::{Focus, Tab};
use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// The smallest terminal the screens are designed for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

#[derive(Debug, Clone, PartialEq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub seek: Option<Rect>,
    /// Live: the link's state and why, and the recording.
    pub link: Option<Rect>,
    pub footer: Rect,
    pub body: Rect,
    pub panes: Vec<(Focus, Rect)>,
}

fn split(dir: Direction, area: Rect, c: &[Constraint]) -> Vec<Rect> {
    Layout::default()
        .direction(dir)
        .constraints(c.to_vec())
        .split(area)
        .to_vec()
}

pub fn areas(size: (u16, u16), tab: Tab, replay: bool) -> Areas {
    let full = Rect::new(0, 0, size.0, size.1);
    // The third line is the seek bar in replay, the link line live.
    let c = [
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(1),
    ];
    let rows = split(Direction::Vertical, full, &c);
    let (seek, link) = if replay {
        (Some(rows[2]), None)
    } else {
        (None, Some(rows[2]))
    };
    let (body, footer) = (rows[3], rows[4]);
    use Constraint::{Length, Min, Percentage};
    use Direction::{Horizontal as H, Vertical as V};
    let panes = match tab {
        Tab::Overview => {
            let v = split(V, body, &[Percentage(45), Percentage(25), Min(3)]);
            // The agents pane grows with the terminal (a quarter), from 30 columns up to a third.
            let agents_w = (size.0 / 4).max(30).min(size.0 / 3);
            let top = split(H, v[0], &[Length(agents_w), Min(10)]);
            let mid = split(H, v[1], &[Percentage(50), Percentage(50)]);
            vec![
                (Focus::Agents, top[0]),
                (Focus::Timeline, top[1]),
                (Focus::Tools, mid[0]),
                (Focus::Turns, mid[1]),
                (Focus::Detail, v[2]),
            ]
        }
        Tab::Rules => {
            let v = split(V, body, &[Percentage(60), Min(3)]);
            let top = split(H, v[0], &[Length(38), Min(10)]);
            vec![
                (Focus::Rules, top[0]),
                (Focus::Findings, top[1]),
                (Focus::Detail, v[1]),
            ]
        }
        Tab::Story => vec![(Focus::Story, body)],
        // The turns are few lines; what differs between their contexts needs the room.
        Tab::Context => {
            let v = split(V, body, &[Percentage(40), Min(3)]);
            vec![(Focus::Context, v[0]), (Focus::Detail, v[1])]
        }
        _ => {
            let v = split(V, body, &[Percentage(65), Min(3)]);
            vec![(tab.panes()[0], v[0]), (Focus::Detail, v[1])]
        }
    };
    Areas {
        header: rows[0],
        tabs: rows[1],
        seek,
        link,
        footer,
        body,
        panes,
    }
}

/// The first visible row of a list whose cursor is at `cursor`, `height` rows high.
pub fn offset(cursor: usize, height: usize) -> usize {
    if height == 0 {
        return cursor;
    }
    cursor.saturating_sub(height - 1)
}

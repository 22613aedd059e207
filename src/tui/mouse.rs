//! Mouse input: a click focuses the pane under it and selects the row clicked (or moves the
//! replay position on the seek bar, or switches tab on the tab bar); the wheel scrolls the pane
//! under the pointer. Uses the same layout function as drawing. A click on a tab is the tab's
//! action, returned for `update` to do as it does for the key.

use super::app::{App, Focus, Mode};
use super::keymap::Action;
use super::nav;
use super::ui::layout::{areas, offset};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

fn inside(r: Rect, x: u16, y: u16) -> bool {
    r.contains(Position::new(x, y))
}

pub fn mouse(app: &mut App, m: MouseEvent) -> Option<Action> {
    let a = areas(app.ui.size, app.ui.tab, app.is_replay());
    let (x, y) = (m.column, m.row);
    let mut pane = a.panes.iter().find(|(_, r)| inside(*r, x, y)).copied();
    // The payload view covers the panes: the wheel scrolls it, a click selects nothing under it.
    if matches!(app.ui.overlay, super::app::Overlay::Payload(_)) && inside(a.body, x, y) {
        let click = m.kind == MouseEventKind::Down(MouseButton::Left);
        pane = Some((Focus::Detail, a.body)).filter(|_| !click);
    }
    match m.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            if let Some((f, _)) = pane {
                let d = if m.kind == MouseEventKind::ScrollUp {
                    -3
                } else {
                    3
                };
                nav::move_by(app, f, d);
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some(seek) = a.seek.filter(|r| inside(*r, x, y)) {
                let now = app.ui.now_ms;
                if let Mode::Replay { clock, times, .. } = &mut app.mode {
                    let bar = super::ui::header::seek_bar_span(seek);
                    if x >= bar.0 && bar.1 > bar.0 {
                        let frac = ((x - bar.0) as f64 / (bar.1 - bar.0) as f64).clamp(0.0, 1.0);
                        let total = times.last().copied().unwrap_or(0.0);
                        clock.seek_time(frac * total, times, now);
                        app.cursors.timeline = None;
                    }
                }
                return None;
            }
            if inside(a.tabs, x, y) {
                let mut col = a.tabs.x + 1;
                for t in super::ui::tabs::shown(app) {
                    let w = super::ui::tabs::label(t).chars().count() as u16 + 2;
                    if x >= col && x < col + w {
                        return Some(Action::for_tab(t));
                    }
                    col += w;
                }
                return None;
            }
            if let Some((f, r)) = pane {
                app.ui.focus = f;
                // Tables and the waterfall have a header line above their rows.
                let head = u16::from(matches!(f, Focus::Tools | Focus::Frames | Focus::Waterfall));
                let row = y.saturating_sub(r.y + 1 + head) as usize;
                let h = r.height.saturating_sub(2 + head) as usize;
                let n = nav::len(app, f);
                if n == 0 || y <= r.y + head {
                    return None;
                }
                let to = match f {
                    // Findings take as many rows as their messages wrap to.
                    Focus::Findings => super::ui::findings::at_row(app, h, row),
                    _ => offset(nav::cursor(app, f), h) + row,
                };
                nav::set(app, f, to.min(n - 1));
            }
        }
        _ => {}
    }
    None
}

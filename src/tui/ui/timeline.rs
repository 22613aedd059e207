//! The timeline: one row per frame shown (after the text/field filter and the agent filter),
//! with time, glyph, type, agent and a short escaped gist; it follows the tail until the user
//! moves. Only the visible rows are built.

use super::{fit, kind_glyph, list};
use crate::core::event::Kind;
use crate::core::frame::layers::field;
use crate::core::link::Dir;
use crate::core::session::{FactKind, Pos, Session};
use crate::core::timestamp::clock;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use crate::tui::view::{call_latency, kind_name};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The time of frame `p` relative to the session's first timed frame (ms), on the session's
/// timeline clock (the producer's when every frame in carries a timestamp, else receive).
pub fn rel_time(s: &Session, p: Pos) -> Option<f64> {
    let head = s.facts.len().min(64);
    let producer = s.timeline_clock() == crate::core::session::Clock::Producer;
    let t = |i: usize| {
        let at = &s.facts.get(i)?.at;
        if producer {
            at.ts()
        } else {
            at.recv().or(at.ts())
        }
    };
    let first = (0..head).find_map(t)?;
    Some(t(p as usize)? - first)
}

/// A short description of a frame: the tool and call, else what the frame says in words
/// (the thought, the error, the answer), else the start of its text.
pub fn gist(app: &App, p: Pos, width: usize) -> String {
    let s = app.session();
    let Some(fact) = s.facts.get(p as usize) else {
        return String::new();
    };
    if let Some(c) = fact.call() {
        let call = &s.calls[c];
        let mut g = format!("{}  {}", app.name(call.tool), app.name(call.call_id));
        if fact.kind == FactKind::Event(Kind::ToolCompleted) {
            let lat = super::dur(call_latency(call.exec().as_ref(), call.done().as_ref()));
            g.push_str(&format!("  {lat} {}", call.status.as_str()));
        }
        return escape_short(&g, width);
    }
    let raw = app.raw(p);
    let raw = raw.as_deref().unwrap_or("(binary)");
    match headline(raw) {
        Some(words) => escape_short(&words, width),
        None => escape_short(raw, width),
    }
}

/// What a frame says in words, looked up like every field (payload, data, top level).
pub fn headline(raw: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    let find = |key: &str| field(&v, key).filter(|x| !x.is_null());
    let text = |x: &serde_json::Value| match x {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(o) => [
            "final_answer",
            "response",
            "final_response",
            "report",
            "content",
            "error",
            "status",
        ]
        .iter()
        .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(str::to_string)),
        _ => None,
    };
    let keys = [
        "thought",
        "reasoning",
        "error_message",
        "error",
        "content",
        "final_response",
        "report",
        "text",
        "message",
        "task_description",
        "subagent_name",
        "result",
        "results",
        "status",
    ];
    let words = keys
        .iter()
        .find_map(|k| find(k).and_then(text))
        .filter(|t| !t.trim().is_empty());
    words.or_else(|| {
        let request = find("context")?.get("user_request")?.as_str()?;
        Some(format!("context: {request}"))
    })
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.rows;
    let mut title = format!("Timeline · {}", rows.len());
    if !app.ui.filter.is_empty() {
        title.push_str(&format!(" · /{}", escape_short(app.ui.filter.source(), 30)));
    }
    if app.cursors.timeline.is_none() {
        title.push_str(" · following");
    }
    list(app, f, area, Focus::Timeline, title, rows.len(), |i, w| {
        let p = rows[i];
        let fact = &s.facts[p as usize];
        let (g, role) = kind_glyph(fact.kind);
        let time = rel_time(s, p).map_or("        —".into(), clock);
        let agent = fact
            .agent()
            .or_else(|| fact.call().and_then(|c| s.calls[c].agent))
            .map_or(String::new(), |a| app.agent_name(a).to_string());
        let dir = if fact.dir == Dir::Out { "→" } else { " " };
        let kind = kind_name(&app.sink.log, p, fact.kind, None);
        let rest = w.saturating_sub(10 + 2 + 17 + 13 + 1);
        Line::from(vec![
            Span::styled(format!("{time:>9} "), t.fg(Role::Dim)),
            Span::styled(format!("{g}{dir}"), t.fg(role)),
            Span::styled(fit(&escape_short(&kind, 16), 17), t.fg(role)),
            Span::raw(fit(&escape_short(&agent, 12), 13)),
            Span::raw(gist(app, p, rest)),
        ])
    });
}

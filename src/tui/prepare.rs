//! What `update` prepares for drawing once its sync is done, when what it depends on changed:
//! the detail pane for the selection, the rows near the timeline and Frames cursors, the
//! agent tree's rows near the agents and waterfall cursors, the Story's requests and totals
//! (kept in [`Texts`] and the view), and the Context tab's diffs. Drawing then only reads.

use super::app::{App, Focus, Selected};
use super::linkrows::Row;
use super::nav;
use super::tab::Tab;
use super::texts::Texts;
use std::hash::{DefaultHasher, Hash, Hasher};

fn hash(v: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Brings the prepared texts up to the app (nothing to do when no input changed).
pub fn prepare(app: &mut App) {
    let inputs = hash((
        app.view.version,
        &app.cursors,
        app.ui.tab,
        app.ui.size,
        app.selected,
        app.rules.version,
        app.selection_exists(),
        app.sink.log.generation(),
    ));
    super::marks::prepare(app);
    let mut texts = std::mem::take(&mut app.texts);
    if texts.stale(inputs) {
        make(app, &mut texts);
    }
    app.texts = texts;
    super::payload::prepare(app);
    if app.ui.tab == super::tab::Tab::Story {
        let checking = app.rules.is_running();
        // The first run shown: the checks and run 1 at 0, then run N on top at N.
        let first = app.cursors.story.saturating_sub(1);
        let window = (first, app.ui.size.1 as usize);
        let inputs = hash((app.view.version, app.rules.version, checking, window));
        let session = (&app.sink.log, app.view.session(&app.sink.log));
        let verdicts = (&app.rules.results[..], checking);
        let prices = &app.rules.config.thresholds.prices;
        (app.story).prepare(inputs, session, verdicts, window, prices);
    }
    if let Some(c) = app
        .against
        .as_deref_mut()
        .filter(|_| app.ui.tab == Tab::Compare)
    {
        let run = app.ui.run_filter.map(|r| r.index());
        c.prepare(&app.ui.filter, run, &app.sink.log);
    }
    if app.ui.tab == super::tab::Tab::Context {
        let turn = match app.selected {
            Selected::Turn(t) => Some(t),
            _ => None,
        };
        let (log, s) = (&app.sink.log, app.view.session(&app.sink.log));
        app.contexts.prepare(log, s, turn, app.view.version);
    }
}

fn make(app: &mut App, texts: &mut Texts) {
    let exists = app.selection_exists();
    // A frame's text is the same at every position; the rest is described from the session.
    let of = match app.selected {
        Selected::Frame(_) => hash((app.selected, exists, app.marks.version)),
        _ => hash((app.selected, exists, app.view.version, app.rules.version)),
    };
    texts.detail(of, || {
        let json = super::inspect::json(app);
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        if let Selected::Frame(p) = app.selected {
            text.insert_str(0, &super::marks::detail_head(&app.marks, p.index()));
        }
        (super::inspect::describe(app), text)
    });
    // Whatever the pane's height, its rows are within a screen of its cursor.
    let h = app.ui.size.1 as usize + 1;
    let near = |c: usize, n: usize| c.saturating_sub(h)..(c + h).min(n);
    let (rows, links, shown) = (&app.view.rows, &app.view.links, app.view.frames);
    let listed = links.len_in(rows, shown);
    // The Frames tab lists the timeline's rows: one window around each cursor.
    let window = |focus| {
        near(nav::cursor(app, focus), listed).filter_map(|i| match links.row_in(i, rows, shown) {
            Row::Frame(p) => Some(p),
            Row::Link(_) => None,
        })
    };
    let timeline: Vec<_> = window(Focus::Timeline)
        .chain(window(Focus::Frames))
        .collect();
    let (log, s) = (&app.sink.log, app.view.session(&app.sink.log));
    texts.rows(log, s, timeline.iter().copied());
    app.view.label_runs(&app.sink.log);
    let [agents, lanes] =
        [Focus::Agents, Focus::Waterfall].map(|f| near(nav::cursor(app, f), usize::MAX));
    app.view.make_tree(&app.sink.log, agents, lanes);
    let s = app.view.session(&app.sink.log);
    // Usage frames come in log order, so at any position the same number of model calls and
    // agents is the same column: it is made again only when one of them changed.
    let usage = hash((s.usage.calls(), s.agents.len()));
    let prices = &app.rules.config.thresholds.prices;
    app.costs.prepare(usage, s, &app.sink.log.interner, prices);
}

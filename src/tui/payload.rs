//! What the payload view shows for the selection, prepared by `update` when it changes: a tool
//! call's arguments and result (for the call, or for one of its frames), with the error of a
//! failed call on top; a finding's message, evidence frames and their payloads. Made once per
//! selection, width and `L`, bounded (the first screenfuls of each payload, unless loaded
//! whole), never while drawing. Also what `y` copies of it.

use super::app::{App, Selected};
use super::sheet::{self, Row, Sheet};
use super::theme::Role;
use crate::core::payload::{self as pl, Block};
use crate::core::session::{CallIx, CallStatus, Pos};
use crate::core::validate::Finding;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Lines of a payload shown before `L`, and characters of one line.
pub const FIRST_LINES: usize = 2000;
const LINE_CHARS: usize = 4000;
/// Lines of each evidence frame's payload in a finding's sheet, and the frames shown.
const EVIDENCE_LINES: usize = 200;
const EVIDENCE_FRAMES: usize = 20;
/// Terminals this wide show arguments and result side by side.
pub const SIDE_BY_SIDE: u16 = 120;

/// The payload view's state: the sheet for the selection and what it was made from.
#[derive(Debug, Default)]
pub struct Payloads {
    made_of: Option<u64>,
    /// The sheet of the selection, when it has payloads to show.
    pub sheet: Option<Sheet>,
    /// The selection `L` loaded whole.
    pub loaded: Option<Selected>,
    /// The finding an open view shows, kept while the verdicts move on.
    pub pinned: Option<Finding>,
    /// Findings wrapped for the findings pane, and the evidence marks (see `findings.rs`).
    pub findings: super::findings::Findings,
}

/// The limits: the first screenfuls, or everything.
fn limits(all: bool, lines: usize) -> (usize, usize) {
    if all {
        (usize::MAX, usize::MAX)
    } else {
        (lines, LINE_CHARS)
    }
}

/// Brings the sheet up to the selection (nothing to do when nothing it shows changed).
pub fn prepare(app: &mut App) {
    let mut state = std::mem::take(&mut app.payloads);
    super::findings::prepare(app, &mut state.findings);
    let all = state.loaded == Some(app.selected);
    let key = key(app, all);
    if state.made_of.replace(key) != Some(key) {
        state.sheet = make(app, all, state.pinned.as_ref());
    }
    app.payloads = state;
}

/// A hash of what the sheet is made from (cheap: no list is searched).
fn key(app: &App, all: bool) -> u64 {
    let mut h = DefaultHasher::new();
    (app.selected, app.selection_exists(), app.ui.size.0, all).hash(&mut h);
    app.marks.version.hash(&mut h);
    if let Some(c) = call_of(app) {
        let call = &app.session().calls[c.index()];
        (c, call.exec_pos, call.done_pos, call.status.as_str()).hash(&mut h);
    }
    if let Selected::Finding(_) = app.selected {
        (app.rules.version, app.whole.version).hash(&mut h);
    }
    h.finish()
}

/// The call the selection is, or one of whose frames it is.
pub fn call_of(app: &App) -> Option<CallIx> {
    if !app.selection_exists() {
        return None;
    }
    let s = app.session();
    match app.selected {
        Selected::Call(c) => Some(c),
        Selected::Frame(p) => s.facts.get(p.index())?.call(),
        _ => None,
    }
}

/// The finding selected: from the verdicts at the position, over the whole recording, or the
/// one an open view keeps.
pub fn finding<'a>(app: &'a App, pinned: Option<&'a Finding>) -> Option<&'a Finding> {
    let Selected::Finding(k) = app.selected else {
        return None;
    };
    let of = |r: &'a crate::core::validate::RuleResult| {
        let key = |f: &&Finding| super::verdicts::FindingKey::of(r.id, f) == k;
        r.findings.iter().find(key)
    };
    let all = app.rules.results.iter().chain(&app.whole.results);
    let found = all.filter(|r| r.id == k.rule).find_map(of);
    found.or(pinned.filter(|f| f.code.starts_with(k.rule)))
}

fn make(app: &App, all: bool, pinned: Option<&Finding>) -> Option<Sheet> {
    let width = app.ui.size.0.saturating_sub(2) as usize;
    if let Some(c) = call_of(app) {
        return Some(call_sheet(app, c, all, width));
    }
    finding(app, pinned).map(|f| super::findings::sheet(app, f, all, width))
}

/// The text of frame `p`, when it has one.
fn text(app: &App, p: Option<Pos>) -> Option<String> {
    app.raw(p?).map(|t| t.into_owned())
}

/// A tool call's sheet: title, error (or that it is open), arguments and result.
fn call_sheet(app: &App, c: CallIx, all: bool, width: usize) -> Sheet {
    let s = app.session();
    let call = &s.calls[c.index()];
    let (lines, chars) = limits(all, FIRST_LINES);
    let exec = text(app, call.exec_pos);
    let done = text(app, call.done_pos);
    let args_raw = exec.as_deref().and_then(pl::arguments);
    let result_raw = done.as_deref().and_then(pl::result);
    let args = args_raw.map(|r| pl::block(r, lines, chars));
    let result = result_raw.map(|r| pl::block(r, lines, chars));
    let mut head = Vec::new();
    let error = done.as_deref().and_then(pl::error);
    match (call.status, &error) {
        (CallStatus::Error, e) => {
            let e = e.as_deref().unwrap_or("the result reports a failure");
            sheet::wrap_text(Role::Error, &format!("✗ error: {e}"), width, &mut head);
        }
        (CallStatus::Open, _) => {
            let open = "… open: no result yet at this position";
            sheet::wrap_text(Role::Open, open, width, &mut head);
        }
        (CallStatus::Aborted, _) => {
            let cut = "⊘ aborted: the stream or its agent ended before a result";
            sheet::wrap_text(Role::Error, cut, width, &mut head);
        }
        _ => {}
    }
    let at = |p: Option<Pos>| p.map_or(String::new(), |p| format!(" · #{p}"));
    let side = app.ui.size.0 >= SIDE_BY_SIDE;
    let w = if side { (width - 1) / 2 } else { width };
    let args_title = format!("Arguments{}", at(call.exec_pos));
    let (a, cut_a) = sheet::pane(&args_title, args.as_ref(), "(none sent)", w);
    let result_title = format!("Result{}", at(call.done_pos));
    let (r, cut_r) = sheet::pane(&result_title, result.as_ref(), "(no result)", w);
    let panes = if side { vec![a, r] } else { vec![stack(a, r)] };
    let (g, _) = super::ui::call_glyph(call.status);
    let mut title = format!(
        "tool call {} {} · {} · {g} {}",
        escape(app.name(call.tool)),
        escape(app.name(call.call_id)),
        escape(
            &call
                .agent
                .map_or("—".into(), |a| app.agent_name(a).to_string())
        ),
        call.status.as_str(),
    );
    // The bookmarks and notes on the call's frames, as glyphs and words.
    for p in [call.exec_pos, call.done_pos].into_iter().flatten() {
        if let Some(label) = app.marks.label(p.index()) {
            title.push_str(&format!(" · #{p} {label}"));
        }
    }
    let copy = pair_json(app, c, args_raw, result_raw, error.as_deref());
    Sheet {
        title,
        head,
        panes,
        copy,
        cut: cut_a || cut_r,
    }
}

fn escape(s: &str) -> String {
    super::escape::escape_short(s, 40)
}

/// Two panes one under the other, a blank row between.
fn stack(mut a: Vec<Row>, b: Vec<Row>) -> Vec<Row> {
    a.push(Vec::new());
    a.extend(b);
    a
}

/// What `y` copies of a call: its names and status, and its arguments and result as sent.
fn pair_json(
    app: &App,
    c: CallIx,
    args: Option<&str>,
    result: Option<&str>,
    error: Option<&str>,
) -> String {
    let call = &app.session().calls[c.index()];
    let name = |sym| serde_json::to_string(app.name(sym)).unwrap_or_default();
    let error = serde_json::to_string(&error).unwrap_or_default();
    format!(
        "{{\n  \"tool\": {},\n  \"call_id\": {},\n  \"status\": \"{}\",\n  \"error\": {error},\n  \"arguments\": {},\n  \"result\": {}\n}}",
        name(call.tool),
        name(call.call_id),
        call.status.as_str(),
        raw_or_null(args),
        raw_or_null(result),
    )
}

/// A value's text as found in a frame (checked to be JSON), else `null`.
pub fn raw_or_null(raw: Option<&str>) -> String {
    raw.filter(|r| pl::pretty::json(r.trim(), 1, 1).is_some())
        .map_or("null".into(), |r| r.trim().to_string())
}

/// A frame's payload for a finding's evidence: a tool frame's arguments or result, else the
/// frame's whole text.
pub fn frame_block(app: &App, p: Pos, all: bool) -> Option<Block> {
    let (lines, chars) = limits(all, EVIDENCE_LINES);
    let raw = text(app, Some(p))?;
    let inner = pl::arguments(&raw).or_else(|| pl::result(&raw));
    let is_tool = call_frame(app, p);
    Some(pl::block(
        if is_tool { inner.unwrap_or(&raw) } else { &raw },
        lines,
        chars,
    ))
}

fn call_frame(app: &App, p: Pos) -> bool {
    (app.session().facts.get(p.index())).is_some_and(|f| f.call().is_some())
}

/// How many evidence frames a finding's sheet shows payloads of.
pub fn evidence_frames() -> usize {
    EVIDENCE_FRAMES
}

/// Opens the payload view over the tabs for the selection (Enter on a row); `Esc` closes it.
pub fn open(app: &mut App) {
    use super::app::{Focus, Overlay};
    if let Some(f) = finding(app, None) {
        app.payloads.pinned = Some(f.clone());
    }
    if !matches!(app.ui.overlay, Overlay::Payload(_)) {
        app.ui.overlay = Overlay::Payload(app.ui.focus);
    }
    app.ui.focus = Focus::Detail;
    app.cursors.detail = 0;
}

/// `L`: the selection's payloads loaded whole.
pub fn load_all(app: &mut App) {
    prepare(app);
    let cut = app.payloads.sheet.as_ref().is_some_and(|s| s.cut);
    app.ui.notice = Some(match cut {
        true => "loading every line of the payload".into(),
        false => "the whole payload is shown already".into(),
    });
    app.payloads.loaded = Some(app.selected);
}

/// `y`: the call's arguments and result, or the finding, or the selected item, as JSON.
pub fn copy(app: &mut App, fx: &mut Vec<super::msg::Effect>) {
    prepare(app);
    let (text, what) = match &app.payloads.sheet {
        Some(s) if call_of(app).is_some() => (s.copy.clone(), "the call's arguments and result"),
        Some(s) => (s.copy.clone(), "the finding"),
        None => {
            let json = super::inspect::json(app);
            (
                serde_json::to_string_pretty(&json).unwrap_or_default(),
                "the selected item",
            )
        }
    };
    fx.push(super::msg::Effect::Copy(text));
    app.ui.notice = Some(format!("copied {what} as JSON"));
}

//! P3 (quality.md): the TUI holding a 1,000,000-frame recording — time to the first screen, peak
//! memory against the file's size, the redraw of every tab into a 200×60 `TestBackend`, a
//! step back or forward at random positions, and the redraw with a 20 MB frame selected (bar
//! ≤ 5 ms: drawing reads what `update` prepared, never the frame). Run by hand: `cargo bench
//! --bench p3_tui` (`P3_FRAMES=…` for another size; the recording is generated once in
//! target/tmp).

#[path = "support/mod.rs"]
#[allow(dead_code)] // each bench uses part of the shared support
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use orchscope::commands::screen::Settings;
use orchscope::core::log::Keep;
use orchscope::tui::app::{App, Tab};
use orchscope::tui::keymap::Action;
use orchscope::tui::msg::Msg;
use orchscope::tui::update::{act, update};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::PathBuf;

/// Peak resident memory of this process so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Loads the recording into the replay app and draws the first screen, as `replay` does.
fn first_screen(path: &str) -> (App, f64) {
    let (secs, app) = support::time(|| {
        let loaded = orchscope::core::load::load(path, None, Keep::All).expect("load");
        let s = Settings {
            theme: Default::default(),
            keymap: Default::default(),
            config: Default::default(),
        };
        let mut app = orchscope::commands::replay::app_for(path, loaded, 1.0, None, false, s);
        update(&mut app, Msg::Resize(200, 60));
        act(&mut app, Action::End, &mut Vec::new());
        app.recompute_rules();
        let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
        term.draw(|f| orchscope::tui::ui::render(&app, f))
            .expect("draw");
        app
    });
    (app, secs)
}

fn bench(c: &mut Criterion) {
    let frames: usize = std::env::var("P3_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("p1-{frames}.bench.jsonl"));
    if !path.exists() {
        support::generate(&path, frames).expect("generate");
    }
    let size = std::fs::metadata(&path).expect("stat").len();
    let (mut app, secs) = first_screen(path.to_str().expect("utf-8 path"));
    println!(
        "P3 on {} ({frames} frames, {:.0} MB)",
        path.display(),
        size as f64 / 1e6
    );
    println!("  first screen (load, derive, rules, draw)   {secs:.2} s   (bar ≤ 2 s)");
    if let Some(peak) = peak_rss() {
        println!(
            "  peak memory holding it                      {:.0} MB = {:.2}× the file   (bar ≤ 1.5×)",
            peak as f64 / 1e6,
            peak as f64 / size as f64
        );
    }
    large_frame(c);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    for tab in Tab::ALL {
        app.ui.tab = tab;
        app.ui.focus = tab.panes()[0];
        c.bench_function(&format!("redraw {}", tab.title()), |b| {
            b.iter(|| {
                term.draw(|f| orchscope::tui::ui::render(&app, f))
                    .expect("draw");
            })
        });
    }
    app.ui.tab = Tab::Overview;
    let n = app.sink.log.frames();
    let seek = |app: &mut App, to: usize| {
        let now = app.ui.now_ms;
        if let orchscope::tui::app::Mode::Replay { clock, times, .. } = &mut app.mode {
            clock.seek(to, times, now);
        }
    };
    // Seeking to a random position and stepping back from there, as one move.
    c.bench_function("step back/forward at a random position", |b| {
        b.iter(|| {
            seek(&mut app, fastrand::usize(1..n));
            act(&mut app, Action::StepBack, &mut Vec::new());
        })
    });
    // One step from a position already shown (the seek before it is not timed).
    for (name, action) in [
        ("step back from a random position", Action::StepBack),
        ("step forward from a random position", Action::StepForward),
    ] {
        c.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    seek(&mut app, fastrand::usize(1..n - 1));
                    let _ = app.sync();
                    let start = std::time::Instant::now();
                    act(&mut app, action, &mut Vec::new());
                    total += start.elapsed();
                }
                total
            })
        });
    }
}

/// A frame of about `bytes` bytes: a result of many rows, as a tool dumping a table sends.
pub fn large_frame_text(bytes: usize) -> String {
    let mut text =
        String::from(r#"{"type":"partial_result","payload":{"agent_name":"dump","rows":["#);
    let mut i = 0;
    while text.len() < bytes {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"i":{i},"name":"row {i}","value":"{}"}}"#,
            "x".repeat(40)
        ));
        i += 1;
    }
    text.push_str("]}}");
    text
}

/// The redraw of the Frames tab with a 20 MB frame selected in the detail pane.
fn large_frame(c: &mut Criterion) {
    use orchscope::core::link::{Dir, LinkState};
    use orchscope::source::websocket::SourceMsg;
    use orchscope::tui::app::{Focus, Mode, Selected};
    let sink = orchscope::source::sink::Sink::in_memory(Keep::All);
    let mode = Mode::Live {
        url: "ws://127.0.0.1:1/ws".into(),
        link: LinkState::Connected,
        link_since_ms: 0.0,
        paused_at: None,
        sends: Default::default(),
        listens: false,
    };
    let s = Settings {
        theme: Default::default(),
        keymap: Default::default(),
        config: Default::default(),
    };
    let mut app = App::new(sink, mode, s.theme, s.keymap, s.config);
    update(&mut app, Msg::Resize(200, 60));
    let big = large_frame_text(20_000_000);
    for (i, text) in [
        r#"{"type":"agent_started","payload":{"agent_name":"dump"}}"#,
        &big,
    ]
    .into_iter()
    .enumerate()
    {
        let text = text.to_string();
        update(
            &mut app,
            Msg::Source(SourceMsg::Frame {
                t: i as f64,
                dir: Dir::In,
                text,
            }),
        );
    }
    update(&mut app, Msg::Tick(100.0));
    // The Frames tab selects the last frame: the 20 MB one, shown in the detail pane.
    let (secs, _) = support::time(|| act(&mut app, Action::Frames, &mut Vec::new()));
    assert_eq!(app.ui.focus, Focus::Frames);
    assert_eq!(
        app.selected,
        Selected::Frame(orchscope::core::session::Pos(1))
    );
    assert!(
        app.texts.detail.len() > 100_000,
        "the detail pane shows the large frame"
    );
    println!("  selecting the 20 MB frame (parse, pretty lines)  {secs:.2} s, once");
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    c.bench_function(
        "redraw Frames with a 20 MB frame selected (bar ≤ 5 ms)",
        |b| {
            b.iter(|| {
                term.draw(|f| orchscope::tui::ui::render(&app, f))
                    .expect("draw");
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);

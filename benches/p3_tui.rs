//! P3 (quality.md): the TUI holding a 1,000,000-frame recording — time to the first screen, peak
//! memory against the file's size, the redraw of every tab into a 200×60 `TestBackend`, and a
//! step back or forward at random positions. Run by hand: `cargo bench --bench p3_tui`
//! (`P3_FRAMES=…` for another size; the recording is generated once in target/tmp).

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
            app.sync();
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
                    app.sync();
                    let start = std::time::Instant::now();
                    act(&mut app, action, &mut Vec::new());
                    app.sync();
                    total += start.elapsed();
                }
                total
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

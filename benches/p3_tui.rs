//! P3: a large session loaded into the TUI; every tab redrawn into a 200×60 `TestBackend`;
//! a step back or forward at random positions. Run with `cargo bench --bench p3_tui`.

use criterion::{criterion_group, criterion_main, Criterion};
use orchscope::commands::screen::Settings;
use orchscope::core::log::Keep;
use orchscope::tui::app::{App, Tab};
use orchscope::tui::keymap::Action;
use orchscope::tui::msg::Msg;
use orchscope::tui::update::{act, update};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn big_app(copies: usize) -> App {
    let fixture = include_str!("../tests/fixtures/netra/era-a-session.jsonl");
    let mut text = String::new();
    for i in 0..copies {
        text.push_str(&fixture.replace("run_ml_01", &format!("run_ml_{i}")));
    }
    let loaded =
        orchscope::core::load::load_reader("bench", text.as_bytes(), None, Keep::All).unwrap();
    let s = Settings {
        theme: Default::default(),
        keymap: Default::default(),
        config: Default::default(),
    };
    let mut app = orchscope::commands::replay::app_for("bench", loaded, 1.0, None, false, s);
    update(&mut app, Msg::Resize(200, 60));
    act(&mut app, Action::End, &mut Vec::new());
    app.recompute_rules();
    app
}

fn bench(c: &mut Criterion) {
    let mut app = big_app(20_000);
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    for tab in Tab::ALL {
        app.ui.tab = tab;
        app.ui.focus = tab.panes()[0];
        c.bench_function(&format!("redraw {}", tab.title()), |b| {
            b.iter(|| {
                term.draw(|f| orchscope::tui::ui::render(&app, f)).unwrap();
            })
        });
    }
    app.ui.tab = Tab::Overview;
    let n = app.sink.log.frames();
    c.bench_function("step back/forward at a random position", |b| {
        b.iter(|| {
            let now = app.ui.now_ms;
            if let orchscope::tui::app::Mode::Replay { clock, times, .. } = &mut app.mode {
                clock.seek(fastrand::usize(1..n), times, now);
            }
            act(&mut app, Action::StepBack, &mut Vec::new());
            app.sync();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

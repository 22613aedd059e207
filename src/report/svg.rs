//! The waterfall as inline SVG: one row per agent or tool call, a bar from its start to its
//! end on the run's time axis (to the axis's end, marked `…`, when it never ended), the label
//! with its status glyph so colour is never the only signal.

use super::html::esc;
use super::Bar;
use std::fmt::Write as _;

const WIDTH: f64 = 1100.0;
const LABELS: f64 = 240.0;
const ROW: f64 = 18.0;
const TICKS: usize = 5;

/// Label characters drawn.
const LABEL_CHARS: usize = 32;

/// The SVG of `bars` over `span` ms.
pub fn waterfall(bars: &[Bar], span: f64) -> String {
    let plot = WIDTH - LABELS - 10.0;
    let x = |ms: f64| LABELS + (ms.clamp(0.0, span) / span) * plot;
    let height = (bars.len() as f64 + 1.0) * ROW + 6.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"waterfall\">"
    );
    for i in 0..=TICKS {
        let ms = span * i as f64 / TICKS as f64;
        let _ = write!(
            out,
            "<line class=\"tick\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"14\" y2=\"{height}\"/>\
             <text x=\"{0:.1}\" y=\"11\" text-anchor=\"{2}\">{1:.1}s</text>",
            x(ms),
            ms / 1000.0,
            if i == TICKS { "end" } else { "start" }
        );
    }
    for (n, bar) in bars.iter().enumerate() {
        let y = (n as f64 + 1.0) * ROW;
        let (start, end) = (x(bar.start), x(bar.end.unwrap_or(span)));
        let label: String = bar.label.chars().take(LABEL_CHARS).collect();
        let indent = if bar.call { 14.0 } else { 2.0 };
        let open = if bar.end.is_none() { " …" } else { "" };
        let _ = write!(
            out,
            "<g><title>{0} {1:.0}ms to {2}</title>\
             <text x=\"{indent}\" y=\"{3:.1}\">{0}{open}</text>\
             <rect class=\"{4}{5}\" x=\"{6:.1}\" y=\"{7:.1}\" width=\"{8:.1}\" height=\"12\"/></g>",
            esc(&label),
            bar.start,
            bar.end.map_or("no end".into(), |e| format!("{e:.0}ms")),
            y + 10.0,
            bar.status,
            if bar.call { " call" } else { "" },
            start,
            y + 1.0,
            (end - start).max(1.5),
        );
    }
    out.push_str("</svg>\n");
    out
}

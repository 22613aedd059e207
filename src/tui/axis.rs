//! The Waterfall's time axis as text: tick labels (`0s  5s  10s …`) at a round step chosen so
//! the labels fit the width, each at the column its time falls on. A pure function of the span
//! and the width; drawing only places the line it makes.

/// Round steps (ms) a tick may be apart.
const STEPS: [f64; 22] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4,
    3e5, 6e5, 18e5, 36e5, 72e5,
];

/// Columns kept between the starts of two labels at least.
const GAP: usize = 8;

/// A time as a tick label: `0s`, `250ms`, `1.5s`, `12s`, `2m`, `1m30s`, `2h`.
pub fn label(ms: f64) -> String {
    let ms = ms.round();
    if ms == 0.0 {
        "0s".into()
    } else if ms < 1000.0 {
        format!("{ms}ms")
    } else if ms < 60_000.0 {
        let s = ms / 1000.0;
        if s.fract() == 0.0 {
            format!("{s}s")
        } else {
            format!("{s:.1}s")
        }
    } else if ms < 3_600_000.0 {
        let (m, s) = ((ms / 60_000.0).floor(), ((ms % 60_000.0) / 1000.0).round());
        if s == 0.0 {
            format!("{m}m")
        } else {
            format!("{m}m{s}s")
        }
    } else {
        format!("{}h", (ms / 3_600_000.0 * 10.0).round() / 10.0)
    }
}

/// The axis line for `span` ms over `width` columns: each tick's label starting at its column
/// (the last ones shifted left to stay inside), spaces between.
pub fn line(span: f64, width: usize) -> String {
    let mut out: Vec<char> = vec![' '; width];
    if width == 0 {
        return String::new();
    }
    let span = span.max(1.0);
    let labels = (width / GAP).max(1) as f64;
    let step = (STEPS.iter().copied())
        .find(|s| span / s <= labels)
        .unwrap_or_else(|| (span / labels).ceil());
    let mut free = 0;
    let mut k = 0.0;
    while k * step <= span {
        let col = ((k * step / span) * width as f64).floor() as usize;
        let text: Vec<char> = label(k * step).chars().collect();
        let at = col.min(width.saturating_sub(text.len()));
        if at >= free && at + text.len() <= width {
            out[at..at + text.len()].copy_from_slice(&text);
            free = at + text.len() + 1;
        }
        k += 1.0;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_times() {
        assert_eq!(label(0.0), "0s");
        assert_eq!(label(250.0), "250ms");
        assert_eq!(label(5000.0), "5s");
        assert_eq!(label(1500.0), "1.5s");
        assert_eq!(label(120_000.0), "2m");
        assert_eq!(label(90_000.0), "1m30s");
        assert_eq!(label(7_200_000.0), "2h");
    }

    #[test]
    fn ticks_are_round_and_fit_the_width() {
        // 30 s over 60 columns: at most 7 labels, so a 5 s step.
        let l = line(30_000.0, 60);
        assert_eq!(l.chars().count(), 60);
        assert!(l.starts_with("0s        5s        10s"), "{l:?}");
        assert!(l.trim_end().ends_with("30s"), "{l:?}");
        // Wider: more ticks, a finer step.
        let wide = line(30_000.0, 180);
        assert!(wide.contains("2s") && wide.contains("28s"), "{wide:?}");
        // Narrow or empty spans still make a line of the width.
        assert_eq!(line(0.0, 10).chars().count(), 10);
        assert_eq!(line(5.0, 0), "");
        // Labels never overlap: each is followed by a space or the end.
        for w in [9, 17, 33, 80, 200] {
            let l = line(17_600.0, w);
            assert_eq!(l.chars().count(), w);
            let words: Vec<&str> = l.split_whitespace().collect();
            assert!(words.iter().all(|x| x.ends_with('s')), "{l:?}");
        }
    }
}

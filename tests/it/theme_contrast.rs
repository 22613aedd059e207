//! Every built-in theme is readable: the WCAG 2 contrast ratio of every foreground role against
//! the background it is drawn on is at least 4.5 for text and 3 for glyphs (borders), with the
//! selection and the header judged on their own backgrounds. A theme whose background is the
//! terminal's own (`reset`) is judged on the terminals it is meant for: `default` on a dark
//! one; `light` and `high-contrast` on both a dark and a light one. Named colours are judged by
//! xterm's palette (a terminal may remap them; colours given as `#rrggbb` are exact). `mono`
//! has no colours. A theme made unreadable on purpose fails the same check.

use orchscope::tui::theme::{parse, Role, Theme, BUILTIN};
use ratatui::style::Color;

/// A colour as red, green, blue.
type Rgb = (u8, u8, u8);

const DARK: (u8, u8, u8) = (0, 0, 0);
const LIGHT: (u8, u8, u8) = (255, 255, 255);

/// xterm's 256-colour palette.
fn rgb(c: Color, terminal: (u8, u8, u8)) -> (u8, u8, u8) {
    const ANSI: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let index = match c {
        Color::Reset => return terminal,
        Color::Rgb(r, g, b) => return (r, g, b),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
    };
    match index {
        0..=15 => ANSI[index as usize],
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let i = index - 16;
            (level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        _ => {
            let v = 8 + 10 * (index - 232);
            (v, v, v)
        }
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The roles drawn as glyphs (borders); every other foreground role is text.
const GLYPHS: [Role; 2] = [Role::Border, Role::BorderFocus];
/// Roles that are backgrounds, or foregrounds judged on their own background.
const OWN_BACKGROUND: [Role; 5] = [
    Role::Bg,
    Role::SelectionFg,
    Role::SelectionBg,
    Role::HeaderFg,
    Role::HeaderBg,
];

/// Every pair below its bar, as `role on background: ratio < bar`.
fn unreadable(theme: &Theme, terminal: (u8, u8, u8)) -> Vec<String> {
    let bg = rgb(theme.color(Role::Bg), terminal);
    let mut pairs: Vec<(Role, Rgb, &str, f64)> = Role::ALL
        .iter()
        .filter(|r| !OWN_BACKGROUND.contains(r))
        .map(|&r| (r, bg, "bg", if GLYPHS.contains(&r) { 3.0 } else { 4.5 }))
        .collect();
    pairs.push((
        Role::SelectionFg,
        rgb(theme.color(Role::SelectionBg), terminal),
        "selection_bg",
        4.5,
    ));
    pairs.push((
        Role::HeaderFg,
        rgb(theme.color(Role::HeaderBg), terminal),
        "header_bg",
        4.5,
    ));
    pairs
        .into_iter()
        .filter_map(|(role, on, on_name, bar)| {
            let ratio = contrast(rgb(theme.color(role), terminal), on);
            (ratio < bar).then(|| format!("{} on {on_name}: {ratio:.2} < {bar}", role.name()))
        })
        .collect()
}

#[test]
fn every_built_in_theme_is_readable_on_the_terminals_it_is_for() {
    let mut failures = Vec::new();
    for (name, _) in BUILTIN {
        let theme = Theme::builtin(name).expect("built-in theme");
        let terminals: &[(&str, (u8, u8, u8))] = match name {
            "mono" => &[],
            "default" => &[("dark", DARK)],
            _ => &[("dark", DARK), ("light", LIGHT)],
        };
        for (terminal, bg) in terminals {
            for what in unreadable(&theme, *bg) {
                failures.push(format!("{name} on a {terminal} terminal: {what}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unreadable_theme_fails_the_same_check() {
    let grey = parse(
        "extends = \"high-contrast\"\ndim = \"#303030\"\nborder = \"#101010\"\n",
        "test",
    )
    .expect("theme");
    let found = unreadable(&grey, DARK);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("dim on bg"), "{found:?}");
    // `reset` backgrounds follow the terminal: black text vanishes on a dark one.
    let reset = parse("extends = \"default\"\nfg = \"black\"\n", "test").expect("theme");
    assert!(unreadable(&reset, DARK)
        .iter()
        .any(|f| f.starts_with("fg on bg")));
    assert!(!unreadable(&reset, LIGHT)
        .iter()
        .any(|f| f.starts_with("fg on bg")));
}

#[test]
fn the_contrast_formula_matches_known_values() {
    assert!((contrast(DARK, LIGHT) - 21.0).abs() < 1e-9);
    assert!((contrast(LIGHT, LIGHT) - 1.0).abs() < 1e-9);
    // WCAG's example: #767676 on white is just above 4.5.
    let r = contrast((0x76, 0x76, 0x76), LIGHT);
    assert!(r > 4.5 && r < 4.6, "{r}");
    assert_eq!(rgb(Color::Indexed(196), DARK), (255, 0, 0));
    assert_eq!(rgb(Color::Indexed(244), DARK), (128, 128, 128));
}

//! Themes: semantic roles (event types, statuses, severities, borders, selection, inferred
//! edges…) mapped to colours, read from TOML. The four built-in themes are embedded from
//! `themes/`; a user theme may `extends` one and override a few roles. An unknown key or a bad
//! colour is one line naming the file, line and key. Owns no terminal state.

use ratatui::style::{Color, Modifier, Style};
use std::path::Path;
use std::str::FromStr;

macro_rules! roles {
    ($($v:ident $name:literal,)*) => {
        /// What a colour means.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Role { $($v,)* }
        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$v,)*];
            pub fn name(self) -> &'static str {
                match self { $(Role::$v => $name,)* }
            }
        }
    };
}

roles! {
    Fg "fg", Bg "bg", Dim "dim", Border "border", BorderFocus "border_focus", Title "title",
    SelectionFg "selection_fg", SelectionBg "selection_bg", HeaderFg "header_fg",
    HeaderBg "header_bg", Ok "ok", Error "error", Warn "warn", Open "open", Running "running",
    Skip "skip", Inferred "inferred", DirIn "dir_in", DirOut "dir_out",
    EvLifecycle "event_lifecycle", EvThinking "event_thinking", EvTool "event_tool",
    EvResult "event_result", EvError "event_error", EvMessage "event_message",
    EvOther "event_other", Mark "mark", JsonKey "json_key", JsonString "json_string",
    JsonNumber "json_number", JsonLiteral "json_literal", Mismatch "mismatch",
}

pub const BUILTIN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    colors: Vec<Color>,
    /// No colour at all: selection and emphasis by modifiers only.
    pub mono: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("default").expect("the default theme parses")
    }
}

impl Theme {
    pub fn builtin(name: &str) -> Option<Theme> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        Some(parse(text, &format!("themes/{name}.toml")).expect("built-in themes parse"))
    }

    pub fn color(&self, r: Role) -> Color {
        self.colors[r as usize]
    }

    /// Foreground of a role on the default background.
    pub fn fg(&self, r: Role) -> Style {
        Style::default().fg(self.color(r))
    }

    pub fn base(&self) -> Style {
        Style::default()
            .fg(self.color(Role::Fg))
            .bg(self.color(Role::Bg))
    }

    pub fn selection(&self) -> Style {
        if self.mono {
            return Style::default().add_modifier(Modifier::REVERSED);
        }
        Style::default()
            .fg(self.color(Role::SelectionFg))
            .bg(self.color(Role::SelectionBg))
            .add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Role::BorderFocus).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Role::Border)
        }
    }

    pub fn header(&self) -> Style {
        Style::default()
            .fg(self.color(Role::HeaderFg))
            .bg(self.color(Role::HeaderBg))
            .add_modifier(Modifier::BOLD)
    }
}

fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('=') || r.starts_with(']'))
        })
        .map_or(1, |i| i + 1)
}

/// Parses a theme; `origin` names the file in errors. `extends` may name a built-in theme.
pub fn parse(text: &str, origin: &str) -> Result<Theme, String> {
    let err = |line: usize, key: &str, msg: String| {
        format!("theme error in {origin}, line {line}: {key}: {msg}")
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        let msg = e.message().lines().next().unwrap_or("invalid").to_string();
        format!("theme error in {origin}, line {line}: {msg}")
    })?;
    let mut theme = match table.get("extends") {
        None => Theme {
            name: String::new(),
            colors: vec![Color::Reset; Role::ALL.len()],
            mono: false,
        },
        Some(toml::Value::String(base)) => Theme::builtin(base).ok_or_else(|| {
            err(
                line_of(text, "extends"),
                "extends",
                format!("no built-in theme '{base}' (default, light, high-contrast, mono)"),
            )
        })?,
        Some(_) => {
            return Err(err(
                line_of(text, "extends"),
                "extends",
                "needs a theme name".into(),
            ))
        }
    };
    let mut seen = vec![false; Role::ALL.len()];
    for (key, value) in &table {
        let line = line_of(text, key);
        match key.as_str() {
            "extends" => {}
            "name" => {
                theme.name = value.as_str().unwrap_or_default().to_string();
            }
            "mono" => {
                theme.mono = value
                    .as_bool()
                    .ok_or_else(|| err(line, key, "needs true or false".into()))?
            }
            _ => {
                let role = Role::ALL
                    .iter()
                    .find(|r| r.name() == key)
                    .ok_or_else(|| err(line, key, "unknown key".into()))?;
                let s = value.as_str().ok_or_else(|| {
                    err(
                        line,
                        key,
                        "needs a colour string such as \"red\" or \"#ff8800\"".into(),
                    )
                })?;
                let c =
                    Color::from_str(s).map_err(|_| err(line, key, format!("bad colour '{s}'")))?;
                theme.colors[*role as usize] = c;
                seen[*role as usize] = true;
            }
        }
    }
    if !table.contains_key("extends") {
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(format!(
                "theme error in {origin}: {} is missing (or add extends = \"default\")",
                Role::ALL[i].name()
            ));
        }
    }
    Ok(theme)
}

/// Resolves `--theme NAME|PATH` (or the config's `theme`): a built-in name, a file, or a theme
/// in the config dir's `themes/`.
pub fn resolve(spec: &str, config_dir: Option<&Path>) -> Result<Theme, String> {
    if let Some(t) = Theme::builtin(spec) {
        return Ok(t);
    }
    let direct = Path::new(spec);
    let path = if direct.is_file() {
        direct.to_path_buf()
    } else if let Some(p) = config_dir
        .map(|d| d.join("themes").join(format!("{spec}.toml")))
        .filter(|p| p.is_file())
    {
        p
    } else {
        return Err(format!(
            "theme '{spec}' not found (built-in: default, light, high-contrast, mono; or a path to a .toml file)"
        ));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read theme {}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_define_every_role() {
        for (name, _) in BUILTIN {
            let t = Theme::builtin(name).unwrap();
            assert_eq!(t.name, name);
        }
        assert!(Theme::builtin("mono").unwrap().mono);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse(
            "extends = \"default\"\nok = \"green\"\nokk = \"red\"\n",
            "mine.toml",
        )
        .unwrap_err();
        assert!(
            e.contains("mine.toml") && e.contains("line 3") && e.contains("okk"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        let e = parse("extends = \"default\"\nerror = \"reddish\"\n", "t.toml").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("error") && e.contains("reddish"),
            "{e}"
        );
        let e = parse("fg = \"red\"\n", "t.toml").unwrap_err();
        assert!(e.contains("missing"), "{e}");
        let t = parse("extends = \"light\"\nok = \"#00ff00\"\n", "t.toml").unwrap();
        assert_eq!(t.color(Role::Ok), Color::Rgb(0, 255, 0));
        assert_eq!(
            t.color(Role::Fg),
            Theme::builtin("light").unwrap().color(Role::Fg)
        );
        assert!(resolve("nope-theme", None).is_err());
    }
}

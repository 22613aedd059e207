//! Keys as data: every [`Action`] with its default bindings, description and the panes it works
//! in. Help and the footer are generated from the live [`Keymap`]; the config's `[keys]` table
//! replaces an action's bindings, and a key bound twice is a config error. Knows nothing of the
//! app state; `update` decides what an action does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

/// Where an action is useful (for the footer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Replay,
    Rules,
    Tools,
}

macro_rules! actions {
    ($($v:ident $name:literal [$($k:literal),*] $scope:ident $desc:literal,)*) => {
        /// Everything a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($v,)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$v,)*];

            /// The name used in the config's `[keys]` table.
            pub fn name(self) -> &'static str {
                match self { $(Action::$v => $name,)* }
            }

            pub fn defaults(self) -> &'static [&'static str] {
                match self { $(Action::$v => &[$($k),*],)* }
            }

            pub fn scope(self) -> Scope {
                match self { $(Action::$v => Scope::$scope,)* }
            }

            pub fn describe(self) -> &'static str {
                match self { $(Action::$v => $desc,)* }
            }
        }
    };
}

actions! {
    Help "help" ["?"] Global "help",
    Quit "quit" ["q", "ctrl-c"] Global "quit",
    Overview "tab_overview" ["1"] Global "overview tab",
    Waterfall "tab_waterfall" ["2"] Global "waterfall tab",
    Tools "tab_tools" ["3"] Global "tools tab",
    Context "tab_context" ["4"] Global "context tab",
    Rules "tab_rules" ["5", "v"] Global "rules tab",
    Frames "tab_frames" ["6"] Global "frames tab",
    Story "story" ["s"] Global "story view",
    FocusNext "focus_next" ["tab"] Global "next pane",
    FocusPrev "focus_prev" ["backtab"] Global "previous pane",
    Up "up" ["up", "k"] List "move up",
    Down "down" ["down", "j"] List "move down",
    PageUp "page_up" ["pageup", "ctrl-u"] List "page up",
    PageDown "page_down" ["pagedown", "ctrl-d"] List "page down",
    Select "select" ["enter"] List "select / open",
    Back "back" ["esc"] Global "back / clear filter",
    Pause "pause" ["space"] Global "pause / play",
    StepBack "step_back" ["left", ","] Replay "step back",
    StepForward "step_forward" ["right", "."] Replay "step forward",
    Slower "slower" ["-"] Replay "slower",
    Faster "faster" ["+", "="] Replay "faster",
    Start "start" ["g", "home"] Replay "start / top",
    End "end" ["G", "end"] Replay "end / follow",
    NextMark "next_mark" ["]"] Replay "next marker or failure",
    PrevMark "prev_mark" ["["] Replay "previous marker or failure",
    Filter "filter" ["/"] Global "filter",
    Compose "compose" ["i"] Global "send a message",
    Mark "mark" ["m"] Global "add a marker",
    Copy "copy" ["y"] Global "copy JSON",
    Command "command" [":"] Global "command line",
    ToggleRule "toggle_rule" ["x"] Rules "rule on/off",
    Sort "sort" ["o"] Tools "sort by next column",
    SortReverse "sort_reverse" ["O"] Tools "reverse sort",
    AgentFilter "agent_filter" ["a"] List "filter by agent",
}

/// The live bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: HashMap<String, Action>,
    keys: HashMap<Action, Vec<String>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(&[]).expect("the default keymap has no duplicates")
    }
}

impl Keymap {
    /// The defaults with some actions rebound: (action name, keys, config line).
    pub fn with_overrides(overrides: &[(String, Vec<String>, usize)]) -> Result<Keymap, KeyError> {
        let mut keys: HashMap<Action, Vec<String>> = Action::ALL
            .iter()
            .map(|a| (*a, a.defaults().iter().map(|k| k.to_string()).collect()))
            .collect();
        let mut lines: HashMap<Action, usize> = HashMap::new();
        for (name, ks, line) in overrides {
            let action = Action::ALL
                .iter()
                .find(|a| a.name() == name)
                .ok_or_else(|| KeyError {
                    line: *line,
                    key: name.clone(),
                    message: "unknown action".into(),
                })?;
            for k in ks {
                normalize(k).ok_or_else(|| KeyError {
                    line: *line,
                    key: name.clone(),
                    message: format!("unknown key '{k}'"),
                })?;
            }
            keys.insert(*action, ks.iter().filter_map(|k| normalize(k)).collect());
            lines.insert(*action, *line);
        }
        let mut by_key: HashMap<String, Action> = HashMap::new();
        for a in Action::ALL {
            for k in &keys[a] {
                if let Some(other) = by_key.insert(k.clone(), *a) {
                    let line = lines.get(a).or(lines.get(&other)).copied().unwrap_or(0);
                    return Err(KeyError {
                        line,
                        key: a.name().to_string(),
                        message: format!(
                            "key '{k}' is bound to both {} and {}",
                            other.name(),
                            a.name()
                        ),
                    });
                }
            }
        }
        Ok(Keymap { by_key, keys })
    }

    pub fn action(&self, key: &KeyEvent) -> Option<Action> {
        self.by_key.get(&key_name(key)?).copied()
    }

    pub fn keys(&self, a: Action) -> &[String] {
        self.keys.get(&a).map_or(&[], Vec::as_slice)
    }

    /// `j/down` style label of an action's keys.
    pub fn label(&self, a: Action) -> String {
        self.keys(a).join("/")
    }
}

/// A config `[keys]` problem.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyError {
    pub line: usize,
    pub key: String,
    pub message: String,
}

/// The canonical name of a key as the config spells it, or `None` when it is not one.
pub fn normalize(k: &str) -> Option<String> {
    let (ctrl, rest) = match k.strip_prefix("ctrl-") {
        Some(r) => (true, r),
        None => (false, k),
    };
    let named = [
        "tab",
        "backtab",
        "enter",
        "esc",
        "space",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "backspace",
        "delete",
    ];
    let ok = named.contains(&rest)
        || rest.chars().count() == 1
        || (rest.starts_with('f') && rest[1..].parse::<u8>().is_ok());
    ok.then(|| {
        if ctrl {
            format!("ctrl-{}", rest.to_lowercase())
        } else {
            rest.to_string()
        }
    })
}

/// The canonical name of a pressed key.
pub fn key_name(k: &KeyEvent) -> Option<String> {
    let base = match k.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => {
            return Some(format!("ctrl-{}", c.to_ascii_lowercase()))
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        KeyCode::F(n) => format!("f{n}"),
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_unique_and_named() {
        let km = Keymap::default();
        let k = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.action(&k), Some(Action::End));
        let k = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&k), Some(Action::Quit));
        assert_eq!(km.label(Action::Down), "down/j");
    }

    #[test]
    fn duplicates_and_unknowns_are_rejected() {
        let e = Keymap::with_overrides(&[("help".into(), vec!["q".into()], 7)]).unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("both"), "{e:?}");
        let e = Keymap::with_overrides(&[("hepl".into(), vec!["z".into()], 3)]).unwrap_err();
        assert_eq!(e.key, "hepl");
        assert!(Keymap::with_overrides(&[("help".into(), vec!["nokey".into()], 1)]).is_err());
        let km = Keymap::with_overrides(&[("quit".into(), vec!["Q".into()], 2)]).unwrap();
        assert_eq!(
            km.action(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.action(&KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
    }
}

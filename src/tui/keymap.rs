//! Keys as data: every [`Action`] with its default bindings, description and the panes it works
//! in. Help and the footer are generated from the live [`Keymap`]; the config's `[keys]` table
//! replaces an action's bindings, and a key bound twice is a config error. Knows nothing of the
//! app state beyond its tabs and panes; `update` decides what an action does.

use super::tab::{Focus, Tab};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

/// Where an action is useful: the footer lists an action where its scope applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere.
    Global,
    /// Every pane that moves (lists and the detail pane).
    Scroll,
    /// The list panes.
    List,
    /// Replaying a recording.
    Replay,
    /// On a live link.
    Live,
    /// One pane.
    Pane(Focus),
}

impl Scope {
    /// Whether the scope applies to pane `focus` in replay (or live).
    pub fn applies(self, focus: Focus, replay: bool) -> bool {
        match self {
            Scope::Global => true,
            Scope::Scroll => focus != Focus::Story,
            Scope::List => !matches!(focus, Focus::Detail | Focus::Story),
            Scope::Replay => replay,
            Scope::Live => !replay,
            Scope::Pane(f) => f == focus,
        }
    }
}

macro_rules! actions {
    ($($v:ident $name:literal [$($k:literal),*] $scope:expr, $footer:literal $desc:literal,)*) => {
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
                match self { $(Action::$v => $scope,)* }
            }

            /// Whether the footer lists it (where its scope applies).
            pub fn in_footer(self) -> bool {
                match self { $(Action::$v => $footer,)* }
            }

            pub fn describe(self) -> &'static str {
                match self { $(Action::$v => $desc,)* }
            }
        }
    };
}

actions! {
    Help "help" ["?"] Scope::Global, true "help",
    Quit "quit" ["q", "ctrl-c"] Scope::Global, true "quit",
    Overview "tab_overview" ["1"] Scope::Global, false "overview tab",
    Waterfall "tab_waterfall" ["2"] Scope::Global, false "waterfall tab",
    Tools "tab_tools" ["3"] Scope::Global, false "tools tab",
    Context "tab_context" ["4"] Scope::Global, false "context tab",
    Rules "tab_rules" ["5", "v"] Scope::Global, true "rules tab",
    Frames "tab_frames" ["6"] Scope::Global, false "frames tab",
    Story "story" ["s"] Scope::Global, false "story view",
    FocusNext "focus_next" ["tab"] Scope::Global, true "next pane",
    FocusPrev "focus_prev" ["backtab"] Scope::Global, false "previous pane",
    Up "up" ["up", "k"] Scope::Scroll, false "move up",
    Down "down" ["down", "j"] Scope::Scroll, true "move down",
    PageUp "page_up" ["pageup", "ctrl-u"] Scope::Scroll, false "page up",
    PageDown "page_down" ["pagedown", "ctrl-d"] Scope::Scroll, false "page down",
    Select "select" ["enter"] Scope::List, true "select / open",
    Back "back" ["esc"] Scope::Pane(Focus::Findings), true "back / clear filter",
    Pause "pause" ["space"] Scope::Global, true "pause / play",
    StepBack "step_back" ["left", ","] Scope::Global, true "step back",
    StepForward "step_forward" ["right", "."] Scope::Global, true "step forward",
    Slower "slower" ["-"] Scope::Replay, true "slower",
    Faster "faster" ["+", "="] Scope::Replay, true "faster",
    Top "top" ["g"] Scope::Scroll, false "first row",
    Bottom "bottom" ["G"] Scope::Scroll, false "last row / follow",
    Start "start" ["home"] Scope::Global, false "replay start",
    End "end" ["end"] Scope::Global, false "end (follow)",
    NextMark "next_mark" ["]"] Scope::Pane(Focus::Findings), true "next mark or failure",
    PrevMark "prev_mark" ["["] Scope::Pane(Focus::Findings), false "previous mark or failure",
    Filter "filter" ["/"] Scope::Global, true "filter",
    Compose "compose" ["i"] Scope::Live, true "send a message",
    Mark "mark" ["m"] Scope::Global, false "bookmark the frame",
    Note "note" ["n"] Scope::Global, false "note on the frame",
    Marks "marks" ["M"] Scope::Global, false "marks list",
    Copy "copy" ["y"] Scope::Pane(Focus::Detail), true "copy JSON",
    LoadAll "load_all" ["L"] Scope::Pane(Focus::Detail), true "load all of a payload",
    Command "command" [":"] Scope::Pane(Focus::Rules), true "command line",
    ToggleRule "toggle_rule" ["x"] Scope::Pane(Focus::Rules), true "rule on/off",
    Sort "sort" ["o"] Scope::Pane(Focus::Tools), true "sort by next column",
    SortReverse "sort_reverse" ["O"] Scope::Pane(Focus::Tools), true "reverse sort",
    AgentFilter "agent_filter" ["a"] Scope::List, false "filter by agent",
    RunFilter "run_filter" ["r"] Scope::Global, true "next run (all, R1, R2…)",
    ContextView "context_view" ["d"] Scope::Pane(Focus::Context), true "diff or context",
    Compare "tab_compare" ["7"] Scope::Global, false "compare tab (replay --against)",
    DifferencesOnly "differences_only" ["D"] Scope::Pane(Focus::Compare), true "only differences / all",
}

impl Action {
    /// The tab a tab key switches to.
    pub fn tab(self) -> Option<Tab> {
        Some(match self {
            Action::Overview => Tab::Overview,
            Action::Waterfall => Tab::Waterfall,
            Action::Tools => Tab::Tools,
            Action::Context => Tab::Context,
            Action::Rules => Tab::Rules,
            Action::Frames => Tab::Frames,
            Action::Story => Tab::Story,
            Action::Compare => Tab::Compare,
            _ => return None,
        })
    }

    /// The action that switches to tab `t` (what a click on its label does).
    pub fn for_tab(t: Tab) -> Action {
        (Action::ALL.iter().copied())
            .find(|a| a.tab() == Some(t))
            .unwrap_or(Action::Overview)
    }
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
        assert_eq!(km.action(&k), Some(Action::Bottom));
        let k = KeyEvent::new(KeyCode::End, KeyModifiers::NONE);
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

//! The `:` command line: `goto 03:12` (or `goto #120`, a frame), `theme NAME`, `rule
//! ID.KEY VALUE` / `rule ID on|off`, `save [--force|--append] FILE` (`save! FILE` replaces),
//! `filter QUERY`, `marks` (the bookmarks and notes), `quit`, all in one table ([`COMMANDS`]) that parsing, errors and the help
//! read. Applies to the app; reading a theme, writing a file and quitting are returned as
//! effects.

use super::app::{App, Mode};
use super::msg::Effect;
use crate::core::session::Pos;
use std::path::PathBuf;

/// `save [--force|--append] FILE`; `force` when written `save!`.
fn save(force: bool, arg: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    use crate::core::recording::Existing;
    let usage = || "save needs a file: save [--force|--append] FILE".to_string();
    let (existing, file) = match arg.split_once(' ') {
        Some(("--force", f)) => (Existing::Replace, f.trim()),
        Some(("--append", f)) => (Existing::Append, f.trim()),
        _ if arg.starts_with("--") => return Err(usage()),
        _ if force => (Existing::Replace, arg),
        _ => (Existing::Refuse, arg),
    };
    if file.is_empty() {
        return Err(usage());
    }
    fx.push(Effect::Save(PathBuf::from(file), existing));
    Ok(())
}

/// One `:` command: the names it answers to, its usage, an example for the help, and what it
/// does with its argument (the name typed is passed too: `save!` forces).
pub struct Command {
    pub names: &'static [&'static str],
    pub usage: &'static str,
    pub example: &'static str,
    run: Run,
}

type Run = fn(&mut App, &str, &str, &mut Vec<Effect>) -> Result<(), String>;

const fn command(
    names: &'static [&'static str],
    usage: &'static str,
    example: &'static str,
    run: Run,
) -> Command {
    Command {
        names,
        usage,
        example,
        run,
    }
}

/// Every command: what `:` parses, what its errors and the help list.
pub const COMMANDS: [Command; 8] = [
    command(
        &["goto", "g"],
        "goto TIME|#FRAME",
        ":goto 03:12 | :goto #120",
        |app, _, arg, _| goto(app, arg),
    ),
    command(&["theme"], "theme NAME", ":theme light", |_, _, arg, fx| {
        fx.push(Effect::LoadTheme(arg.to_string()));
        Ok(())
    }),
    command(
        &["rule", "set"],
        "rule ID.KEY VALUE",
        ":rule latency.simple_max_s 20 · :rule ID on|off",
        |app, _, arg, _| rule(app, arg),
    ),
    command(
        &["save", "w", "save!", "w!"],
        "save FILE",
        ":save FILE",
        |_, cmd, arg, fx| save(cmd.ends_with('!'), arg, fx),
    ),
    command(
        &["filter"],
        "filter Q",
        ":filter type:tool_*",
        |app, _, arg, _| {
            apply_filter(app, arg);
            Ok(())
        },
    ),
    command(&["marks"], "marks", ":marks", |app, _, _, _| {
        super::marks::open_list(app);
        Ok(())
    }),
    command(&["help", "h"], "help", ":help", |app, _, _, _| {
        app.ui.overlay = super::app::Overlay::Help;
        app.cursors.help = 0;
        Ok(())
    }),
    command(&["q", "quit"], "quit", ":quit", |_, _, _, fx| {
        fx.push(Effect::Quit);
        Ok(())
    }),
];

/// Runs one command line; an error becomes the footer's notice.
pub fn run(app: &mut App, line: &str, fx: &mut Vec<Effect>) {
    let line = line.trim();
    let (cmd, arg) = line
        .split_once(' ')
        .map_or((line, ""), |(c, a)| (c, a.trim()));
    if cmd.is_empty() {
        return;
    }
    let result = match COMMANDS.iter().find(|c| c.names.contains(&cmd)) {
        Some(c) => (c.run)(app, cmd, arg, fx),
        None => {
            let usages: Vec<&str> = COMMANDS.iter().map(|c| c.usage).collect();
            Err(format!("unknown command '{line}' ({})", usages.join(", ")))
        }
    };
    if let Err(e) = result {
        app.ui.notice = Some(e);
    }
}

/// Applies a filter query (a bad one is said in the footer and changes nothing).
pub fn apply_filter(app: &mut App, text: &str) {
    match super::filter::Filter::parse(text) {
        Ok(f) => {
            app.ui.filter = f;
            (app.cursors.timeline, app.cursors.frames, app.cursors.tools) = (None, None, 0);
        }
        Err(e) => app.ui.notice = Some(format!("filter: {e}")),
    }
}

/// While the filter is typed: the lists narrow to what it says so far (a query that does not
/// parse yet leaves them as they were and says why).
pub fn preview_filter(app: &mut App) {
    let super::app::Overlay::Filter(input) = &app.ui.overlay else {
        return;
    };
    if input.text.trim() != app.ui.filter.source() {
        let text = input.text.clone();
        apply_filter(app, &text);
    }
}

/// `mm:ss`, `mm:ss.mmm`, `h:mm:ss` or seconds, as ms.
pub fn parse_time(s: &str) -> Option<f64> {
    let mut total = 0.0;
    for part in s.split(':') {
        let v: f64 = part.parse().ok()?;
        if !v.is_finite() || v < 0.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total * 1000.0)
}

fn goto(app: &mut App, arg: &str) -> Result<(), String> {
    if let Some(n) = arg.strip_prefix('#') {
        let p: u32 = n
            .parse()
            .map_err(|_| format!("goto #{n}: not a frame number"))?;
        return goto_frame(app, Pos(p));
    }
    let ms = parse_time(arg).ok_or_else(|| format!("goto needs mm:ss or #FRAME, got '{arg}'"))?;
    let now = app.ui.now_ms;
    match &mut app.mode {
        Mode::Replay { clock, times, .. } => {
            clock.seek_time(ms, times, now);
            app.cursors.timeline = None;
            Ok(())
        }
        Mode::Live { .. } => Err("goto TIME works in replay; use goto #FRAME".into()),
    }
}

/// Moves the replay position to frame `p` (frames count from 0, as in every output) and
/// selects it; live, only selects it. A frame past the end is refused, saying how many there
/// are.
pub(crate) fn goto_frame(app: &mut App, p: Pos) -> Result<(), String> {
    let total = app.sink.log.frames();
    if p.index() >= total {
        let last = total
            .checked_sub(1)
            .map_or(String::new(), |l| format!(", the last is #{l}"));
        return Err(format!(
            "frame {p} is past the end: {}{last}",
            crate::core::plural::count(total, "frame")
        ));
    }
    let now = app.ui.now_ms;
    if let Mode::Replay { clock, times, .. } = &mut app.mode {
        clock.seek(p.index() + 1, times, now);
        clock.playing = false;
    }
    super::nav::jump_to_frame(app, p);
    Ok(())
}

fn rule(app: &mut App, arg: &str) -> Result<(), String> {
    let mut words = arg.split_whitespace();
    let (target, value) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (name, v) = match (target.contains('.'), value) {
        (false, "on") => (format!("{target}.enabled"), "true"),
        (false, "off") => (format!("{target}.enabled"), "false"),
        (true, v) if !v.is_empty() => (target.to_string(), v),
        _ => {
            return Err(
                "rule takes ID.KEY VALUE (e.g. latency.simple_max_s 20) or ID on|off".into(),
            )
        }
    };
    crate::core::validate::settings::set(&mut app.rules.config, &name, v)
        .map_err(|e| e.to_string())?;
    app.rules.invalidate();
    app.ui.notice = Some(format!("{target} {value}: recomputing rules"));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_parse() {
        assert_eq!(super::parse_time("03:12"), Some(192_000.0));
        assert_eq!(super::parse_time("1:00:00"), Some(3_600_000.0));
        assert_eq!(super::parse_time("2.5"), Some(2500.0));
        assert_eq!(super::parse_time("x"), None);
    }

    use super::*;
    use crate::core::recording::Existing;

    fn saved(force: bool, arg: &str) -> Result<Vec<Effect>, String> {
        let mut fx = Vec::new();
        save(force, arg, &mut fx).map(|()| fx)
    }

    #[test]
    fn save_refuses_unless_told_to_replace_or_append() {
        let effect = |path: &str, e| Ok(vec![Effect::Save(PathBuf::from(path), e)]);
        assert_eq!(saved(false, "a.jsonl"), effect("a.jsonl", Existing::Refuse));
        assert_eq!(saved(true, "a.jsonl"), effect("a.jsonl", Existing::Replace));
        assert_eq!(
            saved(false, "--force b c.jsonl"),
            effect("b c.jsonl", Existing::Replace)
        );
        assert_eq!(
            saved(false, "--append c.jsonl"),
            effect("c.jsonl", Existing::Append)
        );
        assert!(saved(false, "").is_err());
        assert!(saved(false, "--append").is_err());
        assert!(saved(true, "").is_err());
    }
}

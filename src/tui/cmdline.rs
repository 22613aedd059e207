//! The `:` command line: `goto 03:12` (or `goto #120`, a frame), `theme NAME`, `rule
//! ID.KEY VALUE` / `rule ID on|off`, `save [--force|--append] FILE` (`save! FILE` replaces),
//! `filter QUERY`, `quit`. Parses and applies to the app; file writing is returned as an
//! effect.

use super::app::{App, Mode};
use super::msg::Effect;
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

pub fn run(app: &mut App, line: &str, fx: &mut Vec<Effect>) {
    let line = line.trim();
    let (cmd, arg) = line
        .split_once(' ')
        .map_or((line, ""), |(c, a)| (c, a.trim()));
    let result = match cmd {
        "" => Ok(()),
        "goto" | "g" => goto(app, arg),
        "theme" => super::theme::resolve(arg, config_dir().as_deref()).map(|t| app.ui.theme = t),
        "rule" | "set" => rule(app, arg),
        "save" | "w" | "save!" | "w!" => save(cmd.ends_with('!'), arg, fx),
        "filter" => {
            super::update::apply_filter(app, arg);
            Ok(())
        }
        "q" | "quit" => {
            app.quit = true;
            fx.push(Effect::Quit);
            Ok(())
        }
        _ => Err(format!(
            "unknown command '{line}' (goto TIME|#FRAME, theme NAME, rule ID.KEY VALUE, save FILE, filter Q, quit)"
        )),
    };
    if let Err(e) = result {
        app.ui.notice = Some(e);
    }
}

fn config_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "orchscope").map(|d| d.config_dir().to_path_buf())
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
        super::nav::jump_to_frame(app, p);
        return Ok(());
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

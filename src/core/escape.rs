//! Text from the wire or a file made safe to show (quality S2): control characters and escape
//! sequences become visible text (`␛[31m`, `␇`, `\u{85}`), so nothing a producer sends is ever
//! interpreted by a terminal. The one escaping of every human-facing output — the TUI's panes,
//! `validate`/`summary`/`sessions` text, JUnit, stderr — and [`json_pretty`] for JSON, which
//! also writes C1 controls as `\u0080`…`\u009f`. Pure; owns no state.

/// Replaces every control character with a visible stand-in; newlines and tabs become `⏎` and
/// `→` only when `single_line`, otherwise they are kept (the detail pane breaks lines itself).
pub fn escape(text: &str, single_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut out, c, single_line);
    }
    out
}

/// At most `max` characters of `text`, escaped and on one line.
pub fn escape_short(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        push_char(&mut out, c, true);
    }
    out
}

fn push_char(out: &mut String, c: char, single_line: bool) {
    match c {
        '\n' if !single_line => out.push('\n'),
        '\n' => out.push('⏎'),
        '\t' if !single_line => out.push_str("    "),
        '\t' => out.push('→'),
        '\u{1b}' => out.push('␛'),
        // C0 controls map onto the Control Pictures block (U+2400 + code).
        c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('␡'),
        // C1 controls; bidirectional overrides, which could reorder what is shown; U+FFFE and
        // U+FFFF, which are not characters (nor allowed in XML).
        c if ('\u{80}'..='\u{9f}').contains(&c)
            || reorders(c)
            || c == '\u{fffe}'
            || c == '\u{ffff}' =>
        {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        c => out.push(c),
    }
}

/// The bidirectional embeddings, overrides and isolates.
fn reorders(c: char) -> bool {
    // Unicode's Bidi_Control set: embeddings and overrides, isolates, and the marks.
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// `value` as pretty JSON that a terminal shows as it is: serde_json already writes C0 controls
/// as escapes; DEL, the C1 controls (a lone U+009B is a CSI to many terminals) and the
/// bidirectional controls are written as `\uXXXX` too. Outside strings, JSON text holds only
/// ASCII, so every such character is inside a string, where the escape means the same.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    if !text.chars().any(json_escaped) {
        return Ok(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if json_escaped(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Characters [`json_pretty`] writes as escapes that serde_json leaves raw.
fn json_escaped(c: char) -> bool {
    ('\u{7f}'..='\u{9f}').contains(&c) || reorders(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_text() {
        assert_eq!(escape("\u{1b}]0;x\u{7}", true), "␛]0;x␇");
        assert_eq!(escape("\u{1b}[2J", true), "␛[2J");
        assert_eq!(escape("a\nb\tc", true), "a⏎b→c");
        assert_eq!(escape("a\nb", false), "a\nb");
        assert_eq!(escape("\u{9b}31m\u{7f}", true), "\\u{9b}31m␡");
        assert_eq!(escape("x\u{202e}y", true), "x\\u{202e}y");
        assert_eq!(escape_short("abcdef", 3), "abc…");
        assert!(!escape("\u{0}\u{1f}\u{1b}", true)
            .chars()
            .any(|c| c.is_control()));
        assert_eq!(escape("\u{fffe}", true), "\\u{fffe}");
        assert_eq!(escape("a\u{200f}b\u{61c}", true), "a\\u{200f}b\\u{61c}");
        assert_eq!(escape("café ✓ 名前", true), "café ✓ 名前");
    }

    #[test]
    fn json_has_no_raw_control_and_reads_back_the_same() {
        let hostile = "\u{1b}]0;x\u{7}\u{9b}2J\u{90}\u{7f}\u{202e}é";
        let text = json_pretty(&serde_json::json!({ "name": hostile })).unwrap_or_default();
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(text.contains("\\u009b2J"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back["name"], hostile);
        let plain = json_pretty(&serde_json::json!({ "name": "café ✓" })).unwrap_or_default();
        assert!(plain.contains("\"café ✓\""), "{plain}");
    }
}

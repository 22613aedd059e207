//! Wire text made safe to show: control characters and escape sequences become visible text
//! (`␛[31m`, `␇`, `\u{85}`), so nothing a producer sends is ever interpreted by the terminal
//! (quality S2). Pure; used by every pane that shows frame text. Owns no state.

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
        c if ('\u{80}'..='\u{9f}').contains(&c) => {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        // Bidirectional overrides could reorder what is shown.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        c => out.push(c),
    }
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
    }
}

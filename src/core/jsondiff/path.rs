//! The path of a change, as people write it: `history[2].response`, `meta["a b"]`, `$` for the
//! whole value; a path deeper than `SHOWN` segments keeps its first and last ones around a
//! count of those left out, so no path is longer than a line or two.

/// One step into a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Segments shown at each end of a deep path.
const SHOWN: usize = 16;

/// The path's text.
pub fn render(path: &[Seg]) -> String {
    if path.is_empty() {
        return "$".to_string();
    }
    let mut out = String::new();
    if path.len() > 2 * SHOWN {
        push_all(&mut out, &path[..SHOWN]);
        out.push_str(&format!("…({} levels)…", path.len() - 2 * SHOWN));
        push_all(&mut out, &path[path.len() - SHOWN..]);
    } else {
        push_all(&mut out, path);
    }
    out
}

fn push_all(out: &mut String, segs: &[Seg]) {
    for seg in segs {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) if plain(k) => {
                if !out.is_empty() && !out.ends_with('…') {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Key(k) => {
                out.push('[');
                out.push_str(&serde_json::Value::from(*k).to_string());
                out.push(']');
            }
        }
    }
}

/// A key written bare: an identifier.
fn plain(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

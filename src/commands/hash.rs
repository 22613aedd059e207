//! `orchscope hash [FILE|-]`: the RFC 8785 + SHA-256 hash of one JSON value.

use crate::cli::Fatal;
use crate::core::hash::{digest_text, format_digest};
use std::io::Read as _;

pub fn run(file: Option<&str>) -> Result<u8, Fatal> {
    let (name, text) = match file {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Fatal(format!("cannot read stdin: {e}")))?;
            ("stdin".to_string(), s)
        }
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Fatal(format!("{path}: no such file")),
                _ => Fatal(format!("{path}: cannot read: {e}")),
            })?;
            (path.to_string(), text)
        }
    };
    if text.trim().is_empty() {
        return Err(Fatal(format!("{name}: empty file")));
    }
    let digest = digest_text(&text).map_err(|e| Fatal(format!("{name}: {e}")))?;
    crate::console::out_line(&format_digest(&digest)).map_err(Fatal)?;
    Ok(0)
}

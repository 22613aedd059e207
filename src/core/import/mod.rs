//! Input formats and their detection (importers.md).

use super::carries::Carries;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Orchscope,
    Jsonl,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Orchscope, Format::Jsonl];
    pub fn name(self) -> &'static str {
        match self {
            Format::Orchscope => "orchscope",
            Format::Jsonl => "jsonl",
        }
    }
    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
    pub fn carries(self) -> Carries {
        Carries::ALL
    }
}

pub fn detect(first_lines: &[&str]) -> Option<Format> {
    let first = first_lines.first()?;
    let v: serde_json::Value = serde_json::from_str(first).ok()?;
    let obj = v.as_object()?;
    if obj.contains_key("orchscope_recording") {
        Some(Format::Orchscope)
    } else {
        Some(Format::Jsonl)
    }
}

pub struct ImportedFrame {
    pub line: usize,
    pub text: String,
}
pub struct Problem {
    pub line: usize,
    pub message: String,
}
pub struct Imported {
    pub frames: Vec<ImportedFrame>,
    pub problems: Vec<Problem>,
}
pub fn import(_format: Format, _input: &str) -> Imported {
    Imported {
        frames: Vec::new(),
        problems: Vec::new(),
    }
}

//! Opening an input: a recording, bare JSONL, or another framework's stream (detected from
//! the first lines, or named with `--format-in`), fed into a [`Log`]. Recordings and bare JSONL
//! are streamed line by line (a 400 MB file is never held whole); foreign formats go through
//! their importer. Errors a user can make come back as one plain sentence.

use super::carries::Carries;
use super::event::Kind;
use super::import::{self, Format};
use super::log::{Keep, Log};
use super::recording::Header;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// How many non-blank, non-`#` lines detection looks at.
const DETECT_LINES: usize = 5;

/// What was opened.
pub struct Loaded {
    pub log: Log,
    pub format: Format,
    pub carries: Carries,
    pub header: Option<Header>,
    /// Fields of a foreign format orchscope does not know (empty for its own formats).
    pub unknowns: Vec<import::Unknown>,
}

/// Why an input could not be opened.
#[derive(Debug)]
pub enum LoadError {
    Io {
        source: String,
        error: io::Error,
    },
    /// No byte but blanks and `#` comments.
    Empty {
        source: String,
    },
    /// No importer recognises the input.
    Unrecognized {
        source: String,
        why: &'static str,
    },
    /// The input was read as `format` (named with `--format-in`, or detected) and holds
    /// nothing of it.
    NotFormat {
        source: String,
        format: Format,
        named: bool,
    },
}

/// What detection tries, in its order (importers.md), for the message that says so.
const TRIED: &str =
    "an orchscope recording, otlp, langgraph, openai-agents, codex, claude-code and bare frames";

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { source, error } if error.kind() == io::ErrorKind::NotFound => {
                write!(f, "{source}: no such file")
            }
            LoadError::Io { source, error } => write!(f, "{source}: cannot read: {error}"),
            LoadError::Empty { source } => write!(f, "{source}: empty file"),
            LoadError::Unrecognized { source, why } => write!(
                f,
                "{source}: no importer recognises this input ({why}; tried {TRIED}); name the format with --format-in"
            ),
            LoadError::NotFormat {
                source,
                format,
                named: true,
            } => write!(
                f,
                "{source}: not {} input (--format-in {}): nothing in it could be read as that format",
                format.name(),
                format.name()
            ),
            LoadError::NotFormat {
                source, format, ..
            } => write!(
                f,
                "{source}: looked like {} input, but nothing in it could be read as that format; name the format with --format-in",
                format.name()
            ),
        }
    }
}

/// Opens a file (or `-` for stdin) into a finished log.
pub fn load(source: &str, format_in: Option<Format>, keep: Keep) -> Result<Loaded, LoadError> {
    let io_err = |error| LoadError::Io {
        source: source.to_string(),
        error,
    };
    if source == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map_err(io_err)?;
        return load_reader(source, &bytes[..], format_in, keep);
    }
    let path = Path::new(source);
    if path.is_dir() {
        return Err(io_err(io::Error::other("is a directory")));
    }
    let file = File::open(path).map_err(io_err)?;
    let mut log = Log::new(keep);
    // Frames read verbatim from the file keep their text there, not in memory.
    if let Ok(backing) = file.try_clone() {
        log.back_with(backing);
    }
    load_into(
        source,
        Some(path),
        BufReader::with_capacity(256 << 10, file),
        format_in,
        log,
    )
}

/// Reads any buffered input into a finished log.
pub fn load_reader<R: BufRead + Send>(
    source: &str,
    r: R,
    format_in: Option<Format>,
    keep: Keep,
) -> Result<Loaded, LoadError> {
    load_into(source, None, r, format_in, Log::new(keep))
}

fn load_into<R: BufRead + Send>(
    source: &str,
    path: Option<&Path>,
    mut r: R,
    format_in: Option<Format>,
    mut log: Log,
) -> Result<Loaded, LoadError> {
    let io_err = |error| LoadError::Io {
        source: source.to_string(),
        error,
    };
    // Detection needs the first lines; keep what was read and chain it back in front.
    let (head, lines, at_end) = first_lines(&mut r).map_err(io_err)?;
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    if refs.is_empty() && at_end {
        // Nothing at all, or only blank and `#` lines.
        return Err(LoadError::Empty {
            source: source.to_string(),
        });
    }
    let format = match format_in {
        Some(f) => f,
        None if refs.is_empty() => Format::Jsonl,
        None => import::detect(&refs).ok_or_else(|| LoadError::Unrecognized {
            source: source.to_string(),
            why: "the first line is not a JSON object",
        })?,
    };
    let not_format = || LoadError::NotFormat {
        source: source.to_string(),
        format,
        named: format_in.is_some(),
    };
    let chained = io::Cursor::new(head).chain(r);
    let mut unknowns = Vec::new();
    let header = match format {
        Format::Orchscope | Format::Jsonl => {
            read_recording(BufReader::new(chained), &mut log).map_err(io_err)?
        }
        foreign => {
            let imported = import_foreign(foreign, path, chained, &mut log).map_err(io_err)?;
            if imported.frames.is_empty() && imported.streamed == 0 {
                return Err(not_format());
            }
            unknowns = push_imported(&mut log, imported);
            None
        }
    };
    log.finish();
    if header.is_none() && matches!(format, Format::Orchscope | Format::Jsonl) {
        // Bare lines: at least one must be a frame orchscope knows, or nothing was read.
        let s = log.session();
        let known = s.events - s.kind_counts.get(&Kind::Other).copied().unwrap_or(0);
        if known == 0 {
            return Err(match format_in {
                Some(_) => not_format(),
                None => LoadError::Unrecognized {
                    source: source.to_string(),
                    why: "no line is a frame of a known event type",
                },
            });
        }
    }
    // Frames imported live (a followed file, a WebSocket read as another format) are judged
    // as the format they came from, as they were while live.
    let from = (matches!(format, Format::Orchscope | Format::Jsonl))
        .then(|| refs.iter().find_map(|l| recorded_from(l)))
        .flatten();
    Ok(Loaded {
        log,
        format,
        carries: from.unwrap_or(format).carries(),
        header,
        unknowns,
    })
}

/// The foreign format a recorded (or bare) native frame was imported from, if it was.
fn recorded_from(line: &str) -> Option<Format> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let frame = v.get("frame").unwrap_or(&v);
    let name = frame
        .get("payload")?
        .get("foreign")?
        .get("format")?
        .as_str()?;
    Format::from_name(name)
}

/// The first lines detection looks at (non-blank, not `#`), the bytes read for them, and
/// whether the input ended there. A line longer than any line read is not looked at (nor
/// held whole).
fn first_lines(r: &mut impl BufRead) -> io::Result<(Vec<u8>, Vec<String>, bool)> {
    let mut head = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let cap = super::recording::DEFAULT_MAX_LINE as u64 + 1;
    let mut at_end = false;
    while lines.len() < DETECT_LINES {
        let start = head.len();
        let n = r.take(cap).read_until(b'\n', &mut head)?;
        at_end = n == 0;
        if n == 0 || (n as u64 == cap && head.last() != Some(&b'\n')) {
            break;
        }
        let line = String::from_utf8_lossy(&head[start..]).trim().to_string();
        if !line.is_empty() && !line.starts_with('#') {
            lines.push(line);
        }
    }
    Ok((head, lines, at_end))
}

mod foreign;
use foreign::{import_foreign, push_imported};
pub(crate) mod ordered;
mod pipeline;
use pipeline::read_recording;

#[cfg(test)]
mod tests {
    use super::pipeline::BATCH;
    use super::*;
    use crate::core::link::Dir;
    use crate::core::session::{Pos, StreamIssue};

    fn duplicates(text: &str) -> Vec<Pos> {
        let loaded = load_reader("test", text.as_bytes(), None, Keep::Summary).expect("load");
        loaded
            .log
            .session()
            .stream
            .iter()
            .filter_map(|i| match i {
                StreamIssue::Duplicate { pos } => Some(*pos),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn duplicates_are_found_within_and_across_batches() {
        let mut lines: Vec<String> = (0..BATCH + 10)
            .map(|i| format!(r#"{{"type":"ping","payload":{{"n":{i}}}}}"#))
            .collect();
        // Within a batch, and straddling the first batch boundary.
        lines[11] = lines[10].clone();
        lines[BATCH] = lines[BATCH - 1].clone();
        assert_eq!(
            duplicates(&(lines.join("\n") + "\n")),
            vec![Pos(11), Pos::new(BATCH)]
        );
    }

    #[test]
    fn the_headless_pipeline_derives_what_the_log_derives() {
        let mut text = String::new();
        for run in 0..300 {
            text.push_str(&format!(
                "{{\"type\":\"agent_started\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"context\":{{\"user_request\":\"q\\u00e9{run}\"}}}}}}\n\
                 {{\"type\":\"tool_executing\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
                 not json {run}\n\
                 {{\"type\":\"tool_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
                 {{\"type\":\"agent_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\"}}}}\n"
            ));
        }
        let piped = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
        let mut direct = Log::new(Keep::Summary);
        for line in text.lines() {
            direct.push_frame(None, Dir::In, line);
        }
        direct.finish();
        let a = crate::core::summary::build(
            piped.log.session(),
            &piped.log.interner,
            "x",
            Format::Jsonl,
        );
        let b = crate::core::summary::build(direct.session(), &direct.interner, "x", Format::Jsonl);
        assert_eq!(
            serde_json::to_string(&a).ok(),
            serde_json::to_string(&b).ok()
        );
        assert_eq!(piped.log.session().stream.len(), 300);
        assert_eq!(piped.log.session().calls.len(), 300);
    }

    #[test]
    fn an_import_that_starts_over_leaves_the_log_as_one_read_would() {
        // A CLI 1.0 transcript's side chains show only on the way: the import hands on frames
        // (over a sink batch's worth: the session's own lines first, many times), takes them
        // back and reads the file again.
        let v1 = include_str!(concat!(
            "../../tests/fixtures/corpus/claude-code/disk-v1-cli/projects/-home-dev-project/",
            "88888888-8888-4888-8888-888888888888.jsonl"
        ));
        let own: String = (v1.lines())
            .filter(|l| !l.contains("\"isSidechain\":true"))
            .map(|l| format!("{l}\n"))
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir
            .path()
            .join("88888888-8888-4888-8888-888888888888.jsonl");
        std::fs::write(&path, own.repeat(60) + v1).expect("write");
        let name = path.to_str().expect("a UTF-8 path");
        let loaded = load(name, None, Keep::All).expect("load");
        let imported = import::import_source(
            Format::ClaudeCode,
            Some(&path),
            || std::fs::read(&path),
            None,
        )
        .expect("import");
        let mut direct = Log::new(Keep::All);
        push_imported(&mut direct, imported);
        direct.finish();
        assert!(direct.frames() > 1024, "{}", direct.frames());
        assert_eq!(loaded.log.frames(), direct.frames());
        let summary = |log: &Log| {
            let s =
                crate::core::summary::build(log.session(), &log.interner, "x", Format::ClaudeCode);
            serde_json::to_string(&s).ok()
        };
        assert_eq!(summary(&loaded.log), summary(&direct));
        let issues = |log: &Log| format!("{:?}", log.session().stream);
        assert_eq!(issues(&loaded.log), issues(&direct));
    }

    #[test]
    fn an_overlong_first_line_is_skipped_not_held_for_detection() {
        let long = "x".repeat(crate::core::recording::DEFAULT_MAX_LINE + 10);
        let text = format!("{long}\n{{\"type\":\"ping\"}}\n");
        let loaded = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
        assert_eq!(loaded.format, Format::Jsonl);
        assert_eq!(loaded.log.frames(), 1);
        assert!(matches!(
            loaded.log.session().stream.first(),
            Some(StreamIssue::BadLine { line: 1, .. })
        ));
    }

    #[test]
    fn frames_split_by_layout_are_still_checked() {
        let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let text = format!(
            "{{\"orchscope_recording\":1}}\n\
             {{\"t\":0.1,\"dir\":\"in\",\"frame\":{{\"type\":\"ping\"}}}}\n\
             {{\"t\":0.2,\"dir\":\"in\",\"frame\":{{\"type\":\"a\u{0}b\"}}}}\n\
             {{\"t\":0.3,\"dir\":\"in\",\"frame\":{{\"type\":\"x\",\"d\":{deep}}}}}\n\
             {{\"t\":0.4,\"dir\":\"out\",\"frame\":{{\"type\":\"user_message\"}}}}\n"
        );
        let loaded = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
        let s = loaded.log.session();
        assert_eq!(
            loaded.log.frames(),
            3,
            "the line with a raw NUL is not a frame"
        );
        assert!(
            s.stream
                .iter()
                .any(|i| matches!(i, StreamIssue::BadLine { line: 3, .. })),
            "{:?}",
            s.stream
        );
        assert!(
            s.stream
                .iter()
                .any(|i| matches!(i, StreamIssue::UnknownType { pos: Pos(1), .. })),
            "{:?}",
            s.stream
        );
        assert_eq!(s.messages.len(), 1);
        assert_eq!(s.facts[2].dir, Dir::Out);
        assert_eq!(s.facts[2].at.recv(), Some(400.0));
    }
}

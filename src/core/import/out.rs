//! What one importer produces as it reads: native frames (each keeping its source record),
//! markers, problems, and the fields it did not know; and the ways to close what a stream left
//! open.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// A source record a frame keeps: its JSON text.
pub(crate) trait Record {
    fn json(&self) -> Cow<'_, str>;
}

impl Record for Value {
    fn json(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// A note in place of a record kept with another frame.
impl Record for str {
    fn json(&self) -> Cow<'_, str> {
        Cow::Owned(Value::from(self).to_string())
    }
}

/// A record's JSON text as written, cut from the input by a reader that checked it.
pub(crate) struct AsWritten<'a>(pub(crate) &'a str);

impl Record for AsWritten<'_> {
    fn json(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }
}

use super::payload::{push_str, Payload};
use super::sink::{Emitted, Sink};
use super::{Dir, Format, Imported, ImportedFrame, ImportedMark, Problem, Unknown};

/// Collects frames and problems for one importer.
pub(crate) struct Out {
    format: Format,
    imported: Imported,
    /// Where frames go instead of `imported`, when they are handed on as they are made.
    sink: Option<Sink>,
    /// The file the records being read come from, when it is not the one opened.
    file: Option<String>,
    /// Unknown fields: count and first line, by name.
    unknown: std::collections::HashMap<String, (usize, usize)>,
}

impl Out {
    pub(crate) fn new(format: Format) -> Out {
        Out {
            format,
            imported: Imported::default(),
            sink: None,
            file: None,
            unknown: std::collections::HashMap::new(),
        }
    }

    /// The format being imported.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Counts a field orchscope does not know.
    pub(crate) fn unknown(&mut self, line: usize, field: String) {
        self.unknown_times(line, field, 1);
    }

    /// Counts a field orchscope does not know `times` times, the first at `line`.
    fn unknown_times(&mut self, line: usize, field: String, times: usize) {
        let field = match &self.file {
            Some(file) => format!("{field} ({file})"),
            None => field,
        };
        self.unknown.entry(field).or_insert((0, line)).0 += times;
    }

    /// Counts the unknown fields `other` counted (records read after the ones counted so far,
    /// on another thread).
    pub(crate) fn count_unknowns_of(&mut self, other: Out) {
        for (field, (times, line)) in other.unknown {
            self.unknown_times(line, field, times);
        }
    }

    /// The frames, markers and problems `other` collected (made after the ones so far, on another
    /// thread), handed on or kept as this one's own are.
    pub(crate) fn take_frames_of(&mut self, other: Out) {
        let Imported {
            frames,
            marks,
            problems,
            ..
        } = other.imported;
        let mut marks = marks.into_iter().peekable();
        for (i, frame) in frames.into_iter().enumerate() {
            while let Some(mark) = marks.next_if(|m| m.before <= i) {
                self.mark(mark.text);
            }
            self.push_frame(frame);
        }
        for mark in marks {
            self.mark(mark.text);
        }
        self.imported.problems.extend(problems);
    }

    /// Records read from now on come from `file` (`None`: the file opened).
    pub(crate) fn set_file(&mut self, file: Option<String>) {
        self.file = file;
    }

    /// Frames and markers go to `sink` from now on (`None`: into the result).
    pub(crate) fn sink_to(&mut self, sink: Option<Sink>) {
        self.sink = sink;
    }

    /// A marker before the next frame.
    pub(crate) fn mark(&mut self, text: String) {
        match &mut self.sink {
            Some(sink) => sink.push(Emitted::Mark(text)),
            None => {
                let before = self.imported.frames.len();
                self.imported.marks.push(ImportedMark { before, text });
            }
        }
    }

    /// Emits one native frame in the `in` direction (see [`Out::emit_dir`]).
    pub(crate) fn emit(
        &mut self,
        line: usize,
        kind: &str,
        timestamp: Option<Value>,
        payload: Value,
        record: &(impl Record + ?Sized),
    ) {
        self.emit_dir(line, Dir::In, kind, timestamp, payload, record);
    }

    /// Emits one native frame. `payload` must be a JSON object (anything else is wrapped);
    /// its null fields are dropped; `foreign` is added with the source `record`.
    pub(crate) fn emit_dir(
        &mut self,
        line: usize,
        dir: Dir,
        kind: &str,
        timestamp: Option<Value>,
        payload: Value,
        record: &(impl Record + ?Sized),
    ) {
        let mut payload = match payload {
            Value::Object(m) => m,
            other => Map::from_iter([("value".to_string(), other)]),
        };
        payload.retain(|_, v| !v.is_null());
        let payload = Value::Object(payload);
        self.push_text(
            line,
            (dir, kind, timestamp),
            (&record.json(), 512),
            |text| {
                let _ = write!(text, "{payload}");
            },
        );
    }

    /// Emits one native frame in the `in` direction from a payload written as text (see
    /// [`Payload`]); `foreign` is added with the source `record`.
    pub(crate) fn emit_payload(
        &mut self,
        line: usize,
        kind: &str,
        timestamp: Option<Value>,
        payload: &mut Payload,
        record: &(impl Record + ?Sized),
    ) {
        let record = record.json();
        let room = payload.len_hint() + 256;
        self.push_text(line, (Dir::In, kind, timestamp), (&record, room), |text| {
            payload.write(text)
        });
    }

    /// A frame's text, written by hand around the payload (`fields` writes it, a JSON object),
    /// so the source record is written once, straight from its text (never cloned into the
    /// frame first); `room`: about how long the rest of the frame is.
    fn push_text(
        &mut self,
        line: usize,
        (dir, kind, timestamp): (Dir, &str, Option<Value>),
        (record, room): (&str, usize),
        fields: impl FnOnce(&mut String),
    ) {
        let mut text = String::with_capacity(record.len() + room);
        text.push_str("{\"type\":");
        push_str(&mut text, kind);
        if let Some(ts) = timestamp.filter(|t| !t.is_null()) {
            let _ = write!(text, ",\"timestamp\":{ts}");
        }
        text.push_str(",\"payload\":");
        fields(&mut text);
        // The object stays open for `foreign`.
        text.pop();
        let fields_end = text.len();
        if !text.ends_with('{') {
            text.push(',');
        }
        text.push_str("\"foreign\":{\"format\":");
        push_str(&mut text, self.format.name());
        if let Some(file) = &self.file {
            text.push_str(",\"file\":");
            push_str(&mut text, file);
        }
        let _ = write!(text, ",\"line\":{line},\"record\":");
        text.push_str(record);
        text.push_str("}}}");
        self.push_frame(ImportedFrame {
            line,
            dir,
            text,
            fields_end,
        });
    }

    /// A frame handed on, or kept.
    fn push_frame(&mut self, frame: ImportedFrame) {
        match &mut self.sink {
            Some(sink) => {
                self.imported.streamed += 1;
                sink.push(Emitted::Frame(frame));
            }
            None => self.imported.frames.push(frame),
        }
    }

    /// Closes a tool call the stream left open as `aborted` (on `base`, its agent's payload
    /// fields) and reports it.
    pub(crate) fn abort_tool(
        &mut self,
        line: usize,
        mut base: Map<String, Value>,
        tool: &str,
        call_id: &str,
        why: &str,
    ) {
        base.insert("tool_name".into(), Value::from(tool));
        base.insert("tool_call_id".into(), Value::from(call_id));
        base.insert("status".into(), Value::from("aborted"));
        base.insert("error".into(), Value::from(why));
        self.emit(
            line,
            "tool_completed",
            None,
            Value::Object(base),
            &Value::Null,
        );
        self.problem(
            line,
            format!("tool {tool} ({call_id}) was still open when {why}; closed as aborted"),
        );
    }

    pub(crate) fn problem(&mut self, line: usize, message: impl Into<String>) {
        let message = match &self.file {
            Some(file) => format!("{file}: {}", message.into()),
            None => message.into(),
        };
        self.imported.problems.push(Problem { line, message });
    }

    /// What was made since the last drain (frames, markers placed among them, problems), taken
    /// out: a stream's importer hands it on as it reads.
    pub(crate) fn drain(&mut self) -> Imported {
        Imported {
            frames: std::mem::take(&mut self.imported.frames),
            marks: std::mem::take(&mut self.imported.marks),
            problems: std::mem::take(&mut self.imported.problems),
            ..Imported::default()
        }
    }

    pub(crate) fn finish(mut self) -> Imported {
        if let Some(sink) = &mut self.sink {
            sink.flush();
        }
        self.imported.unknown = sorted(self.unknown);
        self.imported
    }

    /// Everything handed on or collected taken back (an import starting over; a sink is told
    /// to drop what it was given): the collector to start again with, on the same sink.
    pub(crate) fn restart(mut self) -> Out {
        let mut fresh = Out::new(self.format);
        if let Some(mut sink) = self.sink.take() {
            sink.restart();
            fresh.sink = Some(sink);
        }
        fresh
    }

    /// What `later` made, after the problems and unknown fields collected here first (reading
    /// the records `later` turned into frames), as one collector would have them.
    pub(crate) fn before(self, later: Imported) -> Imported {
        let mut unknown = self.unknown;
        for u in later.unknown {
            unknown.entry(u.field).or_insert((0, u.first_line)).0 += u.count;
        }
        let mut problems = self.imported.problems;
        problems.extend(later.problems);
        Imported {
            problems,
            unknown: sorted(unknown),
            ..later
        }
    }
}

/// Unknown fields, most frequent first.
fn sorted(unknown: std::collections::HashMap<String, (usize, usize)>) -> Vec<Unknown> {
    let mut unknown: Vec<Unknown> = unknown
        .into_iter()
        .map(|(field, (count, first_line))| Unknown {
            field,
            count,
            first_line,
        })
        .collect();
    unknown.sort_by(|a, b| b.count.cmp(&a.count).then(a.field.cmp(&b.field)));
    unknown
}

#[cfg(test)]
mod tests {
    use crate::core::frame::decode;
    use crate::core::import::{import, Format};
    use crate::core::intern::Interner;

    #[test]
    fn a_frame_decodes_as_its_head_does() {
        let otlp =
            include_str!("../../../tests/fixtures/corpus/otlp-genai/agents-handoff/trace.jsonl");
        let claude = include_str!(
            "../../../tests/fixtures/corpus/claude-code/disk-multi-prompt/projects/-home-dev-project/33333333-3333-4333-8333-333333333333.jsonl"
        );
        let mut interner = Interner::default();
        let mut head = String::new();
        for (format, text) in [(Format::Otlp, otlp), (Format::ClaudeCode, claude)] {
            let frames = import(format, text).frames;
            assert!(frames.len() > 3, "{format:?}");
            for f in frames {
                let whole = decode(&f.text, &mut interner);
                let short = f.head(&mut head).map(|h| decode(h, &mut interner));
                assert_eq!(short, Some(whole), "{}", f.text);
            }
        }
    }
}

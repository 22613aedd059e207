//! A Claude Code session file read as it is parsed: its records go into the session as each
//! batch comes back from the parsing threads, so making frames overlaps parsing and the
//! records are never all held. The sub-agents' files are read first. A transcript whose layout
//! needs the whole file first — a sub-agent file that only a result in the session's file links
//! (older CLI), or side chains inside the session's file (CLI 1.0) — is read whole instead:
//! when a side chain shows up only on the way, what was handed on is taken back and the file
//! read again.

use std::path::Path;

use super::super::peek::{each_wanted, Rec};
use super::super::{s, Format, Imported, Out};
use super::keep::KEEP;
use super::merge::Merge;
use super::transcript::{self, Companion};
use super::{wanted, Stream};

/// Where the records read so far went.
enum Reader {
    /// No record yet: the first says which format this is.
    Undecided(Out),
    StreamJson(Stream),
    /// A transcript merged as it comes.
    Merging(Merge),
    /// A transcript whose records are all needed first.
    Whole {
        out: Out,
        records: Vec<(usize, Rec)>,
        companions: Vec<Companion>,
    },
    /// A side chain showed the transcript must be read whole: what was handed on is taken back.
    Again(Out),
}

/// Imports the session file at `path` into `out`, a record at a time; `Err` when it must be
/// read whole after all, with the collector to do it with (everything handed on taken back).
pub(super) fn read(path: &Path, out: Out) -> Result<Imported, Box<Out>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return Ok(cannot_read(out, e)),
    };
    let mut reading = Out::new(Format::ClaudeCode);
    let mut side = Out::new(Format::ClaudeCode);
    let mut reader = Reader::Undecided(out);
    let read = each_wanted(
        file,
        &mut reading,
        (wanted, KEEP),
        super::super::unknowns::claude_code_line,
        |line, rec, spent| reader.push(line, rec, path, (&mut side, spent)),
    );
    let cut = match read {
        Ok(cut) => cut,
        Err(e) => return Ok(reading.before(cannot_read(reader.into_out().restart(), e))),
    };
    let later = match reader {
        Reader::Undecided(out) => Stream::new(out).close(cut),
        Reader::StreamJson(st) => st.close(cut),
        Reader::Merging(merge) => merge.finish(cut),
        Reader::Whole {
            out,
            records,
            companions,
        } => transcript::import(out, records, companions, cut),
        Reader::Again(out) => return Err(Box::new(out)),
    };
    Ok(reading.before(side.before(later)))
}

/// The file could not be read.
pub(super) fn cannot_read(mut out: Out, e: std::io::Error) -> Imported {
    out.problem(0, format!("cannot read: {e}"));
    out.finish()
}

impl Reader {
    /// One record of the session's file; `false` once the file must be read again whole.
    /// Records done with go to `spent`.
    fn push(
        &mut self,
        line: usize,
        rec: Rec,
        path: &Path,
        (side, spent): (&mut Out, &mut Vec<Rec>),
    ) -> bool {
        if let Reader::Undecided(out) = self {
            let out = std::mem::replace(out, Out::new(Format::ClaudeCode));
            *self = Reader::first(out, &rec, path, side);
        }
        match self {
            Reader::Undecided(_) | Reader::Again(_) => false,
            Reader::StreamJson(st) => {
                st.push(line, rec);
                true
            }
            Reader::Merging(_) if transcript::in_side_chain(&rec) => {
                let Reader::Merging(merge) = std::mem::replace(self, Reader::placeholder()) else {
                    return false;
                };
                *self = Reader::Again(merge.into_out().restart());
                false
            }
            Reader::Merging(merge) => {
                merge.push(line, rec, spent);
                true
            }
            Reader::Whole { records, .. } => {
                records.push((line, rec));
                true
            }
        }
    }

    /// How the file is read, as its first record says: stream-json, or a transcript (its
    /// sub-agents' files read now, into `side`) merged as it comes or read whole.
    fn first(out: Out, rec: &Rec, path: &Path, side: &mut Out) -> Reader {
        if !transcript::is_transcript(rec) {
            return Reader::StreamJson(Stream::new(out));
        }
        // The first record is a transcript line with a `sessionId` (`is_transcript`: a
        // `summary` record is never wanted), the one the whole file's `session_id` finds.
        let session = s(rec, &["sessionId"]).unwrap_or_default();
        let companions = transcript::companions(path, Some(session), side);
        if transcript::can_stream(&companions) {
            Reader::Merging(transcript::streaming(out, session, companions))
        } else {
            Reader::Whole {
                out,
                records: Vec::new(),
                companions,
            }
        }
    }

    fn placeholder() -> Reader {
        Reader::Undecided(Out::new(Format::ClaudeCode))
    }

    /// The collector the records went to.
    fn into_out(self) -> Out {
        match self {
            Reader::Undecided(out) | Reader::Again(out) | Reader::Whole { out, .. } => out,
            Reader::StreamJson(mut st) => std::mem::replace(st.out(), Out::new(Format::ClaudeCode)),
            Reader::Merging(merge) => merge.into_out(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::import::{import_source, Emitted, Format, Imported, Sink};
    use std::path::{Path, PathBuf};

    const CORPUS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/corpus/claude-code"
    );

    fn session(case: &str, id: &str) -> PathBuf {
        Path::new(CORPUS)
            .join(case)
            .join("projects/-home-dev-project")
            .join(format!("{id}.jsonl"))
    }

    /// Everything an import handed to a sink, in order, and what it returned.
    fn through_sink(path: &Path) -> (Vec<Emitted>, Imported) {
        let (sink, made) = Sink::channel();
        std::thread::scope(|scope| {
            let import = scope.spawn(|| {
                import_source(
                    Format::ClaudeCode,
                    Some(path),
                    || std::fs::read(path),
                    Some(sink),
                )
            });
            let emitted: Vec<Emitted> = made.into_iter().flatten().collect();
            let imported = import.join().expect("no panic").expect("read");
            (emitted, imported)
        })
    }

    /// The frames' texts a sink was left with: those after the last restart.
    fn kept(emitted: &[Emitted]) -> Vec<&str> {
        let from = emitted
            .iter()
            .rposition(|e| matches!(e, Emitted::Restart))
            .map_or(0, |k| k + 1);
        (emitted[from..].iter())
            .filter_map(|e| match e {
                Emitted::Frame(f) => Some(f.text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn collected(path: &Path) -> Imported {
        import_source(Format::ClaudeCode, Some(path), || std::fs::read(path), None).expect("read")
    }

    #[test]
    fn a_transcript_with_linked_sub_agents_is_read_once_as_it_comes() {
        let path = session("disk-subagents", "11111111-1111-4111-8111-111111111111");
        let (emitted, imported) = through_sink(&path);
        assert!(!emitted.iter().any(|e| matches!(e, Emitted::Restart)));
        let whole = collected(&path);
        let texts: Vec<&str> = whole.frames.iter().map(|f| f.text.as_str()).collect();
        assert!(texts.len() > 10, "{}", texts.len());
        assert_eq!(kept(&emitted), texts);
        assert_eq!(imported.problems, whole.problems);
    }

    #[test]
    fn a_side_chain_on_the_way_takes_back_what_was_handed_on_and_reads_again() {
        let path = session("disk-v1-cli", "88888888-8888-4888-8888-888888888888");
        let (emitted, imported) = through_sink(&path);
        let restarts = emitted
            .iter()
            .filter(|e| matches!(e, Emitted::Restart))
            .count();
        assert_eq!(restarts, 1);
        let whole = collected(&path);
        let texts: Vec<&str> = whole.frames.iter().map(|f| f.text.as_str()).collect();
        assert!(texts.len() > 10, "{}", texts.len());
        assert_eq!(kept(&emitted), texts);
        assert_eq!(imported.problems, whole.problems);
        assert_eq!(imported.unknown, whole.unknown);
    }
}

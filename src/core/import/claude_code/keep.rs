//! Which top-level fields of a Claude Code line the importer reads: a record keeps only those
//! (the rest of a line, mostly bookkeeping, is skipped unbuilt), so every field read must be
//! listed here; the test below reads the importer's sources to hold the two in step.

use super::super::peek::Keep;

/// The top-level fields of a line this importer reads (and two names it reads inside
/// `toolUseResult`, which the test cannot tell from top-level ones).
#[rustfmt::skip]
pub(super) const KEEP: Keep = Some(&[
    "agentId", "agent_id", "compactMetadata", "compact_metadata", "content", "duration_ms", "error",
    "errors", "isApiErrorMessage", "isAsync", "isCompactSummary", "isMeta", "isSidechain",
    "isVisibleInTranscriptOnly", "is_backgrounded", "is_error", "leafUuid", "message", "model",
    "origin", "parentUuid", "parent_tool_use_id", "patch", "prompt", "promptSource", "result",
    "run_id", "sessionId", "session_id", "status", "stop_reason", "subagent_type", "subtype",
    "summary", "task_id", "timestamp", "toolUseId", "totalDurationMs", "toolUseResult", "tool_use_id",
    "tool_use_result", "type", "usage", "uuid",
]);

#[cfg(test)]
mod tests {
    use super::KEEP;

    /// The sources that read a record's fields.
    const SOURCES: [&str; 8] = [
        include_str!("../claude_code.rs"),
        include_str!("closing.rs"),
        include_str!("file.rs"),
        include_str!("lines.rs"),
        include_str!("merge.rs"),
        include_str!("transcript.rs"),
        include_str!("turns.rs"),
        include_str!("usage.rs"),
    ];

    /// The names read at the top of a record: `rec.get("x")`, `s(rec, &["x"…`, the same of `r`.
    fn read_at_top(src: &str) -> Vec<&str> {
        let mut names = Vec::new();
        for pat in ["rec.get(\"", "s(rec, &[\"", "r.get(\"", "s(r, &[\""] {
            for (at, _) in src.match_indices(pat) {
                let rest = &src[at + pat.len()..];
                if let Some(end) = rest.find('"') {
                    names.push(&rest[..end]);
                }
            }
        }
        names
    }

    #[test]
    fn every_field_the_importer_reads_is_kept() {
        let keep = KEEP.unwrap_or(&[]);
        let read: Vec<&str> = SOURCES.iter().flat_map(|s| read_at_top(s)).collect();
        assert!(read.len() > 20, "the sources read fields: {read:?}");
        let missing: Vec<&&str> = read.iter().filter(|n| !keep.contains(n)).collect();
        assert!(missing.is_empty(), "read but not kept: {missing:?}");
    }

    #[test]
    fn a_field_not_kept_is_caught() {
        let read = read_at_top(r#"let x = rec.get("newField"); s(rec, &["type"]);"#);
        assert_eq!(read, ["newField", "type"]);
        assert!(!KEEP.unwrap_or(&[]).contains(&"newField"));
    }
}

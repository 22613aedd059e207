//! Output files are never silently mixed: `record -o` and `:save` refuse a file that exists
//! unless told to replace it (`--force`) or add to it (`--append`, read back as a new segment,
//! not as duplicate events); a symbolic link is never followed; what is written is 0600; and
//! `:save` keeps binary frames' bytes. The real binary against a demo server on loopback.

use crate::e2e_support as e2e;
use crate::recording_common;

use orchscope::core::load::load;
use orchscope::core::log::{Entry, Keep, Log};
use orchscope::core::recording::{open, Existing};
use orchscope::demo::Scenario;
use orchscope::source::Dir;
use orchscope::tui::runner::save;
use recording_common::{read_reader, O};
use std::path::Path;

const OLD: &str = "{\"old\": \"content that must survive\"}\n";

/// `record` of the simple scenario into `out` with `extra` flags; (exit code, stderr).
fn record(url: &str, out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "record".to_string(),
        url.to_string(),
        "-o".into(),
        out.to_str().expect("utf-8 path").into(),
    ];
    args.extend(e2e::sends(Scenario::Simple));
    args.extend(["--until-idle", "0.3", "--timeout", "60"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    let run = e2e::run(&args);
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stderr).to_string(),
    )
}

fn one_line_refusal(code: Option<i32>, stderr: &str) {
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// A demo server, a temporary folder and in it a file `name` holding [`OLD`].
fn with_old_file(name: &str) -> (String, tempfile::TempDir, std::path::PathBuf) {
    let url = e2e::server(Scenario::Simple, &[], None);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, OLD).expect("write");
    (url, dir, path)
}

#[test]
fn an_existing_file_is_refused_unless_forced_and_replaced_whole_at_0600() {
    let (url, dir, out) = with_old_file("rec.jsonl");
    let (code, stderr) = record(&url, &out, &[]);
    one_line_refusal(code, &stderr);
    assert!(
        stderr.contains("--force") && stderr.contains("--append"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&out).expect("read"), OLD);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let loose = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(&out, loose).expect("chmod");
    }
    let (code, stderr) = record(&url, &out, &["--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(!text.contains("must survive"), "replaced whole");
    assert_eq!(text.matches("orchscope_recording").count(), 1);
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);

    let (code, stderr) = record(&url, &out, &["--force", "--append"]);
    one_line_refusal(code, &stderr);
    // A file that does not exist yet needs no flag.
    let (code, stderr) = record(&url, &dir.path().join("new.jsonl"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn appending_adds_a_segment_read_as_new_runs_not_duplicates() {
    // Two servers with the same seed and start send the very same run ids.
    let first = e2e::server(Scenario::Simple, &[], None);
    let second = e2e::server(Scenario::Simple, &[], None);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("both.jsonl");
    assert_eq!(record(&first, &out, &[]).0, Some(0));
    let (code, stderr) = record(&second, &out, &["--append"]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&out).expect("read");
    assert_eq!(text.matches("orchscope_recording").count(), 2);
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);

    let run = e2e::run(&[
        "validate".into(),
        out.to_str().expect("utf-8").into(),
        "--format".into(),
        "json".into(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json report");
    assert_eq!(run.status.code(), Some(0), "{report}");
    let failing = e2e::rules_with(&report, "fail");
    assert!(failing.is_empty(), "{failing:?}");
    let loaded = load(out.to_str().expect("utf-8"), None, Keep::Summary).expect("load");
    assert_eq!(loaded.log.session().runs.len(), 2, "one run per segment");
}

#[test]
fn appending_to_a_file_cut_mid_line_still_starts_a_new_segment() {
    let first = e2e::server(Scenario::Simple, &[], None);
    let second = e2e::server(Scenario::Simple, &[], None);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cut.jsonl");
    assert_eq!(record(&first, &out, &[]).0, Some(0));
    // A crash or a full disk cut the last line short.
    let whole = std::fs::read(&out).expect("read");
    std::fs::write(&out, &whole[..whole.len() - 40]).expect("cut");
    let (code, stderr) = record(&second, &out, &["--append"]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&out).expect("read");
    let headers = text
        .lines()
        .filter(|l| l.starts_with("{\"orchscope_recording\""))
        .count();
    assert_eq!(headers, 2, "the appended header starts its own line");
    let loaded = load(out.to_str().expect("utf-8"), None, Keep::Summary).expect("load");
    assert_eq!(loaded.log.session().runs.len(), 2, "one run per segment");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_followed() {
    let (url, dir, target) = with_old_file("precious.txt");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    for flags in [&[][..], &["--append"][..]] {
        let (code, stderr) = record(&url, &link, flags);
        one_line_refusal(code, &stderr);
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), OLD);
    }
    let (code, stderr) = record(&url, &link, &["--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), OLD);
    let meta = std::fs::symlink_metadata(&link).expect("meta");
    assert!(meta.file_type().is_file(), "the link itself was replaced");
    assert_eq!(mode(&link), 0o600);
    // A dangling link is not created through either.
    let dangling = dir.path().join("dangling.jsonl");
    let nowhere = dir.path().join("nowhere.jsonl");
    std::os::unix::fs::symlink(&nowhere, &dangling).expect("symlink");
    let (code, stderr) = record(&url, &dangling, &["--append"]);
    one_line_refusal(code, &stderr);
    assert!(!nowhere.exists());
}

#[test]
fn save_refuses_an_existing_file_and_keeps_binary_bytes_and_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = Log::new(Keep::All);
    let bytes = vec![0u8, 1, 2, 0xfe, 0xff, b'x'];
    log.push_frame(Some(0.1), Dir::In, r#"{"type":"agent_started"}"#);
    log.push(Entry::binary(Some(0.2), Dir::In, &bytes));
    let path = dir.path().join("saved.jsonl");
    std::fs::write(&path, OLD).expect("write");
    let refused = save(&log, &path, Existing::Refuse).expect_err("exists");
    assert_eq!(refused.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), OLD);
    save(&log, &path, Existing::Replace).expect("replace");
    let (items, _) = read_reader(open(&path).expect("open"));
    assert!(
        items
            .iter()
            .any(|o| matches!(o, O::Binary(_, _, Dir::In, b) if *b == bytes)),
        "{items:?}"
    );

    // A file of two segments saves as two segments with their own times.
    let both = dir.path().join("two.jsonl");
    let segment = "{\"orchscope_recording\":1}\n{\"t\":1.0,\"mark\":\"m\"}\n";
    std::fs::write(&both, segment.repeat(2)).expect("write");
    let loaded = load(both.to_str().expect("utf-8"), None, Keep::All).expect("load");
    let again = dir.path().join("again.jsonl");
    save(&loaded.log, &again, Existing::Refuse).expect("save");
    let (items, _) = read_reader(open(&again).expect("open"));
    let headers = items.iter().filter(|o| matches!(o, O::Header(_))).count();
    assert_eq!(headers, 2, "{items:?}");
    let marks: Vec<Option<f64>> = items
        .iter()
        .filter_map(|o| match o {
            O::Mark(_, t, _) => Some(*t),
            _ => None,
        })
        .collect();
    assert_eq!(
        marks,
        [Some(1.0), Some(2.0)],
        "times continue across segments"
    );
}

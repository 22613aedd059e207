//! What to do with a recording file that is already there (`record -o`, `--record` of the
//! TUI commands): refuse it (the default, one line and exit 2), `--force` (replace it whole)
//! or `--append` (add a new segment after what it holds), as asciinema's recorder does.

use crate::core::recording::Existing;
use clap::Args;
use std::path::Path;

/// `--force` / `--append`.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct OutputArgs {
    /// Replace the recording file whole if it already exists
    #[arg(long, conflicts_with = "append")]
    pub force: bool,
    /// Add to the recording file if it already exists (its new header starts a new segment)
    #[arg(long)]
    pub append: bool,
}

impl OutputArgs {
    /// The writer's mode for these flags.
    pub fn existing(self) -> Existing {
        match (self.force, self.append) {
            (true, _) => Existing::Replace,
            (false, true) => Existing::Append,
            (false, false) => Existing::Refuse,
        }
    }
}

/// The one line for a recording that could not be opened at `path`.
pub fn open_error(path: &Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        format!(
            "{}: {e}; pass --force to replace it or --append to add to it",
            path.display()
        )
    } else {
        format!("{}: cannot create the recording: {e}", path.display())
    }
}

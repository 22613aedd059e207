//! placeholder
use super::{Format, Imported, Out};
pub(super) fn import(_input: &str) -> Imported {
    Out::new(Format::OpenaiAgents).finish()
}

//! Test helpers other modules reach: `load` turns bare JSONL lines into a finished log.

pub(crate) use super::tests::load;

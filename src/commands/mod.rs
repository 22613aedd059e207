//! The commands of the binary, one file each: they resolve settings, call the core, and print.

pub mod against;
pub mod connect;
pub mod demo;
pub mod diff;
pub mod dispatch;
pub mod export;
pub mod hash;
pub mod live;
pub mod record;
pub mod replay;
pub mod report;
pub mod screen;
pub mod serve;
pub mod sessions;
pub mod summary;
pub mod unknowns;
pub mod usage;
pub mod validate;

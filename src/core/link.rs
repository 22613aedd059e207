//! Directions of frames and connection (link) changes: the vocabulary shared by the log, the
//! recording format and the live sources.

use std::time::Duration;

/// Which way a frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    /// Received from the server.
    In,
    /// Sent by orchscope.
    Out,
}

impl Dir {
    /// `in` or `out`, as in recordings.
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::In => "in",
            Dir::Out => "out",
        }
    }

    /// Parses a `dir` value.
    pub fn parse(s: &str) -> Option<Dir> {
        match s {
            "in" => Some(Dir::In),
            "out" => Some(Dir::Out),
            _ => None,
        }
    }
}

/// The next connection attempt, as the live source plans it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Retry {
    /// Numbered from 1.
    pub attempt: u32,
    /// How long until it starts.
    pub delay: Duration,
}

/// The state of a live link: what the source reports, the log holds and the header shows (one
/// state in the manner of tokio-console's connection states). Every state but `Connecting` is a
/// change of the connection and a `link` line of the recording; the entry or message that
/// carries a state also carries its reason (why it went down, why it gave up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkState {
    /// A connection attempt starts (not recorded: every attempt ends in one of the others).
    Connecting,
    /// The handshake succeeded; frames flow.
    Connected,
    /// The connection ended, or an attempt failed.
    Disconnected,
    /// Waiting to try again; when the attempt starts is known live (a recording's line does
    /// not keep it).
    Reconnecting(Option<Retry>),
    /// A frame over the size limit made the library drop the connection.
    Oversize,
    /// No more attempts: reconnection is off, or the configuration can never work.
    GaveUp,
}

impl LinkState {
    /// The recording's spelling; none for a connection attempt, which is not recorded.
    pub fn as_str(self) -> Option<&'static str> {
        Some(match self {
            LinkState::Connecting => return None,
            LinkState::Connected => "connected",
            LinkState::Disconnected => "disconnected",
            LinkState::Reconnecting(_) => "reconnecting",
            LinkState::Oversize => "oversize",
            LinkState::GaveUp => "gave_up",
        })
    }

    /// Parses the recording's spelling (a value it does not know is `None`: a reader skips the
    /// line and reports it, so a newer writer's values never stop an older reader).
    pub fn parse(s: &str) -> Option<LinkState> {
        Some(match s {
            "connected" => LinkState::Connected,
            "disconnected" => LinkState::Disconnected,
            "reconnecting" => LinkState::Reconnecting(None),
            "oversize" => LinkState::Oversize,
            "gave_up" => LinkState::GaveUp,
            _ => return None,
        })
    }

    /// Whether the log and the recording keep it (a connection attempt is the source's alone).
    pub fn is_recorded(self) -> bool {
        self.as_str().is_some()
    }

    /// Whether frames flow.
    pub fn is_connected(self) -> bool {
        self == LinkState::Connected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_state_reads_back_as_written() {
        let retry = Retry {
            attempt: 2,
            delay: Duration::from_millis(500),
        };
        for state in [
            LinkState::Connected,
            LinkState::Disconnected,
            LinkState::Reconnecting(None),
            LinkState::Oversize,
            LinkState::GaveUp,
        ] {
            let name = state.as_str().unwrap_or_default();
            assert_eq!(LinkState::parse(name), Some(state), "{name}");
        }
        // The retry is the live source's; the line keeps only that it reconnects.
        let line = LinkState::Reconnecting(Some(retry)).as_str();
        assert_eq!(line, Some("reconnecting"));
        assert!(!LinkState::Connecting.is_recorded());
        assert_eq!(LinkState::parse("connecting"), None);
        assert_eq!(LinkState::parse("teleported"), None);
    }
}

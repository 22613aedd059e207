//! Directions of frames and connection (link) changes: the vocabulary shared by the log, the
//! recording format and the live sources.

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

/// A connection change, as recorded in `link` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkState {
    Connected,
    Disconnected,
    Reconnecting,
    /// A frame over the size limit made the library drop the connection.
    Oversize,
}

impl LinkState {
    /// The recording's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Connected => "connected",
            LinkState::Disconnected => "disconnected",
            LinkState::Reconnecting => "reconnecting",
            LinkState::Oversize => "oversize",
        }
    }

    /// Parses the recording's spelling.
    pub fn parse(s: &str) -> Option<LinkState> {
        Some(match s {
            "connected" => LinkState::Connected,
            "disconnected" => LinkState::Disconnected,
            "reconnecting" => LinkState::Reconnecting,
            "oversize" => LinkState::Oversize,
            _ => return None,
        })
    }
}

//! Time on a session's two clocks: the producer's timestamps and the receive times, which
//! clock a run (or the whole timeline) is measured on, and the packed form kept per frame.

/// When something happened: on the producer's clock and on the receive clock (ms).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Times {
    pub ts: Option<f64>,
    pub recv: Option<f64>,
}

/// Which clock a run is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Producer,
    Receive,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Producer => "producer",
            Clock::Receive => "receive",
        }
    }

    /// The time of `t` on this clock.
    pub fn of(self, t: &Times) -> Option<f64> {
        match self {
            Clock::Producer => t.ts,
            Clock::Receive => t.recv.or(t.ts),
        }
    }
}

/// [`Times`] packed into 16 bytes (NaN for "none"): one is kept per frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At {
    ts: f64,
    recv: f64,
}

impl At {
    pub fn new(t: Times) -> At {
        At {
            ts: t.ts.unwrap_or(f64::NAN),
            recv: t.recv.unwrap_or(f64::NAN),
        }
    }

    /// The producer's time, ms.
    pub fn ts(&self) -> Option<f64> {
        (!self.ts.is_nan()).then_some(self.ts)
    }

    /// The receive time, ms.
    pub fn recv(&self) -> Option<f64> {
        (!self.recv.is_nan()).then_some(self.recv)
    }

    pub fn times(&self) -> Times {
        Times {
            ts: self.ts(),
            recv: self.recv(),
        }
    }

    /// No time at all (the event has not happened).
    pub const MISSING: At = At {
        ts: f64::INFINITY,
        recv: f64::INFINITY,
    };

    /// `None` for [`At::MISSING`].
    pub fn get(&self) -> Option<Times> {
        (self.ts != f64::INFINITY).then(|| self.times())
    }
}

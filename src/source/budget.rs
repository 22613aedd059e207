//! The byte budget of the channel between the task that reads the socket and whoever digests
//! its messages. A channel bounded in messages alone still lets large frames pile up (1,024
//! frames of 16 MiB are 16 GiB), so the reader also takes each message's bytes from this budget
//! before handing it on and waits while they do not fit; the digesting side gives them back as
//! it takes each message. A message larger than the whole budget takes all of it, so it still
//! passes, alone.

use super::message::SourceMsg;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The default budget: 64 MiB of undigested frames.
pub const DEFAULT_BYTES: u32 = 64 << 20;

/// A byte budget; clones share it.
#[derive(Debug, Clone)]
pub struct Budget {
    bytes: Arc<Semaphore>,
    max: u32,
}

impl Budget {
    /// A budget of `max` bytes (at least one).
    pub fn new(max: u32) -> Budget {
        let max = max.max(1);
        Budget {
            bytes: Arc::new(Semaphore::new(max as usize)),
            max,
        }
    }

    /// What `msg` costs: its frame's bytes, at most the whole budget.
    fn cost(&self, msg: &SourceMsg) -> u32 {
        let len = match msg {
            SourceMsg::Frame { text, .. } => text.len(),
            SourceMsg::Binary { bytes, .. } => bytes.len(),
            SourceMsg::Link { .. } | SourceMsg::Rtt { .. } | SourceMsg::Receiver { .. } => 0,
        };
        u32::try_from(len).unwrap_or(u32::MAX).min(self.max)
    }

    /// Waits until `msg`'s bytes fit in what is left, then takes them.
    pub async fn take(&self, msg: &SourceMsg) {
        let cost = self.cost(msg);
        if cost == 0 {
            return;
        }
        // The semaphore is never closed, so acquiring only ever waits.
        if let Ok(permit) = self.bytes.acquire_many(cost).await {
            permit.forget();
        }
    }

    /// Gives back what `msg` took, once it has been taken off the channel.
    pub fn give_back(&self, msg: &SourceMsg) {
        let cost = self.cost(msg);
        if cost > 0 {
            self.bytes.add_permits(cost as usize);
        }
    }

    /// Bytes taken and not yet given back.
    pub fn in_use(&self) -> u64 {
        u64::from(self.max).saturating_sub(self.bytes.available_permits() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use std::time::Duration;

    fn frame(len: usize) -> SourceMsg {
        SourceMsg::Frame {
            t: 0.0,
            dir: Dir::In,
            text: "x".repeat(len),
        }
    }

    #[tokio::test]
    async fn a_sender_waits_while_the_bytes_do_not_fit() {
        let budget = Budget::new(1000);
        let (a, b) = (frame(600), frame(600));
        budget.take(&a).await;
        assert_eq!(budget.in_use(), 600);
        let blocked = tokio::time::timeout(Duration::from_millis(100), budget.take(&b)).await;
        assert!(blocked.is_err(), "600 more bytes do not fit in 400");
        budget.give_back(&a);
        tokio::time::timeout(Duration::from_secs(10), budget.take(&b))
            .await
            .expect("they fit once the first is given back");
        assert_eq!(budget.in_use(), 600);
    }

    #[tokio::test]
    async fn a_message_larger_than_the_budget_passes_alone_and_links_cost_nothing() {
        let budget = Budget::new(1000);
        let huge = frame(5000);
        budget.take(&huge).await;
        assert_eq!(budget.in_use(), 1000);
        let link = SourceMsg::Rtt { t: 0.0, ms: 1.0 };
        tokio::time::timeout(Duration::from_secs(10), budget.take(&link))
            .await
            .expect("a message without frame bytes never waits");
        budget.give_back(&huge);
        assert_eq!(budget.in_use(), 0);
    }
}

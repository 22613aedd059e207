//! Work on both cores with the order kept: batches are made on one thread, worked on by
//! [`WORKERS`] threads in turn (each with state of its own), and taken back on the caller's
//! thread in the order they were made. Channels are bounded, so at most a few batches are in
//! flight whatever the input's size. The recording reader and the importers share it.

use std::sync::mpsc;

/// Threads working on batches at once (besides the making and the taking one).
pub(crate) const WORKERS: usize = 2;
/// Batches waiting for, or done by, each worker.
const DEPTH: usize = 3;

/// Runs `make` on a thread of its own, handing each batch it makes (through the function it is
/// given, which says `false` once nobody takes batches any more) to the workers in turn;
/// `work` turns a batch into a result on a worker's thread, with that worker's state; `take`
/// receives the results on the caller's thread, in the order the batches were made, and stops
/// everything by returning `false`. Batch `i` goes to worker `i % WORKERS`, so the `i`-th result
/// comes from it.
pub(crate) fn in_order<B, R, S>(
    make: impl FnOnce(&mut dyn FnMut(B) -> bool) + Send,
    work: impl Fn(&mut S, B) -> R + Sync,
    mut take: impl FnMut(R) -> bool,
) where
    B: Send,
    R: Send,
    S: Default,
{
    let mut to_workers = Vec::with_capacity(WORKERS);
    let mut from_workers = Vec::with_capacity(WORKERS);
    let mut workers = Vec::with_capacity(WORKERS);
    for _ in 0..WORKERS {
        let (in_tx, in_rx) = mpsc::sync_channel::<B>(DEPTH);
        let (out_tx, out_rx) = mpsc::sync_channel::<R>(DEPTH);
        to_workers.push(in_tx);
        from_workers.push(out_rx);
        workers.push((in_rx, out_tx));
    }
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut sent = 0usize;
            make(&mut |batch| {
                let ok = to_workers[sent % WORKERS].send(batch).is_ok();
                sent += 1;
                ok
            });
        });
        for (in_rx, out_tx) in workers {
            scope.spawn(move || {
                let mut state = S::default();
                for batch in in_rx {
                    if out_tx.send(work(&mut state, batch)).is_err() {
                        return;
                    }
                }
            });
        }
        for k in 0.. {
            let Ok(result) = from_workers[k % WORKERS].recv() else {
                break;
            };
            if !take(result) {
                break;
            }
        }
        // Dropping the receivers ends the workers, and so the maker, at their next hand-over.
        drop(from_workers);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_batches_were_made() {
        let mut got = Vec::new();
        in_order(
            |send| {
                for i in 0..1000u32 {
                    if !send(i) {
                        return;
                    }
                }
            },
            |count: &mut u32, i| {
                *count += 1;
                i * 2
            },
            |r| {
                got.push(r);
                true
            },
        );
        assert_eq!(got, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn taking_nothing_more_stops_the_maker() {
        let mut got = 0;
        in_order(
            |send| while send(()) {},
            |_: &mut (), ()| (),
            |()| {
                got += 1;
                got < 10
            },
        );
        assert_eq!(got, 10);
    }
}

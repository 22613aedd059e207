//! Rows grouped by run without flattening them: only each run's first row index is kept, and
//! the rows near the cursors are made (with the drawing before their labels) by asking for one
//! run's rows at a time. The agents tree and the Waterfall's lanes are both this, with rows of
//! their own kind.

use crate::core::session::RunIx;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Grouped<T> {
    /// The runs shown, in order.
    pub runs: Vec<RunIx>,
    /// Row index of each run's first row, and the total at the end.
    starts: Vec<usize>,
    /// The rows made so far, with the drawing before their labels.
    made: HashMap<usize, (T, String)>,
}

impl<T> Default for Grouped<T> {
    fn default() -> Self {
        Grouped {
            runs: Vec::new(),
            starts: vec![0],
            made: HashMap::new(),
        }
    }
}

impl<T: Copy> Grouped<T> {
    /// `runs`, the `k`th with `sizes[k]` rows.
    pub fn new(runs: Vec<RunIx>, sizes: impl Iterator<Item = usize>) -> Grouped<T> {
        let mut starts = Vec::with_capacity(runs.len() + 1);
        let mut n = 0;
        for size in sizes {
            starts.push(n);
            n += size;
        }
        starts.push(n);
        Grouped {
            runs,
            starts,
            made: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`, from the rows made or from `rows_of(k)`, the `k`th run's rows.
    pub fn get(&self, i: usize, rows_of: impl Fn(usize) -> Vec<(T, String)>) -> Option<T> {
        if let Some((row, _)) = self.made.get(&i) {
            return Some(*row);
        }
        let k = self.run_of(i)?;
        rows_of(k).get(i - self.starts[k]).map(|(row, _)| *row)
    }

    /// A row made by [`Grouped::make`], with its drawing: what the panes draw.
    pub fn shown(&self, i: usize) -> Option<&(T, String)> {
        self.made.get(&i)
    }

    /// Makes the rows in `range` (and keeps no others when there are many).
    pub fn make(&mut self, range: Range<usize>, rows_of: impl Fn(usize) -> Vec<(T, String)>) {
        if self.made.len() > 4 * range.len().max(64) {
            self.made.clear();
        }
        let mut i = range.start;
        while i < range.end.min(self.len()) {
            let Some(k) = self.run_of(i) else { break };
            if self.made.contains_key(&i) {
                i += 1;
                continue;
            }
            let first = self.starts[k];
            for (j, row) in rows_of(k).into_iter().enumerate() {
                if range.contains(&(first + j)) {
                    self.made.insert(first + j, row);
                }
            }
            i = self.starts[k + 1];
        }
    }

    fn run_of(&self, i: usize) -> Option<usize> {
        (i < self.len()).then(|| self.starts.partition_point(|&st| st <= i) - 1)
    }
}

/// The runs a list shows: every run of the session, or the one filtered to.
pub fn runs_shown(total: usize, only: Option<RunIx>) -> Vec<RunIx> {
    match only {
        Some(r) if r.index() < total => vec![r],
        Some(_) => Vec::new(),
        None => (0..total).map(RunIx::new).collect(),
    }
}

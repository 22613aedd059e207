//! `ChunkVec`: an append-mostly vector whose full chunks are shared and copy-on-write, so a
//! clone costs one reference count per chunk plus a copy of the (small) open tail, and a later
//! write to an old item copies only its chunk. Writes to recent items — nearly all of them —
//! touch the open tail, which is owned outright. This is what makes a checkpoint of the session,
//! and so a step back anywhere in a long log, cheap. Knows nothing of what it stores.

use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// Items per chunk.
const CHUNK: usize = 256;

/// A vector of `T` in copy-on-write chunks.
#[derive(Debug)]
pub struct ChunkVec<T> {
    /// Full chunks, shared between clones.
    sealed: Vec<Arc<Vec<T>>>,
    /// The open chunk (fewer than `CHUNK` items), owned.
    tail: Vec<T>,
}

impl<T> Default for ChunkVec<T> {
    fn default() -> Self {
        ChunkVec {
            sealed: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<T: Clone> Clone for ChunkVec<T> {
    fn clone(&self) -> Self {
        ChunkVec {
            sealed: self.sealed.clone(),
            tail: self.tail.clone(),
        }
    }
}

impl<T: Clone> ChunkVec<T> {
    /// Appends an item.
    pub fn push(&mut self, item: T) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(item);
        if self.tail.len() == CHUNK {
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.sealed.push(Arc::new(full));
        }
    }

    /// A mutable reference (copies a sealed chunk first if a clone shares it).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let sealed = self.sealed.len() * CHUNK;
        if i >= sealed {
            return self.tail.get_mut(i - sealed);
        }
        Arc::make_mut(&mut self.sealed[i / CHUNK]).get_mut(i % CHUNK)
    }

    /// Every item, mutably (copies every shared chunk: for rare, whole-vector updates).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.sealed
            .iter_mut()
            .flat_map(|c| Arc::make_mut(c).iter_mut())
            .chain(self.tail.iter_mut())
    }

    /// Drops the items of the full chunks before `upto`; their places stay (`len` and every
    /// later index are unchanged) and `get` of a dropped item is `None`. For a vector of which
    /// only the recent items are read, so that it does not grow with what is pushed.
    pub fn forget_before(&mut self, upto: usize) {
        let n = (upto / CHUNK).min(self.sealed.len());
        let empty = Arc::new(Vec::new());
        // Dropped chunks form a prefix: walk back from `n` to the last one dropped.
        for chunk in self.sealed[..n].iter_mut().rev() {
            if chunk.is_empty() {
                break;
            }
            *chunk = empty.clone();
        }
    }

    /// The last item, mutably.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        let n = self.len().checked_sub(1)?;
        self.get_mut(n)
    }
}

impl<T> ChunkVec<T> {
    pub fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        let sealed = self.sealed.len() * CHUNK;
        if i >= sealed {
            return self.tail.get(i - sealed);
        }
        self.sealed.get(i / CHUNK)?.get(i % CHUNK)
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.sealed
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tail.iter())
    }

    /// Items from `start` (inclusive) in order, without walking the ones before.
    pub fn iter_from(&self, start: usize) -> impl Iterator<Item = &T> + '_ {
        let first = (start / CHUNK).min(self.sealed.len());
        let skip = start - first * CHUNK;
        self.sealed[first..]
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tail.iter())
            .skip(skip)
    }
}

impl<T> Index<usize> for ChunkVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(item) => item,
            None => panic!("index {i} out of range for length {}", self.len()),
        }
    }
}

impl<T: Clone> IndexMut<usize> for ChunkVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len();
        match self.get_mut(i) {
            Some(item) => item,
            None => panic!("index {i} out of range for length {len}"),
        }
    }
}

impl<'a, T> IntoIterator for &'a ChunkVec<T> {
    type Item = &'a T;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a T> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<T: Clone> FromIterator<T> for ChunkVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = ChunkVec::default();
        for item in iter {
            v.push(item);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgotten_items_keep_their_places() {
        let mut v: ChunkVec<usize> = (0..1000).collect();
        let before = v.clone();
        v.forget_before(600);
        v.forget_before(300);
        assert_eq!(v.len(), 1000);
        // Whole chunks only: 0..512 are gone, 512.. are kept.
        assert_eq!(v.get(511), None);
        assert_eq!(v.get_mut(0), None);
        assert_eq!(v.get(512), Some(&512));
        assert_eq!(v[999], 999);
        v.push(1000);
        assert_eq!(v[1000], 1000);
        // A clone taken before still has them all.
        assert_eq!(before.get(0), Some(&0));
    }

    #[test]
    fn behaves_like_a_vec() {
        let mut v: ChunkVec<usize> = ChunkVec::default();
        for i in 0..1000 {
            v.push(i);
        }
        assert_eq!(v.len(), 1000);
        assert_eq!(v[999], 999);
        assert_eq!(v[255], 255);
        assert_eq!(v[256], 256);
        assert_eq!(v.iter().copied().sum::<usize>(), 999 * 1000 / 2);
        assert_eq!(
            v.iter_from(998).copied().collect::<Vec<_>>(),
            vec![998, 999]
        );
        assert_eq!(v.iter_from(256).next(), Some(&256));
        assert_eq!(v.iter_from(900).next(), Some(&900));
        assert_eq!(v.iter_from(5000).next(), None);
        assert_eq!(v.last(), Some(&999));
        assert_eq!(v.iter().next_back(), Some(&999));
        assert_eq!(v.get(1000), None);
        let exact: ChunkVec<usize> = (0..512).collect();
        assert_eq!(exact.len(), 512);
        assert_eq!(exact.last(), Some(&511));
        assert_eq!(exact.iter_from(512).next(), None);
    }

    #[test]
    fn clones_share_until_written() {
        let mut a: ChunkVec<u32> = (0..600).collect();
        let b = a.clone();
        a[10] = 7;
        a[599] = 9;
        a.push(600);
        assert_eq!(b[10], 10);
        assert_eq!(b[599], 599);
        assert_eq!(b.len(), 600);
        assert_eq!(a[10], 7);
        assert_eq!(a.len(), 601);
        // Untouched sealed chunks are still shared.
        assert!(Arc::ptr_eq(&a.sealed[1], &b.sealed[1]));
        assert!(!Arc::ptr_eq(&a.sealed[0], &b.sealed[0]));
    }

    #[test]
    fn mutation_through_every_path() {
        let mut v: ChunkVec<u32> = (0..300).collect();
        *v.get_mut(5).unwrap() += 1;
        *v.last_mut().unwrap() += 1;
        for x in v.iter_mut() {
            *x += 1;
        }
        assert_eq!(v[5], 7);
        assert_eq!(v[299], 301);
        assert_eq!(v[100], 101);
    }
}

//! `ChunkVec`: an append-mostly vector stored in shared, fixed-size chunks, so a clone costs
//! one reference count per chunk and a later write copies only the chunk it touches
//! (copy-on-write). This is what makes a checkpoint of the session — and so a step back
//! anywhere in a long log — cheap. Knows nothing of what it stores.

use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// Items per chunk.
const CHUNK: usize = 256;

/// A vector of `T` in copy-on-write chunks.
#[derive(Debug)]
pub struct ChunkVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for ChunkVec<T> {
    fn default() -> Self {
        ChunkVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Clone for ChunkVec<T> {
    fn clone(&self) -> Self {
        ChunkVec {
            chunks: self.chunks.clone(),
            len: self.len,
        }
    }
}

impl<T: Clone> ChunkVec<T> {
    /// Appends an item.
    pub fn push(&mut self, item: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        if let Some(last) = self.chunks.last_mut() {
            Arc::make_mut(last).push(item);
            self.len += 1;
        }
    }

    /// A mutable reference (copies the chunk first if a clone shares it).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        Arc::make_mut(&mut self.chunks[i / CHUNK]).get_mut(i % CHUNK)
    }

    /// Every item, mutably (copies every shared chunk: for rare, whole-vector updates).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.chunks
            .iter_mut()
            .flat_map(|c| Arc::make_mut(c).iter_mut())
    }

    /// The last item, mutably.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        let n = self.len.checked_sub(1)?;
        self.get_mut(n)
    }
}

impl<T> ChunkVec<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.get(self.len.checked_sub(1)?)
    }

    /// Items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Items from `start` (inclusive) in order, without walking the ones before.
    pub fn iter_from(&self, start: usize) -> impl Iterator<Item = &T> + '_ {
        let first = (start / CHUNK).min(self.chunks.len());
        let skip = if first < self.chunks.len() {
            start % CHUNK
        } else {
            0
        };
        self.chunks[first..]
            .iter()
            .flat_map(|c| c.iter())
            .skip(skip)
    }
}

impl<T> Index<usize> for ChunkVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T: Clone> IndexMut<usize> for ChunkVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        assert!(
            i < self.len,
            "index {i} out of range for length {}",
            self.len
        );
        &mut Arc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK]
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
    fn behaves_like_a_vec() {
        let mut v: ChunkVec<usize> = ChunkVec::default();
        for i in 0..1000 {
            v.push(i);
        }
        assert_eq!(v.len(), 1000);
        assert_eq!(v[999], 999);
        assert_eq!(v.iter().copied().sum::<usize>(), 999 * 1000 / 2);
        assert_eq!(
            v.iter_from(998).copied().collect::<Vec<_>>(),
            vec![998, 999]
        );
        assert_eq!(v.iter_from(256).next(), Some(&256));
        assert_eq!(v.iter_from(5000).next(), None);
        assert_eq!(v.last(), Some(&999));
        assert_eq!(v.iter().next_back(), Some(&999));
        assert_eq!(v.get(1000), None);
    }

    #[test]
    fn clones_share_until_written() {
        let mut a: ChunkVec<u32> = (0..600).collect();
        let b = a.clone();
        a[10] = 7;
        a.push(600);
        assert_eq!(b[10], 10);
        assert_eq!(b.len(), 600);
        assert_eq!(a[10], 7);
        assert_eq!(a.len(), 601);
        // Untouched chunks are still shared.
        assert!(Arc::ptr_eq(&a.chunks[1], &b.chunks[1]));
        assert!(!Arc::ptr_eq(&a.chunks[0], &b.chunks[0]));
    }
}

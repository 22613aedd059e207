//! `SymMap`: a map from interned names to indexes, kept as a copy-on-write vector indexed by the
//! name's symbol. The session's lookups by run id or thread live here, so a checkpoint of the
//! session shares them instead of copying a hash table.

use super::chunks::ChunkVec;
use super::intern::Sym;

const NONE: u32 = u32::MAX;

/// Name → index (`u32::MAX` is reserved for "absent").
#[derive(Debug, Clone, Default)]
pub struct SymMap {
    slots: ChunkVec<u32>,
}

impl SymMap {
    pub fn get(&self, key: Sym) -> Option<u32> {
        self.slots.get(key.index()).copied().filter(|&v| v != NONE)
    }

    pub fn insert(&mut self, key: Sym, value: u32) {
        debug_assert_ne!(value, NONE);
        let i = key.index();
        while self.slots.len() <= i {
            self.slots.push(NONE);
        }
        self.slots[i] = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::intern::Interner;

    #[test]
    fn maps_names_and_clones_share_until_written() {
        let mut names = Interner::default();
        let (a, b) = (names.intern("a"), names.intern("b"));
        for i in 0..1000 {
            names.intern(&i.to_string());
        }
        let z = names.intern("z");
        let mut m = SymMap::default();
        assert_eq!(m.get(a), None);
        m.insert(z, 7);
        m.insert(a, 1);
        let snapshot = m.clone();
        m.insert(a, 2);
        assert_eq!((m.get(a), m.get(b), m.get(z)), (Some(2), None, Some(7)));
        assert_eq!((snapshot.get(a), snapshot.get(z)), (Some(1), Some(7)));
    }
}

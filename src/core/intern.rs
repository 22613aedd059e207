//! String interning: names and ids that recur in every frame are stored once and compared as
//! integers. Owns the table; knows nothing of what the strings mean.

use rustc_hash::FxHashMap as HashMap;

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

/// The table of interned strings.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    map: HashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Interner {
    /// Returns the symbol for `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.map.insert(s.into(), sym);
        sym
    }

    /// Returns the symbol for `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    /// The string behind a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_string_same_symbol() {
        let mut i = Interner::default();
        let a = i.intern("data");
        let b = i.intern("supervisor");
        assert_ne!(a, b);
        assert_eq!(i.intern("data"), a);
        assert_eq!(i.resolve(b), "supervisor");
        assert_eq!(i.get("nope"), None);
    }
}

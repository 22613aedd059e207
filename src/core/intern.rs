//! String interning: names and ids that recur in every frame are stored once and compared as
//! integers. Owns the table (one arena of text, one hash table of indices, no allocation per
//! string); knows nothing of what the strings mean.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    /// The symbol's number: dense from 0 in the order names were first interned.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The table of interned strings.
#[derive(Default, Clone)]
pub struct Interner {
    text: String,
    spans: Vec<(u32, u32)>,
    /// (index, short hash): growing the table rehashes from the short hash, not the text, and a
    /// lookup compares text only when the short hashes agree.
    table: HashTable<(u32, u32)>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interner({} strings)", self.spans.len())
    }
}

impl Interner {
    /// Returns the symbol for `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        self.intern_hashed(s, hash_str(s))
    }

    /// As [`Interner::intern`], with `hash` = [`hash_str`]`(s)` computed elsewhere (e.g. on a
    /// parsing thread).
    pub fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        if let Some(sym) = self.get_hashed(s, hash) {
            return sym;
        }
        let i = self.spans.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push((start, self.text.len() as u32));
        (self.table).insert_unique(hash, (i, short(hash)), |&(_, h)| spread(h));
        Sym(i)
    }

    /// Returns the symbol for `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.get_hashed(s, hash_str(s))
    }

    /// As [`Interner::get`], with `hash` = [`hash_str`]`(s)`.
    pub fn get_hashed(&self, s: &str, hash: u64) -> Option<Sym> {
        let h = short(hash);
        self.table
            .find(hash, |&(i, hi)| {
                hi == h && {
                    let (a, b) = self.spans[i as usize];
                    &self.text[a as usize..b as usize] == s
                }
            })
            .map(|&(i, _)| Sym(i))
    }

    /// The string behind a symbol.
    /// (Empty for a symbol of another table, e.g. a name an [`Overlay`] added.)
    pub fn resolve(&self, sym: Sym) -> &str {
        match self.spans.get(sym.0 as usize) {
            Some(&(a, b)) => &self.text[a as usize..b as usize],
            None => "",
        }
    }

    /// How many strings are interned.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// What derivation needs of an interner: names in, symbols out, and back.
pub trait Intern {
    fn intern(&mut self, s: &str) -> Sym;
    fn resolve(&self, sym: Sym) -> &str;
    /// As `intern`, with `hash` = [`hash_str`]`(s)` already known.
    fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        let _ = hash;
        self.intern(s)
    }
}

impl Intern for Interner {
    fn intern(&mut self, s: &str) -> Sym {
        Interner::intern(self, s)
    }
    fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        Interner::intern_hashed(self, s, hash)
    }
    fn resolve(&self, sym: Sym) -> &str {
        Interner::resolve(self, sym)
    }
}

/// Interning over a shared table that keeps whatever the table lacks to itself: re-deriving
/// an earlier position (step back) interns only names the table already holds, so it needs
/// no copy of the table.
pub struct Overlay<'a> {
    base: &'a Interner,
    extra: Interner,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a Interner) -> Overlay<'a> {
        Overlay {
            base,
            extra: Interner::default(),
        }
    }
}

impl Intern for Overlay<'_> {
    fn intern(&mut self, s: &str) -> Sym {
        self.intern_hashed(s, hash_str(s))
    }
    fn intern_hashed(&mut self, s: &str, hash: u64) -> Sym {
        match self.base.get_hashed(s, hash) {
            Some(sym) => sym,
            None => Sym(self.base.len() as u32 + self.extra.intern(s).0),
        }
    }
    fn resolve(&self, sym: Sym) -> &str {
        let base = self.base.len() as u32;
        if sym.0 < base {
            self.base.resolve(sym)
        } else {
            self.extra.resolve(Sym(sym.0 - base))
        }
    }
}

/// The hash the interner uses for a string.
pub fn hash_str(s: &str) -> u64 {
    // The low half: FxHash's output ends rotated, so its strongest bits are there.
    spread(rustc_hash::FxBuildHasher.hash_one(s) as u32)
}

/// Spreads a 32-bit hash over 64 bits (an odd multiplier: invertible, so nothing is lost).
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(SPREAD)
}

/// The 32-bit hash a [`spread`] hash came from.
fn short(hash: u64) -> u32 {
    hash.wrapping_mul(SPREAD_INVERSE) as u32
}

const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;
/// `SPREAD`'s inverse modulo 2^64 (each Newton step doubles the correct low bits).
const SPREAD_INVERSE: u64 = {
    let mut x = SPREAD;
    let mut i = 0;
    while i < 6 {
        x = x.wrapping_mul(2u64.wrapping_sub(SPREAD.wrapping_mul(x)));
        i += 1;
    }
    x
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hashes_come_back_from_spread_ones() {
        assert_eq!(SPREAD.wrapping_mul(SPREAD_INVERSE), 1);
        for h in [0u32, 1, 0xdead_beef, u32::MAX] {
            assert_eq!(short(spread(h)), h);
        }
        let s = "supervisor";
        assert_eq!(spread(short(hash_str(s))), hash_str(s));
    }

    #[test]
    fn same_string_same_symbol() {
        let mut i = Interner::default();
        let a = i.intern("data");
        let b = i.intern("supervisor");
        assert_ne!(a, b);
        assert_eq!(i.intern("data"), a);
        assert_eq!(i.resolve(b), "supervisor");
        assert_eq!(i.get("nope"), None);
        assert_eq!(i.get("data"), Some(a));
        assert_eq!(i.intern(""), i.intern(""));
        assert_eq!(i.len(), 3);
    }

    #[test]
    fn an_overlay_reads_the_table_and_keeps_new_names_apart() {
        let mut base = Interner::default();
        let a = base.intern("run-1/data");
        let mut o = Overlay::new(&base);
        assert_eq!(Intern::intern(&mut o, "run-1/data"), a);
        let new = Intern::intern(&mut o, "conn-9");
        assert_ne!(new, a);
        assert_eq!(Intern::resolve(&o, new), "conn-9");
        assert_eq!(Intern::resolve(&o, a), "run-1/data");
        assert_eq!(Intern::intern(&mut o, "conn-9"), new);
        assert_eq!(base.len(), 1);
    }

    #[test]
    fn many_strings_survive_growth() {
        let mut i = Interner::default();
        let syms: Vec<Sym> = (0..10_000)
            .map(|n| i.intern(&format!("run-{n}/agent")))
            .collect();
        for (n, s) in syms.iter().enumerate() {
            assert_eq!(i.resolve(*s), format!("run-{n}/agent"));
            assert_eq!(i.intern(&format!("run-{n}/agent")), *s);
        }
    }
}

//! Counted nouns in plain English: `1 run`, `2 runs`, `0 tool calls`, so no output says
//! `1 runs` or `finding(s)`. Pure words; callers choose the nouns.

/// `n` and the noun, with `s` added unless `n` is 1 (`1 run`, `2 runs`).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// The noun alone, for `n` of it (`run`, `runs`).
pub fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        plural_of(noun)
    }
}

/// `n` and the singular or the given plural (`1 was`, `2 were`; irregular nouns).
pub fn count_as(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The regular English plural: `-s`, `-es` after s, x, z, ch and sh.
fn plural_of(noun: &str) -> String {
    let es = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| noun.ends_with(e));
    format!("{noun}{}", if es { "es" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "run"), "1 run");
        assert_eq!(count(2, "run"), "2 runs");
        assert_eq!(count(0, "tool call"), "0 tool calls");
        assert_eq!(count(3, "match"), "3 matches");
        assert_eq!(count(1, "hash"), "1 hash");
        assert_eq!(count(2, "hash"), "2 hashes");
        assert_eq!(noun_for(1, "agent"), "agent");
        assert_eq!(count_as(2, "entry", "entries"), "2 entries");
        assert_eq!(count_as(1, "entry", "entries"), "1 entry");
    }
}

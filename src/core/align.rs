//! Aligning two sequences by their longest common subsequence: Myers' O((n+m)·d) diff in its
//! linear-space form (middle snakes, divided and conquered with an explicit stack, so neither
//! memory nor the call stack grows with the inputs beyond O(n+m)). Near-linear on similar
//! sequences; on very different ones a part whose search would cost more than `WORK` steps is
//! given up on and reported as removed then added, so time stays bounded too. Pure, generic.

/// One position of the alignment, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `a[i]` and `b[j]` are the same item.
    Both(usize, usize),
    /// `a[i]` has no counterpart in `b`.
    OnlyA(usize),
    /// `b[j]` has no counterpart in `a`.
    OnlyB(usize),
}

/// About how many steps one middle-snake search may take before its part is given up on.
const WORK: usize = 50_000_000;
/// Edit distance searched in full in any part, however long.
const MIN_D: usize = 256;

/// A part still to align, or a common run already known.
enum Task {
    Solve {
        x: (usize, usize),
        y: (usize, usize),
    },
    Same {
        x: usize,
        y: usize,
        len: usize,
    },
}

/// The alignment of `a` and `b`: every index of each exactly once, in order.
pub fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let mut snake = Snake::new(a.len() + b.len());
    let mut stack = vec![Task::Solve {
        x: (0, a.len()),
        y: (0, b.len()),
    }];
    while let Some(task) = stack.pop() {
        let (mut x, mut y) = match task {
            Task::Same { x, y, len } => {
                out.extend((0..len).map(|k| Step::Both(x + k, y + k)));
                continue;
            }
            Task::Solve { x, y } => (x, y),
        };
        while x.0 < x.1 && y.0 < y.1 && a[x.0] == b[y.0] {
            out.push(Step::Both(x.0, y.0));
            x.0 += 1;
            y.0 += 1;
        }
        let mut len = 0;
        while x.0 < x.1 - len && y.0 < y.1 - len && a[x.1 - len - 1] == b[y.1 - len - 1] {
            len += 1;
        }
        x.1 -= len;
        y.1 -= len;
        stack.push(Task::Same {
            x: x.1,
            y: y.1,
            len,
        });
        let split = if x.0 == x.1 || y.0 == y.1 {
            None
        } else {
            snake.split(&a[x.0..x.1], &b[y.0..y.1])
        };
        match split {
            Some((sx, sy)) if (sx, sy) != (0, 0) && (sx, sy) != (x.1 - x.0, y.1 - y.0) => {
                let (sx, sy) = (x.0 + sx, y.0 + sy);
                stack.push(Task::Solve {
                    x: (sx, x.1),
                    y: (sy, y.1),
                });
                stack.push(Task::Solve {
                    x: (x.0, sx),
                    y: (y.0, sy),
                });
            }
            _ => {
                out.extend((x.0..x.1).map(Step::OnlyA));
                out.extend((y.0..y.1).map(Step::OnlyB));
            }
        }
    }
    out
}

/// The furthest-reaching points of the forward and backward searches, per diagonal.
struct Snake {
    forward: Vec<usize>,
    backward: Vec<usize>,
}

impl Snake {
    fn new(total: usize) -> Snake {
        let size = total + 4;
        Snake {
            forward: vec![0; size],
            backward: vec![0; size],
        }
    }

    /// A point on an optimal path through `a` × `b` (both non-empty, without a common first
    /// or last item), or `None` when finding it would take too long.
    fn split<T: PartialEq>(&mut self, a: &[T], b: &[T]) -> Option<(usize, usize)> {
        let (n, m) = (a.len() as isize, b.len() as isize);
        let delta = n - m;
        let odd = delta & 1 == 1;
        let d_max = (n + m + 1) / 2;
        let limit = (WORK / (a.len() + b.len())).max(MIN_D) as isize;
        // Diagonal k is at index k + off.
        let off = d_max + 1;
        let (vf, vb) = (&mut self.forward, &mut self.backward);
        vf[(1 + off) as usize] = 0;
        vb[(1 + off) as usize] = 0;
        for d in 0..=d_max.min(limit) {
            for k in (-d..=d).step_by(2) {
                let i = (k + off) as usize;
                let x0 = if k == -d || (k != d && vf[i - 1] < vf[i + 1]) {
                    vf[i + 1]
                } else {
                    vf[i - 1] + 1
                } as isize;
                let y0 = x0 - k;
                let (mut x, mut y) = (x0, y0);
                while x < n && y < m && a[x as usize] == b[y as usize] {
                    x += 1;
                    y += 1;
                }
                vf[i] = x as usize;
                let back = delta - k;
                if odd && back.abs() < d && x + vb[(back + off) as usize] as isize >= n {
                    return Some((x0 as usize, y0 as usize));
                }
            }
            for k in (-d..=d).step_by(2) {
                let i = (k + off) as usize;
                let mut x = if k == -d || (k != d && vb[i - 1] < vb[i + 1]) {
                    vb[i + 1]
                } else {
                    vb[i - 1] + 1
                } as isize;
                let mut y = x - k;
                while x < n && y < m && a[(n - x - 1) as usize] == b[(m - y - 1) as usize] {
                    x += 1;
                    y += 1;
                }
                vb[i] = x as usize;
                let fore = delta - k;
                if !odd && fore.abs() <= d && x + vf[(fore + off) as usize] as isize >= n {
                    return Some(((n - x) as usize, (m - y) as usize));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The alignment written compactly: `=` same, `-` only in a, `+` only in b.
    fn shape(a: &str, b: &str) -> String {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let steps = align(&a, &b);
        let (mut i, mut j) = (0, 0);
        let mut s = String::new();
        for step in &steps {
            match *step {
                Step::Both(x, y) => {
                    assert_eq!((x, y), (i, j));
                    assert_eq!(a[x], b[y]);
                    s.push('=');
                    (i, j) = (x + 1, y + 1);
                }
                Step::OnlyA(x) => {
                    assert_eq!(x, i);
                    s.push('-');
                    i += 1;
                }
                Step::OnlyB(y) => {
                    assert_eq!(y, j);
                    s.push('+');
                    j += 1;
                }
            }
        }
        assert_eq!((i, j), (a.len(), b.len()), "every item once");
        s
    }

    fn lcs_len(s: &str) -> usize {
        s.matches('=').count()
    }

    #[test]
    fn identical_sequences_align_whole() {
        assert_eq!(shape("abcd", "abcd"), "====");
        assert_eq!(shape("", ""), "");
    }

    #[test]
    fn inserted_items_are_only_in_b() {
        assert_eq!(shape("abd", "abcd"), "==+=");
        assert_eq!(shape("", "xy"), "++");
    }

    #[test]
    fn deleted_items_are_only_in_a() {
        assert_eq!(shape("abcd", "acd"), "=-==");
        assert_eq!(shape("xy", ""), "--");
    }

    #[test]
    fn a_changed_item_is_removed_then_added() {
        assert_eq!(shape("abcd", "abxd"), "==-+=");
    }

    #[test]
    fn reordered_items_keep_the_longest_common_order() {
        let s = shape("abcde", "aecdb");
        assert_eq!(lcs_len(&s), 3, "{s}");
        let s = shape("supervisor triage data", "supervisor data triage");
        assert!(lcs_len(&s) >= 17, "{s}");
    }

    #[test]
    fn finds_the_longest_common_subsequence() {
        // Checked against the quadratic dynamic programme on many small pairs.
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..500 {
            let gen = |rng: &mut fastrand::Rng| -> String {
                let n = rng.usize(0..12);
                (0..n)
                    .map(|_| rng.choice(['a', 'b', 'c']).unwrap_or('a'))
                    .collect()
            };
            let (a, b) = (gen(&mut rng), gen(&mut rng));
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let mut dp = vec![vec![0usize; y.len() + 1]; x.len() + 1];
            for i in (0..x.len()).rev() {
                for j in (0..y.len()).rev() {
                    dp[i][j] = if x[i] == y[j] {
                        dp[i + 1][j + 1] + 1
                    } else {
                        dp[i + 1][j].max(dp[i][j + 1])
                    };
                }
            }
            assert_eq!(lcs_len(&shape(&a, &b)), dp[0][0], "{a} vs {b}");
        }
    }

    #[test]
    fn long_similar_sequences_align_quickly_in_linear_space() {
        let a: Vec<u32> = (0..1_000_000).collect();
        let mut b = a.clone();
        b.remove(500_000);
        b.insert(10, 7_777_777);
        let steps = align(&a, &b);
        let both = steps.iter().filter(|s| matches!(s, Step::Both(..))).count();
        assert_eq!(both, 999_999);
        // Entirely different: bounded work, everything removed and added.
        let c: Vec<u32> = (2_000_000..2_200_000).collect();
        assert_eq!(align(&a[..200_000], &c).len(), 400_000);
    }
}

//! The lines of a JSON-lines input that may hold a record (not blank, not a `#` comment), with
//! their 1-based numbers: all at once, one at a time, or just the number of the last.

/// The lines of a JSON-lines input that may hold a record (not blank, not a `#` comment), with
/// their 1-based numbers, and the number of the last.
pub(crate) fn object_lines(input: &str) -> (Vec<(usize, &str)>, Option<usize>) {
    let lines: Vec<(usize, &str)> = numbered_object_lines(input).collect();
    let last = lines.last().map(|(n, _)| *n);
    (lines, last)
}

/// The lines [`object_lines`] gives, one at a time (for a thread that hands them on as it
/// finds them).
pub(crate) fn numbered_object_lines(input: &str) -> impl Iterator<Item = (usize, &str)> {
    input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, object_text(l)))
        .filter(|(_, l)| may_hold_record(l))
}

/// The number of the last line [`object_lines`] gives, found from the end: the lines are
/// counted by their ends, not split.
pub(crate) fn last_object_line(input: &str) -> Option<usize> {
    let ends = input.bytes().filter(|&b| b == b'\n').count();
    let total = ends + usize::from(!input.is_empty() && !input.ends_with('\n'));
    let from_end = input
        .lines()
        .rev()
        .position(|l| may_hold_record(object_text(l)))?;
    Some(total - from_end)
}

/// A line's text without a byte order mark and surrounding white space.
fn object_text(line: &str) -> &str {
    line.trim_start_matches('\u{feff}').trim()
}

/// Not blank, not a `#` comment.
fn may_hold_record(text: &str) -> bool {
    !text.is_empty() && !text.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_found_from_the_end_is_the_last_one_listed() {
        let inputs = [
            "",
            "\n",
            "{}",
            "{}\n",
            "{}\n\n  \n",
            "{}\r\n{}\r\n",
            "{}\n# note\n",
            "# note\n\n",
            "\u{feff}{}\n{} \n\n#x",
            "a\n\nb\n\u{feff}\n",
        ];
        for input in inputs {
            let (lines, last) = object_lines(input);
            assert_eq!(last_object_line(input), last, "{input:?}");
            let one_at_a_time: Vec<_> = numbered_object_lines(input).collect();
            assert_eq!(one_at_a_time, lines, "{input:?}");
        }
    }
}

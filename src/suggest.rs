//! "Did you mean ...?" for unknown keys, choices and rule codes.

/// Edit distance counting an adjacent transposition as one edit (`retnetion` -> `retention`).
pub fn distance(a: &str, b: &str) -> usize {
    let (mut a_lowered, mut b_lowered) = (Vec::new(), Vec::new());
    lowercase_into(a, &mut a_lowered);
    lowercase_into(b, &mut b_lowered);
    Rows::default().edits(&a_lowered, &b_lowered, usize::MAX)
}

/// `s` lowercased, into `out` (cleared first). ASCII, the common case, skips the Unicode
/// tables.
fn lowercase_into(s: &str, out: &mut Vec<char>) {
    out.clear();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// `s` lowercased without its separators, into `out` (cleared first): `stores-data` and
/// `Stores_Data` squash alike.
fn squashed_into(s: &str, out: &mut Vec<char>) {
    out.clear();
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Three rows of the edit table (the transposition looks two rows back), kept between
/// candidates: no table of `a.len()` rows whatever the input, no allocation per candidate.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The distance of [`distance`] on lowercased characters, or some number above `limit`
    /// as soon as a whole row is above it. No later row comes back under it: a cell is a cell
    /// of the row above plus 0 or 1, its left neighbour plus 1 or, for a transposition, a
    /// cell two rows up plus 1; and a row's minimum is at most one more than the row above's,
    /// so that row is at `limit` or more, and one more is already beyond it.
    fn edits(&mut self, a: &[char], b: &[char], limit: usize) -> usize {
        let Rows {
            before,
            previous,
            current,
        } = self;
        before.clear();
        before.resize(b.len() + 1, 0);
        previous.clear();
        previous.extend(0..=b.len());
        current.clear();
        current.resize(b.len() + 1, 0);
        for i in 1..=a.len() {
            current[0] = i;
            let mut minimum = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(before[j - 2] + 1);
                }
                current[j] = best;
                minimum = minimum.min(best);
            }
            if minimum > limit {
                return minimum;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        previous[b.len()]
    }
}

/// The candidate closest to `word`, if it is close enough to be what was meant: at most a
/// third of the word's length in edits (and at least one), or the same word with other
/// separators (`stores-data` for `stores_data`). The first of equally close candidates wins.
/// A candidate whose length differs by more than that is not measured at all: the difference
/// alone is that many edits (a 1 MB key costs no more than a short one).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let (mut lowered, mut squashed) = (Vec::new(), Vec::new());
    lowercase_into(word, &mut lowered);
    squashed_into(word, &mut squashed);
    let (mut other, mut rows) = (Vec::new(), Rows::default());
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        squashed_into(candidate, &mut other);
        let d = if other == squashed {
            0
        } else {
            lowercase_into(candidate, &mut other);
            if other.len().abs_diff(lowered.len()) > limit {
                continue;
            }
            rows.edits(&lowered, &other, limit)
        };
        if d <= limit && best.is_none_or(|(closest, _)| d < closest) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook full-table version, for comparison.
    fn table(a: &str, b: &str) -> usize {
        let (mut a_lowered, mut b_lowered) = (Vec::new(), Vec::new());
        lowercase_into(a, &mut a_lowered);
        lowercase_into(b, &mut b_lowered);
        let (a, b) = (a_lowered, b_lowered);
        let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (rows[i - 1][j] + 1)
                    .min(rows[i][j - 1] + 1)
                    .min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = best;
            }
        }
        rows[a.len()][b.len()]
    }

    /// Words for the comparisons with the whole table: empty, short, transposed, with other
    /// separators and case, non-ASCII, and keys like the schema's.
    const WORDS: [&str; 22] = [
        "",
        "a",
        "ab",
        "ba",
        "retention",
        "retnetion",
        "retension",
        "xxtention",
        "restore_time",
        "restore-time",
        "Restore_Time",
        "frequency",
        "fequrency",
        "CF101",
        "cf110",
        "İstanbul",
        "istanbul",
        "abcabcabc",
        "cbacbacba",
        "key12",
        "health_check",
        "excluded_instances",
    ];

    #[test]
    fn three_rows_agree_with_the_whole_table() {
        for a in WORDS {
            for b in WORDS {
                assert_eq!(distance(a, b), table(a, b), "{a:?} {b:?}");
            }
        }
    }

    /// The cut-off changes no answer: within the limit the distance is exact, beyond it
    /// the result is beyond it too, for every pair of words and every limit.
    #[test]
    fn the_cut_off_keeps_every_distance_within_the_limit() {
        let mut rows = Rows::default();
        let (mut a_lowered, mut b_lowered) = (Vec::new(), Vec::new());
        for a in WORDS {
            for b in WORDS {
                lowercase_into(a, &mut a_lowered);
                lowercase_into(b, &mut b_lowered);
                let exact = table(a, b);
                for limit in 0..=12 {
                    let cut = rows.edits(&a_lowered, &b_lowered, limit);
                    if exact <= limit {
                        assert_eq!(cut, exact, "{a:?} {b:?} limit {limit}");
                    } else {
                        assert!(cut > limit, "{a:?} {b:?} limit {limit}: {cut}");
                    }
                }
            }
        }
    }

    /// A candidate is never skipped when it is within reach: the length difference is a
    /// lower bound of the distance.
    #[test]
    fn the_length_bound_skips_only_what_is_out_of_reach() {
        assert_eq!(closest("retentionnn", ["retention"]), Some("retention"));
        assert_eq!(closest("retentionxxxxx", ["retention"]), None);
        let long = "k".repeat(1 << 20);
        assert_eq!(closest(&long, ["key", "kk"]), None);
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["frequency", "retention", "restore_time"];
        assert_eq!(closest("retension", keys), Some("retention"));
        assert_eq!(closest("retnetion", keys), Some("retention"));
        assert_eq!(closest("restore-time", keys), Some("restore_time"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(
            closest(
                "linear",
                ["exponential-jitter", "exponential", "fixed", "none"]
            ),
            None
        );
        assert_eq!(
            closest("exponential_jitter", ["exponential-jitter", "exponential"]),
            Some("exponential-jitter")
        );
    }

    #[test]
    fn distance_counts_transpositions_once() {
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}

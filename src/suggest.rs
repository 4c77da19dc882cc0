//! "Did you mean ...?" for unknown keys, choices and rule codes.

/// Edit distance counting an adjacent transposition as one edit (`retnetion` -> `retention`).
pub fn distance(a: &str, b: &str) -> usize {
    Rows::default().edits(&lowercase(a), &lowercase(b))
}

fn lowercase(s: &str) -> Vec<char> {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// `s` lowercased without its separators: `stores-data` and `Stores_Data` squash alike.
fn squashed(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
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
    /// The distance of [`distance`] on lowercased characters.
    fn edits(&mut self, a: &[char], b: &[char]) -> usize {
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
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(before[j - 2] + 1);
                }
                current[j] = best;
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
    let lowered = lowercase(word);
    let (mut other, mut rows) = (Vec::new(), Rows::default());
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let d = if squashed(candidate).eq(squashed(word)) {
            0
        } else {
            let length = candidate.chars().flat_map(char::to_lowercase).count();
            if length.abs_diff(lowered.len()) > limit {
                continue;
            }
            other.clear();
            other.extend(candidate.chars().flat_map(char::to_lowercase));
            rows.edits(&lowered, &other)
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
        let (a, b) = (lowercase(a), lowercase(b));
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

    #[test]
    fn three_rows_agree_with_the_whole_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "retention",
            "retnetion",
            "retension",
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
        ];
        for a in words {
            for b in words {
                assert_eq!(distance(a, b), table(a, b), "{a:?} {b:?}");
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

//! "Did you mean ...?" for unknown keys, choices and rule codes.

/// Edit distance counting an adjacent transposition as one edit (`retnetion` -> `retention`).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
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

/// The candidate closest to `word`, if it is close enough to be what was meant: at most a
/// third of the word's length in edits (and at least one), or the same word with other
/// separators (`stores-data` for `stores_data`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| {
            let d = if squash(candidate) == squash(word) {
                0
            } else {
                distance(word, candidate)
            };
            (d, candidate)
        })
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Counts in words, written once for every message.

/// `n` and the word for one, with an `s` unless `n` is one: `plural(3, "file")` is `3 files`.
pub fn plural<N: std::fmt::Display + PartialEq + From<u8>>(n: N, word: &str) -> String {
    if n == N::from(1) {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(plural(0usize, "file"), "0 files");
        assert_eq!(plural(1u32, "attempt"), "1 attempt");
        assert_eq!(plural(2u64, "round"), "2 rounds");
    }
}

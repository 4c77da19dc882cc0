//! The text of one questionnaire as the user wrote it, and the arithmetic between the parser's
//! character positions and byte offsets.

use crate::diagnostic::Span;

/// One input: its display name and its text (UTF-8, BOM removed, line endings normalised to LF).
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (`-` is shown as `<stdin>`).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    ascii: bool,
}

impl Source {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let ascii = text.is_ascii();
        Source {
            name: name.into(),
            text,
            line_starts,
            ascii,
        }
    }

    /// The byte offset of a 1-based line and 0-based character column, clamped to the text.
    pub fn offset(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let within = if self.ascii {
            char_col.min(rest.len())
        } else {
            rest.char_indices()
                .nth(char_col)
                .map_or(rest.len(), |(i, _)| i)
        };
        start + within
    }

    /// The 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// A span from the parser's positions: 1-based lines, 0-based character columns.
    pub fn span(&self, start: (usize, usize), end: (usize, usize)) -> Span {
        let start_offset = self.offset(start.0, start.1);
        let end_offset = self.offset(end.0, end.1).max(start_offset);
        Span {
            line: start.0,
            column: start.1 + 1,
            start: start_offset,
            end: end_offset,
        }
    }

    /// A span covering `len` bytes from a byte offset.
    pub fn span_at(&self, offset: usize, len: usize) -> Span {
        let (line, column) = self.line_col(offset);
        Span {
            line,
            column,
            start: offset,
            end: (offset + len).min(self.text.len()),
        }
    }

    /// The byte range of the line a span starts on (without its newline).
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        start..end.max(start)
    }

    /// The text of a 1-based line.
    pub fn line(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// An I/O error's message without the `(os error N)` tail.
pub fn plain_io(error: &std::io::Error) -> String {
    let text = error.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_not_bytes() {
        let source = Source::new("t", "a: é\nbé: x\n".to_string());
        assert_eq!(source.offset(2, 0), 6);
        // 'x' is the 5th character of line 2 but starts at byte 6 of that line.
        assert_eq!(source.offset(2, 4), 6 + 5);
        assert_eq!(source.line_col(6 + 5), (2, 5));
        assert_eq!(source.line(2), "bé: x");
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let source = Source::new("t", "a: 1".to_string());
        assert_eq!(source.offset(9, 9), 4);
        assert_eq!(source.offset(1, 99), 4);
        assert_eq!(source.line_range(1), 0..4);
    }
}

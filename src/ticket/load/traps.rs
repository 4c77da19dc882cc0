//! YAML's traps in prose: where a value's text stands in the source, and the syntax errors
//! that prose causes (a `: ` or a ` #` inside a plain scalar, text after a block scalar's `|`),
//! named in the partner's words and fixed by writing the text as a `|` block.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::ticket::registry::input::YAML_SYNTAX;

/// How a scalar is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// What a value hangs from: its key's `:` or its list item's `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// The byte offset just after the `:` or the `-`: a rewrite of the value starts here.
    pub from: usize,
    /// The 0-based column of the key or the `-`: the value's lines are indented deeper.
    pub column: usize,
}

impl Owner {
    /// The indentation of a block scalar's lines under this key or item.
    pub fn indent(self) -> usize {
        self.column + 2
    }
}

/// The key or list item a value written at `value_start` belongs to, when only spaces and line
/// breaks stand between them (a comment there would be lost by a rewrite). `key` is the key's
/// span, `None` for a list item.
pub fn value_owner(text: &str, key: Option<Span>, value_start: usize) -> Option<Owner> {
    let value_start = value_start.min(text.len());
    match key {
        Some(key) => {
            let after = key.end;
            if !text.get(after..value_start)?.starts_with(':') {
                return None;
            }
            let between = &text[after + 1..value_start];
            between
                .chars()
                .all(|c| c == ' ' || c == '\n')
                .then_some(Owner {
                    from: after + 1,
                    column: key.column.saturating_sub(1),
                })
        }
        None => {
            let line_start = text[..value_start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = text[line_start..value_start].trim_end_matches(' ');
            let dash = prefix.strip_suffix('-')?;
            (dash.bytes().all(|b| b == b' ') && prefix.len() < value_start - line_start).then_some(
                Owner {
                    from: line_start + prefix.len(),
                    column: dash.len(),
                },
            )
        }
    }
}

/// The lines of a plain scalar that starts at `start` (up to its line's end), with the lines
/// after it that are indented deeper than `column` (blank lines between them included; a
/// shallower line ends it, and so does a comment line unless `hash_lines` says a line that
/// starts with `#` is text): the byte offset where the last one ends, and the lines as
/// written, each trimmed.
pub fn continued_lines(
    text: &str,
    start: usize,
    column: usize,
    hash_lines: bool,
) -> (usize, Vec<&str>) {
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(start);
    let mut lines = vec![text[start..end].trim()];
    let mut blanks = 0;
    let mut at = end;
    while at < text.len() {
        let next = at + 1;
        let next_end = line_end(next);
        let line = &text[next..next_end];
        let body = line.trim_start_matches([' ', '\t']);
        at = next_end;
        if body.is_empty() {
            blanks += 1;
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent <= column || (body.starts_with('#') && !hash_lines) {
            break;
        }
        lines.extend(std::iter::repeat_n("", blanks));
        blanks = 0;
        lines.push(body.trim_end());
        end = next_end;
    }
    (end, lines)
}

/// The first line with text after the line that holds `end`, when it is a comment line (blank
/// lines between are skipped): the offset of its `#` and of its line's end.
pub fn comment_line_after(text: &str, end: usize) -> Option<(usize, usize)> {
    let mut next = end + text.get(end..)?.find('\n')? + 1;
    loop {
        let line = text.get(next..)?.split('\n').next()?;
        let body = line.trim_start_matches(' ');
        if body.starts_with('#') {
            return Some((next + line.len() - body.len(), next + line.len()));
        }
        if !body.trim().is_empty() || next + line.len() >= text.len() {
            return None;
        }
        next += line.len() + 1;
    }
}

/// Whether the comment that a ` #` starts at `hash` looks like text that was cut: `#` directly
/// followed by a letter or digit (`#ops`, `#42`) names a channel or an issue; a comment is
/// written `# like this`.
pub fn hash_is_text(text: &str, hash: usize) -> bool {
    text[hash + 1..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// The last scalar value read before a syntax error.
pub(super) struct Before<'a> {
    pub pointer: &'a str,
    /// The pointer as the user reads it (`incident_management.team_communication`).
    pub name: &'a str,
    pub value: Span,
    pub key: Option<Span>,
    pub written: Written,
}

/// A syntax error that a plain scalar's text causes, at `mark` (the parser's byte offset),
/// worded for the partner, with its fix.
pub(super) fn in_plain_text(
    text: &str,
    info: &str,
    mark: usize,
    before: &Before<'_>,
    at: impl Fn(usize, usize) -> Span,
) -> Option<Diagnostic> {
    if before.written != Written::Plain {
        return None;
    }
    let name = before.name;
    let line_start = text[..mark].rfind('\n').map_or(0, |i| i + 1);
    let word = text[line_start..mark].trim_start_matches(' ');
    if info == "mapping values are not allowed in this context"
        && line_start > before.value.start
        && !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        // `key:` alone at the start of a line that continues the text: a key indented too far.
        return Some(
            Diagnostic::new(
                &YAML_SYNTAX,
                format!(
                    "YAML syntax error: `{word}` is indented deeper than the key above it, so YAML reads it as more text of `{name}`"
                ),
            )
            .at(Some(at(mark - word.len(), word.len())))
            .help(format!(
                "line `{word}` up with the keys beside it (or, if it is text, write the text of `{name}` as a `|` block)"
            )),
        );
    }
    // A line of the text that starts with `#word` (a channel, an issue) right after the value:
    // YAML read it as a comment line, and the text after it as a stray key.
    let hash_line = comment_line_after(text, before.value.end)
        .filter(|&(hash, _)| hash < mark && hash_is_text(text, hash));
    let hash_lines = hash_line.is_some();
    // A comment right after the value on its last line.
    let after = &text[before.value.end.min(text.len())..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    let same_line_hash =
        (gap > 0 && after[gap..].starts_with('#')).then_some(before.value.end + gap);
    let (message, help, applicability) = match info {
        _ if info.starts_with("while parsing a block") && hash_lines => (
            format!(
                "a line of the text of `{name}` starts with `#`, which YAML reads as a comment line, and the text goes on after it"
            ),
            "write the text as a `|` block, where `#` is text",
            Applicability::Safe,
        ),
        // The scalar ends at the colon the parser stopped on.
        "mapping values are not allowed in this context" if before.value.end == mark => {
            let comment =
                text[mark..text[mark..].find('\n').map_or(text.len(), |i| mark + i)].contains(" #");
            (
                format!(
                    "the text of `{name}` contains `: ` (a colon before a space or a line end), which YAML reads as a new key"
                ),
                "write the text as a `|` block (on the lines below the key, indented) or in double quotes",
                // A ` #` after it may be a comment the block would turn into text.
                if comment {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                },
            )
        }
        // The parser says so when the text goes on on the next line; after a blank line it
        // fails on that line as a stray key.
        _ if (info == "comment intercepting the multiline text"
            || info.starts_with("while parsing a block"))
            && let Some(hash) = same_line_hash =>
        {
            (
                format!(
                    "a ` #` in the text of `{name}` starts a YAML comment, and the text goes on after it"
                ),
                "write the text as a `|` block, where `#` is text; a comment goes on a line of its own",
                if hash_is_text(text, hash) {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
            )
        }
        _ => return None,
    };
    // The `#` of a comment line, or where the parser stopped.
    let spot = match (same_line_hash, hash_line) {
        (Some(hash), _) => hash,
        (None, Some((hash, _))) if info.starts_with("while parsing a block") => hash,
        _ => mark,
    };
    let mut diagnostic = Diagnostic::new(&YAML_SYNTAX, format!("YAML syntax error: {message}"))
        .at(Some(at(spot, 1)))
        .pointer(before.pointer)
        .help(help);
    let start = before.value.start;
    let hangs = (before.key, start);
    if let Some(fix) = block_fix(
        text,
        applicability,
        before.pointer,
        hangs,
        (start, hash_lines),
    ) {
        diagnostic = diagnostic.fix(fix);
    }
    Some(diagnostic)
}

/// The fix that writes a plain text as a `|` block: the text starts at `start` and goes on
/// over the lines indented under its key (`key`, `None` for a list item) or item, written at
/// `value_start`; `hash_lines` keeps lines that start with `#` as text.
fn block_fix(
    text: &str,
    applicability: Applicability,
    pointer: &str,
    (key, value_start): (Option<Span>, usize),
    (start, hash_lines): (usize, bool),
) -> Option<Fix> {
    let owner = value_owner(text, key, value_start)?;
    let (end, lines) = continued_lines(text, start, owner.column, hash_lines);
    Fix::literal_block(
        applicability,
        pointer,
        (owner.from, end),
        &lines,
        owner.indent(),
    )
}

/// Text written after a block scalar's `|` or `>` on its own line, at `mark` (the indicator):
/// the block's text starts on the next line. `key` is the key the block is the value of.
pub(super) fn after_block_indicator(
    text: &str,
    mark: usize,
    (pointer, name): (&str, &str),
    key: Span,
    at: impl Fn(usize, usize) -> Span,
) -> Option<Diagnostic> {
    let header = text.get(mark..)?;
    let indicator = header.chars().next().filter(|c| matches!(c, '|' | '>'))?;
    let rest = header[1..].trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
    let words = rest.trim_start_matches(' ');
    if words.is_empty() || words.starts_with(['#', '\n']) {
        return None;
    }
    let start = text.len() - words.len();
    let mut diagnostic = Diagnostic::new(
        &YAML_SYNTAX,
        format!(
            "YAML syntax error: text follows `{indicator}` on its line, but the text of a block starts on the next line"
        ),
    )
    .at(Some(at(start, 1)))
    .pointer(pointer)
    .help(format!(
        "move the text to the lines below `{}: {indicator}`, indented",
        name.rsplit('.').next().unwrap_or_default()
    ));
    let safe = Applicability::Safe;
    if let Some(fix) = block_fix(text, safe, pointer, (Some(key), mark), (start, false)) {
        diagnostic = diagnostic.fix(fix);
    }
    Some(diagnostic)
}

/// An empty block scalar (`key: |`) followed by text that is not indented deeper than its key:
/// the text was meant as the block's. `None` unless the line after the header is such text.
pub(super) fn under_indented_block(
    text: &str,
    (pointer, name): (&str, &str),
    key: Span,
    header_line_end: usize,
    at: impl Fn(usize, usize) -> Span,
) -> Option<Diagnostic> {
    let next = header_line_end + 1;
    let line = text.get(next..)?.split('\n').next()?;
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    if body.is_empty() || body.starts_with('#') || indent > key.column.saturating_sub(1) {
        return None;
    }
    let key_name = name.rsplit('.').next().unwrap_or_default();
    Some(
        Diagnostic::new(
            &YAML_SYNTAX,
            format!(
                "YAML syntax error: the text under `{key_name}: |` must be indented deeper than `{key_name}`"
            ),
        )
        .at(Some(at(next + indent, 1)))
        .pointer(pointer)
        .help(format!(
            "indent the lines of the answer by at least {} spaces",
            key.column + 1
        )),
    )
}

/// The edits that replace a tab the parser refused, and how sure they are: a tab between
/// words becomes a space; a line indented with tabs gets the indentation the line above says
/// (a block's text lines: the block's; the first line under `key: |`: the key's and 2), and
/// so do the lines after it that are indented with tabs too. `None` when the line above leaves
/// the depth open (`key:` opens a mapping of unknown depth).
pub(super) fn tab_edits(
    text: &str,
    tab: usize,
    indenting: bool,
) -> Option<(Vec<Edit>, Applicability)> {
    if !indenting {
        return Some((
            vec![Edit {
                start: tab,
                end: tab + 1,
                content: " ".to_owned(),
            }],
            Applicability::Safe,
        ));
    }
    let line_start = text[..tab].rfind('\n').map_or(0, |i| i + 1);
    // The nearest line above with text, indented with spaces only.
    let above = text[..line_start.saturating_sub(1)]
        .rsplit('\n')
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))?;
    let above_body = above.trim_start_matches(' ');
    if above_body.starts_with('\t') {
        return None;
    }
    let above_indent = above.len() - above_body.len();
    let head = above_body.trim_end();
    let header = head
        .trim_end_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit())
        .ends_with(['|', '>']);
    let key = |line: &str| {
        let line = line.strip_prefix("- ").unwrap_or(line);
        line.split_once(':').is_some_and(|(word, rest)| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && (rest.is_empty() || rest.starts_with(' '))
        })
    };
    let (target, applicability) = if header {
        let item = if above_body.starts_with("- ") { 2 } else { 0 };
        (above_indent + item + 2, Applicability::Safe)
    } else if head.ends_with(':') {
        return None;
    } else if key(above_body) {
        // A sibling key, most likely: a guess at the structure, applied only when asked for.
        (above_indent, Applicability::Unsafe)
    } else {
        // A line of text: the text's own indentation.
        (above_indent, Applicability::Safe)
    };
    let tabs = |ws: &str| ws.matches('\t').count();
    let mut edits = Vec::new();
    let mut first_tabs = None;
    let mut start = line_start;
    for line in text[line_start..].split('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let ws = &line[..line.len() - body.len()];
        if !body.is_empty() {
            if !ws.contains('\t') {
                break;
            }
            let first = *first_tabs.get_or_insert(tabs(ws));
            let depth = target + 2 * tabs(ws).saturating_sub(first);
            edits.push(Edit {
                start,
                end: start + ws.len(),
                content: " ".repeat(depth),
            });
        }
        start += line.len() + 1;
    }
    (!edits.is_empty()).then_some((edits, applicability))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_keys_and_list_items() {
        let text = "a:\n  b: text\n  c:\n    - item\n";
        let key = Span {
            line: 2,
            column: 3,
            start: 5,
            end: 6,
        };
        assert_eq!(
            value_owner(text, Some(key), 8),
            Some(Owner { from: 7, column: 2 })
        );
        let item = text.find("item").unwrap();
        assert_eq!(
            value_owner(text, None, item),
            Some(Owner {
                from: item - 1,
                column: 4
            })
        );
        // A comment between the key and its value would be lost.
        let text = "b:  # note\n  text\n";
        let key = Span {
            line: 1,
            column: 1,
            start: 0,
            end: 1,
        };
        assert_eq!(
            value_owner(text, Some(key), text.find("text").unwrap()),
            None
        );
    }

    #[test]
    fn continued_lines_stop_at_a_shallower_line_or_a_comment() {
        let text = "  b: one\n    two\n\n    three\n  c: x\n";
        let start = text.find("one").unwrap();
        let (end, lines) = continued_lines(text, start, 2, false);
        assert_eq!(lines, ["one", "two", "", "three"]);
        assert_eq!(&text[end..end + 1], "\n");
        assert!(text[..end].ends_with("three"));
        let (_, lines) = continued_lines("b: one\n  # c\n  two\n", 3, 0, false);
        assert_eq!(lines, ["one"]);
        let (_, lines) = continued_lines("b: one\n  #c\n  two\n", 3, 0, true);
        assert_eq!(lines, ["one", "#c", "two"]);
    }

    #[test]
    fn a_hash_before_a_word_is_text() {
        assert!(hash_is_text("to #ops", 3));
        assert!(!hash_is_text("x # note", 2));
        assert!(!hash_is_text("x #", 2));
    }
}

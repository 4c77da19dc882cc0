//! User text made safe for the ticket's markup: every character the target would read as
//! markup is escaped, and nothing else, so the raw text stays readable.
//!
//! Markdown (CommonMark/GFM): backslash escapes for the inline markers, the line-start block
//! markers and `|` (tables). What Python-Markdown cannot unescape is written as an entity,
//! which every Markdown renderer decodes: `<` as `&lt;`, `&` as `&amp;` where it would start
//! an entity, and `~` as `&#126;` where two of them could strike text through.
//! Jira wiki markup: backslash escapes for `{ } [ ] | !`, for the text effects
//! (`* _ - + ^ ~ ??`) where they could open or close one, and for the line-start markers
//! (`#`, `h1.`, `bq.`); a backslash itself becomes `&#92;` (`\\` is a line break there).

/// The target markup of the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Markdown,
    Jira,
}

/// One line (or several) of user text, escaped for inline use. Line breaks are kept; every
/// line gets the line-start escapes, since a template may put any line at a line's start.
pub fn inline(text: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // A single `~` strikes nothing through; two may, even across lines.
    let strike = text.matches('~').nth(1).is_some();
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let line = line.trim_end_matches('\r');
        match flavor {
            Flavor::Markdown => markdown_line(line.trim_start(), strike, &mut out),
            Flavor::Jira => jira_line(line.trim_start(), &mut out),
        }
    }
    out
}

/// A table cell: escaped, on one line.
pub fn cell(text: &str, flavor: Flavor) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = inline(&one_line, flavor);
    if escaped.is_empty() {
        // An empty Jira cell merges with its neighbour; a space keeps the column.
        " ".to_owned()
    } else {
        escaped
    }
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn markdown_line(line: &str, strike: bool, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let ends_marker = |at: usize| chars.get(at).is_none_or(|c| *c == ' ' || *c == '\t');
    let only = |marker: char| chars.iter().all(|&c| c == marker || c == ' ');
    // Block markers at the line start: headings, quotes, list items, rules, setext underlines.
    let ordered_marker = chars
        .iter()
        .position(|c| !c.is_ascii_digit())
        .filter(|&end| {
            end > 0 && end <= 9 && matches!(chars[end], '.' | ')') && ends_marker(end + 1)
        });
    let hashes = chars.iter().take_while(|&&c| c == '#').count();
    let mut start = 0;
    if let Some(end) = ordered_marker {
        out.extend(&chars[..end]);
        out.push('\\');
        out.push(chars[end]);
        start = end + 1;
    } else if let Some(&first) = chars.first()
        && (first == '>'
            || (matches!(first, '-' | '+' | '*') && (ends_marker(1) || only(first)))
            || (first == '#' && hashes <= 6 && ends_marker(hashes))
            || (first == '=' && only('=')))
    {
        out.push('\\');
        out.push(first);
        start = 1;
    }
    escape_each(&chars, start, out, |c, before, after, rest| match c {
        '\\' | '`' | '*' | '[' | ']' | '>' | '|' => Escape::Backslash,
        '<' => Escape::With("&lt;"),
        '~' if strike => Escape::With("&#126;"),
        // Intraword underscores (`restore_time`) never emphasise.
        '_' if !(is_word(before) && is_word(after)) => Escape::Backslash,
        // `&amp;`, `&#92;`: an entity would be decoded.
        '&' if entity_follows(rest) => Escape::With("&amp;"),
        _ => Escape::Keep,
    });
}

/// What one character becomes.
enum Escape {
    Keep,
    Backslash,
    With(&'static str),
}

/// Escape `chars[start..]` one character at a time; `rule` sees the character, its
/// neighbours and the characters after it.
fn escape_each(
    chars: &[char],
    start: usize,
    out: &mut String,
    rule: impl Fn(char, Option<char>, Option<char>, &[char]) -> Escape,
) {
    for index in start..chars.len() {
        let c = chars[index];
        let before = index.checked_sub(1).map(|i| chars[i]);
        match rule(
            c,
            before,
            chars.get(index + 1).copied(),
            &chars[index + 1..],
        ) {
            Escape::Keep => out.push(c),
            Escape::Backslash => {
                out.push('\\');
                out.push(c);
            }
            Escape::With(text) => out.push_str(text),
        }
    }
}

/// `amp;`, `#92;`, `#x5C;`: what would make `&` start a character reference.
fn entity_follows(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

fn jira_line(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    // `h1.` .. `h6.` and `bq.` at the line start make a heading or a quote.
    let lower: String = chars
        .iter()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    let block = (lower.len() == 3
        && lower.starts_with('h')
        && matches!(lower.as_bytes()[1], b'1'..=b'6')
        && lower.ends_with('.'))
        || lower == "bq.";
    if block {
        out.extend(&chars[..2]);
        out.push_str("\\.");
        start = 3;
    } else if chars.first() == Some(&'#') {
        out.push_str("\\#");
        start = 1;
    }
    escape_each(&chars, start, out, |c, before, after, rest| match c {
        '\\' => Escape::With("&#92;"),
        '{' | '}' | '[' | ']' | '|' | '!' => Escape::Backslash,
        // Text effects open after a non-word character and close before one; between two
        // word characters (`roll-forward`, `restore_time`) they are plain text.
        '*' | '_' | '-' | '+' | '^' | '~' if !(is_word(before) && is_word(after)) => {
            Escape::Backslash
        }
        '?' if before == Some('?') || after == Some('?') => Escape::Backslash,
        '&' if entity_follows(rest) => Escape::With("&amp;"),
        _ => Escape::Keep,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_escapes(flavor: Flavor, cases: &[(&str, &str)]) {
        for (text, expected) in cases {
            assert_eq!(inline(text, flavor), *expected, "{flavor:?}: {text:?}");
        }
    }

    #[test]
    fn markdown_escapes_markup_and_keeps_prose() {
        assert_escapes(
            Flavor::Markdown,
            &[
                ("We roll back in 5 minutes.", "We roll back in 5 minutes."),
                ("restore_time is 2h", "restore_time is 2h"),
                (
                    "a | b *bold* _it_ `code`",
                    "a \\| b \\*bold\\* \\_it\\_ \\`code\\`",
                ),
                (
                    "<script>alert(1)</script>",
                    "&lt;script\\>alert(1)&lt;/script\\>",
                ),
                ("about ~30 minutes", "about ~30 minutes"),
                ("~struck~ text", "&#126;struck&#126; text"),
                ("[link](https://x.example)", "\\[link\\](https://x.example)"),
                ("# not a heading", "\\# not a heading"),
                ("- not a list", "\\- not a list"),
                ("1. not a list", "1\\. not a list"),
                ("2026) ok", "2026\\) ok"),
                ("4.2 million, -5 %, #1", "4.2 million, -5 %, #1"),
                ("---", "\\---"),
                ("===", "\\==="),
                ("## x", "\\## x"),
                ("R&D &amp; more", "R&D &amp;amp; more"),
                ("two\n> lines", "two\n\\> lines"),
                ("C:\\path", "C:\\\\path"),
            ],
        );
    }

    #[test]
    fn jira_escapes_markup_and_keeps_prose() {
        assert_escapes(
            Flavor::Jira,
            &[
                ("roll-forward on 2026-10-01", "roll-forward on 2026-10-01"),
                ("{code}x{code}", "\\{code\\}x\\{code\\}"),
                (
                    "[~admin] |cell| !image.png!",
                    "\\[\\~admin\\] \\|cell\\| \\!image.png\\!",
                ),
                (
                    "*bold* _it_ -del- +ins+ ^sup^",
                    "\\*bold\\* \\_it\\_ \\-del\\- \\+ins\\+ \\^sup\\^",
                ),
                ("-5 % and ----", "\\-5 % and \\-\\-\\-\\-"),
                ("h1. title", "h1\\. title"),
                ("bq. quote", "bq\\. quote"),
                ("# numbered", "\\# numbered"),
                ("??cite?? why?", "\\?\\?cite\\?\\? why?"),
                ("a\\\\b", "a&#92;&#92;b"),
                ("R&D &copy;", "R&D &amp;copy;"),
            ],
        );
    }

    #[test]
    fn cells_are_one_line_and_never_empty() {
        assert_eq!(cell("a |\n b", Flavor::Markdown), "a \\| b");
        assert_eq!(cell("", Flavor::Jira), " ");
    }
}

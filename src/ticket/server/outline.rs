//! Where the cursor is in the questionnaire, read from the lines themselves (block-style YAML
//! by indentation), so that completion and hover work while the file does not parse, which is
//! most of the time while the partner types. And what the bundled schema says there.

pub use crate::ticket::schema::{Node, schema_at};

/// The shape of one line of block-style YAML.
#[derive(Debug, Default, PartialEq)]
pub struct Line<'a> {
    /// Column of the first character that is not a space; `None` for a blank or comment line.
    pub indent: Option<usize>,
    /// Columns of the `- ` sequence indicators that open the line.
    pub dashes: Vec<usize>,
    /// The key of a `key:` entry, and its column.
    pub key: Option<(usize, &'a str)>,
    /// Where the value after `key:` (or after the dashes) starts, if anything is written there.
    pub value: Option<(usize, &'a str)>,
}

/// Read one line's shape (columns in bytes).
pub fn line(text: &str) -> Line<'_> {
    let mut shape = Line::default();
    let mut at = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[at..];
    if rest.is_empty() || rest.starts_with('#') {
        return shape;
    }
    shape.indent = Some(at);
    while text[at..].starts_with("- ") || &text[at..] == "-" {
        shape.dashes.push(at);
        at += 1;
        at += text[at..].len() - text[at..].trim_start_matches(' ').len();
    }
    let rest = &text[at..];
    if let Some(colon) = key_end(rest) {
        let key = rest[..colon].trim_end();
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(key);
        shape.key = Some((at, key));
        at += colon + 1;
        at += text[at..].len() - text[at..].trim_start_matches(' ').len();
    }
    let value = strip_comment(&text[at..]).trim_end();
    if !value.is_empty() {
        shape.value = Some((at, value));
    }
    shape
}

/// The byte index of the `:` that ends a mapping key at the start of `text`.
fn key_end(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if "[{&*!|>%@`#".contains(first) {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = text[1..].find(first)? + 1;
        let after = &text[close + 1..];
        let colon = after.len() - after.trim_start_matches(' ').len();
        return (after[colon..].starts_with(':')
            && matches!(after[colon + 1..].chars().next(), None | Some(' ')))
        .then_some(close + 1 + colon);
    }
    let bytes = text.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ') | Some(b'\t')))
        .filter(|&i| !text[..i].contains(" #"))
}

/// A value without its trailing comment.
fn strip_comment(value: &str) -> &str {
    if value.starts_with('#') {
        return "";
    }
    match value.find(" #") {
        Some(i) if !value.starts_with(['"', '\'']) => &value[..i],
        _ => value,
    }
}

/// The path (mapping keys, `0` for a sequence item) of the mapping in which a key written at
/// `column` of line `at` (0-based) stands.
pub fn parent_path(lines: &[&str], at: usize, column: usize) -> Vec<String> {
    let mut reversed: Vec<String> = Vec::new();
    let mut threshold = column;
    if let Some(text) = lines.get(at) {
        for &dash in line(text).dashes.iter().rev() {
            if dash < threshold {
                reversed.push("0".to_owned());
                threshold = dash;
            }
        }
    }
    for text in lines[..at.min(lines.len())].iter().rev() {
        if threshold == 0 {
            break;
        }
        let shape = line(text);
        let Some(indent) = shape.indent else {
            continue;
        };
        if indent >= threshold {
            continue;
        }
        if let Some((key_column, key)) = shape.key
            && key_column < threshold
        {
            reversed.push(key.to_owned());
            threshold = key_column;
        }
        for &dash in shape.dashes.iter().rev() {
            if dash < threshold {
                reversed.push("0".to_owned());
                threshold = dash;
            }
        }
        if shape.key.is_none() && shape.dashes.is_empty() {
            // A line of text that is not a key (a broken line): go on from its indentation.
            threshold = indent;
        }
    }
    reversed.reverse();
    reversed
}

/// The keys already written in the mapping where a key at `column` of line `at` stands.
pub fn sibling_keys<'a>(lines: &[&'a str], at: usize, column: usize) -> Vec<&'a str> {
    let mut found = Vec::new();
    // Upwards, to the line that opens this mapping.
    for text in lines[..at.min(lines.len())].iter().rev() {
        let shape = line(text);
        let Some(indent) = shape.indent else { continue };
        match shape.key {
            Some((c, key)) if c == column => {
                found.push(key);
                if indent < column {
                    break; // `- key:` opens this item
                }
            }
            _ if indent < column => break,
            _ => {}
        }
    }
    // Downwards, to the line that closes it.
    for text in lines.iter().skip(at + 1) {
        let shape = line(text);
        let Some(indent) = shape.indent else { continue };
        if indent < column {
            break;
        }
        if let Some((c, key)) = shape.key
            && c == column
            && indent == column
        {
            found.push(key);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
version: 1
scalability:
  scaling_factors:
    - factor: database-access   # a comment
      description: |
        text: not a key
        more
  rate_limits:
    backoff: none
recovery:
  data:
    stores_data: true
";

    #[test]
    fn lines_have_keys_values_and_dashes() {
        let shape = line("    - factor: database-access   # a comment");
        assert_eq!(shape.indent, Some(4));
        assert_eq!(shape.dashes, [4]);
        assert_eq!(shape.key, Some((6, "factor")));
        assert_eq!(shape.value, Some((14, "database-access")));
        assert_eq!(line("  # only a comment"), Line::default());
        assert_eq!(line("  url: https://a.example").key, Some((2, "url")));
        assert_eq!(line("  - https://a.example").key, None);
    }

    #[test]
    fn paths_follow_indentation_and_items() {
        let lines: Vec<&str> = TEXT.lines().collect();
        assert_eq!(
            parent_path(&lines, 4, 6),
            ["scalability", "scaling_factors", "0"]
        );
        assert_eq!(
            parent_path(&lines, 3, 6),
            ["scalability", "scaling_factors", "0"]
        );
        assert_eq!(parent_path(&lines, 8, 4), ["scalability", "rate_limits"]);
        assert_eq!(parent_path(&lines, 11, 4), ["recovery", "data"]);
        assert_eq!(parent_path(&lines, 9, 0), Vec::<String>::new());
        assert_eq!(sibling_keys(&lines, 4, 6), ["factor"]);
        assert_eq!(sibling_keys(&lines, 7, 2), ["scaling_factors"]);
        assert_eq!(sibling_keys(&lines, 1, 0), ["version", "recovery"]);
    }

    #[test]
    fn the_schema_is_walked_through_refs_and_items() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let node = schema_at(&path(&["recovery", "fix_lead_time"])).unwrap();
        assert!(node.is_duration());
        assert!(node.description().unwrap().starts_with("Typical time"));
        let node = schema_at(&path(&["scalability", "rate_limits", "backoff"])).unwrap();
        assert!(node.values().contains(&"exponential-jitter".to_owned()));
        let node = schema_at(&path(&["app", "products", "0"])).unwrap();
        assert!(node.values().contains(&"jira".to_owned()));
        assert!(schema_at(&path(&["nope"])).is_none());
    }
}

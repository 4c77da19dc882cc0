//! Hover: the rule's documentation on a finding or on a code in a suppression comment, the
//! schema's description (and the rules that read the answer) on a key, and a duration in words
//! and against the error budget.

use crate::words::plural;
use std::time::Duration;

use super::document::Document;
use super::outline::{self, Node};
use crate::duration;
use crate::program;
use crate::report::rules::explain;
use crate::ticket::registry::{self, Rule};

/// The hover text at a byte offset of the normalised text, as Markdown.
pub fn at(document: &Document, offset: usize) -> Option<String> {
    let mut sections: Vec<String> = Vec::new();
    let mut explained: Vec<&'static str> = Vec::new();
    let text = &document.normalised;
    let (line_number, column) = {
        let position = document
            .index
            .position(text, offset, super::document::Encoding::Utf8);
        (position.line as usize, position.character as usize)
    };
    let line_text = document
        .index
        .line(line_number)
        .map_or("", |range| &text[range]);

    if let Some(rule) = suppressed_code(line_text, column) {
        explained.push(rule.code);
        sections.push(explain(rule));
    }
    for diagnostic in document.report.iter().flat_map(|r| &r.diagnostics) {
        let Some(span) = diagnostic.span else {
            continue;
        };
        if !(span.start <= offset && offset <= span.end) || explained.contains(&diagnostic.code) {
            continue;
        }
        if let Some(rule) = registry::find(diagnostic.code) {
            explained.push(rule.code);
            let mut section = format!("**{}** {}", diagnostic.code, diagnostic.message);
            if let Some(help) = &diagnostic.help {
                section.push_str(&format!("\n\nhelp: {help}"));
            }
            section.push_str("\n\n");
            section.push_str(&explain(rule));
            sections.push(section);
        }
    }

    let lines: Vec<&str> = text.split('\n').collect();
    let shape = outline::line(line_text);
    if let Some((key_column, key)) = shape.key {
        let mut path = outline::parent_path(&lines, line_number, key_column);
        path.push(key.to_owned());
        if let Some(node) = outline::schema_at(&path) {
            if (key_column..=key_column + key.len()).contains(&column) {
                sections.push(key_hover(&path, &node));
            } else if let Some((value_column, value)) = shape.value
                && column >= value_column
                && node.is_duration()
                && let Some(words) = duration_hover(value)
            {
                sections.push(words);
            }
        }
    } else if let (Some((value_column, value)), Some(&dash)) = (shape.value, shape.dashes.last())
        && column >= value_column
    {
        // A list item that is a duration (none in format 1, but cheap to get right).
        let mut path = outline::parent_path(&lines, line_number, dash + 2);
        path.pop();
        if outline::schema_at(&path)
            .and_then(|n| n.items())
            .is_some_and(|n| n.is_duration())
            && let Some(words) = duration_hover(value)
        {
            sections.push(words);
        }
    }
    (!sections.is_empty()).then(|| sections.join("\n\n---\n\n"))
}

/// The rule whose code the cursor is on, inside `# cfready: ignore[...]`.
fn suppressed_code(line: &str, column: usize) -> Option<&'static Rule> {
    let marker = line.find("cfready: ignore[")?;
    let open = marker + "cfready: ignore[".len();
    let close = open + line[open..].find(']')?;
    if !(open..=close).contains(&column) {
        return None;
    }
    let mut start = open;
    for code in line[open..close].split(',') {
        let end = start + code.len();
        if (start..=end).contains(&column) {
            return registry::find(code.trim());
        }
        start = end + 1;
    }
    None
}

fn key_hover(path: &[String], node: &Node) -> String {
    let dotted: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|s| !s.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let dotted = dotted.join(".");
    let mut out = format!("`{dotted}`");
    if let Some(description) = node.description() {
        out.push_str(&format!("\n\n{description}"));
    }
    let values = node.values();
    if !values.is_empty() && node.kind() != Some("boolean") {
        out.push_str(&format!("\n\nOne of: `{}`", values.join("`, `")));
    }
    let examples = node.examples();
    if !examples.is_empty() {
        out.push_str(&format!("\n\nExample: `{}`", examples.join("`, `")));
    }
    let checked: Vec<String> = registry::reading(&dotted)
        .map(|rule| format!("- {} {}: {}", rule.code, rule.name, rule.summary))
        .collect();
    if !checked.is_empty() {
        out.push_str("\n\nWhat the reviewer looks for (`cfready explain CODE`):\n");
        out.push_str(&checked.join("\n"));
    }
    out
}

/// A duration in words and against the 28-day error budget.
pub fn duration_hover(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(['"', '\'']);
    let parsed = duration::parse(value).ok()?;
    let budget = program::error_budget();
    let days = program::SLO_WINDOW.as_secs() / 86_400;
    let against = if parsed >= budget {
        format!(
            "{} the {days}-day error budget ({})",
            duration::ratio(parsed, budget),
            duration::human(budget)
        )
    } else {
        format!(
            "{:.0} % of the {days}-day error budget ({})",
            parsed.as_secs_f64() / budget.as_secs_f64() * 100.0,
            duration::human(budget)
        )
    };
    Some(format!("`{value}` is {}: {against}.", words(parsed)))
}

/// `2 hours 30 minutes`.
pub fn words(duration: Duration) -> String {
    let mut seconds = duration.as_secs();
    if seconds == 0 {
        return "0 minutes".to_owned();
    }
    let mut parts = Vec::new();
    for (unit, size) in [
        ("week", 7 * 86_400),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        let n = seconds / size;
        seconds %= size;
        if n > 0 {
            parts.push(plural(n, unit));
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_words_and_against_the_budget() {
        assert_eq!(
            duration_hover("2h").unwrap(),
            "`2h` is 2 hours: 3.0x the 28-day error budget (40m 19s)."
        );
        assert_eq!(
            duration_hover("1h30m").unwrap(),
            "`1h30m` is 1 hour 30 minutes: 2.2x the 28-day error budget (40m 19s)."
        );
        assert_eq!(
            duration_hover("20m").unwrap(),
            "`20m` is 20 minutes: 50 % of the 28-day error budget (40m 19s)."
        );
        assert_eq!(duration_hover("soon"), None);
    }

    #[test]
    fn codes_in_suppressions_are_found() {
        let line = "    # cfready: ignore[CF601, CF604] a reason";
        assert_eq!(suppressed_code(line, 24).unwrap().code, "CF601");
        assert_eq!(suppressed_code(line, 31).unwrap().code, "CF604");
        assert!(suppressed_code(line, 40).is_none());
    }
}

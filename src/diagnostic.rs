//! The one finding type that every stage returns and every output format renders.

use serde::Serialize;
use serde_json::Value;

use crate::ticket::registry::Rule;
/// A finding's severity is its rule's: the registry defines it.
pub use crate::ticket::registry::Severity;

/// Where a finding is, in the file as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offsets into the (BOM-less, LF-normalised) text: start inclusive, end exclusive.
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

/// One finding: a rule code, a severity, a message and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `CF012`. Every diagnostic has one (`cfready explain CODE`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The offending value, or the key for an unknown key, or the parent mapping for a missing
    /// key. `None` when the finding concerns the whole file (unreadable, empty, too large).
    pub span: Option<Span>,
    /// The JSON pointer of the value concerned, when there is one.
    pub pointer: Option<String>,
    /// One line saying what to do about it.
    pub help: Option<String>,
    /// The change that resolves it, when there is one to suggest.
    pub fix: Option<Fix>,
}

/// How sure a fix is, as ruff classifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// The meaning is unchanged: `yes` to `true`, a duration's canonical spelling, a key typo
    /// renamed to its only candidate.
    Safe,
    /// It changes what the partner commits to (a shorter acknowledgement time, a unit that was
    /// left out): applied only when asked for.
    Unsafe,
    /// Shown, never applied: the value needs the partner's own judgement or cannot be written
    /// as an edit of the text.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// What a fix changes, as data: a test (or another tool) can apply it to the questionnaire's
/// value without reading the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Change {
    /// Set the value at `pointer` (the key is added when it is missing).
    Set { pointer: String, value: Value },
    /// Rename the key at `pointer` to `to`, keeping its value.
    Rename { pointer: String, to: String },
}

impl Change {
    /// Where the changed value is after the change.
    pub fn target(&self) -> String {
        match self {
            Change::Set { pointer, .. } => pointer.clone(),
            Change::Rename { pointer, to } => {
                let parent = &pointer[..pointer.rfind('/').unwrap_or(0)];
                format!("{parent}/{}", to.replace('~', "~0").replace('/', "~1"))
            }
        }
    }
}

/// One text edit: replace the bytes `start..end` of the source (BOM-less, LF-normalised, as
/// [`Span`]) with `content`. An insertion has `start == end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

/// A suggested change: what it does in words, as data, and as text edits that keep everything
/// outside the edited range (comments, quoting, layout) as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What applying it does, such as "replace `yes` with `true`".
    pub title: String,
    pub change: Change,
    /// Empty for a fix that can only be shown.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Replace the scalar at `pointer` (written at `span`) with `value`.
    pub fn replace(
        applicability: Applicability,
        pointer: &str,
        value: Value,
        span: Option<Span>,
    ) -> Fix {
        let content = yaml_text(&value);
        let title = format!("write `{content}`");
        let change = Change::Set {
            pointer: pointer.to_owned(),
            value,
        };
        Fix::at(applicability, title, change, span, content)
    }

    /// Rename the key at `pointer` (written at `key`) to `to`.
    pub fn rename(applicability: Applicability, pointer: &str, to: &str, key: Option<Span>) -> Fix {
        let change = Change::Rename {
            pointer: pointer.to_owned(),
            to: to.to_owned(),
        };
        let content = yaml_text(&Value::String(to.to_owned()));
        Fix::at(
            applicability,
            format!("rename the key to `{to}`"),
            change,
            key,
            content,
        )
    }

    /// A fix whose one edit replaces `span` with `content`; display-only when there is no
    /// span to edit.
    fn at(
        applicability: Applicability,
        title: String,
        change: Change,
        span: Option<Span>,
        content: String,
    ) -> Fix {
        let (applicability, edits) = match span {
            Some(span) => (
                applicability,
                vec![Edit {
                    start: span.start,
                    end: span.end,
                    content,
                }],
            ),
            None => (Applicability::DisplayOnly, Vec::new()),
        };
        Fix {
            applicability,
            title,
            change,
            edits,
        }
    }

    /// A change that is shown but has no edit (a key to add to a mapping, say).
    pub fn display(pointer: &str, value: Value) -> Fix {
        let content = yaml_text(&value);
        let key = pointer.rsplit('/').next().unwrap_or_default();
        Fix {
            applicability: Applicability::DisplayOnly,
            title: format!("set `{key}: {content}`"),
            change: Change::Set {
                pointer: pointer.to_owned(),
                value,
            },
            edits: Vec::new(),
        }
    }

    /// Rewrite the value at `pointer`, written in the source from `from` (just after its key's
    /// `:` or its list item's `-`) to `to`, as a literal block scalar (`|`) of `lines`, each
    /// indented by `indent` spaces: every character stays text, and the line breaks stay
    /// where they are. `None` when there is no text, or when the first line starts with a
    /// space (a block would read it as indentation).
    pub fn literal_block(
        applicability: Applicability,
        pointer: &str,
        (from, to): (usize, usize),
        lines: &[&str],
        indent: usize,
    ) -> Option<Fix> {
        let (content, value) = literal_block(lines, indent)?;
        Some(Fix {
            applicability,
            title: "write the text as a `|` block".to_owned(),
            change: Change::Set {
                pointer: pointer.to_owned(),
                value: Value::String(value),
            },
            edits: vec![Edit {
                start: from,
                end: to,
                content: format!(" {content}"),
            }],
        })
    }
}

/// `lines` as a literal block scalar indented by `indent` spaces: its text (from the `|`, with
/// no line break after the last line) and the value YAML reads back. Blank lines at either end
/// are left out; trailing spaces are dropped.
pub fn literal_block(lines: &[&str], indent: usize) -> Option<(String, String)> {
    let lines: Vec<&str> = lines.iter().map(|line| line.trim_end()).collect();
    let first = lines.iter().position(|line| !line.is_empty())?;
    let last = lines.iter().rposition(|line| !line.is_empty())?;
    let lines = &lines[first..=last];
    if lines[0].starts_with([' ', '\t']) {
        return None;
    }
    let mut content = String::from("|");
    for line in lines {
        content.push('\n');
        if !line.is_empty() {
            content.extend(std::iter::repeat_n(' ', indent));
            content.push_str(line);
        }
    }
    Some((content, format!("{}\n", lines.join("\n"))))
}

/// A value as YAML text in flow style: plain scalars where the core schema reads them back as
/// the same value, double quotes (a JSON string, which YAML reads the same) otherwise.
pub fn yaml_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if plain_safe(s) => s.clone(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(yaml_text).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", yaml_text(&Value::String(k.clone())), yaml_text(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// Whether `text` can be written as a plain scalar that reads back as this same string.
fn plain_safe(text: &str) -> bool {
    let reserved = [
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
    ];
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && !text.ends_with([' ', ':'])
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _./+-@".contains(c))
        && !reserved.contains(&text)
        && text.parse::<f64>().is_err()
        && !text.starts_with("0x")
        && !text.starts_with("0o")
        && !text.contains(" #")
}

impl Diagnostic {
    pub fn new(rule: &Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            span: None,
            pointer: None,
            help: None,
            fix: None,
        }
    }

    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_text_reads_back_as_the_same_value() {
        assert_eq!(yaml_text(&Value::Bool(true)), "true");
        assert_eq!(yaml_text(&Value::from("45m")), "45m");
        assert_eq!(yaml_text(&Value::from("true")), "\"true\"");
        assert_eq!(yaml_text(&Value::from("12")), "\"12\"");
        assert_eq!(yaml_text(&Value::from("a: b")), "\"a: b\"");
        assert_eq!(
            yaml_text(&serde_json::json!({"paged": true, "acknowledge_within": "25m"})),
            "{paged: true, acknowledge_within: 25m}"
        );
    }

    #[test]
    fn a_rename_targets_the_new_key() {
        let change = Change::Rename {
            pointer: "/recovery/data/backup/retension".to_owned(),
            to: "retention".to_owned(),
        };
        assert_eq!(change.target(), "/recovery/data/backup/retention");
    }
}

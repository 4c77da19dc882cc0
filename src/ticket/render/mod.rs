//! Stage 5 for `cfready render`: the approval ticket's text, from minijinja templates.
//!
//! The templates are embedded (`templates/*.j2`); a directory given with `--templates` overrides
//! them by name. Each flavor's entry template (`ticket.md.j2`, `ticket.jira.j2`) imports its
//! markup macros and includes the shared body (`ticket-body.j2`), so the content and its order
//! live in one place. Every value a template prints is escaped for the flavor's markup unless a
//! filter or macro produced it as markup; undefined names are errors (strict undefined).

pub mod escape;

use crate::words::plural;
use std::path::{Path, PathBuf};

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

pub use escape::Flavor;

use crate::duration;

/// The embedded templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "ticket.md.j2",
        include_str!("../../../templates/ticket.md.j2"),
    ),
    (
        "ticket.jira.j2",
        include_str!("../../../templates/ticket.jira.j2"),
    ),
    (
        "ticket-body.j2",
        include_str!("../../../templates/ticket-body.j2"),
    ),
    (
        "markup.md.j2",
        include_str!("../../../templates/markup.md.j2"),
    ),
    (
        "markup.jira.j2",
        include_str!("../../../templates/markup.jira.j2"),
    ),
];

impl Flavor {
    /// The entry template of the flavor.
    pub fn template(self) -> &'static str {
        match self {
            Flavor::Markdown => "ticket.md.j2",
            Flavor::Jira => "ticket.jira.j2",
        }
    }
}

/// Why a ticket could not be rendered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    /// A template is broken: its syntax, an undefined name, a bad filter call.
    #[error("template `{template}`{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Template {
        template: String,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot read template `{}`: {message}", path.display())]
    Read { path: PathBuf, message: String },
}

/// The state of the questionnaire, for the "not ready" banner of `--force`.
#[derive(Debug, Clone, Serialize)]
pub struct NotReady {
    pub errors: usize,
    pub warnings: usize,
}

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub flavor: Flavor,
    /// A directory whose templates override the embedded ones by name.
    pub templates: Option<PathBuf>,
    /// `Some` renders a "not ready" banner at the top (`--force` with findings).
    pub not_ready: Option<NotReady>,
}

/// Render the ticket for a questionnaire value (one that passed the schema, or `--force`).
pub fn ticket(value: &serde_json::Value, options: &RenderOptions) -> Result<String, RenderError> {
    let env = environment(options.flavor, options.templates.clone());
    let context = context(value, crate::ticket::schema::schema(), options);
    let template = env
        .get_template(options.flavor.template())
        .map_err(|e| template_error(&e))?;
    let mut text = template.render(context).map_err(|e| template_error(&e))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// The template context: the questionnaire with every key of the schema present (absent
/// optional values are `none`, so a template tests them with `{% if %}` and a misspelt name
/// is still an error), plus what cfready computes.
fn context(
    value: &serde_json::Value,
    schema: &serde_json::Value,
    options: &RenderOptions,
) -> Value {
    let mut filled = value.clone();
    if !filled.is_object() {
        filled = serde_json::Value::Object(serde_json::Map::new());
    }
    complete(&mut filled, schema, schema);
    let health_checks = crate::ticket::health_check::targets_from(value).unwrap_or_default();
    let mut root = match filled {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    root.insert(
        "health_checks".to_owned(),
        serde_json::json!(
            health_checks
                .iter()
                .map(|t| serde_json::json!({"base_url": t.base_url, "url": t.url}))
                .collect::<Vec<_>>()
        ),
    );
    // Every base URL, with its health check URL when the questionnaire has a health path.
    let base_urls: Vec<serde_json::Value> = value
        .pointer("/app/base_urls")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .map(|base| {
            let check = health_checks
                .iter()
                .find(|t| t.base_url.as_deref() == Some(base));
            // The descriptor each base URL serves, when the questionnaire names its path.
            let descriptor = value
                .pointer("/app/health_check/descriptor_path")
                .and_then(serde_json::Value::as_str)
                .map(|path| crate::ticket::health_check::health_url(base, path));
            serde_json::json!({"url": base, "health_check": check.map(|t| &t.url), "descriptor": descriptor})
        })
        .collect();
    root.insert("base_urls".to_owned(), serde_json::Value::Array(base_urls));
    // The app's kind, as check, probe and monitor read it: whose monitor requests the health
    // check, and what a Forge app without a remote is measured by.
    let kind = crate::ticket::health_check::Kind::of(value);
    root.insert(
        "cfready".to_owned(),
        serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "kind": kind,
            "kind_label": kind.label(),
            "atlassian_probes": kind.atlassian_probes(),
            "flavor": match options.flavor { Flavor::Markdown => "markdown", Flavor::Jira => "jira" },
            "not_ready": options.not_ready,
        }),
    );
    Value::from(minijinja::value::Serde(serde_json::Value::Object(root)))
}

/// Give every object the keys its schema defines: `null` when absent, and an empty object or
/// list when the schema requires one (even only conditionally), so that templates can reach
/// into it; absent optional objects stay `null`. A value of the wrong shape (`--force` on a
/// questionnaire with schema errors) is replaced the same way, so a template never trips on it.
fn complete(value: &mut serde_json::Value, node: &serde_json::Value, root: &serde_json::Value) {
    let node = resolve(node, root);
    match value {
        serde_json::Value::Object(map) => {
            let Some(properties) = node.get("properties").and_then(|p| p.as_object()) else {
                return;
            };
            let required = required_keys(node);
            for (key, property) in properties {
                let property = resolve(property, root);
                let expected_object = property.get("properties").is_some();
                // A list only: `hours` may be one range (text) or a list of them.
                let expected_list = property.get("items").is_some()
                    && property.get("type").is_none_or(|t| t == "array");
                let entry = map.entry(key.clone()).or_insert(serde_json::Value::Null);
                // `app:` left empty is null where an object is required: it gets one too.
                if (expected_object && !entry.is_object()) || (expected_list && !entry.is_array()) {
                    *entry = if !required.contains(&key.as_str()) {
                        serde_json::Value::Null
                    } else if expected_object {
                        serde_json::Value::Object(serde_json::Map::new())
                    } else {
                        serde_json::Value::Array(Vec::new())
                    };
                }
                complete(entry, property, root);
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(item_schema) = node.get("items") {
                let item_schema = resolve(item_schema, root);
                if item_schema.get("properties").is_some() {
                    items.retain(serde_json::Value::is_object);
                }
                for item in items {
                    complete(item, item_schema, root);
                }
            }
        }
        _ => {}
    }
}

/// The keys an object schema requires, unconditionally or in an `if`/`then`/`else` branch.
fn required_keys(node: &serde_json::Value) -> Vec<&str> {
    let conditional = node
        .get("allOf")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .chain(std::iter::once(node))
        .flat_map(|part| {
            ["then", "else"]
                .into_iter()
                .filter_map(move |b| part.get(b))
        });
    std::iter::once(node)
        .chain(conditional)
        .filter_map(|n| n.get("required").and_then(|r| r.as_array()))
        .flatten()
        .filter_map(|k| k.as_str())
        .collect()
}

fn resolve<'a>(node: &'a serde_json::Value, root: &'a serde_json::Value) -> &'a serde_json::Value {
    match node
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => root.pointer(pointer).unwrap_or(node),
        None => node,
    }
}

/// The environment for one flavor: strict undefined, the escaping formatter, the filters, and
/// the templates (a directory's first, then the embedded ones).
fn environment(flavor: Flavor, directory: Option<PathBuf>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    // One custom escape for every template, shared bodies included; the formatter knows the
    // flavor.
    env.set_auto_escape_callback(|_| AutoEscape::Custom("cfready".into()));
    env.set_formatter(move |out, _state, value| {
        out.write_str(&format_value(value, flavor))
            .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
    });
    env.set_loader(move |name| load_template(name, directory.as_deref()));
    env.add_filter("answer", move |text: Value| -> Value {
        Value::from_safe_string(if text.is_none() {
            NOT_ANSWERED_MARKUP.to_owned()
        } else {
            answer(&plain(&text), flavor)
        })
    });
    env.add_filter("cell", move |text: Value| -> Value {
        Value::from_safe_string(if text.is_none() {
            escape::cell(NOT_ANSWERED, flavor)
        } else {
            escape::cell(&plain(&text), flavor)
        })
    });
    // A malformed duration (only with --force: lint reports it) shows as written.
    env.add_filter("duration", |text: String| words(&text).unwrap_or(text));
    env.add_filter("every", |text: String| every(&text).unwrap_or(text));
    env.add_filter("label", |text: String| label(&text));
    env.add_filter("link", move |url: String| -> Value {
        Value::from_safe_string(link(&url, flavor))
    });
    env
}

const NOT_ANSWERED: &str = "(not answered)";
const NOT_ANSWERED_MARKUP: &str = "_(not answered)_";

fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// How a printed value appears: markup as it is, text escaped, none as a visible gap.
fn format_value(value: &Value, flavor: Flavor) -> String {
    if value.is_safe() {
        return value.to_string();
    }
    match value.kind() {
        // Emphasis is `_` in both markups.
        ValueKind::None => NOT_ANSWERED_MARKUP.to_owned(),
        ValueKind::Bool => if value.is_true() { "yes" } else { "no" }.to_owned(),
        ValueKind::Seq => value
            .try_iter()
            .map(|items| {
                items
                    .map(|item| format_value(&item, flavor))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        _ => escape::inline(&plain(value), flavor),
    }
}

fn load_template(name: &str, directory: Option<&Path>) -> Result<Option<String>, minijinja::Error> {
    if let Some(directory) = directory {
        // Names are plain file names: no path may leave the directory.
        if !name.contains(['/', '\\']) && !name.starts_with('.') {
            let path = directory.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(Some(text)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(minijinja::Error::new(
                        ErrorKind::TemplateNotFound,
                        format!("cannot read {}: {error}", path.display()),
                    ));
                }
            }
        }
    }
    Ok(TEMPLATES
        .iter()
        .find(|(embedded, _)| *embedded == name)
        .map(|(_, text)| (*text).to_owned()))
}

/// A template error, with the template, the line and the failing expression named.
fn template_error(error: &minijinja::Error) -> RenderError {
    // The innermost error names the template where the problem is (an include's, say).
    if let Some(inner) =
        std::error::Error::source(error).and_then(|s| s.downcast_ref::<minijinja::Error>())
    {
        return template_error(inner);
    }
    let mut template = error.name().unwrap_or("?").to_owned();
    let mut line = error.line();
    let mut message = match error.kind() {
        ErrorKind::UndefinedError => "undefined value".to_owned(),
        ErrorKind::SyntaxError => "syntax error".to_owned(),
        ErrorKind::TemplateNotFound => "template not found".to_owned(),
        ErrorKind::UnknownFilter => "unknown filter".to_owned(),
        ErrorKind::UnknownFunction => "unknown function".to_owned(),
        _ => "error".to_owned(),
    };
    if let Some(detail) = error.detail() {
        // "`app.nmae` is undefined (from ticket.md.j2:2)": the value was used in a macro, but
        // the mistake is where it was looked up.
        if let Some((what, rest)) = detail.split_once(" is undefined") {
            if let Some((name, number)) = rest
                .trim()
                .strip_prefix("(from ")
                .and_then(|origin| origin.trim_end_matches(')').rsplit_once(':'))
            {
                template = name.to_owned();
                line = number.parse().ok();
            }
            message = format!("{what} is not defined");
            if let Some(hint) = undefined_hint(what.trim_matches('`')) {
                message.push_str(&format!("; {hint}"));
            }
        } else {
            message.push_str(": ");
            message.push_str(detail);
            if let (Some(source), Some(range)) = (error.template_source(), error.range())
                && let Some(expression) = source.get(range)
            {
                message.push_str(&format!(" (at `{}`)", expression.trim()));
            }
        }
    }
    RenderError::Template {
        template,
        line,
        message,
    }
}

/// For `app.nmae`: the keys `app` has, and the closest one.
fn undefined_hint(path: &str) -> Option<String> {
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let mut node = crate::ticket::schema::schema();
    if !parent.is_empty() {
        for part in parent.split('.') {
            node = resolve(
                node.get("properties")?.get(part)?,
                crate::ticket::schema::schema(),
            );
        }
    }
    let mut keys: Vec<&str> = node
        .get("properties")?
        .as_object()?
        .keys()
        .map(String::as_str)
        .collect();
    if parent.is_empty() {
        keys.extend(["base_urls", "health_checks", "cfready"]);
    }
    Some(match crate::suggest::closest(key, keys.iter().copied()) {
        Some(best) => format!(
            "did you mean `{}`?",
            if parent.is_empty() {
                best.to_owned()
            } else {
                format!("{parent}.{best}")
            }
        ),
        None => format!("the keys here are: {}", keys.join(", ")),
    })
}

/// A list item's marker at the start of a trimmed line: `- ` or `* ` (a bullet), or a number
/// of one to three digits followed by `. ` or `) ` (a numbered step). The kind and the text
/// after the marker.
fn list_item(trimmed: &str) -> Option<(ListKind, &str)> {
    if let Some(item) = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
    {
        return Some((ListKind::Bullets, item));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &trimmed[digits..];
    ((1..=3).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| (ListKind::Numbered, &rest[2..]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullets,
    Numbered,
}

/// A free-text answer as paragraphs: blank lines separate paragraphs, lines that start with
/// `- ` or `* ` are bullets and lines that start with `1. ` or `1) ` numbered steps (a line
/// indented deeper than the item before it continues that item), and everything else is
/// escaped text.
pub fn answer(text: &str, flavor: Flavor) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let flush = |current: &mut Vec<String>, blocks: &mut Vec<String>| {
        if !current.is_empty() {
            blocks.push(current.join("\n"));
            current.clear();
        }
    };
    // The kind of the list being written, and the indentation of its last item's line.
    let mut list: Option<(ListKind, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut current, &mut blocks);
            list = None;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some((kind, item)) = list_item(trimmed) {
            if list.is_none_or(|(open, _)| open != kind) {
                flush(&mut current, &mut blocks);
            }
            list = Some((kind, indent));
            let (marker, item) = match (flavor, kind) {
                (Flavor::Markdown, ListKind::Bullets) => ("- ".to_owned(), item),
                (Flavor::Jira, ListKind::Bullets) => ("* ".to_owned(), item),
                // Markdown numbers its list from the first item's number, as written.
                (Flavor::Markdown, ListKind::Numbered) => (
                    format!("{}. ", &trimmed[..trimmed.len() - item.len() - 2]),
                    item,
                ),
                (Flavor::Jira, ListKind::Numbered) => ("# ".to_owned(), item),
            };
            current.push(format!("{marker}{}", escape::inline(item.trim(), flavor)));
            continue;
        }
        let line = escape::inline(trimmed, flavor);
        match list {
            // A line indented deeper than its item continues it (a wrapped bullet).
            Some((_, item_indent)) if indent > item_indent => {
                if let Some(previous) = current.last_mut() {
                    match flavor {
                        Flavor::Markdown => {
                            previous.push_str("\n   ");
                        }
                        Flavor::Jira => previous.push(' '),
                    }
                    previous.push_str(&line);
                }
            }
            Some(_) => {
                flush(&mut current, &mut blocks);
                list = None;
                current.push(line);
            }
            None => match (flavor, current.last_mut()) {
                // A line break inside a Jira paragraph is a hard break: reflow the lines.
                (Flavor::Jira, Some(previous)) => {
                    previous.push(' ');
                    previous.push_str(&line);
                }
                _ => current.push(line),
            },
        }
    }
    flush(&mut current, &mut blocks);
    if blocks.is_empty() {
        return NOT_ANSWERED_MARKUP.to_owned();
    }
    blocks.join("\n\n")
}

/// A URL as a link. Characters that would end the link early are percent-encoded.
pub fn link(url: &str, flavor: Flavor) -> String {
    let mut safe = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '[' | ']' | '|' | '{' | '}' | '"' | '\\' | '`' | '^' | '!' | '('
            | ')' => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    safe.push_str(&format!("%{byte:02X}"));
                }
            }
            c if c.is_control() => {}
            c => safe.push(c),
        }
    }
    match flavor {
        Flavor::Markdown => format!("<{safe}>"),
        Flavor::Jira => format!("[{safe}]"),
    }
}

/// A duration in words, in the unit the author wrote: `35d` is "35 days", `1h` "1 hour";
/// ISO 8601 and other forms in days, hours and minutes.
pub fn words(text: &str) -> Option<String> {
    let duration = duration::parse(text).ok()?;
    let unit_name = |unit: &str, n: u64| {
        let name = match unit {
            "m" => "minute",
            "h" => "hour",
            "d" => "day",
            _ => "week",
        };
        plural(n, name)
    };
    let trimmed = text.trim();
    if let Some(split) = trimmed.find(|c: char| !c.is_ascii_digit())
        && split > 0
        && matches!(&trimmed[split..], "m" | "h" | "d" | "w")
    {
        return Some(unit_name(&trimmed[split..], trimmed[..split].parse().ok()?));
    }
    let seconds = duration.as_secs();
    let parts: Vec<String> = [("d", 86_400), ("h", 3_600), ("m", 60)]
        .iter()
        .scan(seconds, |rest, &(unit, size)| {
            let n = *rest / size;
            *rest %= size;
            Some((unit, n))
        })
        .filter(|&(_, n)| n > 0)
        .map(|(unit, n)| unit_name(unit, n))
        .collect();
    Some(if parts.is_empty() {
        "0 minutes".to_owned()
    } else {
        parts.join(" ")
    })
}

/// How often: `1h` is "every hour", `15m` "every 15 minutes".
pub fn every(text: &str) -> Option<String> {
    let words = words(text)?;
    Some(match words.strip_prefix("1 ") {
        Some(unit) if !unit.contains(' ') => format!("every {unit}"),
        _ => format!("every {words}"),
    })
}

/// A questionnaire choice for people: `n-plus-one-api-calls` is "N+1 API calls".
pub fn label(choice: &str) -> String {
    const LABELS: &[(&str, &str)] = &[
        ("database-access", "Database access"),
        ("concurrent-requests", "Concurrent request processing"),
        ("queues", "Queues"),
        ("bulk-operations", "Bulk operations"),
        ("non-linear-operations", "Non-linear operations"),
        ("pagination", "Pagination"),
        ("n-plus-one-api-calls", "N+1 API calls"),
        ("other", "Other"),
        ("exponential-jitter", "exponential backoff with jitter"),
        ("exponential", "exponential backoff"),
        ("fixed", "a fixed delay"),
        ("none", "no backoff"),
        ("rollback", "Rollback"),
        ("roll-forward", "Roll forward"),
        ("both", "Rollback or roll forward"),
        ("24x7", "24/7"),
        ("business-hours", "Business hours"),
        ("extended-hours", "Extended hours"),
        ("monitoring", "Monitoring"),
        ("synthetic-tests", "Synthetic tests"),
        ("health-check", "Health check"),
        ("error-tracking", "Error tracking"),
        ("support-tickets", "Support tickets"),
        ("customer-reports", "Customer reports"),
        ("connect", "Connect"),
        ("forge", "Forge"),
        ("jira", "Jira"),
        ("confluence", "Confluence"),
        ("jira-service-management", "Jira Service Management"),
        ("bitbucket", "Bitbucket"),
        ("compass", "Compass"),
    ];
    LABELS.iter().find(|(key, _)| *key == choice).map_or_else(
        || choice.replace('-', " "),
        |(_, label)| (*label).to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_words() {
        assert_eq!(words("35d").unwrap(), "35 days");
        assert_eq!(words("1h").unwrap(), "1 hour");
        assert_eq!(words("2w").unwrap(), "2 weeks");
        assert_eq!(words("PT4H").unwrap(), "4 hours");
        assert_eq!(words("P1DT12H30M").unwrap(), "1 day 12 hours 30 minutes");
        assert_eq!(every("1h").unwrap(), "every hour");
        assert_eq!(every("15m").unwrap(), "every 15 minutes");
        assert_eq!(every("P1DT12H").unwrap(), "every 1 day 12 hours");
        assert_eq!(words("soon"), None);
    }

    #[test]
    fn answers_keep_paragraphs_and_lists() {
        let text = "First line\nsecond *line*.\n\n- one | two\n- three\nAfter.";
        assert_eq!(
            answer(text, Flavor::Markdown),
            "First line\nsecond \\*line\\*.\n\n- one \\| two\n- three\n\nAfter."
        );
        assert_eq!(
            answer(text, Flavor::Jira),
            "First line second \\*line\\*.\n\n* one \\| two\n* three\n\nAfter."
        );
    }

    #[test]
    fn wrapped_items_and_numbered_steps_stay_items() {
        let text = "Intro:\n- one that is long and\n  wraps here\n- two\n\n1. First step\n   goes on\n2) Second step\nAfter.";
        assert_eq!(
            answer(text, Flavor::Markdown),
            "Intro:\n\n- one that is long and\n   wraps here\n- two\n\n1. First step\n   goes on\n2. Second step\n\nAfter."
        );
        assert_eq!(
            answer(text, Flavor::Jira),
            "Intro:\n\n* one that is long and wraps here\n* two\n\n# First step goes on\n# Second step\n\nAfter."
        );
        // A year that ends a sentence is not a step.
        assert_eq!(
            answer("We moved in\n2026. Since then it scales.", Flavor::Markdown),
            "We moved in\n2026\\. Since then it scales."
        );
    }

    #[test]
    fn links_cannot_break_out() {
        assert_eq!(
            link("https://a.example/x>y", Flavor::Markdown),
            "<https://a.example/x%3Ey>"
        );
        assert_eq!(
            link("https://a.example/|]", Flavor::Jira),
            "[https://a.example/%7C%5D]"
        );
    }

    #[test]
    fn labels() {
        assert_eq!(label("n-plus-one-api-calls"), "N+1 API calls");
        assert_eq!(label("something-new"), "something new");
    }
}

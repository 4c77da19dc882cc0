//! The questionnaire's reference for the documentation site (`docs/reference/questionnaire.md`),
//! generated from the bundled schema: one section per key, in the schema's order, with whether
//! it is required (and when), the form of its value, its choices and example, and the rules
//! that read it.

use serde_json::Value;

use crate::diagnostic::yaml_text;
use crate::ticket::registry;
use crate::ticket::schema::{self, Node};

/// The reference page, as Markdown.
pub fn reference() -> String {
    let root = schema::schema();
    let mut out = format!(
        "# Questionnaire reference\n\n\
         {}\n\n\
         Every key of format version 1, in the order `cfready init` writes them. This page is \
         generated from the JSON Schema bundled in cfready (`schemas/questionnaire.schema.json`, \
         printed by `cfready schema`); `cargo test` fails when a key has no section here. Unknown \
         keys are errors (`CF010`). The guide to writing the answers is \
         [The questionnaire](../questionnaire.md).\n",
        root.get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
    );
    let top = schema::schema_at(&[]).expect("the schema's root");
    for (name, node) in top.properties() {
        section(
            &mut out,
            &[name.to_owned()],
            &node,
            &requirement(&top, name),
        );
    }
    out
}

/// The section of one key, then those of the keys below it (of a list's items too).
fn section(out: &mut String, path: &[String], node: &Node, required: &str) {
    let dotted = path.join(".");
    let level = if path.len() == 1 { "##" } else { "###" };
    out.push_str(&format!(
        "\n{level} `{dotted}`\n\n{required}. {}.\n",
        form(node)
    ));
    if let Some(description) = node.description() {
        out.push_str(&format!("\n{}\n", super::rules::markdown_text(description)));
    }
    let mut facts = Vec::new();
    let items = node.items();
    let values = match &items {
        Some(items) if items.properties().is_empty() => items.values(),
        _ => node.values(),
    };
    if !values.is_empty() && node.kind() != Some("boolean") {
        let one_of = if items.is_some() {
            "Each item one of"
        } else {
            "One of"
        };
        facts.push(format!("{one_of}: `{}`", values.join("`, `")));
    }
    let limits = limits(node);
    if !limits.is_empty() {
        facts.push(limits.join("; "));
    }
    let examples = node.examples();
    if !examples.is_empty() {
        facts.push(format!("Example: `{}`", examples.join("`, `")));
    }
    let rules: Vec<String> = registry::reading(&dotted)
        .map(|rule| format!("[{} `{}`](../rules/{}.md)", rule.code, rule.name, rule.code))
        .collect();
    if !rules.is_empty() {
        facts.push(format!("Checked by: {}", rules.join(", ")));
    }
    if !facts.is_empty() {
        out.push('\n');
        for fact in facts {
            out.push_str(&format!("- {fact}\n"));
        }
    }
    // The keys below: a mapping's, or those of a list's items (`list[].key`).
    let (parent, mut prefix) = match items {
        Some(items) if !items.properties().is_empty() => {
            let mut prefix = path.to_vec();
            let list = prefix.pop().expect("a key");
            prefix.push(format!("{list}[]"));
            (items, prefix)
        }
        _ => (*node, path.to_vec()),
    };
    for (name, child) in parent.properties() {
        prefix.push(name.to_owned());
        section(out, &prefix, &child, &requirement(&parent, name));
        prefix.pop();
    }
}

/// "Required", "Optional", or when a conditional of the parent requires it.
fn requirement(parent: &Node, name: &str) -> String {
    if parent.required().contains(&name) {
        return "Required".to_owned();
    }
    let mut conditions: Vec<&Value> = vec![parent.resolved];
    if let Some(Value::Array(all)) = parent.resolved.get("allOf") {
        conditions.extend(all);
    }
    for conditional in conditions {
        let Some(when) = conditional.get("if").and_then(condition) else {
            continue;
        };
        let requires = |branch: &str| {
            conditional
                .get(branch)
                .and_then(|b| b.get("required"))
                .and_then(Value::as_array)
                .is_some_and(|keys| keys.iter().any(|k| k.as_str() == Some(name)))
        };
        let rule = |branch: &str| {
            conditional
                .get(branch)
                .and_then(|b| b.get("x-rule"))
                .and_then(Value::as_str)
                .map(|code| format!(" ([{code}](../rules/{code}.md))"))
                .unwrap_or_default()
        };
        if requires("then") {
            return format!("Required when {when}{}", rule("then"));
        }
        if requires("else") {
            return format!("Required unless {when}{}", rule("else"));
        }
    }
    "Optional".to_owned()
}

/// An `if` of the form `{properties: {KEY: {const: VALUE}}}` in words: "`KEY` is `VALUE`".
fn condition(test: &Value) -> Option<String> {
    let (key, schema) = test.get("properties")?.as_object()?.iter().next()?;
    Some(format!("`{key}` is `{}`", yaml_text(schema.get("const")?)))
}

/// The form of a value: the shared definition it refers to, or its JSON type in words.
fn form(node: &Node) -> String {
    if let Some(name) = node
        .declared
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        let expected = node.get("x-expected").and_then(Value::as_str);
        return match (name, expected) {
            ("text", _) => "A short text".to_owned(),
            ("answer", _) => "A free-text answer (a `|` block keeps its lines)".to_owned(),
            (_, Some(expected)) => capitalised(expected),
            ("email", None) => "An email address".to_owned(),
            _ => capitalised(
                node.resolved
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(name),
            ),
        };
    }
    if let Some(expected) = node.get("x-expected").and_then(Value::as_str) {
        return capitalised(expected);
    }
    match node.kind() {
        Some("object") => "A mapping".to_owned(),
        Some("array") => match node.items() {
            Some(items) => format!("A list, each item {}", uncapitalised(&form(&items))),
            None => "A list".to_owned(),
        },
        Some("boolean") => "`true` or `false`".to_owned(),
        Some("integer") => "A whole number".to_owned(),
        Some("number") => "A number".to_owned(),
        Some("string") => "A text".to_owned(),
        _ if node.get("const").is_some() => "A constant".to_owned(),
        _ => "A choice".to_owned(),
    }
}

/// The numeric and length bounds of a value, in words.
fn limits(node: &Node) -> Vec<String> {
    let bound = |keyword: &str| node.get(keyword).and_then(Value::as_u64);
    let mut out = Vec::new();
    for (keyword, words) in [
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
        ("maxLength", "at most {} characters"),
    ] {
        if let Some(n) = bound(keyword) {
            out.push(if keyword == "minItems" && n == 1 {
                "at least one item".to_owned()
            } else if words.contains("{}") {
                words.replace("{}", &n.to_string())
            } else {
                format!("{words} {n}")
            });
        }
    }
    if node.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        out.push("no item twice".to_owned());
    }
    if let Some(first) = out.first_mut() {
        *first = capitalised(first);
    }
    out
}

fn uncapitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the schema defines, as a dotted path (`[]` for a list's items).
    fn every_key(node: &Node, path: &str, out: &mut Vec<String>) {
        let node = match node.items() {
            Some(items) if !items.properties().is_empty() => {
                let path = format!("{path}[]");
                for (name, child) in items.properties() {
                    let child_path = format!("{path}.{name}");
                    out.push(child_path.clone());
                    every_key(&child, &child_path, out);
                }
                return;
            }
            _ => node,
        };
        for (name, child) in node.properties() {
            let child_path = if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            };
            out.push(child_path.clone());
            every_key(&child, &child_path, out);
        }
    }

    #[test]
    fn every_key_of_the_schema_has_its_section() {
        let page = reference();
        let mut keys = Vec::new();
        every_key(&schema::schema_at(&[]).unwrap(), "", &mut keys);
        assert!(keys.len() > 60, "{} keys", keys.len());
        for key in &keys {
            let depth = if key.contains('.') { "###" } else { "##" };
            assert!(
                page.contains(&format!("\n{depth} `{key}`\n")),
                "no section for `{key}`"
            );
        }
        let sections = page
            .lines()
            .filter(|l| l.starts_with("## ") || l.starts_with("### "));
        assert_eq!(sections.count(), keys.len());
    }

    #[test]
    fn requirements_say_when() {
        let page = reference();
        assert!(
            page.contains("### `app.base_urls`\n\nRequired when `framework` is `connect` ([CF207]")
        );
        assert!(page.contains(
            "### `recovery.data.backup`\n\nRequired when `stores_data` is `true` ([CF507]"
        ));
        assert!(page.contains(
            "### `incident_management.availability.hours`\n\nRequired unless `coverage` is `24x7`"
        ));
        assert!(page.contains("### `app.contacts.slo_alerts`\n\nRequired. An email address."));
        assert!(page.contains("[CF206 `personal-slo-mailbox`](../rules/CF206.md)"));
    }
}

//! Completion: the keys the schema allows at the cursor (required ones first, with their
//! descriptions), enum values, `true`/`false`, and duration examples.

use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

use super::outline::{self, Node};
use crate::ticket::init::Starter;

/// Durations offered for any duration answer, besides the schema's own example.
const DURATION_EXAMPLES: [&str; 6] = ["15m", "1h", "4h", "1d", "35d", "2w"];

/// The completions at a byte column of a 0-based line of the normalised text. In a document
/// with nothing but comments and blank lines: the starters `cfready init` writes.
pub fn at(text: &str, line_number: usize, column: usize) -> Vec<CompletionItem> {
    if text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
    {
        return starters();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(line) = lines.get(line_number) else {
        return Vec::new();
    };
    let mut column = column.min(line.len());
    while !line.is_char_boundary(column) {
        column -= 1;
    }
    let before = &line[..column];
    let shape = outline::line(before);
    match (shape.key, shape.value) {
        // `key: val|`: the values of that key.
        (Some((key_column, key)), _) => {
            let mut path = outline::parent_path(&lines, line_number, key_column);
            path.push(key.to_owned());
            outline::schema_at(&path).map_or_else(Vec::new, |node| values(&node))
        }
        // `  wor|` or `- wor|`: a key of this mapping, or a value of a list item.
        (None, value) => {
            let word_column = value.map_or(column, |(c, _)| c);
            if value.is_some_and(|(_, v)| {
                !v.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            }) {
                return Vec::new();
            }
            let path = outline::parent_path(&lines, line_number, word_column);
            let Some(node) = outline::schema_at(&path) else {
                return Vec::new();
            };
            let mut items = keys(
                &node,
                &outline::sibling_keys(&lines, line_number, word_column),
            );
            if let (Some(&dash), true) = (shape.dashes.last(), items.is_empty()) {
                let mut list = outline::parent_path(&lines, line_number, dash);
                list.push("0".to_owned());
                if let Some(item) = outline::schema_at(&list) {
                    items = values(&item);
                }
            }
            items
        }
    }
}

/// `cfready init --framework ...`'s starters, one item each, whose text is the whole starter.
fn starters() -> Vec<CompletionItem> {
    Starter::ALL
        .iter()
        .map(|(name, starter)| {
            let command = match (starter.framework, starter.remote) {
                (Some(framework), false) => format!("cfready init --framework {}", framework.as_str()),
                (Some(framework), true) => {
                    format!("cfready init --framework {} --remote", framework.as_str())
                }
                (None, _) => "cfready init".to_owned(),
            };
            CompletionItem {
                label: format!("Cloud Fortified starter: {name}"),
                kind: Some(CompletionItemKind::SNIPPET),
                detail: Some(command.clone()),
                documentation: Some(markdown(&format!(
                    "The starter questionnaire `{command}` writes: every question of the approval ticket, explained, for a {name}."
                ))),
                insert_text: Some(starter.text()),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn markdown(text: &str) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text.to_owned(),
    })
}

/// The keys of a mapping not yet written, required first.
fn keys(node: &Node, written: &[&str]) -> Vec<CompletionItem> {
    let required = node.required();
    let mut items: Vec<CompletionItem> = node
        .properties()
        .into_iter()
        .filter(|(name, _)| !written.contains(name))
        .map(|(name, property)| {
            let is_required = required.contains(&name);
            let container = matches!(property.kind(), Some("object" | "array"));
            CompletionItem {
                label: name.to_owned(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: Some(if is_required { "required" } else { "optional" }.to_owned()),
                documentation: property.description().map(markdown),
                insert_text: Some(if container {
                    format!("{name}:")
                } else {
                    format!("{name}: ")
                }),
                sort_text: Some(format!("{}{name}", if is_required { 0 } else { 1 })),
                ..CompletionItem::default()
            }
        })
        .collect();
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    items
}

/// The values a scalar may take: enum, boolean, or duration examples.
fn values(node: &Node) -> Vec<CompletionItem> {
    let mut labels: Vec<(String, CompletionItemKind)> = node
        .values()
        .into_iter()
        .map(|v| (v, CompletionItemKind::ENUM_MEMBER))
        .collect();
    if node.is_duration() {
        for example in node
            .examples()
            .into_iter()
            .chain(DURATION_EXAMPLES.map(str::to_owned))
        {
            if !labels.iter().any(|(l, _)| *l == example) {
                labels.push((example, CompletionItemKind::VALUE));
            }
        }
    }
    labels
        .into_iter()
        .enumerate()
        .map(|(i, (label, kind))| CompletionItem {
            detail: node
                .is_duration()
                .then(|| super::hover::duration_hover(&label))
                .flatten(),
            sort_text: Some(format!("{i:03}")),
            label,
            kind: Some(kind),
            documentation: node.description().map(markdown),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, line: usize, column: usize) -> Vec<String> {
        at(text, line, column)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn keys_values_booleans_and_durations() {
        let text = "version: 1\nrecovery:\n  fix_lead_time: \n  \nscalability:\n  rate_limits:\n    backoff: \n    honours_retry_after: \n";
        let top = labels(text, 3, 0);
        assert_eq!(top[0], "app", "required first: {top:?}");
        assert!(!top.contains(&"version".to_owned()) && !top.contains(&"recovery".to_owned()));
        let recovery = labels(text, 3, 2);
        assert!(recovery.contains(&"bad_deployment".to_owned()));
        assert!(!recovery.contains(&"fix_lead_time".to_owned()));
        assert!(labels(text, 2, 17).contains(&"4h".to_owned()));
        assert!(labels(text, 6, 13).contains(&"exponential-jitter".to_owned()));
        assert_eq!(labels(text, 7, 25), ["true", "false"]);
        assert!(labels(text, 99, 0).is_empty());
    }
}

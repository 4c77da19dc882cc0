//! The rule registry as text: `cfready rules` (a table, JSON or Markdown) and
//! `cfready explain CODE`.

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::registry::{self, Rule};

#[derive(Serialize)]
struct RuleEntry {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    family: &'static str,
    summary: &'static str,
    docs: &'static str,
}

/// `cfready rules`: one line per rule.
pub fn table() -> String {
    let mut out = String::new();
    let mut family = None;
    for rule in registry::all() {
        if family != Some(rule.family) {
            if family.is_some() {
                out.push('\n');
            }
            out.push_str(rule.family.title());
            out.push('\n');
            family = Some(rule.family);
        }
        out.push_str(&format!(
            "  {}  {:<7}  {:<34} {}\n",
            rule.code,
            rule.severity.as_str(),
            rule.name,
            rule.summary
        ));
    }
    out
}

/// `cfready rules --format json`.
pub fn json() -> String {
    let entries: Vec<RuleEntry> = registry::all()
        .map(|rule| RuleEntry {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            family: rule.family.title(),
            summary: rule.summary,
            docs: rule.docs,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&entries).expect("plain data serialises");
    text.push('\n');
    text
}

/// The README's rules table (`cfready rules --format markdown`); a test keeps the README in
/// step with it.
pub fn markdown() -> String {
    let mut out = String::from("| code | name | severity | what it flags |\n|---|---|---|---|\n");
    let mut family = None;
    for rule in registry::all() {
        if family != Some(rule.family) {
            out.push_str(&format!("| | **{}** | | |\n", rule.family.title()));
            family = Some(rule.family);
        }
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    out
}

/// `cfready explain CODE`: the rule's documentation.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# {} {}\n\nSeverity: {} by default. Family: {}.\n\n{}.\n\n{}",
        rule.code,
        rule.name,
        rule.severity,
        rule.family.title(),
        rule.summary,
        rule.docs
    )
}

//! The rule registry as text: `cfready rules` (a table, JSON or Markdown) and
//! `cfready explain CODE`.

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::ticket::registry::{self, Rule};

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

/// The rules table (`cfready rules --format markdown`).
pub fn markdown() -> String {
    table_markdown(|rule| format!("`{}`", rule.code))
}

/// The documentation's rules table, with a family row before each family's rules: the code
/// cell as `code_cell` writes it (plain for `rules --format markdown`, a link on the site).
fn table_markdown(code_cell: impl Fn(&Rule) -> String) -> String {
    let mut out = String::from("| code | name | severity | what it flags |\n|---|---|---|---|\n");
    let mut family = None;
    for rule in registry::all() {
        if family != Some(rule.family) {
            out.push_str(&format!("| | **{}** | | |\n", rule.family.title()));
            family = Some(rule.family);
        }
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            code_cell(rule),
            rule.name,
            rule.severity.as_str(),
            markdown_text(rule.summary)
        ));
    }
    out
}

/// The documentation site's pages of the rules (`docs/rules/`), as (file name, Markdown):
/// `index.md`, the table with every code linked to its page, then one page per rule, which
/// is what `cfready explain` prints.
pub fn pages() -> Vec<(String, String)> {
    let mut pages = vec![(
        "index.md".to_owned(),
        format!(
            "# Rules\n\n\
             Every finding has a stable code, a default severity and a page: what the rule checks \
             (what it fires on, and what it deliberately leaves alone), why it matters, a failing \
             and a passing example, and the fix where it has one. `cfready explain CODE` prints \
             the same page in the terminal, `cfready rules` lists the rules, and the editor shows \
             the page on hover.\n\n\
             These pages are generated from the rule registry (`src/ticket/registry/`); `cargo test` \
             fails when one is missing or stale.\n\n{}",
            table_markdown(|rule| format!("[`{0}`]({0}.md)", rule.code))
        ),
    )];
    for rule in registry::all() {
        let page = document(rule, &markdown_text(rule.summary));
        pages.push((format!("{}.md", rule.code), page));
    }
    pages
}

/// `cfready explain CODE`: the rule's documentation.
pub fn explain(rule: &Rule) -> String {
    document(rule, rule.summary)
}

/// The rule's documentation with its summary as given (escaped for a web page).
fn document(rule: &Rule, summary: &str) -> String {
    format!(
        "# {} {}\n\nSeverity: {} by default. Family: {}.\n\n{}.\n\n{}",
        rule.code,
        rule.name,
        rule.severity,
        rule.family.title(),
        summary,
        rule.docs
    )
}

/// Text outside code for the documentation's Markdown: `<` and `>` as entities, so that
/// `https://<site>` shows as written instead of as an HTML tag.
pub(crate) fn markdown_text(text: &str) -> String {
    text.replace('<', "&lt;").replace('>', "&gt;")
}

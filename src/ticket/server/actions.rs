//! Code actions: a quick fix per fix a finding carries (the same edits as `lint --fix`, safe
//! ones preferred), "suppress CFxxx here with a reason", and `source.fixAll.cfready`.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

use super::diagnostics;
use super::document::{Document, Encoding};
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::ticket::registry::{self, Family};

/// The kind of the fix-all action.
pub const FIX_ALL: &str = "source.fixAll.cfready";

/// The placeholder a suppression is inserted with: the partner writes the real reason.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// What the client asked for.
pub struct Request<'a> {
    pub range: Range,
    /// `context.only`: the kinds wanted; `None` for all.
    pub only: Option<&'a [CodeActionKind]>,
    pub strict: bool,
}

fn wants(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds
            .iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
    })
}

pub fn actions(
    document: &Document,
    encoding: Encoding,
    request: &Request,
) -> Vec<CodeActionOrCommand> {
    let Some(report) = &document.report else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (first, last) = (request.range.start.line, request.range.end.line);
    if wants(request.only, CodeActionKind::QUICKFIX.as_str()) {
        for diagnostic in &report.diagnostics {
            let range = diagnostics::range(document, diagnostic, encoding);
            if diagnostic.span.is_none() || range.end.line < first || range.start.line > last {
                continue;
            }
            let lsp = diagnostics::to_lsp(document, diagnostic, encoding, request.strict);
            if let Some(fix) = &diagnostic.fix
                && fix.applicability != Applicability::DisplayOnly
                && !fix.edits.is_empty()
            {
                let unsafe_note = if fix.applicability == Applicability::Unsafe {
                    " (unsafe: changes what you commit to)"
                } else {
                    ""
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{}: {}{unsafe_note}", diagnostic.code, fix.title),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(workspace_edit(document, encoding, &fix.edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..CodeAction::default()
                }));
            }
            if let Some(edit) = suppression(document, diagnostic) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress {} here with a reason", diagnostic.code),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp]),
                    edit: Some(workspace_edit(document, encoding, &[edit])),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
        }
    }
    if wants(request.only, FIX_ALL) {
        let edits = fix_all(&report.diagnostics);
        if !edits.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe cfready findings".to_owned(),
                kind: Some(CodeActionKind::new(FIX_ALL)),
                edit: Some(workspace_edit(document, encoding, &edits)),
                ..CodeAction::default()
            }));
        }
    }
    out
}

/// The edit that inserts `# cfready: ignore[CODE] <reason>` on its own line above the
/// finding, indented like it; none for findings a comment cannot silence (the file's syntax,
/// the suppressions themselves).
pub fn suppression(document: &Document, diagnostic: &Diagnostic) -> Option<Edit> {
    let span = diagnostic.span?;
    let family = registry::find(diagnostic.code)?.family;
    if matches!(family, Family::Input | Family::Suppression) {
        return None;
    }
    let range = document.index.line(span.line.checked_sub(1)?)?;
    let line = &document.normalised[range.clone()];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '-']).len()];
    let indent: String = indent.chars().map(|_| ' ').collect();
    Some(Edit {
        start: range.start,
        end: range.start,
        content: format!(
            "{indent}# cfready: ignore[{}] {REASON_PLACEHOLDER}\n",
            diagnostic.code
        ),
    })
}

/// Every safe fix's edits, in order, leaving out a fix that overlaps one already taken.
pub fn fix_all(diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut fixes: Vec<&Vec<Edit>> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
        .map(|f| &f.edits)
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.start).min());
    let mut taken: Vec<Edit> = Vec::new();
    for edits in fixes {
        let overlaps = edits.iter().any(|e| {
            taken.iter().any(|t| {
                (e.start < t.end && t.start < e.end)
                    || (e.start == t.start && (e.start == e.end || t.start == t.end))
            })
        });
        if !overlaps {
            taken.extend(edits.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.start, e.end));
    taken
}

fn workspace_edit(document: &Document, encoding: Encoding, edits: &[Edit]) -> WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|edit| TextEdit {
            range: document.range(edit.start, edit.end, encoding),
            new_text: document.with_eol(&edit.content),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(document.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

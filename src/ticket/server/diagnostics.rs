//! Lint's findings as LSP diagnostics: the same codes, severities, ranges and messages, with
//! the descriptor's or manifest's line as related information where the message names one.

use std::path::Path;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Url,
};

use super::document::{Document, Encoding};
use crate::diagnostic::{Diagnostic, Severity};

/// The LSP severity of a finding; with `strict`, warnings are errors (as they fail
/// `cfready lint --strict`).
pub fn severity(severity: Severity, strict: bool) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning if strict => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The range of a finding: its span, or the start of the file for a finding about the whole
/// file (too large, not text).
pub fn range(document: &Document, diagnostic: &Diagnostic, encoding: Encoding) -> Range {
    match diagnostic.span {
        Some(span) => document.range(span.start, span.end, encoding),
        None => Range::default(),
    }
}

pub fn to_lsp(
    document: &Document,
    diagnostic: &Diagnostic,
    encoding: Encoding,
    strict: bool,
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: range(document, diagnostic, encoding),
        severity: Some(severity(diagnostic.severity, strict)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: None,
        source: Some("cfready".to_owned()),
        message: diagnostic.message.clone(),
        related_information: related(&diagnostic.message, &document.lint_name()),
        tags: None,
        data: None,
    }
}

/// Every diagnostic of the document's last lint.
pub fn all(document: &Document, encoding: Encoding, strict: bool) -> Vec<lsp_types::Diagnostic> {
    document
        .report
        .iter()
        .flat_map(|report| &report.diagnostics)
        .map(|d| to_lsp(document, d, encoding, strict))
        .collect()
}

/// The `file:line:col` locations a message names (the descriptor rules write the
/// descriptor's line so), as related information; only files that exist.
fn related(message: &str, questionnaire: &str) -> Option<Vec<DiagnosticRelatedInformation>> {
    let base = Path::new(questionnaire).parent();
    let found: Vec<DiagnosticRelatedInformation> = message
        .split(|c: char| c.is_whitespace() || "()`,;".contains(c))
        .filter_map(|token| {
            let mut parts = token.rsplitn(3, ':');
            let column: u32 = parts.next()?.parse().ok()?;
            let line: u32 = parts.next()?.parse().ok()?;
            let file = parts.next().filter(|f| !f.is_empty())?;
            let path = Path::new(file);
            let path = if path.is_absolute() {
                path.to_path_buf()
            } else {
                base?.join(path)
            };
            if !path.is_file() {
                return None;
            }
            let uri = Url::from_file_path(std::path::absolute(&path).ok()?).ok()?;
            let at = Position::new(line.saturating_sub(1), column.saturating_sub(1));
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, Range::new(at, at)),
                message: format!("{file}:{line}:{column}"),
            })
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

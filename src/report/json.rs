//! `--format json`: a versioned, stable shape (documented in `docs/json-output.md`).
//!
//! Fields are only ever added within a version; a removal or a change of meaning bumps
//! `version`.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;

/// The version of the JSON output shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    /// Why the file could not be read; `null` when it was.
    error: Option<&'a str>,
    diagnostics: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    pointer: Option<&'a str>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn finding(diagnostic: &Diagnostic) -> Finding<'_> {
    Finding {
        code: diagnostic.code,
        name: crate::rules::find(diagnostic.code).map_or("", |rule| rule.name),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        line: diagnostic.span.map(|s| s.line),
        column: diagnostic.span.map(|s| s.column),
        pointer: diagnostic.pointer.as_deref(),
        help: diagnostic.help.as_deref(),
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let count = |severity| reports.iter().map(|r| r.count(severity)).sum();
    let output = Output {
        version: JSON_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        files: reports
            .iter()
            .map(|report| File {
                path: &report.path,
                error: report.failure.as_deref(),
                diagnostics: report.diagnostics.iter().map(finding).collect(),
            })
            .collect(),
        summary: Summary {
            files: reports.len(),
            unreadable: reports.iter().filter(|r| r.failure.is_some()).count(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
    };
    let mut text = serde_json::to_string_pretty(&output).expect("plain data serialises");
    text.push('\n');
    text
}

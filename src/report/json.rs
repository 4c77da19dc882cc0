//! `--format json`: a versioned, stable shape (documented in the README, "JSON output").
//!
//! Fields are only ever added within a version; a removal or a change of meaning bumps
//! `version`.

use serde::Serialize;

use crate::diagnostic::{Applicability, Change, Diagnostic, Severity};
use crate::source::Source;
use crate::ticket::check::Readiness;
use crate::ticket::lint::FileReport;
use crate::ticket::probe::{Latency, TargetResult};

/// The version of the JSON output shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    /// `probe` and `check`: one entry per URL probed.
    #[serde(skip_serializing_if = "Option::is_none")]
    probe: Option<Vec<ProbeEntry<'a>>>,
    /// `check`: the checklist and the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    readiness: Option<&'a Readiness>,
    summary: Summary,
}

#[derive(Serialize)]
struct ProbeEntry<'a> {
    #[serde(flatten)]
    result: &'a TargetResult,
    passed: bool,
    successes: usize,
    latency_ms: Option<Latency>,
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
    /// The suggested change, when there is one (added in 0.3; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
}

/// A fix: how sure it is, what it does in words and as data (`pointer` + `value`, or
/// `pointer` + `rename`), and its text edits as line/column ranges (1-based, columns in
/// characters, end exclusive).
#[derive(Serialize)]
struct FixOut<'a> {
    applicability: Applicability,
    title: &'a str,
    pointer: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rename: Option<&'a str>,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    start: Position,
    end: Position,
    content: &'a str,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn fix_out<'a>(diagnostic: &'a Diagnostic, source: Option<&Source>) -> Option<FixOut<'a>> {
    let fix = diagnostic.fix.as_ref()?;
    let (pointer, value, rename) = match &fix.change {
        Change::Set { pointer, value } => (pointer.as_str(), Some(value), None),
        Change::Rename { pointer, to } => (pointer.as_str(), None, Some(to.as_str())),
    };
    let position = |offset| {
        let (line, column) = source.map_or((0, 0), |source: &Source| source.line_col(offset));
        Position { line, column }
    };
    Some(FixOut {
        applicability: fix.applicability,
        title: &fix.title,
        pointer,
        value,
        rename,
        edits: fix
            .edits
            .iter()
            .map(|edit| EditOut {
                start: position(edit.start),
                end: position(edit.end),
                content: &edit.content,
            })
            .collect(),
    })
}

fn finding<'a>(diagnostic: &'a Diagnostic, source: Option<&Source>) -> Finding<'a> {
    Finding {
        code: diagnostic.code,
        name: crate::ticket::registry::find(diagnostic.code).map_or("", |rule| rule.name),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        line: diagnostic.span.map(|s| s.line),
        column: diagnostic.span.map(|s| s.column),
        pointer: diagnostic.pointer.as_deref(),
        help: diagnostic.help.as_deref(),
        fix: fix_out(diagnostic, source),
    }
}

/// The findings, with the probe's results and the readiness checklist when there are some.
pub fn render(
    reports: &[FileReport],
    probe: Option<&[TargetResult]>,
    readiness: Option<&Readiness>,
) -> String {
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
                diagnostics: report
                    .diagnostics
                    .iter()
                    .map(|d| finding(d, report.source.as_ref()))
                    .collect(),
            })
            .collect(),
        probe: probe.map(|results| {
            results
                .iter()
                .map(|result| ProbeEntry {
                    result,
                    passed: result.passed(),
                    successes: result.successes(),
                    latency_ms: result.latency(),
                })
                .collect()
        }),
        readiness,
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

//! `--format json`: a versioned, stable shape (documented in the README, "JSON output").
//!
//! Fields are only ever added within a version; a removal or a change of meaning bumps
//! `version`.

use serde::Serialize;

use crate::check::Readiness;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::probe::{Latency, TargetResult};

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
        name: crate::registry::find(diagnostic.code).map_or("", |rule| rule.name),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        line: diagnostic.span.map(|s| s.line),
        column: diagnostic.span.map(|s| s.column),
        pointer: diagnostic.pointer.as_deref(),
        help: diagnostic.help.as_deref(),
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
                diagnostics: report.diagnostics.iter().map(finding).collect(),
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

//! Rendering findings: one module per output format, each a pure function from reports to text.

use crate::ticket::check::Readiness;
use crate::ticket::lint::FileReport;
use crate::ticket::probe::TargetResult;

pub mod forge;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod probe;
pub mod questionnaire;
pub mod review;
pub mod rules;
pub mod sarif;
pub mod slo;
pub mod slo_html;
pub mod slo_year;

pub use human::Style;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub) and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

/// Findings of `lint` in a format.
pub fn render(reports: &[FileReport], format: Format, style: Style) -> String {
    render_run(reports, None, None, format, style)
}

/// Findings in a format, with the probe's results (`probe`, `check`) and the checklist
/// (`check`) where the format has room for them.
pub fn render_run(
    reports: &[FileReport],
    results: Option<&[TargetResult]>,
    readiness: Option<&Readiness>,
    format: Format,
    style: Style,
) -> String {
    let findings = |quiet| human::render(reports, Style { quiet, ..style });
    match format {
        Format::Json => json::render(reports, results, readiness),
        Format::Sarif => sarif::render(reports),
        Format::Github => github::render(reports),
        Format::Junit => junit::render(reports, results.is_some()),
        Format::Human => match (results, readiness) {
            (None, None) => findings(style.quiet),
            // `check`: the findings, each URL's figures, then the checklist and the verdict.
            (results, Some(readiness)) => {
                let mut text = findings(true);
                if let Some(results) = results {
                    text.push_str(&probe::results(results));
                    text.push('\n');
                }
                let path = reports.first().map_or("", |r| r.path.as_str());
                text.push_str(&probe::readiness(path, readiness));
                text
            }
            // `probe`: each URL's figures, the findings, then the probe's verdict.
            (Some(results), None) => {
                let mut text = probe::results(results);
                text.push('\n');
                text.push_str(&findings(true));
                if !style.quiet && !results.is_empty() {
                    text.push_str(&probe::verdict(results));
                    text.push('\n');
                }
                text
            }
        },
    }
}

//! Rendering findings: one module per output format, each a pure function from reports to text.

use crate::lint::FileReport;

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod probe;
pub mod rules;
pub mod sarif;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

/// How human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// Leave out the closing summary line.
    pub quiet: bool,
}

pub fn render(reports: &[FileReport], format: Format, style: Style) -> String {
    match format {
        Format::Human => human::render(reports, style),
        Format::Json => json::render(reports),
        Format::Sarif => sarif::render(reports),
        Format::Github => github::render(reports),
        Format::Junit => junit::render(reports, false),
    }
}

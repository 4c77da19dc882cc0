//! Rendering findings: one module per output format, each a pure function from reports to text.

use crate::lint::FileReport;

pub mod human;
pub mod json;
pub mod probe;
pub mod rules;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
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
    }
}

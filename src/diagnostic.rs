//! The one finding type that every stage returns and every output format renders.

use serde::Serialize;
use std::fmt;

/// How bad a finding is. Ordered so that `max()` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Whether a finding of this severity fails the run: errors do, and warnings too with
    /// `--strict`.
    pub fn fails(self, strict: bool) -> bool {
        self == Severity::Error || (strict && self == Severity::Warning)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is, in the file as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offsets into the (BOM-less, LF-normalised) text: start inclusive, end exclusive.
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

/// One finding: a rule code, a severity, a message and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `CF012`. Every diagnostic has one (`cfready explain CODE`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The offending value, or the key for an unknown key, or the parent mapping for a missing
    /// key. `None` when the finding concerns the whole file (unreadable, empty, too large).
    pub span: Option<Span>,
    /// The JSON pointer of the value concerned, when there is one.
    pub pointer: Option<String>,
    /// One line saying what to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &crate::rules::Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            span: None,
            pointer: None,
            help: None,
        }
    }

    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Severity::{Error, Info, Warning};

    #[test]
    fn errors_fail_and_warnings_only_with_strict() {
        assert_eq!(
            [Error, Warning, Info].map(|s| (s.fails(false), s.fails(true))),
            [(true, true), (false, true), (false, false)]
        );
    }
}

//! The one finding type that every stage returns and every output format renders.

use serde::Serialize;

use crate::registry::Rule;
/// A finding's severity is its rule's: the registry defines it.
pub use crate::registry::Severity;

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
    pub fn new(rule: &Rule, message: impl Into<String>) -> Self {
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

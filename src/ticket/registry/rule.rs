//! What a rule is: a code, a name, a default severity, a family, a summary and its
//! documentation. Data only; nothing here knows the questionnaire or the stages.

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

/// One documented rule. `docs` has a fixed shape: `## What it checks`, `## Why it matters`,
/// `## Example` (a failing and a passing answer).
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    /// A short kebab-case name, accepted wherever a code is.
    pub name: &'static str,
    pub severity: Severity,
    pub family: Family,
    pub summary: &'static str,
    pub docs: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Input,
    Schema,
    Text,
    App,
    Scalability,
    Dfr,
    Recovery,
    Incident,
    Probe,
    Slo,
    Commitments,
    Suppression,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Input => "Input and YAML syntax",
            Family::Schema => "Questionnaire schema",
            Family::Text => "Text quality",
            Family::App => "App and health check",
            Family::Scalability => "Scalability",
            Family::Dfr => "Developer First Rollout testing",
            Family::Recovery => "Service recovery",
            Family::Incident => "Incident management",
            Family::Probe => "Health check probe",
            Family::Slo => "Monitor history and SLO",
            Family::Commitments => "Final steps",
            Family::Suppression => "Suppression comments",
        }
    }
}

/// A family's rules: one entry per rule, each a `pub const` of that name, and `RULES`, the
/// family's list in code order, so that a rule cannot be defined and left out of it.
macro_rules! family {
    ($family:expr; $($name:ident { $($field:ident : $value:expr),* $(,)? })*) => {
        $(
            pub const $name: $crate::ticket::registry::rule::Rule = $crate::ticket::registry::rule::Rule {
                family: $family,
                $($field: $value),*
            };
        )*
        /// The rules of this family, in code order.
        pub const RULES: &[&$crate::ticket::registry::rule::Rule] = &[$(&$name),*];
    };
}
pub(crate) use family;

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

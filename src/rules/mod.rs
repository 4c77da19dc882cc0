//! The rule registry: every diagnostic code, its default severity, summary and documentation.
//!
//! One file per rule family. A family declares its rules as `Rule` constants and lists them in
//! its `RULES` slice; this module joins the slices. Adding a rule is one constant, one entry in
//! its family's slice, and (for readiness rules) the check that emits it.

use crate::diagnostic::Severity;

pub mod input;
pub mod schema;

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
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Input => "Input and YAML syntax",
            Family::Schema => "Questionnaire schema",
        }
    }
}

/// Every rule, in code order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [input::RULES, schema::RULES].into_iter().flatten().copied()
}

/// The rule with this code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().find(|rule| {
        rule.code.eq_ignore_ascii_case(code_or_name) || rule.name.eq_ignore_ascii_case(code_or_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in all() {
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        }
    }

    #[test]
    fn codes_are_in_order_and_well_formed() {
        let codes: Vec<_> = all().map(|rule| rule.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
        for code in codes {
            assert!(
                code.len() == 5
                    && code.starts_with("CF")
                    && code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{code}"
            );
        }
    }

    #[test]
    fn every_rule_is_documented_in_the_fixed_shape() {
        for rule in all() {
            assert!(
                !rule.summary.is_empty() && !rule.summary.ends_with('.'),
                "{}",
                rule.code
            );
            for heading in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(rule.docs.contains(heading), "{} lacks {heading}", rule.code);
            }
        }
    }
}

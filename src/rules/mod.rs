//! The rule registry: every diagnostic code, its default severity, summary and documentation,
//! and the readiness checks that run after the schema phase.
//!
//! One file per rule family. A family declares its rules as `Rule` constants, lists them in its
//! `RULES` slice and, for readiness rules, has a `check` function that reads the questionnaire
//! through a [`Context`]. Adding a rule is one constant, one slice entry, the lines of `check`
//! that emit it, and its fixture under `tests/fixtures/rules/`.

use serde_json::Value;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Document, Positions, for_each_string};
use crate::model::Questionnaire;
use crate::schema::{TextKind, text_kind};

pub mod app;
pub mod commitments;
pub mod dfr;
pub mod incident;
pub mod input;
pub mod probe;
pub mod recovery;
pub mod scalability;
pub mod schema;
pub mod suppression;
pub mod text;

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
            Family::Commitments => "Final steps",
            Family::Suppression => "Suppression comments",
        }
    }
}

/// Every rule, in code order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        input::RULES,
        schema::RULES,
        text::RULES,
        app::RULES,
        scalability::RULES,
        dfr::RULES,
        recovery::RULES,
        incident::RULES,
        probe::RULES,
        commitments::RULES,
        suppression::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The rule with this code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().find(|rule| {
        rule.code.eq_ignore_ascii_case(code_or_name) || rule.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Codes close to an unknown one, for "did you mean".
pub fn similar(code_or_name: &str) -> Vec<&'static str> {
    let upper = code_or_name.to_ascii_uppercase();
    let mut close: Vec<(usize, &'static str)> = all()
        .map(|rule| {
            let by_code = crate::suggest::distance(&upper, rule.code);
            let by_name = crate::suggest::distance(code_or_name, rule.name);
            (by_code.min(by_name), rule.code)
        })
        .filter(|&(distance, _)| distance <= 2)
        .collect();
    close.sort();
    close.into_iter().take(3).map(|(_, code)| code).collect()
}

/// One text value of the questionnaire, with where it is and what kind it is.
#[derive(Debug)]
pub struct Text<'a> {
    pub pointer: String,
    pub text: &'a str,
    pub kind: TextKind,
}

/// What the readiness checks read.
pub struct Context<'a> {
    pub questionnaire: &'a Questionnaire,
    pub value: &'a Value,
    pub positions: &'a Positions,
    /// Every text value the schema calls text or an answer, in document order.
    pub texts: Vec<Text<'a>>,
    /// The date "today" is, for the age of the last restore test.
    pub today: Date,
}

impl<'a> Context<'a> {
    pub fn new(document: &'a Document, questionnaire: &'a Questionnaire, today: Date) -> Self {
        let mut texts = Vec::new();
        for_each_string(&document.value, &mut |pointer, text| {
            if let Some(kind) = text_kind(pointer) {
                texts.push(Text {
                    pointer: pointer.to_owned(),
                    text,
                    kind,
                });
            }
        });
        Context {
            questionnaire,
            value: &document.value,
            positions: &document.positions,
            texts,
            today,
        }
    }

    /// A finding about the value at `pointer`.
    pub fn at(&self, rule: &Rule, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, message)
            .at(self.positions.value(pointer))
            .pointer(pointer)
    }

    /// A finding about the key at `pointer` (for something missing under it).
    pub fn at_key(&self, rule: &Rule, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, message)
            .at(self.positions.key(pointer))
            .pointer(pointer)
    }
}

/// Run every readiness check. Checks read the lenient model, so each runs on whatever parts of
/// the file are well formed, even when the schema phase found errors elsewhere.
pub fn check(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    text::check(context, &mut out);
    app::check(context, &mut out);
    scalability::check(context, &mut out);
    dfr::check(context, &mut out);
    recovery::check(context, &mut out);
    incident::check(context, &mut out);
    commitments::check(context, &mut out);
    out
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
            let headings: Vec<&str> = rule.docs.lines().filter(|l| l.starts_with("## ")).collect();
            assert_eq!(
                headings,
                ["## What it checks", "## Why it matters", "## Example"],
                "{}",
                rule.code
            );
        }
    }

    #[test]
    fn unknown_codes_get_neighbours() {
        assert_eq!(similar("CF31")[0], "CF301");
        assert!(similar("CF302").contains(&"CF302"));
        assert!(similar("zzzzzzzz").is_empty());
    }
}

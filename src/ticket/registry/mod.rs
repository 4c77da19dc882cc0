//! The rule registry: every diagnostic code, its default severity, summary and documentation.
//!
//! A leaf of the library: what a rule *is* is data, which every stage may import (the loader
//! and the schema stage emit codes too), while what a rule *checks* lives above the loader in
//! `crate::ticket::rules` (and, for the probe's codes, in `crate::ticket::probe::findings`). One file per
//! family declares its rules in one `family!` block; `cfready rules`, `cfready explain`, the
//! SARIF rule table and the documentation's rule pages all read this registry.

mod rule;

pub mod app;
pub mod commitments;
pub mod dfr;
pub mod incident;
pub mod input;
pub mod probe;
pub mod recovery;
pub mod scalability;
pub mod schema;
pub mod slo;
pub mod suppression;
pub mod text;

pub use rule::{Family, Rule, Severity};

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
        slo::RULES,
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

/// The rules whose documentation names a key of the questionnaire by its dotted path in
/// backticks (`recovery.data.backup`): what the reviewer looks for in that answer, for the
/// editor's hover and the questionnaire's reference.
pub fn reading(dotted: &str) -> impl Iterator<Item = &'static Rule> {
    all().filter(move |rule| mentions(rule.docs, dotted))
}

/// Whether rule documentation names the dotted path in backticks, as a whole path.
fn mentions(docs: &str, dotted: &str) -> bool {
    let needle = format!("`{dotted}");
    docs.match_indices(&needle).any(|(i, _)| {
        let next = docs[i + needle.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

/// Shortest text [`named_like`] looks for inside names: a letter or two is in most of them.
const PART_OF_A_NAME: usize = 3;

/// The rules whose name holds `text` (case-insensitive, at least three characters): those
/// whose name begins with it first, then the others, each in code order. `placeholder` finds
/// `placeholder-answer`; `probe` finds every probe rule.
pub fn named_like(text: &str) -> Vec<&'static Rule> {
    let text = text.trim().to_ascii_lowercase();
    if text.chars().count() < PART_OF_A_NAME {
        return Vec::new();
    }
    let (mut starting, others): (Vec<&'static Rule>, Vec<&'static Rule>) = all()
        .filter(|rule| rule.name.contains(text.as_str()))
        .partition(|rule| rule.name.starts_with(text.as_str()));
    starting.extend(others);
    starting
}

/// Codes close to an unknown one, for "did you mean": the rules whose name holds it, or
/// else those within two edits of a code or a name.
pub fn similar(code_or_name: &str) -> Vec<&'static str> {
    let partial = named_like(code_or_name);
    if !partial.is_empty() {
        return partial.into_iter().map(|rule| rule.code).collect();
    }
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
    fn every_family_lists_only_its_own_rules() {
        for rule in all() {
            let family_codes = match rule.family {
                Family::Input => "CF00",
                Family::Schema => "CF01",
                Family::Text => "CF1",
                Family::App => "CF2",
                Family::Scalability => "CF3",
                Family::Dfr => "CF4",
                Family::Recovery => "CF5",
                Family::Incident => "CF6",
                Family::Probe => "CF7",
                Family::Slo => "CF75",
                Family::Commitments => "CF8",
                Family::Suppression => "CF9",
            };
            assert!(rule.code.starts_with(family_codes), "{}", rule.code);
        }
    }

    #[test]
    fn mentions_are_whole_paths() {
        assert!(mentions(
            "`recovery.data.backup.retention` is",
            "recovery.data.backup.retention"
        ));
        assert!(!mentions(
            "`recovery.data.backup.retention` is",
            "recovery.data.backup"
        ));
    }

    #[test]
    fn unknown_codes_get_neighbours() {
        assert_eq!(similar("CF31")[0], "CF301");
        assert!(similar("CF302").contains(&"CF302"));
        assert!(similar("zzzzzzzz").is_empty());
    }

    #[test]
    fn part_of_a_name_finds_the_rules_that_hold_it() {
        let codes = |text: &str| named_like(text).iter().map(|r| r.code).collect::<Vec<_>>();
        assert_eq!(codes("placeholder"), ["CF101"]);
        assert_eq!(codes("Placeholder"), ["CF101"]);
        assert_eq!(codes("answer"), ["CF101", "CF102", "CF103"]);
        // Names that begin with it come first.
        assert_eq!(
            codes("base-url"),
            ["CF201", "CF203", "CF215", "CF202", "CF204", "CF211"]
        );
        assert!(codes("probe").len() >= 9);
        assert!(
            codes("probe")
                .iter()
                .all(|c| find(c).unwrap().name.contains("probe"))
        );
        // A letter or two is in most names: no match, not all of them.
        assert!(codes("an").is_empty());
        assert!(codes("zzzz").is_empty());
        assert_eq!(similar("placeholder"), ["CF101"]);
    }
}

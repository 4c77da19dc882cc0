//! Every suggestion satisfies the rule that makes it. For every fix that any example, fixture
//! or corpus file produces: apply it (its text edits when it has some, its change as data
//! otherwise), lint again, and fail if the same finding comes back or a new error appears.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cfready::date::Date;
use cfready::diagnostic::{Applicability, Change, Diagnostic, Severity};
use cfready::ticket::lint::{LintOptions, lint_bytes};
use serde_json::Value;

fn options() -> LintOptions {
    LintOptions {
        today: Date::parse(super::TODAY).unwrap(),
        ..LintOptions::default()
    }
}

/// Every questionnaire the repository holds.
fn questionnaires() -> Vec<PathBuf> {
    let mut files = vec![super::root().join("examples/acme-timesheets.yaml")];
    for folder in [
        "examples/invalid",
        "tests/fixtures/rules",
        "tests/fixtures/render",
        "tests/corpus/ready",
        "tests/corpus/send-back",
        "tests/fixtures/fix",
        "tests/fixtures/descriptors",
    ] {
        files.extend(
            super::files_in(std::path::Path::new(folder))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
        );
    }
    files
}

/// Apply a diagnostic's text edits as `lint --fix` does; `None` when `--fix` leaves it alone (an
/// alias, a tagged value: the edit would change more than the value).
fn apply_edits(text: &str, diagnostic: &Diagnostic) -> Option<String> {
    let pass = cfready::ticket::fix::apply(
        text,
        std::slice::from_ref(diagnostic),
        Applicability::Unsafe,
    );
    (!pass.applied.is_empty()).then_some(pass.text)
}

/// Apply a change to a value, as data.
fn apply_change(value: &mut Value, change: &Change) {
    match change {
        Change::Set {
            pointer,
            value: new,
        } => {
            // A value that is there (a list item's included) is replaced in place.
            if let Some(old) = value.pointer_mut(pointer) {
                *old = new.clone();
                return;
            }
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let mut node = &mut *value;
            for token in parent.split('/').skip(1) {
                let token = token.replace("~1", "/").replace("~0", "~");
                node = node
                    .as_object_mut()
                    .unwrap()
                    .entry(token)
                    .or_insert_with(|| Value::Object(Default::default()));
            }
            node.as_object_mut()
                .unwrap()
                .insert(key.replace("~1", "/").replace("~0", "~"), new.clone());
        }
        Change::Rename { pointer, to } => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let node = value.pointer_mut(parent).unwrap().as_object_mut().unwrap();
            let moved = node.shift_remove(key).unwrap();
            node.insert(to.clone(), moved);
        }
    }
}

/// The pointers whose value is written as an alias (`*name`) of the value a change sets.
fn aliases_of(
    document: &cfready::ticket::load::Document,
    text: &str,
    change: &Change,
) -> Vec<String> {
    let Change::Set { pointer, .. } = change else {
        return Vec::new();
    };
    let old = document.value.pointer(pointer);
    let mut out = Vec::new();
    cfready::ticket::load::for_each_string(&document.value, &mut |at, value| {
        let alias = document
            .positions
            .value(at)
            .is_some_and(|span| text[span.start..span.end].starts_with('*'));
        if alias && at != pointer && old.and_then(Value::as_str) == Some(value) {
            out.push(at.to_owned());
        }
    });
    out
}

type Found = BTreeSet<(&'static str, String)>;

fn found(diagnostics: &[Diagnostic], severity: Option<Severity>) -> Found {
    diagnostics
        .iter()
        .filter(|d| severity.is_none_or(|s| d.severity == s))
        .map(|d| (d.code, d.pointer.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn every_suggestion_clears_its_finding_and_adds_no_error() {
    let (mut by_edits, mut as_data, mut failures) = (0, 0, Vec::new());
    let mut applicability = std::collections::BTreeMap::new();
    for path in questionnaires() {
        let name = path.to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let report = lint_bytes(&name, &bytes, &options());
        let Some(source) = &report.source else {
            continue;
        };
        let Some(document) = &report.document else {
            continue;
        };
        let before_errors = found(&report.diagnostics, Some(Severity::Error));
        // The document as JSON (which is YAML), the baseline for changes applied as data.
        let as_json = |value: &Value| serde_json::to_string_pretty(value).unwrap();
        let json_baseline = lint_bytes(&name, as_json(&document.value).as_bytes(), &options());
        let json_errors = found(&json_baseline.diagnostics, Some(Severity::Error));
        for diagnostic in report.diagnostics.iter().filter(|d| d.fix.is_some()) {
            let fix = diagnostic.fix.as_ref().unwrap();
            *applicability.entry(fix.applicability.as_str()).or_insert(0) += 1;
            let target = (diagnostic.code, fix.change.target());
            let mut check = |after: &[Diagnostic], errors_before: &Found, how: &str| {
                let all = found(after, None);
                // A renamed key's value is validated for the first time under its right name:
                // its own errors were there all along, hidden by the typo.
                let renamed =
                    matches!(fix.change, Change::Rename { .. }).then(|| fix.change.target());
                let new_errors: Vec<_> = found(after, Some(Severity::Error))
                    .difference(errors_before)
                    .filter(|(_, pointer)| {
                        !renamed.as_ref().is_some_and(|target| {
                            pointer == target || pointer.starts_with(&format!("{target}/"))
                        })
                    })
                    .cloned()
                    .collect();
                if all.contains(&target) || !new_errors.is_empty() {
                    failures.push(format!(
                        "{name}: {} `{}` ({how}) leaves {target:?} or adds errors {new_errors:?}",
                        diagnostic.code, fix.title
                    ));
                }
            };
            if !fix.edits.is_empty()
                && let Some(edited) = apply_edits(&source.text, diagnostic)
            {
                assert_ne!(fix.applicability, Applicability::DisplayOnly);
                let after = lint_bytes(&name, edited.as_bytes(), &options());
                // The edits and the change as data say the same thing (an anchored value's
                // change reaches its aliases too).
                let mut value = document.value.clone();
                apply_change(&mut value, &fix.change);
                for alias in aliases_of(document, &source.text, &fix.change) {
                    if let Change::Set { value: new, .. } = &fix.change {
                        *value.pointer_mut(&alias).unwrap() = new.clone();
                    }
                }
                assert_eq!(
                    after.document.as_ref().map(|d| &d.value),
                    Some(&value),
                    "{name}: the edits of `{}` do not make the change they describe",
                    fix.title
                );
                check(&after.diagnostics, &before_errors, "edits");
                by_edits += 1;
            }
            let mut value = document.value.clone();
            apply_change(&mut value, &fix.change);
            let after = lint_bytes(&name, as_json(&value).as_bytes(), &options());
            check(&after.diagnostics, &json_errors, "as data");
            as_data += 1;
        }
    }
    eprintln!(
        "suggestions: {as_data} applied as data, {by_edits} as text edits; by applicability {applicability:?}"
    );
    assert!(failures.is_empty(), "{failures:#?}");
    // Not vacuous: the examples and fixtures make suggestions of each kind.
    assert!(as_data >= 15 && by_edits >= 10, "{as_data} / {by_edits}");
    for kind in ["safe", "unsafe", "display-only"] {
        assert!(
            applicability.contains_key(kind),
            "no {kind} fix: {applicability:?}"
        );
    }
}

//! Suppression comments: `# cfready: ignore[CF601] reason` on the offending line, or on its own
//! line just above it, silences that rule for that value only. A suppression without a reason,
//! or one that silences nothing, is itself reported.
//!
//! "Silences nothing" is only judged on a file that passes the schema. The readiness rules
//! read a lenient model that leaves out the values it cannot read (`max_retries: fifty`,
//! `paged: yes`), so a rule that would fire on the corrected value stays quiet meanwhile; the
//! suppression written for it is not stale, it waits for the schema error to be fixed.

use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::ticket::load::Positions;
use crate::ticket::registry::Family;
use crate::ticket::registry::suppression::{UNUSED, WITHOUT_REASON};

const MARKER: &str = "cfready: ignore[";

/// One `# cfready: ignore[...]` comment.
#[derive(Debug)]
struct Suppression {
    /// The line it applies to: its own (trailing comment) or the next content line.
    target: usize,
    /// Each code named, and whether it silenced a finding.
    codes: Vec<(String, bool)>,
    has_reason: bool,
    /// Where the comment is, in bytes.
    offset: usize,
    length: usize,
}

/// The suppression comments of a file, skipping text inside multi-line scalars.
fn find(source: &Source, inside_text: &dyn Fn(usize) -> bool) -> Vec<Suppression> {
    let mut found = Vec::new();
    let line_count = source.line_count();
    for line in 1..=line_count {
        let text = source.line(line);
        let Some(at) = text.find(MARKER) else {
            continue;
        };
        let before = &text[..at];
        let Some(hash) = before.rfind('#') else {
            continue;
        };
        if !before[hash + 1..].trim().is_empty()
            || (hash > 0 && !before[..hash].ends_with([' ', '\t']))
        {
            continue;
        }
        let start = source.line_range(line).start;
        if inside_text(start + hash) {
            continue;
        }
        let rest = &text[at + MARKER.len()..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let codes = rest[..close]
            .split(',')
            .map(|code| (code.trim().to_owned(), false))
            .filter(|(code, _)| !code.is_empty())
            .collect();
        let own_line = before[..hash].trim().is_empty();
        let target = if own_line {
            (line + 1..=line_count)
                .find(|&next| {
                    let t = source.line(next).trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .unwrap_or(line)
        } else {
            line
        };
        found.push(Suppression {
            target,
            codes,
            // A placeholder such as the `<reason>` an editor's "suppress here" inserts, or
            // `TODO`, is no reason yet.
            has_reason: {
                let reason = rest[close + 1..].trim();
                !reason.is_empty() && super::text::placeholder(reason).is_none()
            },
            offset: start + hash,
            length: text.len() - hash,
        });
    }
    found
}

/// Drop the findings that a suppression comment silences, and report suppressions without a
/// reason or that silence nothing.
pub fn apply(
    source: &Source,
    positions: &Positions,
    text_spans: &[(usize, usize)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let inside_text = |offset: usize| text_spans.iter().any(|&(s, e)| s <= offset && offset < e);
    let mut suppressions = find(source, &inside_text);
    if suppressions.is_empty() {
        return;
    }
    // Schema findings (suppressed or not) mean the rules did not see every value.
    let rules_saw_everything = !diagnostics.iter().any(|diagnostic| {
        crate::ticket::registry::find(diagnostic.code)
            .is_some_and(|rule| matches!(rule.family, Family::Input | Family::Schema))
    });
    diagnostics.retain(|diagnostic| {
        let lines = [
            diagnostic.span.map(|s| s.line),
            diagnostic
                .pointer
                .as_deref()
                .and_then(|p| positions.key(p))
                .map(|s| s.line),
        ];
        for suppression in &mut suppressions {
            if !lines.contains(&Some(suppression.target)) {
                continue;
            }
            for (code, used) in &mut suppression.codes {
                let matches = crate::ticket::registry::find(code)
                    .is_some_and(|rule| rule.code == diagnostic.code);
                if matches {
                    *used = true;
                    return false;
                }
            }
        }
        true
    });
    for suppression in suppressions {
        let span = Some(source.span_at(suppression.offset, suppression.length));
        if !suppression.has_reason {
            diagnostics.push(
                Diagnostic::new(&WITHOUT_REASON, "this suppression gives no reason")
                    .at(span)
                    .help("write why the rule does not apply after the brackets: `# cfready: ignore[CODE] reason`"),
            );
        }
        for (code, used) in &suppression.codes {
            if crate::ticket::registry::find(code).is_none() {
                let mut diagnostic = Diagnostic::new(
                    &UNUSED,
                    format!("`{code}` in this suppression is not a rule code"),
                )
                .at(span);
                if let Some(similar) = crate::ticket::registry::similar(code).first() {
                    diagnostic = diagnostic.help(format!("did you mean `{similar}`?"));
                }
                diagnostics.push(diagnostic);
            } else if !used && rules_saw_everything {
                diagnostics.push(
                    Diagnostic::new(
                        &UNUSED,
                        format!(
                            "this suppression of {code} silences nothing on line {}",
                            suppression.target
                        ),
                    )
                    .at(span)
                    .help(
                        "remove it, or move it to the line of the finding (or the line just above)",
                    ),
                );
            }
        }
    }
}

//! Suppression comments: `# cfready: ignore[CF601] reason` on the offending line, or on its own
//! line just above it, silences that rule for that value only. A suppression without a reason,
//! or one that silences nothing, is itself reported.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::suppression`.

use super::rule::Family;
use super::rule::Severity::Warning;

super::rule::family! {
    Family::Suppression;
    WITHOUT_REASON {
        code: "CF901",
        name: "suppression-without-reason",
        severity: Warning,
        summary: "A suppression comment gives no reason",
        docs: "## What it checks
Every `# cfready: ignore[CODE]` comment is followed by a reason:
`# cfready: ignore[CF604] Datadog's anomaly monitor sets its own bounds`. A placeholder is no
reason (`<reason>`, which the language server's \"suppress here\" inserts for you to replace,
`TODO`, `TBD`: the same placeholders as CF101).

## Why it matters
A suppression is a decision that the rule does not apply; the reason is what the next
person (and the reviewer reading the questionnaire) needs to agree with it.

## Example
Fails:
```yaml
      threshold: anomaly detection on p95 latency  # cfready: ignore[CF604]
```

Passes:
```yaml
      # cfready: ignore[CF604] Datadog's anomaly monitor sets its own bounds
      threshold: anomaly detection on p95 latency
```
",
    }

    UNUSED {
        code: "CF902",
        name: "unused-suppression",
        severity: Warning,
        summary: "A suppression comment silences nothing, or names no rule",
        docs: "## What it checks
Every code in a `# cfready: ignore[...]` comment names a rule and silences a finding on its
line (or, for a comment on a line of its own, on the next line).

Whether a suppression silences nothing is judged once the file passes the schema: until then
the rules leave out the values the schema refused (`max_retries: fifty`, `paged: yes`), and a
suppression written for the corrected value would be reported wrongly. A code that names no
rule is reported at once.

## Why it matters
A stale suppression hides nothing today but will hide a real finding tomorrow; a misspelt
code silences nothing at all.

## Example
Fails: `# cfready: ignore[CF999] ...` or a suppression left after the answer was fixed.

Passes: only suppressions that silence a current finding.
",
    }
}

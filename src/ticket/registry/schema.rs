//! Codes for the schema phase: the questionnaire checked against the bundled JSON Schema
//! (`schemas/questionnaire.schema.json`, format version 1).
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! the schema stage (`crate::ticket::schema`).

use super::rule::Family;
use super::rule::Severity::Error;

super::rule::family! {
    Family::Schema;
    UNKNOWN_KEY {
        code: "CF010",
        name: "unknown-key",
        severity: Error,
        summary: "A key that format version 1 does not define",
        docs: "## What it checks
Every mapping of the questionnaire has a fixed set of keys. A key that is not one of them is
reported at the key, with the closest known key suggested.

## Why it matters
A misspelt key is an answer that silently goes missing: `retension` is not `retention`, and
the reviewer would see no retention at all.

## Example
Fails:
```yaml
    backup:
      frequency: 1h
      retension: 35d
```

Passes:
```yaml
    backup:
      frequency: 1h
      retention: 35d
```
",
    }

    MISSING_KEY {
        code: "CF011",
        name: "missing-key",
        severity: Error,
        summary: "A required key is missing",
        docs: "## What it checks
Every question of the approval ticket has a key, and most are required. Some are required
only in context: `base_urls` and `health_check` for Connect apps, backups, restore testing
and corruption recovery when `stores_data` is true, `hours` and `timezone` unless coverage is
`24x7`. The finding points at the mapping that lacks the key and says why it is needed.

## Why it matters
Atlassian's reviewer asks every one of these questions; an unanswered one sends the ticket
back.

## Example
Fails:
```yaml
  availability:
    coverage: business-hours
    hours: Mon-Fri 08:00-18:00
```

Passes:
```yaml
  availability:
    coverage: business-hours
    hours: Mon-Fri 08:00-18:00
    timezone: Europe/Berlin
```
",
    }

    WRONG_TYPE {
        code: "CF012",
        name: "wrong-type",
        severity: Error,
        summary: "A value has the wrong type (text, number, true/false, list or mapping)",
        docs: "## What it checks
Each key expects one type of value: text, a whole number, true/false, a list or a mapping.
An empty value (`key:` with nothing after it) is reported as missing text.

## Why it matters
cfready's readiness rules and the ticket template read these values; a list where a text was
expected cannot be rendered as an answer.

## Example
Fails:
```yaml
    max_retries: four
```

Passes:
```yaml
    max_retries: 4
```
",
    }

    INVALID_CHOICE {
        code: "CF013",
        name: "invalid-choice",
        severity: Error,
        summary: "A value is not one of the allowed choices",
        docs: "## What it checks
Keys such as `framework`, `backoff`, `coverage` and `factor` take one of a fixed list of
values. Any other value is reported with the list and the closest choice.

## Why it matters
The readiness rules reason about these choices (for example, `backoff: none` is an error);
a value outside the list cannot be judged.

## Example
Fails:
```yaml
    backoff: linear
```

Passes:
```yaml
    backoff: exponential-jitter
```
",
    }

    INVALID_FORMAT {
        code: "CF014",
        name: "invalid-format",
        severity: Error,
        summary: "A value does not have the expected form (duration, URL, email, date, hours)",
        docs: "## What it checks
Durations (`15m`, `4h`, `1d`, `35d`, `2w`, or ISO 8601 such as `PT4H`), URLs, email
addresses, dates (`YYYY-MM-DD`), the health check path, the app key, the coverage hours
(`Mon-Fri 08:00-18:00`) and the time zone each have a form.

## Why it matters
The readiness rules compute with these values: a backup retention of `a month` cannot be
compared with the backup frequency, and `ops at acme` receives no SLO-breach email.

## Example
Fails:
```yaml
  fix_lead_time: 2 hours
```

Passes:
```yaml
  fix_lead_time: 2h
```
",
    }

    OUT_OF_RANGE {
        code: "CF015",
        name: "out-of-range",
        severity: Error,
        summary: "A value is empty, too long, too small, or a list repeats itself",
        docs: "## What it checks
Text answers must not be empty, lists that need entries must have at least one, lists of
choices must not repeat a value, numbers must be in range, and the Connect app key is at
most 64 characters.

## Why it matters
An empty answer is an unanswered question; a repeated product or channel is a copy-paste
slip that the reviewer will notice.

## Example
Fails:
```yaml
  alerts: []
```

Passes:
```yaml
  alerts:
    - metric: Health check failures
      threshold: 1 failed check in 5 minutes
      notifies: On-call engineer (PagerDuty)
```
",
    }
}

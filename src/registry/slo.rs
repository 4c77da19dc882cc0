//! After approval: the monitor's history and the 28-day SLO read from it (`cfready monitor`,
//! `cfready slo`).
//!
//! What these findings are (codes, severities, documentation); what produces them is in
//! `crate::history` and `crate::slo`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Slo;
    HISTORY_TORN_LINE {
        code: "CF751",
        name: "history-torn-line",
        severity: Warning,
        summary: "The last line of a monitor history is incomplete and is skipped",
        docs: "## What it checks
The last line of a history file ends with a newline and is a whole observation.

## Why it matters
`cfready monitor` writes each round with one write and flushes it before the next, so a
monitor killed while writing (a `kill -9`, a power cut) leaves at worst one torn line at the
end. That line is skipped and everything before it is kept; the next `cfready monitor` on
the same history starts a new line after it.

## Example
Reported: a history whose last line is `{\"version\":1,\"at\":\"2026-11-25T10:0`.

Quiet: every line a whole observation, the last one ending with a newline.
",
    }

    HISTORY_BAD_LINE {
        code: "CF752",
        name: "history-bad-line",
        severity: Warning,
        summary: "A line of a monitor history is not an observation and is skipped",
        docs: "## What it checks
Every line of a history is one JSON observation of format version 1: `at` (RFC 3339),
`url`, `base_url`, `success`, `failure`, `status`, `total_ms`.

## Why it matters
A history is appended to by `cfready monitor` only; a line that is not an observation was
written by something else (an editor, a merge, another program). It is skipped, with its
line number, so that the rest of the history still counts.

## Example
Reported: `not json` on line 2.

Quiet:
```json
{\"version\":1,\"at\":\"2026-11-25T10:00:00.123Z\",\"url\":\"https://app.example.com/health\",\"base_url\":\"https://app.example.com\",\"success\":true,\"failure\":null,\"status\":200,\"total_ms\":182}
```
",
    }

    SLO_BREACHED {
        code: "CF753",
        name: "slo-breached",
        severity: Error,
        summary: "A base URL's failed time in a 28-day window exceeds the error budget",
        docs: "## What it checks
For each URL of a history, the failed time (each failed observation costs one interval: a
request that is not status 200 within 3 s, or a redirect) inside any 28-day window of the
history, against the error budget of 99.9 % over 28 days: 40 min 19.2 s. A history shorter
than the window is judged on what it covers: two failed minutes in a one-day soak test use
5 % of the budget and breach nothing (they may be \"at risk\" by burn rate, which is not
this finding).

## Why it matters
Atlassian holds every base URL to 99.9 % over 28 days. Failed time over the budget breaches
the program's SLO, which Atlassian follows up on and which counts at the annual review.

## Example
Fails: 41 failed one-minute observations within 28 days.

Passes: 40 or fewer.
",
    }
}

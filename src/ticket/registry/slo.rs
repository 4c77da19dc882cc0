//! After approval: the monitor's history and the 28-day SLO read from it (`cfready monitor`,
//! `cfready slo`).
//!
//! What these findings are (codes, severities, documentation); what produces them is in
//! `crate::badge::history` and `crate::badge::slo`.

use super::rule::Family;
use super::rule::Severity::{Error, Info, Warning};

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

    ATLASSIAN_NO_INCIDENT_DATA {
        code: "CF756",
        name: "atlassian-email-no-incident-data",
        severity: Warning,
        summary: "An email given to slo --atlassian carries no incident-data to compare",
        docs: "## What it checks
Each message given to `cfready slo HISTORY --atlassian MAIL...` (an `.eml` file, or each
message of an mbox) has an HTML part with `<script type=\"application/json\"
id=\"incident-data\">`, the machine-readable part of Atlassian's SLO-breach email.

## Why it matters
Only that object says which SLI Atlassian measured, over which window, and what it found:
without it there is nothing to reconcile with the history. The message is reported with its
file (and its number in an mbox) and skipped; the other messages are still compared. An
alert that is not a breach email, a forwarded copy whose HTML was rewritten, or a message
saved as text only, has none.

## Example
Reported: a text-only message \"At least one health check request failed in the last 15
minutes\".

Quiet: the email as it arrived from no-reply@am.atlassian.com, saved whole (\"Save as\",
\"Download message\", or the mailbox exported as mbox).
",
    }

    ATLASSIAN_BAD_INCIDENT_DATA {
        code: "CF757",
        name: "atlassian-email-bad-incident-data",
        severity: Warning,
        summary: "An email's incident-data is not the JSON object Atlassian documents",
        docs: "## What it checks
The `incident-data` script of an email given to `slo --atlassian` holds one JSON object with
every field Atlassian documents, of its type: `appKey`, `appDetails.name`,
`appDetails.partnerName`, `incidentId`, `incidentStatus`, `time` and `metricName` strings
(`time` in RFC 3339), `metricUnit` (`PERCENT`), `measurementDurationSeconds` a positive whole
number, `sliValue` and `sloValue` numbers in percent.

## Why it matters
A value that is missing, of another type, or not JSON at all cannot be compared with the
history; guessing would make the comparison evidence of nothing. The finding names the
file and every field that is wrong, and the message is skipped.

## Example
Reported: `{\"appKey\": \"com.acme.timesheets\", ..., \"sliValue\": 98.0,}` (a trailing comma,
and no `sloValue`).

Quiet: Atlassian's published example, `{\"appKey\": \"com.example.appkey\", \"appDetails\":
{\"name\": \"AppName\", \"partnerName\": \"Atlassian\"}, \"incidentId\": \"FOotlQrY5ZQ\",
\"incidentStatus\": \"ANOMALOUS\", \"time\": \"2022-03-24T15:40:00Z\", \"metricName\": \"...\",
\"metricUnit\": \"PERCENT\", \"measurementDurationSeconds\": 86400, \"sliValue\": 60.0,
\"sloValue\": 99.0}`.
",
    }

    ATLASSIAN_SLI_DIFFERS {
        code: "CF758",
        name: "atlassian-sli-differs",
        severity: Warning,
        summary: "Atlassian's sliValue differs from the history's availability in the same window",
        docs: "## What it checks
For each Atlassian email, the `sliValue` over the `measurementDurationSeconds` that end at
`time`, against the availability the history shows for the same window (good observations
over all, per health check URL). They agree when they are within one observation's worth
of each other: 100 % divided by the number of checks in the window at the coarser of the two
cadences (Atlassian's 60 s, the monitor's own).

## Why it matters
The program's final step asks partners to confirm that Atlassian's metrics match their
expectations and to contact Atlassian about \"suspicious or missing data\". A difference
beyond one observation is such a case: the finding gives both figures and the failed
observations of the window, the evidence to attach. When the history is the lower figure,
the monitor saw failures Atlassian did not (its own network, or requests Atlassian did not
make); when Atlassian's is lower, Atlassian's requests failed where the monitor's succeeded
(DNS, routing, a firewall rule for Atlassian's addresses, a region).

## Example
Reported: Atlassian 95 % over 1h to 02:00Z; the history 98.305 % (1 failed of 59).

Quiet: Atlassian 98.33 %, the history 98.333 % (1 failed of 60).
",
    }

    ATLASSIAN_NOT_OBSERVED {
        code: "CF759",
        name: "atlassian-sli-not-observed",
        severity: Info,
        summary: "The history does not cover the window of an Atlassian email",
        docs: "## What it checks
Whether the history holds observations for at least 90 % of the window of an Atlassian
email (`measurementDurationSeconds` ending at `time`), at the monitor's cadence.

## Why it matters
Where the monitor was not running there is nothing to compare: Atlassian's figure is neither
confirmed nor contradicted. The finding says how much of the window the history covers, so
that the gap is known before anyone argues about the number. Keep `cfready monitor` running
(a systemd unit, a container) to be able to reconcile every email.

## Example
Reported: the history covers 1 of the 60 observations expected in the hour to 03:00Z.

Quiet: a monitor that ran through the whole window.
",
    }
}

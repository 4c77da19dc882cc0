//! The program's final steps: what the partner confirms it has done.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::commitments`.

use super::rule::Family;
use super::rule::Severity::{Info, Warning};

super::rule::family! {
    Family::Commitments;
    INCIDENT_PROCESS_NOT_REVIEWED {
        code: "CF801",
        name: "incident-process-not-reviewed",
        severity: Warning,
        summary: "Atlassian's incident management process has not been read yet",
        docs: "## What it checks
`commitments.incident_process_reviewed` is `true`.

## Why it matters
Step 5 of the requirements asks partners to familiarise themselves with Atlassian's incident
management process (severities SEV 1 to SEV 3, incidents reported through the support
portal's \"Incidents\" option) before applying, so that both sides know how an incident is
raised and handled.

## Example
Fails: `incident_process_reviewed: false`.

Passes: `incident_process_reviewed: true`, once the process has been read.
",
    }

    FINAL_STEPS_PENDING {
        code: "CF802",
        name: "final-steps-pending",
        severity: Info,
        summary: "A final step (developer console, SLO-breach emails) is still to do",
        docs: "## What it checks
`commitments.developer_console_verified` and `commitments.slo_breach_emails`; `false` is
reported as a note, not a failure.

## Why it matters
Both steps come after Atlassian grants access: confirm that the metrics on the developer
console match your expectations, and that SLO-breach emails (from no-reply@am.atlassian.com)
reach your shared mailbox. They are expected to be `false` when the ticket is first
submitted; the note is a reminder to come back.

## Example
Reported: `slo_breach_emails: false`.

Quiet: `slo_breach_emails: true`, once a test alert arrived.
",
    }
}

//! The program's final steps: what the partner confirms it has done.

use super::{Context, Family, Rule};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Info, Warning};

pub const INCIDENT_PROCESS_NOT_REVIEWED: Rule = Rule {
    code: "CF801",
    name: "incident-process-not-reviewed",
    severity: Warning,
    family: Family::Commitments,
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
};

pub const FINAL_STEPS_PENDING: Rule = Rule {
    code: "CF802",
    name: "final-steps-pending",
    severity: Info,
    family: Family::Commitments,
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
};

pub const RULES: &[&Rule] = &[&INCIDENT_PROCESS_NOT_REVIEWED, &FINAL_STEPS_PENDING];

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(commitments) = &context.questionnaire.commitments else {
        return;
    };
    if commitments.incident_process_reviewed == Some(false) {
        out.push(
            context
                .at(
                    &INCIDENT_PROCESS_NOT_REVIEWED,
                    "/commitments/incident_process_reviewed",
                    "Atlassian's incident management process has not been reviewed yet",
                )
                .help("read it before applying, then set this to true"),
        );
    }
    let pending = [
        (
            commitments.developer_console_verified,
            "developer_console_verified",
            "check that the metrics on the developer console match your expectations",
        ),
        (
            commitments.slo_breach_emails,
            "slo_breach_emails",
            "check that SLO-breach emails reach your shared mailbox",
        ),
    ];
    for (done, key, what) in pending {
        if done == Some(false) {
            out.push(context.at(
                &FINAL_STEPS_PENDING,
                &format!("/commitments/{key}"),
                format!("still to do once Atlassian grants access: {what}"),
            ));
        }
    }
}

//! The program's final steps: what the partner confirms it has done.

use super::context::Context;
use crate::diagnostic::Diagnostic;
use crate::ticket::registry::commitments::{FINAL_STEPS_PENDING, INCIDENT_PROCESS_NOT_REVIEWED};

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

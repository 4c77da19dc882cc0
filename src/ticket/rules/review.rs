//! The annual review's reminder (CF219): a note when the review that `app.approved_on` gives
//! is within 30 days, with its dates.

use super::context::Context;
use crate::diagnostic::Diagnostic;
use crate::ticket::registry::app::REVIEW_DUE;
use crate::ticket::review::{REMINDER_DAYS, approved_on, next_review};

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(approved) = approved_on(context.value) else {
        return;
    };
    if approved > context.today {
        return;
    }
    let dates = next_review(approved, context.today);
    if dates.days_to_review > REMINDER_DAYS[0] {
        return;
    }
    let when = match dates.days_to_review {
        1 => "tomorrow".to_owned(),
        d if d > 1 => format!("in {d} days"),
        _ => "under way".to_owned(),
    };
    out.push(
        context
            .at(
                &REVIEW_DUE,
                "/app/approved_on",
                format!(
                    "Atlassian's annual review of this app is {when}: the week of {} to {} (notice by {}, fixes due by {})",
                    dates.review_start, dates.review_end, dates.notice, dates.fix_by
                ),
            )
            .help("prepare the pack: cfready review --since REV --format markdown -o review.md"),
    );
}

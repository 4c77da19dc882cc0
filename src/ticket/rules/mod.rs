//! The readiness checks: what a Cloud Fortified reviewer (and Atlassian's monitor) would
//! catch once the file parsed, one file per rule family.
//!
//! What each rule *is* (its code, severity and documentation) is in `crate::ticket::registry`; a file
//! here reads the questionnaire through a [`Context`] and emits those rules' findings. Adding
//! a rule is its entry in the family's registry file, the lines here that emit it, and its
//! fixture under `tests/fixtures/rules/`.

mod context;

pub mod app;
pub mod commitments;
pub mod descriptor;
pub mod dfr;
pub mod incident;
pub mod recovery;
pub mod review;
pub mod scalability;
pub mod suppression;
pub mod text;

pub use context::{Context, Text};

use crate::diagnostic::Diagnostic;

/// Run every readiness check. Checks read the lenient model, so each runs on whatever parts of
/// the file are well formed, even when the schema phase found errors elsewhere.
pub fn check(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    text::check(context, &mut out);
    app::check(context, &mut out);
    scalability::check(context, &mut out);
    dfr::check(context, &mut out);
    recovery::check(context, &mut out);
    incident::check(context, &mut out);
    commitments::check(context, &mut out);
    descriptor::check(context, &mut out);
    review::check(context, &mut out);
    out
}

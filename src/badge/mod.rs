//! After approval: keeping the badge. Atlassian's monitor run by the partner, its history, the
//! 28-day SLO, alerts, Atlassian's breach emails and the Prometheus export.
//!
//! [`monitor`] runs rounds of the probe ([`crate::ticket::probe`]) over the questionnaires'
//! health check URLs and writes each observation to the [`store`] (or, before 0.4, to a
//! [`history`] of JSON lines); [`notify`] sends the alerts the observations give; [`slo`]
//! judges a window of the store; [`email`] builds and reads Atlassian's breach email, and
//! [`reconcile`] sets those emails against the store; [`export`] hands the same checks to a
//! Prometheus stack.
//!
//! This half reads the questionnaire through [`crate::ticket`], never the other way round.

pub mod email;
pub mod export;
pub mod history;
pub mod monitor;
pub mod notify;
pub mod reconcile;
pub mod slo;
pub mod store;

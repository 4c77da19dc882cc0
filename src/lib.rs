//! cfready: is a Cloud Fortified approval ticket ready to submit?
//!
//! The library is a pipeline of pure stages that return data, in two halves, one folder each.
//! Before approval, [`ticket`]: load (YAML with positions) -> schema -> rules -> probe ->
//! render, the questionnaire to the approval ticket. After approval, [`badge`]: monitor ->
//! store -> slo, with notify, reconcile and export, keeping the badge. [`report`] writes both
//! halves' results; the small helpers are at the root. Only the binary prints.
//!
//! Imports point down this list, never up, and no module imports one that imports it back
//! (`tests/cli/architecture.rs` keeps it so, and keeps `ticket` from importing `badge`):
//!
//! ```text
//! ticket::server                            the language server: lint in the editor
//! report, ticket::{render, init},           output: formats, the ticket, the starter file,
//!   badge::export                           the Prometheus export
//! ticket::check                             lint + probe folded into the program's checklist
//! badge::monitor                            Atlassian's monitor: rounds of probes, appended
//! badge::reconcile                          Atlassian's breach emails against the history
//! badge::notify                             the monitor's alerts: when, what, delivered how
//! badge::slo                                a history's 28-day SLO, budget, incidents, alerts
//! badge::store                              the monitor's history store (SQLite): appended, queried by window
//! badge::history                            the monitor's observations, v1 JSON lines read and written
//! ticket::probe                             the network stage (findings: results -> diagnostics)
//! ticket::fix                               lint's fixes applied as text edits (--fix, --diff)
//! badge::email                              Atlassian's breach email: built (drill), read, sent
//! ticket::lint                              one file through load, schema and rules
//! ticket::rules                             what the readiness rules check
//! ticket::review                            the annual review: its dates, the answers changed
//!                                           since approval, the findings new since then
//! ticket::schema                            the questionnaire against the bundled JSON Schema
//! ticket::{load, model, health_check}       the questionnaire read, typed, its health check URLs
//! diagnostic, source                        the one finding type, the text it points into
//! ticket::registry                          what every rule is: code, severity, docs (data)
//! program, duration, date, timestamp, net, suggest, words, write   numbers and small helpers
//! ```

pub mod badge;
pub mod date;
pub mod diagnostic;
pub mod duration;
pub mod net;
pub mod program;
pub mod report;
pub mod source;
pub mod suggest;
pub mod ticket;
pub mod timestamp;
pub mod words;
pub mod write;

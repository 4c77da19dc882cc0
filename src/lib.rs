//! cfready: is a Cloud Fortified approval ticket ready to submit?
//!
//! The library is a pipeline of pure stages that return data: [`load`] (YAML with positions) ->
//! [`schema`] -> [`rules`] -> [`probe`] -> [`report`] / [`render`], and after approval
//! [`monitor`] -> [`store`] -> [`slo`] -> [`report`]. Only the binary prints.
//!
//! Imports point down this list, never up, and no module imports one that imports it back
//! (`tests/cli/architecture.rs` keeps it so):
//!
//! ```text
//! server                                    the language server: lint in the editor
//! report, render, init, export              output: formats, the ticket, the starter file,
//!                                           the Prometheus export
//! check                                     lint + probe folded into the program's checklist
//! monitor                                   Atlassian's monitor: rounds of probes, appended
//! reconcile                                 Atlassian's breach emails against the history
//! notify                                    the monitor's alerts: when, what, delivered how
//! slo                                       a history's 28-day SLO, budget, incidents, alerts
//! store                                     the monitor's history store (SQLite): appended, queried by window
//! history                                   the monitor's observations, v1 JSON lines read and written
//! probe                                     the network stage (findings: results -> diagnostics)
//! fix                                       lint's fixes applied as text edits (--fix, --diff)
//! email                                     Atlassian's breach email: built (drill), read, sent
//! lint                                      one file through load, schema and rules
//! rules                                     what the readiness rules check
//! schema                                    the questionnaire against the bundled JSON Schema
//! load, model, health_check                 the questionnaire read, typed, its health check URLs
//! diagnostic, source                        the one finding type, the text it points into
//! registry                                  what every rule is: code, severity, docs (data)
//! program, duration, date, timestamp, net, suggest, words, write   numbers and small helpers
//! ```

pub mod check;
pub mod date;
pub mod diagnostic;
pub mod duration;
pub mod email;
pub mod export;
pub mod fix;
pub mod health_check;
pub mod history;
pub mod init;
pub mod lint;
pub mod load;
pub mod model;
pub mod monitor;
pub mod net;
pub mod notify;
pub mod probe;
pub mod program;
pub mod reconcile;
pub mod registry;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod slo;
pub mod source;
pub mod store;
pub mod suggest;
pub mod timestamp;
pub mod words;
pub mod write;

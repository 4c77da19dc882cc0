//! Before approval: the questionnaire, from its bytes to the approval ticket.
//!
//! [`load`] (YAML with positions) -> [`schema`] -> [`model`] -> [`rules`] (what [`registry`]
//! says each rule is) make [`lint`]; [`fix`] applies its fixes; [`probe`] requests the
//! [`health_check`] URLs; [`check`] folds both into the program's checklist; [`render`] writes
//! the ticket and [`init`] the starter file; [`server`] is lint in the editor; [`review`]
//! dates the annual review of an approved app and lists what changed since approval.
//!
//! Nothing here imports the other half ([`crate::badge`]): a questionnaire is read and judged
//! the same whether or not anything monitors it (`tests/cli/architecture.rs` keeps it so).

pub mod check;
pub mod fix;
pub mod health_check;
pub mod init;
pub mod lint;
pub mod load;
pub mod model;
pub mod probe;
pub mod registry;
pub mod render;
pub mod review;
pub mod rules;
pub mod schema;
pub mod server;

//! cfready: is a Cloud Fortified approval ticket ready to submit?
//!
//! The library is a pipeline of pure stages that return data: [`load`] (YAML with positions) ->
//! [`schema`] -> rules -> report. Only the binary prints.

pub mod check;
pub mod date;
pub mod diagnostic;
pub mod duration;
pub mod init;
pub mod lint;
pub mod load;
pub mod model;
pub mod net;
pub mod probe;
pub mod program;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod write;

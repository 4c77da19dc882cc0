//! `cfready init`: a commented starter questionnaire, written without ever overwriting a file.

use std::path::{Path, PathBuf};

use crate::ticket::lint::DEFAULT_FILE;
use crate::write::{self, Existing, WriteError};

/// The starter questionnaire: every question, explained, with its answer left empty so that
/// `cfready lint` lists what is still to do.
pub const STARTER: &str = include_str!("../../templates/starter.yaml");

/// Write the starter to `path` (or to `path/cloud-fortified.yaml` when `path` is a directory).
pub fn write_starter(path: &Path) -> Result<PathBuf, WriteError> {
    let target = if path.is_dir() {
        path.join(DEFAULT_FILE)
    } else {
        path.to_path_buf()
    };
    write::atomically(&target, STARTER.as_bytes(), Existing::Keep)?;
    Ok(target)
}

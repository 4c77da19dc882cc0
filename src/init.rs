//! `cfready init`: a commented starter questionnaire, written without ever overwriting a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::lint::DEFAULT_FILE;

/// The starter questionnaire: every question, explained, with its answer left empty so that
/// `cfready lint` lists what is still to do.
pub const STARTER: &str = include_str!("../templates/starter.yaml");

#[derive(Debug, Error)]
pub enum InitError {
    #[error(
        "`{0}` already exists; cfready init never overwrites a file (pick another path or remove it)"
    )]
    Exists(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Write the starter to `path` (or to `path/cloud-fortified.yaml` when `path` is a directory).
pub fn write_starter(path: &Path) -> Result<PathBuf, InitError> {
    let target = if path.is_dir() {
        path.join(DEFAULT_FILE)
    } else {
        path.to_path_buf()
    };
    write_new(&target, STARTER.as_bytes())?;
    Ok(target)
}

/// Write a file that must not exist yet, atomically: the content goes to a temporary file
/// beside it, which is then hard-linked into place (failing if the name was taken meanwhile).
/// Nobody ever sees a half-written file under `target`.
pub fn write_new(target: &Path, contents: &[u8]) -> Result<(), InitError> {
    if target.exists() {
        return Err(InitError::Exists(target.to_path_buf()));
    }
    let io = |source| InitError::Io {
        path: target.to_path_buf(),
        source,
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.cfready-tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::hard_link(&temporary, target)
    })();
    let _ = std::fs::remove_file(&temporary);
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(InitError::Exists(target.to_path_buf()))
        }
        other => other.map_err(io),
    }
}

//! Writing output files atomically: the content goes to a temporary file beside the target,
//! which then takes the target's name in one step. Nobody ever sees a half-written file, and
//! a failed write leaves the target as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// What to do when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Fail with [`WriteError::Exists`] (`init`).
    Keep,
    /// Replace it (`render -o`).
    Replace,
}

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("`{0}` already exists; it is never overwritten (pick another path or remove it)")]
    Exists(PathBuf),
    /// The reason is in the message, once: the I/O error is kept, not chained as a source,
    /// so that `{:#}` does not repeat it.
    #[error("cannot write `{}`: {}", path.display(), reason(path, error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Why a write failed, in words that point at the fix: a missing folder is named.
fn reason(path: &Path, error: &std::io::Error) -> String {
    let folder = path.parent().filter(|dir| !dir.as_os_str().is_empty());
    match (error.kind(), folder) {
        (std::io::ErrorKind::NotFound, Some(dir)) if !dir.exists() => {
            format!("the folder `{}` does not exist", dir.display())
        }
        (std::io::ErrorKind::PermissionDenied, _) => "permission denied".to_owned(),
        // The system's words, without their `(os error N)` tail (this module is a leaf: it
        // does not reach up to `source::plain_io`).
        _ => {
            let text = error.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_owned()
        }
    }
}

/// Write `contents` to `target` atomically.
pub fn atomically(target: &Path, contents: &[u8], existing: Existing) -> Result<(), WriteError> {
    if existing == Existing::Keep && target.exists() {
        return Err(WriteError::Exists(target.to_path_buf()));
    }
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
        match existing {
            // A hard link fails if the name was taken meanwhile; rename would replace it.
            Existing::Keep => std::fs::hard_link(&temporary, target),
            Existing::Replace => std::fs::rename(&temporary, target),
        }
    })();
    let _ = std::fs::remove_file(&temporary);
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(WriteError::Exists(target.to_path_buf()))
        }
        other => other.map_err(|error| WriteError::Io {
            path: target.to_path_buf(),
            error,
        }),
    }
}

/// Write `files` (name, contents) into the folder `dir`, created if missing: every file into
/// a temporary folder beside it first, then each renamed into place, so that a failure leaves
/// no half-written file and, for a new folder, no folder at all. Other files in `dir` stay.
pub fn folder<N: AsRef<str>, C: AsRef<[u8]>>(dir: &Path, files: &[(N, C)]) -> std::io::Result<()> {
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.cfready-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(&staging)?;
        for (file, contents) in files {
            std::fs::write(staging.join(file.as_ref()), contents)?;
        }
        if dir.exists() {
            for (file, _) in files {
                std::fs::rename(staging.join(file.as_ref()), dir.join(file.as_ref()))?;
            }
            std::fs::remove_dir(&staging)
        } else {
            std::fs::rename(&staging, dir)
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_refuses_and_replace_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.md");
        atomically(&target, b"one", Existing::Keep).unwrap();
        assert!(matches!(
            atomically(&target, b"two", Existing::Keep),
            Err(WriteError::Exists(_))
        ));
        atomically(&target, b"three", Existing::Replace).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "three");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("out.md");
        let error = atomically(&target, b"x", Existing::Replace).unwrap_err();
        assert!(matches!(error, WriteError::Io { .. }));
        assert!(!target.exists());
        // Said once, with the path and the missing folder.
        let folder = dir.path().join("missing-dir");
        assert_eq!(
            error.to_string(),
            format!(
                "cannot write `{}`: the folder `{}` does not exist",
                target.display(),
                folder.display()
            )
        );
        assert!(std::error::Error::source(&error).is_none());
    }
}

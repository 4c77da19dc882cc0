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
        _ => crate::source::plain_io(error),
    }
}

/// Write `contents` to `target` atomically.
pub fn atomically(target: &Path, contents: &[u8], existing: Existing) -> Result<(), WriteError> {
    if existing == Existing::Keep && target.exists() {
        return Err(WriteError::Exists(target.to_path_buf()));
    }
    // A rename puts a regular file in the place of whatever had the name. A device, a FIFO or
    // a socket (`-o /dev/null`, `-o /dev/stdout`) is written to instead: run as root, a rename
    // would replace the system's null device with a file. A symbolic link is followed, so
    // that the file it points to is replaced and the link stays a link.
    let resolved;
    let target = match std::fs::metadata(target) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            return write_through(target, contents).map_err(|error| WriteError::Io {
                path: target.to_path_buf(),
                error,
            });
        }
        Ok(_) if target.is_symlink() => {
            resolved = std::fs::canonicalize(target).map_err(|error| WriteError::Io {
                path: target.to_path_buf(),
                error,
            })?;
            resolved.as_path()
        }
        _ => target,
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

/// Write into an existing name that is not a regular file, without replacing it.
fn write_through(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(target)?;
    file.write_all(contents)?;
    file.flush()
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

    /// `-o` naming a FIFO (as `/dev/null` names a device) writes into it and leaves it a
    /// FIFO: a rename would have put a regular file in its place.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        atomically(&fifo, b"through the pipe", Existing::Replace).unwrap();
        // Checked before joining: had the FIFO been replaced, its reader would wait forever.
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "{kind:?}");
        assert_eq!(reader.join().unwrap(), "through the pipe");
        // Nothing was staged beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A symbolic link stays a link; the file it points to gets the new contents.
    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        let link = dir.path().join("link.yaml");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        atomically(&link, b"new", Existing::Replace).unwrap();
        assert!(link.is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
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

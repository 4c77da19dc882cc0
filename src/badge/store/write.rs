//! Appending to the store: the monitor's rounds and deliveries, and `history import`.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::file::{HOUR_MS, StoreError, connect};
use crate::badge::history::{Delivery, Observation};
use crate::timestamp::Timestamp;

/// The wall clock went back: the round's time was moved to just after the last one written,
/// so that time in the store only moves forward (no negative durations, no window that ends
/// before it starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockStep {
    /// What the clock said.
    pub clock: Timestamp,
    /// The time written instead.
    pub written: Timestamp,
}

/// What identifies the open file, to notice a store moved or deleted under a running monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    #[cfg(unix)]
    device: u64,
    #[cfg(unix)]
    inode: u64,
}

fn file_id(path: &Path) -> std::io::Result<FileId> {
    let metadata = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(FileId {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Ok(FileId {})
    }
}

/// The store open for appending, by one process: a second writer is refused
/// ([`StoreError::Locked`]) while this one lives.
pub struct Writer {
    connection: Connection,
    path: PathBuf,
    /// Held (locked) for as long as the writer lives; the OS releases it if the process dies.
    _lock: File,
    file: FileId,
    /// (app, url) -> series id.
    series: HashMap<(String, String), i64>,
    /// The latest `at` written, over every series.
    last_at: Option<Timestamp>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("path", &self.path).finish()
    }
}

/// How the writer commits: each round reaches the disk before the next one (`FULL` in WAL
/// mode: a power loss loses at most the round in flight), and a write that finds the store
/// locked (only a hand-held `sqlite3` can: the lock file keeps other cfready writers out) gives
/// up after a second, so that the round's observations are held and the monitor goes on.
fn writer_settings(connection: &Connection) -> rusqlite::Result<()> {
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.busy_timeout(std::time::Duration::from_secs(1))
}

/// The lock file beside a store: `cfready-history.db.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Create and lock `lock_file`, the lock of one kind of writer of the store at `path`:
/// [`StoreError::Locked`] while another process holds it. The OS releases it when the process
/// dies.
pub(super) fn take_lock(path: &Path, lock_file: PathBuf) -> Result<File, StoreError> {
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(|source| StoreError::Io {
            path: lock_file.clone(),
            source,
        })?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(StoreError::Locked {
                path: path.to_owned(),
                lock: lock_file,
            });
        }
        Err(std::fs::TryLockError::Error(source)) => {
            return Err(StoreError::Io {
                path: lock_file,
                source,
            });
        }
    }
    Ok(lock)
}

impl Writer {
    /// Open (or create) the store at `path` for appending.
    pub fn open(path: &Path) -> Result<Writer, StoreError> {
        let lock = take_lock(path, lock_path(path))?;
        let connection = connect(path, true, false)?;
        writer_settings(&connection).map_err(StoreError::sqlite(path))?;
        let file = file_id(path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut writer = Writer {
            connection,
            path: path.to_owned(),
            _lock: lock,
            file,
            series: HashMap::new(),
            last_at: None,
        };
        writer.load_series().map_err(StoreError::sqlite(path))?;
        Ok(writer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn load_series(&mut self) -> rusqlite::Result<()> {
        let mut statement = self.connection.prepare(
            "SELECT id, app, url, (SELECT max(at) FROM observations WHERE series = series.id) FROM series",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<i64>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, app, url, last) = row?;
            self.series.insert((app, url), id);
            if let Some(last) = last {
                self.last_at = Some(
                    self.last_at
                        .map_or(Timestamp(last), |l| l.max(Timestamp(last))),
                );
            }
        }
        Ok(())
    }

    /// The time to write for a round the clock says starts at `clock`: `clock`, or just after
    /// the last time written when the clock went back (with what happened).
    pub fn round_time(&self, clock: Timestamp) -> (Timestamp, Option<ClockStep>) {
        match self.last_at {
            Some(last) if clock <= last => {
                let written = Timestamp(last.0 + 1);
                (written, Some(ClockStep { clock, written }))
            }
            _ => (clock, None),
        }
    }

    /// Is the file at the store's path still the one this writer opened? `Err` says what
    /// happened to it (moved, deleted, replaced).
    pub fn check_in_place(&self) -> Result<(), String> {
        match file_id(&self.path) {
            Ok(id) if id == self.file => Ok(()),
            Ok(_) => Err("was replaced by another file".to_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err("was moved or deleted".to_owned())
            }
            Err(e) => Err(crate::source::plain_io(&e)),
        }
    }

    /// Open a new store at the same path (after the old one was moved or deleted), keeping
    /// this writer's lock.
    pub fn reopen(&mut self) -> Result<(), StoreError> {
        // What the write-ahead log holds goes into the file where it now is, and the log
        // (named after the path, not the file) is emptied and closed, so that the new store
        // at the path never reads the old one's log.
        let _ = self
            .connection
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        let old = std::mem::replace(
            &mut self.connection,
            Connection::open_in_memory().map_err(StoreError::sqlite(&self.path))?,
        );
        let _ = old.close();
        let connection = connect(&self.path, true, false)?;
        writer_settings(&connection).map_err(StoreError::sqlite(&self.path))?;
        self.file = file_id(&self.path).map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })?;
        self.connection = connection;
        self.series.clear();
        let last_at = self.last_at;
        self.load_series().map_err(StoreError::sqlite(&self.path))?;
        // Time keeps moving forward across the new file too.
        self.last_at = self.last_at.max(last_at);
        Ok(())
    }

    fn series_id(&mut self, app: &str, url: &str, base_url: Option<&str>) -> rusqlite::Result<i64> {
        if let Some(&id) = self.series.get(&(app.to_owned(), url.to_owned())) {
            return Ok(id);
        }
        self.connection
            .prepare_cached("INSERT INTO series (app, url, base_url) VALUES (?1, ?2, ?3)")?
            .execute(params![app, url, base_url])?;
        let id = self.connection.last_insert_rowid();
        self.series.insert((app.to_owned(), url.to_owned()), id);
        Ok(id)
    }

    /// Append observations in one transaction: all of them or none. An observation already in
    /// the store (same app, URL and instant) is skipped; the number added is returned.
    pub fn append(&mut self, observations: &[Observation]) -> Result<usize, StoreError> {
        let path = self.path.clone();
        self.append_inner(observations)
            .map_err(StoreError::sqlite(&path))
    }

    fn append_inner(&mut self, observations: &[Observation]) -> rusqlite::Result<usize> {
        self.connection.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.insert_all(observations);
        match result {
            Ok(added) => {
                if let Err(e) = self.connection.execute_batch("COMMIT") {
                    let _ = self.connection.execute_batch("ROLLBACK");
                    // What was counted in memory was not written.
                    self.series.clear();
                    self.load_series()?;
                    return Err(e);
                }
                Ok(added)
            }
            Err(e) => {
                let _ = self.connection.execute_batch("ROLLBACK");
                self.series.clear();
                self.load_series()?;
                Err(e)
            }
        }
    }

    fn insert_all(&mut self, observations: &[Observation]) -> rusqlite::Result<usize> {
        let mut added = 0;
        for observation in observations {
            let app = observation.app.as_deref().unwrap_or("");
            let id = self.series_id(app, &observation.url, observation.base_url.as_deref())?;
            let failure = if observation.success {
                None
            } else {
                Some(observation.failure.as_deref().unwrap_or(""))
            };
            let inserted = self
                .connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO observations (series, at, status, total_ms, failure) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    id,
                    observation.at.0,
                    observation.status,
                    observation.total_ms.map(|ms| i64::try_from(ms).unwrap_or(i64::MAX)),
                    failure
                ])?;
            if inserted == 0 {
                continue;
            }
            added += 1;
            self.connection
                .prepare_cached(
                    "INSERT INTO hours (series, hour, observations, good) VALUES (?1, ?2, 1, ?3)
                     ON CONFLICT (series, hour) DO UPDATE SET observations = observations + 1, good = good + excluded.good",
                )?
                .execute(params![
                    id,
                    observation.at.0.div_euclid(HOUR_MS),
                    i64::from(observation.success)
                ])?;
            self.last_at = Some(
                self.last_at
                    .map_or(observation.at, |l| l.max(observation.at)),
            );
        }
        Ok(added)
    }

    /// Append one delivery attempt of an alert.
    pub fn append_delivery(
        &mut self,
        app: Option<&str>,
        delivery: &Delivery,
    ) -> Result<(), StoreError> {
        let outcome = serde_json::to_value(delivery.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.connection
            .prepare_cached(
                "INSERT INTO deliveries (at, app, target, event, key, base_url, attempt, outcome, status, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    delivery.at.0,
                    app.unwrap_or(""),
                    delivery.target,
                    delivery.event.to_string(),
                    delivery.key,
                    delivery.base_url,
                    delivery.attempt,
                    outcome,
                    delivery.status,
                    delivery.error
                ])
            })
            .map(|_| ())
            .map_err(StoreError::sqlite(&self.path))
    }

    /// Record what kind of app `app` is (`forge`: a Forge app whose remote's health check is
    /// the partner's own watch, which Atlassian does not email about), for the reports.
    pub fn set_app_kind(&mut self, app: &str, kind: &str) -> Result<(), StoreError> {
        self.connection
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![format!("kind:{app}"), kind],
            )
            .map(|_| ())
            .map_err(StoreError::sqlite(&self.path))
    }

    /// Delete observations, deliveries and Forge counts before `before`, whole hours at a time (an hour
    /// that holds `before` is kept whole), then give the space back to the file system.
    /// Returns the number of observations deleted.
    pub fn prune(&mut self, before: Timestamp) -> Result<u64, StoreError> {
        let hour = before.0.div_euclid(HOUR_MS);
        let cut = hour * HOUR_MS;
        let path = self.path.clone();
        let run = || -> rusqlite::Result<u64> {
            self.connection.execute_batch("BEGIN IMMEDIATE")?;
            let deleted = self
                .connection
                .execute("DELETE FROM observations WHERE at < ?1", [cut])?;
            self.connection
                .execute("DELETE FROM hours WHERE hour < ?1", [hour])?;
            self.connection
                .execute("DELETE FROM deliveries WHERE at < ?1", [cut])?;
            self.connection
                .execute("DELETE FROM forge_hours WHERE hour < ?1", [hour])?;
            self.connection
                .execute("DELETE FROM forge_polls WHERE end <= ?1", [cut])?;
            self.connection
                .execute("DELETE FROM forge_seen WHERE at < ?1", [cut])?;
            self.connection.execute(
                "DELETE FROM series WHERE id NOT IN (SELECT DISTINCT series FROM hours)",
                [],
            )?;
            self.connection.execute_batch("COMMIT")?;
            Ok(deleted as u64)
        };
        let deleted = run().map_err(|e| {
            let _ = self.connection.execute_batch("ROLLBACK");
            StoreError::sqlite(&path)(e)
        })?;
        self.connection
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")
            .map_err(StoreError::sqlite(&path))?;
        self.series.clear();
        self.load_series().map_err(StoreError::sqlite(&path))?;
        Ok(deleted)
    }
}

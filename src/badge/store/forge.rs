//! A Forge app's invocation counts in the store (format 2): what `monitor --forge` appends
//! from the App metrics API and `slo --forge` reads.
//!
//! The poller has its own lock (`<store>.forge.lock`): one Forge poller per store, beside at
//! most one health check monitor (the tables are disjoint; SQLite serialises the writes).

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::file::{HOUR_MS, StoreError, connect};
use super::read::Reader;
use super::write::take_lock;
use crate::timestamp::Timestamp;

/// Where the app's last poll ended: the next one starts there.
fn last_end(connection: &Connection, app: &str) -> rusqlite::Result<Option<Timestamp>> {
    connection
        .query_row(
            "SELECT max(end) FROM forge_polls WHERE app = ?1",
            [app],
            |row| row.get::<_, Option<i64>>(0),
        )
        .map(|end| end.map(Timestamp))
}

/// One point of an answer, as the store counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ForgeCount {
    /// The point's identity (its series and time, hashed): a point already stored is skipped.
    pub point: i64,
    pub at: Timestamp,
    /// The function it names (`None`: none).
    pub function: Option<String>,
    pub invocations: f64,
    pub errors: f64,
}

/// One call's interval, `[start, end)`, and when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForgePoll {
    pub start: Timestamp,
    pub end: Timestamp,
    pub polled_at: Timestamp,
}

/// What one call added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForgeAdded {
    pub points: usize,
    /// Points an earlier call already brought (the edges of two intervals).
    pub duplicates: usize,
}

/// The store open for a Forge poller.
pub struct ForgeWriter {
    connection: Connection,
    path: PathBuf,
    _lock: File,
}

/// The lock file of a store's Forge poller: `cfready-history.db.forge.lock`.
pub fn forge_lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".forge.lock");
    PathBuf::from(name)
}

/// How long a poll's identities are kept after its interval: an answer may repeat the points at
/// its edges, never points an hour older than what it asked for.
const SEEN_KEPT_MS: i64 = HOUR_MS;

impl ForgeWriter {
    /// Open (or create) the store at `path` for a Forge poller; a second poller is refused
    /// ([`StoreError::Locked`]).
    pub fn open(path: &Path) -> Result<ForgeWriter, StoreError> {
        let lock = take_lock(path, forge_lock_path(path))?;
        let connection = connect(path, true, false)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(StoreError::sqlite(path))?;
        Ok(ForgeWriter {
            connection,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// Where the app's last poll ended: the next one starts there.
    pub fn resume(&self, app: &str) -> Result<Option<Timestamp>, StoreError> {
        last_end(&self.connection, app).map_err(StoreError::sqlite(&self.path))
    }

    /// When the app's last `n` calls were made, newest first: a poller started again counts
    /// them against the API's calls a minute.
    pub fn recent_polls(&self, app: &str, n: usize) -> Result<Vec<Timestamp>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Timestamp>> {
            let mut statement = self.connection.prepare(
                "SELECT polled_at FROM forge_polls WHERE app = ?1 ORDER BY start DESC LIMIT ?2",
            )?;
            let rows = statement.query_map(params![app, n as i64], |row| {
                row.get::<_, i64>(0).map(Timestamp)
            })?;
            rows.collect()
        };
        run().map_err(StoreError::sqlite(&self.path))
    }

    /// Append one call's points and its interval in one transaction: all or nothing, so that a
    /// call is either counted and recorded, or asked again.
    pub fn append(
        &mut self,
        app: &str,
        poll: ForgePoll,
        counts: &[ForgeCount],
    ) -> Result<ForgeAdded, StoreError> {
        let path = self.path.clone();
        let connection = &mut self.connection;
        let mut run = || -> rusqlite::Result<ForgeAdded> {
            let transaction = connection.transaction()?;
            let mut added = ForgeAdded::default();
            {
                let mut seen = transaction.prepare_cached(
                    "INSERT OR IGNORE INTO forge_seen (app, point, at) VALUES (?1, ?2, ?3)",
                )?;
                let mut hour = transaction.prepare_cached(
                    "INSERT INTO forge_hours (app, hour, function, invocations, errors)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (app, hour, function) DO UPDATE SET
                       invocations = invocations + excluded.invocations,
                       errors = errors + excluded.errors",
                )?;
                for count in counts {
                    if seen.execute(params![app, count.point, count.at.0])? == 0 {
                        added.duplicates += 1;
                        continue;
                    }
                    added.points += 1;
                    hour.execute(params![
                        app,
                        count.at.0.div_euclid(HOUR_MS),
                        count.function.as_deref().unwrap_or(""),
                        count.invocations,
                        count.errors
                    ])?;
                }
            }
            transaction.execute(
                "INSERT OR REPLACE INTO forge_polls (app, start, end, polled_at, points)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    app,
                    poll.start.0,
                    poll.end.0,
                    poll.polled_at.0,
                    added.points as i64
                ],
            )?;
            transaction.execute(
                "DELETE FROM forge_seen WHERE app = ?1 AND at < ?2",
                params![app, poll.start.0 - SEEN_KEPT_MS],
            )?;
            transaction.commit()?;
            Ok(added)
        };
        run().map_err(StoreError::sqlite(&path))
    }
}

/// One hour of one function's counts, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ForgeHour {
    pub hour: Timestamp,
    pub function: Option<String>,
    pub invocations: f64,
    pub errors: f64,
}

impl Reader {
    /// Does the store hold the Forge tables (format 2)? A format 1 store read as it is has none.
    fn has_forge(&self) -> rusqlite::Result<bool> {
        self.connection
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'forge_polls'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n > 0)
    }

    /// The apps whose Forge metrics the store holds, in name order.
    pub fn forge_apps(&self) -> Result<Vec<String>, StoreError> {
        let run = || -> rusqlite::Result<Vec<String>> {
            if !self.has_forge()? {
                return Ok(Vec::new());
            }
            let mut statement = self
                .connection
                .prepare("SELECT DISTINCT app FROM forge_polls ORDER BY app")?;
            let apps = statement.query_map([], |row| row.get(0))?;
            apps.collect()
        };
        run().map_err(StoreError::sqlite(&self.path))
    }

    /// The app's hours in `[from, to)`, oldest first: one range of the `(app, hour)` key.
    pub fn forge_hours(
        &self,
        app: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ForgeHour>, StoreError> {
        let run = || -> rusqlite::Result<Vec<ForgeHour>> {
            if !self.has_forge()? {
                return Ok(Vec::new());
            }
            let mut statement = self.connection.prepare(
                "SELECT hour, function, invocations, errors FROM forge_hours
                 WHERE app = ?1 AND hour >= ?2 AND hour < ?3 ORDER BY hour, function",
            )?;
            let rows = statement.query_map(
                params![
                    app,
                    from.0.div_euclid(HOUR_MS),
                    to.0.div_euclid(HOUR_MS) + i64::from(to.0.rem_euclid(HOUR_MS) > 0)
                ],
                |row| {
                    let function: String = row.get(1)?;
                    Ok(ForgeHour {
                        hour: Timestamp(row.get::<_, i64>(0)? * HOUR_MS),
                        function: (!function.is_empty()).then_some(function),
                        invocations: row.get(2)?,
                        errors: row.get(3)?,
                    })
                },
            )?;
            rows.collect()
        };
        run().map_err(StoreError::sqlite(&self.path))
    }

    /// The intervals the app's polls covered within `[from, to)`, merged where they touch,
    /// oldest first: what time the counts speak for.
    pub fn forge_covered(
        &self,
        app: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Timestamp)>, StoreError> {
        let run = || -> rusqlite::Result<Vec<(Timestamp, Timestamp)>> {
            if !self.has_forge()? {
                return Ok(Vec::new());
            }
            // A poll that starts before `from` but reaches into the span counts too: polls are
            // at most a few minutes long, so start a day earlier.
            let mut statement = self.connection.prepare(
                "SELECT start, end FROM forge_polls
                 WHERE app = ?1 AND start >= ?2 AND start < ?3 ORDER BY start",
            )?;
            let rows = statement.query_map(params![app, from.0 - 86_400_000, to.0], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })?;
            let mut merged: Vec<(Timestamp, Timestamp)> = Vec::new();
            for row in rows {
                let (start, end) = row?;
                let (start, end) = (start.max(from.0), end.min(to.0));
                if end <= start {
                    continue;
                }
                match merged.last_mut() {
                    Some(last) if last.1.0 >= start => last.1 = Timestamp(last.1.0.max(end)),
                    _ => merged.push((Timestamp(start), Timestamp(end))),
                }
            }
            Ok(merged)
        };
        run().map_err(StoreError::sqlite(&self.path))
    }

    /// How many points the app's polls that started in `[from, to)` brought.
    pub fn forge_points(
        &self,
        app: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<u64, StoreError> {
        let run = || -> rusqlite::Result<u64> {
            if !self.has_forge()? {
                return Ok(0);
            }
            self.connection
                .query_row(
                    "SELECT coalesce(sum(points), 0) FROM forge_polls
                     WHERE app = ?1 AND start >= ?2 AND start < ?3",
                    params![app, from.0, to.0],
                    |row| row.get::<_, i64>(0),
                )
                .map(|n| n.max(0) as u64)
        };
        run().map_err(StoreError::sqlite(&self.path))
    }

    /// The last poll's end for the app, if any.
    pub fn forge_last(&self, app: &str) -> Result<Option<Timestamp>, StoreError> {
        let run = || -> rusqlite::Result<Option<Timestamp>> {
            if !self.has_forge()? {
                return Ok(None);
            }
            last_end(&self.connection, app)
        };
        run().map_err(StoreError::sqlite(&self.path))
    }
}

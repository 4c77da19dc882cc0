//! Reading the store: a window's observations, a span's failures and hourly counts, the
//! deliveries, and `history verify`. Every query is a range of the `(series, at)` key or of
//! the failures index: it reads what its window holds.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::file::{HOUR_MS, StoreError, connect};
use crate::badge::history::{Delivery, DeliveryEvent, Outcome, Point};
use crate::timestamp::Timestamp;

/// One health check URL of one app, as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesInfo {
    pub id: i64,
    /// The app's label (`''` for a URL monitored on its own).
    pub app: String,
    pub url: String,
    pub base_url: Option<String>,
}

/// The store open for reading. Reading never changes the store.
pub struct Reader {
    pub(super) connection: Connection,
    pub(super) path: PathBuf,
}

/// What `history verify` found: nothing when the store is sound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub series: u64,
    pub observations: u64,
    pub deliveries: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// What is wrong, one line each.
    pub damage: Vec<String>,
}

impl Reader {
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        let connection = connect(path, false, true)?;
        Ok(Reader {
            connection,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(&self.path)
    }

    /// The apps recorded as Forge apps (`Writer::set_app_kind`), by label.
    pub fn forge_app_labels(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let run = || -> rusqlite::Result<std::collections::BTreeSet<String>> {
            let mut statement = self.connection.prepare(
                "SELECT substr(key, 6) FROM meta WHERE key LIKE 'kind:%' AND value = 'forge'",
            )?;
            let labels = statement.query_map([], |row| row.get(0))?;
            labels.collect()
        };
        run().map_err(self.error())
    }

    /// Every series, in the order they were first written.
    pub fn series(&self) -> Result<Vec<SeriesInfo>, StoreError> {
        let run = || -> rusqlite::Result<Vec<SeriesInfo>> {
            let mut statement = self
                .connection
                .prepare("SELECT id, app, url, base_url FROM series ORDER BY id")?;
            let rows = statement.query_map([], |row| {
                Ok(SeriesInfo {
                    id: row.get(0)?,
                    app: row.get(1)?,
                    url: row.get(2)?,
                    base_url: row.get(3)?,
                })
            })?;
            rows.collect()
        };
        run().map_err(self.error())
    }

    /// The first and last instants in the store (`None` when it holds no observation).
    pub fn extent(&self) -> Result<Option<(Timestamp, Timestamp)>, StoreError> {
        self.connection
            .query_row("SELECT min(at), max(at) FROM observations", [], |row| {
                Ok(
                    match (row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?) {
                        (Some(first), Some(last)) => Some((Timestamp(first), Timestamp(last))),
                        _ => None,
                    },
                )
            })
            .map_err(self.error())
    }

    /// The latest instant of one series before `before` (`None` when there is none).
    pub fn last_before(
        &self,
        series: i64,
        before: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        self.connection
            .query_row(
                "SELECT max(at) FROM observations WHERE series = ?1 AND at < ?2",
                params![series, before.0],
                |row| row.get::<_, Option<i64>>(0),
            )
            .map(|at| at.map(Timestamp))
            .map_err(self.error())
    }

    /// Each observation of `series` in [from, to), in time order.
    pub fn points(
        &self,
        series: i64,
        from: Timestamp,
        to: Timestamp,
        each: &mut dyn FnMut(Point),
    ) -> Result<(), StoreError> {
        let mut run = || -> rusqlite::Result<()> {
            let mut statement = self.connection.prepare_cached(
                "SELECT at, status, total_ms, failure FROM observations
                 WHERE series = ?1 AND at >= ?2 AND at < ?3 ORDER BY at",
            )?;
            let mut rows = statement.query(params![series, from.0, to.0])?;
            while let Some(row) = rows.next()? {
                each(point(row)?);
            }
            Ok(())
        };
        run().map_err(self.error())
    }

    /// The failed observations of `series` in [from, to), in time order (the failures index:
    /// the successes between them are not read).
    pub fn failures(
        &self,
        series: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Point>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Point>> {
            let mut statement = self.connection.prepare_cached(
                "SELECT at, status, total_ms, failure FROM observations INDEXED BY failures
                 WHERE series = ?1 AND failure IS NOT NULL AND at >= ?2 AND at < ?3 ORDER BY at",
            )?;
            let rows = statement.query_map(params![series, from.0, to.0], point)?;
            rows.collect()
        };
        run().map_err(self.error())
    }

    /// The observation of `series` right after `at` (one seek), when there is one.
    pub fn next_after(&self, series: i64, at: Timestamp) -> Result<Option<Point>, StoreError> {
        self.connection
            .prepare_cached(
                "SELECT at, status, total_ms, failure FROM observations
                 WHERE series = ?1 AND at > ?2 ORDER BY at LIMIT 1",
            )
            .and_then(|mut statement| statement.query_row(params![series, at.0], point).optional())
            .map_err(self.error())
    }

    /// The hourly counts of `series` for the hours starting in [from, to): (hour start,
    /// observations, good).
    pub fn hours(
        &self,
        series: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, u32, u32)>, StoreError> {
        let run = || -> rusqlite::Result<Vec<(Timestamp, u32, u32)>> {
            let mut statement = self.connection.prepare_cached(
                "SELECT hour, observations, good FROM hours
                 WHERE series = ?1 AND hour >= ?2 AND hour < ?3 ORDER BY hour",
            )?;
            let rows = statement.query_map(
                params![
                    series,
                    from.0.div_euclid(HOUR_MS),
                    to.0.div_euclid(HOUR_MS) + i64::from(to.0.rem_euclid(HOUR_MS) != 0)
                ],
                |row| {
                    Ok((
                        Timestamp(row.get::<_, i64>(0)? * HOUR_MS),
                        row.get(1)?,
                        row.get(2)?,
                    ))
                },
            )?;
            rows.collect()
        };
        run().map_err(self.error())
    }

    /// The delivery attempts in [from, to), in time order, with the app of each.
    pub fn deliveries(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, Delivery)>, StoreError> {
        let run = || -> rusqlite::Result<Vec<(String, Delivery)>> {
            let mut statement = self.connection.prepare_cached(
                "SELECT at, app, target, event, key, base_url, attempt, outcome, status, error
                 FROM deliveries WHERE at >= ?1 AND at < ?2 ORDER BY at, rowid",
            )?;
            let rows = statement.query_map(params![from.0, to.0], |row| {
                let outcome: String = row.get(7)?;
                Ok((
                    row.get::<_, String>(1)?,
                    Delivery {
                        at: Timestamp(row.get(0)?),
                        target: row.get(2)?,
                        event: DeliveryEvent::parse(&row.get::<_, String>(3)?),
                        key: row.get(4)?,
                        base_url: row.get(5)?,
                        attempt: row.get(6)?,
                        outcome: match outcome.as_str() {
                            "delivered" => Outcome::Delivered,
                            "retry" => Outcome::Retry,
                            _ => Outcome::Undelivered,
                        },
                        status: row.get(8)?,
                        error: row.get(9)?,
                    },
                ))
            })?;
            rows.collect()
        };
        run().map_err(self.error())
    }

    /// Check the store without changing it: SQLite's own integrity check, then what cfready
    /// keeps consistent itself (every observation's series exists, the hourly counts add up).
    pub fn verify(&self) -> Result<Verification, StoreError> {
        let run = || -> rusqlite::Result<Verification> {
            let mut found = Verification::default();
            let mut statement = self.connection.prepare("PRAGMA integrity_check")?;
            let lines: Vec<String> = statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if lines != ["ok"] {
                found
                    .damage
                    .extend(lines.into_iter().map(|line| format!("SQLite: {line}")));
            }
            let count = |sql: &str| -> rusqlite::Result<u64> {
                self.connection
                    .query_row(sql, [], |row| row.get::<_, i64>(0))
                    .map(|n| n as u64)
            };
            found.series = count("SELECT count(*) FROM series")?;
            found.observations = count("SELECT count(*) FROM observations")?;
            found.deliveries = count("SELECT count(*) FROM deliveries")?;
            if let Some((first, last)) = self.extent().map_err(|e| match e {
                StoreError::Sqlite { source, .. } => source,
                _ => rusqlite::Error::InvalidQuery,
            })? {
                found.first = Some(first);
                found.last = Some(last);
            }
            let orphans = count(
                "SELECT count(*) FROM observations WHERE series NOT IN (SELECT id FROM series)",
            )?;
            if orphans > 0 {
                found
                    .damage
                    .push(format!("{orphans} observations belong to no series"));
            }
            let mut statement = self.connection.prepare(
                "SELECT o.series, o.hour, o.n, o.g, h.observations, h.good FROM
                   (SELECT series, at / 3600000 AS hour, count(*) AS n,
                           sum(failure IS NULL) AS g FROM observations GROUP BY series, hour) o
                 LEFT JOIN hours h ON h.series = o.series AND h.hour = o.hour
                 WHERE h.observations IS NOT o.n OR h.good IS NOT o.g LIMIT 20",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, Option<i64>>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                ))
            })?;
            for row in rows {
                let (series, hour, n, good, counted, counted_good) = row?;
                found.damage.push(format!(
                    "series {series}, hour {}: {n} observations ({good} good) but the hourly counts say {} ({})",
                    Timestamp(hour * HOUR_MS),
                    counted.map_or("none".to_owned(), |c| c.to_string()),
                    counted_good.map_or("none".to_owned(), |c| c.to_string()),
                ));
            }
            Ok(found)
        };
        run().map_err(self.error())
    }
}

fn point(row: &rusqlite::Row<'_>) -> rusqlite::Result<Point> {
    let failure: Option<String> = row.get(3)?;
    Ok(Point {
        at: Timestamp(row.get(0)?),
        status: row.get(1)?,
        total_ms: row
            .get::<_, Option<i64>>(2)?
            .map(|ms| u32::try_from(ms).unwrap_or(u32::MAX)),
        failure: failure.map(|kind| kind.into_boxed_str()),
    })
}

//! What every part of the store shares: the file, its schema and format, its errors.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// The store's format: `PRAGMA user_version`. A store of a later format is refused, untouched.
/// Format 2 added the Forge tables ([`FORGE_SCHEMA`]); a format 1 store gains them when it is
/// next opened for writing, and is read as it is.
pub const FORMAT: i64 = 2;

/// `PRAGMA application_id`: "CFRD", so `file(1)` and cfready tell a store from other SQLite
/// files.
pub const APPLICATION_ID: i64 = 0x4346_5244;

/// The store's file name when none is given: beside the (first) questionnaire, or here.
pub const DEFAULT_STORE: &str = "cfready-history.db";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    app TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    base_url TEXT,
    UNIQUE (app, url)
);
CREATE TABLE observations (
    series INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status INTEGER,
    total_ms INTEGER,
    failure TEXT,
    PRIMARY KEY (series, at)
) WITHOUT ROWID;
CREATE INDEX failures ON observations (series, at) WHERE failure IS NOT NULL;
CREATE TABLE hours (
    series INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    observations INTEGER NOT NULL,
    good INTEGER NOT NULL,
    PRIMARY KEY (series, hour)
) WITHOUT ROWID;
CREATE TABLE deliveries (
    at INTEGER NOT NULL,
    app TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL,
    event TEXT NOT NULL,
    key TEXT NOT NULL,
    base_url TEXT,
    attempt INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    error TEXT
);
CREATE INDEX deliveries_at ON deliveries (at);
";

/// Format 2: a Forge app's invocation counts from the App metrics API (`monitor --forge`).
/// `forge_hours` holds the counts per app, hour and function (`''` when the points name none);
/// `forge_polls` each call's interval, so that a poller resumes where the last one ended and a
/// report knows which time the counts cover; `forge_seen` the identities of recent points,
/// so that a point two answers both hold counts once (pruned as the polls move on).
pub(super) const FORGE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS forge_hours (
    app TEXT NOT NULL,
    hour INTEGER NOT NULL,
    function TEXT NOT NULL,
    invocations REAL NOT NULL,
    errors REAL NOT NULL,
    PRIMARY KEY (app, hour, function)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forge_polls (
    app TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    polled_at INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (app, start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forge_seen (
    app TEXT NOT NULL,
    point INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (app, point)
) WITHOUT ROWID;
";

/// Milliseconds in an hour: the `hours` table's unit.
pub const HOUR_MS: i64 = 3_600_000;

/// Why a store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: not a cfready history store ({reason})", path.display())]
    NotAStore { path: PathBuf, reason: String },
    #[error(
        "{}: written by a newer cfready (store format {found}; this cfready reads format {FORMAT}): left untouched; use that cfready or a later one",
        path.display()
    )]
    Newer { path: PathBuf, found: i64 },
    #[error(
        "{}: another cfready monitor is writing this store (its lock is {}): one monitor per store",
        path.display(),
        lock.display()
    )]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("{}: no such store (run `cfready monitor` or `cfready history import` first)", path.display())]
    Missing { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{}: {}", path.display(), crate::source::plain_io(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl StoreError {
    pub(super) fn sqlite(path: &Path) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: path.to_owned(),
            source,
        }
    }

    /// Is this a store that is full or cannot be written now (a disk full, a read-only
    /// file system), as opposed to a store that is not one?
    pub fn is_unwritable(&self) -> bool {
        match self {
            StoreError::Sqlite { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::DiskFull
                        | rusqlite::ErrorCode::SystemIoFailure
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::DatabaseBusy
                        | rusqlite::ErrorCode::DatabaseLocked
                )
            ),
            StoreError::Io { .. } => true,
            _ => false,
        }
    }
}

/// Does `path` hold an SQLite file (a store) rather than JSON lines? Reads 16 bytes.
pub fn is_store(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Open a connection with the store's settings, checking what the file is. `create` makes a
/// missing store; otherwise a missing file is [`StoreError::Missing`].
pub(super) fn connect(
    path: &Path,
    create: bool,
    read_only: bool,
) -> Result<Connection, StoreError> {
    let exists = path.exists();
    if !exists && !create {
        return Err(StoreError::Missing {
            path: path.to_owned(),
        });
    }
    if exists && !is_store(path) {
        let empty = std::fs::metadata(path)
            .map(|m| m.len() == 0)
            .unwrap_or(false);
        if !(empty && create) {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: if empty {
                    "the file is empty".to_owned()
                } else {
                    "the file is not an SQLite database; a v1 JSONL history is read by `cfready slo FILE.jsonl` and converted by `cfready history import`".to_owned()
                },
            });
        }
    }
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let connection = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite(path))?;
    connection
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(StoreError::sqlite(path))?;
    let pragma = |name: &str| -> Result<i64, StoreError> {
        connection
            .pragma_query_value(None, name, |row| row.get(0))
            .map_err(StoreError::sqlite(path))
    };
    let (application, format) = (pragma("application_id")?, pragma("user_version")?);
    if application == 0 && format == 0 {
        let tables: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(StoreError::sqlite(path))?;
        if tables > 0 {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: "an SQLite database of something else".to_owned(),
            });
        }
        if read_only {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: "an empty SQLite database".to_owned(),
            });
        }
        create_schema(&connection).map_err(StoreError::sqlite(path))?;
    } else if application != APPLICATION_ID {
        return Err(StoreError::NotAStore {
            path: path.to_owned(),
            reason: format!("an SQLite database of another application ({application:#x})"),
        });
    } else if format > FORMAT {
        return Err(StoreError::Newer {
            path: path.to_owned(),
            found: format,
        });
    } else if format < FORMAT && !read_only {
        upgrade(&connection).map_err(StoreError::sqlite(path))?;
    }
    Ok(connection)
}

/// A format 1 store gains the Forge tables, in one transaction (a second process that upgrades
/// at the same moment finds them there: `IF NOT EXISTS`).
fn upgrade(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(&format!(
        "BEGIN IMMEDIATE; {FORGE_SCHEMA} PRAGMA user_version = {FORMAT}; COMMIT;"
    ))
}

fn create_schema(connection: &Connection) -> rusqlite::Result<()> {
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.execute_batch(&format!(
        "BEGIN; {SCHEMA} {FORGE_SCHEMA}
         INSERT INTO meta VALUES ('created_by', 'cfready {}');
         PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {FORMAT};
         COMMIT;",
        env!("CARGO_PKG_VERSION")
    ))
}

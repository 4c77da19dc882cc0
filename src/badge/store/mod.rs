//! The monitor's history store: one SQLite file (bundled SQLite, WAL) that `cfready monitor`
//! appends to and `cfready slo` reads, whose queries cost what their window holds.
//!
//! Tables (format 2, `PRAGMA user_version`; `application_id` 0x43465244, "CFRD"):
//!
//! ```sql
//! series       (id, app, url, base_url)             one row per health check URL and app
//! observations (series, at, status, total_ms, failure)   every observation, keyed by
//!              (series, at): a window is one range scan; failure NULL is a success
//! failures     partial index on observations (series, at) WHERE failure IS NOT NULL:
//!              the failed observations of any span without reading the successes
//! hours        (series, hour, observations, good)   per-hour counts for spans longer than
//!              the 28-day window (the year): 8,760 rows per URL-year
//! deliveries   (at, app, target, event, key, base_url, attempt, outcome, status, error)
//! meta         (key, value)                         who created the store
//! forge_hours  (app, hour, function, invocations, errors)   format 2: a Forge app's
//!              invocation counts from the App metrics API, per hour and function
//! forge_polls  (app, start, end, polled_at, points)  each call's interval
//! forge_seen   (app, point, at)                     recent points' identities (deduplication)
//! ```
//!
//! Times are milliseconds since the Unix epoch, UTC. Each monitor round is one transaction,
//! committed with `synchronous = FULL` in WAL mode: a `kill -9` or a power loss loses at most
//! the round in flight. Why SQLite, and the figures against the alternatives:
//! `docs/history-store.md`.

mod file;
mod forge;
mod import;
mod read;
mod write;

pub use file::{APPLICATION_ID, DEFAULT_STORE, FORMAT, HOUR_MS, StoreError, is_store};
pub use forge::{ForgeAdded, ForgeCount, ForgeHour, ForgePoll, ForgeWriter, forge_lock_path};
pub use import::{ExportSummary, ImportSummary, export_jsonl, import_jsonl};
pub use read::{Reader, SeriesInfo, Verification};
pub use write::{ClockStep, Writer, lock_path};

#[cfg(test)]
mod tests;

//! `cfready monitor`: Atlassian's monitor as a command. Every `--every` (60 s, Atlassian's
//! cadence) a round requests the health check of every URL once, in parallel, exactly as
//! `probe` does, and appends one observation per URL to the history before the next round.
//!
//! Rounds keep their schedule: round n starts at start + n x every; a round that overruns
//! makes the next start at the first slot after it (rounds never overlap), and a slow round
//! does not shift the ones after. An interrupt (Ctrl-C, SIGTERM) or `--for` ends the run after
//! the round in flight.
//!
//! Before the first round, every URL goes through the probe's own guard: a URL the probe would
//! refuse (a host Atlassian's monitor cannot reach without `--allow-private`, a URL that is not
//! http or https) can never succeed, so the run is refused and the history is not touched.
//!
//! With `--notify`, each round hands its observations to a [`Notifier`] after appending them:
//! the alerts go out in the background, and every delivery attempt is appended to the same
//! store.
//!
//! The store ([`crate::badge::store`]) is written once per round, in one transaction. The faults of a
//! year, and what a round does about each:
//! - the store cannot be written (a disk full): the round's observations are held in memory
//!   (at most [`PENDING_LIMIT`]; past that the oldest are dropped, and said so), one
//!   `history-unwritable` alert goes out, and every round tries again; once a write succeeds,
//!   everything held is written in that round's transaction;
//! - the store was moved, deleted or replaced: said so, and a new store is started at the path
//!   (the observations from then on are in it; the moved file keeps what it had);
//! - a second monitor on the same store: refused at start (its lock file);
//! - the wall clock steps back: the round is written just after the last instant written, so
//!   time in the store only moves forward; said so.

pub mod forge;

use crate::words::plural;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::badge::history::{Delivery, Observation};
use crate::badge::notify::{Notifier, Past, Policy, Tally, Target as NotifyTarget};
use crate::badge::store::{Reader, StoreError, Writer};
use crate::ticket::health_check::Target;
use crate::ticket::probe::{self, Attempt, Failure, ProbeOptions};
use crate::timestamp::Timestamp;

/// The most observations a monitor holds in memory while its store cannot be written:
/// 300 URLs for 5 1/2 hours at 60 s (about 30 MB).
pub const PENDING_LIMIT: usize = 100_000;

/// How the monitor runs.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    pub every: Duration,
    /// Stop after this long (`None`: until interrupted).
    pub run_for: Option<Duration>,
    pub probe: ProbeOptions,
    /// `--notify`: where alerts go (`None`: nowhere).
    pub notify: Option<NotifyOptions>,
    /// The apps (labels) that are Forge apps: recorded in the store, so that reports do not
    /// speak of Atlassian's emails for a remote's health check.
    pub forge_apps: Vec<String>,
}

/// Where a run's alerts go, and how hard it tries.
#[derive(Clone)]
pub struct NotifyOptions {
    pub targets: Vec<NotifyTarget>,
    pub policy: Policy,
    /// Sees every delivery attempt after it is appended (the binary reports failures).
    pub on_delivery: Arc<dyn Fn(&Delivery) + Send + Sync>,
    /// The apps' approval dates `(app, approved_on)`: the annual review's reminders, 30 and
    /// 14 days before, each once.
    pub reviews: Vec<(String, crate::date::Date)>,
}

impl std::fmt::Debug for NotifyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyOptions")
            .field("targets", &self.targets)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// One round: when it was due, when it started, what each URL gave.
#[derive(Debug, Clone)]
pub struct Round {
    pub number: usize,
    /// How late the round started after its scheduled time.
    pub drift: Duration,
    pub observations: Vec<Observation>,
    /// The alerts the round raised (`failure https://...`), when notifying.
    pub events: Vec<String>,
    /// What happened to the store in this round (a clock step, a write that failed, held
    /// observations written), one sentence each.
    pub notes: Vec<String>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub rounds: usize,
    pub observations: usize,
    /// The latest start of a round after its scheduled time.
    pub max_drift: Duration,
    /// Slots skipped because a round ran past them.
    pub skipped: usize,
    /// Each notification target and how it fared.
    pub notify: Vec<(String, Tally)>,
    /// Observations still held in memory at the end: the store could not be written.
    pub unwritten: usize,
}

/// A URL the monitor will not request, and why.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub url: String,
    pub failure: Failure,
}

impl Refusal {
    /// Why, as the probe's own finding says it (a URL without a scheme said plainly).
    pub fn message(&self, limit: Duration) -> String {
        match &self.failure {
            Failure::InvalidUrl { .. } if !self.url.contains("://") => {
                "the URL has no scheme: the monitor requests http:// and https:// URLs".to_owned()
            }
            failure => probe::findings::failure_text(failure, limit),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> Option<String> {
        match (&self.failure, self.url.split_once("://")) {
            (Failure::PrivateHost { .. }, _) => Some(
                "monitor the public URL; --allow-private monitors it anyway (staging, tests)"
                    .to_owned(),
            ),
            (Failure::InvalidUrl { .. }, None) => {
                Some(format!("write it whole: https://{}", self.url))
            }
            (Failure::InvalidUrl { .. }, Some((scheme, _)))
                if !scheme.eq_ignore_ascii_case("http")
                    && !scheme.eq_ignore_ascii_case("https") =>
            {
                Some("the monitor requests http and https URLs only".to_owned())
            }
            _ => None,
        }
    }
}

/// Why a run did not start or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// URLs that can never succeed, found before the first round: nothing was written.
    #[error("{} refused before the first round", plural(.0.len(), "URL"))]
    Refused(Vec<Refusal>),
    /// The store cannot be opened (another monitor writes it, a newer format, not a store).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The notifications cannot start (no HTTP client).
    #[error("{0}")]
    Notify(String),
}

/// One line for a round, for a terminal: `round 3  10:00:02Z  ok https://... 182 ms`.
pub fn round_line(round: &Round) -> String {
    let mut line = format!("round {}", round.number);
    if let Some(first) = round.observations.first() {
        let at = first.at.to_string();
        line.push_str(&format!("  {}Z", &at[11..19]));
    }
    for observation in &round.observations {
        match (&observation.failure, observation.total_ms) {
            (None, Some(ms)) => line.push_str(&format!("  ok {} {ms} ms", observation.url)),
            (None, None) => line.push_str(&format!("  ok {}", observation.url)),
            (Some(failure), _) => {
                line.push_str(&format!("  FAIL {} {failure}", observation.url));
            }
        }
    }
    for event in &round.events {
        line.push_str(&format!("  ALERT {event}"));
    }
    for note in &round.notes {
        line.push_str(&format!("  NOTE {note}"));
    }
    line
}

/// The observation a request makes.
pub fn observation(target: &Target, at: Timestamp, attempt: &Attempt) -> Observation {
    Observation {
        at,
        app: target.app.clone(),
        url: target.url.clone(),
        base_url: target.base_url.clone(),
        success: attempt.succeeded(),
        failure: attempt
            .failure
            .as_ref()
            .map(|failure| failure.kind().to_owned()),
        status: attempt.status,
        total_ms: attempt
            .total_time
            .map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
    }
}

/// Run the monitor on `targets` (of one app or several), appending to the store at `store`;
/// `on_round` sees each round after it is written. A URL the probe refuses stops the run
/// before it starts, with the store not even created; so does a store another monitor writes.
pub fn run(
    targets: &[Target],
    store: &Path,
    options: &MonitorOptions,
    on_round: &mut dyn FnMut(&Round),
) -> Result<RunSummary, MonitorError> {
    let runtime = crate::net::runtime().expect("a current-thread runtime builds");
    let refused = runtime.block_on(refusals(targets, &options.probe));
    if !refused.is_empty() {
        return Err(MonitorError::Refused(refused));
    }
    let mut writer = Writer::open(store)?;
    for app in &options.forge_apps {
        // A store that cannot be written now is the rounds' business (held, retried, said).
        match writer.set_app_kind(app, "forge") {
            Err(e) if !e.is_unwritable() => return Err(e.into()),
            _ => {}
        }
    }
    let writer = Arc::new(Mutex::new(writer));
    runtime.block_on(async {
        let notifier = match &options.notify {
            Some(notify) => {
                let (writer, on_delivery) = (writer.clone(), notify.on_delivery.clone());
                let record = Arc::new(move |delivery: Delivery| {
                    // A delivery that cannot be written is still reported; the rounds say
                    // when the store cannot be written.
                    let _ = writer
                        .lock()
                        .expect("not poisoned")
                        .append_delivery(None, &delivery);
                    on_delivery(&delivery);
                });
                // What the store says already: which alerts are open, which were sent.
                let reader = Reader::open(store)?;
                let (from, to) = recent(&reader)?;
                let mut failed = None;
                let mut each_series = |feed: &mut dyn FnMut(&[Observation])| {
                    let series = match reader.series() {
                        Ok(series) => series,
                        Err(e) => return failed = Some(e),
                    };
                    for info in series {
                        let mut observations = Vec::new();
                        let read = reader.points(info.id, from, to, &mut |point| {
                            observations.push(point.observation(
                                &info.app,
                                &info.url,
                                info.base_url.as_deref(),
                            ));
                        });
                        if let Err(e) = read {
                            return failed = Some(e);
                        }
                        feed(&observations);
                    }
                };
                let mut past = Past {
                    series: &mut each_series,
                    deliveries: reader
                        .deliveries(from, to)?
                        .into_iter()
                        .map(|(_, d)| d)
                        .collect(),
                };
                let notifier = Notifier::start(
                    &notify.targets,
                    notify.policy,
                    options.every,
                    &mut past,
                    record,
                )
                .map_err(MonitorError::Notify)?;
                if let Some(e) = failed {
                    return Err(e.into());
                }
                Some(notifier)
            }
            None => None,
        };
        rounds(targets, &writer, notifier, options, on_round).await
    })
}

/// The store's last 28 days, for the alerts' state: [from, to) (empty for a new store).
fn recent(reader: &Reader) -> Result<(Timestamp, Timestamp), StoreError> {
    Ok(match reader.extent()? {
        Some((_, last)) => (
            last.minus(crate::program::SLO_WINDOW),
            Timestamp(last.0 + 1),
        ),
        None => (Timestamp(0), Timestamp(0)),
    })
}

/// The URLs the probe's guard refuses, in the order given.
async fn refusals(targets: &[Target], options: &ProbeOptions) -> Vec<Refusal> {
    let mut refused = Vec::new();
    for target in targets {
        if let Some(failure) = probe::refusal(&target.url, options).await {
            refused.push(Refusal {
                url: target.url.clone(),
                failure,
            });
        }
    }
    refused
}

async fn rounds(
    targets: &[Target],
    writer: &Mutex<Writer>,
    mut notifier: Option<Notifier>,
    options: &MonitorOptions,
    on_round: &mut dyn FnMut(&Round),
) -> Result<RunSummary, MonitorError> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::new(tokio::sync::Notify::new());
    crate::net::stop_on_signal(stop.clone(), stopped.clone());
    let started = tokio::time::Instant::now();
    let every = options.every.max(Duration::from_millis(1));
    let mut schedule = tokio::time::interval_at(started, every);
    schedule.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut summary = RunSummary::default();
    let mut keeper = Keeper::default();
    loop {
        let due = tokio::select! {
            due = schedule.tick() => due,
            () = stopped.notified() => break,
        };
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if let Some(run_for) = options.run_for
            && due.duration_since(started) >= run_for
        {
            break;
        }
        // The slots before this one that got no round were skipped: a round ran past them.
        let slot = due.duration_since(started).as_nanos() / every.as_nanos().max(1);
        summary.skipped = usize::try_from(slot)
            .unwrap_or(usize::MAX)
            .saturating_sub(summary.rounds);
        let drift = tokio::time::Instant::now().saturating_duration_since(due);
        let mut notes = Vec::new();
        let at = keeper.round_time(&writer.lock().expect("not poisoned"), &mut notes);
        // Each URL once, at once, exactly as `probe` requests it.
        let once = ProbeOptions {
            samples: 1,
            ..options.probe.clone()
        };
        let observations: Vec<Observation> = probe::probe_all(targets, &once, None)
            .await
            .iter()
            .filter_map(|result| Some(observation(&result.target, at, result.attempts.first()?)))
            .collect();
        let unwritable = keeper.write(
            &mut writer.lock().expect("not poisoned"),
            &observations,
            &mut notes,
        );
        // Handed over, not awaited: delivery never delays a round.
        let mut events: Vec<String> = notifier
            .as_mut()
            .map(|n| n.observe(&observations))
            .unwrap_or_default()
            .iter()
            .map(|e| format!("{} {}", e.kind.name(), e.base_url))
            .collect();
        if let (Some(notifier), Some(notify)) = (notifier.as_mut(), options.notify.as_ref()) {
            for event in notifier.remind(&notify.reviews, at) {
                events.push(format!("{} {}", event.kind.name(), event.base_url));
            }
        }
        if let (Some(reason), Some(notifier)) = (unwritable, notifier.as_mut()) {
            let path = writer
                .lock()
                .expect("not poisoned")
                .path()
                .display()
                .to_string();
            let event = crate::badge::notify::unwritable_event(&path, &reason);
            events.push(format!("{} {path}", event.kind.name()));
            notifier.raise(event);
        }
        summary.rounds += 1;
        summary.observations += observations.len();
        summary.max_drift = summary.max_drift.max(drift);
        on_round(&Round {
            number: summary.rounds,
            drift,
            observations,
            events,
            notes,
        });
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    if let Some(notifier) = notifier {
        summary.notify = notifier.finish().await;
    }
    summary.unwritten = keeper.pending();
    Ok(summary)
}

/// What the monitor keeps about its store between rounds: the last instant given to a round,
/// the observations it could not write yet, and whether it said so.
#[derive(Debug, Default)]
pub struct Keeper {
    last: Option<Timestamp>,
    pending: Vec<Observation>,
    /// The store could not be written at the last try (the alert went out once).
    failing: bool,
}

impl Keeper {
    /// The round's time: the clock's, or just after the last one when the clock went back.
    pub fn round_time(&mut self, writer: &Writer, notes: &mut Vec<String>) -> Timestamp {
        let clock = Timestamp::now();
        let (mut at, step) = writer.round_time(clock);
        if let Some(last) = self.last
            && at <= last
        {
            at = Timestamp(last.0 + 1);
        }
        if step.is_some() || at != clock {
            notes.push(format!(
                "the wall clock went back (it says {clock}): this round is written at {at}, so that time in the store moves forward"
            ));
        }
        self.last = Some(at);
        at
    }

    /// Write a round's observations with those held from earlier rounds. Returns the reason
    /// when the store just became unwritable (the one time to alert).
    pub fn write(
        &mut self,
        writer: &mut Writer,
        observations: &[Observation],
        notes: &mut Vec<String>,
    ) -> Option<String> {
        if let Err(what) = writer.check_in_place() {
            let path = writer.path().display().to_string();
            match writer.reopen() {
                Ok(()) => notes.push(format!(
                    "the store {path} {what}: a new store was started at {path}; the observations from now on are in it"
                )),
                Err(e) => notes.push(format!("the store {path} {what}, and a new one cannot be made: {e}")),
            }
        }
        self.pending.extend_from_slice(observations);
        match writer.append(&self.pending) {
            Ok(_) => {
                if self.failing {
                    notes.push(format!(
                        "the store is writable again: {} held observations written",
                        self.pending.len()
                    ));
                }
                self.failing = false;
                self.pending.clear();
                None
            }
            Err(e) => {
                let reason = e.to_string();
                if self.pending.len() > PENDING_LIMIT {
                    let excess = self.pending.len() - PENDING_LIMIT;
                    self.pending.drain(..excess);
                    notes.push(format!(
                        "{excess} oldest held observations dropped (at most {PENDING_LIMIT} are held)"
                    ));
                }
                notes.push(format!(
                    "the store cannot be written ({reason}): {} observations held in memory, retried every round",
                    self.pending.len()
                ));
                let first = !self.failing;
                self.failing = true;
                first.then_some(reason)
            }
        }
    }

    /// Observations held in memory, not yet written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::store::{Reader, Writer};

    fn round(at: Timestamp) -> Vec<Observation> {
        vec![Observation {
            at,
            url: "https://app.example.com/health".to_owned(),
            base_url: Some("https://app.example.com".to_owned()),
            success: true,
            failure: None,
            status: Some(200),
            total_ms: Some(120),
            app: None,
        }]
    }

    #[test]
    fn a_store_that_cannot_be_written_holds_the_rounds_alerts_once_and_writes_them_later() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut writer = Writer::open(&path).unwrap();
        let mut keeper = Keeper::default();
        let mut notes = Vec::new();
        let start = crate::timestamp::at(2026, 12, 1, 0, 0);
        assert_eq!(keeper.write(&mut writer, &round(start), &mut notes), None);
        // Another process holds the store's write lock (as a disk full, a write fails).
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let minute = Duration::from_secs(60);
        let first = keeper.write(&mut writer, &round(start.plus(minute)), &mut notes);
        assert!(
            first.is_some(),
            "the first failed write is the one to alert"
        );
        let second = keeper.write(&mut writer, &round(start.plus(minute * 2)), &mut notes);
        assert_eq!(second, None, "one alert, not one per round");
        assert_eq!(keeper.pending(), 2);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("2 observations held in memory")),
            "{notes:?}"
        );
        other.execute_batch("COMMIT").unwrap();
        drop(other);
        notes.clear();
        assert_eq!(
            keeper.write(&mut writer, &round(start.plus(minute * 3)), &mut notes),
            None
        );
        assert_eq!(keeper.pending(), 0);
        assert!(
            notes[0].contains("writable again: 3 held observations written"),
            "{notes:?}"
        );
        drop(writer);
        assert_eq!(
            Reader::open(&path).unwrap().verify().unwrap().observations,
            4
        );
    }

    #[test]
    fn held_observations_are_bounded_and_the_oldest_dropped_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut writer = Writer::open(&path).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let mut keeper = Keeper {
            pending: vec![round(Timestamp(0)).remove(0); PENDING_LIMIT],
            failing: true,
            ..Keeper::default()
        };
        let mut notes = Vec::new();
        let later = round(crate::timestamp::at(2026, 12, 1, 0, 0));
        assert_eq!(keeper.write(&mut writer, &later, &mut notes), None);
        assert_eq!(keeper.pending(), PENDING_LIMIT);
        assert_eq!(keeper.pending.last(), later.last(), "the newest is kept");
        assert!(
            notes[0].starts_with("1 oldest held observations dropped"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_round_after_the_clock_went_back_moves_forward_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut writer = Writer::open(&path).unwrap();
        // A round written an hour from now: the clock then reads earlier than the store.
        let ahead = Timestamp::now().plus(Duration::from_secs(3600));
        let mut keeper = Keeper::default();
        let mut notes = Vec::new();
        keeper.write(&mut writer, &round(ahead), &mut notes);
        let at = keeper.round_time(&writer, &mut notes);
        assert_eq!(at, Timestamp(ahead.0 + 1));
        assert!(
            notes[0].starts_with("the wall clock went back"),
            "{notes:?}"
        );
        let next = keeper.round_time(&writer, &mut notes);
        assert!(next > at, "never the same instant twice");
    }
}

//! `cfready monitor`: Atlassian's monitor as a command. Every `--every` (60 s, Atlassian's
//! cadence) a round requests the health check of every URL once, in parallel, exactly as
//! `probe` does, and appends one observation per URL to the history before the next round.
//!
//! Rounds keep their schedule: round n starts at start + n x every; a round that overruns
//! makes the next start at the first slot after it (rounds never overlap), and a slow round
//! does not shift the ones after. An interrupt (Ctrl-C, SIGTERM) or `--for` ends the run after
//! the round in flight.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::health_check::Target;
use crate::history::{Appender, Observation};
use crate::probe::{self, Attempt, ProbeOptions};
use crate::timestamp::Timestamp;

/// How the monitor runs.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    pub every: Duration,
    /// Stop after this long (`None`: until interrupted).
    pub run_for: Option<Duration>,
    pub probe: ProbeOptions,
}

/// One round: when it was due, when it started, what each URL gave.
#[derive(Debug, Clone)]
pub struct Round {
    pub number: usize,
    /// How late the round started after its scheduled time.
    pub drift: Duration,
    pub observations: Vec<Observation>,
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
}

/// The history's file name when none is given: beside the questionnaire, or here.
pub const DEFAULT_HISTORY: &str = "cfready-history.jsonl";

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
    line
}

/// The observation a request makes.
pub fn observation(target: &Target, at: Timestamp, attempt: &Attempt) -> Observation {
    Observation {
        at,
        url: target.url.clone(),
        base_url: target.base_url.clone(),
        success: attempt.succeeded(),
        failure: attempt.failure.as_ref().map(|failure| {
            serde_json::to_value(failure).expect("a failure serializes")["kind"]
                .as_str()
                .unwrap_or("unknown")
                .to_owned()
        }),
        status: attempt.status,
        total_ms: attempt
            .total_time
            .map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
    }
}

/// Run the monitor on `targets`, appending to `history`; `on_round` sees each round after it
/// is written. Only an error writing the history ends the run early.
pub fn run(
    targets: &[Target],
    history: &Path,
    options: &MonitorOptions,
    on_round: &mut dyn FnMut(&Round),
) -> std::io::Result<RunSummary> {
    let mut appender = Appender::open(history)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds");
    runtime.block_on(rounds(targets, &mut appender, options, on_round))
}

async fn rounds(
    targets: &[Target],
    appender: &mut Appender,
    options: &MonitorOptions,
    on_round: &mut dyn FnMut(&Round),
) -> std::io::Result<RunSummary> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::new(tokio::sync::Notify::new());
    spawn_signal_watch(stop.clone(), stopped.clone());
    let started = tokio::time::Instant::now();
    let every = options.every.max(Duration::from_millis(1));
    let mut schedule = tokio::time::interval_at(started, every);
    schedule.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut summary = RunSummary::default();
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
        let at = Timestamp::now();
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
        appender.append(&observations)?;
        summary.rounds += 1;
        summary.observations += observations.len();
        summary.max_drift = summary.max_drift.max(drift);
        on_round(&Round {
            number: summary.rounds,
            drift,
            observations,
        });
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    Ok(summary)
}

/// Ctrl-C (and SIGTERM on Unix) ask the run to stop after the round in flight.
fn spawn_signal_watch(stop: Arc<AtomicBool>, stopped: Arc<tokio::sync::Notify>) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut terminate) = signal(SignalKind::terminate()) else {
                let _ = tokio::signal::ctrl_c().await;
                stop.store(true, Ordering::SeqCst);
                stopped.notify_one();
                return;
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        stop.store(true, Ordering::SeqCst);
        stopped.notify_one();
    });
}

//! When to alert, on the program's numbers: the events a stream of observations gives.
//!
//! Per base URL (the URL itself when it has none):
//! - **failure** at the first failed observation when no alert is open: what Atlassian's
//!   monitor records at that moment and emails about under its 15-minute rule;
//! - **recovered** at the first good observation after it (the incident's end, as `slo`
//!   counts incidents);
//! - a failure within the alert window (15 minutes) of a recovery re-opens the same alert: the
//!   same key, one more failure event, no new alert;
//! - **budget** when the failed time of the SLO window (28 days) crosses 50, 75 and 100 % of
//!   the error budget (each failed observation costs one interval, as in `slo`);
//! - **burn** when the burn rate over both the last hour and the last five minutes exceeds
//!   the fast-burn rate (14.4x, the export's fast-burn pair), **burn-ended** when it no
//!   longer does.
//!
//! Keys are built from the base URL and the instant an alert opened, so a monitor that reads
//! its history back after a restart finds the same keys, and knows which alerts are open.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde::Serialize;

pub use crate::badge::history::EventKind;
use crate::badge::history::Observation;
use crate::program::{
    ALERT_WINDOW, AVAILABILITY_SLO_PERCENT, FAST_BURN_RATE, SLO_WINDOW, error_budget,
};
use crate::timestamp::Timestamp;

/// The budget shares that raise a budget event, in percent.
pub const BUDGET_STEPS: [u32; 3] = [50, 75, 100];

/// The long and the short span of the fast-burn pair.
pub const BURN_SPANS: [Duration; 2] = [Duration::from_secs(3600), Duration::from_secs(5 * 60)];

/// The SLO figures of a base URL when an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    pub slo_percent: f64,
    pub window_s: u64,
    pub budget_s: f64,
    /// Failed time in the window (failed observations times the interval).
    pub budget_used_s: f64,
    pub budget_used_percent: f64,
    pub burn_rate_1h: f64,
    pub burn_rate_5m: f64,
}

/// An event, with what every target's message needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    /// The alert's deduplication key: the same for a trigger and its resolve.
    pub key: String,
    /// The base URL (or the URL when it has none).
    pub base_url: String,
    /// The observation that caused it.
    pub observation: Observation,
    pub figures: Figures,
    /// A failure that re-opens an alert recovered less than 15 minutes earlier.
    pub reopened: bool,
    /// When the alert opened (the episode's first failure).
    pub since: Timestamp,
}

/// What one base URL's alerts stand at.
#[derive(Debug, Default, Clone)]
struct State {
    /// The open alert: its key and when it opened.
    open: Option<(String, Timestamp)>,
    /// The last recovery: when, and the key it closed.
    recovered: Option<(Timestamp, String, Timestamp)>,
    /// The failed observations of the SLO window, oldest first.
    failures: VecDeque<Timestamp>,
    /// The highest budget step crossed and not fallen back below.
    step: u32,
    /// The open burn alert.
    burn: Option<(String, Timestamp)>,
}

/// The alert state of every base URL, fed observation by observation.
#[derive(Debug, Clone)]
pub struct Tracker {
    /// What one failed observation costs: the monitor's interval.
    every: Duration,
    states: BTreeMap<String, State>,
}

/// The group an observation belongs to.
pub fn group(observation: &Observation) -> String {
    observation
        .base_url
        .clone()
        .unwrap_or_else(|| observation.url.clone())
}

/// A stable key: `cfready:<base URL>:<what>:<instant it opened>`, cut to PagerDuty's 255.
fn key(base: &str, what: &str, at: Timestamp) -> String {
    let at = at.to_string();
    let room = 255 - "cfready:".len() - what.len() - at.len() - 2;
    let base: String = base.chars().take(room).collect();
    format!("cfready:{base}:{what}:{at}")
}

impl Tracker {
    pub fn new(every: Duration) -> Tracker {
        Tracker {
            every,
            states: BTreeMap::new(),
        }
    }

    /// Feed a round's observations (in time order); the events they raise.
    pub fn observe(&mut self, observations: &[Observation]) -> Vec<Event> {
        let mut events = Vec::new();
        for observation in observations {
            self.one(observation, &mut events);
        }
        events
    }

    /// The alerts open now: (base URL, key, opened at).
    pub fn open(&self) -> Vec<(String, String, Timestamp)> {
        self.states
            .iter()
            .filter_map(|(base, state)| {
                let (key, since) = state.open.clone()?;
                Some((base.clone(), key, since))
            })
            .collect()
    }

    fn one(&mut self, observation: &Observation, events: &mut Vec<Event>) {
        let base = group(observation);
        let every = self.every;
        let state = self.states.entry(base.clone()).or_default();
        let at = observation.at;
        // The failures that left the SLO window no longer count.
        while state
            .failures
            .front()
            .is_some_and(|&f| at.since(f) >= SLO_WINDOW)
        {
            state.failures.pop_front();
        }
        if !observation.success {
            state.failures.push_back(at);
        }
        let figures = figures(state, at, every);
        let mut emit = |kind: EventKind, key: String, since: Timestamp, reopened: bool| {
            events.push(Event {
                kind,
                key,
                base_url: base.clone(),
                observation: observation.clone(),
                figures,
                reopened,
                since,
            });
        };
        match (observation.success, &state.open) {
            (false, None) => {
                let (key, since, reopened) = match state.recovered.take() {
                    Some((recovered, key, since)) if at.since(recovered) < ALERT_WINDOW => {
                        (key, since, true)
                    }
                    _ => (key(&base, "down", at), at, false),
                };
                state.open = Some((key.clone(), since));
                emit(EventKind::Failure, key, since, reopened);
            }
            (true, Some((key, since))) => {
                let (key, since) = (key.clone(), *since);
                state.recovered = Some((at, key.clone(), since));
                state.open = None;
                emit(EventKind::Recovered, key, since, false);
            }
            _ => {}
        }
        // The budget: each step once when crossed; a step fallen back below (failures aged
        // out of the window) may be crossed again.
        let used = figures.budget_used_percent;
        let step = BUDGET_STEPS
            .iter()
            .copied()
            .filter(|&s| used >= f64::from(s))
            .max()
            .unwrap_or(0);
        if step > state.step {
            emit(
                EventKind::Budget(step),
                key(&base, &format!("budget-{step}"), at),
                at,
                false,
            );
        }
        state.step = step;
        let burning =
            figures.burn_rate_1h > FAST_BURN_RATE && figures.burn_rate_5m > FAST_BURN_RATE;
        match (&state.burn, burning) {
            (None, true) => {
                let key = key(&base, "burn", at);
                state.burn = Some((key.clone(), at));
                emit(EventKind::Burn, key, at, false);
            }
            (Some((key, since)), false) => {
                emit(EventKind::BurnEnded, key.clone(), *since, false);
                state.burn = None;
            }
            _ => {}
        }
    }
}

/// The figures of a state at `at`: failed time in the window and over the burn spans.
fn figures(state: &State, at: Timestamp, every: Duration) -> Figures {
    let budget = error_budget();
    let allowed = budget.as_secs_f64() / SLO_WINDOW.as_secs_f64();
    let cost = |count: usize| every.as_secs_f64() * count as f64;
    let used = cost(state.failures.len());
    let rate = |span: Duration| {
        let failed = state
            .failures
            .iter()
            .rev()
            .take_while(|&&f| at.since(f) < span)
            .count();
        (cost(failed) / span.as_secs_f64()) / allowed
    };
    Figures {
        slo_percent: AVAILABILITY_SLO_PERCENT,
        window_s: SLO_WINDOW.as_secs(),
        budget_s: budget.as_secs_f64(),
        budget_used_s: used,
        budget_used_percent: used / budget.as_secs_f64() * 100.0,
        burn_rate_1h: rate(BURN_SPANS[0]),
        burn_rate_5m: rate(BURN_SPANS[1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(second: u64, success: bool) -> Observation {
        Observation {
            app: None,
            at: crate::timestamp::at(2026, 11, 25, 10, 0).plus(Duration::from_secs(second)),
            url: "https://app.example.com/health".to_owned(),
            base_url: Some("https://app.example.com".to_owned()),
            success,
            failure: (!success).then(|| "status".to_owned()),
            status: Some(if success { 200 } else { 503 }),
            total_ms: Some(20),
        }
    }

    fn kinds(events: &[Event]) -> Vec<String> {
        events.iter().map(|e| e.kind.name()).collect()
    }

    #[test]
    fn one_outage_is_one_failure_and_one_recovery_whatever_the_cadence() {
        for every in [1, 10, 60] {
            let mut tracker = Tracker::new(Duration::from_secs(every));
            let mut events = Vec::new();
            for n in 0..20 {
                let failed = (5..12).contains(&n);
                events.extend(tracker.observe(&[observation(n * every, !failed)]));
            }
            let alerts: Vec<&Event> = events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Failure | EventKind::Recovered))
                .collect();
            assert_eq!(alerts.len(), 2, "{every}: {:?}", kinds(&events));
            assert_eq!(alerts[0].kind, EventKind::Failure);
            assert_eq!(alerts[1].kind, EventKind::Recovered);
            assert_eq!(alerts[0].key, alerts[1].key);
            assert_eq!(alerts[0].observation.at, observation(5 * every, false).at);
            assert_eq!(alerts[1].observation.at, observation(12 * every, true).at);
        }
    }

    #[test]
    fn a_failure_within_15_minutes_of_a_recovery_reopens_the_same_alert() {
        let mut tracker = Tracker::new(Duration::from_secs(60));
        let window = ALERT_WINDOW.as_secs();
        let mut events = tracker.observe(&[observation(0, false), observation(60, true)]);
        events.extend(tracker.observe(&[observation(60 + window - 60, false)]));
        events.extend(tracker.observe(&[observation(60 + window, true)]));
        // The next failure comes a whole alert window after that recovery: a new alert.
        events.extend(tracker.observe(&[observation(60 + 2 * window, false)]));
        let alerts: Vec<(String, &str, bool)> = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Failure | EventKind::Recovered))
            .map(|e| (e.kind.name(), e.key.as_str(), e.reopened))
            .collect();
        assert_eq!(alerts.len(), 5, "{alerts:?}");
        assert!(alerts[..4].iter().all(|a| a.1 == alerts[0].1), "{alerts:?}");
        assert!(alerts[2].2, "the second failure re-opens");
        assert_ne!(alerts[4].1, alerts[0].1);
        assert!(!alerts[4].2);
    }

    #[test]
    fn the_budget_raises_50_75_and_100_percent_once_each() {
        // At a 60 s cadence the 40m 19.2s budget is 40.32 failed observations: steps at the
        // 21st, 31st and 41st failure.
        let mut tracker = Tracker::new(Duration::from_secs(60));
        let mut budget = Vec::new();
        for n in 0..50 {
            for event in tracker.observe(&[observation(n * 60, false)]) {
                if let EventKind::Budget(step) = event.kind {
                    budget.push((step, n + 1));
                }
            }
        }
        assert_eq!(budget, [(50, 21), (75, 31), (100, 41)]);
    }

    #[test]
    fn burn_needs_both_the_hour_and_the_five_minutes_above_14_4() {
        let mut tracker = Tracker::new(Duration::from_secs(60));
        let mut events = Vec::new();
        // 14.4x the rate that lasts 28 days is 1.44 % failed: 51.84 s in an hour, 4.32 s in
        // five minutes. At a 60 s cadence one failed minute exceeds both; the burn ends when
        // five minutes hold no failure, though the hour is still far above.
        for n in 0..60 {
            events.extend(tracker.observe(&[observation(n * 60, !(50..54).contains(&n))]));
        }
        let burn: Vec<(String, u64)> = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Burn | EventKind::BurnEnded))
            .map(|e| {
                (
                    e.kind.name(),
                    e.observation.at.since(observation(0, true).at).as_secs() / 60,
                )
            })
            .collect();
        assert_eq!(
            burn,
            [("burn".to_owned(), 50), ("burn-ended".to_owned(), 58)]
        );
    }

    #[test]
    fn a_tracker_fed_the_history_again_knows_the_open_alert() {
        let history = [
            observation(0, true),
            observation(60, false),
            observation(120, false),
        ];
        let mut first = Tracker::new(Duration::from_secs(60));
        let opened = first.observe(&history);
        let mut again = Tracker::new(Duration::from_secs(60));
        again.observe(&history);
        assert_eq!(again.open()[0].1, opened[0].key);
        // The next failure is no new event; the next success resolves the same key.
        assert!(again.observe(&[observation(180, false)]).is_empty());
        let resolved = again.observe(&[observation(240, true)]);
        assert_eq!(kinds(&resolved), ["recovered"]);
        assert_eq!(resolved[0].key, opened[0].key);
    }
}

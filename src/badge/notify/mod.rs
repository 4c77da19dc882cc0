//! `cfready monitor --notify`: alerts at the moment Atlassian's monitor would email, sent to
//! the partner's own webhook, Slack, PagerDuty, Opsgenie or mailbox.
//!
//! [`event`] decides when (on the program's numbers), [`payload`] what each service receives,
//! [`send`] delivers with a bounded timeout and retries. A [`Notifier`] runs one worker per
//! target in the monitor's runtime: a round hands its events over and goes on, so a target
//! that is slow or down never delays a round; a target's events go out in order (a resolve
//! never overtakes its trigger). Every attempt is recorded (the monitor appends it to the
//! history), and a restarted monitor reads its history back: it knows which alerts are open
//! and sends again only an open alert's trigger that no attempt delivered.

pub mod event;
pub mod payload;
pub mod send;
pub mod target;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::badge::history::{Delivery, DeliveryEvent, Observation, Outcome};
use crate::timestamp::Timestamp;
pub use event::{Event, EventKind, Tracker};
pub use send::Policy;
pub use target::Target;

/// Events waiting for one target beyond this are dropped (and recorded as undelivered): a
/// target down for hours must not grow the monitor's memory.
const QUEUE: usize = 256;

/// How a target fared during a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub delivered: usize,
    pub undelivered: usize,
    /// The reason of the last undelivered alert.
    pub last_error: Option<String>,
}

/// Hands each series' observations, in time order, one series per call, to the closure it is
/// given.
pub type EachSeries<'a> = dyn FnMut(&mut dyn FnMut(&[Observation])) + 'a;

/// What a monitor's alerts resume from: the observations of `series`, and the delivery
/// attempts made.
pub struct Past<'a> {
    pub series: &'a mut EachSeries<'a>,
    pub deliveries: Vec<Delivery>,
}

/// The alerting side of a monitor run.
pub struct Notifier {
    tracker: Tracker,
    queues: Vec<(Target, mpsc::Sender<Event>)>,
    workers: Vec<tokio::task::JoinHandle<()>>,
    tallies: Arc<Mutex<BTreeMap<String, Tally>>>,
    record: Arc<dyn Fn(Delivery) + Send + Sync>,
    policy: Policy,
    /// The annual reviews' reminders sent (key, event): from the store, then this run.
    reminded: std::collections::BTreeSet<(String, EventKind)>,
}

impl Notifier {
    /// Start a worker per target (inside a tokio runtime). `past` is the store as it was
    /// before this run: its observations rebuild the alerts' state, its deliveries say which
    /// open alert was already sent. `record` sees every attempt (and appends it).
    pub fn start(
        targets: &[Target],
        policy: Policy,
        every: Duration,
        past: &mut Past<'_>,
        record: Arc<dyn Fn(Delivery) + Send + Sync>,
    ) -> Result<Notifier, String> {
        let client = send::client(policy.timeout)?;
        let tallies = Arc::new(Mutex::new(BTreeMap::new()));
        let mut queues = Vec::new();
        let mut workers = Vec::new();
        for target in targets {
            let (tx, mut rx) = mpsc::channel::<Event>(QUEUE);
            let (client, target_, tallies_, record_) = (
                client.clone(),
                target.clone(),
                tallies.clone(),
                record.clone(),
            );
            workers.push(tokio::spawn(async move {
                while let Some(event) = rx.recv().await {
                    let last: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
                    let last_ = last.clone();
                    let record = |delivery: Delivery| {
                        if delivery.outcome == Outcome::Undelivered {
                            *last_.lock().expect("not poisoned") = delivery.error.clone();
                        }
                        record_(delivery);
                    };
                    let delivered =
                        send::deliver(&client, &target_, &event, &policy, &record).await;
                    let mut tallies = tallies_.lock().expect("not poisoned");
                    let tally: &mut Tally = tallies.entry(target_.label.clone()).or_default();
                    if delivered {
                        tally.delivered += 1;
                    } else {
                        tally.undelivered += 1;
                        tally.last_error = last.lock().expect("not poisoned").clone();
                    }
                }
            }));
            queues.push((target.clone(), tx));
        }
        let mut notifier = Notifier {
            tracker: Tracker::new(every),
            queues,
            workers,
            tallies,
            record,
            policy,
            // A reminder any attempt went out for is not sent again: "each once".
            reminded: past
                .deliveries
                .iter()
                .filter_map(|d| match d.event {
                    DeliveryEvent::Known(kind @ EventKind::ReviewDue(_)) => {
                        Some((d.key.clone(), kind))
                    }
                    _ => None,
                })
                .collect(),
        };
        notifier.resume(past);
        Ok(notifier)
    }

    /// Read the past, one base URL at a time (each one's state is its own, so memory holds one
    /// series, not the whole store): the alerts open at its end, and the triggers of those that
    /// no attempt delivered to a target, sent again to that target.
    fn resume(&mut self, past: &mut Past<'_>) {
        let mut triggers: BTreeMap<String, Event> = BTreeMap::new();
        let tracker = &mut self.tracker;
        (past.series)(&mut |observations: &[Observation]| {
            for event in tracker.observe(observations) {
                if event.kind == EventKind::Failure {
                    triggers.insert(event.key.clone(), event);
                }
            }
        });
        for (_, key, _) in self.tracker.open() {
            let Some(trigger) = triggers.get(&key) else {
                continue;
            };
            for (target, queue) in &self.queues {
                let delivered = past.deliveries.iter().any(|d| {
                    d.key == key
                        && d.event == EventKind::Failure.into()
                        && d.target == target.label
                        && d.outcome == Outcome::Delivered
                });
                if !delivered {
                    enqueue(target, queue, trigger.clone(), &*self.record);
                }
            }
        }
    }

    /// A round's observations: the events they raise, handed to every target's worker.
    /// Returns the events (for the monitor's line per round).
    pub fn observe(&mut self, observations: &[Observation]) -> Vec<Event> {
        let events = self.tracker.observe(observations);
        for event in &events {
            for (target, queue) in &self.queues {
                enqueue(target, queue, event.clone(), &*self.record);
            }
        }
        events
    }

    /// The annual reviews' reminders due at `now` and not sent yet, raised to every target.
    pub fn remind(
        &mut self,
        reviews: &[(String, crate::date::Date)],
        now: Timestamp,
    ) -> Vec<Event> {
        let due = reviews_due(reviews, now, &self.reminded);
        for event in &due {
            self.reminded.insert((event.key.clone(), event.kind));
            self.raise(event.clone());
        }
        due
    }

    /// Raise one event of the monitor's own (`history-unwritable`) to every target.
    pub fn raise(&mut self, event: Event) {
        for (target, queue) in &self.queues {
            enqueue(target, queue, event.clone(), &*self.record);
        }
    }

    /// Let the workers finish what they hold, for at most the time one delivery may take;
    /// the tally of each target, in the order given.
    pub async fn finish(self) -> Vec<(String, Tally)> {
        let labels: Vec<String> = self.queues.iter().map(|(t, _)| t.label.clone()).collect();
        drop(self.queues);
        let bound = self.policy.bound() + Duration::from_secs(1);
        let deadline = tokio::time::Instant::now() + bound;
        for worker in self.workers {
            let abort = worker.abort_handle();
            if tokio::time::timeout_at(deadline, worker).await.is_err() {
                abort.abort();
            }
        }
        let tallies = self.tallies.lock().expect("not poisoned");
        labels
            .into_iter()
            .map(|label| {
                let tally = tallies.get(&label).cloned().unwrap_or_default();
                (label, tally)
            })
            .collect()
    }
}

fn enqueue(
    target: &Target,
    queue: &mpsc::Sender<Event>,
    event: Event,
    record: &(dyn Fn(Delivery) + Send + Sync),
) {
    let (kind, key, base) = (event.kind, event.key.clone(), event.base_url.clone());
    if queue.try_send(event).is_err() {
        record(Delivery {
            at: Timestamp::now(),
            target: target.label.clone(),
            event: kind.into(),
            key,
            base_url: Some(base),
            attempt: 0,
            outcome: Outcome::Undelivered,
            status: None,
            error: Some(format!(
                "{QUEUE} alerts already wait for this target: dropped"
            )),
        });
    }
}

/// The monitor's own alert that it cannot write its store at `path`, because of `reason`.
pub fn unwritable_event(path: &str, reason: &str) -> Event {
    let mut event = test_event(path, path);
    event.kind = EventKind::HistoryUnwritable;
    event.key = format!("cfready:{path}:history-unwritable:{}", event.since);
    event.observation.success = false;
    event.observation.failure = Some(reason.to_owned());
    event.observation.status = None;
    event
}

/// The annual reviews' reminders due at `now`, for `(app, approved_on)` pairs: the 30-day one
/// while the review's week starts in 15 to 30 days, the 14-day one from 14 days until it
/// starts; none that `sent` holds already (`(key, event)`, from the store's deliveries and
/// this run), so that each goes out once, across restarts.
pub fn reviews_due(
    reviews: &[(String, crate::date::Date)],
    now: Timestamp,
    sent: &std::collections::BTreeSet<(String, EventKind)>,
) -> Vec<Event> {
    let today = crate::date::Date(now.0.div_euclid(86_400_000));
    let mut due = Vec::new();
    for (app, approved) in reviews {
        if *approved > today {
            continue;
        }
        let dates = crate::ticket::review::next_review(*approved, today);
        let Some(&step) = crate::ticket::review::REMINDER_DAYS
            .iter()
            .rev()
            .find(|&&days| dates.days_to_review >= 0 && dates.days_to_review <= days)
        else {
            continue;
        };
        let mut event = test_event(app, app);
        event.kind = EventKind::ReviewDue(step as u32);
        event.key = format!("cfready:{app}:annual-review:{}", dates.review_start);
        event.since = Timestamp(dates.review_start.0 * 86_400_000);
        event.observation.at = now;
        if !sent.contains(&(event.key.clone(), event.kind)) {
            due.push(event);
        }
    }
    due
}

/// The marked test event of `--notify-test`, for `base_url`.
pub fn test_event(base_url: &str, url: &str) -> Event {
    let now = Timestamp::now();
    let observation = Observation {
        app: None,
        at: now,
        url: url.to_owned(),
        base_url: Some(base_url.to_owned()),
        success: true,
        failure: None,
        status: Some(crate::program::HEALTH_CHECK_STATUS),
        total_ms: None,
    };
    let figures = event::Figures {
        slo_percent: crate::program::AVAILABILITY_SLO_PERCENT,
        window_s: crate::program::SLO_WINDOW.as_secs(),
        budget_s: crate::program::error_budget().as_secs_f64(),
        budget_used_s: 0.0,
        budget_used_percent: 0.0,
        burn_rate_1h: 0.0,
        burn_rate_5m: 0.0,
    };
    Event {
        kind: EventKind::Test,
        key: format!("cfready:{base_url}:test:{now}"),
        base_url: base_url.to_owned(),
        observation,
        figures,
        reopened: false,
        since: now,
    }
}

/// `--notify-test`: the test event to every target, one delivery each (with its retries);
/// each target's attempts, in the order given.
pub fn send_test(
    targets: &[Target],
    policy: Policy,
    event: &Event,
) -> Result<Vec<(String, Vec<Delivery>)>, String> {
    let runtime = crate::net::runtime().expect("a current-thread runtime builds");
    runtime.block_on(async {
        let client = send::client(policy.timeout)?;
        let mut out = Vec::new();
        for target in targets {
            let attempts = Arc::new(Mutex::new(Vec::new()));
            let sink = attempts.clone();
            let record = move |d: Delivery| sink.lock().expect("not poisoned").push(d);
            send::deliver(&client, target, event, &policy, &record).await;
            let attempts = attempts.lock().expect("not poisoned").clone();
            out.push((target.label.clone(), attempts));
        }
        Ok(out)
    })
}

#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::date::Date;
    use crate::timestamp::at;

    #[test]
    fn the_reviews_reminders_go_out_at_30_and_14_days_each_once() {
        let reviews = vec![(
            "com.acme.timesheets".to_owned(),
            Date::parse("2025-12-10").unwrap(),
        )];
        let mut sent = std::collections::BTreeSet::new();
        // The week of 2026-12-25: 35 days away, nothing; 25 days, the 30-day reminder.
        assert!(reviews_due(&reviews, at(2026, 11, 20, 9, 0), &sent).is_empty());
        let due = reviews_due(&reviews, at(2026, 11, 30, 9, 0), &sent);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].kind, EventKind::ReviewDue(30));
        assert_eq!(
            due[0].key,
            "cfready:com.acme.timesheets:annual-review:2026-12-25"
        );
        assert_eq!(
            payload::summary(&due[0]),
            "ANNUAL REVIEW: Atlassian reviews com.acme.timesheets in 25 days, the week of 2026-12-25 to 2026-12-31 (notice by 2026-12-11, fixes due by 2027-01-28); prepare the pack with cfready review"
        );
        // Sent (or read back from the store's deliveries after a restart): not again.
        sent.insert((due[0].key.clone(), due[0].kind));
        assert!(reviews_due(&reviews, at(2026, 12, 1, 9, 0), &sent).is_empty());
        // 10 days before: the 14-day reminder, once.
        let due = reviews_due(&reviews, at(2026, 12, 15, 9, 0), &sent);
        assert_eq!(due[0].kind, EventKind::ReviewDue(14));
        sent.insert((due[0].key.clone(), due[0].kind));
        assert!(reviews_due(&reviews, at(2026, 12, 20, 9, 0), &sent).is_empty());
    }
}

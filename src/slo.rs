//! The 28-day SLO of a monitor history, computed as Atlassian computes it: per health check
//! URL, the error budget of the window (0.1 % of it, 40 min 19.2 s in 28 days) and the failed
//! time that spent it (each failed observation costs one interval), the verdict that follows
//! (breached, at risk, within budget), how much of the window the history covers, the
//! availability of that observed part, the incidents, and the alerts Atlassian would have
//! emailed (one per 15-minute episode).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::history::{Delivery, History, Observation, Outcome};
use crate::program::{
    ALERT_WINDOW, AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, SLO_WINDOW,
};
use crate::registry::slo::SLO_BREACHED;
use crate::timestamp::Timestamp;

pub use crate::program::FAST_BURN_RATE;

/// The span a fast burn is judged over: the last hour of the history.
pub const FAST_BURN_SPAN: Duration = Duration::from_secs(3600);

/// The most buckets a chart series holds; the bucket grows with the observed span.
const MAX_BUCKETS: u64 = 720;

/// The bucket sizes of the charts, from the shortest: minutes for short histories, then
/// hours, then days.
const BUCKETS: [Duration; 8] = [
    Duration::from_secs(10),
    Duration::from_secs(60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(15 * 60),
    Duration::from_secs(3600),
    Duration::from_secs(6 * 3600),
    Duration::from_secs(86_400),
    Duration::from_secs(7 * 86_400),
];

/// How the SLO is read from a history.
#[derive(Debug, Clone)]
pub struct SloOptions {
    /// The SLO window, ending at the last observation (28 days).
    pub window: Duration,
    /// Announced maintenance, excluded: [start, end) intervals.
    pub maintenance: Vec<(Timestamp, Timestamp)>,
    /// The team's own tighter objective in percent (`--objective 99.95`), judged beside the
    /// program's 99.9 %, never instead of it.
    pub objective: Option<f64>,
}

impl Default for SloOptions {
    fn default() -> Self {
        SloOptions {
            window: SLO_WINDOW,
            maintenance: Vec::new(),
            objective: None,
        }
    }
}

/// Where a URL stands against its error budget, from the best to the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No window exceeds the budget, and the failures do not spend it faster than it lasts.
    WithinBudget,
    /// Within the budget so far, but spending it too fast: over the observed part, faster than
    /// the rate that lasts the window, or over the last hour, a fast burn.
    AtRisk,
    /// The failed time inside a window exceeds the error budget: the SLO is missed.
    Breached,
}

impl Verdict {
    /// `breached`, `at risk`, `within budget`.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::WithinBudget => "within budget",
            Verdict::AtRisk => "at risk",
            Verdict::Breached => "breached",
        }
    }
}

/// The error budget of a window: the program's 40 min 19.2 s for 28 days, in proportion for
/// another window.
pub fn budget_of(window: Duration) -> Duration {
    if window == SLO_WINDOW {
        return crate::program::error_budget();
    }
    crate::program::error_budget().mul_f64(window.as_secs_f64() / SLO_WINDOW.as_secs_f64())
}

/// The error budget of a window under an objective other than the program's (the team's own):
/// `(100 - objective) %` of the window.
pub fn objective_budget(window: Duration, objective: f64) -> Duration {
    window.mul_f64(((100.0 - objective) / 100.0).max(0.0))
}

/// A URL against the team's own objective: the same failed time, a smaller budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSlo {
    pub percent: f64,
    pub verdict: Verdict,
    #[serde(rename = "budget_s", serialize_with = "seconds")]
    pub budget: Duration,
    pub budget_used_percent: f64,
    /// The worst window's failed time over this budget, in percent.
    pub worst_window_percent: f64,
    pub burn_rate: f64,
    pub burn_rate_last_hour: f64,
}

/// A run of consecutive failed observations of one URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    /// The first good observation after the run (or the last failure plus one interval).
    #[serde(serialize_with = "rfc3339")]
    pub end: Timestamp,
    #[serde(rename = "duration_s", serialize_with = "seconds")]
    pub duration: Duration,
    pub failures: usize,
    /// The probe's failure kinds in the run, each once, in the order met.
    pub kinds: Vec<String>,
    /// The statuses other than 200 the run answered (`status` failures), each once, in the
    /// order met.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<u16>,
}

impl Incident {
    /// Count one failed observation's kind and status in the run.
    fn note(&mut self, failure: Option<&str>, status: Option<u16>) {
        if let Some(kind) = failure
            && !self.kinds.iter().any(|k| k == kind)
        {
            self.kinds.push(kind.to_owned());
        }
        if let Some(status) = status
            && failure == Some("status")
            && !self.statuses.contains(&status)
        {
            self.statuses.push(status);
        }
    }
}

/// Latency of the observations that got a whole response, in milliseconds (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LatencyMs {
    pub p50: u64,
    pub p95: u64,
    pub max: u64,
}

/// One stretch of time of one URL (an hour, five minutes...): observations, good ones, latency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    pub observations: usize,
    pub good: usize,
    pub latency_ms: Option<LatencyMs>,
}

/// A window of the SLO's length and the failed time inside it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    #[serde(serialize_with = "rfc3339")]
    pub end: Timestamp,
    #[serde(rename = "budget_used_s", serialize_with = "seconds")]
    pub budget_used: Duration,
}

/// The SLO of one health check URL in the window.
#[derive(Debug, Clone, Serialize)]
pub struct UrlSlo {
    pub url: String,
    pub base_url: Option<String>,
    /// Breached, at risk or within budget.
    pub verdict: Verdict,
    pub observations: usize,
    pub good: usize,
    /// Good over all, as a fraction, of the observed part of the window: information, since
    /// the verdict is the budget's.
    pub availability: f64,
    /// The monitor's cadence, read from the history (the median gap between observations).
    #[serde(rename = "interval_s", serialize_with = "seconds")]
    pub interval: Duration,
    /// How much of the window the history covers: its first observation to its last plus one
    /// interval, at most the window.
    #[serde(rename = "observed_s", serialize_with = "seconds")]
    pub observed: Duration,
    #[serde(rename = "budget_s", serialize_with = "seconds")]
    pub budget: Duration,
    #[serde(rename = "budget_used_s", serialize_with = "seconds")]
    pub budget_used: Duration,
    /// How fast the observed part spent the budget: 1 is the rate that spends all of it in
    /// exactly the window.
    pub burn_rate: f64,
    /// The same over the last hour of the history (its observed part).
    pub burn_rate_last_hour: f64,
    /// The window of the history with the most failed time (the report's own window when no
    /// earlier one has more): a breach is a window whose failed time exceeds the budget.
    pub worst_window: Window,
    pub incidents: Vec<Incident>,
    /// When Atlassian would have emailed the SLO-breach mailbox.
    #[serde(serialize_with = "instants")]
    pub alerts: Vec<Timestamp>,
    /// The same failures against the team's own objective, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<ObjectiveSlo>,
    pub latency_ms: Option<LatencyMs>,
    /// Hour by hour, for the terminal's sparkline.
    #[serde(skip)]
    pub hours: Vec<Bucket>,
    /// Bucket by bucket (`SloReport::step`), for the charts.
    #[serde(skip)]
    pub buckets: Vec<Bucket>,
}

impl UrlSlo {
    /// Milliseconds left to the 3-second limit at p95.
    pub fn headroom_ms(&self) -> Option<i64> {
        let limit = i64::try_from(HEALTH_CHECK_TIMEOUT.as_millis()).unwrap_or(i64::MAX);
        self.latency_ms
            .map(|l| limit - i64::try_from(l.p95).unwrap_or(i64::MAX))
    }

    /// The share of the budget the window's failures used, in percent.
    pub fn budget_used_percent(&self) -> f64 {
        self.budget_used.as_secs_f64() / self.budget.as_secs_f64() * 100.0
    }

    /// At the observed rate, how long the whole budget lasts from the first observation
    /// (`None` when nothing failed).
    pub fn budget_lasts(&self) -> Option<Duration> {
        (!self.budget_used.is_zero()).then(|| {
            self.observed
                .mul_f64(self.budget.as_secs_f64() / self.budget_used.as_secs_f64())
        })
    }
}

/// The SLO report of a history.
#[derive(Debug, Clone, Serialize)]
pub struct SloReport {
    pub version: u64,
    /// The worst verdict of the URLs.
    pub verdict: Verdict,
    #[serde(serialize_with = "rfc3339")]
    pub window_start: Timestamp,
    #[serde(serialize_with = "rfc3339")]
    pub window_end: Timestamp,
    #[serde(rename = "window_s", serialize_with = "seconds")]
    pub window: Duration,
    /// The first observation in the window.
    #[serde(serialize_with = "rfc3339")]
    pub observed_start: Timestamp,
    /// How much of the window the history covers, at most the window.
    #[serde(rename = "observed_s", serialize_with = "seconds")]
    pub observed: Duration,
    pub slo_percent: f64,
    /// The team's own objective, reported beside the program's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective_percent: Option<f64>,
    pub urls: Vec<UrlSlo>,
    /// The charts' bucket: minutes for a short history, hours, days for a long one.
    #[serde(skip)]
    pub step: Duration,
    /// Skipped lines of the history, and the SLO breaches.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// The alerts `monitor --notify` sent in the window, per target (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alerts_sent: Vec<SentAlert>,
}

/// An alert `monitor --notify` sent to one target, and whether it arrived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentAlert {
    /// The target's label (no secret in it).
    pub target: String,
    /// `failure`, `recovered`, `budget-50`, `burn`...
    pub event: String,
    pub key: String,
    pub base_url: Option<String>,
    /// When the last attempt ended.
    #[serde(serialize_with = "rfc3339")]
    pub at: Timestamp,
    pub attempts: u32,
    /// `delivered`, `undelivered`, or `retry` when the monitor stopped between attempts.
    pub outcome: Outcome,
}

/// The history's delivery lines from `start` on, one entry per alert and target (an
/// attempt numbered 1 starts one).
fn alerts_sent(deliveries: Vec<Delivery>, start: Timestamp) -> Vec<SentAlert> {
    let mut sent: Vec<SentAlert> = Vec::new();
    for d in deliveries.into_iter().filter(|d| d.at >= start) {
        let same = |s: &SentAlert| s.target == d.target && s.key == d.key && s.event == d.event;
        match sent.iter_mut().rev().find(|s| same(s)) {
            Some(entry) if d.attempt > 1 => {
                entry.at = d.at;
                entry.attempts = d.attempt;
                entry.outcome = d.outcome;
            }
            _ => sent.push(SentAlert {
                target: d.target,
                event: d.event,
                key: d.key,
                base_url: d.base_url,
                at: d.at,
                attempts: d.attempt.max(1),
                outcome: d.outcome,
            }),
        }
    }
    sent
}

impl SloReport {
    /// 1 when a URL breached the SLO, 0 otherwise (at risk included).
    pub fn exit_code(&self) -> u8 {
        u8::from(self.verdict == Verdict::Breached)
    }

    /// Where the observed part ends: the last observation plus one interval.
    pub fn observed_end(&self) -> Timestamp {
        self.observed_start.plus(self.observed)
    }
}

/// The SLO of every URL of a history; `None` when the window holds no observation.
pub fn compute(history: History, options: &SloOptions) -> Option<SloReport> {
    let end = history.observations.iter().map(|o| o.at).max()?;
    let start = end.minus(options.window);
    let in_maintenance = |at: Timestamp| {
        options
            .maintenance
            .iter()
            .any(|&(from, to)| from <= at && at < to)
    };
    // The whole history of each URL: a breach may lie in an earlier window.
    let mut by_url: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for observation in history.observations {
        if !in_maintenance(observation.at) {
            by_url
                .entry(observation.url.clone())
                .or_default()
                .push(observation);
        }
    }
    let budget = budget_of(options.window);
    let mut diagnostics = history.warnings;
    let mut windows: Vec<(String, Vec<Observation>, usize)> = Vec::new();
    for (url, mut observations) in by_url {
        observations.sort_by_key(|o| o.at);
        let first = observations.partition_point(|o| o.at < start);
        if first < observations.len() {
            windows.push((url, observations, first));
        }
    }
    let observed_start = windows.iter().map(|(_, o, first)| o[*first].at).min()?;
    let longest = windows
        .iter()
        .map(|(_, o, first)| cadence(&o[*first..]))
        .max()
        .unwrap_or(HEALTH_CHECK_INTERVAL);
    let observed = end.plus(longest).since(observed_start).min(options.window);
    let step = chart_step(observed, longest);
    let urls: Vec<UrlSlo> = windows
        .into_iter()
        .map(|(url, observations, first)| {
            url_slo(
                url,
                &observations,
                first,
                &Frame {
                    budget,
                    window: options.window,
                    end,
                    step,
                    objective: options.objective,
                },
            )
        })
        .collect();
    for url in urls.iter().filter(|url| url.verdict == Verdict::Breached) {
        let worst = url.worst_window;
        diagnostics.push(Diagnostic::new(
            &SLO_BREACHED,
            format!(
                "{}: the failures used {} in the {} to {}, more than the {} error budget (availability {} in the window)",
                url.url,
                crate::duration::human(worst.budget_used),
                crate::duration::human(options.window),
                worst.end,
                crate::duration::human(url.budget),
                percent(url.availability)
            ),
        ));
    }
    Some(SloReport {
        version: 1,
        verdict: urls
            .iter()
            .map(|u| u.verdict)
            .max()
            .unwrap_or(Verdict::WithinBudget),
        window_start: start,
        window_end: end,
        window: options.window,
        observed_start,
        observed,
        slo_percent: AVAILABILITY_SLO_PERCENT,
        objective_percent: options.objective,
        urls,
        step,
        diagnostics,
        alerts_sent: alerts_sent(history.deliveries, start),
    })
}

/// The charts' bucket: the shortest of `BUCKETS` that holds two observations at the cadence
/// and draws the observed span in at most `MAX_BUCKETS`.
fn chart_step(observed: Duration, cadence: Duration) -> Duration {
    BUCKETS
        .into_iter()
        .find(|&bucket| {
            bucket >= cadence * 2
                && observed.as_millis() <= bucket.as_millis() * MAX_BUCKETS as u128
        })
        .unwrap_or(BUCKETS[BUCKETS.len() - 1])
}

/// What every URL of a report shares.
struct Frame {
    budget: Duration,
    window: Duration,
    end: Timestamp,
    step: Duration,
    objective: Option<f64>,
}

/// How many times the rate that lasts the window `failed` over `span` spends the budget.
fn burn_rate(failed: Duration, span: Duration, frame: &Frame) -> f64 {
    if span.is_zero() {
        return 0.0;
    }
    (failed.as_secs_f64() / span.as_secs_f64())
        / (frame.budget.as_secs_f64() / frame.window.as_secs_f64())
}

/// An availability fraction as people read it: `99.998 %`.
pub fn percent(fraction: f64) -> String {
    // Truncated, not rounded: 99.8996 % must not read as the 99.9 % it misses.
    let thousandths = (fraction * 100_000.0).floor() / 1000.0;
    format!("{thousandths:.3} %")
}

/// The SLO of one URL: `all` its observations in time order, the window's from `first` on.
fn url_slo(url: String, all: &[Observation], first: usize, frame: &Frame) -> UrlSlo {
    let observations = &all[first..];
    let interval = cadence(observations);
    let good = observations.iter().filter(|o| o.success).count();
    let costs = |failures: usize| interval * u32::try_from(failures).unwrap_or(u32::MAX);
    let budget_used = costs(observations.len() - good);
    let last = observations[observations.len() - 1].at;
    let observed = last
        .plus(interval)
        .since(observations[0].at)
        .min(frame.window);
    let recent = observations
        .iter()
        .filter(|o| !o.success && last.since(o.at) < FAST_BURN_SPAN)
        .count();
    let burn_rate_last_hour = burn_rate(costs(recent), observed.min(FAST_BURN_SPAN), frame);
    let burn_rate = burn_rate(budget_used, observed, frame);
    // The report's own window, unless an earlier one held more failed time.
    let own = Window {
        start: frame.end.minus(frame.window),
        end: frame.end,
        budget_used,
    };
    let worst_window = worst_window(all, frame, costs)
        .filter(|worst| worst.budget_used > budget_used)
        .unwrap_or(own);
    let judge = |budget: Duration, burn_rate: f64, burn_rate_last_hour: f64| {
        if worst_window.budget_used > budget {
            Verdict::Breached
        } else if burn_rate > 1.0 || burn_rate_last_hour > FAST_BURN_RATE {
            Verdict::AtRisk
        } else {
            Verdict::WithinBudget
        }
    };
    let verdict = judge(frame.budget, burn_rate, burn_rate_last_hour);
    let objective = frame.objective.map(|percent| {
        let budget = objective_budget(frame.window, percent);
        // The same failed time spends a budget that is this many times smaller.
        let scale = frame.budget.as_secs_f64() / budget.as_secs_f64().max(f64::MIN_POSITIVE);
        ObjectiveSlo {
            percent,
            verdict: judge(budget, burn_rate * scale, burn_rate_last_hour * scale),
            budget,
            budget_used_percent: budget_used.as_secs_f64() / budget.as_secs_f64() * 100.0,
            worst_window_percent: worst_window.budget_used.as_secs_f64() / budget.as_secs_f64()
                * 100.0,
            burn_rate: burn_rate * scale,
            burn_rate_last_hour: burn_rate_last_hour * scale,
        }
    });
    UrlSlo {
        objective,
        base_url: observations.iter().find_map(|o| o.base_url.clone()),
        verdict,
        observations: observations.len(),
        good,
        availability: good as f64 / observations.len() as f64,
        interval,
        observed,
        budget: frame.budget,
        budget_used,
        burn_rate,
        burn_rate_last_hour,
        worst_window,
        incidents: incidents(observations, interval),
        alerts: alerts(observations),
        latency_ms: latency(observations.iter()),
        hours: series(observations, Duration::from_secs(3600)),
        buckets: series(observations, frame.step),
        url,
    }
}

/// The window of the SLO's length, ending at a failure, with the most failures in it (the
/// latest of equals); `None` when nothing failed.
fn worst_window(
    all: &[Observation],
    frame: &Frame,
    costs: impl Fn(usize) -> Duration,
) -> Option<Window> {
    let failures: Vec<Timestamp> = all.iter().filter(|o| !o.success).map(|o| o.at).collect();
    let mut worst: Option<(usize, Timestamp)> = None;
    let mut from = 0;
    for (to, &end) in failures.iter().enumerate() {
        let start = end.minus(frame.window);
        while failures[from] < start {
            from += 1;
        }
        let count = to + 1 - from;
        if worst.is_none_or(|(most, _)| count >= most) {
            worst = Some((count, end));
        }
    }
    worst.map(|(count, end)| Window {
        start: end.minus(frame.window),
        end,
        budget_used: costs(count),
    })
}

/// The median gap between consecutive observations (Atlassian's 60 s when there is no gap),
/// in whole seconds when it is within 1 % of them.
pub fn cadence(observations: &[Observation]) -> Duration {
    let mut gaps: Vec<i64> = observations
        .windows(2)
        .map(|pair| pair[1].at.0 - pair[0].at.0)
        .filter(|&gap| gap > 0)
        .collect();
    if gaps.is_empty() {
        return HEALTH_CHECK_INTERVAL;
    }
    let middle = gaps.len() / 2;
    let (_, median, _) = gaps.select_nth_unstable(middle);
    let median = u64::try_from(*median).unwrap_or(0);
    // Rounds drift by milliseconds: within 1 % of whole seconds, the cadence is those seconds.
    let whole = (median + 500) / 1000 * 1000;
    if whole > 0 && median.abs_diff(whole) * 100 <= whole {
        return Duration::from_millis(whole);
    }
    Duration::from_millis(median)
}

fn incidents(observations: &[Observation], interval: Duration) -> Vec<Incident> {
    let mut incidents: Vec<Incident> = Vec::new();
    let mut open: Option<Incident> = None;
    for observation in observations {
        match (&mut open, observation.success) {
            (None, false) => {
                let mut incident = Incident {
                    start: observation.at,
                    end: observation.at.plus(interval),
                    duration: Duration::ZERO,
                    failures: 1,
                    kinds: Vec::new(),
                    statuses: Vec::new(),
                };
                incident.note(observation.failure.as_deref(), observation.status);
                open = Some(incident);
            }
            (Some(incident), false) => {
                incident.failures += 1;
                incident.end = observation.at.plus(interval);
                incident.note(observation.failure.as_deref(), observation.status);
            }
            (Some(_), true) => {
                let mut incident = open.take().expect("matched Some");
                incident.end = observation.at;
                incidents.push(incident);
            }
            (None, true) => {}
        }
    }
    incidents.extend(open);
    for incident in &mut incidents {
        incident.duration = incident.end.since(incident.start);
    }
    incidents
}

/// Atlassian emails when at least one request failed in the last 15 minutes: one alert per
/// episode, an episode ending when 15 minutes pass without a failure.
fn alerts(observations: &[Observation]) -> Vec<Timestamp> {
    let mut alerts = Vec::new();
    let mut last_failure: Option<Timestamp> = None;
    for failure in observations.iter().filter(|o| !o.success) {
        if last_failure.is_none_or(|last| failure.at.since(last) > ALERT_WINDOW) {
            alerts.push(failure.at);
        }
        last_failure = Some(failure.at);
    }
    alerts
}

fn latency<'a>(observations: impl Iterator<Item = &'a Observation>) -> Option<LatencyMs> {
    let mut times: Vec<u64> = observations.filter_map(|o| o.total_ms).collect();
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    let rank = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Some(LatencyMs {
        p50: rank(0.50),
        p95: rank(0.95),
        max: times[times.len() - 1],
    })
}

/// The observations in buckets of `step`, aligned on multiples of it since the epoch (whole
/// hours, whole days in UTC); a bucket with no observation is left out.
fn series(observations: &[Observation], step: Duration) -> Vec<Bucket> {
    let step = i64::try_from(step.as_millis()).unwrap_or(i64::MAX).max(1);
    let bucket_of = |at: Timestamp| Timestamp(at.0.div_euclid(step) * step);
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut start = 0;
    while start < observations.len() {
        let bucket = bucket_of(observations[start].at);
        let end = start
            + observations[start..]
                .iter()
                .take_while(|o| bucket_of(o.at) == bucket)
                .count();
        let slice = &observations[start..end];
        buckets.push(Bucket {
            start: bucket,
            observations: slice.len(),
            good: slice.iter().filter(|o| o.success).count(),
            latency_ms: latency(slice.iter()),
        });
        start = end;
    }
    buckets
}

fn rfc3339<S: serde::Serializer>(at: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(at)
}

fn instants<S: serde::Serializer>(all: &[Timestamp], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        all.iter()
            .map(|at| serde_json::json!({ "at": at.to_string() })),
    )
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::at;

    fn observation(at: Timestamp, success: bool) -> Observation {
        Observation {
            at,
            url: "https://app.example.com/health".to_owned(),
            base_url: Some("https://app.example.com".to_owned()),
            success,
            failure: (!success).then(|| "status".to_owned()),
            status: Some(if success { 200 } else { 503 }),
            total_ms: Some(100),
        }
    }

    /// One observation a minute for 28 days, failing at the given minutes.
    fn month(failing: &[usize]) -> History {
        let start = at(2026, 10, 28, 0, 0);
        History {
            observations: (0..28 * 24 * 60)
                .map(|minute| {
                    observation(
                        start.plus(Duration::from_secs(60 * minute as u64)),
                        !failing.contains(&minute),
                    )
                })
                .collect(),
            warnings: Vec::new(),
            deliveries: Vec::new(),
        }
    }

    #[test]
    fn one_failed_minute_in_28_days_is_0_0025_percent_and_one_minute_of_budget() {
        let report = compute(month(&[1000]), &SloOptions::default()).unwrap();
        let url = &report.urls[0];
        assert_eq!(url.observations, 40_320);
        assert_eq!(url.good, 40_319);
        assert_eq!(percent(1.0 - url.availability), "0.002 %");
        assert!((1.0 - url.availability - 0.000_024_8).abs() < 1e-7);
        assert_eq!(url.interval, Duration::from_secs(60));
        assert_eq!(url.budget_used, Duration::from_secs(60));
        assert_eq!(url.budget.as_millis(), 2_419_200);
        assert_eq!(url.incidents.len(), 1);
        assert_eq!(url.incidents[0].duration, Duration::from_secs(60));
        assert_eq!(url.alerts.len(), 1);
        assert_eq!(url.verdict, Verdict::WithinBudget);
        assert_eq!(url.observed, SLO_WINDOW);
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn failures_10_minutes_apart_are_one_alert_and_20_minutes_apart_two() {
        let report = compute(month(&[100, 110]), &SloOptions::default()).unwrap();
        assert_eq!(report.urls[0].alerts.len(), 1);
        assert_eq!(report.urls[0].incidents.len(), 2);
        let report = compute(month(&[100, 120]), &SloOptions::default()).unwrap();
        assert_eq!(report.urls[0].alerts.len(), 2);
    }

    #[test]
    fn forty_one_failed_minutes_breach_the_slo_and_forty_do_not() {
        let forty: Vec<usize> = (0..40).map(|i| i * 100).collect();
        let report = compute(month(&forty), &SloOptions::default()).unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
        assert_eq!(report.exit_code(), 0);
        let forty_one: Vec<usize> = (0..41).map(|i| i * 100).collect();
        let report = compute(month(&forty_one), &SloOptions::default()).unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::Breached);
        assert_eq!(report.verdict, Verdict::Breached);
        assert_eq!(percent(report.urls[0].availability), "99.898 %");
        assert_eq!(report.exit_code(), 1);
        assert_eq!(report.diagnostics[0].code, "CF753");
    }

    #[test]
    fn maintenance_is_excluded_and_the_window_ends_at_the_last_observation() {
        let start = at(2026, 10, 28, 0, 0);
        let options = SloOptions {
            window: Duration::from_secs(24 * 3600),
            maintenance: vec![(
                start.plus(Duration::from_secs(27 * 86_400)),
                start.plus(Duration::from_secs(27 * 86_400 + 3600)),
            )],
            ..SloOptions::default()
        };
        let failing: Vec<usize> = (27 * 1440..27 * 1440 + 60).collect();
        let report = compute(month(&failing), &options).unwrap();
        assert_eq!(report.urls[0].observations, 24 * 60 - 60 + 1);
        assert_eq!(report.urls[0].good, report.urls[0].observations);
    }

    #[test]
    fn thirty_failed_minutes_breach_a_99_95_objective_and_not_the_programs_99_9() {
        let thirty: Vec<usize> = (0..30).map(|i| i * 100).collect();
        let options = SloOptions {
            objective: Some(99.95),
            ..SloOptions::default()
        };
        let report = compute(month(&thirty), &options).unwrap();
        let url = &report.urls[0];
        assert_eq!(url.verdict, Verdict::WithinBudget);
        assert_eq!(report.exit_code(), 0, "the exit code stays the program's");
        let objective = url.objective.as_ref().unwrap();
        assert_eq!(objective.budget.as_millis(), 1_209_600);
        assert_eq!(objective.verdict, Verdict::Breached);
        assert!((objective.burn_rate - 2.0 * url.burn_rate).abs() < 1e-9);
        assert_eq!(report.objective_percent, Some(99.95));
        let plain = compute(month(&thirty), &SloOptions::default()).unwrap();
        assert!(plain.urls[0].objective.is_none());
    }

    #[test]
    fn a_three_minute_outage_is_one_incident_of_three_minutes() {
        let report = compute(month(&[500, 501, 502]), &SloOptions::default()).unwrap();
        let incident = &report.urls[0].incidents[0];
        assert_eq!(incident.failures, 3);
        assert_eq!(incident.duration, Duration::from_secs(180));
        assert_eq!(incident.kinds, ["status"]);
        assert_eq!(incident.statuses, [503]);
    }

    /// `count` observations `every` apart from 2026-11-18 00:00, failing at the given indexes.
    fn history(count: usize, every: Duration, failing: &[usize]) -> History {
        let start = at(2026, 11, 18, 0, 0);
        History {
            observations: (0..count)
                .map(|i| observation(start.plus(every * i as u32), !failing.contains(&i)))
                .collect(),
            warnings: Vec::new(),
            deliveries: Vec::new(),
        }
    }

    #[test]
    fn the_budget_is_the_programs_and_in_proportion_for_another_window() {
        assert_eq!(budget_of(SLO_WINDOW), crate::program::error_budget());
        assert_eq!(
            budget_of(SLO_WINDOW / 4).as_millis(),
            crate::program::error_budget().as_millis() / 4
        );
    }

    #[test]
    fn one_good_minute_is_within_budget_and_observed_for_one_minute() {
        let report = compute(
            history(1, HEALTH_CHECK_INTERVAL, &[]),
            &SloOptions::default(),
        )
        .unwrap();
        assert_eq!(report.verdict, Verdict::WithinBudget);
        assert_eq!(report.observed, Duration::from_secs(60));
        assert_eq!(report.exit_code(), 0);
        // One failed minute of one minute spends the budget a thousand times too fast.
        let report = compute(
            history(1, HEALTH_CHECK_INTERVAL, &[0]),
            &SloOptions::default(),
        )
        .unwrap();
        assert_eq!(report.verdict, Verdict::AtRisk);
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn two_failed_minutes_in_a_day_are_at_risk_not_a_breach() {
        let report = compute(
            history(1440, HEALTH_CHECK_INTERVAL, &[600, 1200]),
            &SloOptions::default(),
        )
        .unwrap();
        let url = &report.urls[0];
        assert_eq!(percent(url.availability), "99.861 %");
        assert_eq!(url.budget_used, Duration::from_secs(120));
        assert_eq!(url.observed, Duration::from_secs(86_400));
        assert_eq!(report.observed, Duration::from_secs(86_400));
        // 5 % of the budget in 1/28 of the window: 1.4 times the rate that lasts it.
        assert!(
            (url.burn_rate - 120.0 / 86.4).abs() < 1e-9,
            "{}",
            url.burn_rate
        );
        assert_eq!(url.verdict, Verdict::AtRisk);
        assert_eq!(report.exit_code(), 0);
        // One failed minute in a day is 0.69x: within budget.
        let report = compute(
            history(1440, HEALTH_CHECK_INTERVAL, &[600]),
            &SloOptions::default(),
        )
        .unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
    }

    #[test]
    fn a_fast_burn_in_the_last_hour_is_at_risk_and_the_same_failures_a_month_ago_are_not() {
        let last = 28 * 24 * 60 - 1;
        let recent: Vec<usize> = (last - 4..=last).collect();
        let report = compute(month(&recent), &SloOptions::default()).unwrap();
        let url = &report.urls[0];
        assert!(url.burn_rate < 1.0);
        assert!(url.burn_rate_last_hour > FAST_BURN_RATE);
        assert_eq!(url.verdict, Verdict::AtRisk);
        let report = compute(month(&[0, 1, 2, 3, 4]), &SloOptions::default()).unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
    }

    #[test]
    fn a_breach_in_an_earlier_window_of_the_history_is_a_breach() {
        // 60 days, 45 minutes down on day 5, nothing since.
        let down: Vec<usize> = (5 * 1440..5 * 1440 + 45).collect();
        let report = compute(
            history(60 * 1440, HEALTH_CHECK_INTERVAL, &down),
            &SloOptions::default(),
        )
        .unwrap();
        let url = &report.urls[0];
        assert_eq!(url.budget_used, Duration::ZERO);
        assert_eq!(url.worst_window.budget_used, Duration::from_secs(45 * 60));
        assert_eq!(
            url.worst_window.end,
            at(2026, 11, 23, 0, 44),
            "the window ending at the last failure"
        );
        assert_eq!(url.verdict, Verdict::Breached);
        assert_eq!(report.exit_code(), 1);
        assert_eq!(report.diagnostics[0].code, "CF753");
    }

    #[test]
    fn charts_use_minutes_for_short_histories_and_hours_for_a_month() {
        let step = |count: usize, every: u64| {
            compute(
                history(count, Duration::from_secs(every), &[]),
                &SloOptions::default(),
            )
            .unwrap()
            .step
        };
        assert_eq!(step(6, 10), Duration::from_secs(60));
        assert_eq!(step(60, 10), Duration::from_secs(60));
        assert_eq!(step(60, 60), Duration::from_secs(300));
        assert_eq!(step(1440, 60), Duration::from_secs(300));
        assert_eq!(step(28 * 1440, 60), Duration::from_secs(3600));
    }

    #[test]
    fn a_cadence_within_one_percent_of_whole_seconds_is_those_seconds() {
        let start = at(2026, 11, 18, 0, 0);
        let drifting: Vec<Observation> = (0..10)
            .map(|i| observation(start.plus(Duration::from_millis(10_037 * i)), true))
            .collect();
        assert_eq!(cadence(&drifting), Duration::from_secs(10));
        let half: Vec<Observation> = (0..10)
            .map(|i| observation(start.plus(Duration::from_millis(2500 * i)), true))
            .collect();
        assert_eq!(cadence(&half), Duration::from_millis(2500));
    }
}

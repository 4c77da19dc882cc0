//! The 28-day SLO of a monitor history, computed as Atlassian computes it: per health check
//! URL, the error budget of the window (0.1 % of it, 40 min 19.2 s in 28 days) and the failed
//! time that spent it (each failed observation costs one interval), the verdict that follows
//! (breached, at risk, within budget), how much of the window the history covers, the
//! availability of that observed part, the incidents, and the alerts Atlassian would have
//! emailed (one per 15-minute episode).

use std::time::Duration;

use serde::Serialize;

use crate::badge::history::{Delivery, DeliveryEvent, History, Outcome, Point};
use crate::diagnostic::Diagnostic;
use crate::program::{
    AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, SLO_WINDOW,
};
use crate::ticket::registry::slo::SLO_BREACHED;
use crate::timestamp::Timestamp;

pub use crate::program::FAST_BURN_RATE;

pub mod forge;
mod input;
mod year;
pub use input::budget_of;
pub use input::{
    Earlier, Incident, IncidentBuilder, SeriesData, SloInput, SpanOptions, cadence, cadence_of,
    from_jsonl, from_store, incidents,
};
use input::{alerts_of, seconds};
pub use year::{
    YearApp, YearDay, YearEmail, YearOptions, YearReport, YearUrl, YearWindow, observations_in,
    year_from_store,
};

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
    pub burn_rate: f64,
    pub burn_rate_last_hour: f64,
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
    pub start: Timestamp,
    pub observations: usize,
    pub good: usize,
    pub latency_ms: Option<LatencyMs>,
}

/// The SLO of one health check URL in the window.
#[derive(Debug, Clone, Serialize)]
pub struct UrlSlo {
    pub url: String,
    /// The app it belongs to, when the store holds several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    pub base_url: Option<String>,
    /// A Forge app's remote: its health check is the partner's own watch; Atlassian documents
    /// no health check, and no SLO-breach email, for Forge. The alerts are what the same
    /// arithmetic raises, not emails.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forge: bool,
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
    /// Earlier 28-day windows whose failed time exceeded the budget, in the span looked at
    /// (`--since`): listed, never today's verdict.
    pub past_breaches: Vec<PastBreach>,
    /// The whole span asked for, when it reaches back before the current window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<SpanSummary>,
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
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    #[serde(rename = "window_s", serialize_with = "seconds")]
    pub window: Duration,
    /// The first observation in the window.
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
    pub event: DeliveryEvent,
    pub key: String,
    pub base_url: Option<String>,
    /// When the last attempt ended.
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
    /// 1 when a URL's current window breached the SLO, 0 otherwise (at risk included; past
    /// breaches never decide it).
    pub fn exit_code(&self) -> u8 {
        u8::from(self.verdict == Verdict::Breached)
    }

    /// Where the observed part ends: the last observation plus one interval.
    pub fn observed_end(&self) -> Timestamp {
        self.observed_start.plus(self.observed)
    }
}

/// A past 28-day window whose failed time exceeded the budget: history, never today's
/// verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastBreach {
    /// The window with the most failed time in this episode.
    pub start: Timestamp,
    pub end: Timestamp,
    #[serde(rename = "failed_s", serialize_with = "seconds")]
    pub failed: Duration,
    /// When the window's failed time first exceeded the budget: Atlassian's SLO-breach email
    /// would have gone out then.
    pub emailed_at: Timestamp,
}

/// A URL over the whole span asked for (`--since`), beside its current window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanSummary {
    pub start: Timestamp,
    pub end: Timestamp,
    pub observations: u64,
    pub good: u64,
    pub availability: f64,
    #[serde(rename = "failed_s", serialize_with = "seconds")]
    pub failed: Duration,
    pub incidents: usize,
    /// Alerts Atlassian would have emailed in the span (one per 15-minute episode).
    pub alerts: usize,
}

/// Is `at` inside announced maintenance?
fn in_maintenance(options: &SloOptions, at: Timestamp) -> bool {
    options
        .maintenance
        .iter()
        .any(|&(from, to)| from <= at && at < to)
}

/// The SLO of every URL of a history; `None` when the window holds no observation.
pub fn compute(mut input: SloInput, options: &SloOptions) -> Option<SloReport> {
    let end = input.end;
    let start = end.minus(options.window);
    for series in &mut input.series {
        series.window.retain(|p| !in_maintenance(options, p.at));
        series
            .earlier
            .failures
            .retain(|&at| !in_maintenance(options, at));
    }
    let windows: Vec<SeriesData> = input
        .series
        .into_iter()
        .filter(|s| !s.window.is_empty())
        .collect();
    let observed_start = windows.iter().map(|s| s.window[0].at).min()?;
    let longest = windows
        .iter()
        .map(|s| cadence_of(s.window.iter().map(|p| p.at)))
        .max()
        .unwrap_or(HEALTH_CHECK_INTERVAL);
    let last = windows
        .iter()
        .map(|s| s.window[s.window.len() - 1].at)
        .max()?;
    let observed = last.plus(longest).since(observed_start).min(options.window);
    let step = chart_step(observed, longest);
    let frame = Frame {
        budget: budget_of(options.window),
        window: options.window,
        end,
        span_start: input.span_start.min(start),
        step,
        objective: options.objective,
    };
    let urls: Vec<UrlSlo> = windows.into_iter().map(|s| url_slo(s, &frame)).collect();
    let mut diagnostics = input.warnings;
    for url in urls.iter().filter(|url| url.verdict == Verdict::Breached) {
        diagnostics.push(Diagnostic::new(
            &SLO_BREACHED,
            format!(
                "{}: the failures used {} in the {} to {}, more than the {} error budget (availability {} in the window)",
                url.url,
                crate::duration::human(url.budget_used),
                crate::duration::human(options.window),
                end,
                crate::duration::human(url.budget),
                percent(url.availability)
            ),
        ));
    }
    Some(SloReport {
        version: REPORT_VERSION,
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
        alerts_sent: alerts_sent(input.deliveries, start),
    })
}

/// The JSON report's `version`: 2 since the verdict judges the current window only (0.4).
pub const REPORT_VERSION: u64 = 2;

/// The SLO of an in-memory history (tests, `monitor`'s closing summary of a short run): the
/// window ends just after its last observation unless `at` is given.
pub fn compute_history(
    history: History,
    options: &SloOptions,
    at: Option<Timestamp>,
) -> Option<SloReport> {
    let end = at.unwrap_or(Timestamp(
        history.observations.iter().map(|o| o.at.0).max()? + 1,
    ));
    let mut builder = input::InputBuilder::new(&SpanOptions {
        end,
        span_start: end.minus(options.window),
        window: options.window,
        app: None,
    });
    for observation in history.observations {
        builder.push(&observation);
    }
    compute(
        builder.finish(history.deliveries, history.warnings),
        options,
    )
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
    span_start: Timestamp,
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

/// The SLO of one URL: its current window judged, its span before the window summed up.
fn url_slo(series: SeriesData, frame: &Frame) -> UrlSlo {
    let observations = &series.window;
    let interval = cadence_of(observations.iter().map(|p| p.at));
    let good = observations.iter().filter(|p| p.success()).count();
    let costs = |failures: usize| interval * u32::try_from(failures).unwrap_or(u32::MAX);
    let budget_used = costs(observations.len() - good);
    let last = observations[observations.len() - 1].at;
    let observed = last
        .plus(interval)
        .since(observations[0].at)
        .min(frame.window);
    let recent = observations
        .iter()
        .filter(|p| !p.success() && last.since(p.at) < FAST_BURN_SPAN)
        .count();
    let burn_rate_last_hour = burn_rate(costs(recent), observed.min(FAST_BURN_SPAN), frame);
    let burn_rate = burn_rate(budget_used, observed, frame);
    let judge = |budget: Duration, burn_rate: f64, burn_rate_last_hour: f64| {
        if budget_used > budget {
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
            burn_rate: burn_rate * scale,
            burn_rate_last_hour: burn_rate_last_hour * scale,
        }
    });
    let earlier = &series.earlier;
    let earlier_interval = earlier.interval.unwrap_or(interval);
    let window_failures: Vec<Timestamp> = observations
        .iter()
        .filter(|p| !p.success())
        .map(|p| p.at)
        .collect();
    let past_breaches = past_breaches(
        &earlier.failures,
        earlier_interval,
        &window_failures,
        interval,
        frame,
    );
    let previous_failure = earlier.failures.last().copied();
    let window_incidents = incidents(observations, interval);
    let alerts = alerts(&window_failures, previous_failure);
    let span = (frame.span_start < frame.end.minus(frame.window)).then(|| {
        let span_failures = earlier
            .failures
            .iter()
            .filter(|&&at| at >= frame.span_start)
            .count();
        let earlier_alerts = alerts_of(
            earlier
                .failures
                .iter()
                .copied()
                .filter(|&at| at >= frame.span_start),
            None,
        );
        let observations = earlier.observations + observations.len() as u64;
        let good = earlier.good + good as u64;
        SpanSummary {
            start: frame.span_start,
            end: frame.end,
            observations,
            good,
            availability: if observations == 0 {
                1.0
            } else {
                good as f64 / observations as f64
            },
            failed: earlier_interval * u32::try_from(span_failures).unwrap_or(u32::MAX)
                + budget_used,
            incidents: earlier.incidents.len() + window_incidents.len(),
            alerts: earlier_alerts.len() + alerts.len(),
        }
    });
    UrlSlo {
        objective,
        forge: series.forge,
        app: (!series.app.is_empty()).then(|| series.app.clone()),
        base_url: series.base_url.clone(),
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
        past_breaches,
        span,
        incidents: window_incidents,
        alerts,
        latency_ms: latency(observations.iter()),
        hours: series_buckets(observations, Duration::from_secs(3600)),
        buckets: series_buckets(observations, frame.step),
        url: series.url,
    }
}

/// The episodes in which a window's failed time exceeded the budget, before the current
/// window's verdict: each with its worst window and the moment Atlassian would have emailed.
/// The window sum changes only at a failure, so the windows that end at failures are the only
/// ones to look at. An episode still open at the end is the current window's, not a past one.
fn past_breaches(
    earlier: &[Timestamp],
    earlier_interval: Duration,
    current: &[Timestamp],
    interval: Duration,
    frame: &Frame,
) -> Vec<PastBreach> {
    let costs: Vec<(Timestamp, Duration)> = earlier
        .iter()
        .map(|&at| (at, earlier_interval))
        .chain(current.iter().map(|&at| (at, interval)))
        .collect();
    let mut breaches: Vec<PastBreach> = Vec::new();
    let mut open: Option<PastBreach> = None;
    let mut sum = Duration::ZERO;
    let mut from = 0;
    for (to, &(end, cost)) in costs.iter().enumerate() {
        sum += cost;
        let start = end.minus(frame.window);
        while costs[from].0 <= start {
            sum = sum.saturating_sub(costs[from].1);
            from += 1;
        }
        let _ = to;
        if sum > frame.budget {
            match &mut open {
                Some(breach) if sum > breach.failed => {
                    breach.start = start;
                    breach.end = end;
                    breach.failed = sum;
                }
                Some(_) => {}
                None => {
                    open = Some(PastBreach {
                        start,
                        end,
                        failed: sum,
                        emailed_at: end,
                    });
                }
            }
        } else if let Some(breach) = open.take() {
            breaches.push(breach);
        }
    }
    // An episode whose last exceeding window is still inside the current window is today's.
    if let Some(breach) = open {
        let still = costs
            .iter()
            .filter(|(at, _)| *at > frame.end.minus(frame.window))
            .map(|(_, cost)| *cost)
            .sum::<Duration>()
            > frame.budget;
        if !still {
            breaches.push(breach);
        }
    }
    breaches.retain(|b| b.emailed_at >= frame.span_start);
    breaches
}

/// Atlassian emails when at least one request failed in the last 15 minutes: one alert per
/// episode, an episode ending when 15 minutes pass without a failure. `previous` is the last
/// failure before these, which may continue an episode.
fn alerts(failures: &[Timestamp], previous: Option<Timestamp>) -> Vec<Timestamp> {
    alerts_of(failures.iter().copied(), previous)
}

fn latency<'a>(points: impl Iterator<Item = &'a Point>) -> Option<LatencyMs> {
    let mut times: Vec<u64> = points.filter_map(|p| p.total_ms.map(u64::from)).collect();
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
fn series_buckets(points: &[Point], step: Duration) -> Vec<Bucket> {
    let step = i64::try_from(step.as_millis()).unwrap_or(i64::MAX).max(1);
    let bucket_of = |at: Timestamp| Timestamp(at.0.div_euclid(step) * step);
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let bucket = bucket_of(points[start].at);
        let end = start
            + points[start..]
                .iter()
                .take_while(|p| bucket_of(p.at) == bucket)
                .count();
        let slice = &points[start..end];
        buckets.push(Bucket {
            start: bucket,
            observations: slice.len(),
            good: slice.iter().filter(|p| p.success()).count(),
            latency_ms: latency(slice.iter()),
        });
        start = end;
    }
    buckets
}

fn instants<S: serde::Serializer>(all: &[Timestamp], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        all.iter()
            .map(|at| serde_json::json!({ "at": at.to_string() })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::history::Observation;
    use crate::timestamp::at;

    fn observation(at: Timestamp, success: bool) -> Observation {
        Observation {
            app: None,
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
        let report = compute_history(month(&[1000]), &SloOptions::default(), None).unwrap();
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
        let report = compute_history(month(&[100, 110]), &SloOptions::default(), None).unwrap();
        assert_eq!(report.urls[0].alerts.len(), 1);
        assert_eq!(report.urls[0].incidents.len(), 2);
        let report = compute_history(month(&[100, 120]), &SloOptions::default(), None).unwrap();
        assert_eq!(report.urls[0].alerts.len(), 2);
    }

    #[test]
    fn forty_one_failed_minutes_breach_the_slo_and_forty_do_not() {
        let forty: Vec<usize> = (0..40).map(|i| i * 100).collect();
        let report = compute_history(month(&forty), &SloOptions::default(), None).unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
        assert_eq!(report.exit_code(), 0);
        let forty_one: Vec<usize> = (0..41).map(|i| i * 100).collect();
        let report = compute_history(month(&forty_one), &SloOptions::default(), None).unwrap();
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
        let report = compute_history(month(&failing), &options, None).unwrap();
        // [end - 24h, end): the observation exactly 24h before the end is outside.
        assert_eq!(report.urls[0].observations, 24 * 60 - 60);
        assert_eq!(report.urls[0].good, report.urls[0].observations);
    }

    #[test]
    fn thirty_failed_minutes_breach_a_99_95_objective_and_not_the_programs_99_9() {
        let thirty: Vec<usize> = (0..30).map(|i| i * 100).collect();
        let options = SloOptions {
            objective: Some(99.95),
            ..SloOptions::default()
        };
        let report = compute_history(month(&thirty), &options, None).unwrap();
        let url = &report.urls[0];
        assert_eq!(url.verdict, Verdict::WithinBudget);
        assert_eq!(report.exit_code(), 0, "the exit code stays the program's");
        let objective = url.objective.as_ref().unwrap();
        assert_eq!(objective.budget.as_millis(), 1_209_600);
        assert_eq!(objective.verdict, Verdict::Breached);
        assert!((objective.burn_rate - 2.0 * url.burn_rate).abs() < 1e-9);
        assert_eq!(report.objective_percent, Some(99.95));
        let plain = compute_history(month(&thirty), &SloOptions::default(), None).unwrap();
        assert!(plain.urls[0].objective.is_none());
    }

    #[test]
    fn a_three_minute_outage_is_one_incident_of_three_minutes() {
        let report =
            compute_history(month(&[500, 501, 502]), &SloOptions::default(), None).unwrap();
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
        let report = compute_history(
            history(1, HEALTH_CHECK_INTERVAL, &[]),
            &SloOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(report.verdict, Verdict::WithinBudget);
        assert_eq!(report.observed, Duration::from_secs(60));
        assert_eq!(report.exit_code(), 0);
        // One failed minute of one minute spends the budget a thousand times too fast.
        let report = compute_history(
            history(1, HEALTH_CHECK_INTERVAL, &[0]),
            &SloOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(report.verdict, Verdict::AtRisk);
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn two_failed_minutes_in_a_day_are_at_risk_not_a_breach() {
        let report = compute_history(
            history(1440, HEALTH_CHECK_INTERVAL, &[600, 1200]),
            &SloOptions::default(),
            None,
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
        let report = compute_history(
            history(1440, HEALTH_CHECK_INTERVAL, &[600]),
            &SloOptions::default(),
            None,
        )
        .unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
    }

    #[test]
    fn a_fast_burn_in_the_last_hour_is_at_risk_and_the_same_failures_a_month_ago_are_not() {
        let last = 28 * 24 * 60 - 1;
        let recent: Vec<usize> = (last - 4..=last).collect();
        let report = compute_history(month(&recent), &SloOptions::default(), None).unwrap();
        let url = &report.urls[0];
        assert!(url.burn_rate < 1.0);
        assert!(url.burn_rate_last_hour > FAST_BURN_RATE);
        assert_eq!(url.verdict, Verdict::AtRisk);
        let report =
            compute_history(month(&[0, 1, 2, 3, 4]), &SloOptions::default(), None).unwrap();
        assert_eq!(report.urls[0].verdict, Verdict::WithinBudget);
    }

    #[test]
    fn a_breach_in_an_earlier_window_is_a_past_breach_and_not_todays_verdict() {
        // 60 days, 45 minutes down on day 5, nothing since: the window that ends now is clean.
        let down: Vec<usize> = (5 * 1440..5 * 1440 + 45).collect();
        let history = history(60 * 1440, HEALTH_CHECK_INTERVAL, &down);
        let end = at(2026, 11, 18, 0, 0).plus(Duration::from_secs(60 * 86_400));
        let mut builder = input::InputBuilder::new(&SpanOptions {
            end,
            span_start: end.minus(Duration::from_secs(60 * 86_400)),
            window: SLO_WINDOW,
            app: None,
        });
        for observation in &history.observations {
            builder.push(observation);
        }
        let report = compute(
            builder.finish(Vec::new(), Vec::new()),
            &SloOptions::default(),
        )
        .unwrap();
        let url = &report.urls[0];
        assert_eq!(url.budget_used, Duration::ZERO);
        assert_eq!(url.verdict, Verdict::WithinBudget);
        assert_eq!(report.exit_code(), 0);
        assert_eq!(url.past_breaches.len(), 1);
        let breach = &url.past_breaches[0];
        assert_eq!(breach.failed, Duration::from_secs(45 * 60));
        // The 41st failed minute made the window exceed 40m 19.2s: Atlassian emails then.
        assert_eq!(breach.emailed_at, at(2026, 11, 23, 0, 40));
        assert_eq!(
            breach.end,
            at(2026, 11, 23, 0, 44),
            "the window ending at the last failure"
        );
        let span = url.span.as_ref().unwrap();
        assert_eq!(span.observations, 60 * 1440);
        assert_eq!(span.failed, Duration::from_secs(45 * 60));
        assert_eq!((span.incidents, span.alerts), (1, 1));
        assert!(report.diagnostics.is_empty(), "no CF753 for a past breach");
    }

    #[test]
    fn charts_use_minutes_for_short_histories_and_hours_for_a_month() {
        let step = |count: usize, every: u64| {
            compute_history(
                history(count, Duration::from_secs(every), &[]),
                &SloOptions::default(),
                None,
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

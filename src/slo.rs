//! The 28-day SLO of a monitor history, computed as Atlassian computes it: per health check
//! URL, good observations over all observations in the window, the error budget (0.1 % of the
//! window) and what the failures used of it (each failed observation costs one interval), the
//! incidents, and the alerts Atlassian would have emailed (one per 15-minute episode).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::history::{History, Observation};
use crate::program::{
    ALERT_WINDOW, AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, SLO_WINDOW,
};
use crate::registry::slo::SLO_BREACHED;
use crate::timestamp::Timestamp;

/// How the SLO is read from a history.
#[derive(Debug, Clone)]
pub struct SloOptions {
    /// The SLO window, ending at the last observation (28 days).
    pub window: Duration,
    /// Announced maintenance, excluded: [start, end) intervals.
    pub maintenance: Vec<(Timestamp, Timestamp)>,
}

impl Default for SloOptions {
    fn default() -> Self {
        SloOptions {
            window: SLO_WINDOW,
            maintenance: Vec::new(),
        }
    }
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
}

/// Latency of the observations that got a whole response, in milliseconds (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LatencyMs {
    pub p50: u64,
    pub p95: u64,
    pub max: u64,
}

/// One hour of one URL: observations, good ones, and latency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hour {
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    pub observations: usize,
    pub good: usize,
    pub latency_ms: Option<LatencyMs>,
}

/// The SLO of one health check URL in the window.
#[derive(Debug, Clone, Serialize)]
pub struct UrlSlo {
    pub url: String,
    pub base_url: Option<String>,
    pub observations: usize,
    pub good: usize,
    /// Good over all, as a fraction (0.999 is the SLO).
    pub availability: f64,
    /// The monitor's cadence, read from the history (the median gap between observations).
    #[serde(rename = "interval_s", serialize_with = "seconds")]
    pub interval: Duration,
    #[serde(rename = "budget_s", serialize_with = "seconds")]
    pub budget: Duration,
    #[serde(rename = "budget_used_s", serialize_with = "seconds")]
    pub budget_used: Duration,
    pub incidents: Vec<Incident>,
    /// When Atlassian would have emailed the SLO-breach mailbox.
    #[serde(serialize_with = "instants")]
    pub alerts: Vec<Timestamp>,
    pub latency_ms: Option<LatencyMs>,
    /// Hour by hour, for the sparkline and the charts.
    pub hours: Vec<Hour>,
}

impl UrlSlo {
    pub fn meets_slo(&self) -> bool {
        self.availability * 100.0 >= AVAILABILITY_SLO_PERCENT
    }

    /// Milliseconds left to the 3-second limit at p95.
    pub fn headroom_ms(&self) -> Option<i64> {
        let limit = i64::try_from(HEALTH_CHECK_TIMEOUT.as_millis()).unwrap_or(i64::MAX);
        self.latency_ms
            .map(|l| limit - i64::try_from(l.p95).unwrap_or(i64::MAX))
    }
}

/// The SLO report of a history.
#[derive(Debug, Clone, Serialize)]
pub struct SloReport {
    pub version: u64,
    #[serde(serialize_with = "rfc3339")]
    pub window_start: Timestamp,
    #[serde(serialize_with = "rfc3339")]
    pub window_end: Timestamp,
    #[serde(rename = "window_s", serialize_with = "seconds")]
    pub window: Duration,
    pub slo_percent: f64,
    pub urls: Vec<UrlSlo>,
    /// Skipped lines of the history, and the SLO breaches.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl SloReport {
    /// 1 when a URL misses the SLO, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.urls.iter().any(|url| !url.meets_slo()))
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
    let mut by_url: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for observation in history.observations {
        if observation.at >= start && !in_maintenance(observation.at) {
            by_url
                .entry(observation.url.clone())
                .or_default()
                .push(observation);
        }
    }
    let budget = options
        .window
        .mul_f64((100.0 - AVAILABILITY_SLO_PERCENT) / 100.0);
    let mut diagnostics = history.warnings;
    let urls: Vec<UrlSlo> = by_url
        .into_iter()
        .map(|(url, mut observations)| {
            observations.sort_by_key(|o| o.at);
            url_slo(url, &observations, budget)
        })
        .collect();
    for url in urls.iter().filter(|url| !url.meets_slo()) {
        diagnostics.push(Diagnostic::new(
            &SLO_BREACHED,
            format!(
                "{}: availability {} is under {AVAILABILITY_SLO_PERCENT} % in the window: the failures used {} of the {} error budget",
                url.url,
                percent(url.availability),
                crate::duration::human(url.budget_used),
                crate::duration::human(url.budget)
            ),
        ));
    }
    Some(SloReport {
        version: 1,
        window_start: start,
        window_end: end,
        window: options.window,
        slo_percent: AVAILABILITY_SLO_PERCENT,
        urls,
        diagnostics,
    })
}

/// An availability fraction as people read it: `99.998 %`.
pub fn percent(fraction: f64) -> String {
    // Truncated, not rounded: 99.8996 % must not read as the 99.9 % it misses.
    let thousandths = (fraction * 100_000.0).floor() / 1000.0;
    format!("{thousandths:.3} %")
}

fn url_slo(url: String, observations: &[Observation], budget: Duration) -> UrlSlo {
    let interval = cadence(observations);
    let good = observations.iter().filter(|o| o.success).count();
    let failed = observations.len() - good;
    UrlSlo {
        base_url: observations.iter().find_map(|o| o.base_url.clone()),
        observations: observations.len(),
        good,
        availability: good as f64 / observations.len() as f64,
        interval,
        budget,
        budget_used: interval * u32::try_from(failed).unwrap_or(u32::MAX),
        incidents: incidents(observations, interval),
        alerts: alerts(observations),
        latency_ms: latency(observations.iter()),
        hours: hours(observations),
        url,
    }
}

/// The median gap between consecutive observations (Atlassian's 60 s when there is no gap).
fn cadence(observations: &[Observation]) -> Duration {
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
    Duration::from_millis(u64::try_from(*median).unwrap_or(0))
}

fn incidents(observations: &[Observation], interval: Duration) -> Vec<Incident> {
    let mut incidents: Vec<Incident> = Vec::new();
    let mut open: Option<Incident> = None;
    for observation in observations {
        match (&mut open, observation.success) {
            (None, false) => {
                open = Some(Incident {
                    start: observation.at,
                    end: observation.at.plus(interval),
                    duration: Duration::ZERO,
                    failures: 1,
                    kinds: observation.failure.iter().cloned().collect(),
                });
            }
            (Some(incident), false) => {
                incident.failures += 1;
                incident.end = observation.at.plus(interval);
                if let Some(kind) = &observation.failure
                    && !incident.kinds.contains(kind)
                {
                    incident.kinds.push(kind.clone());
                }
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

fn hours(observations: &[Observation]) -> Vec<Hour> {
    let mut hours: Vec<Hour> = Vec::new();
    let mut start = 0;
    while start < observations.len() {
        let hour = observations[start].at.hour();
        let end = start
            + observations[start..]
                .iter()
                .take_while(|o| o.at.hour() == hour)
                .count();
        let slice = &observations[start..end];
        hours.push(Hour {
            start: hour,
            observations: slice.len(),
            good: slice.iter().filter(|o| o.success).count(),
            latency_ms: latency(slice.iter()),
        });
        start = end;
    }
    hours
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
        assert!(url.meets_slo());
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
        assert!(compute(month(&forty), &SloOptions::default()).unwrap().urls[0].meets_slo());
        let forty_one: Vec<usize> = (0..41).map(|i| i * 100).collect();
        let report = compute(month(&forty_one), &SloOptions::default()).unwrap();
        assert!(!report.urls[0].meets_slo());
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
        };
        let failing: Vec<usize> = (27 * 1440..27 * 1440 + 60).collect();
        let report = compute(month(&failing), &options).unwrap();
        assert_eq!(report.urls[0].observations, 24 * 60 - 60 + 1);
        assert_eq!(report.urls[0].good, report.urls[0].observations);
    }

    #[test]
    fn a_three_minute_outage_is_one_incident_of_three_minutes() {
        let report = compute(month(&[500, 501, 502]), &SloOptions::default()).unwrap();
        let incident = &report.urls[0].incidents[0];
        assert_eq!(incident.failures, 3);
        assert_eq!(incident.duration, Duration::from_secs(180));
        assert_eq!(incident.kinds, ["status"]);
    }
}

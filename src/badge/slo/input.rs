//! Reading what the SLO needs from a store or a v1 JSONL history: every observation of the
//! current window, and before it only failures, incidents and counts. Memory follows the
//! window, not the history: a year of JSON lines streams through in one line's memory plus
//! the window's points.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::badge::history::{self, Delivery, Observation, Point, Record};
use crate::badge::store::{HOUR_MS, Reader, StoreError};
use crate::diagnostic::Diagnostic;
use crate::program::{ALERT_WINDOW, HEALTH_CHECK_INTERVAL, SLO_WINDOW};
use crate::timestamp::Timestamp;

/// What to read: the window ending at `end`, and the span back to `span_start`.
#[derive(Debug, Clone)]
pub struct SpanOptions {
    /// The end of the current window: now, or `--at`.
    pub end: Timestamp,
    /// How far back past breaches and the span summary look (at most the window start).
    pub span_start: Timestamp,
    pub window: Duration,
    /// Only this app's series (`--app`).
    pub app: Option<String>,
}

impl SpanOptions {
    fn window_start(&self) -> Timestamp {
        self.end.minus(self.window)
    }

    fn span_start(&self) -> Timestamp {
        self.span_start.min(self.window_start())
    }

    /// Failures count from one window before the span: a window ending in the span reaches
    /// back that far.
    fn reach(&self) -> Timestamp {
        self.span_start().minus(self.window)
    }

    fn wants(&self, app: &str) -> bool {
        self.app.as_deref().is_none_or(|wanted| wanted == app)
    }
}

/// The most gaps kept per series to find the cadence before the window.
const GAP_SAMPLE: usize = 10_000;

/// One series as it streams by.
#[derive(Debug, Default)]
struct Building {
    base_url: Option<String>,
    window: Vec<Point>,
    failures: Vec<Timestamp>,
    incidents: IncidentBuilder,
    observations: u64,
    good: u64,
    last_in_span: Option<Timestamp>,
    gaps: Vec<Timestamp>,
}

/// The SLO's input, built from observations in time order (per URL) as they stream by.
pub struct InputBuilder {
    span: SpanOptions,
    series: BTreeMap<(String, String), Building>,
}

impl InputBuilder {
    pub fn new(span: &SpanOptions) -> InputBuilder {
        InputBuilder {
            span: span.clone(),
            series: BTreeMap::new(),
        }
    }

    pub fn push(&mut self, observation: &Observation) {
        let (start, span_start) = (self.span.window_start(), self.span.span_start());
        let app = observation.app.as_deref().unwrap_or("");
        if observation.at >= self.span.end
            || observation.at < self.span.reach()
            || !self.span.wants(app)
        {
            return;
        }
        let key = (app.to_owned(), observation.url.clone());
        let series = self.series.entry(key).or_default();
        if series.base_url.is_none() {
            series.base_url.clone_from(&observation.base_url);
        }
        let point = Point::of(observation);
        if observation.at >= start {
            series.window.push(point);
            return;
        }
        if !point.success() {
            series.failures.push(point.at);
        }
        if observation.at >= span_start {
            series.observations += 1;
            series.good += u64::from(point.success());
            if series.gaps.len() < GAP_SAMPLE {
                series.gaps.push(point.at);
            }
            // The cadence is not known yet: each failure costs Atlassian's interval here, and
            // the incident's end is the next observation's time.
            series.incidents.push(&point, HEALTH_CHECK_INTERVAL);
            series.last_in_span = Some(point.at);
        }
    }

    pub fn finish(self, deliveries: Vec<Delivery>, warnings: Vec<Diagnostic>) -> SloInput {
        let start = self.span.window_start();
        let series = self
            .series
            .into_iter()
            .map(|((app, url), mut building)| {
                building.window.sort_by_key(|p| p.at);
                building.failures.sort();
                building.gaps.sort();
                let interval =
                    (building.gaps.len() > 1).then(|| cadence_of(building.gaps.iter().copied()));
                SeriesData {
                    app,
                    url,
                    base_url: building.base_url,
                    // A v1 history does not say what kind of app it watched.
                    forge: false,
                    window: building.window,
                    earlier: Earlier {
                        failures: building.failures,
                        incidents: building.incidents.finish(),
                        observations: building.observations,
                        good: building.good,
                        interval,
                    },
                }
            })
            .collect();
        SloInput {
            end: self.span.end,
            span_start: self.span.span_start(),
            series,
            deliveries: deliveries
                .into_iter()
                .filter(|d| d.at >= start && d.at < self.span.end)
                .collect(),
            warnings,
        }
    }
}

/// Read a v1 JSONL history for the SLO, streaming: memory holds the window's points and the
/// span's failures, whatever the file's length.
pub fn from_jsonl(path: &Path, span: &SpanOptions) -> std::io::Result<SloInput> {
    let file = std::fs::File::open(path)?;
    let name = path.display().to_string();
    let mut builder = InputBuilder::new(span);
    let mut deliveries = Vec::new();
    let mut warnings = Vec::new();
    history::each_record(
        &name,
        std::io::BufReader::with_capacity(1 << 16, file),
        &mut |record, _| {
            match record {
                Record::Observation(observation) => builder.push(&observation),
                Record::Delivery(delivery) => deliveries.push(delivery),
                Record::Warning(warning) => warnings.push(warning),
            }
            true
        },
    )?;
    Ok(builder.finish(deliveries, warnings))
}

/// Read a store for the SLO: each series' window is one range of the observations' key, the
/// span before it the failures index and the hourly counts.
pub fn from_store(reader: &Reader, span: &SpanOptions) -> Result<SloInput, StoreError> {
    let (start, span_start, end) = (span.window_start(), span.span_start(), span.end);
    let mut series = Vec::new();
    let forge_apps = reader.forge_app_labels()?;
    for info in reader.series()? {
        if !span.wants(&info.app) {
            continue;
        }
        let mut window = Vec::new();
        reader.points(info.id, start, end, &mut |point| window.push(point))?;
        let earlier = if span_start < start {
            earlier_from_store(reader, info.id, span.reach(), span_start, start)?
        } else {
            Earlier {
                failures: reader
                    .failures(info.id, span.reach(), start)?
                    .into_iter()
                    .map(|p| p.at)
                    .collect(),
                ..Earlier::default()
            }
        };
        series.push(SeriesData {
            forge: forge_apps.contains(&info.app),
            app: info.app,
            url: info.url,
            base_url: info.base_url,
            window,
            earlier,
        });
    }
    Ok(SloInput {
        end,
        span_start,
        series,
        deliveries: reader
            .deliveries(start, end)?
            .into_iter()
            .map(|(_, d)| d)
            .collect(),
        warnings: Vec::new(),
    })
}

/// The span before the window of one series: the failures (from `reach`), counts from the
/// hourly table (whole hours) and the raw edges, incidents from the failures and one seek
/// after each run.
fn earlier_from_store(
    reader: &Reader,
    series: i64,
    reach: Timestamp,
    span_start: Timestamp,
    start: Timestamp,
) -> Result<Earlier, StoreError> {
    let failures = reader.failures(series, reach, start)?;
    // Whole hours from the table, the partial hours at the edges from the observations.
    let first_hour = Timestamp(span_start.0.div_euclid(HOUR_MS) * HOUR_MS + HOUR_MS).min(start);
    let last_hour = Timestamp(start.0.div_euclid(HOUR_MS) * HOUR_MS).max(first_hour);
    let hours = reader.hours(series, first_hour, last_hour)?;
    let (mut observations, mut good) = hours.iter().fold((0u64, 0u64), |(n, g), h| {
        (n + u64::from(h.1), g + u64::from(h.2))
    });
    for (from, to) in [(span_start, first_hour), (last_hour, start)] {
        reader.points(series, from, to, &mut |point| {
            observations += 1;
            good += u64::from(point.success());
        })?;
    }
    let interval = hours_cadence(&hours);
    let in_span: Vec<&Point> = failures.iter().filter(|p| p.at >= span_start).collect();
    Ok(Earlier {
        incidents: store_incidents(
            reader,
            series,
            &in_span,
            interval.unwrap_or(HEALTH_CHECK_INTERVAL),
        )?,
        failures: failures.iter().map(|p| p.at).collect(),
        observations,
        good,
        interval,
    })
}

/// The incidents of a series' failures (time order) read from the failures index: a run of
/// failures ends at the first success after it, one seek after each failure.
pub(super) fn store_incidents(
    reader: &Reader,
    series: i64,
    failures: &[&Point],
    interval: Duration,
) -> Result<Vec<Incident>, StoreError> {
    let mut points: Vec<Point> = Vec::new();
    for (i, failure) in failures.iter().enumerate() {
        points.push((*failure).clone());
        let next_failure = failures.get(i + 1).map(|p| p.at);
        match reader.next_after(series, failure.at)? {
            Some(next) if Some(next.at) == next_failure => {}
            Some(next) if next.success() => points.push(next),
            _ => {}
        }
    }
    Ok(incidents(&points, interval))
}

/// The cadence from hourly counts: the median of an hour over its count, for the hours that
/// hold more than one observation.
pub(super) fn hours_cadence(hours: &[(Timestamp, u32, u32)]) -> Option<Duration> {
    let mut per: Vec<u64> = hours
        .iter()
        .filter(|h| h.1 > 1)
        .map(|h| HOUR_MS as u64 / u64::from(h.1))
        .collect();
    if per.is_empty() {
        return None;
    }
    let middle = per.len() / 2;
    let (_, median, _) = per.select_nth_unstable(middle);
    Some(Duration::from_millis(*median))
}

/// A run of consecutive failed observations of one URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub start: Timestamp,
    /// The first good observation after the run (or the last failure plus one interval).
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
    fn note(&mut self, failure: &str, status: Option<u16>) {
        if !failure.is_empty() && !self.kinds.iter().any(|k| k == failure) {
            self.kinds.push(failure.to_owned());
        }
        if let Some(status) = status
            && failure == "status"
            && !self.statuses.contains(&status)
        {
            self.statuses.push(status);
        }
    }
}

/// What the SLO reads of one health check URL: every observation of its current window and,
/// for the span before it, only its failures, incidents and hourly counts.
#[derive(Debug, Clone, Default)]
pub struct SeriesData {
    /// The app's label (`""` for one app, or a URL monitored on its own).
    pub app: String,
    pub url: String,
    pub base_url: Option<String>,
    /// A Forge app's remote (the store says so): the partner's own watch, which Atlassian
    /// does not email about.
    pub forge: bool,
    /// Every observation in [window start, end), in time order.
    pub window: Vec<Point>,
    /// Before the window: [span start - window, window start).
    pub earlier: Earlier,
}

/// A series before its current window: what past breaches and the span's summary need, and
/// nothing else (the successes are counted, not kept).
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    /// The failed instants, in time order, from one window before the span starts (a
    /// window that ends in the span reaches back that far).
    pub failures: Vec<Timestamp>,
    /// The incidents that start in the span, before the window.
    pub incidents: Vec<Incident>,
    /// Observations and good ones in the span, before the window.
    pub observations: u64,
    pub good: u64,
    /// The monitor's cadence then (median of whole hours' counts), when known.
    pub interval: Option<Duration>,
}

/// A history read for the SLO: the series, the deliveries of the window, and the warnings of
/// reading it.
#[derive(Debug, Clone, Default)]
pub struct SloInput {
    /// The end of the current window: now, or `--at`.
    pub end: Timestamp,
    /// The start of the span the report looks back over (past breaches, the span summary).
    pub span_start: Timestamp,
    pub series: Vec<SeriesData>,
    pub deliveries: Vec<Delivery>,
    pub warnings: Vec<Diagnostic>,
}

/// The median gap between consecutive observations (Atlassian's 60 s when there is no gap),
/// in whole seconds when it is within 1 % of them.
pub fn cadence(observations: &[Observation]) -> Duration {
    cadence_of(observations.iter().map(|o| o.at))
}

/// [`cadence`] of instants in time order.
pub fn cadence_of(times: impl Iterator<Item = Timestamp>) -> Duration {
    let mut previous: Option<Timestamp> = None;
    let mut gaps: Vec<i64> = Vec::new();
    for at in times {
        if let Some(before) = previous {
            let gap = at.0 - before.0;
            if gap > 0 {
                gaps.push(gap);
            }
        }
        previous = Some(at);
    }
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

/// The runs of consecutive failures in `points` (time order).
pub fn incidents(points: &[Point], interval: Duration) -> Vec<Incident> {
    let mut builder = IncidentBuilder::default();
    for point in points {
        builder.push(point, interval);
    }
    builder.finish()
}

/// Incidents built one observation at a time, in time order (a history as it streams by).
#[derive(Debug, Default)]
pub struct IncidentBuilder {
    open: Option<Incident>,
    done: Vec<Incident>,
}

impl IncidentBuilder {
    pub fn push(&mut self, point: &Point, interval: Duration) {
        match (&mut self.open, &point.failure) {
            (None, Some(kind)) => {
                let mut incident = Incident {
                    start: point.at,
                    end: point.at.plus(interval),
                    duration: Duration::ZERO,
                    failures: 1,
                    kinds: Vec::new(),
                    statuses: Vec::new(),
                };
                incident.note(kind, point.status);
                self.open = Some(incident);
            }
            (Some(incident), Some(kind)) => {
                incident.failures += 1;
                incident.end = point.at.plus(interval);
                incident.note(kind, point.status);
            }
            (Some(_), None) => {
                let mut incident = self.open.take().expect("matched Some");
                incident.end = point.at;
                self.done.push(incident);
            }
            (None, None) => {}
        }
    }

    pub fn finish(mut self) -> Vec<Incident> {
        self.done.extend(self.open);
        for incident in &mut self.done {
            incident.duration = incident.end.since(incident.start);
        }
        self.done
    }
}

pub(super) fn seconds<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// The error budget of a window: the program's 40 min 19.2 s for 28 days, in proportion for
/// another window.
pub fn budget_of(window: Duration) -> Duration {
    if window == SLO_WINDOW {
        return crate::program::error_budget();
    }
    crate::program::error_budget().mul_f64(window.as_secs_f64() / SLO_WINDOW.as_secs_f64())
}

/// The alerts Atlassian would have emailed for these failures (time order): one per episode,
/// an episode ending when 15 minutes pass without a failure; `previous` may continue one.
pub(super) fn alerts_of(
    failures: impl Iterator<Item = Timestamp>,
    previous: Option<Timestamp>,
) -> Vec<Timestamp> {
    let mut alerts = Vec::new();
    let mut last_failure = previous;
    for at in failures {
        if last_failure.is_none_or(|last| at.since(last) > ALERT_WINDOW) {
            alerts.push(at);
        }
        last_failure = Some(at);
    }
    alerts
}

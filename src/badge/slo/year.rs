//! `cfready slo --year`: the thirteen consecutive 28-day windows that end now, per health check
//! URL, read from the store's hourly counts and failures index (never every observation of the
//! year): each window's availability, failed time against the budget, breach, incidents, the
//! alerts Atlassian would have emailed, maintenance excluded and Atlassian's emails reconciled
//! in the window they belong to; and the days of the year for the calendar.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::input::{Incident, alerts_of, budget_of, hours_cadence, seconds, store_incidents};
use crate::badge::history::{Observation, Point};
use crate::badge::store::{HOUR_MS, Reader, StoreError};
use crate::program::{ALERT_WINDOW, AVAILABILITY_SLO_PERCENT, SLO_WINDOW, YEAR_WINDOWS};
use crate::timestamp::Timestamp;

const DAY_MS: i64 = 86_400_000;

/// What `slo --year` reads.
#[derive(Debug, Clone)]
pub struct YearOptions {
    /// The end of the last window: now, or `--at`.
    pub end: Timestamp,
    /// Only this app's series (`--app`).
    pub app: Option<String>,
    /// Announced maintenance, excluded: [start, end) intervals.
    pub maintenance: Vec<(Timestamp, Timestamp)>,
}

impl YearOptions {
    /// The start of the first window: 13 windows of 28 days before the end.
    pub fn start(&self) -> Timestamp {
        self.end.minus(SLO_WINDOW * YEAR_WINDOWS)
    }

    /// The windows, oldest first.
    pub fn windows(&self) -> Vec<(Timestamp, Timestamp)> {
        let start = self.start();
        (0..YEAR_WINDOWS)
            .map(|i| (start.plus(SLO_WINDOW * i), start.plus(SLO_WINDOW * (i + 1))))
            .collect()
    }

    fn index(&self, at: Timestamp) -> Option<usize> {
        let start = self.start();
        (at >= start && at < self.end)
            .then(|| (at.since(start).as_millis() / SLO_WINDOW.as_millis()) as usize)
    }

    fn in_maintenance(&self, at: Timestamp) -> bool {
        self.maintenance
            .iter()
            .any(|&(from, to)| from <= at && at < to)
    }
}

/// The year of every URL, and the portfolio when the store holds several apps.
#[derive(Debug, Clone, Serialize)]
pub struct YearReport {
    pub version: u64,
    pub start: Timestamp,
    pub end: Timestamp,
    #[serde(rename = "window_seconds", serialize_with = "seconds")]
    pub window: Duration,
    #[serde(rename = "budget_seconds", serialize_with = "seconds")]
    pub budget: Duration,
    pub slo_percent: f64,
    pub urls: Vec<YearUrl>,
    /// One row per app, when the store holds several (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub portfolio: Vec<YearApp>,
}

/// One health check URL over the year.
#[derive(Debug, Clone, Serialize)]
pub struct YearUrl {
    pub url: String,
    /// The app's label (`""` for one app, or a URL monitored on its own).
    pub app: String,
    pub base_url: Option<String>,
    /// A Forge app's remote: its alerts are counted by Atlassian's rule, never emailed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forge: bool,
    /// The monitor's cadence over the year (the median of the hourly counts): what one failed
    /// observation costs.
    #[serde(rename = "interval_seconds", serialize_with = "seconds")]
    pub interval: Duration,
    pub observations: u64,
    pub good: u64,
    /// Good over all in the year (`None` when nothing was observed).
    pub availability: Option<f64>,
    pub breached_windows: usize,
    pub windows: Vec<YearWindow>,
    /// Each UTC day of the year with an observation, for the calendar.
    pub days: Vec<YearDay>,
}

/// One 28-day window of one URL.
#[derive(Debug, Clone, Serialize)]
pub struct YearWindow {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Observations outside maintenance, and the good ones.
    pub observations: u64,
    pub good: u64,
    /// Good over all (`None` when nothing was observed).
    pub availability: Option<f64>,
    /// The observations times the cadence, at most the window less maintenance.
    pub observed_seconds: f64,
    /// Failed observations times the cadence: the budget spent.
    pub failed_seconds: f64,
    pub budget_seconds: f64,
    pub budget_used_percent: f64,
    pub breached: bool,
    /// The alerts Atlassian would have emailed (one per 15-minute episode of failures).
    pub alerts: usize,
    /// When each alert would have gone out.
    #[serde(serialize_with = "instants")]
    pub alerted_at: Vec<Timestamp>,
    /// The incidents that started in the window.
    pub incidents: Vec<Incident>,
    /// Announced maintenance inside the window, excluded.
    pub maintenance_seconds: f64,
    /// Atlassian's emails whose measurement ends in this window, reconciled (`--atlassian`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub atlassian: Vec<YearEmail>,
}

/// An email of Atlassian's, reconciled (`cfready::badge::reconcile`), in the window its measurement
/// ends in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearEmail {
    /// The health check URL it is about.
    #[serde(skip)]
    pub url: String,
    pub source: String,
    /// When its measurement ends.
    pub at: Timestamp,
    /// `agree`, `differ` or `not-observed`.
    pub agreement: String,
    pub explanation: String,
}

/// One UTC day of one URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearDay {
    /// `2026-03-01`.
    pub date: String,
    pub observations: u64,
    pub good: u64,
    /// Failed observations times the cadence.
    pub failed_seconds: f64,
}

impl YearDay {
    pub fn availability(&self) -> f64 {
        if self.observations == 0 {
            1.0
        } else {
            self.good as f64 / self.observations as f64
        }
    }
}

/// One app of a portfolio over the year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearApp {
    pub app: String,
    pub urls: usize,
    /// Windows breached, over every URL of the app.
    pub breached_windows: usize,
    /// The most of a budget one window of one URL used, in percent.
    pub worst_budget_used_percent: f64,
    pub availability: Option<f64>,
}

impl YearReport {
    /// 1 when the last window (the 28 days that end now) breached on a URL, as `slo` says;
    /// earlier windows never decide it.
    pub fn exit_code(&self) -> u8 {
        u8::from(
            self.urls
                .iter()
                .any(|u| u.windows.last().is_some_and(|w| w.breached)),
        )
    }
}

/// Counts in the making: per window, per day.
#[derive(Default)]
struct Tally {
    windows: Vec<(u64, u64)>,
    days: BTreeMap<i64, (u64, u64, u64)>,
}

impl Tally {
    fn add(&mut self, window: usize, at: Timestamp, n: u64, good: u64, sign: bool) {
        let day = self.days.entry(at.0.div_euclid(DAY_MS)).or_default();
        let w = &mut self.windows[window];
        if sign {
            (w.0, w.1, day.0, day.1) = (w.0 + n, w.1 + good, day.0 + n, day.1 + good);
        } else {
            w.0 = w.0.saturating_sub(n);
            w.1 = w.1.saturating_sub(good);
            day.0 = day.0.saturating_sub(n);
            day.1 = day.1.saturating_sub(good);
        }
    }
}

/// The year of every series in the store (of `--app` when given). Counts come from the hourly
/// table (the hours cut by a window's edge from their observations), failed time, incidents and
/// alerts from the failures index, maintenance from its own observations.
pub fn year_from_store(
    reader: &Reader,
    options: &YearOptions,
    emails: &[YearEmail],
) -> Result<YearReport, StoreError> {
    let (start, end) = (options.start(), options.end);
    let windows = options.windows();
    let budget = budget_of(SLO_WINDOW);
    // Every window's edge shares the end's offset in its hour: those hours are split.
    let offset = end.0.rem_euclid(HOUR_MS);
    let window_ms = SLO_WINDOW.as_millis() as i64;
    let split = |hour: i64| offset != 0 && (hour + offset - start.0).rem_euclid(window_ms) == 0;
    let mut urls = Vec::new();
    let forge_apps = reader.forge_app_labels()?;
    for info in reader.series()? {
        if options.app.as_deref().is_some_and(|app| app != info.app) {
            continue;
        }
        let mut tally = Tally {
            windows: vec![(0, 0); windows.len()],
            ..Tally::default()
        };
        let hours = reader.hours(info.id, start, end)?;
        for &(hour, n, good) in &hours {
            if split(hour.0) {
                continue;
            }
            if let Some(window) = options.index(hour) {
                tally.add(window, hour, u64::from(n), u64::from(good), true);
            }
        }
        if offset != 0 {
            for &(hour, _, _) in hours.iter().filter(|h| split(h.0.0)) {
                let (from, to) = (
                    hour.max(start),
                    hour.plus(Duration::from_millis(HOUR_MS as u64)).min(end),
                );
                reader.points(info.id, from, to, &mut |p| {
                    if let Some(window) = options.index(p.at) {
                        tally.add(window, p.at, 1, u64::from(p.success()), true);
                    }
                })?;
            }
        }
        for &(from, to) in &options.maintenance {
            let (from, to) = (from.max(start), to.min(end));
            if from < to {
                reader.points(info.id, from, to, &mut |p| {
                    if let Some(window) = options.index(p.at) {
                        tally.add(window, p.at, 1, u64::from(p.success()), false);
                    }
                })?;
            }
        }
        let interval = hours_cadence(&hours).unwrap_or(crate::program::HEALTH_CHECK_INTERVAL);
        let failures: Vec<Point> = reader
            .failures(info.id, start, end)?
            .into_iter()
            .filter(|p| !options.in_maintenance(p.at))
            .collect();
        let previous = reader
            .failures(info.id, start.minus(ALERT_WINDOW), start)?
            .into_iter()
            .rfind(|p| !options.in_maintenance(p.at))
            .map(|p| p.at);
        let alerts = alerts_of(failures.iter().map(|p| p.at), previous);
        let refs: Vec<&Point> = failures.iter().collect();
        let incidents = store_incidents(reader, info.id, &refs, interval)?;
        let mut failed_per_window = vec![0u32; windows.len()];
        for p in &failures {
            if let Some(window) = options.index(p.at) {
                failed_per_window[window] += 1;
            }
            tally.days.entry(p.at.0.div_euclid(DAY_MS)).or_default().2 += 1;
        }
        let mut year_windows: Vec<YearWindow> = windows
            .iter()
            .enumerate()
            .map(|(i, &(from, to))| {
                let (n, good) = tally.windows[i];
                let maintenance: Duration = options
                    .maintenance
                    .iter()
                    .filter(|&&(a, b)| a < to && b > from)
                    .map(|&(a, b)| b.min(to).since(a.max(from)))
                    .sum();
                let failed = interval * failed_per_window[i];
                let observed = (interval * u32::try_from(n).unwrap_or(u32::MAX))
                    .min(SLO_WINDOW.saturating_sub(maintenance));
                YearWindow {
                    start: from,
                    end: to,
                    observations: n,
                    good,
                    availability: (n > 0).then(|| good as f64 / n as f64),
                    observed_seconds: observed.as_secs_f64(),
                    failed_seconds: failed.as_secs_f64(),
                    budget_seconds: budget.as_secs_f64(),
                    budget_used_percent: failed.as_secs_f64() / budget.as_secs_f64() * 100.0,
                    breached: failed > budget,
                    alerts: 0,
                    alerted_at: Vec::new(),
                    incidents: Vec::new(),
                    maintenance_seconds: maintenance.as_secs_f64(),
                    atlassian: Vec::new(),
                }
            })
            .collect();
        for at in alerts {
            if let Some(window) = options.index(at) {
                year_windows[window].alerts += 1;
                year_windows[window].alerted_at.push(at);
            }
        }
        for incident in incidents {
            if let Some(window) = options.index(incident.start) {
                year_windows[window].incidents.push(incident);
            }
        }
        for email in emails.iter().filter(|e| e.url == info.url) {
            if let Some(window) = options.index(email.at) {
                year_windows[window].atlassian.push(email.clone());
            }
        }
        let (observations, good) = year_windows
            .iter()
            .fold((0, 0), |(n, g), w| (n + w.observations, g + w.good));
        let days = tally
            .days
            .into_iter()
            .filter(|(_, (n, _, _))| *n > 0)
            .map(|(day, (n, good, failed))| YearDay {
                date: Timestamp(day * DAY_MS).to_string()[..10].to_owned(),
                observations: n,
                good,
                failed_seconds: (interval * u32::try_from(failed).unwrap_or(u32::MAX))
                    .as_secs_f64(),
            })
            .collect();
        urls.push(YearUrl {
            breached_windows: year_windows.iter().filter(|w| w.breached).count(),
            forge: forge_apps.contains(&info.app),
            url: info.url,
            app: info.app,
            base_url: info.base_url,
            interval,
            observations,
            good,
            availability: (observations > 0).then(|| good as f64 / observations as f64),
            windows: year_windows,
            days,
        });
    }
    let portfolio = portfolio(&urls);
    Ok(YearReport {
        version: 1,
        start,
        end,
        window: SLO_WINDOW,
        budget,
        slo_percent: AVAILABILITY_SLO_PERCENT,
        urls,
        portfolio,
    })
}

/// One row per app, the worst first (windows breached, then the worst window), when there
/// are several apps.
fn portfolio(urls: &[YearUrl]) -> Vec<YearApp> {
    let mut apps: BTreeMap<&str, Vec<&YearUrl>> = BTreeMap::new();
    for url in urls {
        apps.entry(url.app.as_str()).or_default().push(url);
    }
    if apps.len() < 2 {
        return Vec::new();
    }
    let mut rows: Vec<YearApp> = apps
        .into_iter()
        .map(|(app, urls)| {
            let (n, good) = urls
                .iter()
                .fold((0, 0), |(n, g), u| (n + u.observations, g + u.good));
            YearApp {
                app: app.to_owned(),
                urls: urls.len(),
                breached_windows: urls.iter().map(|u| u.breached_windows).sum(),
                worst_budget_used_percent: urls
                    .iter()
                    .flat_map(|u| u.windows.iter().map(|w| w.budget_used_percent))
                    .fold(0.0, f64::max),
                availability: (n > 0).then(|| good as f64 / n as f64),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.breached_windows.cmp(&a.breached_windows).then(
            b.worst_budget_used_percent
                .total_cmp(&a.worst_budget_used_percent),
        )
    });
    rows
}

/// The observations of the store inside Atlassian's emails' windows (each window one range
/// of the key), to reconcile them without reading the year.
pub fn observations_in(
    reader: &Reader,
    app: Option<&str>,
    spans: &[(Timestamp, Timestamp)],
) -> Result<Vec<Observation>, StoreError> {
    let mut observations = Vec::new();
    for info in reader.series()? {
        if app.is_some_and(|app| app != info.app) {
            continue;
        }
        for &(from, to) in spans {
            reader.points(info.id, from, to, &mut |p| {
                observations.push(p.observation(&info.app, &info.url, info.base_url.as_deref()));
            })?;
        }
    }
    Ok(observations)
}

fn instants<S: serde::Serializer>(all: &[Timestamp], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(all.iter().map(ToString::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::store::Writer;
    use crate::timestamp::at;

    const TEN_MINUTES: Duration = Duration::from_secs(600);

    /// The year's end, and its first window's start (13 x 28 days before).
    fn end() -> Timestamp {
        at(2026, 12, 1, 0, 0)
    }

    fn start() -> Timestamp {
        end().minus(SLO_WINDOW * 13)
    }

    /// The instant `minutes` into window `window` (0 the oldest).
    fn into(window: u32, minutes: u64) -> Timestamp {
        start().plus(SLO_WINDOW * window + Duration::from_secs(60 * minutes))
    }

    /// The failures of app `a`, in known windows: window 2 down 50 minutes in one run
    /// (breached); window 7 down 4 times 10 minutes an hour apart (40 min: within the 40m 19.2s
    /// budget); window 5 down 30 minutes inside announced maintenance (excluded); window 0's
    /// first observation failing 10 minutes after a failure before the year (the episode goes
    /// on: no alert); window 12, the last, down 3 and 3 observations 40 minutes apart (60 min:
    /// breached, two incidents, two alerts).
    fn failing() -> Vec<Timestamp> {
        let mut failing = vec![start().minus(TEN_MINUTES), into(0, 0)];
        failing.extend((0..5).map(|i| into(2, 1000 + 10 * i)));
        failing.extend((0..4).map(|i| into(7, 3000 + 60 * i)));
        failing.extend((0..3).map(|i| into(5, 5000 + 10 * i)));
        failing.extend((0..3).map(|i| into(12, 9000 + 10 * i)));
        failing.extend((0..3).map(|i| into(12, 9060 + 10 * i)));
        failing
    }

    fn maintenance() -> (Timestamp, Timestamp) {
        (into(5, 4990), into(5, 5050))
    }

    /// A year and a day every 10 minutes of `a` (the failures above) and of `b` (none), two
    /// apps of one store.
    fn store(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("h.db");
        let failing = failing();
        let mut observations = Vec::new();
        let first = start().minus(Duration::from_secs(86_400));
        let count = (end().since(first).as_secs() / 600) as u32;
        for i in 0..count {
            let at = first.plus(TEN_MINUTES * i);
            for app in ["a", "b"] {
                let success = app == "b" || !failing.contains(&at);
                observations.push(Observation {
                    app: Some(app.to_owned()),
                    at,
                    url: format!("https://{app}.example/health"),
                    base_url: Some(format!("https://{app}.example")),
                    success,
                    failure: (!success).then(|| "status".to_owned()),
                    status: Some(if success { 200 } else { 503 }),
                    total_ms: Some(150),
                });
            }
        }
        let mut writer = Writer::open(&path).unwrap();
        writer.append(&observations).unwrap();
        path
    }

    #[test]
    fn a_year_with_breaches_in_known_windows_is_judged_window_by_window() {
        let dir = tempfile::tempdir().unwrap();
        let reader = Reader::open(&store(dir.path())).unwrap();
        let options = YearOptions {
            end: end(),
            app: None,
            maintenance: vec![maintenance()],
        };
        let report = year_from_store(&reader, &options, &[]).unwrap();
        assert_eq!((report.start, report.end), (start(), end()));
        let a = &report.urls[0];
        assert_eq!((a.app.as_str(), a.interval), ("a", TEN_MINUTES));
        assert_eq!(a.windows.len(), 13);
        // (window, failed minutes, breached, incidents, alerts)
        let expected: Vec<(usize, u64, bool, usize, usize)> = (0..13)
            .map(|i| match i {
                0 => (i, 10, false, 1, 0),
                2 => (i, 50, true, 1, 1),
                7 => (i, 40, false, 4, 4),
                12 => (i, 60, true, 2, 2),
                _ => (i, 0, false, 0, 0),
            })
            .collect();
        let found: Vec<(usize, u64, bool, usize, usize)> = a
            .windows
            .iter()
            .enumerate()
            .map(|(i, w)| {
                (
                    i,
                    w.failed_seconds as u64 / 60,
                    w.breached,
                    w.incidents.len(),
                    w.alerts,
                )
            })
            .collect();
        assert_eq!(found, expected);
        for (i, w) in a.windows.iter().enumerate() {
            assert_eq!(w.start, start().plus(SLO_WINDOW * i as u32));
            assert_eq!(w.end, w.start.plus(SLO_WINDOW));
            assert_eq!(w.budget_seconds, 2419.2);
            let maintained = if i == 5 { 6 } else { 0 };
            assert_eq!(w.observations, 28 * 144 - maintained, "window {i}");
            assert_eq!(w.maintenance_seconds, if i == 5 { 3600.0 } else { 0.0 });
            let failed = w.failed_seconds as u64 / 600;
            assert_eq!(w.good, w.observations - failed, "window {i}");
        }
        assert_eq!(
            a.windows[2].incidents[0].duration,
            Duration::from_secs(3000)
        );
        assert_eq!(a.windows[12].alerted_at, [into(12, 9000), into(12, 9060)]);
        assert_eq!(a.breached_windows, 2);
        assert_eq!(report.exit_code(), 1, "the last window breached");
        // The calendar: every day of the year, the day of window 2's outage 50 minutes down.
        assert_eq!(a.days.len(), 364);
        // 1,000 minutes into window 2: the window's first day.
        let outage = &a.days[2 * 28];
        assert_eq!(outage.date, "2026-01-27");
        assert_eq!((outage.observations, outage.good), (144, 139));
        assert_eq!(outage.failed_seconds, 3000.0);
        // The portfolio: a (2 windows breached) before b (none).
        let rows: Vec<(&str, usize)> = report
            .portfolio
            .iter()
            .map(|r| (r.app.as_str(), r.breached_windows))
            .collect();
        assert_eq!(rows, [("a", 2), ("b", 0)]);
        assert!((report.portfolio[0].worst_budget_used_percent - 3600.0 / 24.192).abs() < 1e-9);
        // --app keeps one app, and no portfolio.
        let only = YearOptions {
            app: Some("b".to_owned()),
            ..options
        };
        let report = year_from_store(&reader, &only, &[]).unwrap();
        assert_eq!(report.urls.len(), 1);
        assert!(report.portfolio.is_empty());
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn windows_ending_inside_an_hour_count_the_edge_hours_from_their_observations() {
        let dir = tempfile::tempdir().unwrap();
        let path = store(dir.path());
        let reader = Reader::open(&path).unwrap();
        let end = end().minus(Duration::from_secs(25 * 60));
        let options = YearOptions {
            end,
            app: Some("a".to_owned()),
            maintenance: Vec::new(),
        };
        let report = year_from_store(&reader, &options, &[]).unwrap();
        let series = reader.series().unwrap()[0].id;
        for (i, w) in report.urls[0].windows.iter().enumerate() {
            let mut n = 0;
            let mut good = 0;
            reader
                .points(series, w.start, w.end, &mut |p| {
                    n += 1;
                    good += u64::from(p.success());
                })
                .unwrap();
            assert_eq!((w.observations, w.good), (n, good), "window {i}");
        }
        // Every window moved 25 minutes earlier still holds 28 days of observations, and window
        // 12's failures (9,000 minutes in) are still inside it.
        for w in &report.urls[0].windows {
            assert_eq!(w.observations, 28 * 144);
        }
        assert_eq!(report.urls[0].windows[12].failed_seconds, 3600.0);
    }
}

//! Forge after approval: the invocation success rate of a Forge app's functions, from the OTLP
//! JSON that Atlassian's App metrics API returns (files the partner saved), per function and
//! overall, over 28 days and over the year, against the program's 99.9 % and the team's own
//! objective.
//!
//! What Atlassian's "Export app metrics" page documents
//! (<https://developer.atlassian.com/platform/forge/export-app-metrics>): a GraphQL query
//! `ecosystem { forgeMetrics(appId) { appMetrics(query) { ... on ForgeMetricsOtlpData {
//! resourceMetrics } ... on QueryError { message identifier } } } }` answering in OTLP JSON.
//! Its sample response names the metrics [`INVOCATIONS_METRIC`] and [`ERRORS_METRIC`], sums
//! with `aggregationTemporality` 1 (delta) whose points carry the function as
//! [`FUNCTION_ATTRIBUTE`] (and the site as `contextAri`, an error's kind as `errorType`). Those
//! are the defaults; [`MetricNames`] names others, and cumulative sums are read too (OTLP says
//! which a sum is). The page does not say whether the invocation count includes the failed
//! invocations; the developer console's "invocation count" is "the total number of
//! invocations, regardless of success or failure", and that is how they are read here.
//!
//! OTLP JSON itself is OpenTelemetry's public encoding: `resourceMetrics[].scopeMetrics[].
//! metrics[]`, each a `sum`, `gauge` or `histogram` of `dataPoints` with `attributes` as
//! `{key, value: {stringValue}}`, `timeUnixNano` as a string, and `asInt` (a string) or
//! `asDouble`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::program::{AVAILABILITY_SLO_PERCENT, SLO_WINDOW};
use crate::timestamp::Timestamp;

/// The year the report also covers, back from its end.
pub const YEAR: Duration = Duration::from_secs(365 * 86_400);

/// The metric that counts a function's invocations, as the page's sample response names it.
pub const INVOCATIONS_METRIC: &str = "forge_backend_invocation_count";

/// The metric that counts a function's failed invocations (one point per `errorType`).
pub const ERRORS_METRIC: &str = "forge_backend_invocation_errors";

/// The data point attribute that names the function.
pub const FUNCTION_ATTRIBUTE: &str = "functionKey";

/// The query's `filters.metrics` values for the two metrics (the page's `metrics` enum).
pub const QUERY_METRICS: [&str; 2] = [
    "FORGE_BACKEND_INVOCATION_COUNT",
    "FORGE_BACKEND_INVOCATION_ERRORS",
];

/// Which metrics hold the invocations and their errors, and which attribute names the
/// function; `None` is the documented name ([`INVOCATIONS_METRIC`], [`ERRORS_METRIC`],
/// [`FUNCTION_ATTRIBUTE`]).
#[derive(Debug, Clone, Default)]
pub struct MetricNames {
    pub invocations: Option<String>,
    pub errors: Option<String>,
    pub function_attribute: Option<String>,
}

/// What a data point counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Invocations,
    Errors,
}

impl MetricNames {
    fn counted(&self, name: &str) -> Option<Counted> {
        if self.invocations.as_deref().unwrap_or(INVOCATIONS_METRIC) == name {
            Some(Counted::Invocations)
        } else if self.errors.as_deref().unwrap_or(ERRORS_METRIC) == name {
            Some(Counted::Errors)
        } else {
            None
        }
    }

    fn function(&self, attributes: &[(String, String)]) -> Option<String> {
        let key = self
            .function_attribute
            .as_deref()
            .unwrap_or(FUNCTION_ATTRIBUTE);
        attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// Invocations and failed invocations of one hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub invocations: f64,
    pub errors: f64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.invocations += other.invocations;
        self.errors += other.errors;
    }

    /// The success rate in percent, `None` without invocations.
    pub fn success_percent(&self) -> Option<f64> {
        (self.invocations > 0.0).then(|| {
            100.0 * (self.invocations - self.errors.min(self.invocations)) / self.invocations
        })
    }
}

/// What the files held: counts per function per hour (the function `None` when the points name
/// none), and what was read.
#[derive(Debug, Default)]
pub struct ForgeMetrics {
    hours: BTreeMap<Option<String>, BTreeMap<i64, Counts>>,
    /// Points already counted, by metric, attributes and time: overlapping files (the same 15
    /// minutes fetched twice) count once.
    seen: BTreeSet<(String, i64)>,
    cumulative: Cumulative,
    pub points: usize,
    pub duplicates: usize,
    /// Metric names read that matched neither count (to tell a partner what the file holds).
    pub other_metrics: BTreeSet<String>,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

/// The `resourceMetrics` of a file: an OTLP JSON export (`{"resourceMetrics": [...]}`), or the
/// GraphQL response of the documented query (`data.ecosystem.forgeMetrics.appMetrics`), whose
/// `resourceMetrics` may be the list or the list as JSON text.
fn resource_metrics(root: &Value) -> Result<Vec<Value>, String> {
    if let Some(errors) = root
        .get("errors")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
    {
        let messages: Vec<&str> = errors
            .iter()
            .filter_map(|e| e["message"].as_str())
            .collect();
        return Err(format!(
            "the GraphQL response holds errors: {}",
            messages.join("; ")
        ));
    }
    let app_metrics = root.pointer("/data/ecosystem/forgeMetrics/appMetrics");
    if let Some(message) = app_metrics.and_then(|m| m["message"].as_str()) {
        return Err(format!("the App metrics API answered an error: {message}"));
    }
    let found = root
        .get("resourceMetrics")
        .or_else(|| app_metrics.and_then(|m| m.get("resourceMetrics")))
        .ok_or(
            "no `resourceMetrics` (an OTLP JSON export, or the App metrics API's GraphQL response)",
        )?;
    let list = match found {
        Value::String(text) => serde_json::from_str::<Value>(text)
            .map_err(|e| format!("`resourceMetrics` is text that is not JSON: {e}"))?,
        other => other.clone(),
    };
    match list {
        Value::Array(items) => Ok(items),
        Value::Object(_) => Ok(vec![list]),
        _ => Err("`resourceMetrics` is not a list".to_owned()),
    }
}

fn attributes(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let key = a["key"].as_str()?;
            let v = &a["value"];
            let text = v["stringValue"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| v["intValue"].as_str().map(str::to_owned))
                .or_else(|| v["intValue"].as_i64().map(|i| i.to_string()))
                .or_else(|| v["boolValue"].as_bool().map(|b| b.to_string()))?;
            Some((key.to_owned(), text))
        })
        .collect()
}

/// A number OTLP JSON writes as a string (64-bit integers) or as a number.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::String(text) => text.parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// One data point of an invocation or error metric, as read from OTLP JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ForgePoint {
    pub counted: Counted,
    /// The metric and the point's attributes, sorted (`metric|key=value,...`): with the time,
    /// what makes a point the same point in two answers.
    pub series: String,
    /// The function the point names, if it names one.
    pub function: Option<String>,
    /// When the point's interval starts (`startTimeUnixNano`, else `timeUnixNano`), in
    /// milliseconds: the hour it counts in.
    pub at: i64,
    pub value: f64,
    /// A cumulative sum's point (its increase counts), not a delta.
    pub cumulative: bool,
}

impl ForgePoint {
    /// The point as counts: invocations or errors.
    pub fn counts(&self, value: f64) -> Counts {
        match self.counted {
            Counted::Invocations => Counts {
                invocations: value,
                errors: 0.0,
            },
            Counted::Errors => Counts {
                invocations: 0.0,
                errors: value,
            },
        }
    }

    /// A stable 64-bit identity of the point (FNV-1a of its series and time): what the store
    /// keeps to count a point two answers both hold once.
    pub fn identity(&self) -> i64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.series.bytes().chain(self.at.to_le_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash as i64
    }
}

/// The invocation and error points of one OTLP JSON text (an export or the App metrics API's
/// answer), oldest first, and the names of the other metrics it holds. `Err` says why the text
/// cannot be read as App metrics (the API's own error included).
pub fn points(
    text: &str,
    names: &MetricNames,
) -> Result<(Vec<ForgePoint>, BTreeSet<String>), String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let mut found = Vec::new();
    let mut other = BTreeSet::new();
    for resource in resource_metrics(&root)? {
        let resource_attributes = attributes(&resource["resource"]["attributes"]);
        let scopes = resource["scopeMetrics"].as_array().into_iter().flatten();
        for metric in scopes.flat_map(|s| s["metrics"].as_array().into_iter().flatten()) {
            let Some(name) = metric["name"].as_str() else {
                continue;
            };
            let Some(counted) = names.counted(name) else {
                other.insert(name.to_owned());
                continue;
            };
            let (data, value_key) = if metric["sum"].is_object() {
                (&metric["sum"], None)
            } else if metric["gauge"].is_object() {
                (&metric["gauge"], None)
            } else if metric["histogram"].is_object() {
                (&metric["histogram"], Some("count"))
            } else {
                continue;
            };
            // AGGREGATION_TEMPORALITY_CUMULATIVE is 2 (or its name in JSON).
            let cumulative = matches!(
                &data["aggregationTemporality"],
                Value::Number(n) if n.as_i64() == Some(2)
            ) || data["aggregationTemporality"].as_str()
                == Some("AGGREGATION_TEMPORALITY_CUMULATIVE");
            for point in data["dataPoints"].as_array().into_iter().flatten() {
                // A point counts in the minute its interval starts (`startTimeUnixNano`, the
                // page's points span a minute), else at its time.
                let Some(end) = number(&point["timeUnixNano"]) else {
                    continue;
                };
                let nanos = number(&point["startTimeUnixNano"])
                    .filter(|start| *start <= end)
                    .unwrap_or(end);
                let value = match value_key {
                    Some(key) => number(&point[key]),
                    None => number(&point["asInt"]).or_else(|| number(&point["asDouble"])),
                };
                let Some(value) = value.filter(|v| v.is_finite() && *v >= 0.0) else {
                    continue;
                };
                let mut attrs = resource_attributes.clone();
                attrs.extend(attributes(&point["attributes"]));
                let mut series: Vec<String> =
                    attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                series.sort();
                found.push(ForgePoint {
                    counted,
                    series: format!("{name}|{}", series.join(",")),
                    function: names.function(&attrs),
                    at: (nanos / 1e6) as i64,
                    value,
                    cumulative,
                });
            }
        }
    }
    found.sort_by_key(|p| p.at);
    Ok((found, other))
}

/// The last value of each cumulative series, to count its increase.
#[derive(Debug, Default)]
pub struct Cumulative(BTreeMap<String, (i64, f64)>);

impl Cumulative {
    /// What `point` adds: a delta as it is, a cumulative sum's increase since its last point
    /// (`None` for the first point of a series, its baseline, and for a point not after the
    /// last one).
    pub fn increase(&mut self, point: &ForgePoint) -> Option<f64> {
        if !point.cumulative {
            return Some(point.value);
        }
        let previous = self.0.get(&point.series).copied();
        if previous.is_some_and(|(before, _)| before >= point.at) {
            return None;
        }
        self.0.insert(point.series.clone(), (point.at, point.value));
        match previous {
            // The first point of a series is its baseline: what it counted before is not
            // known to fall in any window.
            None => None,
            Some((_, last)) if point.value >= last => Some(point.value - last),
            // A value below the last is a reset: it counts from zero.
            Some(_) => Some(point.value),
        }
    }
}

impl ForgeMetrics {
    /// Add one file's points. `Err` says why the file cannot be read as App metrics.
    pub fn read(&mut self, text: &str, names: &MetricNames) -> Result<(), String> {
        let (found, other) = points(text, names)?;
        self.other_metrics.extend(other);
        for point in found {
            if !self.seen.insert((point.series.clone(), point.at)) {
                self.duplicates += 1;
                continue;
            }
            let Some(count) = self.cumulative.increase(&point) else {
                continue;
            };
            self.add(
                point.function.clone(),
                Timestamp(point.at),
                point.counts(count),
            );
        }
        Ok(())
    }

    /// Add counts of one function (`None`: points that name none) at one time (the store's
    /// hours are added at their hour).
    pub fn add(&mut self, function: Option<String>, at: Timestamp, counts: Counts) {
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
        self.points += 1;
        self.hours
            .entry(function)
            .or_default()
            .entry(at.hour().0)
            .or_default()
            .add(counts);
    }
}

/// One function's (or the app's) figures.
#[derive(Debug, Clone)]
pub struct FunctionSlo {
    /// The function, or `None` for the whole app (or for points that name no function).
    pub function: Option<String>,
    pub window: Counts,
    pub year: Counts,
    /// Hours of the window below the objective (the team's, or 99.9 %), oldest first.
    pub hours_below: Vec<(Timestamp, Counts)>,
    /// The window's hours, for the chart (hours without invocations left out).
    pub hours: Vec<(Timestamp, Counts)>,
}

#[derive(Debug, Clone)]
pub struct ForgeReport {
    /// Where the window ends, as the report says it: now, the last point, or `--at` rounded
    /// down to the hour.
    pub end: Timestamp,
    /// `--at` as given, when it was not on the hour.
    pub rounded_from: Option<Timestamp>,
    pub window_start: Timestamp,
    pub year_start: Timestamp,
    pub program_percent: f64,
    pub objective: Option<f64>,
    pub overall: FunctionSlo,
    pub functions: Vec<FunctionSlo>,
    pub first: Timestamp,
    pub points: usize,
    pub duplicates: usize,
}

impl ForgeReport {
    /// Whether the app's 28-day success rate is below the program's 99.9 %.
    pub fn below_program(&self) -> bool {
        self.overall
            .window
            .success_percent()
            .is_some_and(|p| p < self.program_percent)
    }
}

fn figures(
    function: Option<String>,
    hours: &BTreeMap<i64, Counts>,
    window_start: Timestamp,
    year_start: Timestamp,
    until: Timestamp,
    threshold: f64,
) -> FunctionSlo {
    let (mut window, mut year) = (Counts::default(), Counts::default());
    let mut in_window = Vec::new();
    // `year_start`, `window_start` and `until` are whole hours: the ranges are exact.
    for (&hour, counts) in hours.range(year_start.0..until.0) {
        year.add(*counts);
        if hour >= window_start.0 {
            window.add(*counts);
            in_window.push((Timestamp(hour), *counts));
        }
    }
    let hours_below = in_window
        .iter()
        .filter(|(_, c)| c.success_percent().is_some_and(|p| p < threshold))
        .copied()
        .collect();
    FunctionSlo {
        function,
        window,
        year,
        hours_below,
        hours: in_window,
    }
}

/// Where a report's 28 days end. Counts are kept per hour, so the window is whole hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// At the last point read: its hour is the window's last.
    Last,
    /// Now: the current hour is the window's last (nothing is counted after now).
    Now(Timestamp),
    /// At `--at`, rounded down to the hour: nothing after it is counted.
    At(Timestamp),
}

fn ceil_hour(at: Timestamp) -> Timestamp {
    let hour = at.hour();
    if hour == at {
        at
    } else {
        Timestamp(hour.0 + crate::badge::store::HOUR_MS)
    }
}

/// The report, the window ending at `end`. `None` when no invocation or error point was read.
pub fn compute(metrics: &ForgeMetrics, end: End, objective: Option<f64>) -> Option<ForgeReport> {
    let (first, last) = (metrics.first?, metrics.last?);
    // `until`: the hour boundary the window ends at (exclusive); `end`: what the report says.
    let (until, end, rounded_from) = match end {
        End::Last => (ceil_hour(Timestamp(last.0 + 1)), last, None),
        End::Now(now) => (ceil_hour(now), now, None),
        End::At(at) => (at.hour(), at.hour(), (at.hour() != at).then_some(at)),
    };
    let window_start = until.minus(SLO_WINDOW);
    let year_start = until.minus(YEAR);
    let threshold = objective
        .unwrap_or(AVAILABILITY_SLO_PERCENT)
        .max(AVAILABILITY_SLO_PERCENT);
    let mut all: BTreeMap<i64, Counts> = BTreeMap::new();
    for hours in metrics.hours.values() {
        for (hour, counts) in hours {
            all.entry(*hour).or_default().add(*counts);
        }
    }
    let functions = metrics
        .hours
        .iter()
        .map(|(function, hours)| {
            figures(
                function.clone(),
                hours,
                window_start,
                year_start,
                until,
                threshold,
            )
        })
        .collect();
    Some(ForgeReport {
        end,
        rounded_from,
        window_start,
        year_start,
        program_percent: AVAILABILITY_SLO_PERCENT,
        objective,
        overall: figures(None, &all, window_start, year_start, until, threshold),
        functions,
        first,
        points: metrics.points,
        duplicates: metrics.duplicates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn otlp(temporality: i64, points: &[(&str, &str, i64, i64)]) -> String {
        // (metric, function, minute, value)
        let metrics: Vec<Value> = points
            .iter()
            .map(|(metric, function, minute, value)| {
                serde_json::json!({"name": metric, "sum": {"aggregationTemporality": temporality, "isMonotonic": true, "dataPoints": [{
                    "attributes": [{"key": "functionKey", "value": {"stringValue": function}}],
                    "timeUnixNano": (minute * 60_000_000_000i64).to_string(),
                    "asInt": value.to_string()
                }]}})
            })
            .collect();
        serde_json::json!({"resourceMetrics": [{"resource": {"attributes": []}, "scopeMetrics": [{"metrics": metrics}]}]}).to_string()
    }

    #[test]
    fn delta_points_count_once_even_from_overlapping_files() {
        let names = MetricNames::default();
        let file = otlp(
            1,
            &[
                ("forge_backend_invocation_count", "resolver", 0, 1000),
                ("forge_backend_invocation_errors", "resolver", 0, 2),
                ("forge_backend_invocation_count", "trigger", 60, 500),
                ("forge_backend_invocation_errors", "trigger", 60, 5),
            ],
        );
        let mut metrics = ForgeMetrics::default();
        metrics.read(&file, &names).unwrap();
        metrics.read(&file, &names).unwrap();
        assert_eq!((metrics.points, metrics.duplicates), (4, 4));
        let report = compute(&metrics, End::Last, Some(99.95)).unwrap();
        assert_eq!(
            report.overall.window,
            Counts {
                invocations: 1500.0,
                errors: 7.0
            }
        );
        let resolver = &report.functions[0];
        assert_eq!(resolver.function.as_deref(), Some("resolver"));
        assert!((resolver.window.success_percent().unwrap() - 99.8).abs() < 1e-9);
        // Both hours are below 99.95 %: 99.8 % and 99.0 %.
        assert_eq!(report.overall.hours_below.len(), 2);
        assert!(report.below_program());
    }

    #[test]
    fn cumulative_sums_count_their_increase_and_a_reset_from_zero() {
        let names = MetricNames::default();
        let file = otlp(
            2,
            &[
                ("forge_backend_invocation_count", "f", 0, 100),
                ("forge_backend_invocation_count", "f", 60, 250),
                ("forge_backend_invocation_count", "f", 120, 40),
            ],
        );
        let mut metrics = ForgeMetrics::default();
        metrics.read(&file, &names).unwrap();
        let report = compute(&metrics, End::Last, None).unwrap();
        // 100 is the baseline; then 150 more, then a reset to 40.
        assert_eq!(report.overall.year.invocations, 150.0 + 40.0);
    }

    #[test]
    fn graphql_errors_and_other_shapes_are_said() {
        let names = MetricNames::default();
        let mut metrics = ForgeMetrics::default();
        let error = r#"{"data":{"ecosystem":{"forgeMetrics":{"appMetrics":{"message":"Not authorised","identifier":"403"}}}}}"#;
        assert_eq!(
            metrics.read(error, &names).unwrap_err(),
            "the App metrics API answered an error: Not authorised"
        );
        assert!(
            metrics
                .read("[1]", &names)
                .unwrap_err()
                .contains("no `resourceMetrics`")
        );
        // The documented response's `resourceMetrics`, as JSON text.
        let inner = serde_json::from_str::<Value>(&otlp(
            1,
            &[("forge_backend_invocation_count", "f", 0, 3)],
        ))
        .unwrap();
        let wrapped = serde_json::json!({"data": {"ecosystem": {"forgeMetrics": {"appMetrics": {
            "resourceMetrics": inner["resourceMetrics"].to_string()}}}}});
        metrics.read(&wrapped.to_string(), &names).unwrap();
        assert_eq!(metrics.points, 1);
    }

    #[test]
    fn exact_names_replace_the_default_matcher() {
        let names = MetricNames {
            invocations: Some("calls".to_owned()),
            errors: Some("failures".to_owned()),
            function_attribute: Some("fn".to_owned()),
        };
        assert_eq!(names.counted("calls"), Some(Counted::Invocations));
        assert_eq!(names.counted("failures"), Some(Counted::Errors));
        assert_eq!(names.counted("forge_backend_invocation_count"), None);
        assert_eq!(
            names.function(&[("function".into(), "a".into()), ("fn".into(), "b".into())]),
            Some("b".to_owned())
        );
    }
}

//! `cfready monitor --forge`: a Forge app's invocation metrics, polled from Atlassian's App
//! metrics API and appended to the store, for `cfready slo --forge`.
//!
//! What the "Export app metrics" page documents
//! (<https://developer.atlassian.com/platform/forge/export-app-metrics>) and this follows:
//! - the Atlassian GraphQL Gateway, [`DEFAULT_ENDPOINT`], the query [`QUERY`] with the
//!   variables `appId` (the app's ARI) and `query.filters` (`environments`, `interval`
//!   `{start, end}` in ISO 8601, `metrics`);
//! - basic authentication with the email and an API token of the account that owns the app,
//!   the `X-ExperimentalApi: ForgeMetricsQuery` header and a custom `User-Agent` (the page
//!   recommends `ForgeMetricsExportServer/1.0.0`);
//! - the answer `data.ecosystem.forgeMetrics.appMetrics`: `resourceMetrics` in OTLP JSON, or a
//!   `QueryError` (`message`, `identifier`, `extensions { statusCode errorType }`);
//! - 14 days of lookback, at most 15 minutes per call, five calls a minute per user, a fetch
//!   every three or five minutes recommended ([`crate::program`]).
//!
//! What it does not document, and what cfready does about it:
//! - how soon a minute's points are complete: an interval ends [`DEFAULT_SETTLE`] before now;
//! - which interval a point on an edge belongs to: every point is counted once, by its
//!   identity (its metric, attributes and time), whichever answers hold it;
//! - the HTTP status of a rate-limited call: 429 (and a `QueryError` whose `statusCode` is 429)
//!   waits, as HTTP says, `Retry-After` or a minute.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::badge::slo::forge::{Cumulative, ForgePoint, MetricNames, QUERY_METRICS, points};
use crate::badge::store::{ForgeAdded, ForgeCount, ForgePoll, ForgeWriter, StoreError};
use crate::program::{
    FORGE_METRICS_CALL_SPAN, FORGE_METRICS_CALLS_PER_MINUTE, FORGE_METRICS_LOOKBACK,
};
use crate::timestamp::Timestamp;

/// The Atlassian GraphQL Gateway.
pub const DEFAULT_ENDPOINT: &str = "https://api.atlassian.com/graphql";

/// The environment variables of the credentials: the email of the account that owns the app,
/// and one of its API tokens.
pub const EMAIL_VARIABLE: &str = "CFREADY_FORGE_EMAIL";
pub const TOKEN_VARIABLE: &str = "CFREADY_FORGE_API_TOKEN";

/// The page's recommended `User-Agent`, with cfready's own product after it.
pub const USER_AGENT: &str = concat!(
    "ForgeMetricsExportServer/1.0.0 cfready/",
    env!("CARGO_PKG_VERSION")
);

/// The header the page asks for while the API is experimental.
pub const EXPERIMENTAL_HEADER: (&str, &str) = ("X-ExperimentalApi", "ForgeMetricsQuery");

/// The page's query.
pub const QUERY: &str = "query Ecosystem($appId: ID!, $query: ForgeMetricsOtlpQueryInput!) {
  ecosystem {
    forgeMetrics(appId: $appId) {
      appMetrics(query: $query) {
        ... on ForgeMetricsOtlpData {
          resourceMetrics
        }
        ... on QueryError {
          message
          identifier
          extensions {
            statusCode
            errorType
          }
        }
      }
    }
  }
}";

/// How far behind now an interval ends: the page does not say how soon a minute's points are
/// all there, and a 28-day report loses nothing by waiting five minutes.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(5 * 60);

/// The most an answer may hold: 64 MiB (15 minutes of a busy app's points are far less).
const ANSWER_LIMIT: usize = 64 << 20;

/// A rate-limited call waits this long when the answer does not say.
const RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// The longest wait a `Retry-After` is followed for; a longer one is cut to it, and said.
const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(600);

/// A `--once` run stops after this many failed calls in a row (a server error, no answer):
/// a cron job must end, and the next run resumes where this one stopped.
pub const ONCE_ATTEMPTS: u32 = 3;

/// The credentials, from the environment only. `Debug` shows the email, never the token.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("token", &"(hidden)")
            .finish()
    }
}

impl Credentials {
    /// Read [`EMAIL_VARIABLE`] and [`TOKEN_VARIABLE`] through `get` (the process environment,
    /// or a test's). `Err` names what is missing.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Credentials, String> {
        let value = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        match (value(EMAIL_VARIABLE), value(TOKEN_VARIABLE)) {
            (Some(email), Some(token)) => Ok(Credentials {
                email: email.trim().to_owned(),
                token: token.trim().to_owned(),
            }),
            (email, token) => {
                let missing: Vec<&str> = [
                    (email.is_none(), EMAIL_VARIABLE),
                    (token.is_none(), TOKEN_VARIABLE),
                ]
                .into_iter()
                .filter_map(|(missing, name)| missing.then_some(name))
                .collect();
                Err(format!(
                    "{} not set (or empty): the App metrics API takes the email and an API token (id.atlassian.com/manage/api-tokens) of the account that owns the app, from the environment only",
                    missing.join(" and ")
                ))
            }
        }
    }
}

/// How the poller runs.
#[derive(Debug, Clone)]
pub struct ForgeOptions {
    pub endpoint: String,
    /// The app's ARI, `ari:cloud:ecosystem::app/<uuid>`: the query's `appId`.
    pub app_id: String,
    /// The environments' ids (UUIDs): the query's `filters.environments`.
    pub environments: Vec<String>,
    pub credentials: Credentials,
    /// Time between polls once caught up.
    pub every: Duration,
    /// How far behind now an interval ends.
    pub settle: Duration,
    /// How far back a store without this app's polls starts (at most the 14 days).
    pub backfill: Duration,
    /// Stop once caught up.
    pub once: bool,
    pub run_for: Option<Duration>,
    pub names: MetricNames,
    /// The limit of one call.
    pub timeout: Duration,
}

/// Is `endpoint` one the credentials may be sent to: https, or http to this machine only
/// (a stand-in)? `Err` says why not.
pub fn check_endpoint(endpoint: &str) -> Result<(), String> {
    let parts = crate::net::split_url(endpoint)
        .ok_or_else(|| format!("`{endpoint}` is not an absolute URL"))?;
    match parts.scheme {
        "https" => Ok(()),
        "http" if matches!(parts.host, "localhost" | "127.0.0.1" | "::1") => Ok(()),
        "http" => Err(format!(
            "`{endpoint}`: the credentials go only over https (http only to this machine, for a stand-in)"
        )),
        other => Err(format!(
            "`{endpoint}`: a URL with scheme {other}, not https"
        )),
    }
}

/// Is `text` the form the page gives for an environment's id (a lowercase UUID)?
pub fn is_environment_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Ask for `[start, end)`; `gap` is time the API no longer holds (the poller was away
    /// longer than the lookback), never to be fetched.
    Call {
        start: Timestamp,
        end: Timestamp,
        gap: Option<(Timestamp, Timestamp)>,
    },
    /// Nothing to ask now: everything up to `until` is fetched (`None`: nothing yet, the
    /// backfill reaches no further back than what is still settling).
    CaughtUp { until: Option<Timestamp> },
}

fn floor_minute(at: Timestamp) -> Timestamp {
    Timestamp(at.0.div_euclid(60_000) * 60_000)
}

/// The next call, from where the last one ended (`resume`, `None` for a store without this
/// app's polls: `backfill` before now) to what is settled at `now`: at most 15 minutes, never
/// before the lookback (a minute inside it, for the clocks' difference).
pub fn plan(
    resume: Option<Timestamp>,
    now: Timestamp,
    backfill: Duration,
    settle: Duration,
) -> Plan {
    let earliest = floor_minute(now.minus(FORGE_METRICS_LOOKBACK)).plus(Duration::from_secs(60));
    let latest = floor_minute(now.minus(settle));
    let wanted = resume.unwrap_or_else(|| floor_minute(now.minus(backfill)));
    let (start, gap) = if wanted < earliest {
        (earliest, resume.map(|from| (from, earliest)))
    } else {
        (wanted, None)
    };
    if start >= latest {
        return Plan::CaughtUp { until: resume };
    }
    Plan::Call {
        start,
        end: start.plus(FORGE_METRICS_CALL_SPAN).min(latest),
        gap,
    }
}

/// The calls still needed to catch up from `end` at `now`.
pub fn calls_behind(end: Timestamp, now: Timestamp, settle: Duration) -> u64 {
    let latest = floor_minute(now.minus(settle));
    let span = FORGE_METRICS_CALL_SPAN.as_millis() as i64;
    u64::try_from((latest.0 - end.0 + span - 1).div_euclid(span)).unwrap_or(0)
}

/// The rate limit: at most five calls in any minute.
#[derive(Debug, Default)]
pub struct Pace {
    calls: VecDeque<Instant>,
}

impl Pace {
    /// How long to wait at `now` before the next call.
    pub fn wait(&self, now: Instant) -> Duration {
        if self.calls.len() < FORGE_METRICS_CALLS_PER_MINUTE {
            return Duration::ZERO;
        }
        // A second of margin: the API's minute is measured on its side.
        let free = self.calls[0] + Duration::from_secs(61);
        free.saturating_duration_since(now)
    }

    /// A call was made at `at`.
    pub fn record(&mut self, at: Instant) {
        self.calls.push_back(at);
        while self.calls.len() > FORGE_METRICS_CALLS_PER_MINUTE {
            self.calls.pop_front();
        }
    }
}

/// The request's body: the page's query and its variables.
pub fn request_body(options: &ForgeOptions, start: Timestamp, end: Timestamp) -> Value {
    json!({
        "query": QUERY,
        "operationName": "Ecosystem",
        "variables": {
            "appId": options.app_id,
            "query": {
                "filters": {
                    "environments": options.environments,
                    "interval": {"start": start.to_string(), "end": end.to_string()},
                    "metrics": QUERY_METRICS,
                }
            }
        }
    })
}

/// What an answer means.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Points(Vec<ForgePoint>),
    /// Wait this long (or a minute) and ask again.
    RateLimited(Option<Duration>),
    /// Ask again later: a server error, a network failure, an answer that is not the API's.
    Transient(String),
    /// Asking again will not help (credentials, the app or environment, the query): stop.
    Fatal(String),
}

/// How long a `Retry-After` asks to wait at `now` (RFC 9110: whole seconds, or an HTTP date
/// such as `Sun, 06 Dec 2026 23:59:00 GMT`); `None` when it says nothing usable.
pub fn retry_after_wait(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate: "Sun, 06 Dec 2026 23:59:00 GMT".
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = 1 + [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as i64;
    let clock: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    let at = crate::timestamp::at(year.parse().ok()?, month, day.parse().ok()?, *hour, *minute)
        .plus(Duration::from_secs(u64::try_from(*second).ok()?));
    Some(if at > now {
        at.since(now)
    } else {
        Duration::ZERO
    })
}

/// A `statusCode` the API gave (in a `QueryError`'s or a GraphQL error's `extensions`) as an
/// answer, `None` for none.
fn by_status(status: Option<i64>, message: String) -> Option<Answer> {
    match status? {
        429 => Some(Answer::RateLimited(None)),
        500..=599 => Some(Answer::Transient(message)),
        401 | 403 => Some(Answer::Fatal(format!(
            "{message} (the credentials are not the app owner's, or the token was revoked: check {EMAIL_VARIABLE} and {TOKEN_VARIABLE})"
        ))),
        _ => None,
    }
}

/// Read an answer: its HTTP status, its `Retry-After`, its body.
pub fn classify(
    status: u16,
    retry_after: Option<&str>,
    body: &str,
    names: &MetricNames,
    now: Timestamp,
) -> Answer {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let said = json
        .as_ref()
        .and_then(|v| {
            v.pointer("/errors/0/message")
                .or_else(|| v.pointer("/message"))
                .and_then(Value::as_str)
        })
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    match status {
        200 => {}
        429 => return Answer::RateLimited(retry_after.and_then(|v| retry_after_wait(v, now))),
        401 | 403 => {
            return by_status(Some(i64::from(status)), format!("HTTP {status}{said}"))
                .expect("401 and 403 are fatal");
        }
        300..=399 => {
            return Answer::Fatal(format!(
                "HTTP {status}: the endpoint redirects; give the URL it redirects to (credentials never follow a redirect)"
            ));
        }
        500..=599 => return Answer::Transient(format!("HTTP {status}{said}")),
        _ => return Answer::Fatal(format!("HTTP {status}{said}")),
    }
    let Some(json) = json else {
        return Answer::Transient("the answer is not JSON".to_owned());
    };
    if let Some(error) = json.pointer("/errors/0") {
        let message = error["message"].as_str().unwrap_or("(no message)");
        let code = error
            .pointer("/extensions/statusCode")
            .and_then(Value::as_i64);
        let message = match code {
            Some(code) => format!("{message} (status {code})"),
            None => message.to_owned(),
        };
        return by_status(code, message.clone()).unwrap_or(Answer::Fatal(message));
    }
    let app_metrics = json.pointer("/data/ecosystem/forgeMetrics/appMetrics");
    if let Some(message) = app_metrics.and_then(|m| m["message"].as_str()) {
        let code = app_metrics
            .and_then(|m| m.pointer("/extensions/statusCode"))
            .and_then(Value::as_i64);
        let said: Vec<String> = [
            app_metrics
                .and_then(|m| m["identifier"].as_str())
                .map(|i| format!("identifier {i}")),
            code.map(|c| format!("status {c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let message = if said.is_empty() {
            format!("QueryError: {message}")
        } else {
            format!("QueryError: {message} ({})", said.join(", "))
        };
        return by_status(code, message.clone()).unwrap_or(Answer::Fatal(message));
    }
    match points(body, names) {
        Ok((found, _)) => Answer::Points(found),
        Err(reason) => Answer::Transient(reason),
    }
}

/// What the poller did, as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A call was answered and written.
    Called {
        start: Timestamp,
        end: Timestamp,
        added: ForgeAdded,
        /// Calls still needed to catch up.
        behind: u64,
    },
    /// Time the API no longer holds: never fetched.
    Gap { from: Timestamp, to: Timestamp },
    /// Waiting before the next call: the five calls a minute are spent.
    Paced { wait: Duration },
    /// Waiting before asking again: the API said too many calls, or the call failed.
    Waiting { reason: String, wait: Duration },
    /// The store could not be written: the interval is asked again later (the API keeps 14
    /// days).
    Unwritable(String),
    /// Fetched up to `until` (`None`: nothing to fetch yet).
    CaughtUp { until: Option<Timestamp> },
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub calls: usize,
    pub points: usize,
    pub duplicates: usize,
    pub last: Option<Timestamp>,
}

/// Why a run stopped short.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The API refused the call: the credentials, the app, the environment or the query.
    #[error("{0}")]
    Api(String),
    /// `--once`: the API did not answer usefully, several times in a row.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Client(String),
}

/// Sleep `wait`, or less when a stop is asked; `true` when it was.
async fn pause(wait: Duration, stop: &AtomicBool, stopped: &tokio::sync::Notify) -> bool {
    if !wait.is_zero() {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.notified() => {}
        }
    }
    stop.load(Ordering::SeqCst)
}

/// One call: its answer, read within the limits.
async fn call(
    client: &reqwest::Client,
    options: &ForgeOptions,
    start: Timestamp,
    end: Timestamp,
) -> Answer {
    let request = client
        .post(&options.endpoint)
        .basic_auth(&options.credentials.email, Some(&options.credentials.token))
        .header(reqwest::header::USER_AGENT, USER_AGENT)
        .header(EXPERIMENTAL_HEADER.0, EXPERIMENTAL_HEADER.1)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(request_body(options, start, end).to_string());
    let answer = tokio::time::timeout(options.timeout, async {
        let mut response = request.send().await?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            if body.len() > ANSWER_LIMIT {
                return Ok(Err(format!(
                    "the answer is over {} MiB",
                    ANSWER_LIMIT >> 20
                )));
            }
        }
        Ok::<_, reqwest::Error>(Ok((status, retry_after, body)))
    })
    .await;
    match answer {
        Err(_) => Answer::Transient(format!("no answer within {} s", options.timeout.as_secs())),
        Ok(Err(e)) => Answer::Transient(crate::badge::notify::send::http_reason(&e)),
        Ok(Ok(Err(reason))) => Answer::Transient(reason),
        Ok(Ok(Ok((status, retry_after, body)))) => classify(
            status,
            retry_after.as_deref(),
            &String::from_utf8_lossy(&body),
            &options.names,
            Timestamp::now(),
        ),
    }
}

/// Poll the app's metrics into the store at `store`, labelled `app`, until caught up
/// (`once`), `run_for` has passed, or an interrupt; `on_event` sees what happens.
pub fn run(
    store: &Path,
    app: &str,
    options: &ForgeOptions,
    on_event: &mut dyn FnMut(&Event),
) -> Result<Summary, ForgeError> {
    check_endpoint(&options.endpoint).map_err(ForgeError::Client)?;
    let mut writer = ForgeWriter::open(store)?;
    let runtime = crate::net::runtime().map_err(|e| ForgeError::Client(e.to_string()))?;
    runtime.block_on(async {
        let client =
            crate::badge::notify::send::client(options.timeout).map_err(ForgeError::Client)?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::new(tokio::sync::Notify::new());
        crate::net::stop_on_signal(stop.clone(), stopped.clone());
        let deadline = options.run_for.map(|d| Instant::now() + d);
        let mut resume = writer.resume(app)?;
        // The calls of a poller that just stopped count against the same minute.
        let mut pace = Pace::default();
        let (wall, instant) = (Timestamp::now(), Instant::now());
        for polled in writer.recent_polls(app, FORGE_METRICS_CALLS_PER_MINUTE)? {
            if let Some(at) = instant.checked_sub(wall.since(polled)) {
                pace.record(at);
            }
        }
        let mut cumulative = Cumulative::default();
        let mut summary = Summary::default();
        let mut failures = 0u32;
        loop {
            if stop.load(Ordering::SeqCst) || deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            let now = Timestamp::now();
            let (start, end) = match plan(resume, now, options.backfill, options.settle) {
                Plan::CaughtUp { until } => {
                    on_event(&Event::CaughtUp { until });
                    if options.once {
                        break;
                    }
                    let wait = deadline.map_or(options.every, |d| {
                        options
                            .every
                            .min(d.saturating_duration_since(Instant::now()))
                    });
                    if pause(wait, &stop, &stopped).await {
                        break;
                    }
                    continue;
                }
                Plan::Call { start, end, gap } => {
                    if let Some((from, to)) = gap {
                        on_event(&Event::Gap { from, to });
                        resume = Some(to);
                    }
                    (start, end)
                }
            };
            let wait = pace.wait(Instant::now());
            if !wait.is_zero() {
                on_event(&Event::Paced { wait });
                if pause(wait, &stop, &stopped).await {
                    break;
                }
                continue;
            }
            pace.record(Instant::now());
            summary.calls += 1;
            let retry = match call(&client, options, start, end).await {
                Answer::Points(found) => {
                    let counts: Vec<ForgeCount> = found
                        .iter()
                        .filter_map(|point| {
                            let value = cumulative.increase(point)?;
                            let counts = point.counts(value);
                            Some(ForgeCount {
                                point: point.identity(),
                                at: Timestamp(point.at),
                                function: point.function.clone(),
                                invocations: counts.invocations,
                                errors: counts.errors,
                            })
                        })
                        .collect();
                    let poll = ForgePoll {
                        start,
                        end,
                        polled_at: now,
                    };
                    match writer.append(app, poll, &counts) {
                        Ok(added) => {
                            failures = 0;
                            resume = Some(end);
                            summary.points += added.points;
                            summary.duplicates += added.duplicates;
                            summary.last = Some(end);
                            on_event(&Event::Called {
                                start,
                                end,
                                added,
                                behind: calls_behind(end, Timestamp::now(), options.settle),
                            });
                            None
                        }
                        // A poller that runs until stopped asks again later (the API keeps
                        // 14 days); a `--once` run stops, and the next resumes.
                        Err(e) if e.is_unwritable() && !options.once => {
                            on_event(&Event::Unwritable(e.to_string()));
                            Some(options.every)
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Answer::RateLimited(asked) => {
                    let wait = asked.unwrap_or(RATE_LIMIT_WAIT).min(RETRY_AFTER_LIMIT);
                    on_event(&Event::Waiting {
                        reason: match asked {
                            Some(asked) if asked > RETRY_AFTER_LIMIT => format!(
                                "the API said too many calls and asked for {} s; waiting at most {} s",
                                asked.as_secs(),
                                RETRY_AFTER_LIMIT.as_secs()
                            ),
                            _ => "the API said too many calls".to_owned(),
                        },
                        wait,
                    });
                    Some(wait)
                }
                Answer::Transient(reason) => {
                    failures += 1;
                    if options.once && failures >= ONCE_ATTEMPTS {
                        return Err(ForgeError::Unavailable(format!(
                            "{failures} calls in a row failed, the last: {reason}; the next run resumes at {start}"
                        )));
                    }
                    let wait = Duration::from_secs(15 << failures.min(5)).min(options.every);
                    on_event(&Event::Waiting {
                        reason: format!("{start} to {end}: {reason}; asked again"),
                        wait,
                    });
                    Some(wait)
                }
                Answer::Fatal(reason) => return Err(ForgeError::Api(reason)),
            };
            if let Some(wait) = retry
                && pause(wait, &stop, &stopped).await
            {
                break;
            }
        }
        Ok(summary)
    })
}

#[cfg(test)]
mod tests;

//! Probe findings: what Atlassian's monitor would count as a failure, and what leaves it little
//! margin. Emitted from the probe's results, not from the questionnaire's text.

use std::time::Duration;

use super::{Family, Rule};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::duration::millis;
use crate::load::Positions;
use crate::probe::{BODY_CAP, Failure, ProbeOptions, TargetResult};
use crate::program::{HEALTH_CHECK_TIMEOUT, HSTS_MIN_MAX_AGE};

/// A p95 above this leaves less than two thirds of the 3 s limit as headroom.
pub const SLOW_P95: Duration = Duration::from_secs(1);
/// Certificates that expire within this many days are flagged.
pub const CERTIFICATE_WARNING_DAYS: i64 = 30;

macro_rules! probe_rule {
    ($name:ident, $code:literal, $slug:literal, $severity:expr, $summary:literal, $docs:literal) => {
        pub const $name: Rule = Rule {
            code: $code,
            name: $slug,
            severity: $severity,
            family: Family::Probe,
            summary: $summary,
            docs: $docs,
        };
    };
}

probe_rule!(
    PRIVATE_HOST,
    "CF701",
    "probe-private-host",
    Error,
    "The health check host is one Atlassian's monitor cannot reach",
    "## What it checks
Before any request, the probe resolves the host and refuses it when the name or any address
it resolves to is loopback, private, link-local, unique-local IPv6 or otherwise not on the
public internet. `--allow-private` lifts the refusal, for a staging server or a test.

## Why it matters
Atlassian's monitor requests the health check from Atlassian's infrastructure: it cannot
reach such a host, so every request would fail. The check is on the resolved address, so a
public-looking name that points inside a private network is caught too, and a questionnaire
in CI cannot turn the probe into a scanner of the internal network.

## Example
Fails: `https://timesheets.internal` or a name that resolves to `10.0.0.5`.

Passes: a public host name that resolves to public addresses.
"
);

probe_rule!(
    DNS,
    "CF702",
    "probe-dns",
    Error,
    "The health check host name does not resolve",
    "## What it checks
The host of each health check URL resolves to at least one address.

## Why it matters
A name that does not resolve fails every one of the monitor's requests. Typical causes: a
typo in the base URL, a record not created yet, or a name only internal DNS knows.

## Example
Fails: `https://timesheets.acme.exmaple` (misspelt).

Passes: the name customers' sites actually call.
"
);

probe_rule!(
    CONNECTION,
    "CF703",
    "probe-connection",
    Error,
    "The connection was refused or closed without a response",
    "## What it checks
The server accepts the connection and answers: a refused connection, a reset, or a connection
closed before any response are failures, each named.

## Why it matters
Each is a failed request for the monitor. A refused connection usually means nothing listens
on that port (wrong port, service down); a closed connection means the server or a proxy in
front of it gave up on the request.

## Example
Fails: `connection refused` on port 443.

Passes: the server answers `200 OK`.
"
);

probe_rule!(
    TLS,
    "CF704",
    "probe-tls",
    Error,
    "The TLS handshake failed (expired, untrusted or wrong-name certificate)",
    "## What it checks
The https connection succeeds with the system's trusted certificate authorities: the
certificate is valid today, signed by a trusted authority, and issued for the host name.
The message gives rustls's reason.

## Why it matters
Atlassian's monitor verifies certificates like any client; a certificate it does not accept
fails every request, and Atlassian requires TLS 1.2 or higher for all app traffic.

## Example
Fails: a self-signed certificate, or one that expired last night.

Passes: a certificate from a public authority, renewed automatically.
"
);

probe_rule!(
    TIMEOUT,
    "CF705",
    "probe-timeout",
    Error,
    "No whole response within the 3-second limit",
    "## What it checks
The status line, the headers and the body arrive within 3 seconds (or the lower `--timeout`).
The message says which part was late: nothing came back, or the body did not finish.

## Why it matters
Atlassian's monitor counts a response that takes longer than 3 seconds as a failure. A
health check that checks dependencies must still answer within that limit.

## Example
Fails: a health check that queries every downstream service in sequence and takes 4 s.

Passes: a dedicated endpoint that answers in milliseconds.
"
);

probe_rule!(
    REDIRECT,
    "CF706",
    "probe-redirect",
    Error,
    "The health check answers with a redirect",
    "## What it checks
The health check URL answers directly, not with a 3xx redirect. The message names the
`Location`.

## Why it matters
Atlassian's monitor does not follow redirects: a 301 or 302 is a failure, even if the target
would answer 200. Common causes: `http` to `https`, a missing or extra trailing slash, or a
login redirect.

## Example
Fails: `/healthcheck` answers `301` to `/healthcheck/`.

Passes: `/healthcheck` answers `200` itself.
"
);

probe_rule!(
    STATUS,
    "CF707",
    "probe-status",
    Error,
    "The health check answers with a status other than 200",
    "## What it checks
The status is exactly 200.

## Why it matters
Only 200 OK counts as success for Atlassian's monitor (any 2xx did before April 2023): 204
No Content fails too. A 401 or 403 means the endpoint demands authentication, but the
monitor sends unauthenticated requests; a 404 means the path is wrong.

## Example
Fails: `401 Unauthorized`, `204 No Content`, `503 Service Unavailable`.

Passes: `200 OK`.
"
);

probe_rule!(
    SLOW,
    "CF708",
    "probe-slow",
    Warning,
    "The health check's p95 latency leaves little headroom to 3 seconds",
    "## What it checks
With `--samples`, the 95th percentile of the total response time is at most 1 second.

## Why it matters
A health check that takes more than a second on a quiet afternoon will cross 3 seconds under
load or during a slow dependency, and each such request is a failure against a budget of 40
minutes per 28 days.

## Example
Fails: p95 1.8 s (headroom 1.2 s).

Passes: p95 40 ms.
"
);

probe_rule!(
    CERTIFICATE_EXPIRING,
    "CF709",
    "probe-certificate-expiring",
    Warning,
    "The TLS certificate expires within 30 days",
    "## What it checks
The leaf certificate of each https base URL is valid for at least 30 more days.

## Why it matters
An expired certificate fails every request of the monitor from the minute it lapses; 30
days leave time to notice a renewal that did not happen.

## Example
Fails: a certificate that expires in 12 days.

Passes: a certificate renewed automatically 30 days before it expires.
"
);

probe_rule!(
    STATIC_RESPONSE,
    "CF710",
    "probe-static-response",
    Warning,
    "The health check response looks like a static file",
    "## What it checks
The response carries `ETag`, `Last-Modified` or `Accept-Ranges` without
`Cache-Control: no-store`: the marks of a file served by a web server or a CDN.

## Why it matters
For a server-backed app Atlassian considers a static resource not appropriate as a health
check: a CDN or web server keeps serving it while the app behind it is down.

## Example
Fails: `/healthcheck.json` served from a bucket with an `ETag`.

Passes: an endpoint the app server answers itself, with `Cache-Control: no-store`.
"
);

probe_rule!(
    NO_HSTS,
    "CF711",
    "probe-no-hsts",
    Warning,
    "An https base URL sends no HSTS header with a max-age of a year",
    "## What it checks
The health check response over https carries `Strict-Transport-Security` with a `max-age`
of at least 31,536,000 seconds (one year).

## Why it matters
Atlassian's Marketplace security requirements ask for TLS 1.2 or higher on all traffic and
HSTS with a max-age of at least one year. The health check is the one endpoint the probe may
call anonymously, so it is where cfready can see it.

## Example
Fails: no `Strict-Transport-Security` header, or `max-age=86400`.

Passes: `Strict-Transport-Security: max-age=31536000; includeSubDomains`.
"
);

probe_rule!(
    LARGE_BODY,
    "CF712",
    "probe-large-body",
    Warning,
    "The health check response is larger than 1 MiB",
    "## What it checks
The body of the health check response is at most 1 MiB; the probe stops reading there and
never interprets it.

## Why it matters
A health check answers \"up\" in a few bytes. A large body costs transfer time against the
3-second limit on every request, about every 60 seconds, on every base URL.

## Example
Fails: the health check returns the whole app bundle.

Passes: `{\"status\":\"ok\"}`.
"
);

pub const RULES: &[&Rule] = &[
    &PRIVATE_HOST,
    &DNS,
    &CONNECTION,
    &TLS,
    &TIMEOUT,
    &REDIRECT,
    &STATUS,
    &SLOW,
    &CERTIFICATE_EXPIRING,
    &STATIC_RESPONSE,
    &NO_HSTS,
    &LARGE_BODY,
];

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `401 Unauthorized`, `299`.
pub fn status_line(status: u16) -> String {
    let text = status_text(status);
    if text.is_empty() {
        status.to_string()
    } else {
        format!("{status} {text}")
    }
}

/// The rule, message and help for one failure.
fn describe(failure: &Failure, limit: Duration) -> (&'static Rule, String, Option<String>) {
    let limit_text = millis(limit);
    match failure {
        Failure::PrivateHost { host, address, reason } => (
            &PRIVATE_HOST,
            match address {
                Some(address) if address != host => {
                    format!("`{host}` resolves to {address}, {reason}, which Atlassian's monitor cannot reach")
                }
                _ => format!("`{host}` is {reason}, which Atlassian's monitor cannot reach"),
            },
            Some("probe the public URL; --allow-private probes it anyway (staging, tests)".to_owned()),
        ),
        Failure::InvalidUrl { reason } => (&CONNECTION, format!("cannot request this URL: {reason}"), None),
        Failure::Dns { reason } => (&DNS, format!("DNS failure: {reason}"), Some("check the host name in the base URL".to_owned())),
        Failure::ConnectionRefused => (
            &CONNECTION,
            "connection refused: nothing accepts connections on that host and port".to_owned(),
            Some("is the service running, and is the port right?".to_owned()),
        ),
        Failure::Connect { reason } => (&CONNECTION, format!("cannot connect: {reason}"), None),
        Failure::NoResponse { reason } => (&CONNECTION, format!("no response: {reason}"), None),
        Failure::Body { reason } => (&CONNECTION, format!("the connection broke while reading the body: {reason}"), None),
        Failure::Tls { reason } => (
            &TLS,
            format!("TLS failure: {reason}"),
            Some("Atlassian's monitor verifies the certificate like any client".to_owned()),
        ),
        Failure::TimeoutBeforeHeaders => (
            &TIMEOUT,
            format!("no response within {limit_text}: the status line and headers did not arrive in time"),
            Some(format!(
                "Atlassian's monitor counts a response slower than {} as a failure",
                millis(HEALTH_CHECK_TIMEOUT)
            )),
        ),
        Failure::TimeoutReadingBody => (
            &TIMEOUT,
            format!("the headers arrived but the body did not finish within {limit_text}"),
            Some("the whole response must arrive in time, not only its headers".to_owned()),
        ),
        Failure::Redirect { status, location } => (
            &REDIRECT,
            match location {
                Some(location) => format!("answered {} to `{location}`: the monitor does not follow redirects", status_line(*status)),
                None => format!("answered {} without a Location: the monitor does not follow redirects", status_line(*status)),
            },
            Some("make the health check URL answer 200 itself (check http vs https and trailing slashes)".to_owned()),
        ),
        Failure::Status { status } => {
            let (why, help) = match status {
                401 | 403 => (
                    "the monitor does not authenticate",
                    "the health check must answer anonymous GET requests with 200",
                ),
                404 => ("the path does not exist on this base URL", "check health_check.path and the base URL"),
                200..=299 => (
                    "only 200 counts (any 2xx did before April 2023)",
                    "answer exactly 200 OK",
                ),
                500..=599 => (
                    "the app reports itself unhealthy, or the server failed",
                    "a dependency check that fails turns every request into a failure: check the logs",
                ),
                _ => ("only 200 counts as success", "answer exactly 200 OK"),
            };
            (&STATUS, format!("answered {}: {why}", status_line(*status)), Some(help.to_owned()))
        }
    }
}

/// Every finding of a probe run, at the base URL in the questionnaire when there is one.
pub fn diagnostics(
    results: &[TargetResult],
    options: &ProbeOptions,
    positions: Option<&Positions>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for result in results {
        let url = &result.target.url;
        let place = |diagnostic: Diagnostic| match (&result.target.pointer, positions) {
            (Some(pointer), Some(positions)) => diagnostic
                .at(positions.value(pointer))
                .pointer(pointer.as_str()),
            _ => diagnostic,
        };
        let total = result.attempts.len();
        // One finding per kind of failure, with how often it happened.
        let mut seen: Vec<std::mem::Discriminant<Failure>> = Vec::new();
        for failure in result.attempts.iter().filter_map(|a| a.failure.as_ref()) {
            let kind = std::mem::discriminant(failure);
            if seen.contains(&kind) {
                continue;
            }
            seen.push(kind);
            let count = result
                .attempts
                .iter()
                .filter(|a| {
                    a.failure
                        .as_ref()
                        .is_some_and(|f| std::mem::discriminant(f) == kind)
                })
                .count();
            let (rule, message, help) = describe(failure, options.limit);
            let how_often = if total > 1 {
                format!(" ({count} of {total} requests)")
            } else {
                String::new()
            };
            let mut diagnostic = place(Diagnostic::new(
                rule,
                format!("GET {url}: {message}{how_often}"),
            ));
            if let Some(help) = help {
                diagnostic = diagnostic.help(help);
            }
            out.push(diagnostic);
        }
        let succeeded: Vec<_> = result.attempts.iter().filter(|a| a.succeeded()).collect();
        if let Some(latency) = result.latency()
            && total > 1
            && latency.p95 > SLOW_P95
        {
            out.push(place(
                Diagnostic::new(
                    &SLOW,
                    format!(
                        "GET {url}: p95 {} leaves {} of headroom to the {} limit",
                        millis(latency.p95),
                        millis(HEALTH_CHECK_TIMEOUT.saturating_sub(latency.p95)),
                        millis(HEALTH_CHECK_TIMEOUT)
                    ),
                )
                .help("make the health check cheaper: check dependencies only if that reliably fits well within 3 s"),
            ));
        }
        let Some(last) = succeeded.last() else {
            continue;
        };
        if let Some(days) = last.tls.as_ref().and_then(|t| t.certificate_days_left)
            && days < CERTIFICATE_WARNING_DAYS
        {
            out.push(place(
                Diagnostic::new(&CERTIFICATE_EXPIRING, format!("GET {url}: the TLS certificate expires in {days} days"))
                    .help("renew it (automatically) well before it lapses: every request fails from that minute"),
            ));
        }
        if !last.static_file_headers.is_empty() {
            out.push(place(
                Diagnostic::new(
                    &STATIC_RESPONSE,
                    format!(
                        "GET {url}: the response looks like a static file ({} without Cache-Control: no-store)",
                        last.static_file_headers.join(", ")
                    ),
                )
                .help("serve the health check from the app server, with Cache-Control: no-store"),
            ));
        }
        if url.starts_with("https://") && last.hsts_max_age.is_none_or(|age| age < HSTS_MIN_MAX_AGE)
        {
            let found = match last.hsts_max_age {
                Some(age) => format!("max-age={age}"),
                None => "no Strict-Transport-Security header".to_owned(),
            };
            out.push(place(
                Diagnostic::new(&NO_HSTS, format!("GET {url}: {found}; Atlassian requires HSTS with a max-age of at least one year"))
                    .help(format!("send Strict-Transport-Security: max-age={HSTS_MIN_MAX_AGE}")),
            ));
        }
        if last.body_capped {
            out.push(place(Diagnostic::new(
                &LARGE_BODY,
                format!(
                    "GET {url}: the body is larger than {} MiB; the probe stopped reading there",
                    BODY_CAP / (1024 * 1024)
                ),
            )));
        }
    }
    out
}

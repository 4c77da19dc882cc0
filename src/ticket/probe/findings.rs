//! The probe's findings: what Atlassian's monitor would count as a failure of a Connect app's
//! health check (and the probe counts alike on a Forge remote's), and what leaves it little
//! margin, from the probe's results (the rules are in `crate::ticket::registry::probe`).

use std::time::Duration;

use super::result::{BODY_CAP, Failure, ProbeOptions, TargetResult};
use crate::diagnostic::Diagnostic;
use crate::duration::millis;
use crate::program::{HEALTH_CHECK_TIMEOUT, HSTS_MIN_MAX_AGE};
use crate::ticket::load::Positions;
use crate::ticket::registry::Rule;
use crate::ticket::registry::probe::{
    CERTIFICATE_EXPIRING, CONNECTION, DNS, LARGE_BODY, NO_HSTS, PRIVATE_HOST, REDIRECT, SLOW,
    STATIC_RESPONSE, STATUS, TIMEOUT, TLS,
};

/// A p95 above this leaves less than two thirds of the 3 s limit as headroom.
pub const SLOW_P95: Duration = Duration::from_secs(1);
/// Certificates that expire within this many days are flagged.
pub const CERTIFICATE_WARNING_DAYS: i64 = 30;

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
/// A failed request in words, as the probe's own finding says it.
pub fn failure_text(failure: &Failure, limit: Duration) -> String {
    describe(failure, limit).1
}

fn describe(failure: &Failure, limit: Duration) -> (&'static Rule, String, Option<String>) {
    let limit_text = millis(limit);
    match failure {
        Failure::PrivateHost { host, address, reason } => (
            &PRIVATE_HOST,
            match address {
                Some(address) if address != host => {
                    format!("`{host}` resolves to {address}, {reason}, which Atlassian cannot reach")
                }
                _ => format!("`{host}` is {reason}, which Atlassian cannot reach"),
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
            Some("Atlassian verifies the certificate like any client (a Connect app's monitor, Forge's calls to a remote)".to_owned()),
        ),
        Failure::TimeoutBeforeHeaders => (
            &TIMEOUT,
            format!("no response within {limit_text}: the status line and headers did not arrive in time"),
            Some(format!(
                "the program counts a health check response slower than {} as a failure (Atlassian's monitor of a Connect app)",
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

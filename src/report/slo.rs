//! `cfready slo`: the SLO report for a terminal (a block per URL, a sparkline of hourly
//! availability, a verdict line each) and as JSON (`"version": 1`).

use crate::words::plural;
use std::time::Duration;

use crate::badge::reconcile::Reconciliation;
use crate::badge::slo::{Incident, SentAlert, SloReport, UrlSlo, Verdict, percent};
use crate::duration::millis;
use crate::program::{AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_TIMEOUT};
use crate::timestamp::Timestamp;

/// Hours shown by the terminal sparkline (the most recent ones).
pub const SPARKLINE_HOURS: usize = 72;

/// Instants are shown to the second when the cadence is under this, to the minute otherwise.
const MINUTE: Duration = Duration::from_secs(60);

/// `2026-11-25 10:00Z`, or `2026-11-25 10:00:05Z` when `seconds`.
pub fn instant(at: Timestamp, seconds: bool) -> String {
    let text = at.to_string();
    let end = if seconds { 19 } else { 16 };
    format!("{} {}Z", &text[..10], &text[11..end])
}

/// Whether instants of a URL observed every `interval` need their seconds (two incidents of a
/// 10-second cadence can start in the same minute).
pub fn to_the_second(interval: Duration) -> bool {
    interval < MINUTE
}

/// A duration as people read it, rounded to what it shows (never truncated, so 1.999 s is
/// `2s` like 2 s): tenths of a second under a minute when they are not zero (`1.5s`), then
/// `2m 5s` to the second, `2h 5m` to the minute, `20d 4h` to the hour.
pub fn span(duration: Duration) -> String {
    rounded(duration, false)
}

/// The same with tenths of a second up to an hour: the error budget's `40m 19.2s`.
pub fn budget_span(duration: Duration) -> String {
    rounded(duration, true)
}

fn rounded(duration: Duration, tenths_under_an_hour: bool) -> String {
    let ms = duration.as_millis();
    let tenths = (ms + 50) / 100;
    if tenths < 600 || (tenths_under_an_hour && tenths < 36_000) {
        let (minutes, tenths) = (tenths / 600, tenths % 600);
        let seconds = if tenths % 10 == 0 {
            format!("{}s", tenths / 10)
        } else {
            format!("{}.{}s", tenths / 10, tenths % 10)
        };
        return match (minutes, tenths) {
            (0, _) => seconds,
            (m, 0) => format!("{m}m"),
            (m, _) => format!("{m}m {seconds}"),
        };
    }
    let seconds = (ms + 500) / 1000;
    if seconds < 3600 {
        return match (seconds / 60, seconds % 60) {
            (m, 0) => format!("{m}m"),
            (m, s) => format!("{m}m {s}s"),
        };
    }
    let minutes = (ms + 30_000) / 60_000;
    if minutes < 24 * 60 {
        return match (minutes / 60, minutes % 60) {
            (h, 0) => format!("{h}h"),
            (h, m) => format!("{h}h {m}m"),
        };
    }
    let hours = (ms + 1_800_000) / 3_600_000;
    match (hours / 24, hours % 24) {
        (d, 0) => format!("{d}d"),
        (d, h) => format!("{d}d {h}h"),
    }
}

/// Hourly availability as a sparkline: `█` a fully good hour, lower blocks down to 90 % and
/// under, a space for an hour with no observation.
pub fn sparkline(url: &UrlSlo, hours: usize) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let Some(last) = url.hours.last() else {
        return String::new();
    };
    let first = last.start.0 - (hours as i64 - 1) * 3_600_000;
    let mut line = String::new();
    let mut next = url
        .hours
        .iter()
        .skip_while(|h| h.start.0 < first)
        .peekable();
    let mut hour = url.hours.first().map_or(first, |h| h.start.0.max(first));
    while hour <= last.start.0 {
        match next.peek() {
            Some(h) if h.start.0 == hour => {
                let availability = h.good as f64 / h.observations as f64;
                let level = if h.good == h.observations {
                    7
                } else {
                    (((availability - 0.9) / 0.1) * 7.0).clamp(0.0, 6.0) as usize
                };
                line.push(BLOCKS[level]);
                next.next();
            }
            _ => line.push(' '),
        }
        hour += 3_600_000;
    }
    line
}

/// Why a URL has its verdict, in one clause: the failed time against the budget, how much of
/// the window was observed, and for a URL at risk, the rate that puts it there.
pub fn reason(url: &UrlSlo, window: Duration) -> String {
    match url.verdict {
        Verdict::Breached => format!(
            "{} failed in the last {}, more than the {} error budget",
            span(url.budget_used),
            span(window),
            budget_span(url.budget)
        ),
        verdict => {
            let mut text = format!(
                "{} of the {} error budget used ({:.1} %) in {} of {} observed",
                span(url.budget_used),
                budget_span(url.budget),
                url.budget_used_percent(),
                span(url.observed),
                span(window)
            );
            if verdict == Verdict::AtRisk {
                match url.budget_lasts() {
                    Some(lasts) if url.burn_rate > 1.0 => text.push_str(&format!(
                        ": at this rate it lasts {} of the {}",
                        span(lasts),
                        span(window)
                    )),
                    _ => text.push_str(&format!(
                        ": the last hour spent it {:.1}x as fast as the window allows",
                        url.burn_rate_last_hour
                    )),
                }
            }
            text
        }
    }
}

/// The one-line verdict of a URL: `AT RISK https://...: 2m of the 40m 19.2s error budget ...`.
pub fn verdict(url: &UrlSlo, window: Duration) -> String {
    format!(
        "{} {}: {}",
        url.verdict.words().to_uppercase(),
        url.url,
        reason(url, window)
    )
}

/// `2m of 40m 19.2s used (5.0 %), burn rate 1.4x (1x spends it in exactly 28d)`, and the
/// past breaches of the span looked at: history, not today's verdict.
pub fn budget(url: &UrlSlo, report: &SloReport) -> String {
    let mut text = format!(
        "{} of {} used ({:.1} %), burn rate {:.1}x (1x spends it in exactly {})",
        span(url.budget_used),
        budget_span(url.budget),
        url.budget_used_percent(),
        url.burn_rate,
        span(report.window)
    );
    for breach in &url.past_breaches {
        text.push_str(&format!(
            "; past breach: {} in the {} to {} ({} at {})",
            span(breach.failed),
            span(report.window),
            instant(breach.end, to_the_second(url.interval)),
            if url.forge {
                "breached by the program's arithmetic"
            } else {
                "Atlassian would have emailed"
            },
            instant(breach.emailed_at, to_the_second(url.interval))
        ));
    }
    text
}

/// `observed 1d of 28d, from 2026-11-18 00:00Z`.
pub fn observed(report: &SloReport) -> String {
    let seconds = report.urls.iter().any(|u| to_the_second(u.interval));
    format!(
        "observed {} of {}, from {}",
        span(report.observed),
        span(report.window),
        instant(report.observed_start, seconds)
    )
}

pub fn render_human(report: &SloReport) -> String {
    let mut out = format!(
        "SLO window {} .. {} ({}): {}; SLO {AVAILABILITY_SLO_PERCENT} % per URL, an error budget of {}\n",
        instant(report.window_start, false),
        instant(report.window_end, false),
        span(report.window),
        observed(report),
        report.urls.first().map_or_else(
            || budget_span(crate::badge::slo::budget_of(report.window)),
            |u| budget_span(u.budget)
        )
    );
    for url in &report.urls {
        let seconds = to_the_second(url.interval);
        out.push('\n');
        out.push_str(&url.url);
        out.push('\n');
        let row = |out: &mut String, label: &str, text: String| {
            out.push_str(&format!("  {label:<13} {text}\n"));
        };
        row(
            &mut out,
            "verdict",
            format!("{}: {}", url.verdict.words(), reason(url, report.window)),
        );
        row(
            &mut out,
            "availability",
            format!(
                "{} over the {} observed ({} good of {} observations, one every {})",
                percent(url.availability),
                span(url.observed),
                url.good,
                url.observations,
                span(url.interval)
            ),
        );
        row(&mut out, "error budget", budget(url, report));
        if let Some(text) = objective(url) {
            row(&mut out, "objective", text);
        }
        let incidents = if url.incidents.is_empty() {
            "none".to_owned()
        } else {
            let mut text = format!("{}", url.incidents.len());
            for incident in url.incidents.iter().rev().take(5).rev() {
                text.push_str(&format!(
                    "\n                {} for {} ({} failed: {})",
                    instant(incident.start, seconds),
                    span(incident.duration),
                    incident.failures,
                    cause(incident)
                ));
            }
            if url.incidents.len() > 5 {
                text.push_str("\n                (the 5 most recent)");
            }
            text
        };
        row(&mut out, "incidents", incidents);
        // A Forge remote's health check is the partner's own: Atlassian emails nobody about it.
        let (one_alert, alerts_sent) = if url.forge {
            (
                "1 alert by Atlassian's rule (no email: Atlassian documents none for Forge)",
                "alerts by Atlassian's rule (no email: Atlassian documents none for Forge)",
            )
        } else {
            (
                "1 email Atlassian would have sent",
                "emails Atlassian would have sent",
            )
        };
        let alerts = match url.alerts.as_slice() {
            [] => "none: no request failed".to_owned(),
            [one] => format!("{one_alert}: {}", instant(*one, seconds)),
            many => format!(
                "{} {alerts_sent}, the last {}",
                many.len(),
                instant(*many.last().expect("not empty"), seconds)
            ),
        };
        row(&mut out, "alerts", alerts);
        if let Some(text) = latency(url) {
            row(&mut out, "latency", text);
        }
        row(
            &mut out,
            "hourly",
            format!(
                "{} (last {SPARKLINE_HOURS} hours at most)",
                sparkline(url, SPARKLINE_HOURS)
            ),
        );
    }
    out.push_str(&alerts_sent(report));
    out.push('\n');
    out.push_str(&portfolio(report));
    for url in &report.urls {
        out.push_str(&verdict(url, report.window));
        out.push('\n');
    }
    for url in &report.urls {
        if let Some(objective) = &url.objective {
            out.push_str(&format!(
                "{} {}: the team's {} % objective ({} % of its budget used)\n",
                objective.verdict.words().to_uppercase(),
                url.url,
                objective.percent,
                (objective.budget_used_percent * 10.0).round() / 10.0
            ));
        }
    }
    out
}

/// A store of several apps (a portfolio monitor): one table of every URL, the worst first (by
/// verdict, then by the share of the budget used), with past breaches counted. Empty for one
/// app.
pub fn portfolio(report: &SloReport) -> String {
    let apps: std::collections::BTreeSet<&str> = report
        .urls
        .iter()
        .map(|u| u.app.as_deref().unwrap_or(""))
        .collect();
    if apps.len() < 2 {
        return String::new();
    }
    let mut urls: Vec<&UrlSlo> = report.urls.iter().collect();
    urls.sort_by(|a, b| {
        b.verdict
            .cmp(&a.verdict)
            .then(b.budget_used_percent().total_cmp(&a.budget_used_percent()))
    });
    let app_width = apps.iter().map(|a| a.len()).max().unwrap_or(0).max(3);
    let mut out = format!(
        "portfolio: {} apps, {} URLs, the worst first\n  {:<13} {:>8}  {:>12}  {:>4}  {:<app_width$}  url\n",
        apps.len(),
        urls.len(),
        "verdict",
        "budget",
        "availability",
        "past",
        "app",
    );
    for url in urls {
        out.push_str(&format!(
            "  {:<13} {:>7.1}%  {:>12}  {:>4}  {:<app_width$}  {}\n",
            url.verdict.words(),
            url.budget_used_percent(),
            percent(url.availability),
            url.past_breaches.len(),
            url.app.as_deref().unwrap_or("-"),
            url.url
        ));
    }
    out.push('\n');
    out
}

/// A URL's latency in one wording whatever its values, every figure in whole milliseconds:
/// `p50 180 ms · p95 2950 ms · max 3001 ms · headroom to 3 s at p95: 50 ms`, and for a p95 at
/// or past the limit `headroom ...: none (p95 1 ms over)`.
pub fn latency(url: &UrlSlo) -> Option<String> {
    let (latency, headroom) = (url.latency_ms?, url.headroom_ms()?);
    let headroom = match headroom {
        1.. => format!("{headroom} ms"),
        0 => "none (p95 at the limit)".to_owned(),
        _ => format!("none (p95 {} ms over)", headroom.unsigned_abs()),
    };
    Some(format!(
        "p50 {} ms · p95 {} ms · max {} ms · headroom to {} at p95: {headroom}",
        latency.p50,
        latency.p95,
        latency.max,
        millis(HEALTH_CHECK_TIMEOUT)
    ))
}

/// Why an incident's requests failed: its failure kinds, a status failure with the statuses
/// it answered (`status 503`, `status 502/503`).
pub fn cause(incident: &Incident) -> String {
    incident
        .kinds
        .iter()
        .map(|kind| {
            if kind == "status" && !incident.statuses.is_empty() {
                let statuses: Vec<String> = incident.statuses.iter().map(u16::to_string).collect();
                format!("status {}", statuses.join("/"))
            } else {
                kind.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The team's objective beside the program's: `99.95 %: breached, 30m of its 20m 9.6s budget
/// used (148.8 %), burn rate 1.5x`.
pub fn objective(url: &UrlSlo) -> Option<String> {
    let objective = url.objective.as_ref()?;
    Some(format!(
        "the team's {} % (beside the program's {AVAILABILITY_SLO_PERCENT} %): {}, {} of its {} budget used ({:.1} %), burn rate {:.1}x",
        objective.percent,
        objective.verdict.words(),
        span(url.budget_used),
        budget_span(objective.budget),
        objective.budget_used_percent,
        objective.burn_rate
    ))
}

/// How many of the alerts `monitor --notify` sent each report lists: the most recent.
pub const ALERTS_SENT_SHOWN: usize = 10;

/// The alerts `monitor --notify` sent as the reports list them: (how many were delivered, how
/// many not, the last [`ALERTS_SENT_SHOWN`] in time order).
pub fn sent_alerts(report: &SloReport) -> (usize, usize, &[SentAlert]) {
    let sent = &report.alerts_sent;
    let delivered = sent
        .iter()
        .filter(|s| s.outcome == crate::badge::history::Outcome::Delivered)
        .count();
    let shown = &sent[sent.len().saturating_sub(ALERTS_SENT_SHOWN)..];
    (delivered, sent.len() - delivered, shown)
}

/// `delivered`, `NOT delivered` or `unfinished` (the monitor stopped between attempts).
pub fn sent_outcome(alert: &SentAlert) -> &'static str {
    match alert.outcome {
        crate::badge::history::Outcome::Delivered => "delivered",
        crate::badge::history::Outcome::Undelivered => "NOT delivered",
        crate::badge::history::Outcome::Retry => "unfinished",
    }
}

/// The alerts `monitor --notify` sent, the last ten (nothing when it sent none).
pub fn alerts_sent(report: &SloReport) -> String {
    let (delivered, undelivered, shown) = sent_alerts(report);
    if shown.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nalerts sent by monitor --notify: {delivered} delivered, {undelivered} not delivered\n"
    );
    for alert in shown {
        out.push_str(&format!(
            "  {}  {:<10} {} to {} ({}, {})\n",
            instant(alert.at, true),
            alert.event,
            alert.base_url.as_deref().unwrap_or(""),
            alert.target,
            sent_outcome(alert),
            plural(alert.attempts, "attempt")
        ));
    }
    if report.alerts_sent.len() > ALERTS_SENT_SHOWN {
        out.push_str(&format!("  (the {ALERTS_SENT_SHOWN} most recent)\n"));
    }
    out
}

/// The JSON report; with Atlassian's emails reconciled, with `"atlassian"` too.
pub fn render_json(report: &SloReport, reconciliation: Option<&Reconciliation>) -> String {
    let mut text = match reconciliation {
        None => serde_json::to_string_pretty(report).expect("the report serializes"),
        Some(reconciliation) => {
            let mut value = serde_json::to_value(report).expect("the report serializes");
            value["atlassian"] = serde_json::to_value(reconciliation).expect("it serializes");
            serde_json::to_string_pretty(&value).expect("a value serializes")
        }
    };
    text.push('\n');
    text
}

/// `slo --atlassian`: Atlassian's emails against the history, for a terminal.
pub fn render_atlassian(reconciliation: &Reconciliation) -> String {
    let mut out = format!(
        "\nAtlassian's emails against the history: {} compared, {} not readable\n",
        reconciliation.emails.len(),
        reconciliation.unread.len()
    );
    for email in &reconciliation.emails {
        out.push_str(&format!(
            "  {:<13} {} ({})\n                {}\n",
            email.agreement.words(),
            email.source,
            email.incident.incident_id,
            email.explanation
        ));
    }
    for unread in &reconciliation.unread {
        out.push_str(&format!(
            "  {:<13} {}: {} [{}]\n",
            "no data", unread.source, unread.reason, unread.code
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_of_several_apps_gets_one_table_the_worst_first() {
        let start = crate::timestamp::at(2026, 11, 1, 0, 0);
        let mut history = crate::badge::history::History::default();
        for (app, failing) in [("com.acme.a", 0u64), ("com.acme.b", 50), ("com.acme.c", 5)] {
            for minute in 0..1440u64 {
                let fail = minute < failing;
                history
                    .observations
                    .push(crate::badge::history::Observation {
                        at: start.plus(Duration::from_secs(60 * minute)),
                        url: format!("https://{app}.example/health"),
                        base_url: None,
                        success: !fail,
                        failure: fail.then(|| "status".to_owned()),
                        status: Some(if fail { 503 } else { 200 }),
                        total_ms: Some(100),
                        app: Some(app.to_owned()),
                    });
            }
        }
        let report = crate::badge::slo::compute_history(
            history,
            &crate::badge::slo::SloOptions::default(),
            None,
        )
        .unwrap();
        let table = portfolio(&report);
        let rows: Vec<&str> = table.lines().skip(2).filter(|l| !l.is_empty()).collect();
        assert!(
            table.starts_with("portfolio: 3 apps, 3 URLs, the worst first"),
            "{table}"
        );
        assert!(
            rows[0].contains("breached") && rows[0].contains("com.acme.b"),
            "{table}"
        );
        assert!(
            rows[1].contains("at risk") && rows[1].contains("com.acme.c"),
            "{table}"
        );
        assert!(
            rows[2].contains("within budget") && rows[2].contains("com.acme.a"),
            "{table}"
        );
        assert!(render_human(&report).contains(&table));
        // One app: no table.
        let mut one = report.clone();
        one.urls.truncate(1);
        assert_eq!(portfolio(&one), "");
    }

    #[test]
    fn spans_round_to_what_they_show() {
        let ms = Duration::from_millis;
        assert_eq!(span(ms(1999)), "2s");
        assert_eq!(span(ms(2000)), "2s");
        assert_eq!(span(ms(1500)), "1.5s");
        assert_eq!(span(ms(59_960)), "1m");
        assert_eq!(span(ms(2_419_200)), "40m 19s");
        assert_eq!(budget_span(ms(2_419_200)), "40m 19.2s");
        assert_eq!(span(ms(602_240)), "10m 2s");
        assert_eq!(span(ms(119_600)), "2m");
        assert_eq!(span(ms(3_599_990)), "1h");
        assert_eq!(span(ms(5_400_000 - 1)), "1h 30m");
        assert_eq!(span(ms(86_400_000 - 1)), "1d");
        assert_eq!(span(ms(20 * 86_400_000 + 4 * 3_600_000)), "20d 4h");
        assert_eq!(span(ms(28 * 86_400_000)), "28d");
    }

    #[test]
    fn instants_show_seconds_under_a_minute_cadence() {
        let at = crate::timestamp::at(2026, 11, 25, 10, 0).plus(Duration::from_secs(5));
        assert!(to_the_second(Duration::from_secs(10)));
        assert!(!to_the_second(Duration::from_secs(60)));
        assert_eq!(instant(at, true), "2026-11-25 10:00:05Z");
        assert_eq!(instant(at, false), "2026-11-25 10:00Z");
    }
}

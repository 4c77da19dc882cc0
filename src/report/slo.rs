//! `cfready slo`: the SLO report for a terminal (a block per URL, a sparkline of hourly
//! availability, a verdict line each) and as JSON (`"version": 1`).

use crate::duration::{human, millis};
use crate::program::AVAILABILITY_SLO_PERCENT;
use crate::slo::{SloReport, UrlSlo, percent};
use crate::timestamp::Timestamp;

/// Hours shown by the terminal sparkline (the most recent ones).
pub const SPARKLINE_HOURS: usize = 72;

/// `2026-11-25 10:00Z`: an instant to the minute, for a terminal.
fn minute(at: Timestamp) -> String {
    let text = at.to_string();
    format!("{} {}Z", &text[..10], &text[11..16])
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

/// The one-line verdict of a URL.
pub fn verdict(url: &UrlSlo) -> String {
    let used = url.budget_used.as_secs_f64() / url.budget.as_secs_f64() * 100.0;
    format!(
        "{} {}: {} {} {AVAILABILITY_SLO_PERCENT} %, {} of the error budget used",
        if url.meets_slo() { "PASS" } else { "FAIL" },
        url.url,
        percent(url.availability),
        if url.meets_slo() { ">=" } else { "<" },
        format_args!("{used:.1} %"),
    )
}

pub fn render_human(report: &SloReport) -> String {
    let mut out = format!(
        "SLO window {} .. {} ({}), SLO {AVAILABILITY_SLO_PERCENT} % per URL\n",
        minute(report.window_start),
        minute(report.window_end),
        human(report.window)
    );
    for url in &report.urls {
        out.push('\n');
        out.push_str(&url.url);
        out.push('\n');
        let row = |out: &mut String, label: &str, text: String| {
            out.push_str(&format!("  {label:<13} {text}\n"));
        };
        row(
            &mut out,
            "availability",
            format!(
                "{} ({} good of {} observations, one every {})",
                percent(url.availability),
                url.good,
                url.observations,
                human(url.interval)
            ),
        );
        row(
            &mut out,
            "error budget",
            format!(
                "{} of {} used ({:.1} %)",
                human(url.budget_used),
                human(url.budget),
                url.budget_used.as_secs_f64() / url.budget.as_secs_f64() * 100.0
            ),
        );
        let incidents = if url.incidents.is_empty() {
            "none".to_owned()
        } else {
            let mut text = format!("{}", url.incidents.len());
            for incident in url.incidents.iter().rev().take(5).rev() {
                text.push_str(&format!(
                    "\n                {} for {} ({} failed: {})",
                    minute(incident.start),
                    human(incident.duration),
                    incident.failures,
                    incident.kinds.join(", ")
                ));
            }
            if url.incidents.len() > 5 {
                text.push_str("\n                (the 5 most recent)");
            }
            text
        };
        row(&mut out, "incidents", incidents);
        let alerts = match url.alerts.as_slice() {
            [] => "none: no request failed".to_owned(),
            [one] => format!("1 email Atlassian would have sent: {}", minute(*one)),
            many => format!(
                "{} emails Atlassian would have sent, the last {}",
                many.len(),
                minute(*many.last().expect("not empty"))
            ),
        };
        row(&mut out, "alerts", alerts);
        if let (Some(latency), Some(headroom)) = (url.latency_ms, url.headroom_ms()) {
            row(
                &mut out,
                "latency",
                format!(
                    "p50 {} · p95 {} · max {} · headroom to 3 s at p95: {}",
                    millis(std::time::Duration::from_millis(latency.p50)),
                    millis(std::time::Duration::from_millis(latency.p95)),
                    millis(std::time::Duration::from_millis(latency.max)),
                    if headroom >= 0 {
                        millis(std::time::Duration::from_millis(headroom.unsigned_abs()))
                    } else {
                        "none".to_owned()
                    }
                ),
            );
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
    out.push('\n');
    for url in &report.urls {
        out.push_str(&verdict(url));
        out.push('\n');
    }
    out
}

pub fn render_json(report: &SloReport) -> String {
    let mut value = serde_json::to_value(report).expect("the report serializes");
    // The hourly series are for the HTML charts; JSON readers get the figures.
    if let Some(urls) = value["urls"].as_array_mut() {
        for url in urls {
            if let Some(url) = url.as_object_mut() {
                url.remove("hours");
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).expect("JSON");
    text.push('\n');
    text
}

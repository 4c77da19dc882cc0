//! `cfready slo --format html`: the SLO report as one self-contained page. Inline CSS and
//! inline SVG charts, no script, no font, no request of any kind: it opens the same from a
//! CI artifact, an email attachment or a disk with no network.

use crate::words::plural;
use std::fmt::Write as _;

use std::time::Duration;

use super::slo::{budget_span, instant, reason, span, to_the_second};
use crate::badge::reconcile::{Agreement, Reconciled, Reconciliation};
use crate::badge::slo::{Bucket, SloReport, UrlSlo, Verdict, budget_of, percent};
use crate::program::{
    ALERT_WINDOW, AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_STATUS,
    HEALTH_CHECK_TIMEOUT, SLO_WINDOW,
};
use crate::timestamp::Timestamp;

/// Chart size in SVG units (the page scales it to its width).
const WIDTH: f64 = 880.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 26.0;

pub(super) const STYLE: &str = "
:root{color-scheme:light;--ink:#172b4d;--muted:#5e6c84;--line:#dfe1e6;--good:#1f845a;--bad:#c9372c;--p50:#0c66e4;--p95:#6e5dc6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:#f7f8f9}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 8px;word-break:break-all}
h3{font-size:15px;margin:20px 0 6px;color:var(--muted)}
p.meta{color:var(--muted);margin:0 0 16px}
section.url{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 20px 20px;margin:20px 0}
.verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px;color:#fff}
.within{background:var(--good)}.risk{background:#a54800}.breached{background:var(--bad)}
p.reason{margin:6px 0 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}
dt{color:var(--muted)}dd{margin:0}
svg{display:block;width:100%;height:auto;background:#fff}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}
table.atlassian td{overflow-wrap:anywhere;vertical-align:top}
.legend span{margin-right:16px;color:var(--muted)}
.legend i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
footer{color:var(--muted);font-size:13px;margin-top:32px}
";

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Maps instants and values to the chart's area.
struct Frame {
    start: i64,
    end: i64,
    low: f64,
    high: f64,
    /// Whether the time labels need their seconds.
    seconds: bool,
}

impl Frame {
    fn x(&self, at: Timestamp) -> f64 {
        let span = (self.end - self.start).max(1) as f64;
        LEFT + (at.0 - self.start) as f64 / span * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, value: f64) -> f64 {
        let value = value.clamp(self.low, self.high);
        TOP + (self.high - value) / (self.high - self.low) * (HEIGHT - TOP - BOTTOM)
    }

    /// The part of a bucket inside the chart, as x coordinates (a bucket aligned on whole
    /// hours may start before the first observation and end after the last).
    fn clip(&self, start: Timestamp, step: Duration) -> (f64, f64) {
        let from = start.0.max(self.start);
        let to = start.plus(step).0.min(self.end);
        (self.x(Timestamp(from)), self.x(Timestamp(to)))
    }

    /// Each bucket's value held across the part of the bucket inside the chart.
    fn steps(
        &self,
        buckets: &[Bucket],
        step: Duration,
        value: impl Fn(&Bucket) -> Option<f64>,
    ) -> Vec<(f64, f64)> {
        let mut points = Vec::new();
        for bucket in buckets {
            if let Some(value) = value(bucket) {
                let (from, to) = self.clip(bucket.start, step);
                let y = self.y(value);
                points.push((from, y));
                points.push((to, y));
            }
        }
        points
    }
}

/// `hour`, `5 minutes`, `day`: the charts' bucket in words.
fn per(step: Duration) -> String {
    match step.as_secs() {
        60 => "minute".to_owned(),
        3600 => "hour".to_owned(),
        86_400 => "day".to_owned(),
        604_800 => "week".to_owned(),
        s if s < 60 => format!("{s} seconds"),
        s if s < 3600 => format!("{} minutes", s / 60),
        s if s < 86_400 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

/// The axes, gridlines with labels, and the time labels at both ends.
fn axes(svg: &mut String, frame: &Frame, ticks: &[(f64, String)]) {
    for (value, label) in ticks {
        let y = frame.y(*value);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#dfe1e6"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(label)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>"#,
        HEIGHT - 6.0,
        instant(Timestamp(frame.start), frame.seconds),
        WIDTH - RIGHT,
        HEIGHT - 6.0,
        instant(Timestamp(frame.end), frame.seconds)
    );
}

/// A dashed red line across the chart at `y`, labelled at its right end.
fn limit_line(svg: &mut String, y: f64, label: &str) {
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#c9372c" stroke-dasharray="5 4"/><text x="{}" y="{:.1}" text-anchor="end" style="fill:#c9372c">{}</text>"##,
        WIDTH - RIGHT,
        WIDTH - RIGHT - 4.0,
        y + 13.0,
        escape(label)
    );
}

fn open_svg(label: &str) -> String {
    format!(
        r#"<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}">"#,
        escape(label)
    )
}

/// A series as a line of `color`; a series of one point (one bucket drawn at a width of a
/// pixel or less) gets a dot too, so that it shows.
fn polyline(svg: &mut String, points: &[(f64, f64)], color: &str) {
    let text: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
        text.join(" ")
    );
    let narrow = match points {
        [] => false,
        [_] => true,
        [first, .., last] => points.len() <= 2 && last.0 - first.0 < 4.0,
    };
    if narrow {
        let (x, y) = points[0];
        let _ = write!(
            svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{color}"/>"#
        );
    }
}

/// Availability per bucket against the 99.9 % line, with Atlassian's alerts as red ticks.
fn availability_chart(
    url: &UrlSlo,
    frame: &Frame,
    step: Duration,
    emails: &[&Reconciled],
) -> String {
    let mut svg = open_svg(&format!("Availability per {} of {}", per(step), url.url));
    axes(
        &mut svg,
        frame,
        &[
            (100.0, "100 %".to_owned()),
            (
                99.0,
                if frame.low < 99.0 { "99 %" } else { "≤99 %" }.to_owned(),
            ),
            (frame.low, format!("≤{} %", frame.low)),
        ][..if frame.low < 99.0 { 3 } else { 2 }],
    );
    // The SLO line, labelled inside the chart (its tick would sit on the 100 % one).
    limit_line(
        &mut svg,
        frame.y(AVAILABILITY_SLO_PERCENT),
        &format!("SLO {AVAILABILITY_SLO_PERCENT} %"),
    );
    if let Some(objective) = &url.objective {
        let y = frame.y(objective.percent);
        let _ = write!(
            svg,
            r##"<line class="objective" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#6e5dc6" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" style="fill:#6e5dc6">team {} %</text>"##,
            WIDTH - RIGHT,
            LEFT + 4.0,
            y - 3.0,
            objective.percent
        );
    }
    let points = frame.steps(&url.buckets, step, |b| {
        Some(b.good as f64 / b.observations as f64 * 100.0)
    });
    polyline(&mut svg, &points, "#1f845a");
    episodes(&mut svg, frame, emails);
    for alert in &url.alerts {
        let x = frame.x(*alert);
        let _ = write!(
            svg,
            r##"<line class="alert" x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#c9372c" stroke-width="2"><title>alert {}</title></line>"##,
            HEIGHT - BOTTOM,
            instant(*alert, frame.seconds)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Atlassian's emails about this URL: each window shaded (green agree, red differ, grey not
/// observed) with its end marked, clipped to the chart.
fn episodes(svg: &mut String, frame: &Frame, emails: &[&Reconciled]) {
    for email in emails {
        let (start, end) = email.window();
        if end.0 <= frame.start || start.0 >= frame.end {
            continue;
        }
        let from = frame.x(Timestamp(start.0.max(frame.start)));
        let to = frame.x(Timestamp(end.0.min(frame.end)));
        let color = agreement_color(email.agreement);
        let _ = write!(
            svg,
            r#"<rect class="atlassian {}" x="{from:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="{color}" fill-opacity="0.15" stroke="{color}" stroke-dasharray="2 2"><title>Atlassian {} % over {} to {}: {}</title></rect>"#,
            class_of(email.agreement),
            (to - from).max(1.0),
            HEIGHT - TOP - BOTTOM,
            email.incident.sli_value,
            email.start,
            email.end,
            email.agreement.words()
        );
    }
}

fn agreement_color(agreement: Agreement) -> &'static str {
    match agreement {
        Agreement::Agree => "#1f845a",
        Agreement::Differ => "#c9372c",
        Agreement::NotObserved => "#5e6c84",
    }
}

fn class_of(agreement: Agreement) -> &'static str {
    match agreement {
        Agreement::Agree => "agree",
        Agreement::Differ => "differ",
        Agreement::NotObserved => "not-observed",
    }
}

/// The reconciliation table: one row per email, and one per email that could not be read.
fn atlassian_table(out: &mut String, reconciliation: &Reconciliation) {
    out.push_str("<section class=\"url\"><h2>Atlassian's emails against the history</h2>\n<table class=\"atlassian\"><thead><tr><th>Email</th><th>Window</th><th>Atlassian</th><th>History</th><th>Verdict</th><th>Why</th></tr></thead><tbody>\n");
    for email in &reconciliation.emails {
        let history = email
            .urls
            .iter()
            .find(|w| Some(&w.url) == email.url.as_ref())
            .and_then(|w| {
                w.availability_percent
                    .map(|a| format!("{a:.3} % ({} failed of {})", w.failed, w.observations))
            })
            .unwrap_or_else(|| "not observed".to_owned());
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{}<br>{}</td><td>{} to {}</td><td>{} %</td><td>{}</td><td><b style=\"color:{}\">{}</b></td><td>{}</td></tr>",
            class_of(email.agreement),
            escape(&email.source),
            escape(&email.incident.incident_id),
            escape(&email.start),
            escape(&email.end),
            email.incident.sli_value,
            escape(&history),
            agreement_color(email.agreement),
            email.agreement.words(),
            escape(&email.explanation)
        );
    }
    for unread in &reconciliation.unread {
        let _ = writeln!(
            out,
            "<tr class=\"unread\"><td>{}</td><td colspan=\"4\">no data ({})</td><td>{}</td></tr>",
            escape(&unread.source),
            unread.code,
            escape(&unread.reason)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// p50 and p95 per bucket against the 3-second limit.
fn latency_chart(url: &UrlSlo, frame: &Frame, step: Duration) -> String {
    let limit = HEALTH_CHECK_TIMEOUT.as_millis() as f64;
    let worst = url
        .buckets
        .iter()
        .filter_map(|b| b.latency_ms.map(|l| l.p95 as f64))
        .fold(0.0, f64::max);
    let frame = Frame {
        low: 0.0,
        high: (worst.max(limit) * 1.1).ceil(),
        ..*frame
    };
    let mut svg = open_svg(&format!("Latency per {} of {}", per(step), url.url));
    axes(
        &mut svg,
        &frame,
        &[
            (0.0, "0".to_owned()),
            (limit, span(HEALTH_CHECK_TIMEOUT)),
            (limit / 2.0, span(HEALTH_CHECK_TIMEOUT / 2)),
        ],
    );
    limit_line(
        &mut svg,
        frame.y(limit),
        &format!("the {} limit", span(HEALTH_CHECK_TIMEOUT)),
    );
    for (pick, color) in [(0, "#0c66e4"), (1, "#6e5dc6")] {
        let points = frame.steps(&url.buckets, step, |b| {
            let l = b.latency_ms?;
            Some(if pick == 0 { l.p50 } else { l.p95 } as f64)
        });
        polyline(&mut svg, &points, color);
    }
    svg.push_str("</svg>");
    svg
}

/// The error budget left, bucket by bucket, from the whole budget at the first observation.
fn budget_chart(url: &UrlSlo, frame: &Frame, step: Duration) -> String {
    let budget = url.budget.as_secs_f64();
    let mut used = 0.0;
    let mut series = vec![(Timestamp(frame.start), budget)];
    for bucket in &url.buckets {
        used += (bucket.observations - bucket.good) as f64 * url.interval.as_secs_f64();
        let end = bucket.start.plus(step).min(Timestamp(frame.end));
        series.push((end, budget - used));
    }
    let lowest = series.iter().map(|(_, v)| *v).fold(0.0, f64::min);
    let frame = Frame {
        low: lowest,
        high: budget,
        ..*frame
    };
    let mut svg = open_svg(&format!("Error budget left of {}", url.url));
    axes(
        &mut svg,
        &frame,
        &[
            (budget, "all".to_owned()),
            (budget / 2.0, "half".to_owned()),
            (0.0, "0".to_owned()),
        ],
    );
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|(at, value)| (frame.x(*at), frame.y(*value)))
        .collect();
    let color = if used > budget { "#c9372c" } else { "#1f845a" };
    polyline(&mut svg, &points, color);
    svg.push_str("</svg>");
    svg
}

/// The CSS class of a verdict's badge.
fn class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::WithinBudget => "within",
        Verdict::AtRisk => "risk",
        Verdict::Breached => "breached",
    }
}

fn url_section(
    out: &mut String,
    url: &UrlSlo,
    report: &SloReport,
    reconciliation: Option<&Reconciliation>,
) {
    let seconds = to_the_second(url.interval);
    // The observed part of the window: a history shorter than the window is drawn whole.
    let lowest = url
        .buckets
        .iter()
        .map(|b| b.good as f64 / b.observations as f64 * 100.0)
        .fold(100.0, f64::min);
    let frame = Frame {
        start: report.observed_start.0,
        end: report.observed_end().0,
        low: if lowest >= 99.0 { 99.0 } else { 98.0 },
        high: 100.0,
        seconds: report.urls.iter().any(|u| to_the_second(u.interval))
            || report.observed < Duration::from_secs(3600),
    };
    let _ = write!(
        out,
        r#"<section class="url"><h2>{}</h2><span class="verdict {}">{}</span>
<p class="reason">{}</p>
<dl><dt>Observed</dt><dd>{} of the {} window</dd>
<dt>Availability</dt><dd>{} of the observed part ({} good of {} observations, one every {}): information, the verdict is the error budget's</dd>
<dt>Error budget</dt><dd>{}</dd>
{}<dt>Incidents</dt><dd>{}</dd>
<dt>Alerts</dt><dd>{} {}</dd>
"#,
        escape(&url.url),
        class(url.verdict),
        url.verdict.words(),
        escape(&reason(url, report.window)),
        span(url.observed),
        span(report.window),
        percent(url.availability),
        url.good,
        url.observations,
        span(url.interval),
        escape(&super::slo::budget(url, report)),
        super::slo::objective(url).map_or_else(String::new, |text| format!(
            "<dt>Team objective</dt><dd>{}</dd>\n",
            escape(&text)
        )),
        url.incidents.len(),
        plural(url.alerts.len(), if url.forge { "alert" } else { "email" }),
        if url.forge {
            "by Atlassian's rule (a Forge remote's health check: Atlassian documents no email for Forge)"
        } else {
            "Atlassian would have sent to the SLO-breach mailbox"
        },
    );
    if let Some(text) = super::slo::latency(url) {
        let _ = writeln!(out, "<dt>Latency</dt><dd>{}</dd>", escape(&text));
    }
    let every = per(report.step);
    let emails: Vec<&Reconciled> = reconciliation
        .map(|r| {
            r.emails
                .iter()
                .filter(|e| e.url.as_ref().is_none_or(|u| *u == url.url))
                .collect()
        })
        .unwrap_or_default();
    let shaded = if emails.is_empty() {
        ""
    } else {
        "; shaded: the windows of Atlassian's emails, green agree, red differ, grey not observed"
    };
    let _ = writeln!(
        out,
        "</dl>\n<h3>Availability per {every}, against the {AVAILABILITY_SLO_PERCENT} % line (red ticks: alerts{shaded})</h3>"
    );
    out.push_str(&availability_chart(url, &frame, report.step, &emails));
    let _ = writeln!(
        out,
        "\n<h3>Latency per {every}</h3>\n<p class=\"legend\"><span><i style=\"background:#0c66e4\"></i>p50</span><span><i style=\"background:#6e5dc6\"></i>p95</span><span><i style=\"background:#c9372c\"></i>the {} limit</span></p>",
        span(HEALTH_CHECK_TIMEOUT)
    );
    out.push_str(&latency_chart(url, &frame, report.step));
    let _ = writeln!(
        out,
        "\n<h3>Error budget left over the observed part (all: {})</h3>",
        budget_span(url.budget)
    );
    out.push_str(&budget_chart(url, &frame, report.step));
    if !url.incidents.is_empty() {
        out.push_str("\n<h3>Incidents</h3>\n<table><thead><tr><th>Start</th><th>End</th><th>Duration</th><th>Failed requests</th><th>Why</th></tr></thead><tbody>\n");
        for incident in &url.incidents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                instant(incident.start, seconds),
                instant(incident.end, seconds),
                span(incident.duration),
                incident.failures,
                escape(&super::slo::cause(incident))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// The alerts `monitor --notify` sent, as the text report lists them (nothing when none).
fn alerts_sent(out: &mut String, report: &SloReport) {
    let (delivered, undelivered, shown) = super::slo::sent_alerts(report);
    if shown.is_empty() {
        return;
    }
    let recent = if report.alerts_sent.len() > shown.len() {
        format!(", the {} most recent below", shown.len())
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "<section class=\"url\"><h2>Alerts sent by monitor --notify</h2>\n<p class=\"reason\">{delivered} delivered, {undelivered} not delivered{recent}</p>\n<table><thead><tr><th>Sent</th><th>Event</th><th>Base URL</th><th>Target</th><th>Outcome</th><th>Attempts</th></tr></thead><tbody>\n"
    );
    for alert in shown {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            instant(alert.at, true),
            escape(&alert.event.to_string()),
            escape(alert.base_url.as_deref().unwrap_or("")),
            escape(&alert.target),
            super::slo::sent_outcome(alert),
            alert.attempts
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// The page; with Atlassian's emails reconciled (`slo --atlassian`), a table after the
/// summary and each email's window shaded on the availability chart of its URL.
pub fn render(report: &SloReport, reconciliation: Option<&Reconciliation>) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cloud Fortified SLO report</title>\n<style>{STYLE}</style></head>\n<body><main>\n<h1>Cloud Fortified SLO report</h1>\n<p class=\"meta\">{} · window {} to {} ({}) · SLO {AVAILABILITY_SLO_PERCENT} % per health check URL, an error budget of {} · {}</p>\n",
        escape(&super::slo::observed(report)),
        instant(report.window_start, false),
        instant(report.window_end, false),
        span(report.window),
        budget_span(budget_of(report.window)),
        plural(report.urls.len(), "URL")
    );
    if let Some(reconciliation) = reconciliation {
        atlassian_table(&mut out, reconciliation);
    }
    for url in &report.urls {
        url_section(&mut out, url, report, reconciliation);
    }
    alerts_sent(&mut out, report);
    let _ = write!(
        out,
        "<footer><p><b>What the numbers mean.</b> Atlassian requests the health check of every base URL about every {} seconds: a request is good when it answers {HEALTH_CHECK_STATUS} with the whole response within {} seconds, without a redirect. The SLO is {AVAILABILITY_SLO_PERCENT} % over {} days, an error budget of {}; each failed request costs one interval of it. A URL has <b>breached</b> the SLO when the failed time inside a window of {} exceeds the budget, is <b>at risk</b> when it spends the budget faster than the window allows (over the observed part, or more than {}x over the last hour), and is <b>within budget</b> otherwise. Availability (good requests over all) is shown for the part of the window the history covers. Atlassian emails the SLO-breach mailbox when at least one request failed in the last {} minutes: one alert per episode of failures. Announced maintenance is excluded.</p><p>cfready {} · computed from the monitor's history</p></footer>\n</main></body></html>\n",
        HEALTH_CHECK_INTERVAL.as_secs(),
        HEALTH_CHECK_TIMEOUT.as_secs(),
        SLO_WINDOW.as_secs() / 86_400,
        budget_span(crate::program::error_budget()),
        span(report.window),
        crate::badge::slo::FAST_BURN_RATE,
        ALERT_WINDOW.as_secs() / 60,
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An hour of two URLs observed every minute: `a` at p95 exactly 3000 ms, `b` at 3001 ms and
    /// answering 503 for three minutes; two alerts sent for `b`, one of them not delivered.
    fn two_urls() -> SloReport {
        use crate::badge::history::{Delivery, History, Observation, Outcome};
        let start = crate::timestamp::at(2026, 11, 25, 10, 0);
        let mut observations = Vec::new();
        for minute in 0..60u64 {
            for (name, slow) in [("a", 3000), ("b", 3001)] {
                let failed = name == "b" && (10..13).contains(&minute);
                observations.push(Observation {
                    app: None,
                    at: start.plus(Duration::from_secs(60 * minute)),
                    url: format!("https://{name}.example/health"),
                    base_url: Some(format!("https://{name}.example")),
                    success: !failed,
                    failure: failed.then(|| "status".to_owned()),
                    status: Some(if failed { 503 } else { 200 }),
                    // One request in ten at `slow`: the p95.
                    total_ms: Some(if minute % 10 == 9 { slow } else { 180 }),
                });
            }
        }
        let delivery = |minute: u64, event: &str, outcome: Outcome| Delivery {
            at: start.plus(Duration::from_secs(60 * minute)),
            target: "slack:env:SLACK_URL".to_owned(),
            event: crate::badge::history::DeliveryEvent::parse(event),
            key: "b-10".to_owned(),
            base_url: Some("https://b.example".to_owned()),
            attempt: 1,
            outcome,
            status: None,
            error: None,
        };
        let history = History {
            observations,
            deliveries: vec![
                delivery(10, "failure", Outcome::Delivered),
                delivery(13, "recovered", Outcome::Undelivered),
            ],
            warnings: Vec::new(),
        };
        crate::badge::slo::compute_history(history, &crate::badge::slo::SloOptions::default(), None)
            .unwrap()
    }

    #[test]
    fn every_url_words_its_latency_alike_and_an_incident_names_its_status() {
        let report = two_urls();
        let human = super::super::slo::render_human(&report);
        let html = render(&report, None);
        let a = "p50 180 ms · p95 3000 ms · max 3000 ms · headroom to 3 s at p95: none (p95 at the limit)";
        let b =
            "p50 180 ms · p95 3001 ms · max 3001 ms · headroom to 3 s at p95: none (p95 1 ms over)";
        for text in [a, b] {
            assert!(
                human.contains(&format!("  latency       {text}\n")),
                "{human}"
            );
            assert!(
                html.contains(&format!("<dt>Latency</dt><dd>{text}</dd>")),
                "{html}"
            );
        }
        assert!(human.contains("(3 failed: status 503)"), "{human}");
        assert!(html.contains("<td>3</td><td>status 503</td>"), "{html}");
        let json = super::super::slo::render_json(&report, None);
        assert!(
            json.contains("\"statuses\": [\n            503\n"),
            "{json}"
        );
    }

    #[test]
    fn the_html_report_lists_the_alerts_sent_as_the_text_report_does() {
        let report = two_urls();
        let human = super::super::slo::render_human(&report);
        assert!(
            human.contains("alerts sent by monitor --notify: 1 delivered, 1 not delivered\n"),
            "{human}"
        );
        let html = render(&report, None);
        assert!(
            html.contains("<h2>Alerts sent by monitor --notify</h2>"),
            "{html}"
        );
        assert!(html.contains(">1 delivered, 1 not delivered</p>"), "{html}");
        for (sent, event, outcome) in [
            ("2026-11-25 10:10:00Z", "failure", "delivered"),
            ("2026-11-25 10:13:00Z", "recovered", "NOT delivered"),
        ] {
            let row = format!(
                "<tr><td>{sent}</td><td>{event}</td><td>https://b.example</td><td>slack:env:SLACK_URL</td><td>{outcome}</td><td>1</td></tr>"
            );
            assert!(html.contains(&row), "{row}\n{html}");
            assert!(human.contains(&format!("  {sent}  {event:<10} https://b.example to slack:env:SLACK_URL ({outcome}, 1 attempt)\n")), "{human}");
        }
        // No alert sent, no section.
        let mut quiet = report;
        quiet.alerts_sent.clear();
        assert!(!render(&quiet, None).contains("monitor --notify"));
    }
}

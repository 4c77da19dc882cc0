//! `cfready slo --format html`: the SLO report as one self-contained page. Inline CSS and
//! inline SVG charts, no script, no font, no request of any kind: it opens the same from a
//! CI artifact, an email attachment or a disk with no network.

use std::fmt::Write as _;

use crate::duration::{human, millis};
use crate::program::{AVAILABILITY_SLO_PERCENT, HEALTH_CHECK_TIMEOUT};
use crate::slo::{SloReport, UrlSlo, percent};
use crate::timestamp::Timestamp;

/// Chart size in SVG units (the page scales it to its width).
const WIDTH: f64 = 880.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 26.0;

const STYLE: &str = "
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
.pass{background:var(--good)}.fail{background:var(--bad)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}
dt{color:var(--muted)}dd{margin:0}
svg{display:block;width:100%;height:auto;background:#fff}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}
.legend span{margin-right:16px;color:var(--muted)}
.legend i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
footer{color:var(--muted);font-size:13px;margin-top:32px}
";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn minute(at: Timestamp) -> String {
    let text = at.to_string();
    format!("{} {}Z", &text[..10], &text[11..16])
}

/// Maps instants and values to the chart's area.
struct Frame {
    start: i64,
    end: i64,
    low: f64,
    high: f64,
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
        minute(Timestamp(frame.start)),
        WIDTH - RIGHT,
        HEIGHT - 6.0,
        minute(Timestamp(frame.end))
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

/// Hourly availability against the 99.9 % line, with Atlassian's alerts as red ticks.
fn availability_chart(url: &UrlSlo, frame: &Frame) -> String {
    let mut svg = open_svg(&format!("Availability per hour of {}", url.url));
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
    let mut points = String::new();
    for hour in &url.hours {
        let value = hour.good as f64 / hour.observations as f64 * 100.0;
        let _ = write!(
            points,
            "{:.1},{:.1} {:.1},{:.1} ",
            frame.x(hour.start),
            frame.y(value),
            frame.x(hour.start.plus(std::time::Duration::from_secs(3600))),
            frame.y(value)
        );
    }
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#1f845a" stroke-width="2"/>"##,
        points.trim_end()
    );
    for alert in &url.alerts {
        let x = frame.x(*alert);
        let _ = write!(
            svg,
            r##"<line class="alert" x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#c9372c" stroke-width="2"><title>alert {}</title></line>"##,
            HEIGHT - BOTTOM,
            minute(*alert)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Hourly p50 and p95 against the 3-second limit.
fn latency_chart(url: &UrlSlo, frame_times: (i64, i64)) -> String {
    let limit = HEALTH_CHECK_TIMEOUT.as_millis() as f64;
    let worst = url
        .hours
        .iter()
        .filter_map(|h| h.latency_ms.map(|l| l.p95 as f64))
        .fold(0.0, f64::max);
    let frame = Frame {
        start: frame_times.0,
        end: frame_times.1,
        low: 0.0,
        high: (worst.max(limit) * 1.1).ceil(),
    };
    let mut svg = open_svg(&format!("Latency per hour of {}", url.url));
    axes(
        &mut svg,
        &frame,
        &[
            (0.0, "0".to_owned()),
            (limit, "3 s".to_owned()),
            (limit / 2.0, "1.5 s".to_owned()),
        ],
    );
    limit_line(&mut svg, frame.y(limit), "the 3 s limit");
    for (pick, color) in [(0, "#0c66e4"), (1, "#6e5dc6")] {
        let points: Vec<String> = url
            .hours
            .iter()
            .filter_map(|h| {
                let l = h.latency_ms?;
                let value = if pick == 0 { l.p50 } else { l.p95 } as f64;
                let mid = h.start.plus(std::time::Duration::from_secs(1800));
                Some(format!("{:.1},{:.1}", frame.x(mid), frame.y(value)))
            })
            .collect();
        polyline(&mut svg, &points, color);
    }
    svg.push_str("</svg>");
    svg
}

/// The error budget left, hour by hour, from the whole budget at the window's start.
fn budget_chart(url: &UrlSlo, frame_times: (i64, i64)) -> String {
    let budget = url.budget.as_secs_f64();
    let mut used = 0.0;
    let mut series = vec![(Timestamp(frame_times.0), budget)];
    for hour in &url.hours {
        used += (hour.observations - hour.good) as f64 * url.interval.as_secs_f64();
        series.push((
            hour.start.plus(std::time::Duration::from_secs(3600)),
            budget - used,
        ));
    }
    let lowest = series.iter().map(|(_, v)| *v).fold(0.0, f64::min);
    let frame = Frame {
        start: frame_times.0,
        end: frame_times.1,
        low: lowest,
        high: budget,
    };
    let mut svg = open_svg(&format!("Error budget left of {}", url.url));
    axes(
        &mut svg,
        &frame,
        &[
            (budget, human(url.budget)),
            (budget / 2.0, "half".to_owned()),
            (0.0, "0".to_owned()),
        ],
    );
    let points: Vec<String> = series
        .iter()
        .map(|(at, value)| format!("{:.1},{:.1}", frame.x(*at), frame.y(*value)))
        .collect();
    let color = if used > budget { "#c9372c" } else { "#1f845a" };
    polyline(&mut svg, &points, color);
    svg.push_str("</svg>");
    svg
}

/// A series as a line of `color`.
fn polyline(svg: &mut String, points: &[String], color: &str) {
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
        points.join(" ")
    );
}

fn url_section(out: &mut String, url: &UrlSlo, report: &SloReport) {
    // From the first observation when the history is shorter than the window.
    let first = report
        .urls
        .iter()
        .filter_map(|u| u.hours.first().map(|h| h.start.0))
        .min()
        .unwrap_or(report.window_start.0);
    let times = (report.window_start.0.max(first), report.window_end.0);
    let lowest = url
        .hours
        .iter()
        .map(|h| h.good as f64 / h.observations as f64 * 100.0)
        .fold(100.0, f64::min);
    let frame = Frame {
        start: times.0,
        end: times.1,
        low: if lowest >= 99.0 { 99.0 } else { 98.0 },
        high: 100.0,
    };
    let pass = url.meets_slo();
    let _ = write!(
        out,
        r#"<section class="url"><h2>{}</h2><span class="verdict {}">{}</span>
<dl><dt>Availability</dt><dd>{} ({} good of {} observations, one every {})</dd>
<dt>Error budget</dt><dd>{} of {} used ({:.1} %)</dd>
<dt>Incidents</dt><dd>{}</dd>
<dt>Alerts</dt><dd>{} email{} Atlassian would have sent to the SLO-breach mailbox</dd>
"#,
        escape(&url.url),
        if pass { "pass" } else { "fail" },
        if pass {
            "meets 99.9 %"
        } else {
            "misses 99.9 %"
        },
        percent(url.availability),
        url.good,
        url.observations,
        human(url.interval),
        human(url.budget_used),
        human(url.budget),
        url.budget_used.as_secs_f64() / url.budget.as_secs_f64() * 100.0,
        url.incidents.len(),
        url.alerts.len(),
        if url.alerts.len() == 1 { "" } else { "s" },
    );
    if let (Some(l), Some(headroom)) = (url.latency_ms, url.headroom_ms()) {
        let ms = |v: u64| millis(std::time::Duration::from_millis(v));
        let _ = writeln!(
            out,
            "<dt>Latency</dt><dd>p50 {} · p95 {} · max {} · headroom to 3 s at p95: {}</dd>",
            ms(l.p50),
            ms(l.p95),
            ms(l.max),
            if headroom >= 0 {
                ms(headroom.unsigned_abs())
            } else {
                "none".to_owned()
            }
        );
    }
    out.push_str(
        "</dl>\n<h3>Availability per hour, against the 99.9 % line (red ticks: alerts)</h3>\n",
    );
    out.push_str(&availability_chart(url, &frame));
    out.push_str("\n<h3>Latency per hour</h3>\n<p class=\"legend\"><span><i style=\"background:#0c66e4\"></i>p50</span><span><i style=\"background:#6e5dc6\"></i>p95</span><span><i style=\"background:#c9372c\"></i>the 3 s limit</span></p>\n");
    out.push_str(&latency_chart(url, times));
    out.push_str("\n<h3>Error budget left over the window</h3>\n");
    out.push_str(&budget_chart(url, times));
    if !url.incidents.is_empty() {
        out.push_str("\n<h3>Incidents</h3>\n<table><thead><tr><th>Start</th><th>End</th><th>Duration</th><th>Failed requests</th><th>Why</th></tr></thead><tbody>\n");
        for incident in &url.incidents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                minute(incident.start),
                minute(incident.end),
                human(incident.duration),
                incident.failures,
                escape(&incident.kinds.join(", "))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

pub fn render(report: &SloReport) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cloud Fortified SLO report</title>\n<style>{STYLE}</style></head>\n<body><main>\n<h1>Cloud Fortified SLO report</h1>\n<p class=\"meta\">{} to {} ({}) · SLO {AVAILABILITY_SLO_PERCENT} % per health check URL · {} URL{}</p>\n",
        minute(report.window_start),
        minute(report.window_end),
        human(report.window),
        report.urls.len(),
        if report.urls.len() == 1 { "" } else { "s" }
    );
    for url in &report.urls {
        url_section(&mut out, url, report);
    }
    let _ = write!(
        out,
        "<footer><p><b>What the numbers mean.</b> Atlassian requests the health check of every base URL about every 60 seconds: a request is good when it answers 200 with the whole response within 3 seconds, without a redirect. Availability is good requests over all requests in the window, per URL; the SLO is {AVAILABILITY_SLO_PERCENT} % over 28 days, an error budget of 40 min 19.2 s, and each failed request costs one interval of it. Atlassian emails the SLO-breach mailbox when at least one request failed in the last 15 minutes: one alert per episode of failures. Announced maintenance is excluded.</p><p>cfready {} · computed from the monitor's history</p></footer>\n</main></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

//! `cfready slo --year`: the thirteen 28-day windows that end now, for a terminal (a table per
//! URL, the portfolio first when there are several apps), as JSON (the contract of issue 30:
//! `urls[].windows[]` with `observed_seconds`, `failed_seconds`, `budget_seconds`, `breached`,
//! `alerts`) and as one self-contained HTML page (a calendar of the days coloured in budget
//! terms, 13 bars of budget used against the breach line, the incidents) that prints to A4.

use std::fmt::Write as _;
use std::time::Duration;

use super::slo::{budget_span, instant, span};
use super::slo_html::{STYLE, escape};
use crate::badge::slo::{Incident, YearDay, YearReport, YearUrl, YearWindow, percent};
use crate::program::{AVAILABILITY_SLO_PERCENT, SLO_WINDOW};
use crate::timestamp::Timestamp;

const DAY_MS: i64 = 86_400_000;

/// `2026-03-01`.
fn date(at: Timestamp) -> String {
    at.to_string()[..10].to_owned()
}

fn seconds(value: f64) -> Duration {
    Duration::from_secs_f64(value.max(0.0))
}

fn availability(value: Option<f64>) -> String {
    value.map_or_else(|| "not observed".to_owned(), percent)
}

/// `app a`, or nothing for a store of one app.
fn app_of(url: &YearUrl) -> String {
    if url.app.is_empty() {
        String::new()
    } else {
        format!(" (app {})", url.app)
    }
}

/// The year's header line.
fn heading(report: &YearReport) -> String {
    format!(
        "The year {} .. {}: {} windows of {}; SLO {AVAILABILITY_SLO_PERCENT} % per URL, an error budget of {} per window",
        instant(report.start, false),
        instant(report.end, false),
        report.urls.first().map_or(13, |u| u.windows.len()),
        span(report.window),
        budget_span(report.budget)
    )
}

/// One URL's summary: windows breached, the year's availability, the cadence.
fn summary(url: &YearUrl) -> String {
    format!(
        "{} of {} windows breached; availability {} over the year ({} good of {} observations, one every {})",
        url.breached_windows,
        url.windows.len(),
        availability(url.availability),
        url.good,
        url.observations,
        span(url.interval)
    )
}

fn window_failed(window: &YearWindow) -> String {
    format!(
        "{} of {}",
        span(seconds(window.failed_seconds)),
        budget_span(seconds(window.budget_seconds))
    )
}

pub fn render_human(report: &YearReport) -> String {
    let mut out = format!("{}\n\n", heading(report));
    if !report.portfolio.is_empty() {
        let width = report
            .portfolio
            .iter()
            .map(|r| r.app.len())
            .max()
            .unwrap_or(0)
            .max(3);
        let _ = writeln!(
            out,
            "portfolio: {} apps, the worst first\n  {:<width$}  {:>4}  {:>8}  {:>12}  {:>12}",
            report.portfolio.len(),
            "app",
            "urls",
            "breached",
            "worst window",
            "availability"
        );
        for row in &report.portfolio {
            let _ = writeln!(
                out,
                "  {:<width$}  {:>4}  {:>8}  {:>11.1}%  {:>12}",
                if row.app.is_empty() { "-" } else { &row.app },
                row.urls,
                row.breached_windows,
                row.worst_budget_used_percent,
                availability(row.availability)
            );
        }
        out.push('\n');
    }
    for url in &report.urls {
        let _ = writeln!(out, "{}{}\n  {}", url.url, app_of(url), summary(url));
        let _ = writeln!(
            out,
            "  {:<2}  {:<24}  {:>12}  {:<19}  {:>7}  {:>9}  {:>6}  verdict",
            "#", "window", "availability", "failed / budget", "used", "incidents", "alerts"
        );
        for (i, window) in url.windows.iter().enumerate() {
            let mut notes = Vec::new();
            if window.maintenance_seconds > 0.0 {
                notes.push(format!(
                    "{} of maintenance excluded",
                    span(seconds(window.maintenance_seconds))
                ));
            }
            if window.observations > 0 && window.observed_seconds < SLO_WINDOW.as_secs_f64() * 0.9 {
                notes.push(format!(
                    "observed {}",
                    span(seconds(window.observed_seconds))
                ));
            }
            let _ = writeln!(
                out,
                "  {:<2}  {} .. {}  {:>12}  {:<19}  {:>6.1}%  {:>9}  {:>6}  {}{}",
                i + 1,
                date(window.start),
                date(window.end),
                availability(window.availability),
                window_failed(window),
                window.budget_used_percent,
                window.incidents.len(),
                window.alerts,
                if window.breached {
                    "BREACHED"
                } else if window.observations == 0 {
                    "-"
                } else {
                    "within"
                },
                if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join(", "))
                }
            );
            for email in &window.atlassian {
                let _ = writeln!(
                    out,
                    "      Atlassian's email {} ({}): {}: {}",
                    email.source,
                    instant(email.at, false),
                    email.agreement.replace('-', " "),
                    email.explanation
                );
            }
        }
        let incidents = incidents(url);
        if !incidents.is_empty() {
            let _ = writeln!(out, "  incidents ({}):", incidents.len());
            for (window, incident) in incidents.iter().take(INCIDENTS_SHOWN) {
                let _ = writeln!(
                    out,
                    "    window {window:>2}  {} .. {}  {:>8}  ({} failed: {})",
                    instant(incident.start, false),
                    instant(incident.end, false),
                    span(incident.duration),
                    incident.failures,
                    super::slo::cause(incident)
                );
            }
            if incidents.len() > INCIDENTS_SHOWN {
                let _ = writeln!(
                    out,
                    "    ({} more: --format json lists them all)",
                    incidents.len() - INCIDENTS_SHOWN
                );
            }
        }
        out.push('\n');
    }
    out
}

/// Every incident of a URL's year, with the number of its window (from 1).
fn incidents(url: &YearUrl) -> Vec<(usize, &Incident)> {
    url.windows
        .iter()
        .enumerate()
        .flat_map(|(i, w)| w.incidents.iter().map(move |incident| (i + 1, incident)))
        .collect()
}

/// Incidents listed per URL in the terminal and on the page (the JSON has them all).
const INCIDENTS_SHOWN: usize = 50;

pub fn render_json(report: &YearReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("the year serializes");
    text.push('\n');
    text
}

/// What a day's colour says: the failed time it spent of the window's budget.
struct Shade {
    color: &'static str,
    words: String,
}

/// The calendar's colours, from no failure to more than a whole window's budget in one day.
fn shades(budget: Duration) -> [Shade; 6] {
    let day_share = budget / (SLO_WINDOW.as_secs() / 86_400) as u32;
    [
        Shade {
            color: "#ebecf0",
            words: "not observed".to_owned(),
        },
        Shade {
            color: "#1f845a",
            words: "no failure".to_owned(),
        },
        Shade {
            color: "#94c748",
            words: format!(
                "up to the day's share of the budget ({}, {} %)",
                budget_span(day_share),
                AVAILABILITY_SLO_PERCENT
            ),
        },
        Shade {
            color: "#f5cd47",
            words: format!(
                "up to a quarter of the 28-day budget ({})",
                budget_span(budget / 4)
            ),
        },
        Shade {
            color: "#fea362",
            words: format!("up to the whole budget ({})", budget_span(budget)),
        },
        Shade {
            color: "#c9372c",
            words: "more than the whole budget: that day alone breaches the window".to_owned(),
        },
    ]
}

fn shade_of(day: Option<&YearDay>, budget: Duration) -> usize {
    let Some(day) = day else { return 0 };
    let failed = seconds(day.failed_seconds);
    let day_share = budget / (SLO_WINDOW.as_secs() / 86_400) as u32;
    if failed.is_zero() {
        1
    } else if failed <= day_share {
        2
    } else if failed <= budget / 4 {
        3
    } else if failed <= budget {
        4
    } else {
        5
    }
}

/// Calendar geometry, in SVG units.
const CELL: f64 = 13.0;
const GAP: f64 = 3.0;
const CAL_LEFT: f64 = 30.0;
const CAL_TOP: f64 = 16.0;

/// The year as a contribution graph: a column per week (Monday on top), a cell per day.
fn calendar(url: &YearUrl, report: &YearReport) -> String {
    let first_day = report.start.0.div_euclid(DAY_MS);
    let last_day = (report.end.0 - 1).div_euclid(DAY_MS);
    // 1970-01-01 was a Thursday: Monday is 0.
    let weekday = |day: i64| (day + 3).rem_euclid(7);
    let first_monday = first_day - weekday(first_day);
    let weeks = (last_day - first_monday) / 7 + 1;
    let width = CAL_LEFT + weeks as f64 * (CELL + GAP) + 4.0;
    let height = CAL_TOP + 7.0 * (CELL + GAP) + 2.0;
    let days: std::collections::HashMap<&str, &YearDay> =
        url.days.iter().map(|d| (d.date.as_str(), d)).collect();
    let shades = shades(report.budget);
    let mut svg = format!(
        r#"<svg class="calendar" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="Daily availability of {} over the year">"#,
        escape(&url.url)
    );
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        let _ = write!(
            svg,
            r#"<text x="0" y="{:.1}">{name}</text>"#,
            CAL_TOP + row as f64 * (CELL + GAP) + CELL - 2.0
        );
    }
    for column in 0..weeks {
        // A month's name above the first week whose Monday falls in it.
        let monday = (first_monday + 7 * column).max(first_day);
        let month = &date(Timestamp(monday * DAY_MS))[5..7];
        let before = (column > 0).then(|| date(Timestamp((monday - 7).max(first_day) * DAY_MS)));
        if before.is_none_or(|b| &b[5..7] != month) {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="11">{}</text>"#,
                CAL_LEFT + column as f64 * (CELL + GAP),
                month_name(month)
            );
        }
    }
    for day in first_day..=last_day {
        let column = ((day - first_monday) / 7) as f64;
        let row = weekday(day) as f64;
        let (x, y) = (
            CAL_LEFT + column * (CELL + GAP),
            CAL_TOP + row * (CELL + GAP),
        );
        let name = date(Timestamp(day * DAY_MS));
        let found = days.get(name.as_str()).copied();
        let shade = &shades[shade_of(found, report.budget)];
        let title = match found {
            Some(d) => format!(
                "{name}: {} ({} good of {}), {} failed",
                percent(d.availability()),
                d.good,
                d.observations,
                span(seconds(d.failed_seconds))
            ),
            None => format!("{name}: not observed"),
        };
        let _ = write!(
            svg,
            r#"<rect class="day" x="{x:.1}" y="{y:.1}" width="{CELL}" height="{CELL}" rx="2" fill="{}"><title>{}</title></rect>"#,
            shade.color,
            escape(&title)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn month_name(number: &str) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    number
        .parse::<usize>()
        .ok()
        .and_then(|n| NAMES.get(n.wrapping_sub(1)))
        .copied()
        .unwrap_or("")
}

/// Bar chart geometry, in SVG units.
const BAR_WIDTH: f64 = 880.0;
const BAR_HEIGHT: f64 = 220.0;
const BAR_LEFT: f64 = 48.0;
const BAR_TOP: f64 = 16.0;
const BAR_BOTTOM: f64 = 34.0;

/// 13 bars of the budget each window used, the breach line at 100 %.
pub(super) fn bars(url: &YearUrl) -> String {
    let highest = url
        .windows
        .iter()
        .map(|w| w.budget_used_percent)
        .fold(0.0, f64::max);
    // The scale: 150 % at least, so that the breach line is always drawn; 400 % at most, a
    // taller bar is cut and labelled with its figure.
    let top = highest.clamp(150.0, 400.0);
    let plot = BAR_HEIGHT - BAR_TOP - BAR_BOTTOM;
    let y = |percent: f64| BAR_TOP + plot * (1.0 - percent.min(top) / top);
    let slot = (BAR_WIDTH - BAR_LEFT - 8.0) / url.windows.len().max(1) as f64;
    let mut svg = format!(
        r#"<svg class="bars" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" role="img" aria-label="Error budget used per 28-day window of {}">"#,
        escape(&url.url)
    );
    for tick in [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0] {
        if tick > top {
            break;
        }
        let _ = write!(
            svg,
            r##"<line x1="{BAR_LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#dfe1e6"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick:.0} %</text>"##,
            BAR_WIDTH - 8.0,
            y(tick),
            y(tick),
            BAR_LEFT - 4.0,
            y(tick) + 4.0
        );
    }
    for (i, window) in url.windows.iter().enumerate() {
        let x = BAR_LEFT + slot * i as f64 + slot * 0.15;
        let width = slot * 0.7;
        let used = window.budget_used_percent;
        let color = if window.breached {
            "#c9372c"
        } else if window.observations == 0 {
            "#ebecf0"
        } else {
            "#1f845a"
        };
        let top_y = y(used).min(y(0.0) - 1.0);
        let _ = write!(
            svg,
            r#"<rect class="window" x="{x:.1}" y="{top_y:.1}" width="{width:.1}" height="{:.1}" fill="{color}"><title>{} .. {}: {} ({used:.1} %)</title></rect>"#,
            y(0.0) - top_y,
            date(window.start),
            date(window.end),
            escape(&window_failed(window))
        );
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{used:.0} %</text><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + width / 2.0,
            (top_y - 3.0).max(BAR_TOP - 3.0),
            x + width / 2.0,
            BAR_HEIGHT - BAR_BOTTOM + 14.0,
            &date(window.end)[5..]
        );
    }
    let _ = write!(
        svg,
        r##"<line class="breach" x1="{BAR_LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c9372c" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#c9372c">breach</text><text x="{BAR_LEFT}" y="{:.1}">the window ending</text></svg>"##,
        BAR_WIDTH - 8.0,
        y(100.0),
        y(100.0),
        BAR_LEFT - 4.0,
        y(100.0) + 16.0,
        BAR_HEIGHT - 4.0
    );
    svg
}

pub(super) const YEAR_STYLE: &str = "
figure{margin:12px 0;break-inside:avoid;page-break-inside:avoid}
figure svg{background:#fff}
svg.calendar text,svg.bars text{font:10px system-ui,sans-serif;fill:#5e6c84}
.legend i.sw{width:12px;height:12px;border-radius:2px}
td.over{color:#c9372c;font-weight:700}
table{break-inside:auto}tr{break-inside:avoid}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:12px}main{max-width:none;padding:0}section.url{border:none;padding:0;margin:0 0 12px}h2,h3{break-after:avoid}table{font-size:11px}th,td{padding:3px 4px}}
";

/// The year as one self-contained page: no script, no request, prints to A4.
pub fn render_html(report: &YearReport) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cloud Fortified SLO: the year</title>\n<style>{STYLE}{YEAR_STYLE}</style></head>\n<body><main>\n<h1>Cloud Fortified SLO: the year</h1>\n<p class=\"meta\">{}</p>\n",
        escape(&heading(report))
    );
    if !report.portfolio.is_empty() {
        out.push_str("<h2>Portfolio</h2>\n<table class=\"portfolio\"><thead><tr><th>App</th><th>URLs</th><th>Windows breached</th><th>Worst window</th><th>Availability</th></tr></thead><tbody>\n");
        for row in &report.portfolio {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td{}>{}</td><td>{:.1} %</td><td>{}</td></tr>",
                escape(if row.app.is_empty() { "-" } else { &row.app }),
                row.urls,
                if row.breached_windows > 0 {
                    " class=\"over\""
                } else {
                    ""
                },
                row.breached_windows,
                row.worst_budget_used_percent,
                availability(row.availability)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let shades = shades(report.budget);
    for url in &report.urls {
        let _ = write!(
            out,
            "<section class=\"url\"><h2>{}{}</h2>\n<p>{}</p>\n<h3>Every day of the year, coloured by the failed time it spent of the 28-day error budget</h3>\n<figure>{}\n<p class=\"legend\">",
            escape(&url.url),
            escape(&app_of(url)),
            escape(&summary(url)),
            calendar(url, report)
        );
        for shade in &shades {
            let _ = write!(
                out,
                "<span><i class=\"sw\" style=\"background:{}\"></i>{}</span>",
                shade.color,
                escape(&shade.words)
            );
        }
        let _ = write!(
            out,
            "</p></figure>\n<h3>Error budget used per 28-day window (over the dashed line: breached)</h3>\n<figure>{}</figure>\n",
            bars(url)
        );
        let _ = writeln!(
            out,
            "<table class=\"windows\"><thead><tr><th>#</th><th>Window</th><th>Availability</th><th>Failed (budget {})</th><th>Used</th><th>Incidents</th><th>Alerts</th><th>Maintenance excluded</th><th>Atlassian's emails</th></tr></thead><tbody>",
            budget_span(report.budget)
        );
        for (i, window) in url.windows.iter().enumerate() {
            let emails: Vec<String> = window
                .atlassian
                .iter()
                .map(|e| format!("{}: {}", escape(&e.source), e.agreement.replace('-', " ")))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{} .. {}</td><td>{}</td><td{}>{}</td><td>{:.1} %</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                i + 1,
                date(window.start),
                date(window.end),
                availability(window.availability),
                if window.breached {
                    " class=\"over\""
                } else {
                    ""
                },
                span(seconds(window.failed_seconds)),
                window.budget_used_percent,
                window.incidents.len(),
                window.alerts,
                if window.maintenance_seconds > 0.0 {
                    span(seconds(window.maintenance_seconds))
                } else {
                    "-".to_owned()
                },
                if emails.is_empty() {
                    "-".to_owned()
                } else {
                    emails.join("<br>")
                }
            );
        }
        out.push_str("</tbody></table>\n");
        let incidents = incidents(url);
        if !incidents.is_empty() {
            let _ = writeln!(
                out,
                "<h3>Incidents ({})</h3>\n<table class=\"incidents\"><thead><tr><th>Window</th><th>Start</th><th>End</th><th>Duration</th><th>Failed</th><th>Why</th></tr></thead><tbody>",
                incidents.len()
            );
            for (window, incident) in incidents.iter().take(INCIDENTS_SHOWN) {
                let _ = writeln!(
                    out,
                    "<tr><td>{window}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    instant(incident.start, false),
                    instant(incident.end, false),
                    span(incident.duration),
                    incident.failures,
                    escape(&super::slo::cause(incident))
                );
            }
            out.push_str("</tbody></table>\n");
            if incidents.len() > INCIDENTS_SHOWN {
                let _ = writeln!(
                    out,
                    "<p>{} more incidents: <code>--format json</code> lists them all.</p>",
                    incidents.len() - INCIDENTS_SHOWN
                );
            }
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<footer><p><b>What the numbers mean.</b> The year is {} consecutive windows of {} ending {}, each judged as Atlassian judges its SLO: {AVAILABILITY_SLO_PERCENT} % availability, an error budget of {} per window, each failed health check costing one interval of it; a window is <b>breached</b> when its failed time exceeds the budget. Counts come from the monitor's hourly table and failures from its failures index. Alerts are the emails Atlassian would have sent (one per 15-minute episode of failures){}. Announced maintenance is excluded.</p><p>cfready {}</p></footer>\n</main></body></html>\n",
        report.urls.first().map_or(13, |u| u.windows.len()),
        span(report.window),
        instant(report.end, false),
        budget_span(report.budget),
        if report.urls.iter().any(|u| u.forge) {
            "; for a Forge app's remote, counted by the same rule: Atlassian documents no health check, and no email, for Forge"
        } else {
            ""
        },
        env!("CARGO_PKG_VERSION")
    );
    out
}

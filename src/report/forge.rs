//! `cfready slo --forge-metrics`: a Forge app's invocation success rate as text or JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::badge::slo::forge::{Counts, ForgeReport, FunctionSlo};
use crate::timestamp::Timestamp;
use crate::words::plural;

/// The hours the chart shows at most.
const CHART_HOURS: usize = 72;
/// The hours below the objective listed at most (the count says how many there were).
const LISTED_HOURS: usize = 20;

/// `2026-12-06T10:00Z`.
fn minute(at: Timestamp) -> String {
    let text = at.to_string();
    format!("{}Z", &text[..16])
}

fn rate(counts: &Counts) -> String {
    match counts.success_percent() {
        Some(percent) => format!(
            "{percent:.2} % ({} of {} failed)",
            counts.errors.round() as u64,
            counts.invocations.round() as u64
        ),
        None => "no invocations".to_owned(),
    }
}

fn verdict(counts: &Counts, report: &ForgeReport) -> &'static str {
    match counts.success_percent() {
        None => "",
        Some(p) if p < report.program_percent => "below 99.9 %",
        Some(p) if report.objective.is_some_and(|o| p < o) => "below the objective",
        Some(_) => "meets it",
    }
}

fn name(function: &FunctionSlo) -> &str {
    function
        .function
        .as_deref()
        .unwrap_or("(no function named)")
}

/// Hourly success as a sparkline: `█` an hour without failures, lower blocks down to 90 % and
/// under, a space for an hour without invocations.
pub fn sparkline(hours: &[(Timestamp, Counts)], width: usize) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let Some(&(last, _)) = hours.last() else {
        return String::new();
    };
    let first = last.0 - (width as i64 - 1) * 3_600_000;
    let start = hours
        .iter()
        .map(|(h, _)| h.0)
        .find(|&h| h >= first)
        .unwrap_or(last.0);
    let mut line = String::new();
    let mut hour = start;
    while hour <= last.0 {
        let level = hours
            .iter()
            .find(|(h, _)| h.0 == hour)
            .and_then(|(_, c)| c.success_percent())
            .map(|p| {
                if p >= 100.0 {
                    7
                } else {
                    (((p - 90.0) / 10.0) * 7.0).clamp(0.0, 6.0) as usize
                }
            });
        line.push(level.map_or(' ', |l| BLOCKS[l]));
        hour += 3_600_000;
    }
    line
}

/// The report in words.
pub fn human(report: &ForgeReport, source: &Source, other_metrics: &[String]) -> String {
    let mut out = String::new();
    let rounded = report
        .rounded_from
        .map(|at| {
            format!(
                "; --at {} rounded down to the hour, as the counts are kept per hour",
                minute(at)
            )
        })
        .unwrap_or_default();
    let data = match source {
        Source::Files(_) => format!(
            "data from {}: {} of the 28 days",
            minute(report.first),
            crate::duration::human(report.end.since(report.first.max(report.window_start)))
        ),
        Source::Store { covered, .. } => format!(
            "the polls cover {} of them",
            crate::duration::human(*covered)
        ),
    };
    let _ = writeln!(
        out,
        "Forge invocation success rate, the 28 days to {} ({data}{rounded})",
        minute(report.end),
    );
    let _ = writeln!(
        out,
        "Against {} % (the program's availability SLO, written for Connect apps: Atlassian publishes none for Forge){}",
        report.program_percent,
        report
            .objective
            .map(|o| format!(" and the team's {o} %"))
            .unwrap_or_default()
    );
    out.push('\n');
    let rows: Vec<&FunctionSlo> = std::iter::once(&report.overall)
        .chain(&report.functions)
        .collect();
    let width = rows
        .iter()
        .skip(1)
        .map(|f| name(f).chars().count())
        .max()
        .unwrap_or(0)
        .max("the app".len());
    for (index, function) in rows.iter().enumerate() {
        let label = if index == 0 {
            "the app"
        } else {
            name(function)
        };
        let _ = writeln!(
            out,
            "  {label:<width$}  28 days {}  {}\n  {:<width$}  year    {}",
            rate(&function.window),
            verdict(&function.window, report),
            "",
            rate(&function.year),
        );
    }
    let threshold = report
        .objective
        .unwrap_or(report.program_percent)
        .max(report.program_percent);
    let below = &report.overall.hours_below;
    let _ = writeln!(
        out,
        "\nHours of the 28 days below {threshold} %: {} of {} with invocations",
        below.len(),
        report.overall.hours.len()
    );
    for (hour, counts) in below.iter().rev().take(LISTED_HOURS) {
        let _ = writeln!(out, "  {}  {}", minute(*hour), rate(counts));
    }
    if below.len() > LISTED_HOURS {
        let _ = writeln!(out, "  ... and {} earlier", below.len() - LISTED_HOURS);
    }
    let _ = writeln!(
        out,
        "  hourly  {} (last {CHART_HOURS} hours at most)",
        sparkline(&report.overall.hours, CHART_HOURS)
    );
    match source {
        Source::Files(files) => {
            let _ = write!(
                out,
                "\nRead {} from {}",
                plural(report.points, "point"),
                plural(*files, "file")
            );
            if report.duplicates > 0 {
                let _ = write!(
                    out,
                    " ({} already read from another file, counted once)",
                    report.duplicates
                );
            }
        }
        Source::Store {
            path,
            covered,
            gaps,
            last_poll,
        } => {
            let _ = write!(
                out,
                "\nFrom the store {path}: the polls of the App metrics API, {} of the 28 days{}{}",
                crate::duration::human(*covered),
                match gaps {
                    0 => String::new(),
                    n => format!(" ({} not polled)", plural(*n, "gap")),
                },
                last_poll
                    .map(|at| format!("; the last ended {}", minute(at)))
                    .unwrap_or_default()
            );
        }
    }
    out.push('.');
    if !other_metrics.is_empty() {
        let _ = write!(out, " Not counted: {}.", other_metrics.join(", "));
    }
    out.push('\n');
    out
}

/// A count as JSON: an integer when it is one (the API's sums are `asInt`), else as read.
fn count_json(count: f64) -> Value {
    if count.fract() == 0.0 && count.abs() < 9.0e15 {
        json!(count as i64)
    } else {
        json!(count)
    }
}

fn counts_json(counts: &Counts) -> Value {
    json!({
        "invocations": count_json(counts.invocations),
        "errors": count_json(counts.errors),
        "success_percent": counts.success_percent(),
    })
}

fn function_json(function: &FunctionSlo) -> Value {
    json!({
        "function": function.function,
        "window": counts_json(&function.window),
        "year": counts_json(&function.year),
        "hours_below": function.hours_below.iter().map(|(hour, counts)| {
            let mut value = counts_json(counts);
            value["hour"] = json!(hour.to_string());
            value
        }).collect::<Vec<_>>(),
    })
}

/// Where a report's counts come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files saved from the App metrics API.
    Files(usize),
    /// The store `monitor --forge` appends to: how much of the window its polls cover, in how
    /// many pieces beyond one, and where the last poll ended.
    Store {
        path: String,
        covered: std::time::Duration,
        gaps: usize,
        last_poll: Option<Timestamp>,
    },
}

/// The report as JSON.
pub fn json(report: &ForgeReport) -> Value {
    json!({
        "end": report.end.to_string(),
        "window_start": report.window_start.to_string(),
        "year_start": report.year_start.to_string(),
        "first": report.first.to_string(),
        "rounded_from": report.rounded_from.map(|at| at.to_string()),
        "program_percent": report.program_percent,
        "objective_percent": report.objective,
        "below_program": report.below_program(),
        "overall": function_json(&report.overall),
        "functions": report.functions.iter().map(function_json).collect::<Vec<_>>(),
        "points": report.points,
        "duplicates": report.duplicates,
    })
}

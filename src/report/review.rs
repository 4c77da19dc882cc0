//! `cfready review`: the annual review's pack as Markdown, one self-contained HTML page, or
//! JSON. The pack holds the review's dates, the year of the SLO (`slo --year`), the answers
//! changed since the approved revision, a re-lint with today's rules calling out the findings
//! new since approval, the ticket with each changed answer marked, and the checklist of what
//! else the review covers.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::slo_html::{STYLE, escape};
use crate::badge::slo::YearReport;
use crate::diagnostic::Diagnostic;
use crate::ticket::review::{Change, ReviewDates};

/// Everything the pack shows, gathered by the command.
#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    pub version: u64,
    pub app: String,
    pub questionnaire: String,
    pub dates: ReviewDates,
    /// The approved revision compared with: `git:REV` or a file's path.
    pub since: Option<String>,
    pub changes: Vec<Change>,
    pub findings: Findings,
    /// The year of the monitor's store, when there is one.
    pub year: Option<YearReport>,
    /// Why there is no year, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_missing: Option<String>,
    /// The approval ticket (Markdown), each changed answer marked "changed since approval".
    pub ticket: String,
    pub checklist: Vec<Item>,
}

/// The re-lint: how many findings today, and those the approved revision did not have.
#[derive(Debug, Clone, Serialize)]
pub struct Findings {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub new: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: String,
    pub key: Option<String>,
    pub message: String,
}

impl Finding {
    pub fn of(diagnostic: &Diagnostic) -> Finding {
        Finding {
            code: diagnostic.code,
            severity: diagnostic.severity.to_string(),
            key: diagnostic
                .pointer
                .as_deref()
                .map(crate::ticket::load::dotted),
            message: diagnostic.message.clone(),
        }
    }
}

/// One item of the review's checklist, for the partner to tick.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub item: String,
    pub done: bool,
}

fn value(value: Option<&Value>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some(Value::String(text)) => text.trim_end().to_owned(),
        Some(other) => other.to_string(),
    }
}

/// The dates in one paragraph.
pub fn dates(dates: &ReviewDates) -> String {
    let when = match dates.days_to_review {
        d if d > 0 => format!("in {d} day{}", if d == 1 { "" } else { "s" }),
        _ => "under way".to_owned(),
    };
    format!(
        "Approved on {}. Next annual review: the week of {} to {} ({when}). Atlassian gives notice by {}; what it finds is due fixed by {}.",
        dates.approved_on, dates.review_start, dates.review_end, dates.notice, dates.fix_by
    )
}

/// The short form for a terminal: the dates and what the pack holds.
pub fn render_human(pack: &Pack) -> String {
    let mut out = format!("{}: {}\n", pack.questionnaire, dates(&pack.dates));
    let _ = writeln!(
        out,
        "  changed since approval: {} answer{}{}",
        pack.changes.len(),
        if pack.changes.len() == 1 { "" } else { "s" },
        pack.since.as_ref().map_or(
            " (give --since REV|FILE to compare)".to_owned(),
            |s| format!(" (against {s})")
        )
    );
    let _ = writeln!(
        out,
        "  today's rules: {} error(s), {} warning(s), {} new since approval",
        pack.findings.errors,
        pack.findings.warnings,
        pack.findings.new.len()
    );
    match &pack.year {
        Some(year) => {
            let breached: usize = year.urls.iter().map(|u| u.breached_windows).sum();
            let _ = writeln!(
                out,
                "  the year: {} URL(s), {breached} window(s) of 28 days breached",
                year.urls.len()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  the year: {}",
                pack.year_missing.as_deref().unwrap_or("no store")
            );
        }
    }
    out.push_str("  write the pack: --format markdown|html|json -o FILE\n");
    out
}

pub fn render_markdown(pack: &Pack) -> String {
    let mut out = format!(
        "# Cloud Fortified annual review: {}\n\n{}\n\n",
        pack.app,
        dates(&pack.dates)
    );
    out.push_str("## The year\n\n");
    match &pack.year {
        Some(year) => {
            let _ = writeln!(
                out,
                "13 windows of 28 days to {}, each against the error budget of {} (`cfready slo --year --format html` draws the calendar).\n",
                super::slo::instant(year.end, false),
                super::slo::budget_span(year.budget)
            );
            for url in &year.urls {
                let _ = writeln!(
                    out,
                    "### {}\n\n{} of {} windows breached; availability {} over the year.\n\n| # | Window | Availability | Failed | Used | Incidents | Alerts | |\n|---|---|---|---|---|---|---|---|",
                    url.url,
                    url.breached_windows,
                    url.windows.len(),
                    url.availability
                        .map_or("-".to_owned(), crate::badge::slo::percent)
                );
                for (i, w) in url.windows.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "| {} | {} .. {} | {} | {} | {:.1} % | {} | {} | {} |",
                        i + 1,
                        &w.start.to_string()[..10],
                        &w.end.to_string()[..10],
                        w.availability
                            .map_or("-".to_owned(), crate::badge::slo::percent),
                        super::slo::span(std::time::Duration::from_secs_f64(w.failed_seconds)),
                        w.budget_used_percent,
                        w.incidents.len(),
                        w.alerts,
                        if w.breached { "**breached**" } else { "" }
                    );
                }
                out.push('\n');
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{}\n",
                pack.year_missing.as_deref().unwrap_or("No monitor store.")
            );
        }
    }
    let _ = writeln!(
        out,
        "## Answers changed since approval\n\n{}\n",
        match &pack.since {
            Some(since) => format!("Against the approved revision, {since}: {} answer{} changed.", pack.changes.len(), if pack.changes.len() == 1 { "" } else { "s" }),
            None => "No approved revision given (`--since REV` reads it from git, `--since FILE` from a saved copy).".to_owned(),
        }
    );
    if !pack.changes.is_empty() {
        out.push_str("| Answer | | At approval | Now |\n|---|---|---|---|\n");
        for change in &pack.changes {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                change.key,
                change.kind,
                cell(&value(change.before.as_ref())),
                cell(&value(change.after.as_ref()))
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "## Re-lint with today's rules\n\n{}\n",
        relint(&pack.findings)
    );
    for finding in &pack.findings.new {
        let _ = writeln!(
            out,
            "- **New since approval:** {} {} {}: {}",
            finding.severity,
            finding.code,
            finding
                .key
                .as_deref()
                .map_or(String::new(), |k| format!("`{k}`")),
            finding.message
        );
    }
    if !pack.findings.new.is_empty() {
        out.push('\n');
    }
    out.push_str("## The ticket\n\nEach text answer changed since approval ends with (changed since approval); the table above lists every change.\n\n");
    for line in pack.ticket.lines() {
        let _ = writeln!(out, "> {line}");
    }
    out.push_str("\n## Checklist\n\n");
    for item in &pack.checklist {
        let _ = writeln!(
            out,
            "- [{}] {}",
            if item.done { "x" } else { " " },
            item.item
        );
    }
    out
}

/// `0 error(s), 1 warning(s), 0 info(s); 1 new since approval.`
fn relint(findings: &Findings) -> String {
    format!(
        "{} error(s), {} warning(s), {} info(s); {} new since approval.",
        findings.errors,
        findings.warnings,
        findings.infos,
        findings.new.len()
    )
}

/// A Markdown table cell: one line, no pipe.
fn cell(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.replace('|', "\\|");
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line
    }
}

pub fn render_json(pack: &Pack) -> String {
    let mut text = serde_json::to_string_pretty(pack).expect("the pack serializes");
    text.push('\n');
    text
}

/// The pack as one self-contained page (no script, no request): the year's bars per URL, the
/// tables, the ticket as text, the checklist as boxes to tick.
pub fn render_html(pack: &Pack) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cloud Fortified annual review: {}</title>\n<style>{STYLE}{}\npre{{white-space:pre-wrap;background:#fff;border:1px solid var(--line);padding:12px}}</style></head>\n<body><main>\n<h1>Cloud Fortified annual review: {}</h1>\n<p class=\"meta\">{}</p>\n<h2>The year</h2>\n",
        escape(&pack.app),
        super::slo_year::YEAR_STYLE,
        escape(&pack.app),
        escape(&dates(&pack.dates))
    );
    match &pack.year {
        Some(year) => {
            for url in &year.urls {
                let _ = writeln!(
                    out,
                    "<h3>{}: {} of {} windows breached</h3>\n<figure>{}</figure>",
                    escape(&url.url),
                    url.breached_windows,
                    url.windows.len(),
                    super::slo_year::bars(url)
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "<p>{}</p>",
                escape(pack.year_missing.as_deref().unwrap_or("No monitor store."))
            );
        }
    }
    let _ = writeln!(
        out,
        "<h2>Answers changed since approval ({})</h2>",
        pack.changes.len()
    );
    if !pack.changes.is_empty() {
        out.push_str("<table><thead><tr><th>Answer</th><th></th><th>At approval</th><th>Now</th></tr></thead><tbody>\n");
        for change in &pack.changes {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&change.key),
                change.kind,
                escape(&value(change.before.as_ref())),
                escape(&value(change.after.as_ref()))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        out,
        "<h2>Re-lint with today's rules</h2>\n<p>{}</p><ul>",
        relint(&pack.findings)
    );
    for finding in &pack.findings.new {
        let _ = writeln!(
            out,
            "<li><b>New since approval:</b> {} {} {}: {}</li>",
            finding.severity,
            finding.code,
            escape(finding.key.as_deref().unwrap_or("")),
            escape(&finding.message)
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<h2>The ticket</h2>\n<pre>{}</pre>\n<h2>Checklist</h2>\n<ul class=\"checklist\">",
        escape(&pack.ticket)
    );
    for item in &pack.checklist {
        let _ = writeln!(
            out,
            "<li>{} {}</li>",
            if item.done { "☑" } else { "☐" },
            escape(&item.item)
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<footer><p>cfready {}</p></footer>\n</main></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

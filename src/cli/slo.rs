//! `cfready slo`: its arguments and glue (the SLO is `cfready::slo`'s, the reconciliation
//! with Atlassian's emails `cfready::reconcile`'s).

use clap::{Args, ValueEnum};

use cfready::history::History;
use cfready::reconcile::Reconciliation;
use cfready::report;
use cfready::timestamp::Timestamp;

use super::{Exit, io_error, parse_objective, parse_span, print};

pub const AFTER_HELP: &str = "Examples:\n  cfready slo cfready-history.jsonl\n  cfready slo cfready-history.jsonl --format html -o slo.html\n  cfready slo cfready-history.jsonl --window 7d --format json\n  cfready slo h.jsonl --maintenance 2026-11-20T02:00:00Z/2026-11-20T03:00:00Z\n  cfready slo h.jsonl --atlassian breach.eml slo-alerts.mbox --objective 99.95\n\nComputed as Atlassian does, per health check URL: the error budget of the window (0.1 % of\nit; each failed observation costs one interval) and the verdict on it: breached when the\nfailed time inside a window exceeds the budget, at risk when the failures spend it faster\nthan the window allows (over the observed part, or 14.4x over the last hour), within budget\notherwise. Also: how much of the window the history covers, the availability of that part,\nthe incidents, and the alerts Atlassian would have emailed (one per 15-minute episode of\nfailures). --objective 99.95 reports the team's tighter target beside the program's.\n--atlassian MAIL... reconciles Atlassian's breach emails (.eml or mbox) with the history:\nagree, differ or not observed, per email.\nExit 1 only on a breach, 0 otherwise (at risk included), 2 when the history holds no\nobservation.";

#[derive(Clone, Copy, ValueEnum)]
pub enum SloFormat {
    Human,
    Json,
    Html,
}

#[derive(Args)]
pub struct SloArgs {
    /// The history `cfready monitor` wrote.
    pub history: std::path::PathBuf,

    /// Output format (html: one self-contained page with charts).
    #[arg(long, value_enum, default_value_t = SloFormat::Human)]
    pub format: SloFormat,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,

    /// The SLO window, ending at the last observation.
    #[arg(long, default_value = "28d", value_parser = parse_span)]
    pub window: std::time::Duration,

    /// Announced downtime to exclude, as an RFC 3339 interval START/END (repeatable).
    #[arg(long, value_parser = parse_interval)]
    pub maintenance: Vec<(Timestamp, Timestamp)>,

    /// The team's own tighter objective in percent (such as 99.95), reported beside the
    /// program's 99.9 %, never instead of it (the exit code stays the program's).
    #[arg(long, value_name = "PERCENT", value_parser = parse_objective)]
    pub objective: Option<f64>,

    /// Atlassian's SLO-breach emails (.eml files or mboxes) to reconcile with the history.
    #[arg(long, value_name = "MAIL", num_args = 1..)]
    pub atlassian: Vec<std::path::PathBuf>,
}

fn parse_interval(text: &str) -> Result<(Timestamp, Timestamp), String> {
    let (start, end) = text
        .split_once('/')
        .ok_or("write START/END, such as 2026-11-20T02:00:00Z/2026-11-20T03:00:00Z")?;
    let parse = |t: &str| {
        Timestamp::parse(t.trim())
            .ok_or_else(|| format!("`{t}` is not an RFC 3339 instant such as 2026-11-20T02:00:00Z"))
    };
    let (start, end) = (parse(start)?, parse(end)?);
    if end <= start {
        return Err("the end is not after the start".to_owned());
    }
    Ok((start, end))
}

pub fn run(args: SloArgs) -> anyhow::Result<Exit> {
    let history = cfready::history::read(&args.history).map_err(|e| io_error(&args.history, &e))?;
    let options = cfready::slo::SloOptions {
        window: args.window,
        maintenance: args.maintenance,
        objective: args.objective,
    };
    let reconciliation = atlassian(&args.atlassian, &history)?;
    let warnings: Vec<String> = history
        .warnings
        .iter()
        .map(|d| format!("warning[{}]: {}", d.code, d.message))
        .collect();
    for warning in &warnings {
        eprintln!("{warning}");
    }
    let Some(report) = cfready::slo::compute(history, &options) else {
        anyhow::bail!(
            "{}: the history holds no observation (run `cfready monitor` first)",
            args.history.display()
        );
    };
    let reconciliation = reconciliation.as_ref();
    if let Some(reconciliation) = reconciliation
        && !matches!(args.format, SloFormat::Human)
    {
        for d in &reconciliation.diagnostics {
            eprintln!("{}[{}]: {}", d.severity, d.code, d.message);
        }
    }
    let text = match args.format {
        SloFormat::Human => {
            let mut text = report::slo::render_human(&report);
            if let Some(reconciliation) = reconciliation {
                text.push_str(&report::slo::render_atlassian(reconciliation));
            }
            text
        }
        SloFormat::Json => report::slo::render_json_with(&report, reconciliation),
        SloFormat::Html => report::slo_html::render_with(&report, reconciliation),
    };
    match &args.output {
        Some(path) => {
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?
        }
        None => print(&text)?,
    }
    Ok(Exit::of(report.exit_code()))
}

/// `slo --atlassian`: the emails read and reconciled with the history (`None` without any).
/// Only a file that cannot be read is an error; a message without data is a finding.
fn atlassian(
    paths: &[std::path::PathBuf],
    history: &History,
) -> anyhow::Result<Option<Reconciliation>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut received = Vec::new();
    for path in paths {
        received.extend(cfready::email::read::read_file(path).map_err(|e| io_error(path, &e))?);
    }
    Ok(Some(cfready::reconcile::reconcile(
        &history.observations,
        received,
    )))
}

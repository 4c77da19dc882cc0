//! `cfready slo`: its arguments and glue (the SLO is `cfready::badge::slo`'s, the reconciliation
//! with Atlassian's emails `cfready::badge::reconcile`'s).

use clap::{Args, ValueEnum};

use cfready::badge::history::Observation;
use cfready::badge::reconcile::Reconciliation;
use cfready::badge::slo::{SloInput, SpanOptions};
use cfready::report;
use cfready::timestamp::Timestamp;

use super::{Exit, io_error, parse_objective, parse_span, print};

pub const AFTER_HELP: &str = "Examples:\n  cfready slo                                       the monitor's store here, the 28 days to now\n  cfready slo cfready-history.db --format html -o slo.html\n  cfready slo --since 365d                          today's verdict, and the year's past breaches\n  cfready slo --year --format html -o year.html     13 windows of 28 days, a calendar of the days\n  cfready slo --at 2026-03-01T00:00:00Z             the verdict as it stood then\n  cfready slo --app com.acme.timesheets --format json\n  cfready slo old-history.jsonl                     a v1 JSONL history, streamed\n  cfready slo h.db --maintenance 2026-11-20T02:00:00Z/2026-11-20T03:00:00Z\n  cfready slo h.db --atlassian breach.eml slo-alerts.mbox --objective 99.95\n  cfready slo --forge                               a Forge app's invocations (monitor --forge)\n\nComputed as Atlassian does, per health check URL, on the 28-day window that ends now (or\n--at): the error budget of the window (0.1 % of it; each failed observation costs one\ninterval) and the verdict on it: breached when the failed time in the window exceeds the\nbudget, at risk when the failures spend it faster than the window allows (over the observed\npart, or 14.4x over the last hour), within budget otherwise. Earlier windows that breached\n(back to --since, a year by default) are listed as past breaches with the moment Atlassian\nwould have emailed; they never decide today's verdict. Also: how much of the window the\nhistory covers, the availability of that part, the incidents, and the alerts Atlassian would\nhave emailed (one per 15-minute episode of failures). --objective 99.95 reports the team's\ntighter target beside the program's. --atlassian MAIL... reconciles Atlassian's breach emails\n(.eml or mbox) with the history: agree, differ or not observed, per email.\nExit 1 only when the current window is breached, 0 otherwise (at risk included), 2 when the\nwindow holds no observation or the history cannot be read.";

#[derive(Clone, Copy, ValueEnum)]
pub enum SloFormat {
    Human,
    Json,
    Html,
}

#[derive(Args)]
pub struct SloArgs {
    /// The monitor's store, or a v1 JSONL history [default: cfready-history.db].
    pub history: Option<std::path::PathBuf>,

    /// Output format (html: one self-contained page with charts).
    #[arg(long, value_enum, default_value_t = SloFormat::Human)]
    pub format: SloFormat,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,

    /// The SLO window, ending at --at.
    #[arg(long, default_value = "28d", value_parser = parse_span)]
    pub window: std::time::Duration,

    /// The end of the window judged (and of the span), an RFC 3339 instant [default: now].
    #[arg(long, alias = "until", value_name = "TIME", value_parser = parse_instant)]
    pub at: Option<Timestamp>,

    /// How far back past breaches and the span's summary look: an RFC 3339 instant, or a
    /// duration before --at such as 365d [default: 364d, thirteen 28-day windows].
    #[arg(long, value_name = "TIME|SPAN", value_parser = parse_since)]
    pub since: Option<Since>,

    /// Only this app's URLs (a store a portfolio monitor writes holds several).
    #[arg(long)]
    pub app: Option<String>,

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

    /// The year: 13 consecutive 28-day windows ending at --at, per URL (a store only; the
    /// HTML adds a calendar of the days and the budget used per window).
    #[arg(long, conflicts_with_all = ["since", "window", "objective"])]
    pub year: bool,

    /// A Forge app: the invocation success rate, per function and overall, of these OTLP JSON
    /// files saved from Atlassian's App metrics API (or its GraphQL responses), instead of a
    /// monitor's store.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["history", "atlassian", "maintenance", "app", "since", "window", "year"])]
    pub forge_metrics: Vec<std::path::PathBuf>,

    /// With --forge-metrics: the exact name of the metric that counts invocations [default:
    /// forge_backend_invocation_count, the App metrics API's].
    #[arg(long, value_name = "NAME", requires = "forge_metrics")]
    pub invocations_metric: Option<String>,

    /// With --forge-metrics: the exact name of the metric that counts failed invocations
    /// [default: forge_backend_invocation_errors].
    #[arg(long, value_name = "NAME", requires = "forge_metrics")]
    pub errors_metric: Option<String>,

    /// With --forge-metrics: the data point attribute that names the function [default:
    /// functionKey].
    #[arg(long, value_name = "KEY", requires = "forge_metrics")]
    pub function_attribute: Option<String>,

    /// A Forge app: the invocation success rate, per function and overall, of the counts
    /// `cfready monitor --forge` appended to the store (the 28 days and the year to --at).
    #[arg(long, conflicts_with_all = ["forge_metrics", "atlassian", "maintenance", "since", "window", "year"])]
    pub forge: bool,
}

impl SloArgs {
    /// The report a monitor prints when it stops: the store's 28 days to now, as text
    /// (`forge`: the Forge counts of `app`).
    pub fn summary(
        store: std::path::PathBuf,
        app: Option<String>,
        objective: Option<f64>,
        forge: bool,
    ) -> SloArgs {
        SloArgs {
            history: Some(store),
            format: SloFormat::Human,
            output: None,
            at: None,
            since: None,
            app,
            window: cfready::program::SLO_WINDOW,
            maintenance: Vec::new(),
            objective,
            atlassian: Vec::new(),
            year: false,
            forge_metrics: Vec::new(),
            invocations_metric: None,
            errors_metric: None,
            function_attribute: None,
            forge,
        }
    }
}

/// `--since`: an instant, or a span back from `--at`.
#[derive(Debug, Clone, Copy)]
pub enum Since {
    At(Timestamp),
    Back(std::time::Duration),
}

fn parse_instant(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text.trim())
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 instant such as 2026-11-20T02:00:00Z"))
}

fn parse_since(text: &str) -> Result<Since, String> {
    if let Some(at) = Timestamp::parse(text.trim()) {
        return Ok(Since::At(at));
    }
    parse_span(text).map(Since::Back).map_err(|_| {
        format!("`{text}` is neither an RFC 3339 instant (2026-01-01T00:00:00Z) nor a span (365d)")
    })
}

/// The span `slo` reads when `--since` is not given: thirteen 28-day windows.
pub const DEFAULT_SPAN: std::time::Duration = std::time::Duration::from_secs(364 * 86_400);

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
    if !args.forge_metrics.is_empty() {
        return forge_metrics(&args);
    }
    if args.forge {
        return forge_store(&args);
    }
    let path = args
        .history
        .clone()
        .unwrap_or_else(|| cfready::badge::store::DEFAULT_STORE.into());
    let end = args.at.unwrap_or_else(Timestamp::now);
    if args.year {
        return year(&args, &path, end);
    }
    let span = SpanOptions {
        end,
        span_start: match args.since {
            Some(Since::At(at)) => at,
            Some(Since::Back(back)) => end.minus(back),
            None => end.minus(DEFAULT_SPAN),
        },
        window: args.window,
        app: args.app.clone(),
    };
    let input = read(&path, &span)?;
    let options = cfready::badge::slo::SloOptions {
        window: args.window,
        maintenance: args.maintenance,
        objective: args.objective,
    };
    let reconciliation = atlassian(&args.atlassian, &input)?;
    for d in &input.warnings {
        eprintln!("warning[{}]: {}", d.code, d.message);
    }
    let Some(report) = cfready::badge::slo::compute(input, &options) else {
        // A store a Forge poller wrote holds counts, not observations: say where they are.
        let forge = cfready::badge::store::is_store(&path)
            .then(|| cfready::badge::store::Reader::open(&path).and_then(|r| r.forge_apps()))
            .and_then(Result::ok)
            .filter(|apps| !apps.is_empty())
            .map(|apps| {
                format!(
                    "; it holds the Forge invocation counts of {}: `cfready slo --forge`",
                    apps.join(", ")
                )
            });
        anyhow::bail!(
            "{}: no observation in the {} to {end}{} (run `cfready monitor`, or give --at within the history){}",
            path.display(),
            cfready::duration::human(args.window),
            args.app
                .map(|app| format!(" for app `{app}`"))
                .unwrap_or_default(),
            forge.unwrap_or_default()
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
        SloFormat::Json => report::slo::render_json(&report, reconciliation),
        SloFormat::Html => report::slo_html::render(&report, reconciliation),
    };
    match &args.output {
        Some(path) => {
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?
        }
        None => print(&text)?,
    }
    Ok(Exit::of(report.exit_code()))
}

/// `slo --year`: the 13 windows ending at `end`, from a store's hourly counts and failures.
fn year(args: &SloArgs, path: &std::path::Path, end: Timestamp) -> anyhow::Result<Exit> {
    if !cfready::badge::store::is_store(path) {
        if !path.exists() {
            return Err(cfready::badge::store::StoreError::Missing {
                path: path.to_owned(),
            }
            .into());
        }
        anyhow::bail!(
            "{}: --year reads the monitor's store, not a JSONL history (import it first: cfready history import {} --into cfready-history.db)",
            path.display(),
            path.display()
        );
    }
    let reader = cfready::badge::store::Reader::open(path)?;
    let options = cfready::badge::slo::YearOptions {
        end,
        app: args.app.clone(),
        maintenance: args.maintenance.clone(),
    };
    let emails = if args.atlassian.is_empty() {
        Vec::new()
    } else {
        let mut received = Vec::new();
        for mail in &args.atlassian {
            received.extend(
                cfready::badge::email::read::read_file(mail).map_err(|e| io_error(mail, &e))?,
            );
        }
        // Only the emails' own windows are read from the store.
        let spans: Vec<(Timestamp, Timestamp)> = received
            .iter()
            .filter_map(|r| r.incident.as_ref().ok())
            .map(|i| (i.end().minus(i.duration()), i.end()))
            .collect();
        let observations =
            cfready::badge::slo::observations_in(&reader, args.app.as_deref(), &spans)?;
        let reconciliation = cfready::badge::reconcile::reconcile(&observations, received);
        for d in &reconciliation.diagnostics {
            eprintln!("{}[{}]: {}", d.severity, d.code, d.message);
        }
        reconciliation
            .emails
            .into_iter()
            .filter_map(|email| {
                Some(cfready::badge::slo::YearEmail {
                    url: email.url?,
                    source: email.source,
                    at: email.incident.end(),
                    agreement: email.agreement.words().replace(' ', "-"),
                    explanation: email.explanation,
                })
            })
            .collect()
    };
    let report = cfready::badge::slo::year_from_store(&reader, &options, &emails)?;
    if report.urls.iter().all(|u| u.observations == 0) {
        anyhow::bail!(
            "{}: no observation in the year to {end}{} (run `cfready monitor`, or give --at within the history)",
            path.display(),
            args.app
                .as_ref()
                .map(|app| format!(" for app `{app}`"))
                .unwrap_or_default()
        );
    }
    let text = match args.format {
        SloFormat::Human => report::slo_year::render_human(&report),
        SloFormat::Json => report::slo_year::render_json(&report),
        SloFormat::Html => report::slo_year::render_html(&report),
    };
    match &args.output {
        Some(path) => {
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?
        }
        None => print(&text)?,
    }
    Ok(Exit::of(report.exit_code()))
}

/// What the SLO needs of a store or of a v1 JSONL history (told apart by the file's first
/// bytes).
fn read(path: &std::path::Path, span: &SpanOptions) -> anyhow::Result<SloInput> {
    if cfready::badge::store::is_store(path) {
        let reader = cfready::badge::store::Reader::open(path)?;
        return Ok(cfready::badge::slo::from_store(&reader, span)?);
    }
    if !path.exists() && path.extension().is_some_and(|e| e == "db") {
        return Err(cfready::badge::store::StoreError::Missing {
            path: path.to_owned(),
        }
        .into());
    }
    cfready::badge::slo::from_jsonl(path, span).map_err(|e| io_error(path, &e))
}

/// `slo --atlassian`: the emails read and reconciled with the window (`None` without any).
/// Only a file that cannot be read is an error; a message without data is a finding.
fn atlassian(
    paths: &[std::path::PathBuf],
    input: &SloInput,
) -> anyhow::Result<Option<Reconciliation>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut received = Vec::new();
    for path in paths {
        received
            .extend(cfready::badge::email::read::read_file(path).map_err(|e| io_error(path, &e))?);
    }
    let observations: Vec<Observation> = input
        .series
        .iter()
        .flat_map(|s| {
            s.window
                .iter()
                .map(|p| p.observation(&s.app, &s.url, s.base_url.as_deref()))
        })
        .collect();
    Ok(Some(cfready::badge::reconcile::reconcile(
        &observations,
        received,
    )))
}

/// The largest App metrics file read: the API answers 15 minutes per call.
const FORGE_METRICS_MAX: u64 = 64 * 1024 * 1024;

/// `slo --forge-metrics FILE...`: a Forge app's invocation success rate. Exit 1 when the 28
/// days are below 99.9 %, 2 when a file cannot be read or holds no invocation metric.
fn forge_metrics(args: &SloArgs) -> anyhow::Result<Exit> {
    use cfready::badge::slo::forge::{End, ForgeMetrics, MetricNames, compute};
    use std::io::Read;
    let names = MetricNames {
        invocations: args.invocations_metric.clone(),
        errors: args.errors_metric.clone(),
        function_attribute: args.function_attribute.clone(),
    };
    let mut metrics = ForgeMetrics::default();
    for path in &args.forge_metrics {
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(FORGE_METRICS_MAX + 1).read_to_string(&mut text))
            .map_err(|e| io_error(path, &e))?;
        if text.len() as u64 > FORGE_METRICS_MAX {
            anyhow::bail!(
                "{}: larger than {} MiB",
                path.display(),
                FORGE_METRICS_MAX >> 20
            );
        }
        metrics
            .read(&text, &names)
            .map_err(|reason| anyhow::anyhow!("{}: {reason}", path.display()))?;
    }
    let other: Vec<String> = metrics.other_metrics.iter().cloned().collect();
    let Some(report) = compute(&metrics, args.at.map_or(End::Last, End::At), args.objective) else {
        anyhow::bail!(
            "no invocation or error metric in {} (metrics found: {}); name them with --invocations-metric and --errors-metric",
            cfready::words::plural(args.forge_metrics.len(), "file"),
            if other.is_empty() {
                "none".to_owned()
            } else {
                other.join(", ")
            }
        );
    };
    let source = report::forge::Source::Files(args.forge_metrics.len());
    write_forge(args, &report, &source, &other)
}

/// `slo --forge`: a Forge app's invocation success rate from the store `monitor --forge`
/// appends to. Exit 1 when the 28 days are below 99.9 %, 2 when the store holds no counts.
fn forge_store(args: &SloArgs) -> anyhow::Result<Exit> {
    use cfready::badge::slo::forge::{Counts, End, ForgeMetrics, YEAR, compute};
    use cfready::badge::store::{DEFAULT_STORE, Reader};
    let path = args.history.clone().unwrap_or_else(|| DEFAULT_STORE.into());
    let reader = match Reader::open(&path) {
        Err(cfready::badge::store::StoreError::Missing { .. }) => anyhow::bail!(
            "{}: no such store (run `cfready monitor --forge` first; it writes cfready-history.db beside the questionnaire, or where --store says)",
            path.display()
        ),
        other => other?,
    };
    let apps = reader.forge_apps()?;
    let app = match (&args.app, apps.as_slice()) {
        (Some(app), _) if apps.contains(app) => app.clone(),
        (Some(app), _) => anyhow::bail!(
            "{}: no Forge metrics of {app} (it holds {})",
            path.display(),
            if apps.is_empty() {
                "none".to_owned()
            } else {
                apps.join(", ")
            }
        ),
        (None, [one]) => one.clone(),
        (None, []) => anyhow::bail!(
            "{}: no Forge metrics (run `cfready monitor --forge` first)",
            path.display()
        ),
        (None, _) => anyhow::bail!(
            "{}: Forge metrics of {} apps; name one with --app: {}",
            path.display(),
            apps.len(),
            apps.join(", ")
        ),
    };
    let end = args.at.unwrap_or_else(Timestamp::now);
    // A little more than the year: `compute` keeps the whole hours of it exactly.
    let year_start = end.minus(YEAR).minus(std::time::Duration::from_secs(3600));
    let mut metrics = ForgeMetrics::default();
    for hour in reader.forge_hours(&app, year_start, end)? {
        metrics.add(
            hour.function,
            hour.hour,
            Counts {
                invocations: hour.invocations,
                errors: hour.errors,
            },
        );
    }

    let Some(mut report) = compute(
        &metrics,
        args.at.map_or(End::Now(end), End::At),
        args.objective,
    ) else {
        anyhow::bail!(
            "{}: no Forge invocation counted for {app} in the year to {end}",
            path.display()
        );
    };
    let covered = reader.forge_covered(&app, report.window_start, report.end)?;
    // What the polls brought in the year, not the rows of hourly counts read.
    report.points = reader.forge_points(&app, report.year_start, report.end)? as usize;
    if let Some((first, _)) = covered.first() {
        report.first = report.first.max(*first).min(report.end);
    }
    let source = report::forge::Source::Store {
        path: path.display().to_string(),
        covered: covered.iter().map(|(start, end)| end.since(*start)).sum(),
        gaps: covered.len().saturating_sub(1),
        last_poll: reader.forge_last(&app)?,
    };
    write_forge(args, &report, &source, &[])
}

fn write_forge(
    args: &SloArgs,
    report: &cfready::badge::slo::forge::ForgeReport,
    source: &report::forge::Source,
    other: &[String],
) -> anyhow::Result<Exit> {
    let text = match args.format {
        SloFormat::Human => report::forge::human(report, source, other),
        SloFormat::Json => {
            let mut value = report::forge::json(report);
            if let report::forge::Source::Store {
                path,
                covered,
                gaps,
                last_poll,
            } = source
            {
                value["store"] = serde_json::json!({
                    "path": path,
                    "covered_seconds": covered.as_secs(),
                    "gaps": gaps,
                    "last_poll": last_poll.map(|t| t.to_string()),
                });
            }
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).expect("plain data")
            )
        }
        SloFormat::Html => anyhow::bail!("Forge metrics are written as text or JSON, not HTML"),
    };
    match &args.output {
        Some(path) => {
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?
        }
        None => print(&text)?,
    }
    Ok(Exit::findings_if(report.below_program()))
}

//! `cfready monitor`: its arguments and glue (the rounds are `cfready::badge::monitor`'s; `--notify`
//! is `cli::notify`'s; the closing summary is `cfready slo`'s).

use cfready::words::plural;
use std::io::IsTerminal;

use clap::Args;

use cfready::badge::monitor::{self, MonitorError, MonitorOptions};
use cfready::duration;
use cfready::program;
use cfready::ticket::lint::{DEFAULT_FILE, LintOptions};
use cfready::ticket::probe::{self, ProbeOptions};

use super::slo::SloArgs;
use super::{
    ColorChoice, Exit, app_label, lowered_limit, notify, parse_objective, parse_span,
    questionnaires, refuse, store_beside,
};

pub const AFTER_HELP: &str = "Examples:\n  cfready monitor                                  every base URL of cloud-fortified.yaml\n  cfready monitor --for 24h                        a soak test before you apply\n  cfready monitor apps/*/cloud-fortified.yaml --store /var/lib/cfready/history.db\n  cfready monitor --url https://app.example.com/health --every 10s --for 10m\n  cfready slo                                      the 28-day SLO of what it saw\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify-test   check the wiring\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify slack:env:SLACK_WEBHOOK_URL\n  cfready monitor --forge --environment 8cb293d5-be08-47ae-a75c-95b89da5ad1d   a Forge app's invocations\n\nEach request is the probe's (GET, no credentials, 200 within 3 s, no redirects). Each\nround is written to the store (SQLite, cfready-history.db beside the first questionnaire)\nin one transaction before the next round; running monitor again appends to the same store.\nSeveral questionnaires are watched by one process and one store, each observation labelled\nwith its app's key. A URL the probe refuses (a loopback or private host without\n--allow-private, no scheme, a scheme other than http or https) is refused before the first\nround: exit 2, the store untouched; so is a store another monitor writes. Ctrl-C stops after\nthe round in flight and prints the SLO summary: each URL breached, at risk or within its\nerror budget. Exit 1 only on a breach, 0 otherwise (at risk included).\n\nA store that cannot be written (a disk full) does not stop the monitor: it keeps probing and\nalerting, holds the observations in memory (100,000 at most) and writes them once it can.\n\nWith --notify, an alert goes out at the first failed request (and at the first good one\nafter it, at 50/75/100 % of the 28-day error budget, on a 14.4x burn, and once when the\nstore cannot be written), in the background: three attempts each, every attempt written to\nthe store; secrets come only from the environment variables the targets name.\n\nWith --forge, a Forge app's invocation counts are polled from Atlassian's App metrics API\n(CFREADY_FORGE_EMAIL and CFREADY_FORGE_API_TOKEN, the app owner's) instead: 15 minutes per\ncall, at most five calls a minute, back to --backfill (14d) on a new store, then every 5m;\n`cfready slo --forge` reports them, and so does the run when it stops. Exit 1 when the app's\n28 days are below 99.9 %; 2 when the API refuses the credentials or the query, when nothing\nwas counted, or when a --once run meets 3 failed calls in a row (the next run resumes).";

#[derive(Args)]
pub struct MonitorArgs {
    /// The questionnaires whose base URLs to monitor, one app each, or folders of them (every
    /// *.yaml and *.yml inside) (not with --url) [default: cloud-fortified.yaml].
    #[arg(conflicts_with = "url")]
    files: Vec<String>,

    /// Monitor this health check URL instead (repeatable).
    #[arg(long)]
    url: Vec<String>,

    /// Time between the starts of two rounds (Atlassian's cadence) [default: 60s; with --forge,
    /// 5m between polls once caught up, as the App metrics API's page recommends].
    #[arg(long, value_parser = duration::parse_cli)]
    every: Option<std::time::Duration>,

    /// Stop after this long (such as 10m or 24h); without it, run until interrupted.
    #[arg(long = "for", value_parser = parse_span)]
    run_for: Option<std::time::Duration>,

    /// The store to append to [default: cfready-history.db beside the first questionnaire].
    #[arg(long, alias = "history")]
    store: Option<std::path::PathBuf>,

    /// Lower the 3 s limit (such as 1s) for margin; it can never be raised.
    #[arg(long, value_parser = duration::parse_cli)]
    timeout: Option<std::time::Duration>,

    /// Monitor loopback, private and link-local hosts too (staging, tests); without it, such
    /// a URL is refused before the first round.
    #[arg(long)]
    allow_private: bool,

    /// No line per round on stderr.
    #[arg(long, short)]
    quiet: bool,

    /// The team's own tighter objective in percent (such as 99.95), in the closing summary
    /// beside the program's 99.9 %.
    #[arg(long, value_name = "PERCENT", value_parser = parse_objective)]
    objective: Option<f64>,
    #[command(flatten)]
    notify: notify::NotifyArgs,

    /// A Forge app: poll its functions' invocation counts from Atlassian's App metrics API into
    /// the store instead of probing health checks (credentials from CFREADY_FORGE_EMAIL and
    /// CFREADY_FORGE_API_TOKEN); `cfready slo --forge` reports them.
    #[arg(long, conflicts_with_all = ["url", "timeout", "allow_private"])]
    forge: bool,

    /// With --forge: the id (a UUID) of an environment whose metrics to fetch, such as the
    /// production environment's (repeatable; the developer console shows it).
    #[arg(long, value_name = "UUID", requires = "forge")]
    environment: Vec<String>,

    /// With --forge: how far back a store without this app's polls starts (at most 14d, what
    /// the API keeps) [default: 14d].
    #[arg(long, value_name = "SPAN", value_parser = parse_span, requires = "forge")]
    backfill: Option<std::time::Duration>,

    /// With --forge: stop once everything up to now is fetched (a cron job, a CI step).
    #[arg(long, requires = "forge")]
    once: bool,

    /// With --forge: the GraphQL endpoint [default: https://api.atlassian.com/graphql];
    /// https only (http to this machine, for a stand-in).
    #[arg(long, value_name = "URL", requires = "forge")]
    endpoint: Option<String>,
}

pub fn run(args: MonitorArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    if args.forge {
        if !args.notify.notify.is_empty() {
            anyhow::bail!(
                "--notify alerts on health checks; with --forge, use Forge's own alerts (docs/forge.md)"
            );
        }
        return super::forge::run(
            super::forge::ForgeArgs {
                files: args.files,
                every: args.every,
                run_for: args.run_for,
                store: args.store,
                quiet: args.quiet,
                objective: args.objective,
                environments: args.environment,
                backfill: args.backfill,
                once: args.once,
                endpoint: args.endpoint,
            },
            color,
        );
    }
    let timeout = lowered_limit(args.timeout)?;
    let Some(Watch {
        targets,
        history,
        slo_alerts,
        reviews,
        forge_apps,
    }) = watch(&args, color)?
    else {
        return Ok(Exit::Failure);
    };
    let mut notify = notify::options(&args.notify, slo_alerts.as_deref())?;
    if let Some(notify) = notify.as_mut() {
        notify.reviews = reviews;
    }
    if args.notify.test() {
        return notify::test(notify.as_ref(), &targets);
    }
    let options = MonitorOptions {
        forge_apps,
        every: args.every.unwrap_or(program::HEALTH_CHECK_INTERVAL),
        run_for: args.run_for,
        notify,
        probe: ProbeOptions {
            limit: timeout,
            samples: 1,
            interval: std::time::Duration::ZERO,
            allow_private: args.allow_private,
        },
    };
    let show = !args.quiet && std::io::stderr().is_terminal();
    let run = monitor::run(&targets, &history, &options, &mut |round| {
        if show {
            eprintln!("{}", monitor::round_line(round));
        } else {
            // What happened to the store is said even when rounds are not (a service's
            // journal, --quiet): a disk full must not pass unseen.
            for note in &round.notes {
                eprintln!("monitor: round {}: {note}", round.number);
            }
        }
    });
    let summary = match run {
        Ok(summary) => summary,
        Err(MonitorError::Refused(refused)) => {
            // Nothing was requested and the history was not touched: a usage error.
            for refusal in &refused {
                eprintln!(
                    "error: cannot monitor {}: {}",
                    refusal.url,
                    refusal.message(timeout)
                );
                if let Some(help) = refusal.help() {
                    eprintln!("  help: {help}");
                }
            }
            return Ok(Exit::Failure);
        }
        Err(MonitorError::Store(e)) => return Err(e.into()),
        Err(MonitorError::Notify(e)) => anyhow::bail!("--notify: {e}"),
    };
    eprintln!(
        "monitor: {} ({} observations) appended to {}; latest start {} ms after its schedule, {} skipped",
        plural(summary.rounds, "round"),
        summary.observations,
        history.display(),
        summary.max_drift.as_millis(),
        plural(summary.skipped, "slot")
    );
    if summary.unwritten > 0 {
        eprintln!(
            "monitor: {} observations could not be written to {} (the store could not be written to the end) and are lost",
            summary.unwritten,
            history.display()
        );
    }
    notify::summary(&summary.notify);
    super::slo::run(SloArgs::summary(history, None, args.objective, false))
}

/// What a monitor watches, and where it writes.
struct Watch {
    targets: Vec<cfready::ticket::health_check::Target>,
    /// The store: `--store`, else beside the first questionnaire (or here, for `--url`).
    history: std::path::PathBuf,
    /// The SLO-breach address of the first questionnaire that gives one.
    slo_alerts: Option<String>,
    /// Each app's `app.approved_on`, for the annual review's reminders.
    reviews: Vec<(String, cfready::date::Date)>,
    /// The labels of the Forge apps among them.
    forge_apps: Vec<String>,
}

/// The health check URLs of the questionnaires (each labelled with its app), or the `--url`
/// ones; `None` when a questionnaire cannot be monitored (said on stderr already).
fn watch(args: &MonitorArgs, color: ColorChoice) -> anyhow::Result<Option<Watch>> {
    let mut slo_alerts = None;
    let mut reviews = Vec::new();
    let mut forge_apps = Vec::new();
    let (targets, history) = if args.url.is_empty() {
        let files = if args.files.is_empty() {
            vec![DEFAULT_FILE.to_owned()]
        } else {
            questionnaires(&args.files)?
        };
        let mut targets = Vec::new();
        let mut refused = Vec::new();
        for path in &files {
            match probe::read_targets(path, &LintOptions::default()) {
                Ok((report, found)) => {
                    if slo_alerts.is_none() {
                        slo_alerts = notify::slo_alerts(&report);
                    }
                    let app = app_label(&report, path);
                    if report.document.as_ref().is_some_and(|d| {
                        cfready::ticket::health_check::Kind::of(&d.value)
                            != cfready::ticket::health_check::Kind::Connect
                    }) {
                        forge_apps.push(app.clone());
                    }
                    if let Some(approved) = report
                        .document
                        .as_ref()
                        .and_then(|d| cfready::ticket::review::approved_on(&d.value))
                    {
                        reviews.push((app.clone(), approved));
                    }
                    targets.extend(found.into_iter().map(|mut target| {
                        target.app = Some(app.clone());
                        target
                    }));
                }
                Err(report) => refused.push(*report),
            }
        }
        if !refused.is_empty() {
            refuse(&refused, "nothing monitored", color)?;
            return Ok(None);
        }
        let store = args
            .store
            .clone()
            .unwrap_or_else(|| store_beside(&files[0]));
        (targets, store)
    } else {
        let targets = args
            .url
            .iter()
            .map(|url| cfready::ticket::health_check::Target::url(url))
            .collect();
        let history = args
            .store
            .clone()
            .unwrap_or_else(|| cfready::badge::store::DEFAULT_STORE.into());
        (targets, history)
    };
    Ok(Some(Watch {
        targets,
        history,
        slo_alerts,
        reviews,
        forge_apps,
    }))
}

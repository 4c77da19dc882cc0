//! `cfready monitor`: its arguments and glue (the rounds are `cfready::monitor`'s; `--notify`
//! is `cli::notify`'s; the closing summary is `cfready slo`'s).

use std::io::IsTerminal;

use clap::Args;

use cfready::duration;
use cfready::lint::{DEFAULT_FILE, LintOptions};
use cfready::monitor::{self, MonitorError, MonitorOptions};
use cfready::probe::{self, ProbeOptions};
use cfready::program;

use super::slo::{SloArgs, SloFormat};
use super::{
    ColorChoice, Exit, io_error, lowered_limit, notify, parse_objective, parse_span, refuse,
};

pub const AFTER_HELP: &str = "Examples:\n  cfready monitor                                  every base URL of cloud-fortified.yaml\n  cfready monitor --for 24h                        a soak test before you apply\n  cfready monitor --url https://app.example.com/health --every 10s --for 10m\n  cfready slo cfready-history.jsonl                the 28-day SLO of what it saw\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify-test   check the wiring\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify slack:env:SLACK_WEBHOOK_URL\n\nEach request is the probe's (GET, no credentials, 200 within 3 s, no redirects). Each\nobservation is appended to the history as one JSON line, flushed before the next round;\nrunning monitor again appends to the same history. A URL the probe refuses (a loopback\nor private host without --allow-private, no scheme, a scheme other than http or https) is\nrefused before the first round: exit 2, the history untouched. Ctrl-C stops after the round\nin flight and prints the SLO summary: each URL breached, at risk or within its error budget.\nExit 1 only on a breach, 0 otherwise (at risk included).\n\nWith --notify, an alert goes out at the first failed request (and at the first good one\nafter it, at 50/75/100 % of the 28-day error budget, on a 14.4x burn), in the background:\nthree attempts each, every attempt appended to the history; secrets come only from the\nenvironment variables the targets name.";

#[derive(Args)]
pub struct MonitorArgs {
    /// The questionnaire whose base URLs to monitor (not with --url).
    #[arg(conflicts_with = "url")]
    file: Option<String>,

    /// Monitor this health check URL instead (repeatable).
    #[arg(long)]
    url: Vec<String>,

    /// Time between the starts of two rounds (Atlassian's cadence is 60s).
    #[arg(long, default_value = "60s", value_parser = duration::parse_cli)]
    every: std::time::Duration,

    /// Stop after this long (such as 10m or 24h); without it, run until interrupted.
    #[arg(long = "for", value_parser = parse_span)]
    run_for: Option<std::time::Duration>,

    /// The history to append to [default: cfready-history.jsonl beside the questionnaire].
    #[arg(long)]
    history: Option<std::path::PathBuf>,

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
}

pub fn run(args: MonitorArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let timeout = lowered_limit(args.timeout)?;
    let mut slo_alerts = None;
    let (targets, history) = if args.url.is_empty() {
        let path = args.file.as_deref().unwrap_or(DEFAULT_FILE);
        let targets = match probe::read_targets(path, &LintOptions::default()) {
            Ok((report, targets)) => {
                slo_alerts = notify::slo_alerts(&report);
                targets
            }
            // A refusal is exit 2, as the help says, like a URL the probe refuses.
            Err(report) => {
                refuse(&[*report], "nothing monitored", color)?;
                return Ok(Exit::Failure);
            }
        };
        let beside = std::path::Path::new(path)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(monitor::DEFAULT_HISTORY);
        (targets, args.history.unwrap_or(beside))
    } else {
        let targets = args
            .url
            .iter()
            .map(|url| cfready::health_check::Target::url(url))
            .collect();
        let history = args
            .history
            .unwrap_or_else(|| monitor::DEFAULT_HISTORY.into());
        (targets, history)
    };
    let notify = notify::options(&args.notify, slo_alerts.as_deref())?;
    if args.notify.test() {
        return notify::test(notify.as_ref(), &targets);
    }
    let options = MonitorOptions {
        every: args.every,
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
        Err(MonitorError::History(e)) => return Err(io_error(&history, &e)),
        Err(MonitorError::Notify(e)) => anyhow::bail!("--notify: {e}"),
    };
    eprintln!(
        "monitor: {} round{} ({} observations) appended to {}; latest start {} ms after its schedule, {} slot{} skipped",
        summary.rounds,
        if summary.rounds == 1 { "" } else { "s" },
        summary.observations,
        history.display(),
        summary.max_drift.as_millis(),
        summary.skipped,
        if summary.skipped == 1 { "" } else { "s" }
    );
    notify::summary(&summary.notify);
    super::slo::run(SloArgs {
        history,
        format: SloFormat::Human,
        output: None,
        window: program::SLO_WINDOW,
        maintenance: Vec::new(),
        objective: args.objective,
        atlassian: Vec::new(),
    })
}

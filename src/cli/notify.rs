//! `cfready monitor --notify`: the options and the glue of the binary (parsing targets from
//! the command line and the environment, `--notify-test`, the summary lines).

use cfready::words::plural;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use cfready::badge::history::{Delivery, Outcome};
use cfready::badge::monitor::NotifyOptions;
use cfready::badge::notify::{self, Policy, Tally};
use cfready::duration;
use cfready::ticket::health_check::Target;

use super::Exit;

#[derive(Args)]
pub struct NotifyArgs {
    /// Send alerts to this target (repeatable): webhook:URL, webhook:env:VAR, slack:env:VAR,
    /// pagerduty:env:VAR, opsgenie:env:VAR, opsgenie-eu:env:VAR,
    /// email:smtp://USER@HOST:587?password_env=VAR (smtps:// for TLS on 465; to=ADDR, else
    /// the questionnaire's contacts.slo_alerts). Secrets come only from environment variables.
    #[arg(long, value_name = "TARGET")]
    pub notify: Vec<String>,

    /// Send one clearly marked test event to every --notify target and exit (1 if any failed).
    #[arg(long, requires = "notify")]
    pub notify_test: bool,

    /// The most one delivery attempt may take (each alert gets 3 attempts, 1 s then 2 s apart).
    #[arg(long, default_value = "10s", value_parser = duration::parse_cli)]
    pub notify_timeout: Duration,

    /// The wait after a failed attempt (doubled after each).
    #[arg(long, default_value = "1s", value_parser = duration::parse_cli, hide = true)]
    pub notify_backoff: Duration,
}

impl NotifyArgs {
    pub fn test(&self) -> bool {
        self.notify_test
    }
}

/// The questionnaire's `contacts.slo_alerts`, the default recipient of `email:`.
pub fn slo_alerts(report: &cfready::ticket::lint::FileReport) -> Option<String> {
    report.document.as_ref()?.value["app"]["contacts"]["slo_alerts"]
        .as_str()
        .map(str::to_owned)
}

/// The targets, read with their secrets from the environment; `None` without `--notify`.
pub fn options(
    args: &NotifyArgs,
    slo_alerts: Option<&str>,
) -> anyhow::Result<Option<NotifyOptions>> {
    if args.notify.is_empty() {
        return Ok(None);
    }
    let env = |var: &str| std::env::var(var).ok();
    let mut targets = Vec::new();
    for text in &args.notify {
        // The error names the kind and the variable, never the value given.
        targets.push(
            notify::target::parse(text, &env, slo_alerts)
                .map_err(|e| anyhow::anyhow!("--notify: {e}"))?,
        );
    }
    if args.notify_timeout.is_zero() {
        anyhow::bail!("--notify-timeout must be above zero");
    }
    Ok(Some(NotifyOptions {
        targets,
        policy: Policy {
            timeout: args.notify_timeout,
            backoff: args.notify_backoff,
            ..Policy::default()
        },
        on_delivery: Arc::new(report_delivery),
        reviews: Vec::new(),
    }))
}

/// An alert that did not go out, said on stderr at once (the run goes on).
fn report_delivery(delivery: &Delivery) {
    if delivery.outcome == Outcome::Undelivered {
        eprintln!(
            "notify: {} not delivered to {} after {}: {}",
            delivery.event,
            delivery.target,
            plural(delivery.attempt, "attempt"),
            delivery.error.as_deref().unwrap_or("failed")
        );
    }
}

/// `--notify-test`: the test event to every target; exit 1 if any did not accept it.
pub fn test(notify: Option<&NotifyOptions>, targets: &[Target]) -> anyhow::Result<Exit> {
    let Some(notify) = notify else {
        anyhow::bail!("--notify-test needs at least one --notify TARGET");
    };
    let first = targets.first();
    let url = first.map_or("(no URL)", |t| t.url.as_str());
    let base = first.and_then(|t| t.base_url.as_deref()).unwrap_or(url);
    let event = notify::test_event(base, url);
    let results = notify::send_test(&notify.targets, notify.policy, &event)
        .map_err(|e| anyhow::anyhow!("--notify: {e}"))?;
    let mut failed = 0;
    for (label, attempts) in &results {
        match attempts.last() {
            Some(last) if last.outcome == Outcome::Delivered => eprintln!(
                "notify-test: {label}: delivered ({}{})",
                last.status
                    .map_or_else(String::new, |s| format!("status {s}")),
                if attempts.len() > 1 {
                    format!(", after {} attempts", attempts.len())
                } else {
                    String::new()
                }
            ),
            last => {
                failed += 1;
                eprintln!(
                    "notify-test: {label}: FAILED after {}: {}",
                    plural(attempts.len(), "attempt"),
                    last.and_then(|l| l.error.as_deref())
                        .unwrap_or("no attempt")
                );
            }
        }
    }
    eprintln!(
        "notify-test: {} of {} accepted the test event",
        results.len() - failed,
        plural(results.len(), "target")
    );
    Ok(Exit::findings_if(failed > 0))
}

/// A line per target after a run: how many alerts went out, and the ones that did not.
pub fn summary(tallies: &[(String, Tally)]) {
    for (label, tally) in tallies {
        let mut line = format!(
            "notify: {label}: {} delivered",
            plural(tally.delivered, "alert")
        );
        if tally.undelivered > 0 {
            line.push_str(&format!(
                ", {} NOT delivered (last: {})",
                tally.undelivered,
                tally.last_error.as_deref().unwrap_or("failed")
            ));
        }
        eprintln!("{line}");
    }
}

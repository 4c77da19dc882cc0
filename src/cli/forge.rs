//! `cfready monitor --forge`: its arguments and glue (the polling is
//! `cfready::badge::monitor::forge`'s; the closing report is `cfready slo --forge`'s).

use std::io::IsTerminal;
use std::time::Duration;

use cfready::badge::monitor::forge::{
    self, Credentials, DEFAULT_ENDPOINT, DEFAULT_SETTLE, Event, ForgeError, ForgeOptions,
};
use cfready::badge::slo::forge::MetricNames;
use cfready::program::{
    FORGE_METRICS_CALLS_PER_MINUTE, FORGE_METRICS_EVERY, FORGE_METRICS_LOOKBACK,
};
use cfready::ticket::health_check::Kind;
use cfready::ticket::lint::{self, DEFAULT_FILE, LintOptions};
use cfready::words::plural;

use super::slo::SloArgs;
use super::{ColorChoice, Exit, questionnaires, refuse, store_beside};

/// What `monitor --forge` was given.
pub struct ForgeArgs {
    pub files: Vec<String>,
    pub every: Option<Duration>,
    pub run_for: Option<Duration>,
    pub store: Option<std::path::PathBuf>,
    pub quiet: bool,
    pub objective: Option<f64>,
    pub environments: Vec<String>,
    pub backfill: Option<Duration>,
    pub once: bool,
    pub endpoint: Option<String>,
}

/// The app's id as the API takes it (`ari:cloud:ecosystem::app/<uuid>`, the UUID in lowercase
/// as the page's pattern writes it) from `app.key`, which the schema lets be in either case.
fn app_ari(key: &str) -> Option<String> {
    let key = key.to_ascii_lowercase();
    key.strip_prefix("ari:cloud:ecosystem::app/")
        .is_some_and(forge::is_environment_id)
        .then_some(key)
}

pub fn run(args: ForgeArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let files = if args.files.is_empty() {
        vec![DEFAULT_FILE.to_owned()]
    } else {
        questionnaires(&args.files)?
    };
    let [path] = files.as_slice() else {
        anyhow::bail!(
            "--forge polls one app: give one questionnaire ({} given); run one `monitor --forge` per app",
            files.len()
        );
    };
    let report = lint::lint_path(path, &LintOptions::default());
    let Some(document) = report.document.as_ref() else {
        refuse(&[report], "nothing polled", color)?;
        return Ok(Exit::Failure);
    };
    let app = &document.value["app"];
    if Kind::of(&document.value) == Kind::Connect {
        anyhow::bail!(
            "{path}: app.framework is not forge: --forge polls a Forge app's invocation metrics; a Connect app's availability is its health check (`cfready monitor {path}`)"
        );
    }
    // The store labels the app with its key as written, as the health check monitor does.
    let label = app["key"].as_str().unwrap_or_default().to_owned();
    let Some(app_id) = app_ari(&label) else {
        anyhow::bail!(
            "{path}: app.key must be the app's id, ari:cloud:ecosystem::app/<uuid> (manifest.yml's app.id): the App metrics API's appId"
        );
    };
    if args.environments.is_empty() {
        anyhow::bail!(
            "--forge needs --environment UUID: the id of the environment whose metrics to fetch (the production environment's; the developer console shows it)"
        );
    }
    if let Some(bad) = args
        .environments
        .iter()
        .find(|e| !forge::is_environment_id(e))
    {
        anyhow::bail!(
            "--environment `{bad}` is not an environment id (a lowercase UUID such as 8cb293d5-be08-47ae-a75c-95b89da5ad1d)"
        );
    }
    let backfill = args.backfill.unwrap_or(FORGE_METRICS_LOOKBACK);
    if backfill > FORGE_METRICS_LOOKBACK {
        anyhow::bail!("--backfill reaches past the 14 days the App metrics API keeps");
    }
    if backfill <= DEFAULT_SETTLE {
        anyhow::bail!(
            "--backfill must reach further back than {}: the last {} are left to settle before they are asked for",
            cfready::duration::human(DEFAULT_SETTLE),
            cfready::duration::human(DEFAULT_SETTLE)
        );
    }
    let endpoint = args
        .endpoint
        .clone()
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    forge::check_endpoint(&endpoint).map_err(|e| anyhow::anyhow!("--endpoint {e}"))?;
    let credentials = Credentials::from_env(|name| std::env::var(name).ok())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = args.store.clone().unwrap_or_else(|| store_beside(path));
    let options = ForgeOptions {
        endpoint,
        app_id,
        environments: args.environments.clone(),
        credentials,
        every: args.every.unwrap_or(FORGE_METRICS_EVERY),
        settle: DEFAULT_SETTLE,
        backfill,
        once: args.once,
        run_for: args.run_for,
        names: MetricNames::default(),
        timeout: Duration::from_secs(30),
    };
    let mut show = Show::new(std::io::stderr().is_terminal(), args.quiet, args.once);
    let run = forge::run(&store, &label, &options, &mut |event| show.event(event));
    show.finish();
    let summary = match run {
        Ok(summary) => summary,
        Err(ForgeError::Api(reason)) => {
            eprintln!("error: the App metrics API refused the call: {reason}");
            return Ok(Exit::Failure);
        }
        Err(ForgeError::Unavailable(reason)) => {
            eprintln!("error: the App metrics API: {reason}");
            return Ok(Exit::Failure);
        }
        Err(e) => return Err(e.into()),
    };
    eprintln!(
        "monitor --forge: {}, {} new ({} already stored) appended to {}{}",
        plural(summary.calls, "call"),
        plural(summary.points, "point"),
        summary.duplicates,
        store.display(),
        summary
            .last
            .map(|at| format!("; fetched up to {at}"))
            .unwrap_or_default()
    );
    let report = super::slo::run(SloArgs::summary(store, Some(label), args.objective, true));
    match report {
        Ok(exit) => Ok(exit),
        // Nothing counted: an environment with no invocation (a wrong id answers empty), or a
        // run stopped before the first answer.
        Err(e) => {
            eprintln!(
                "error: no report: {e}\n  help: an answer without invocations is what an environment id that is not this app's gets: check --environment ({})",
                args.environments.join(", ")
            );
            Ok(Exit::Failure)
        }
    }
}

/// What the poller's events look like on stderr: on a terminal, a bar while catching up and a
/// line per call after; always, what needs attention (gaps, retries, a store not written).
struct Show {
    terminal: bool,
    quiet: bool,
    once: bool,
    bar: Option<indicatif::ProgressBar>,
    caught_up: bool,
}

impl Show {
    fn new(terminal: bool, quiet: bool, once: bool) -> Show {
        Show {
            terminal,
            quiet,
            once,
            bar: None,
            caught_up: false,
        }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn event(&mut self, event: &Event) {
        match event {
            Event::Called {
                start,
                end,
                added,
                behind,
            } => {
                if !self.terminal || self.quiet {
                    return;
                }
                if *behind > 0 && self.bar.is_none() {
                    let bar = indicatif::ProgressBar::new(behind + 1);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "catching up {bar:30} {pos}/{len} calls of 15 minutes, {msg}",
                        )
                        .expect("a valid template"),
                    );
                    self.bar = Some(bar);
                }
                match &self.bar {
                    Some(bar) => {
                        bar.set_length(bar.position() + behind + 1);
                        bar.inc(1);
                        bar.set_message(format!("up to {end}"));
                    }
                    None => eprintln!(
                        "monitor --forge: {start} to {end}: {} new{}",
                        plural(added.points, "point"),
                        if added.duplicates > 0 {
                            format!(", {} already stored", added.duplicates)
                        } else {
                            String::new()
                        }
                    ),
                }
            }
            Event::Gap { from, to } => self.say(&format!(
                "monitor --forge: {from} to {to} is older than the 14 days the API keeps and was not fetched (a gap in the store)"
            )),
            // The bar shows the pace; without one, a terminal is told why nothing moves.
            Event::Paced { wait } => {
                if self.terminal && !self.quiet && self.bar.is_none() {
                    self.say(&format!(
                        "monitor --forge: waiting {} s: the API allows {FORGE_METRICS_CALLS_PER_MINUTE} calls a minute",
                        wait.as_secs()
                    ));
                }
            }
            Event::Waiting { reason, wait } => self.say(&format!(
                "monitor --forge: waiting {} s: {reason}",
                wait.as_secs()
            )),
            Event::Unwritable(reason) => self.say(&format!(
                "monitor --forge: the store cannot be written ({reason}); the same interval is asked again later (the API keeps 14 days)"
            )),
            Event::CaughtUp { until } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                if self.caught_up || self.quiet {
                    return;
                }
                self.caught_up = true;
                match until {
                    // A --once run says it in its summary.
                    Some(_) if self.once => {}
                    Some(until) => eprintln!("monitor --forge: fetched up to {until}; polling every --every from now"),
                    None => eprintln!(
                        "monitor --forge: nothing to fetch yet: the last {} are left to settle before they are asked for",
                        cfready::duration::human(DEFAULT_SETTLE)
                    ),
                }
            }
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

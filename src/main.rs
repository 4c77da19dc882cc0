//! The `cfready` command line: parse arguments, call the library, print, exit.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use std::sync::Arc;

use cfready::check;
use cfready::date::Date;
use cfready::diagnostic::Severity;
use cfready::duration;
use cfready::lint::{self, DEFAULT_FILE, LintOptions};
use cfready::probe::{self, ProbeOptions, Progress};
use cfready::program;
use cfready::render;
use cfready::report::{self, Format, Style};
use cfready::timestamp::Timestamp;

mod cli {
    pub mod drill;
    pub mod lint;
    pub mod notify;
}

const EXAMPLES: &str = "\
Examples:
  cfready lint                                  lint ./cloud-fortified.yaml
  cfready lint cloud-fortified.yaml --strict    fail on warnings too
  cfready lint a.yaml b.yaml --format json      machine-readable findings
  cfready lint --format sarif > cfready.sarif   for code scanning (also github, junit)
  cfready init                                  write a commented starter questionnaire
  cfready check                                 lint, probe the health check: ready to submit?
  cfready render -o ticket.md                   the approval ticket's text
  cfready explain CF601                         what a finding means and how to fix it
  cfready schema > cloud-fortified.schema.json  the JSON Schema, for your editor

Exit codes: 0 clean, 1 findings at error level (or warnings with --strict) or a failed
probe, 2 usage, I/O or internal error (a broken template included).";

/// Is your Atlassian Cloud Fortified approval ticket ready to submit?
///
/// cfready checks the questionnaire you keep in your repository (cloud-fortified.yaml)
/// against the questionnaire schema and the program's readiness rules, probes the health
/// check the way Atlassian's monitor does, and renders the approval ticket's text.
#[derive(Parser)]
#[command(name = "cfready", version, about, long_about, after_help = EXAMPLES)]
struct Cli {
    /// When to use colors in human output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check questionnaires against the schema and the readiness rules (never uses the network).
    #[command(after_help = cli::lint::EXAMPLES)]
    Lint(cli::lint::LintArgs),
    /// Probe the health check on every base URL, exactly as Atlassian's monitor does.
    #[command(
        after_help = "Examples:\n  cfready probe\n  cfready probe cloud-fortified.yaml --samples 20 --interval 1s\n  cfready probe --url https://timesheets.acme.example/healthcheck\n\nEach request: GET, no credentials or cookies, redirects not followed, a fresh connection,\nand success only for status 200 with the whole response within 3 s."
    )]
    Probe(ProbeArgs),
    /// Am I ready to submit? Lint, probe the health check, and print the program's checklist.
    #[command(
        after_help = "Examples:\n  cfready check\n  cfready check cloud-fortified.yaml --offline\n  cfready check --strict --format json\n\nExit 0 only when ready: no errors (no warnings either with --strict) and a passing probe."
    )]
    Check(CheckArgs),
    /// Render the approval ticket's text (Markdown, or Jira wiki markup) from the questionnaire.
    #[command(
        after_help = "Examples:\n  cfready render > ticket.md\n  cfready render cloud-fortified.yaml --flavor jira -o ticket.jira.txt\n  cfready render --templates my-templates/\n  cfready render --force    render despite lint errors, with a NOT READY banner\n\nThe templates are embedded; --templates DIR overrides any of them by file name\n(ticket.md.j2, ticket.jira.j2, ticket-body.j2, markup.md.j2, markup.jira.j2)."
    )]
    Render(RenderArgs),
    /// Run Atlassian's monitor: every 60 s, each base URL once, appended to a history.
    #[command(
        after_help = "Examples:\n  cfready monitor                                  every base URL of cloud-fortified.yaml\n  cfready monitor --for 24h                        a soak test before you apply\n  cfready monitor --url https://app.example.com/health --every 10s --for 10m\n  cfready slo cfready-history.jsonl                the 28-day SLO of what it saw\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify-test   check the wiring\n  cfready monitor --notify pagerduty:env:PD_ROUTING_KEY --notify slack:env:SLACK_WEBHOOK_URL\n\nEach request is the probe's (GET, no credentials, 200 within 3 s, no redirects). Each\nobservation is appended to the history as one JSON line, flushed before the next round;\nrunning monitor again appends to the same history. A URL the probe refuses (a loopback\nor private host without --allow-private, no scheme, a scheme other than http or https) is\nrefused before the first round: exit 2, the history untouched. Ctrl-C stops after the round\nin flight and prints the SLO summary: each URL breached, at risk or within its error budget.\nExit 1 only on a breach, 0 otherwise (at risk included).\n\nWith --notify, an alert goes out at the first failed request (and at the first good one\nafter it, at 50/75/100 % of the 28-day error budget, on a 14.4x burn), in the background:\nthree attempts each, every attempt appended to the history; secrets come only from the\nenvironment variables the targets name."
    )]
    Monitor(MonitorArgs),
    /// Report the 28-day SLO of a monitor history: availability, error budget, incidents, alerts.
    #[command(
        after_help = "Examples:\n  cfready slo cfready-history.jsonl\n  cfready slo cfready-history.jsonl --format html -o slo.html\n  cfready slo cfready-history.jsonl --window 7d --format json\n  cfready slo h.jsonl --maintenance 2026-11-20T02:00:00Z/2026-11-20T03:00:00Z\n  cfready slo h.jsonl --atlassian breach.eml slo-alerts.mbox --objective 99.95\n\nComputed as Atlassian does, per health check URL: the error budget of the window (0.1 % of\nit; each failed observation costs one interval) and the verdict on it: breached when the\nfailed time inside a window exceeds the budget, at risk when the failures spend it faster\nthan the window allows (over the observed part, or 14.4x over the last hour), within budget\notherwise. Also: how much of the window the history covers, the availability of that part,\nthe incidents, and the alerts Atlassian would have emailed (one per 15-minute episode of\nfailures). --objective 99.95 reports the team's tighter target beside the program's.\n--atlassian MAIL... reconciles Atlassian's breach emails (.eml or mbox) with the history:\nagree, differ or not observed, per email.\nExit 1 only on a breach, 0 otherwise (at risk included), 2 when the history holds no\nobservation."
    )]
    Slo(SloArgs),
    /// Export Atlassian's monitor for another stack (Prometheus with blackbox_exporter).
    #[command(
        after_help = "Examples:\n  cfready export prometheus cloud-fortified.yaml -o monitoring/\n  cfready export prometheus apps/*.yaml -o monitoring/ --blackbox blackbox:9115\n\nWrites six files: blackbox.yml, prometheus.yml, rules.yml, rules.test.yml,\nrules.slo.test.yml and README.md: the same request as Atlassian's monitor, every 60 s on\nevery base URL, the SLI per base URL, the 15-minute alert, burn-rate alerts on 99.9 % over\n28 days, the 28-day breach, and promtool tests of them (promtool test rules rules.test.yml\nrules.slo.test.yml). Same input, byte-identical output. A questionnaire with nothing to\nprobe writes nothing."
    )]
    Export {
        #[command(subcommand)]
        target: ExportTarget,
    },
    /// Send (or print) a DRILL of Atlassian's SLO-breach email, to test the mailbox's routing.
    #[command(after_help = cli::drill::AFTER_HELP)]
    Drill(cli::drill::DrillArgs),
    /// List every rule: code, default severity, name and summary.
    #[command(
        after_help = "Examples:\n  cfready rules\n  cfready rules --format json\n  cfready explain CF601"
    )]
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print one rule's documentation: what it checks, why it matters, an example.
    #[command(after_help = "Examples:\n  cfready explain CF601\n  cfready explain coverage-gap")]
    Explain {
        /// A rule code (CF601) or name (coverage-gap).
        code: String,
    },
    /// Print the bundled JSON Schema of the questionnaire.
    #[command(
        after_help = "Example:\n  cfready schema > cloud-fortified.schema.json\n\nThen point your editor at it with the first line of the questionnaire:\n  # yaml-language-server: $schema=cloud-fortified.schema.json"
    )]
    Schema,
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  cfready completions bash > ~/.local/share/bash-completion/completions/cfready\n  cfready completions zsh > \"${fpath[1]}/_cfready\"\n  cfready completions fish > ~/.config/fish/completions/cfready.fish"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), generated from the same definitions as --help.
    #[command(
        after_help = "Examples:\n  cfready man > cfready.1 && man ./cfready.1\n  cfready man --dir man/    cfready.1 and a page per subcommand (cfready-lint.1, ...)"
    )]
    Man {
        /// Write cfready.1 and one page per subcommand into DIR instead (created; those pages
        /// replaced, written whole or not at all).
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Run the language server over stdio: lint's findings while you type, hover docs, quick
    /// fixes, completion (never uses the network).
    #[command(
        after_help = "Editors start it; it speaks the Language Server Protocol on stdin/stdout.\nExample (Neovim):\n  vim.lsp.start({ name = 'cfready', cmd = { 'cfready', 'server' } })\n\nIt lints cloud-fortified.yaml, *.cloud-fortified.yaml and YAML whose first comment is\ncfready's schema modeline. Settings (initializationOptions or didChangeConfiguration):\n  { \"ignore\": [\"CF601\"], \"strict\": true }"
    )]
    Server {
        /// Accepted for editors that pass it (stdio is the only transport).
        #[arg(long, hide = true)]
        stdio: bool,
        /// The date to take as today (YYYY-MM-DD), as lint's `--today`.
        #[arg(long, env = "CFREADY_TODAY", value_parser = parse_date, hide = true)]
        today: Option<Date>,
    },
    /// Write a commented starter questionnaire (never overwrites a file).
    #[command(after_help = "Examples:\n  cfready init\n  cfready init config/cloud-fortified.yaml")]
    Init {
        /// Where to write it: a file, or a directory to hold cloud-fortified.yaml.
        #[arg(default_value = DEFAULT_FILE)]
        path: std::path::PathBuf,
    },
}

#[derive(Args)]
struct ProbeArgs {
    /// The questionnaire whose health check to probe (not with --url).
    #[arg(conflicts_with = "url")]
    file: Option<String>,

    /// Probe this URL instead of a questionnaire's (repeatable).
    #[arg(long, value_parser = parse_url)]
    url: Vec<String>,

    #[command(flatten)]
    probe: ProbeSettings,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct MonitorArgs {
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
    notify: cli::notify::NotifyArgs,
}

#[derive(Subcommand)]
enum ExportTarget {
    /// blackbox_exporter module, Prometheus scrape job, recording and alerting rules, tests.
    Prometheus {
        /// Questionnaires, one app each (several apps share the files).
        #[arg(default_value = DEFAULT_FILE)]
        files: Vec<String>,

        /// The folder to write (created; the export's six files in it are replaced, others kept).
        #[arg(long, short)]
        output: std::path::PathBuf,

        /// Where Prometheus reaches blackbox_exporter.
        #[arg(long, default_value = "127.0.0.1:9115")]
        blackbox: String,

        /// The team's own tighter objective in percent (such as 99.95): rules and promtool
        /// tests for it beside the program's 99.9 %.
        #[arg(long, value_name = "PERCENT", value_parser = parse_objective)]
        objective: Option<f64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SloFormat {
    Human,
    Json,
    Html,
}

#[derive(Args)]
struct SloArgs {
    /// The history `cfready monitor` wrote.
    history: std::path::PathBuf,

    /// Output format (html: one self-contained page with charts).
    #[arg(long, value_enum, default_value_t = SloFormat::Human)]
    format: SloFormat,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,

    /// The SLO window, ending at the last observation.
    #[arg(long, default_value = "28d", value_parser = parse_span)]
    window: std::time::Duration,

    /// Announced downtime to exclude, as an RFC 3339 interval START/END (repeatable).
    #[arg(long, value_parser = parse_interval)]
    maintenance: Vec<(Timestamp, Timestamp)>,

    /// The team's own tighter objective in percent (such as 99.95), reported beside the
    /// program's 99.9 %, never instead of it (the exit code stays the program's).
    #[arg(long, value_name = "PERCENT", value_parser = parse_objective)]
    objective: Option<f64>,

    /// Atlassian's SLO-breach emails (.eml files or mboxes) to reconcile with the history.
    #[arg(long, value_name = "MAIL", num_args = 1..)]
    atlassian: Vec<std::path::PathBuf>,
}

/// `--objective`: a target tighter than the program's 99.9 %, under 100 %.
fn parse_objective(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(value) if value > program::AVAILABILITY_SLO_PERCENT && value < 100.0 => Ok(value),
        _ => Err(format!(
            "`{text}` is not a tighter target than the program's {} %: give a percentage above it and under 100, such as 99.95",
            program::AVAILABILITY_SLO_PERCENT
        )),
    }
}

/// A span of time in the command line's units (500ms, 10s, 5m, 2h) or the questionnaire's
/// (1d, 2w, PT4H).
fn parse_span(text: &str) -> Result<std::time::Duration, String> {
    duration::parse_cli(text).or_else(|cli| {
        duration::parse(text).map_err(|_| format!("{cli}; or d and w, such as 28d or 2w"))
    })
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

#[derive(Args)]
struct CheckArgs {
    /// The questionnaire.
    #[arg(default_value = DEFAULT_FILE)]
    file: String,

    /// Skip the probe (no network).
    #[arg(long)]
    offline: bool,

    #[command(flatten)]
    probe: ProbeSettings,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct RenderArgs {
    /// The questionnaire.
    #[arg(default_value = DEFAULT_FILE)]
    file: String,

    /// The ticket's markup: Markdown, or Jira wiki markup for the support portal.
    #[arg(long, value_enum, default_value_t = FlavorArg::Markdown)]
    flavor: FlavorArg,

    /// A directory of templates that override the embedded ones by name.
    #[arg(long, value_name = "DIR")]
    templates: Option<std::path::PathBuf>,

    /// Render even with lint errors, under a NOT READY banner.
    #[arg(long)]
    force: bool,

    /// Write the ticket to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,

    #[command(flatten)]
    lint: LintSettings,
}

#[derive(Clone, Copy, ValueEnum)]
enum FlavorArg {
    Markdown,
    Jira,
}

#[derive(Args)]
struct ProbeSettings {
    /// Requests per URL; with more than one, the success rate and p50/p95/max are reported.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    samples: u32,

    /// Pause between two requests to the same URL (such as 1s or 500ms).
    #[arg(long, default_value = "0", value_parser = duration::parse_cli)]
    interval: std::time::Duration,

    /// Lower the 3 s limit (such as 1s) for margin; it can never be raised.
    #[arg(long, value_parser = duration::parse_cli)]
    timeout: Option<std::time::Duration>,

    /// Probe loopback, private and link-local hosts too (staging, tests).
    #[arg(long)]
    allow_private: bool,
}

impl ProbeSettings {
    fn options(&self) -> anyhow::Result<ProbeOptions> {
        Ok(ProbeOptions {
            limit: lowered_limit(self.timeout)?,
            samples: self.samples,
            interval: self.interval,
            allow_private: self.allow_private,
        })
    }
}

/// A progress line on stderr while probing, only when stderr is a terminal.
fn progress(quiet: bool) -> Option<Progress> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    Some(Arc::new(|done, total| {
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\rprobing: {done}/{total} requests");
        if done == total {
            let _ = write!(stderr, "\r{:40}\r", "");
        }
        let _ = stderr.flush();
    }))
}

/// What every command that lints takes.
#[derive(Args)]
struct LintSettings {
    /// The date to take as today (YYYY-MM-DD), for reproducible runs; default: today (UTC).
    #[arg(long, env = "CFREADY_TODAY", value_parser = parse_date, hide = true)]
    today: Option<Date>,

    /// Drop findings with this rule code or name (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_rule)]
    ignore: Vec<String>,

    /// Cross-check this Connect descriptor or Forge manifest instead of the one the
    /// questionnaire names (app.descriptor, app.manifest).
    #[arg(long, value_name = "PATH")]
    descriptor: Option<std::path::PathBuf>,
}

impl LintSettings {
    fn options(&self) -> LintOptions {
        LintOptions {
            ignore: self.ignore.clone(),
            today: self.today.unwrap_or_else(Date::today),
            descriptor: self.descriptor.clone(),
        }
    }
}

#[derive(Args)]
struct OutputArgs {
    #[command(flatten)]
    lint: LintSettings,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,

    /// Make warnings fail the run (exit 1).
    #[arg(long)]
    strict: bool,

    /// Print findings only, without the closing summary.
    #[arg(short, long)]
    quiet: bool,
}

/// A health check URL given on the command line: absolute, http or https. Without a scheme
/// (`127.0.0.1:8765/health`) there is nothing to request, which is the user's to fix.
fn parse_url(text: &str) -> Result<String, String> {
    let http = |scheme: &str| matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https");
    if let Some((scheme, rest)) = text.split_once("://") {
        return if !http(scheme) {
            Err(format!(
                "the scheme `{scheme}` is not http or https: the health check is an HTTP GET, such as https://{rest}"
            ))
        } else if cfready::net::split_url(text).is_none() {
            Err("the URL has no host: write the whole URL, such as https://app.example.com/healthcheck".to_owned())
        } else {
            Ok(text.to_owned())
        };
    }
    // `http:/host` is a scheme with a slash missing; anything else is a host without a scheme.
    let rest = text
        .split_once(':')
        .filter(|(scheme, _)| http(scheme))
        .map_or(text, |(_, rest)| rest)
        .trim_start_matches('/');
    Err(format!(
        "no `https://` (or `http://`) in front: write the whole URL, such as https://{rest}"
    ))
}

/// A rule code or name, as `--ignore` takes it: a misspelt one would silently drop nothing.
fn parse_rule(text: &str) -> Result<String, String> {
    match cfready::registry::find(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(unknown_rule(text)),
    }
}

/// Why `text` names no rule, and what it may have meant.
fn unknown_rule(text: &str) -> String {
    let similar = cfready::registry::similar(text);
    let hint = if similar.is_empty() {
        "`cfready rules` lists every rule".to_owned()
    } else {
        let named: Vec<String> = similar
            .iter()
            .filter_map(|code| cfready::registry::find(code))
            .map(|rule| format!("{} ({})", rule.code, rule.name))
            .collect();
        format!("did you mean {}?", named.join(", "))
    };
    format!("`{text}` is not a rule code or name; {hint}")
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to color what goes to `stream` (stdout for findings, stderr for `render`'s).
fn use_color(choice: ColorChoice, stream: &impl IsTerminal) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stream.is_terminal()
        }
    }
}

/// Whether two paths name the same existing file.
fn same_file(a: &std::path::Path, b: &str) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Write to stdout; a closed pipe (`cfready lint | head -1`) is not an error.
fn print(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

impl OutputArgs {
    fn format(&self) -> Format {
        match self.format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
        }
    }

    fn style(&self, color: ColorChoice) -> Style {
        Style {
            color: use_color(color, &std::io::stdout()),
            quiet: self.quiet,
            ..Style::default()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Lint(args) => cli::lint::run(args, cli.color),
        Command::Probe(args) => {
            let options = args.probe.options()?;
            let progress = progress(args.output.quiet);
            let run = if args.url.is_empty() {
                let path = args.file.as_deref().unwrap_or(DEFAULT_FILE);
                probe::probe_file(path, &args.output.lint.options(), &options, progress)
            } else {
                probe::probe_urls(&args.url, &args.output.lint.ignore, &options, progress)
            };
            print(&report::render_run(
                &run.reports,
                Some(&run.results),
                None,
                args.output.format(),
                args.output.style(cli.color),
            ))?;
            Ok(run.exit_code(args.output.strict))
        }
        Command::Check(args) => {
            let options = args.probe.options()?;
            let run = check::run(
                &args.file,
                &args.output.lint.options(),
                (!args.offline).then_some(&options),
                args.output.strict,
                progress(args.output.quiet),
            );
            print(&report::render_run(
                std::slice::from_ref(&run.report),
                run.results.as_deref(),
                Some(&run.readiness),
                args.output.format(),
                args.output.style(cli.color),
            ))?;
            Ok(run.exit_code())
        }
        Command::Render(args) => {
            let file = lint::lint_path(&args.file, &args.lint.options());
            // Findings go to stderr: stdout is the ticket.
            eprint!(
                "{}",
                report::render(
                    std::slice::from_ref(&file),
                    Format::Human,
                    Style {
                        color: use_color(cli.color, &std::io::stderr()),
                        quiet: true,
                        ..Style::default()
                    },
                )
            );
            if file.failure.is_some() {
                return Ok(2);
            }
            let errors = file.count(Severity::Error);
            let warnings = file.count(Severity::Warning);
            let Some(document) = file.document.as_ref().filter(|_| errors == 0 || args.force)
            else {
                if file.document.is_none() {
                    eprintln!(
                        "error: cannot render a ticket: {} is not a questionnaire",
                        file.path
                    );
                } else {
                    eprintln!(
                        "error: not rendering the ticket: {} has {errors} lint error{}; fix them (or render anyway with --force)",
                        file.path,
                        if errors == 1 { "" } else { "s" }
                    );
                }
                return Ok(1);
            };
            if let Some(output) = &args.output
                && same_file(output, &args.file)
            {
                anyhow::bail!(
                    "-o {} is the questionnaire itself; cfready never modifies its input",
                    output.display()
                );
            }
            let render_options = render::RenderOptions {
                flavor: match args.flavor {
                    FlavorArg::Markdown => render::Flavor::Markdown,
                    FlavorArg::Jira => render::Flavor::Jira,
                },
                templates: args.templates.clone(),
                not_ready: (errors > 0).then_some(render::NotReady { errors, warnings }),
            };
            let text = render::ticket(&document.value, &render_options)?;
            match &args.output {
                Some(path) => {
                    cfready::write::atomically(
                        path,
                        text.as_bytes(),
                        cfready::write::Existing::Replace,
                    )?;
                    eprintln!("wrote {}", path.display());
                }
                None => print(&text)?,
            }
            Ok(u8::from(errors > 0))
        }
        Command::Rules { format } => {
            print(&match format {
                RulesFormat::Human => report::rules::table(),
                RulesFormat::Json => report::rules::json(),
                RulesFormat::Markdown => report::rules::markdown(),
            })?;
            Ok(0)
        }
        Command::Server { stdio: _, today } => Ok(cfready::server::run_stdio(today)?),
        Command::Explain { code } => match cfready::registry::find(&code) {
            Some(rule) => {
                print(&report::rules::explain(rule))?;
                Ok(0)
            }
            None => {
                eprintln!("error: {}", unknown_rule(&code));
                Ok(2)
            }
        },
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cfready", &mut text);
            print(&String::from_utf8_lossy(&text))?;
            Ok(0)
        }
        Command::Man { dir } => {
            let pages = man_pages(Cli::command())?;
            match dir {
                None => print(&String::from_utf8_lossy(&pages[0].1))?,
                Some(dir) => {
                    cfready::write::folder(&dir, &pages).map_err(|e| {
                        anyhow::anyhow!("{}: {}", dir.display(), lint::plain_io(&e))
                    })?;
                    eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
                }
            }
            Ok(0)
        }
        Command::Schema => {
            print(cfready::schema::SCHEMA_TEXT)?;
            Ok(0)
        }
        Command::Export {
            target:
                ExportTarget::Prometheus {
                    files,
                    output,
                    blackbox,
                    objective,
                },
        } => export_prometheus(&files, &output, &blackbox, objective, &cli.color),
        Command::Monitor(args) => monitor(args, cli.color),
        Command::Slo(args) => slo(args),
        Command::Drill(args) => cli::drill::run(args, cli.color),
        Command::Init { path } => {
            let written = cfready::init::write_starter(&path)?;
            eprintln!(
                "wrote {}: answer each question, then run `cfready lint {}`",
                written.display(),
                written.display()
            );
            Ok(0)
        }
    }
}

/// The man page of `command` first (`cfready.1`), then one per subcommand, nested ones
/// included (`cfready-export-prometheus.1`): every page a SUBCOMMANDS section names. clap's
/// `help` subcommand has no page, so it is left out of the lists too.
fn man_pages(command: clap::Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    fn add(command: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        let man = clap_mangen::Man::new(command.clone())
            .source(concat!("cfready ", env!("CARGO_PKG_VERSION")));
        let mut text = Vec::new();
        man.render(&mut text)?;
        pages.push((man.get_filename(), text));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            add(sub.clone(), pages)?;
        }
        Ok(())
    }
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    add(command, &mut pages)?;
    Ok(pages)
}

fn export_prometheus(
    files: &[String],
    output: &std::path::Path,
    blackbox: &str,
    objective: Option<f64>,
    color: &ColorChoice,
) -> anyhow::Result<u8> {
    let lint_options = LintOptions::default();
    let mut apps = Vec::new();
    let mut refused = Vec::new();
    for file in files {
        match cfready::export::app_of(file, &lint_options) {
            Ok(app) => apps.push(app),
            Err(report) => refused.push(*report),
        }
    }
    if !refused.is_empty() {
        // The findings that say why, and no file written.
        return refuse(&refused, "nothing exported", *color);
    }
    let written = cfready::export::write_prometheus(&apps, blackbox, objective, output)
        .map_err(|e| anyhow::anyhow!("{}: {}", output.display(), lint::plain_io(&e)))?;
    eprintln!(
        "wrote {} for {} app{} ({} health check URL{}) to {}",
        written.join(", "),
        apps.len(),
        if apps.len() == 1 { "" } else { "s" },
        apps.iter().map(|a| a.targets.len()).sum::<usize>(),
        if apps.iter().map(|a| a.targets.len()).sum::<usize>() == 1 {
            ""
        } else {
            "s"
        },
        output.display()
    );
    Ok(0)
}

/// `--timeout`: the program's 3 s, or lower; never higher, never zero.
fn lowered_limit(timeout: Option<std::time::Duration>) -> anyhow::Result<std::time::Duration> {
    let limit = program::HEALTH_CHECK_TIMEOUT;
    let timeout = timeout.unwrap_or(limit);
    if timeout > limit || timeout.is_zero() {
        anyhow::bail!(
            "--timeout may only lower the program's {} ms limit (and not to zero)",
            limit.as_millis()
        );
    }
    Ok(timeout)
}

/// Questionnaires that name nothing to probe (monitor, export): their findings on stdout, a
/// line on stderr, exit 1.
fn refuse(
    refused: &[cfready::lint::FileReport],
    what: &str,
    color: ColorChoice,
) -> anyhow::Result<u8> {
    let style = Style {
        color: use_color(color, &std::io::stdout()),
        quiet: true,
        ..Style::default()
    };
    print(&report::render(refused, Format::Human, style))?;
    eprintln!(
        "error: {what}: {} questionnaire{} cannot be monitored",
        refused.len(),
        if refused.len() == 1 { "" } else { "s" }
    );
    Ok(1)
}

fn monitor(args: MonitorArgs, color: ColorChoice) -> anyhow::Result<u8> {
    let timeout = lowered_limit(args.timeout)?;
    let mut slo_alerts = None;
    let (targets, history) = if args.url.is_empty() {
        let path = args.file.as_deref().unwrap_or(DEFAULT_FILE);
        let targets = match probe::read_targets(path, &LintOptions::default()) {
            Ok((report, targets)) => {
                slo_alerts = cli::notify::slo_alerts(&report);
                targets
            }
            Err(report) => return refuse(&[*report], "nothing monitored", color),
        };
        let beside = std::path::Path::new(path)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(cfready::monitor::DEFAULT_HISTORY);
        (targets, args.history.unwrap_or(beside))
    } else {
        let targets = args
            .url
            .iter()
            .map(|url| cfready::health_check::Target::url(url))
            .collect();
        let history = args
            .history
            .unwrap_or_else(|| cfready::monitor::DEFAULT_HISTORY.into());
        (targets, history)
    };
    let notify = cli::notify::options(&args.notify, slo_alerts.as_deref())?;
    if args.notify.test() {
        return cli::notify::test(notify.as_ref(), &targets);
    }
    let options = cfready::monitor::MonitorOptions {
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
    let run = cfready::monitor::run(&targets, &history, &options, &mut |round| {
        if show {
            eprintln!("{}", cfready::monitor::round_line(round));
        }
    });
    let summary = match run {
        Ok(summary) => summary,
        Err(cfready::monitor::MonitorError::Refused(refused)) => {
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
            return Ok(2);
        }
        Err(cfready::monitor::MonitorError::History(e)) => {
            anyhow::bail!("{}: {}", history.display(), lint::plain_io(&e))
        }
        Err(cfready::monitor::MonitorError::Notify(e)) => anyhow::bail!("--notify: {e}"),
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
    cli::notify::summary(&summary.notify);
    slo(SloArgs {
        history,
        format: SloFormat::Human,
        output: None,
        window: program::SLO_WINDOW,
        maintenance: Vec::new(),
        objective: args.objective,
        atlassian: Vec::new(),
    })
}

fn slo(args: SloArgs) -> anyhow::Result<u8> {
    let history = cfready::history::read(&args.history)
        .map_err(|e| anyhow::anyhow!("{}: {}", args.history.display(), lint::plain_io(&e)))?;
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
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)
                .map_err(|e| anyhow::anyhow!("{e}"))?
        }
        None => print(&text)?,
    }
    Ok(report.exit_code())
}

/// `slo --atlassian`: the emails read and reconciled with the history (`None` without any).
/// Only a file that cannot be read is an error; a message without data is a finding.
fn atlassian(
    paths: &[std::path::PathBuf],
    history: &cfready::history::History,
) -> anyhow::Result<Option<cfready::reconcile::Reconciliation>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut received = Vec::new();
    for path in paths {
        received.extend(
            cfready::email::read::read_file(path)
                .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), lint::plain_io(&e)))?,
        );
    }
    Ok(Some(cfready::reconcile::reconcile(
        &history.observations,
        received,
    )))
}

fn main() -> ExitCode {
    // A panic is a bug: say so in one clean message and exit 2, as for any internal error.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "error: internal error, a bug in cfready {}: {info}\nPlease report it with the input that caused it.",
            env!("CARGO_PKG_VERSION")
        );
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}

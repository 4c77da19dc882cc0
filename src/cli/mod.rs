//! The commands of the binary, one file each (its arguments, examples and glue), and what
//! several of them share: the output options, colors, printing, the value parsers, the exit
//! code. `main.rs` only parses and dispatches.

use cfready::words::plural;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use cfready::date::Date;
use cfready::duration;
use cfready::program;
use cfready::report::{self, Format, Style};
use cfready::source::plain_io;
use cfready::ticket::lint::{FileReport, LintOptions};
use cfready::ticket::probe::{ProbeOptions, Progress};

pub mod check;
pub mod drill;
pub mod export;
pub mod forge;
pub mod history;
pub mod init;
pub mod lint;
pub mod man;
pub mod monitor;
pub mod notify;
pub mod probe;
pub mod render;
pub mod review;
pub mod rules;
pub mod server;
pub mod slo;

/// How a run ends: 0 clean, 1 findings (at error level, or warnings with `--strict`; a failed
/// probe; a breach), 2 usage, I/O or internal error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Clean,
    Findings,
    Failure,
}

impl Exit {
    /// Findings when `found`, clean otherwise.
    pub fn findings_if(found: bool) -> Self {
        if found { Exit::Findings } else { Exit::Clean }
    }

    /// An exit code the library computed (`lint::exit_code` and the like: 0, 1 or 2).
    pub fn of(code: u8) -> Self {
        match code {
            0 => Exit::Clean,
            1 => Exit::Findings,
            _ => Exit::Failure,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(match exit {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Failure => 2,
        })
    }
}

/// An I/O error on `path`, as every command says it: the path, then the system's words
/// without their `(os error N)` tail.
pub fn io_error(path: &Path, error: &std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", path.display(), plain_io(error))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to color what goes to `stream` (stdout for findings, stderr for `render`'s).
pub fn use_color(choice: ColorChoice, stream: &impl IsTerminal) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stream.is_terminal()
        }
    }
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &str) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Write to stdout; a closed pipe (`cfready lint | head -1`) is not an error.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A progress line on stderr while probing, only when stderr is a terminal.
pub fn progress(quiet: bool) -> Option<Progress> {
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

/// Questionnaires that name nothing to probe (monitor, export): their findings on stdout, a
/// line on stderr, exit 1.
pub fn refuse(refused: &[FileReport], what: &str, color: ColorChoice) -> anyhow::Result<Exit> {
    let style = Style {
        color: use_color(color, &std::io::stdout()),
        quiet: true,
        ..Style::default()
    };
    print(&report::render(refused, Format::Human, style))?;
    eprintln!(
        "error: {what}: {} cannot be monitored",
        plural(refused.len(), "questionnaire")
    );
    Ok(Exit::Findings)
}

/// `--timeout`: the program's 3 s, or lower; never higher, never zero.
pub fn lowered_limit(timeout: Option<std::time::Duration>) -> anyhow::Result<std::time::Duration> {
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

/// What every command that lints takes.
#[derive(Args)]
pub struct LintSettings {
    /// The date to take as today (YYYY-MM-DD), for reproducible runs; default: today (UTC).
    #[arg(long, env = "CFREADY_TODAY", value_parser = parse_date, hide = true)]
    pub today: Option<Date>,

    /// Drop findings with this rule code or name (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_rule)]
    pub ignore: Vec<String>,

    /// Cross-check this Connect descriptor or Forge manifest instead of the one the
    /// questionnaire names (app.descriptor, app.manifest).
    #[arg(long, value_name = "PATH")]
    pub descriptor: Option<std::path::PathBuf>,
}

impl LintSettings {
    pub fn options(&self) -> LintOptions {
        LintOptions {
            ignore: self.ignore.clone(),
            today: self.today.unwrap_or_else(Date::today),
            descriptor: self.descriptor.clone(),
        }
    }
}

#[derive(Args)]
pub struct OutputArgs {
    #[command(flatten)]
    pub lint: LintSettings,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,

    /// Make warnings fail the run (exit 1).
    #[arg(long)]
    pub strict: bool,

    /// Print findings only, without the closing summary.
    #[arg(short, long)]
    pub quiet: bool,
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

impl OutputArgs {
    pub fn format(&self) -> Format {
        match self.format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
        }
    }

    pub fn style(&self, color: ColorChoice) -> Style {
        Style {
            color: use_color(color, &std::io::stdout()),
            quiet: self.quiet,
            ..Style::default()
        }
    }
}

/// What the commands that probe take (probe, check).
#[derive(Args)]
pub struct ProbeSettings {
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
    pub fn options(&self) -> anyhow::Result<ProbeOptions> {
        Ok(ProbeOptions {
            limit: lowered_limit(self.timeout)?,
            samples: self.samples,
            interval: self.interval,
            allow_private: self.allow_private,
        })
    }
}

/// `--objective`: a target tighter than the program's 99.9 %, under 100 %.
pub fn parse_objective(text: &str) -> Result<f64, String> {
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
pub fn parse_span(text: &str) -> Result<std::time::Duration, String> {
    duration::parse_cli(text).or_else(|cli| {
        duration::parse(text).map_err(|_| format!("{cli}; or d and w, such as 28d or 2w"))
    })
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
}

/// A rule code or name, as `--ignore` takes it: a misspelt one would silently drop nothing.
fn parse_rule(text: &str) -> Result<String, String> {
    match cfready::ticket::registry::find(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(unknown_rule(text)),
    }
}

/// Why `text` names no rule, and what it may have meant.
pub fn unknown_rule(text: &str) -> String {
    let similar = cfready::ticket::registry::similar(text);
    let hint = if similar.is_empty() {
        "`cfready rules` lists every rule".to_owned()
    } else {
        let named: Vec<String> = similar
            .iter()
            .filter_map(|code| cfready::ticket::registry::find(code))
            .map(|rule| format!("{} ({})", rule.code, rule.name))
            .collect();
        format!("did you mean {}?", named.join(", "))
    };
    format!("`{text}` is not a rule code or name; {hint}")
}

/// The store a monitor of `questionnaire` writes when `--store` is not given: beside it.
pub fn store_beside(questionnaire: &str) -> std::path::PathBuf {
    std::path::Path::new(questionnaire)
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .join(cfready::badge::store::DEFAULT_STORE)
}

/// An app's label in the store: its key, else its name, else the questionnaire's path.
pub fn app_label(report: &cfready::ticket::lint::FileReport, path: &str) -> String {
    let app = report
        .document
        .as_ref()
        .map(|document| &document.value["app"]);
    app.and_then(|app| app["key"].as_str().or_else(|| app["name"].as_str()))
        .map_or_else(|| path.to_owned(), str::to_owned)
}

/// The questionnaires the arguments name: a file as given, a folder as its `*.yaml` and
/// `*.yml` files in name order (a systemd template unit names one folder per team).
pub fn questionnaires(given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut files = Vec::new();
    for path in given {
        let folder = std::path::Path::new(path);
        if !folder.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found: Vec<String> = std::fs::read_dir(folder)
            .map_err(|e| io_error(folder, &e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .map(|p| p.display().to_string())
            .collect();
        if found.is_empty() {
            anyhow::bail!("{path}: a folder with no questionnaire (*.yaml, *.yml) in it");
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

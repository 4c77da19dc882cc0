//! The `cfready` command line: parse the arguments, hand them to their command in `cli/`,
//! exit with its code. Each command's arguments, examples and glue are in `src/cli/`.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cli;

use cli::{ColorChoice, Exit};

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
    #[command(after_help = cli::probe::AFTER_HELP)]
    Probe(cli::probe::ProbeArgs),
    /// Am I ready to submit? Lint, probe the health check, and print the program's checklist.
    #[command(after_help = cli::check::AFTER_HELP)]
    Check(cli::check::CheckArgs),
    /// Render the approval ticket's text (Markdown, or Jira wiki markup) from the questionnaire.
    #[command(after_help = cli::render::AFTER_HELP)]
    Render(cli::render::RenderArgs),
    /// Run Atlassian's monitor: every 60 s, each base URL once, appended to a history.
    #[command(after_help = cli::monitor::AFTER_HELP)]
    Monitor(cli::monitor::MonitorArgs),
    /// Report the 28-day SLO of a monitor history: availability, error budget, incidents, alerts.
    #[command(after_help = cli::slo::AFTER_HELP)]
    Slo(cli::slo::SloArgs),
    /// The annual review: its dates, and the pack (the year, changed answers, new findings).
    #[command(after_help = cli::review::AFTER_HELP)]
    Review(cli::review::ReviewArgs),
    /// The monitor's store: import a v1 JSONL history, export, prune, verify.
    #[command(after_help = cli::history::AFTER_HELP)]
    History(cli::history::HistoryArgs),
    /// Export Atlassian's monitor for another stack (Prometheus with blackbox_exporter).
    #[command(after_help = cli::export::AFTER_HELP)]
    Export(cli::export::ExportArgs),
    /// Send (or print) a DRILL of Atlassian's SLO-breach email, to test the mailbox's routing.
    #[command(after_help = cli::drill::AFTER_HELP)]
    Drill(cli::drill::DrillArgs),
    /// List every rule: code, default severity, name and summary.
    #[command(after_help = cli::rules::RULES_AFTER_HELP)]
    Rules(cli::rules::RulesArgs),
    /// Print one rule's documentation: what it checks, why it matters, an example.
    #[command(after_help = cli::rules::EXPLAIN_AFTER_HELP)]
    Explain(cli::rules::ExplainArgs),
    /// Print the bundled JSON Schema of the questionnaire.
    #[command(after_help = cli::rules::SCHEMA_AFTER_HELP)]
    Schema,
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    #[command(after_help = cli::man::COMPLETIONS_AFTER_HELP)]
    Completions(cli::man::CompletionsArgs),
    /// Print the man page (roff), generated from the same definitions as --help.
    #[command(after_help = cli::man::MAN_AFTER_HELP)]
    Man(cli::man::ManArgs),
    /// Run the language server over stdio: lint's findings while you type, hover docs, quick
    /// fixes, completion (never uses the network).
    #[command(after_help = cli::server::AFTER_HELP)]
    Server(cli::server::ServerArgs),
    /// Write a commented starter questionnaire (never overwrites a file).
    #[command(after_help = cli::init::AFTER_HELP)]
    Init(cli::init::InitArgs),
    /// Write the documentation site's generated pages: the rules, the questionnaire's and the
    /// command line's reference (for the project's own docs/; hidden).
    #[command(hide = true)]
    GenerateDocs(cli::man::GenerateDocsArgs),
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    let color = cli.color;
    match cli.command {
        Command::Lint(args) => cli::lint::run(args, color),
        Command::Probe(args) => cli::probe::run(args, color),
        Command::Check(args) => cli::check::run(args, color),
        Command::Render(args) => cli::render::run(args, color),
        Command::Monitor(args) => cli::monitor::run(args, color),
        Command::Slo(args) => cli::slo::run(args),
        Command::Review(args) => cli::review::run(args),
        Command::History(args) => cli::history::run(args),
        Command::Export(args) => cli::export::run(args, color),
        Command::Drill(args) => cli::drill::run(args, color),
        Command::Rules(args) => cli::rules::rules(args),
        Command::Explain(args) => cli::rules::explain(args),
        Command::Schema => cli::rules::schema(),
        Command::Completions(args) => cli::man::completions(args, Cli::command()),
        Command::Man(args) => cli::man::man(args, Cli::command()),
        Command::Server(args) => cli::server::run(args),
        Command::Init(args) => cli::init::run(args),
        Command::GenerateDocs(args) => cli::man::generate_docs(args, Cli::command()),
    }
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
        Ok(Ok(exit)) => exit.into(),
        Ok(Err(error)) => {
            eprintln!("error: {error:#}");
            Exit::Failure.into()
        }
        Err(_) => Exit::Failure.into(),
    }
}

//! The `cfready` command line: parse arguments, call the library, print, exit.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use cfready::date::Date;
use cfready::lint::{self, DEFAULT_FILE, LintOptions};
use cfready::report::{self, Format, Style};

const EXAMPLES: &str = "\
Examples:
  cfready lint                                  lint ./cloud-fortified.yaml
  cfready lint cloud-fortified.yaml --strict    fail on warnings too
  cfready lint a.yaml b.yaml --format json      machine-readable findings
  cfready init                                  write a commented starter questionnaire
  cfready explain CF601                         what a finding means and how to fix it
  cfready schema > cloud-fortified.schema.json  the JSON Schema, for your editor

Exit codes: 0 clean, 1 findings at error level (or warnings with --strict),
2 usage, I/O or internal error.";

/// Is your Atlassian Cloud Fortified approval ticket ready to submit?
///
/// cfready checks the questionnaire you keep in your repository (cloud-fortified.yaml)
/// against the questionnaire schema and the program's readiness rules.
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
    /// Check questionnaires against the schema (never uses the network).
    #[command(
        after_help = "Examples:\n  cfready lint\n  cfready lint cloud-fortified.yaml --format json\n  cat cloud-fortified.yaml | cfready lint -"
    )]
    Lint(LintArgs),
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
    /// Write a commented starter questionnaire (never overwrites a file).
    #[command(after_help = "Examples:\n  cfready init\n  cfready init config/cloud-fortified.yaml")]
    Init {
        /// Where to write it: a file, or a directory to hold cloud-fortified.yaml.
        #[arg(default_value = DEFAULT_FILE)]
        path: std::path::PathBuf,
    },
}

#[derive(Args)]
struct LintArgs {
    /// Questionnaire files; `-` reads standard input.
    #[arg(default_value = DEFAULT_FILE)]
    files: Vec<String>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct OutputArgs {
    /// The date to take as today (YYYY-MM-DD), for reproducible runs; default: today (UTC).
    #[arg(long, env = "CFREADY_TODAY", value_parser = parse_date, hide = true)]
    today: Option<Date>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,

    /// Make warnings fail the run (exit 1).
    #[arg(long)]
    strict: bool,

    /// Drop findings with this rule code or name (repeatable).
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,

    /// Print findings only, without the closing summary.
    #[arg(short, long)]
    quiet: bool,
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
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
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

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Lint(args) => {
            let options = LintOptions {
                ignore: args.output.ignore,
                today: args.output.today.unwrap_or_else(Date::today),
            };
            let reports: Vec<_> = args
                .files
                .iter()
                .map(|path| lint::lint_path(path, &options))
                .collect();
            let format = match args.output.format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
            };
            let style = Style {
                color: use_color(cli.color),
                quiet: args.output.quiet,
            };
            print(&report::render(&reports, format, style))?;
            Ok(lint::exit_code(&reports, args.output.strict))
        }
        Command::Rules { format } => {
            print(&match format {
                RulesFormat::Human => report::rules::table(),
                RulesFormat::Json => report::rules::json(),
                RulesFormat::Markdown => report::rules::markdown(),
            })?;
            Ok(0)
        }
        Command::Explain { code } => match cfready::rules::find(&code) {
            Some(rule) => {
                print(&report::rules::explain(rule))?;
                Ok(0)
            }
            None => {
                let similar = cfready::rules::similar(&code);
                let hint = if similar.is_empty() {
                    "`cfready rules` lists every rule".to_owned()
                } else {
                    format!("did you mean {}?", similar.join(", "))
                };
                eprintln!("error: `{code}` is not a rule code or name; {hint}");
                Ok(2)
            }
        },
        Command::Schema => {
            print(cfready::schema::SCHEMA_TEXT)?;
            Ok(0)
        }
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

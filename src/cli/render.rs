//! `cfready render`: its arguments and glue (the templates are `cfready::ticket::render`'s).

use cfready::words::plural;
use clap::{Args, ValueEnum};

use cfready::diagnostic::Severity;
use cfready::report::{self, Format, Style};
use cfready::ticket::lint::{self, DEFAULT_FILE};
use cfready::ticket::render;

use super::{ColorChoice, Exit, LintSettings, print, same_file, use_color};

pub const AFTER_HELP: &str = "Examples:\n  cfready render > ticket.md\n  cfready render cloud-fortified.yaml --flavor jira -o ticket.jira.txt\n  cfready render --templates my-templates/\n  cfready render --force    render despite lint errors, with a NOT READY banner\n\nThe templates are embedded; --templates DIR overrides any of them by file name\n(ticket.md.j2, ticket.jira.j2, ticket-body.j2, markup.md.j2, markup.jira.j2).";

#[derive(Args)]
pub struct RenderArgs {
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

pub fn run(args: RenderArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let file = lint::lint_path(&args.file, &args.lint.options());
    // Findings go to stderr: stdout is the ticket.
    eprint!(
        "{}",
        report::render(
            std::slice::from_ref(&file),
            Format::Human,
            Style {
                color: use_color(color, &std::io::stderr()),
                quiet: true,
                ..Style::default()
            },
        )
    );
    if file.failure.is_some() {
        return Ok(Exit::Failure);
    }
    let errors = file.count(Severity::Error);
    let warnings = file.count(Severity::Warning);
    let Some(document) = file.document.as_ref().filter(|_| errors == 0 || args.force) else {
        if file.document.is_none() {
            eprintln!(
                "error: cannot render a ticket: {} is not a questionnaire",
                file.path
            );
        } else {
            eprintln!(
                "error: not rendering the ticket: {} has {}; fix them (or render anyway with --force)",
                file.path,
                plural(errors, "lint error")
            );
        }
        return Ok(Exit::Findings);
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
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?;
            eprintln!("wrote {}", path.display());
        }
        None => print(&text)?,
    }
    Ok(Exit::findings_if(errors > 0))
}

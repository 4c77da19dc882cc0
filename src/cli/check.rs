//! `cfready check`: its arguments and glue (lint, probe and checklist are `cfready::ticket::check`'s).

use clap::Args;

use cfready::report;
use cfready::ticket::check;
use cfready::ticket::lint::DEFAULT_FILE;

use super::{ColorChoice, Exit, OutputArgs, ProbeSettings, print, progress};

pub const AFTER_HELP: &str = "Examples:\n  cfready check\n  cfready check cloud-fortified.yaml --offline\n  cfready check --strict --format json\n\nExit 0 only when ready: no errors (no warnings either with --strict) and a passing probe.";

#[derive(Args)]
pub struct CheckArgs {
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

pub fn run(args: CheckArgs, color: ColorChoice) -> anyhow::Result<Exit> {
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
        args.output.style(color),
    ))?;
    Ok(Exit::of(run.exit_code()))
}

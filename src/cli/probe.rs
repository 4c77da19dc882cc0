//! `cfready probe`: its arguments and glue (the requests are `cfready::ticket::probe`'s).

use clap::Args;

use cfready::report;
use cfready::ticket::lint::DEFAULT_FILE;
use cfready::ticket::probe;

use super::{ColorChoice, Exit, OutputArgs, ProbeSettings, print, progress};

pub const AFTER_HELP: &str = "Examples:\n  cfready probe\n  cfready probe cloud-fortified.yaml --samples 20 --interval 1s\n  cfready probe --url https://timesheets.acme.example/healthcheck\n\nEach request: GET, no credentials or cookies, redirects not followed, a fresh connection,\nand success only for status 200 with the whole response within 3 s.";

#[derive(Args)]
pub struct ProbeArgs {
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

pub fn run(args: ProbeArgs, color: ColorChoice) -> anyhow::Result<Exit> {
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
        args.output.style(color),
    ))?;
    Ok(Exit::of(run.exit_code(args.output.strict)))
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

//! `cfready export`: its arguments and glue (the files are `cfready::badge::export`'s).

use cfready::words::plural;
use clap::{Args, Subcommand};

use cfready::ticket::lint::{DEFAULT_FILE, LintOptions};

use super::{ColorChoice, Exit, io_error, parse_objective, refuse};

pub const AFTER_HELP: &str = "Examples:\n  cfready export prometheus cloud-fortified.yaml -o monitoring/\n  cfready export prometheus apps/*.yaml -o monitoring/ --blackbox blackbox:9115\n\nWrites six files: blackbox.yml, prometheus.yml, rules.yml, rules.test.yml,\nrules.slo.test.yml and README.md: the same request as Atlassian's monitor, every 60 s on\nevery base URL, the SLI per base URL, the 15-minute alert, burn-rate alerts on 99.9 % over\n28 days, the 28-day breach, and promtool tests of them (promtool test rules rules.test.yml\nrules.slo.test.yml). Same input, byte-identical output. A questionnaire with nothing to\nprobe writes nothing.";

#[derive(Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    target: ExportTarget,
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

pub fn run(args: ExportArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let ExportTarget::Prometheus {
        files,
        output,
        blackbox,
        objective,
    } = args.target;
    let lint_options = LintOptions::default();
    let mut apps = Vec::new();
    let mut refused = Vec::new();
    for file in &files {
        match cfready::badge::export::app_of(file, &lint_options) {
            Ok(app) => apps.push(app),
            Err(report) => refused.push(*report),
        }
    }
    if !refused.is_empty() {
        // The findings that say why, and no file written.
        return refuse(&refused, "nothing exported", color);
    }
    let written = cfready::badge::export::write_prometheus(&apps, &blackbox, objective, &output)
        .map_err(|e| io_error(&output, &e))?;
    let urls = apps.iter().map(|a| a.targets.len()).sum::<usize>();
    eprintln!(
        "wrote {} for {} ({}) to {}",
        written.join(", "),
        plural(apps.len(), "app"),
        plural(urls, "health check URL"),
        output.display()
    );
    Ok(Exit::Clean)
}

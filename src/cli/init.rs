//! `cfready init`: its arguments and glue (the starters are `cfready::ticket::init`'s).

use clap::{Args, ValueEnum};

use cfready::ticket::init::Starter;
use cfready::ticket::lint::DEFAULT_FILE;
use cfready::ticket::model::Framework;

use super::Exit;

pub const AFTER_HELP: &str = "Examples:\n  cfready init\n  cfready init --framework connect\n  cfready init --framework forge            a Forge app without a remote\n  cfready init --framework forge --remote   a Forge app with a Forge Remote backend\n  cfready init config/cloud-fortified.yaml\n\nWithout --framework the starter leaves `framework` for you to choose and holds the keys of\nevery kind; with it, only those of that kind (a Forge app without a remote has no base\nURLs and no health check; with --remote, base URLs and an optional health check).";

/// The frameworks `--framework` takes.
#[derive(Clone, Copy, ValueEnum)]
enum FrameworkArg {
    Connect,
    Forge,
}

#[derive(Args)]
pub struct InitArgs {
    /// Where to write it: a file, or a directory to hold cloud-fortified.yaml.
    #[arg(default_value = DEFAULT_FILE)]
    path: std::path::PathBuf,
    /// Write the starter of this framework's apps.
    #[arg(long, value_enum)]
    framework: Option<FrameworkArg>,
    /// With `--framework forge`: the app has a Forge Remote backend (base URLs).
    #[arg(long)]
    remote: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<Exit> {
    let framework = args.framework.map(|f| match f {
        FrameworkArg::Connect => Framework::Connect,
        FrameworkArg::Forge => Framework::Forge,
    });
    if args.remote && framework != Some(Framework::Forge) {
        anyhow::bail!(
            "--remote is for Forge apps: use it with --framework forge (a Connect app's starter always has base URLs)"
        );
    }
    let starter = Starter {
        framework,
        remote: args.remote,
    };
    let written = cfready::ticket::init::write(&args.path, starter)?;
    eprintln!(
        "wrote {}: answer each question, then run `cfready lint {}`",
        written.display(),
        written.display()
    );
    Ok(Exit::Clean)
}

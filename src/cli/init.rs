//! `cfready init`: its arguments and glue (the starter is `cfready::ticket::init`'s).

use clap::Args;

use cfready::ticket::lint::DEFAULT_FILE;

use super::Exit;

pub const AFTER_HELP: &str =
    "Examples:\n  cfready init\n  cfready init config/cloud-fortified.yaml";

#[derive(Args)]
pub struct InitArgs {
    /// Where to write it: a file, or a directory to hold cloud-fortified.yaml.
    #[arg(default_value = DEFAULT_FILE)]
    path: std::path::PathBuf,
}

pub fn run(args: InitArgs) -> anyhow::Result<Exit> {
    let written = cfready::ticket::init::write_starter(&args.path)?;
    eprintln!(
        "wrote {}: answer each question, then run `cfready lint {}`",
        written.display(),
        written.display()
    );
    Ok(Exit::Clean)
}

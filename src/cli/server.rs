//! `cfready server`: its arguments (the language server is `cfready::ticket::server`'s).

use clap::Args;

use cfready::date::Date;

use super::{Exit, parse_date};

pub const AFTER_HELP: &str = "Editors start it; it speaks the Language Server Protocol on stdin/stdout.\nExample (Neovim):\n  vim.lsp.start({ name = 'cfready', cmd = { 'cfready', 'server' } })\n\nIt lints cloud-fortified.yaml, *.cloud-fortified.yaml and YAML whose first comment is\ncfready's schema modeline. Settings (initializationOptions or didChangeConfiguration):\n  { \"ignore\": [\"CF601\"], \"strict\": true }";

#[derive(Args)]
pub struct ServerArgs {
    /// Accepted for editors that pass it (stdio is the only transport).
    #[arg(long, hide = true)]
    stdio: bool,
    /// The date to take as today (YYYY-MM-DD), as lint's `--today`.
    #[arg(long, env = "CFREADY_TODAY", value_parser = parse_date, hide = true)]
    today: Option<Date>,
}

pub fn run(args: ServerArgs) -> anyhow::Result<Exit> {
    let ServerArgs { stdio: _, today } = args;
    Ok(Exit::of(cfready::ticket::server::run_stdio(today)?))
}

//! `cfready completions` and `man`: generated from the command line's own definitions, which
//! `main.rs` passes in.

use clap::Args;

use super::{Exit, io_error, print};

pub const COMPLETIONS_AFTER_HELP: &str = "Examples:\n  cfready completions bash > ~/.local/share/bash-completion/completions/cfready\n  cfready completions zsh > \"${fpath[1]}/_cfready\"\n  cfready completions fish > ~/.config/fish/completions/cfready.fish";
pub const MAN_AFTER_HELP: &str = "Examples:\n  cfready man > cfready.1 && man ./cfready.1\n  cfready man --dir man/    cfready.1 and a page per subcommand (cfready-lint.1, ...)";

#[derive(Args)]
pub struct CompletionsArgs {
    shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Write cfready.1 and one page per subcommand into DIR instead (created; those pages
    /// replaced, written whole or not at all).
    #[arg(long, value_name = "DIR")]
    dir: Option<std::path::PathBuf>,
}

pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> anyhow::Result<Exit> {
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cfready", &mut text);
    print(&String::from_utf8_lossy(&text))?;
    Ok(Exit::Clean)
}

pub fn man(args: ManArgs, command: clap::Command) -> anyhow::Result<Exit> {
    let pages = man_pages(command)?;
    match args.dir {
        None => print(&String::from_utf8_lossy(&pages[0].1))?,
        Some(dir) => {
            cfready::write::folder(&dir, &pages).map_err(|e| io_error(&dir, &e))?;
            eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
        }
    }
    Ok(Exit::Clean)
}

/// The man page of `command` first (`cfready.1`), then one per subcommand, nested ones
/// included (`cfready-export-prometheus.1`): every page a SUBCOMMANDS section names. clap's
/// `help` subcommand has no page, so it is left out of the lists too.
fn man_pages(command: clap::Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    fn add(command: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        let man = clap_mangen::Man::new(command.clone())
            .source(concat!("cfready ", env!("CARGO_PKG_VERSION")));
        let mut text = Vec::new();
        man.render(&mut text)?;
        pages.push((man.get_filename(), text));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            add(sub.clone(), pages)?;
        }
        Ok(())
    }
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    add(command, &mut pages)?;
    Ok(pages)
}

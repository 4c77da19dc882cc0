//! `cfready completions`, `man` and the hidden `generate-docs`: generated from the command
//! line's own definitions, which `main.rs` passes in.

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

#[derive(Args)]
pub struct GenerateDocsArgs {
    /// The documentation folder: writes DIR/rules/ (a page per rule and the index) and
    /// DIR/reference/ (questionnaire.md, cli.md).
    #[arg(value_name = "DIR", default_value = "docs")]
    dir: std::path::PathBuf,
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

/// `cfready generate-docs`: the documentation site's generated pages, from the rule registry,
/// the bundled schema and the command line's definitions (`tests/cli/docs.rs` checks that the
/// committed ones are current).
pub fn generate_docs(args: GenerateDocsArgs, command: clap::Command) -> anyhow::Result<Exit> {
    let rules = cfready::report::rules::pages();
    let reference = [
        (
            "questionnaire.md".to_owned(),
            cfready::report::questionnaire::reference(),
        ),
        ("cli.md".to_owned(), cli_reference(command)),
    ];
    for (folder, pages) in [("rules", &rules[..]), ("reference", &reference[..])] {
        let dir = args.dir.join(folder);
        cfready::write::folder(&dir, pages).map_err(|e| io_error(&dir, &e))?;
    }
    eprintln!(
        "wrote {} pages to {}",
        rules.len() + reference.len(),
        args.dir.display()
    );
    Ok(Exit::Clean)
}

/// The command-line reference: every command's `--help`, as the terminal shows it.
fn cli_reference(command: clap::Command) -> String {
    fn add(command: &mut clap::Command, name: &str, out: &mut String) {
        let help = command.render_long_help().to_string();
        let help: Vec<&str> = help.trim_end().lines().map(str::trim_end).collect();
        out.push_str(&format!(
            "\n## `{name}`\n\n```text\n{}\n```\n",
            help.join("\n")
        ));
        let subcommands: Vec<String> = command
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_owned())
            .collect();
        for sub in subcommands {
            let sub_command = command.find_subcommand_mut(&sub).expect("listed");
            add(sub_command, &format!("{name} {sub}"), out);
        }
    }
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut out = String::from(
        "# Command-line reference\n\n\
         Every command's `--help`, as the terminal shows it. This page is generated from the \
         command line's definitions, as the man pages (`cfready man`) and the shell completions \
         are; `cargo test` fails when it is stale.\n",
    );
    add(&mut command, "cfready", &mut out);
    out
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

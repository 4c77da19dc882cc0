//! `cfready history`: the monitor's store converted, exported, trimmed and checked (the store
//! is `cfready::badge::store`'s).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use cfready::badge::store::{self, Reader, Writer};
use cfready::timestamp::Timestamp;

use super::{Exit, io_error, parse_span, print};

pub const AFTER_HELP: &str = "Examples:\n  cfready history import cfready-history.jsonl --into cfready-history.db\n  cfready history export cfready-history.db --format jsonl | jq 'select(.success | not)'\n  cfready history prune cfready-history.db --keep 400d\n  cfready history verify cfready-history.db\n\nThe store is one SQLite file (cfready-history.db beside the questionnaire by default).\nBack it up while a monitor runs with `sqlite3 cfready-history.db \".backup backup.db\"`;\nquery it with any SQLite client (the tables are documented in docs/history-store.md).\nimport never changes the JSONL file, and importing it twice adds nothing twice; export\nwrites v1 JSON lines in time order; prune deletes whole hours older than --keep (keep at\nleast 28 days plus the span you report on); verify changes nothing and exits 1 on damage.";

#[derive(Args)]
pub struct HistoryArgs {
    #[command(subcommand)]
    command: HistoryCommand,
}

#[derive(Subcommand)]
enum HistoryCommand {
    /// Convert a v1 JSONL history into a store (created when missing).
    Import(ImportArgs),
    /// Write a store as v1 JSON lines, in time order.
    Export(ExportArgs),
    /// Delete what is older than --keep, whole hours at a time.
    Prune(PruneArgs),
    /// Check a store for damage without changing anything (exit 1 on damage).
    Verify(VerifyArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The v1 JSONL history `cfready monitor` wrote before 0.4.
    file: PathBuf,
    /// The store to write into.
    #[arg(long, default_value = store::DEFAULT_STORE)]
    into: PathBuf,
    /// Label the imported observations with this app (for a portfolio store).
    #[arg(long)]
    app: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
}

#[derive(Args)]
struct ExportArgs {
    /// The store [default: cfready-history.db].
    store: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct PruneArgs {
    /// The store [default: cfready-history.db].
    store: Option<PathBuf>,
    /// How much history to keep, back from now (such as 400d).
    #[arg(long, value_parser = parse_span)]
    keep: std::time::Duration,
}

#[derive(Args)]
struct VerifyArgs {
    /// The store [default: cfready-history.db].
    store: Option<PathBuf>,
}

fn or_default(store: Option<PathBuf>) -> PathBuf {
    store.unwrap_or_else(|| store::DEFAULT_STORE.into())
}

pub fn run(args: HistoryArgs) -> anyhow::Result<Exit> {
    match args.command {
        HistoryCommand::Import(args) => import(args),
        HistoryCommand::Export(args) => export(args),
        HistoryCommand::Prune(args) => prune(args),
        HistoryCommand::Verify(args) => verify(args),
    }
}

fn import(args: ImportArgs) -> anyhow::Result<Exit> {
    if store::is_store(&args.file) {
        anyhow::bail!(
            "{}: a store already, not a JSONL history",
            args.file.display()
        );
    }
    let file = std::fs::File::open(&args.file).map_err(|e| io_error(&args.file, &e))?;
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut writer = Writer::open(&args.into)?;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(length);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "importing {bar:40} {binary_bytes}/{binary_total_bytes} {eta} left",
            )
            .expect("a valid template"),
        );
        bar
    });
    let summary = store::import_jsonl(
        &args.file.display().to_string(),
        std::io::BufReader::with_capacity(1 << 16, file),
        &mut writer,
        args.app.as_deref(),
        &mut |bytes| {
            if let Some(bar) = &bar {
                bar.set_position(bytes);
            }
        },
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for warning in &summary.warnings {
        eprintln!("warning[{}]: {}", warning.code, warning.message);
    }
    eprintln!(
        "imported {}: {} lines, {} observations added ({} already in the store), {} delivery attempts, {} lines skipped, into {}",
        args.file.display(),
        summary.lines,
        summary.added,
        summary.already,
        summary.deliveries,
        summary.warnings.len(),
        args.into.display()
    );
    Ok(Exit::Clean)
}

fn export(args: ExportArgs) -> anyhow::Result<Exit> {
    let path = or_default(args.store);
    let reader = Reader::open(&path)?;
    let ExportFormat::Jsonl = args.format;
    match &args.output {
        Some(output) => {
            let mut text = Vec::new();
            store::export_jsonl(&reader, &mut text)?;
            cfready::write::atomically(output, &text, cfready::write::Existing::Replace)?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match store::export_jsonl(&reader, &mut out) {
                Ok(_) => {}
                // `| head` closed the pipe: what was asked for was written.
                Err(store::StoreError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(Exit::Clean)
}

fn prune(args: PruneArgs) -> anyhow::Result<Exit> {
    let path = or_default(args.store);
    if !path.exists() {
        return Err(store::StoreError::Missing { path }.into());
    }
    let before = Timestamp::now().minus(args.keep);
    let mut writer = Writer::open(&path)?;
    let deleted = writer.prune(before)?;
    eprintln!(
        "pruned {}: {deleted} observations before {before} deleted",
        path.display()
    );
    Ok(Exit::Clean)
}

fn verify(args: VerifyArgs) -> anyhow::Result<Exit> {
    let path = or_default(args.store);
    let reader = Reader::open(&path)?;
    let found = reader.verify()?;
    let span = match (found.first, found.last) {
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => String::new(),
    };
    let mut text = format!(
        "{}: {} series, {} observations, {} delivery attempts{span}\n",
        path.display(),
        found.series,
        found.observations,
        found.deliveries
    );
    for damage in &found.damage {
        text.push_str(&format!("damage: {damage}\n"));
    }
    if found.damage.is_empty() {
        text.push_str("no damage found\n");
    }
    // A closed pipe (`| head -1`) is not an error.
    print(&text)?;
    if found.damage.is_empty() {
        Ok(Exit::Clean)
    } else {
        Ok(Exit::Findings)
    }
}

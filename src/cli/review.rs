//! `cfready review`: the annual review's dates and pack (the pack is
//! `cfready::report::review`'s, the dates and changes `cfready::ticket::review`'s).

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use cfready::diagnostic::Severity;
use cfready::report::review::{Finding, Findings, Item, Pack};
use cfready::ticket::lint::{self, DEFAULT_FILE};
use cfready::timestamp::Timestamp;

use super::{Exit, LintSettings, print, same_file};

pub const AFTER_HELP: &str = "Examples:\n  cfready review                                       the dates of the next annual review\n  cfready review --since v1.4.0 --format markdown -o review.md\n  cfready review cloud-fortified.yaml --since approved.yaml --format html -o review.html\n  cfready review --since HEAD~20 --format json\n\nAtlassian reviews every Cloud Fortified app once a year, in the last week of the month it was\napproved (app.approved_on), gives two weeks' notice and four weeks to fix what it finds. The\npack holds the year of the monitor's store (slo --year), the answers changed since the approved\nrevision (--since REV reads it from git, --since FILE from a saved copy), a re-lint with today's\nrules calling out the findings new since approval, the ticket with each changed answer marked,\nand a checklist of what else the review covers (the Marketplace Privacy & Security tab, the\nsupport contact, deprecation notices). Exit 2 when app.approved_on is missing or the approved\nrevision cannot be read.";

#[derive(Clone, Copy, ValueEnum)]
pub enum ReviewFormat {
    Human,
    Markdown,
    Html,
    Json,
}

#[derive(Args)]
pub struct ReviewArgs {
    /// The questionnaire.
    #[arg(default_value = DEFAULT_FILE)]
    file: String,

    /// The approved revision: a git revision (v1.4.0, HEAD~20, a commit) of the questionnaire,
    /// or a saved copy of it.
    #[arg(long, value_name = "REV|FILE")]
    since: Option<String>,

    /// The monitor's store [default: cfready-history.db beside the questionnaire].
    #[arg(long, value_name = "STORE")]
    history: Option<PathBuf>,

    /// The end of the year shown, an RFC 3339 instant [default: now].
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    at: Option<Timestamp>,

    /// Output: the dates (human), or the pack.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    format: ReviewFormat,

    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    lint: LintSettings,
}

fn parse_instant(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text.trim())
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 instant such as 2026-12-01T00:00:00Z"))
}

/// The approved questionnaire's bytes and what to call them: a file when `since` names one,
/// else `git show REV:FILE` in the questionnaire's repository.
fn approved(file: &Path, since: &str) -> anyhow::Result<(Vec<u8>, String)> {
    if Path::new(since).is_file() {
        return Ok((
            std::fs::read(since).map_err(|e| super::io_error(Path::new(since), &e))?,
            since.to_owned(),
        ));
    }
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", &format!("{since}:./{name}")])
        .output()
        .map_err(|e| anyhow::anyhow!("--since {since}: cannot run git ({e})"))?;
    if !output.status.success() {
        anyhow::bail!(
            "--since {since}: neither a file nor a git revision holding {}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok((output.stdout, format!("git revision {since}")))
}

pub fn run(args: ReviewArgs) -> anyhow::Result<Exit> {
    let options = args.lint.options();
    let today = lint::lint_path(&args.file, &options);
    if let Some(failure) = &today.failure {
        anyhow::bail!("{failure}");
    }
    let Some(document) = today.document.as_ref() else {
        anyhow::bail!(
            "{}: not a questionnaire (run `cfready lint {}`)",
            args.file,
            args.file
        );
    };
    let Some(approved_on) = cfready::ticket::review::approved_on(&document.value) else {
        anyhow::bail!(
            "{}: app.approved_on is not set: add the date Atlassian approved the app (approved_on: YYYY-MM-DD under app)",
            args.file
        );
    };
    let dates = cfready::ticket::review::next_review(approved_on, options.today);
    let file = Path::new(&args.file);
    let (changes, new, since) = match &args.since {
        Some(since) => {
            let (bytes, name) = approved(file, since)?;
            let before = lint::lint_bytes(&name, &bytes, &options);
            let Some(old) = before.document.as_ref() else {
                anyhow::bail!("{name}: the approved revision is not a questionnaire");
            };
            let changes = cfready::ticket::review::changes(&old.value, &document.value);
            let new: Vec<Finding> =
                cfready::ticket::review::new_findings(&before.diagnostics, &today.diagnostics)
                    .into_iter()
                    .map(Finding::of)
                    .collect();
            (changes, new, Some(name))
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let ticket = cfready::ticket::render::ticket(
        &cfready::ticket::review::marked(&document.value, &changes),
        &cfready::ticket::render::RenderOptions {
            flavor: cfready::ticket::render::Flavor::Markdown,
            templates: None,
            not_ready: None,
        },
    )?;
    let store = args.history.clone().unwrap_or_else(|| {
        file.parent()
            .unwrap_or(Path::new("."))
            .join(cfready::badge::store::DEFAULT_STORE)
    });
    let app = &document.value["app"];
    let key = app["key"].as_str().unwrap_or_default().to_owned();
    let (year, year_missing) = if cfready::badge::store::is_store(&store) {
        let reader = cfready::badge::store::Reader::open(&store)?;
        // A portfolio's store: this app's series (by its key) when it has them, else all.
        let labels: Vec<String> = reader.series()?.into_iter().map(|s| s.app).collect();
        let options = cfready::badge::slo::YearOptions {
            end: args.at.unwrap_or_else(Timestamp::now),
            app: labels.contains(&key).then(|| key.clone()),
            maintenance: Vec::new(),
        };
        (
            Some(cfready::badge::slo::year_from_store(
                &reader,
                &options,
                &[],
            )?),
            None,
        )
    } else {
        (
            None,
            Some(format!(
                "No monitor store at {}: run `cfready monitor` (or give --history STORE) to show the year.",
                store.display()
            )),
        )
    };
    let support = app["contacts"]["support"]
        .as_str()
        .unwrap_or("(none given)");
    let breached: usize = year
        .as_ref()
        .map_or(0, |y| y.urls.iter().map(|u| u.breached_windows).sum());
    let checklist = [
        "The Marketplace listing's Privacy & Security tab is current (data stored, where, subprocessors, retention)".to_owned(),
        format!("The support contact ({support}) answers, and is the one Atlassian has on file"),
        format!("Atlassian's deprecation notices since approval ({approved_on}) are acted on (the developer changelog)"),
        match &year {
            Some(_) => format!("The year's SLO is explained: {breached} window(s) of 28 days breached, each with its cause and fix"),
            None => "The year's SLO is explained, each breached window with its cause and fix (no store here: cfready slo --year on the monitor's)".to_owned(),
        },
        format!("The {} finding(s) new since approval are fixed", new.len()),
        format!("The {} answer(s) changed since approval are in the ticket sent for the review", changes.len()),
    ]
    .into_iter()
    .map(|item| Item { item, done: false })
    .collect();
    let pack = Pack {
        version: 1,
        app: app["name"].as_str().unwrap_or(&key).to_owned(),
        questionnaire: args.file.clone(),
        dates,
        since,
        changes,
        findings: Findings {
            errors: today.count(Severity::Error),
            warnings: today.count(Severity::Warning),
            infos: today.count(Severity::Info),
            new,
        },
        year,
        year_missing,
        ticket,
        checklist,
    };
    let text = match args.format {
        ReviewFormat::Human => cfready::report::review::render_human(&pack),
        ReviewFormat::Markdown => cfready::report::review::render_markdown(&pack),
        ReviewFormat::Html => cfready::report::review::render_html(&pack),
        ReviewFormat::Json => cfready::report::review::render_json(&pack),
    };
    match &args.output {
        Some(path) => {
            if same_file(path, &args.file) {
                anyhow::bail!(
                    "-o {} is the questionnaire itself; cfready never modifies its input",
                    path.display()
                );
            }
            cfready::write::atomically(path, text.as_bytes(), cfready::write::Existing::Replace)?;
            eprintln!("wrote {}", path.display());
        }
        None => print(&text)?,
    }
    Ok(Exit::Clean)
}
